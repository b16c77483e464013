"""``borderpost demo``: a whole border post on one machine.

Mosquitto with the shipped TLS + ACL configuration (a demo CA made on first
run), the HQ receiver, simulated devices on pseudo-terminals, the daemon, and
the console logged in as a demo officer. Everything runs as child processes of
this one, speaking the real protocols; Ctrl-C, SIGTERM or closing the terminal
(SIGHUP) stops them all, and each child is also told by the kernel to stop
(``PR_SET_PDEATHSIG``) should this process die without stopping them. A
daemon that dies during the demo ends it with a message, not a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from edge.api.client import ApiClient
from edge.demo.data import DemoData, DemoRates, make_demo_data
from edge.store import Store, officers
from sync import keys as post_keys
from sync.broker.run import Broker, die_with_parent, make_pki
from sync.ca import HQ_IDENTITY

log = logging.getLogger("borderpost.demo")
POST_ID = "demo-post-1"
DEMO_OFFICER = ("demo", "Demo Officer", "supervisor", "0000")
DEMO_TECHNICIAN = ("tech", "Demo Technician", "technician", "0000")
HQ_USER = "hq-demo"  # the HQ web console's duty officer (a new password each run, printed)
SIMULATORS = {  # device name → (kind, sim command, lane, extra sim flags)
    "mrz-1": ("mrz", "mrz", "1"),
    "scanner-1": ("scanner", "scanner", "1"),
    "rpm-1": ("rpm", "rpm", "1"),
}


class DemoStopped(Exception):
    """The demo was told to stop (SIGHUP, SIGTERM) or a part of it died; the message says why."""


def _stop_on_signal(signum: int, _frame: object) -> None:
    """SIGHUP or SIGTERM: leave whatever the demo waits on, so it stops every child."""
    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)  # once is enough while the children stop
    raise DemoStopped(f"stopped by {signal.Signals(signum).name}")


@dataclass
class Child:
    """A child process of the demo and where its output goes."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path


@dataclass
class Demo:
    """The processes of one demo run, started and stopped together."""

    root: Path
    rate: float = 1.0
    seed: int = 7
    rpm_vendor: str = "rapiscan"  # or "aspect": the RPM simulator speaks Modbus TCP
    rates: DemoRates = field(default_factory=DemoRates)  # how often traffic needs the officer
    children: list[Child] = field(default_factory=list)
    broker: Broker | None = None
    data: DemoData | None = None
    hq_password: str = ""  # the HQ console user's, made up by `hq user add --generate`
    hq_console: str | None = None  # "URL (user …, password …)" once `hq web` answers

    @property
    def post_dir(self) -> Path:
        return self.root / "post"

    @property
    def hq_dir(self) -> Path:
        return self.root / "hq"

    # -- preparation ----------------------------------------------------------

    def prepare(self) -> None:
        """CA, keys, officers, HQ registration, watchlist and traffic files (fresh databases)."""
        for folder in (self.post_dir, self.hq_dir, self.root / "logs"):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        keys_dir = self.root / "keys"
        if not (keys_dir / post_keys.POST_KEY_FILE).exists():
            keys_dir.mkdir(parents=True, exist_ok=True)
            post_keys.init_pair(keys_dir)
        shutil.copytree(keys_dir, self.post_dir / post_keys.KEYS_DIR)
        self.pki = make_pki(self.root / "pki", [POST_ID])
        self._cli(
            "hq",
            "post",
            "add",
            POST_ID,
            "--key",
            str(keys_dir / post_keys.POST_PUB_FILE),
            "--state-dir",
            str(self.hq_dir),
        )
        self._add_hq_user()
        store = Store.open(self.post_dir / "events.db")
        for officer_id, name, role, pin in (DEMO_OFFICER, DEMO_TECHNICIAN):
            officers.add(store, officer_id, name, role, pin, "demo")
        store.close()
        self.data = make_demo_data(self.root / "data", seed=self.seed, rates=self.rates)
        self._cli(
            "watchlist",
            "import",
            str(self.data.watchlist),
            "--format",
            "jsonl",
            "--state-dir",
            str(self.post_dir),
        )

    def _cli(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "edge", *args], capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            raise RuntimeError(f"borderpost {' '.join(args[:3])} failed: {result.stderr.strip()}")
        return result.stdout

    # -- processes ------------------------------------------------------------

    def _spawn(self, name: str, *args: str, stdout: int | IO[bytes] | None = None) -> Child:
        log_path = self.root / "logs" / f"{name}.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "edge", *args],
            stdin=subprocess.DEVNULL,
            stdout=stdout if stdout is not None else subprocess.DEVNULL,
            stderr=log_path.open("wb"),
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        child = Child(name, proc, log_path)
        self.children.append(child)
        return child

    def start(self) -> None:
        """Broker, HQ receiver, simulators, daemon — in that order."""
        self.broker = Broker(self.root / "broker", self.pki, tied=True).start()
        self._spawn(
            "hq",
            "hq",
            "run",
            "--state-dir",
            str(self.hq_dir),
            *self.broker.client_args(HQ_IDENTITY),
        )
        ports = {name: self._start_sim(name, *spec) for name, spec in SIMULATORS.items()}
        config = self._write_config({k: v for k, v in ports.items() if v})
        self._spawn(
            "daemon",
            "run",
            "--config",
            str(config),
            "--state-dir",
            str(self.post_dir),
            "--allow-inject",
        )
        self._wait_for_socket()
        self._start_hq_console()

    def _add_hq_user(self) -> None:
        """The HQ console's demo duty officer, with a new password (printed at start)."""
        hq = ("--state-dir", str(self.hq_dir))
        added = self._cli("hq", "user", "add", HQ_USER, "--role", "duty_officer", "--generate", *hq)
        self.hq_password = json.loads(added)["password"]

    def _start_hq_console(self) -> None:
        """`hq web` on a free loopback port; the demo goes on without it (a warning) when
        the web libraries of the hq extra are missing."""
        hq = ("--state-dir", str(self.hq_dir))
        listen = f"127.0.0.1:{_free_port()}"
        child = self._spawn("hq-web", "hq", "web", *hq, "--listen", listen, stdout=subprocess.PIPE)
        assert child.proc.stdout is not None
        try:
            url = json.loads(child.proc.stdout.readline())["hq_web"]
        except (ValueError, KeyError):
            log.warning("the HQ console did not start: %s", child.log.read_text()[-500:])
            return
        self.hq_console = f"{url} (user {HQ_USER}, password {self.hq_password})"

    def _start_sim(self, name: str, kind: str, sim: str, lane: str) -> str | None:
        assert self.data is not None
        # traffic waits for the daemon's socket (then the sims' 1 s): what a reader sends
        # before the daemon opens its port is flushed on open, and the story's first
        # traveller and scan (and at higher --rate the listed person to refer) with it
        args = ["sim", sim, "--port", "pty", "--seed", str(self.seed),
                "--start-after", str(self.socket)]  # fmt: skip
        if sim == "rpm" and self.rpm_vendor == "aspect":  # polled: nothing to lose
            args[3:] = [f"modbus://127.0.0.1:{_free_port()}", "--vendor", "aspect",
                        "--seed", str(self.seed)]  # fmt: skip
        args += self.data.sim_args(sim, self.rate)
        child = self._spawn(f"sim-{sim}", *args, stdout=subprocess.PIPE)
        assert child.proc.stdout is not None
        line = child.proc.stdout.readline()
        try:
            return str(json.loads(line)["port"])
        except (ValueError, KeyError):
            log.warning("simulator %s did not start: %s", sim, child.log.read_text()[-500:])
            return None

    def _write_config(self, ports: dict[str, str]) -> Path:
        cert, key = self.pki.client(POST_ID)
        assert self.broker is not None
        lines = [
            f'[post]\nid = "{POST_ID}"\nname = "Borderpost demo crossing"\n',
            f'[broker]\nhost = "{self.broker.host}"\nport = {self.broker.port}\n'
            f'ca_file = "{self.pki.ca_file}"\ncert_file = "{cert}"\nkey_file = "{key}"\n',
            "[sync]\nbatch_max_delay_s = 0.2\n",
        ]
        for name, port in ports.items():
            kind, _, lane = SIMULATORS[name]
            lines.append(
                f'[[devices]]\nname = "{name}"\nkind = "{kind}"\nurl = "{port}"\nlane = "{lane}"\n'
            )
        path = self.root / "borderpost.toml"
        path.write_text("\n".join(lines))
        return path

    @property
    def socket(self) -> Path:
        return self.post_dir / "api.sock"

    def _wait_for_socket(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        daemon = next(c for c in self.children if c.name == "daemon")
        while time.monotonic() < deadline:
            if self.socket.exists():
                return
            if daemon.proc.poll() is not None:
                raise RuntimeError(f"the daemon exited: {daemon.log.read_text()[-2000:]}")
            time.sleep(0.1)
        raise RuntimeError("the daemon did not open its socket")

    def stop_simulators(self) -> None:
        """Stop the simulated devices (traffic ends; the post keeps running)."""
        _terminate([c for c in self.children if c.name.startswith("sim-")])

    def stop(self) -> None:
        """Stop every child at once (told newest first), then the broker."""
        _terminate(self.children[::-1])
        if self.broker is not None:
            self.broker.stop()

    # -- results ----------------------------------------------------------------

    def check_daemon(self) -> None:
        """``DemoStopped`` with the daemon's last log lines if it is no longer running."""
        daemon = next((c for c in self.children if c.name == "daemon"), None)
        if daemon is not None and daemon.proc.poll() is not None:
            tail = daemon.log.read_text(errors="replace").strip().splitlines()[-5:]
            raise DemoStopped(
                f"the post's daemon stopped (exit code {daemon.proc.returncode}); its log is "
                f"{daemon.log}, ending:\n  " + "\n  ".join(tail)
            )

    def watch(self, seconds: float) -> None:
        """Let the demo run for ``seconds``, ending early if the daemon dies."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_daemon()
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    def wait_drained(self, timeout: float) -> dict[str, Any]:
        """Wait until the post's outbox is empty (or ``timeout``); return its status."""
        deadline = time.monotonic() + timeout
        with ApiClient(self.socket) as client:
            while True:
                status = client.call("status")
                if status["backlog"] == 0 or time.monotonic() > deadline:
                    return status
                time.sleep(0.25)

    def device_states(self) -> dict[str, str]:
        """Each device's state now (taken before the simulators stop, which faults them all)."""
        with ApiClient(self.socket) as client:
            return {d["name"]: d["state"] for d in client.call("status")["devices"]}

    def summary(self, status: dict[str, Any], devices: dict[str, str]) -> dict[str, Any]:
        """Events and alerts at the post, what HQ acknowledged, what is missing at HQ; ``devices``
        as they were while traffic ran."""
        store = Store.open(self.post_dir / "events.db")
        post_seqs = {r[0] for r in store.conn.execute("SELECT seq FROM events")}
        alerts = store.conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
        kinds = dict(store.conn.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind"))
        store.close()
        with contextlib.closing(sqlite3.connect(self.hq_dir / "hq.db")) as hq:
            rows = hq.execute("SELECT seq FROM events WHERE post_id = ?", (POST_ID,))
            hq_seqs = {r[0] for r in rows}
        return {
            "post_id": POST_ID,
            "events": len(post_seqs),
            "alerts": alerts,
            "events_by_kind": kinds,
            "acknowledged_by_hq": len(post_seqs & hq_seqs),
            "missing_at_hq": len(post_seqs - hq_seqs),
            "backlog": status["backlog"],
            "devices": devices,
            "lanes": status["lanes"],
        }


STOP_GRACE = 5.0
"""Seconds the children have, all together, to stop on SIGTERM before SIGKILL."""


def _terminate(children: list[Child]) -> None:
    """SIGTERM to each running child's process group, all at once, then SIGKILL to those still
    running after :data:`STOP_GRACE`: the demo stops within seconds however many children are
    slow to (one after another, each with a grace of its own, six could take half a minute)."""
    running = [c for c in children if c.proc.poll() is None]
    for child in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for child in running:
        try:
            child.proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.proc.pid, signal.SIGKILL)
            child.proc.wait()


def _free_port() -> int:
    """A loopback TCP port that was free a moment ago (for the Modbus RPM simulator)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_demo(args: argparse.Namespace) -> int:
    """Prepare, start, then run the console (or wait ``--duration`` when headless)."""
    demo = Demo(Path(args.dir), rate=args.rate, seed=args.seed, rpm_vendor=args.rpm_vendor,
                rates=DemoRates.from_args(args))  # fmt: skip
    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, _stop_on_signal)
    try:
        demo.prepare()
        demo.start()
        if args.headless:
            return _headless(demo, args)
        return _console(demo)
    except KeyboardInterrupt:
        return 130
    except (DemoStopped, OSError, RuntimeError) as exc:  # a dead daemon's socket is an OSError
        print(f"demo: {_why(demo, exc)}", file=sys.stderr)
        return 1
    finally:
        demo.stop()


def _why(demo: Demo, exc: BaseException) -> str:
    """Why the demo ended early: the daemon's death (with its log) if that was the cause."""
    try:
        demo.check_daemon()
    except DemoStopped as stopped:
        return str(stopped)
    return str(exc)


def _headless(demo: Demo, args: argparse.Namespace) -> int:
    print(f"Post: {_reach_the_post(demo)}", file=sys.stderr, flush=True)
    if demo.hq_console:
        print(f"HQ console: {demo.hq_console}", file=sys.stderr, flush=True)
    demo.watch(args.duration)
    devices = demo.device_states()
    demo.stop_simulators()
    status = demo.wait_drained(timeout=60)
    summary = demo.summary(status, devices)
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"events {summary['events']}, alerts {summary['alerts']}, acknowledged by HQ "
            f"{summary['acknowledged_by_hq']}, missing at HQ {summary['missing_at_hq']}"
        )
    return 0 if summary["missing_at_hq"] == 0 else 1


def _reach_the_post(demo: Demo) -> str:
    """How to look at the running post from another terminal (headless: no console of its own)."""
    officer, tech = DEMO_OFFICER, DEMO_TECHNICIAN
    return (
        f"borderpost status --state-dir {demo.post_dir}, borderpost tui --state-dir "
        f"{demo.post_dir} (officer {officer[0]}, PIN {officer[3]}; technician {tech[0]}, "
        f"PIN {tech[3]})"
    )


def _console(demo: Demo) -> int:
    officer_id, _, _, pin = DEMO_OFFICER
    print(
        f"Demo running in {demo.root}. Officer {officer_id}, PIN {pin}; "
        f"technician {DEMO_TECHNICIAN[0]}, PIN {DEMO_TECHNICIAN[3]}. Quit the console to stop."
    )
    if demo.hq_console:
        print(f"HQ console: {demo.hq_console}")
    env = {**os.environ, "BORDERPOST_OFFICER": officer_id, "BORDERPOST_PIN": pin}
    return subprocess.call(
        [sys.executable, "-m", "edge", "tui", "--socket", str(demo.socket)], env=env
    )
