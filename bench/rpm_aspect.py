"""The Aspect parts of ``bench/rpm.py``: polling, reconnect and occupancy → event latency.

A pymodbus server (the simulator's, ``drivers/rpm/aspect_sim.py``) runs in a
thread of this process; the bench writes its registers directly, so it knows
when an occupancy ended and when the portal came back.

- Polling: an ``AspectSource`` (the daemon's own poller) reads it for
  ``seconds``; missed polls are 200 ms slots without an answer.
- Reconnect: the server is shut down for 6 s and started again, ``cycles``
  times; the figure is the time from its restart to the next poll answered.
- Latency: a real ``borderpost run`` polls the portal; per occupancy, the time
  from the poll that saw the occupancy end (the event's ``end``) to the
  ``rpm.occupancy`` event on the local API, and from the register change to it
  (which adds the wait for the next poll, up to 200 ms); and the driver's own
  share (the poller in this process: that poll → the reading handed on).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import common
from bench.common import free_port, login, percentiles
from drivers.rpm import aspect_sim
from drivers.rpm.aspect import MONITOR_ADDRESS, Channel, Sample, encode_monitor
from drivers.rpm.aspect_device import AspectSource

TARGET_MISSED = 0.01
TARGET_RECONNECT_S = 5.0
TARGET_P99_MS = 50.0
GAMMA_BG = 306.0  # counts per poll (1530 cps)


def sample(occupied: bool, counter: int, gamma: int = 306) -> list[int]:
    """The monitor registers of a quiet portal, occupied or not."""
    s = Sample(0, 0x41 if occupied else 0, Channel(0x80, gamma, GAMMA_BG, GAMMA_BG),
               Channel(0x80, 1, 1.24, 1.24), counter, 0, 2222 if occupied else 0, 0)  # fmt: skip
    return list(encode_monitor(s))


class Portal:
    """A simulated Aspect portal on its own event loop thread."""

    def __init__(self, port: int, unit: int = 1) -> None:
        self.port, self.unit = port, unit
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.server: Any = None
        self.up()

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def up(self) -> None:
        """Start answering (again)."""
        self.server = self._call(aspect_sim.start_server("127.0.0.1", self.port, self.unit))
        self.set(sample(False, 0))

    def down(self) -> None:
        """Drop every connection and stop listening."""
        self._call(self.server.shutdown())

    def set(self, regs: list[int]) -> None:
        """Write the monitor block."""
        self._call(self.server.async_setValues(self.unit, 16, MONITOR_ADDRESS, regs))

    def close(self) -> None:
        """Stop the server and its loop."""
        self.down()
        self.loop.call_soon_threadsafe(self.loop.stop)


def polling(seconds: float, cycles: int) -> dict[str, Any]:
    """Missed polls over ``seconds`` and the reconnect time after ``cycles`` outages."""
    port = free_port()
    portal = Portal(port)
    source = AspectSource(f"modbus://127.0.0.1:{port}", {"unit": 1}, lambda _r: None)
    source.start()
    try:
        time.sleep(seconds)
        polls, missed = source.monitor.polls, source.monitor.missed
        reconnect = [_reconnect(portal, source) for _ in range(cycles)]
    finally:
        source.stop()
        portal.close()
    share = missed / max(polls + missed, 1)
    return {
        "seconds": seconds, "polls": polls, "missed": missed, "missed_share": round(share, 5),
        "polls_per_s": round(polls / seconds, 2), "target_missed_share": TARGET_MISSED,
        "reconnect_s": [round(r, 2) for r in reconnect], "target_reconnect_s": TARGET_RECONNECT_S,
        "meets_target": share < TARGET_MISSED and max(reconnect) <= TARGET_RECONNECT_S,
    }  # fmt: skip


def _reconnect(portal: Portal, source: AspectSource) -> float:
    portal.down()
    time.sleep(aspect_sim.DISCONNECT_S)
    portal.up()
    back, before = time.monotonic(), source.monitor.polls
    while source.monitor.polls == before and time.monotonic() - back < 60:
        time.sleep(0.01)
    return time.monotonic() - back


def latency(occupancies: int) -> dict[str, Any]:
    """Occupancy end → ``rpm.occupancy`` event on the API of a real daemon."""
    port = free_port()
    portal = Portal(port)
    after_poll, after_change = [], []
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        device = f'name = "aspect-1"\nkind = "rpm"\nurl = "modbus://127.0.0.1:{port}"\n'
        proc = common.start_daemon(state, device + "[devices.options]\nunit = 1\n")
        try:
            client = login(state, ["rpm.occupancy"])
            time.sleep(1.0)
            for i in range(1, occupancies + 1):
                a, b = _one(portal, client, i)
                after_poll.append(a)
                after_change.append(b)
            client.close()
        finally:
            proc.terminate()
            proc.wait(10)
            portal.close()
    p = percentiles(after_poll)
    return {
        "occupancies": occupancies, "poll_to_event": p,
        "register_change_to_event": percentiles(after_change),
        "target_p99_ms": TARGET_P99_MS, "meets_target": p["p99_ms"] <= TARGET_P99_MS,
    }  # fmt: skip


def driver_latency(occupancies: int) -> dict[str, Any]:
    """The driver's own share: the poll that saw the occupancy end → the reading handed to the
    daemon (``AspectSource`` in this process, neutron thresholds cached after the first)."""
    port = free_port()
    portal = Portal(port)
    handed: list[tuple[float, Any]] = []

    def deliver(reading: Any) -> None:
        if reading.kind == "rpm.occupancy":
            handed.append((time.time(), reading.body.end))

    source = AspectSource(f"modbus://127.0.0.1:{port}", {"unit": 1}, deliver)
    source.start()
    try:
        time.sleep(1.0)
        for i in range(1, occupancies + 1):
            portal.set(sample(True, i))
            time.sleep(1.2 + random.uniform(0, 0.2))
            portal.set(sample(False, i))
            time.sleep(0.4)
    finally:
        source.stop()
        portal.close()
    ms = [(t - datetime.fromisoformat(end.replace("Z", "+00:00")).timestamp()) * 1000
          for t, end in handed]  # fmt: skip
    return {"occupancies": len(ms), "poll_to_reading": percentiles(ms)}


def _one(portal: Portal, client: Any, number: int) -> tuple[float, float]:
    portal.set(sample(True, number))
    time.sleep(1.2 + random.uniform(0, 0.2))  # no phase lock with the 200 ms polls
    portal.set(sample(False, number))
    changed = time.perf_counter()
    while True:
        event = client.next_event()
        if event["payload"].get("occupancy") == number:
            break
    now_ms, wall = time.perf_counter(), time.time()
    end = datetime.fromisoformat(event["payload"]["end"].replace("Z", "+00:00")).timestamp()
    time.sleep(0.4)
    return (wall - end) * 1000, (now_ms - changed) * 1000
