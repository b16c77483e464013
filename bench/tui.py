"""Console benchmark: swipe-to-row and key-press-to-screen latency under load.

Prints one JSON document. A real ``borderpost run`` has one barcode scanner on
``socket://`` whose far end is this program (the simulated scanner); the console
(``tui.app.BorderpostApp``, headless at 80x24, Textual's pilot) talks to the
daemon over its socket as in production.

- swipe -> row: from writing a scan on the scanner line to its row being in the
  live lane's table and the screen refreshed (target p95 <= 300 ms). Peer: the
  same scan's event pushed on a bare API connection (no console).
- key -> screen: F3/F2 switch between the alerts and lane screens while 20
  scans/s arrive for ``--seconds`` (target p95 <= 100 ms). Peer: the same key
  presses with no traffic.

    .venv/bin/python bench/tui.py [--swipes 100] [--seconds 60] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from bench.common import percentiles  # noqa: E402
from edge.api.client import ApiClient  # noqa: E402
from edge.store import Store, officers  # noqa: E402
from tui.app import BorderpostApp  # noqa: E402
from tui.client import DaemonClient  # noqa: E402
from tui.rowlist import RowList  # noqa: E402
from tui.screens.alerts import AlertsScreen  # noqa: E402
from tui.screens.lane import LaneScreen  # noqa: E402

SWIPE_TARGET_P95_MS = 300.0
KEY_TARGET_P95_MS = 100.0


class Post:
    """A daemon with one scanner whose line this object writes."""

    def __init__(self, tmp: Path) -> None:
        server = socket.create_server(("127.0.0.1", 0))
        server.settimeout(20)
        port = server.getsockname()[1]
        config = tmp / "borderpost.toml"
        config.write_text(
            f'[[devices]]\nname = "scan-1"\nkind = "scanner"\nlane = "1"\n'
            f'url = "socket://127.0.0.1:{port}"\n[devices.options]\nsuffix = "cr"\n'
        )
        self.state = tmp / "state"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "edge", "run", "--state-dir", str(self.state),
             "--config", str(config), "--allow-inject"],
            stdout=subprocess.DEVNULL, stderr=(tmp / "daemon.log").open("wb"), cwd=ROOT,
        )  # fmt: skip
        self.line, _ = server.accept()
        self.socket = self.state / "api.sock"
        while not self.socket.exists():
            time.sleep(0.05)
        store = Store.open(self.state / "events.db")
        officers.add(store, "bench", "Bench", "officer", "1234", "bench")
        store.close()
        self.lock = threading.Lock()

    def swipe(self, text: str) -> None:
        """One scan on the wire."""
        with self.lock:
            self.line.sendall(text.encode() + b"\r")

    def stop(self) -> None:
        """Stop the daemon."""
        self.line.close()
        self.proc.terminate()
        self.proc.wait(10)


def container(i: int) -> str:
    """A valid ISO 6346 container number (check digit computed)."""
    owner, serial = "BPTU", f"{i % 1_000_000:06d}"
    values = {c: v for c, v in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
              [10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31,
               32, 34, 35, 36, 37, 38], strict=True)}  # fmt: skip
    digits = [values[c] for c in owner] + [int(d) for d in serial]
    check = sum(d * 2**k for k, d in enumerate(digits)) % 11 % 10
    return f"{owner}{serial}{check}"


def peer_swipes(post: Post, n: int) -> list[float]:
    """Scan -> event pushed on a bare API connection (no console)."""
    client = ApiClient(post.socket, timeout=10)
    client.call("login", officer_id="bench", pin="1234")
    client.call("subscribe", kinds=["barcode"])
    out = []
    for i in range(n):
        text = container(900_000 + i)
        start = time.perf_counter()
        post.swipe(text)
        while client.next_event()["payload"].get("text") != text:
            pass
        out.append((time.perf_counter() - start) * 1000)
    client.close()
    return out


def _has_row(lane: LaneScreen, text: str) -> bool:
    """The scan is on screen: the row of its crossing (with its verdict) is in the table."""
    table = lane.query_one("#lane-table", RowList)
    for event in lane.events[-5:]:
        crossing = lane.book.of(event["seq"]) if event["payload"].get("text") == text else None
        if crossing is not None and table.has_row(crossing.key):
            return True
    return False


def _shown(app: Any, screen: type) -> bool:
    """The screen is current and has been painted since it became so."""
    return (
        isinstance(app.screen, screen) and app.screen.is_mounted and not app.screen._dirty_widgets
    )


async def wait_until(pilot: Pilot[Any], check: Any, timeout: float = 10.0) -> None:
    """Poll (letting the app run) until ``check()``."""
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the console did not show it in time")
        await asyncio.sleep(0.002)


async def login(pilot: Pilot[Any]) -> None:
    """Log in as the bench officer."""
    app = pilot.app
    assert isinstance(app, BorderpostApp)
    await wait_until(pilot, lambda: app.link_up)
    app.screen.query_one("#officer-id", Input).value = "bench"
    app.screen.query_one("#pin", Input).value = "1234"
    app.screen.query_one("#pin", Input).focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, LaneScreen))


async def swipes(pilot: Pilot[Any], post: Post, n: int) -> list[float]:
    """Scan -> row in the lane table, screen refreshed."""
    out = []
    for i in range(n):
        text = container(i)
        lane = pilot.app.screen
        assert isinstance(lane, LaneScreen)
        start = time.perf_counter()
        await asyncio.to_thread(post.swipe, text)
        await wait_until(pilot, lambda lane=lane, text=text: _has_row(lane, text))
        await pilot.pause()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def keys(pilot: Pilot[Any], seconds: float) -> list[float]:
    """F3 / F2 round trips for ``seconds``; time from key to the new screen refreshed."""
    out, end = [], time.perf_counter() + seconds
    app = pilot.app
    while time.perf_counter() < end:
        for key, screen in (("f3", AlertsScreen), ("f2", LaneScreen)):
            start = time.perf_counter()
            app.post_message(events.Key(key, None))  # as the terminal driver does
            await wait_until(pilot, lambda s=screen: _shown(app, s))
            out.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.05)
    return out


def traffic(post: Post, rate: float, stop: threading.Event) -> None:
    """``rate`` scans per second until ``stop``."""
    i, period, next_at = 500_000, 1.0 / rate, time.perf_counter()
    while not stop.is_set():
        post.swipe(container(i))
        i += 1
        next_at += period
        time.sleep(max(0.0, next_at - time.perf_counter()))


async def console(post: Post, args: argparse.Namespace) -> dict[str, Any]:
    """All console measurements in one app run."""
    app = BorderpostApp(DaemonClient(post.socket), theme="ansi")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        swipe_ms = await swipes(pilot, post, args.swipes)
        idle_ms = await keys(pilot, min(5.0, args.seconds))
        stop = threading.Event()
        feeder = threading.Thread(target=traffic, args=(post, args.rate, stop), daemon=True)
        feeder.start()
        loaded_ms = await keys(pilot, args.seconds)
        stop.set()
        feeder.join()
        rows = app.screen.query_one("#lane-table", RowList).row_count
    return {"swipe": swipe_ms, "idle": idle_ms, "loaded": loaded_ms, "rows_kept": rows}


def main() -> None:
    """Run and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swipes", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=20.0, help="scans per second under load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        post = Post(Path(tmp))
        try:
            measured = asyncio.run(console(post, args))
            peer = peer_swipes(post, args.swipes)
        finally:
            post.stop()
    swipe, loaded = percentiles(measured["swipe"]), percentiles(measured["loaded"])
    print(json.dumps({
        "benchmark": "tui",
        "machine": {"platform": platform.platform(), "machine": platform.machine(),
                    "python": platform.python_version(), "cpus": os.cpu_count(),
                    "load": os.getloadavg()},
        "swipe_to_row": swipe,
        "peer_swipe_to_api_event": percentiles(peer),
        "key_to_screen_under_load": loaded | {"events_per_s": args.rate, "seconds": args.seconds},
        "peer_key_to_screen_idle": percentiles(measured["idle"]),
        "lane_rows_kept": measured["rows_kept"],
        "targets": {"swipe_p95_ms": SWIPE_TARGET_P95_MS, "key_p95_ms": KEY_TARGET_P95_MS},
        "meets_targets": swipe["p95_ms"] <= SWIPE_TARGET_P95_MS
        and loaded["p95_ms"] <= KEY_TARGET_P95_MS,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
