"""Run a real Mosquitto on free loopback ports, with a test PKI, for tests and the demo.

>>> pki = make_pki(tmp / "pki", posts=["post-01"])
>>> with Broker(tmp / "broker", pki) as broker:
...     broker.port, broker.hq_port, pki.client("post-01")

Two listeners: ``port`` for the posts (the client id is the certificate's
CN) and ``hq_port`` for HQ's receivers and publishers; ``port_for(name)``
and ``client_args(name)`` pick the right one. Access control is the
dynamic-security plugin's (``sync/broker/dynsec.py``), written at each start
for the posts whose certificates are in the PKI folder.

``python -m sync.broker.run --dir DIR [--post ID ...]`` starts one, prints
``{"host": ..., "port": ..., "hq_port": ..., "pki": ...}`` as one JSON line
and runs until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template
from types import TracebackType
from typing import Final

from sync import ca
from sync.broker import dynsec

HERE: Final = Path(__file__).resolve().parent
HOST: Final = "127.0.0.1"


class BrokerError(RuntimeError):
    """Mosquitto could not be started."""


@dataclass(frozen=True)
class Pki:
    """A CA folder holding the broker's and clients' certificates."""

    directory: Path

    @property
    def ca_file(self) -> Path:
        """The CA certificate every party trusts."""
        return self.directory / ca.CA_CERT

    def client(self, name: str) -> tuple[Path, Path]:
        """(certificate, key) of a post or of ``ca.HQ_IDENTITY``."""
        return self.directory / f"{name}.crt", self.directory / f"{name}.key"

    def tls_args(self, name: str) -> list[str]:
        """``--ca --cert --key`` arguments of the ``borderpost`` commands for client ``name``."""
        cert, key = self.client(name)
        return ["--ca", str(self.ca_file), "--cert", str(cert), "--key", str(key)]

    def posts(self) -> list[str]:
        """The post ids with a certificate in the folder."""
        names = {p.stem for p in self.directory.glob("*.crt")}
        return sorted(names - {Path(ca.CA_CERT).stem, "server", ca.HQ_IDENTITY})

    def add_post(self, post_id: str) -> tuple[Path, Path]:
        """Issue a post certificate (if missing) and return (certificate, key)."""
        if not self.client(post_id)[0].exists():
            ca.issue(self.directory, "post", post_id)
        return self.client(post_id)


def make_pki(directory: Path, posts: list[str] | tuple[str, ...] = ()) -> Pki:
    """A CA with broker, HQ and post certificates in ``directory`` (kept if present)."""
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / ca.CA_KEY).exists():
        ca.init_ca(directory)
        ca.issue(directory, "server")
        ca.issue(directory, "hq")
    pki = Pki(directory)
    for post in posts:
        pki.add_post(post)
    return pki


def free_port() -> int:
    """A TCP port on the loopback interface that was free a moment ago."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def mosquitto_binary() -> str:
    """The path of the mosquitto executable."""
    found = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(found).exists():
        raise BrokerError("mosquitto is not installed (Debian package: mosquitto)")
    return found


PR_SET_PDEATHSIG: Final = 1


def die_with_parent() -> None:
    """In a child before it runs (``preexec_fn``): SIGTERM it when its parent ends (Linux).

    The kernel sends it when the thread that started the child exits, so start
    such children from the main thread.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Broker:
    """One Mosquitto process with the demo configuration; restartable on the same port.

    ``tied``: the broker is stopped by the kernel if this process dies (the demo).
    """

    def __init__(
        self,
        workdir: Path,
        pki: Pki,
        port: int | None = None,
        hq_port: int | None = None,
        *,
        tied: bool = False,
    ) -> None:
        self.workdir = workdir
        self.pki = pki
        self.tied = tied
        self.host = HOST
        self.port = port or free_port()
        self.hq_port = hq_port or free_port()
        self._proc: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)

    @property
    def address(self) -> str:
        """``host:port`` of the posts' listener."""
        return f"{self.host}:{self.port}"

    def port_for(self, name: str) -> int:
        """The listener client ``name`` uses: HQ's for the HQ identity, else the posts'."""
        return self.hq_port if name == ca.HQ_IDENTITY else self.port

    def client_args(self, name: str) -> list[str]:
        """``--broker`` and TLS arguments of the ``borderpost`` commands for client ``name``."""
        return ["--broker", f"{self.host}:{self.port_for(name)}", *self.pki.tls_args(name)]

    @property
    def log_file(self) -> Path:
        """Mosquitto's own log."""
        return self.workdir / "mosquitto.log"

    def _write_config(self) -> Path:
        access = dynsec.write(self.workdir / "dynsec.json", self.pki.posts())
        text = Template((HERE / "demo.conf").read_text()).substitute(
            user=getpass.getuser(),
            log=self.log_file,
            port=self.port,
            hq_port=self.hq_port,
            bind=self.host,
            ca=self.pki.ca_file,
            cert=self.pki.directory / "server.crt",
            key=self.pki.directory / "server.key",
            plugin=dynsec.plugin_path(),
            dynsec=access,
        )
        conf = self.workdir / "mosquitto.conf"
        conf.write_text(text)
        return conf

    def start(self, timeout: float = 10.0) -> Broker:
        """Start mosquitto and wait until it accepts connections."""
        if self.running():
            return self
        conf = self._write_config()
        self._proc = subprocess.Popen(
            [mosquitto_binary(), "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent if self.tied else None,
        )
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise BrokerError(
                    f"mosquitto exited ({self._proc.returncode}); see {self.log_file}"
                )
            try:
                for port in (self.port, self.hq_port):
                    with socket.create_connection((self.host, port), timeout=0.2):
                        pass
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise BrokerError(f"mosquitto did not listen on {self.address} within {timeout}s")

    def running(self) -> bool:
        """Whether the process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop mosquitto (SIGTERM, then SIGKILL)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def kill(self) -> None:
        """Kill mosquitto abruptly (SIGKILL)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def restart(self) -> Broker:
        """Stop and start again on the same port."""
        self.stop()
        return self.start()

    def __enter__(self) -> Broker:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _exit(broker: Broker) -> None:
    broker.stop()
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """Run a demo broker until signalled; print its address and PKI as JSON."""
    p = argparse.ArgumentParser(prog="python -m sync.broker.run")
    p.add_argument("--dir", required=True, type=Path, help="work folder (PKI, config, log)")
    p.add_argument("--post", action="append", default=[], help="issue a post certificate")
    p.add_argument("--port", type=int, default=None, help="listen port (default: a free one)")
    args = p.parse_args(argv)
    pki = make_pki(args.dir / "pki", args.post)
    broker = Broker(args.dir / "broker", pki, args.port).start()
    print(
        json.dumps(
            {
                "host": broker.host,
                "port": broker.port,
                "hq_port": broker.hq_port,
                "pki": str(pki.directory),
                "pid": os.getpid(),
            }
        ),
        flush=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: _exit(broker))
    try:
        while broker.running():
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    broker.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
