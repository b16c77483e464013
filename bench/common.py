"""What the latency benchmarks share: a free port, a daemon with one device, a logged-in
API client, percentiles."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_daemon(state: Path, device: str, *extra: str) -> subprocess.Popen[bytes]:
    """``borderpost run`` in ``state/s`` with the one ``[[devices]]`` table ``device``."""
    config = state / "borderpost.toml"
    config.write_text(f"[[devices]]\n{device}")
    log = (state / "daemon.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "edge", "run", "--state-dir", str(state / "s"),
         "--config", str(config), *extra],
        stdout=subprocess.DEVNULL, stderr=log, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip


def login(state: Path, kinds: Sequence[str], wait: float = 30.0) -> Any:
    """Wait for the daemon in ``state/s``, add an officer, log in and subscribe to ``kinds``."""
    from edge.api.client import ApiClient
    from edge.store import Store, officers

    sock = state / "s" / "api.sock"
    deadline = time.monotonic() + wait
    while not sock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    store = Store.open(state / "s" / "events.db")
    officers.add(store, "bench", "Bench", "officer", "1234", "bench")
    store.close()
    client = ApiClient(sock, timeout=10)
    client.call("login", officer_id="bench", pin="1234")
    client.call("subscribe", kinds=list(kinds))
    return client


def percentiles(ms: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max of a list of milliseconds (NaN for none)."""
    ms = sorted(ms) or [float("nan")]

    def pick(q: float) -> float:
        return ms[min(len(ms) - 1, int(q * len(ms)))]

    return {"p50_ms": round(pick(0.5), 2), "p95_ms": round(pick(0.95), 2),
            "p99_ms": round(pick(0.99), 2), "max_ms": round(ms[-1], 2), "n": len(ms)}  # fmt: skip
