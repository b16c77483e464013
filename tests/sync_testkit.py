"""Shared pieces of the sync tests: a real Mosquitto fixture, an in-memory outbox, HQ helpers.

Import the fixtures into a test module with
``from sync_testkit import pki, broker  # noqa: F401``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sync import ca, keys
from sync.broker.run import Broker, Pki, make_pki
from sync.hq.receiver import Receiver, ReceiverConfig
from sync.hq.store import HqStore
from sync.outbox import OutboundEvent
from sync.uplink import Uplink, UplinkConfig

POSTS = ("post-01", "post-02")


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A test CA with broker, HQ and two post certificates (made once per session)."""
    return make_pki(tmp_path_factory.mktemp("pki"), POSTS)


@pytest.fixture
def broker(tmp_path: Path, pki: Pki) -> Iterator[Broker]:
    """A real Mosquitto with the demo configuration on a free loopback port."""
    with Broker(tmp_path / "broker", pki) as b:
        yield b


class MemoryOutbox:
    """An ``OutboxSource`` in memory, thread-safe; ``add`` plays the daemon."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[int, OutboundEvent] = {}
        self._next = 1
        self.acked: list[int] = []

    def add(
        self, n: int = 1, priority: int = 0, kind: str = "rpm.reading", pad: int = 0
    ) -> list[int]:
        """Append ``n`` events (``pad`` hex characters of padding each); return their sequences."""
        with self._lock:
            seqs = []
            for _ in range(n):
                seq = self._next
                self._next += 1
                self._rows[seq] = make_event(seq, priority, kind, pad)
                seqs.append(seq)
            return seqs

    def pending(
        self, *, limit: int, max_bytes: int, exclude: Sequence[int] = ()
    ) -> list[OutboundEvent]:
        with self._lock:
            skip = set(exclude)
            rows = sorted(
                (e for s, e in self._rows.items() if s not in skip),
                key=lambda e: (-e.priority, e.seq),
            )
            return rows[:limit]

    def acknowledge(self, seqs: Sequence[int]) -> None:
        with self._lock:
            for s in seqs:
                if self._rows.pop(s, None) is not None:
                    self.acked.append(s)

    def backlog(self) -> int:
        with self._lock:
            return len(self._rows)

    def evicted(self) -> int:
        return 0


def make_event(
    seq: int, priority: int = 0, kind: str = "rpm.reading", pad: int = 0
) -> OutboundEvent:
    """A realistic event: RPM background readings, or an alert with hits (``pad``: that many
    characters of random hex besides, which compress only about half)."""
    payload: dict[str, Any]
    if priority >= 2:
        payload = {
            "summary": "watchlist hit: document L898902C3",
            "hits": [
                {
                    "list": "national",
                    "entry": "E-1042",
                    "kind": "document",
                    "number": "L898902C3",
                    "issuer": "UTO",
                    "score": 1.0,
                }
            ],
            "reading_seq": max(1, seq - 1),
        }
    else:
        payload = {"gamma_cps": 120 + seq % 17, "neutron_cps": seq % 3, "state": "background"}
    if pad:
        payload["pad"] = os.urandom(pad // 2 + 1).hex()[:pad]
    return OutboundEvent(
        seq=seq,
        uuid=str(uuid.uuid4()),
        kind=kind if priority < 2 else "alert.watchlist",
        priority=priority,
        wall_time=1_764_000_000.0 + seq * 0.2,
        mono_time=5000.0 + seq * 0.2,
        clock_synced=True,
        lane="lane-1",
        device="rpm-1",
        payload=payload,
    )


def hq_store(tmp_path: Path, post_keys: dict[str, bytes], url: str | None = None) -> HqStore:
    """An HQ database (SQLite, or PostgreSQL at ``url``) with the given posts registered."""
    store = HqStore(url or tmp_path / "hq" / "hq.db")
    for post, raw in post_keys.items():
        store.add_post(post, raw)
    return store


def post_key() -> tuple[Any, bytes]:
    """A fresh post signing key and its raw public key."""
    key = keys.generate()
    return key, keys.raw_public(key.public_key())


def receiver_for(store: HqStore, broker: Broker) -> Receiver:
    """An HQ receiver on ``broker`` with the HQ certificate."""
    cert, key = broker.pki.client(ca.HQ_IDENTITY)
    cfg = ReceiverConfig(
        host=broker.host,
        port=broker.hq_port,
        ca_file=broker.pki.ca_file,
        cert_file=cert,
        key_file=key,
    )
    return Receiver(store, cfg)


def uplink_config(broker: Broker, post: str = "post-01", **sync: Any) -> UplinkConfig:
    """Uplink settings for ``post`` on ``broker`` (fast timeouts for tests)."""
    cert, key = broker.pki.client(post)
    section = {"batch_max_delay_s": 0.05, "ack_timeout_s": 2.0, **sync}
    return UplinkConfig.from_mapping(
        post,
        {
            "host": broker.host,
            "port": broker.port,
            "ca_file": str(broker.pki.ca_file),
            "cert_file": str(cert),
            "key_file": str(key),
            "keepalive_s": 5,
        },
        section,
    )


def post_toml(broker: Broker, post_id: str = "post-01", extra: str = "") -> str:
    """A post's configuration file for a real daemon on ``broker`` (``extra``: more TOML)."""
    cert, key = broker.pki.client(post_id)
    return f"""
[post]
id = "{post_id}"

[broker]
host = "{broker.host}"
port = {broker.port}
ca_file = "{broker.pki.ca_file}"
cert_file = "{cert}"
key_file = "{key}"
keepalive_s = 5
{extra}"""


def make_uplink(
    broker: Broker, outbox: MemoryOutbox, key: Any, post: str = "post-01", **sync: Any
) -> Uplink:
    """An uplink for ``post`` draining ``outbox``."""
    return Uplink(
        uplink_config(broker, post, **sync),
        outbox=outbox,
        signing_key=key,
        status=lambda: {"watchlist_version": 7},
    )


def wait_for(cond: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    """Poll ``cond`` until true; fail the test after ``timeout`` (a bound, not a speed check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _pg_tool(name: str) -> str | None:
    """A PostgreSQL server tool on PATH or in Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else None


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server on a free loopback port (skipped when none is installed)."""
    pytest.importorskip("psycopg")
    initdb, pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    from sync.broker.run import free_port

    base = Path(tempfile.mkdtemp(prefix="bp-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    data, port = base / "data", free_port()
    subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-U", "bp", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-l", str(base / "log"), "-o", opts, "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://bp@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    import psycopg

    name = f"hq_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
