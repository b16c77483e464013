"""Nothing waits for a commit on the daemon's loop, and watchlist.db has one owner.

A real store whose writer is held busy by a slow job stands for a slow disk:
while it is busy, the loop must go on serving (a 50 ms tick still fires).
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from drivers.base import Reading
from edge import ingest as ingest_module
from edge.config import ScreeningSettings, settings_from_mapping
from edge.daemon import Daemon, build_post
from edge.screening import ScreeningService
from edge.store import NewEvent
from edge.watchlist.db import Watchlist

HOLD_S = 0.6


async def _hold_writer(post: Daemon) -> None:
    """Keep the store's writer busy for ``HOLD_S`` (a slow fsync), from now on."""
    started = threading.Event()

    def slow(_tx: object) -> None:
        started.set()
        time.sleep(HOLD_S)

    post.store.submit(slow)
    await asyncio.get_running_loop().run_in_executor(None, started.wait)


async def _ticks_while(awaitable: asyncio.Future[object] | asyncio.Task[object]) -> int:
    """How many 50 ms ticks the loop ran while ``awaitable`` was pending."""
    ticks = 0
    while not awaitable.done():
        await asyncio.sleep(0.05)
        ticks += 1
    return ticks


def _run(tmp_path: Path, body: object) -> None:
    post = build_post(settings_from_mapping({}), tmp_path)

    async def main() -> None:
        post.recorder.attach(asyncio.get_running_loop())
        await body(post)  # type: ignore[operator]

    try:
        asyncio.run(main())
    finally:
        post.screening.close()
        post.store.close()


def test_a_manual_reading_awaits_its_commit_off_the_loop(tmp_path: Path) -> None:
    async def body(post: Daemon) -> None:
        await _hold_writer(post)
        reading = Reading.of("manual", {"document_number": "X1"})
        task = asyncio.ensure_future(post.pipeline.ingest(reading, lane="1", device="manual"))
        assert await _ticks_while(task) >= 5  # the loop ran on while the disk was busy
        assert task.result().event.seq == post.store.last_seq()

    _run(tmp_path, body)


def test_an_event_of_the_daemon_is_queued_without_waiting(tmp_path: Path) -> None:
    async def body(post: Daemon) -> None:
        await _hold_writer(post)
        started = time.monotonic()
        post.pipeline.record(NewEvent("device.ok", {"name": "mrz-1", "state": "ok"}))
        assert time.monotonic() - started < HOLD_S / 3
        await asyncio.sleep(HOLD_S + 0.3)
        event = post.store.get_event(post.store.last_seq())
        assert event is not None and event.kind == "device.ok"

    _run(tmp_path, body)


def test_the_outbox_cap_is_checked_in_a_worker_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[threading.Thread] = []

    def enforce_cap(*_: object) -> int:
        checked.append(threading.current_thread())
        return 0

    monkeypatch.setattr(ingest_module, "CAP_CHECK_EVERY", 2)
    monkeypatch.setattr(ingest_module, "enforce_cap", enforce_cap)

    async def body(post: Daemon) -> None:
        for n in range(4):
            reading = Reading.of("manual", {"document_number": f"X{n}"})
            await post.pipeline.ingest(reading, lane="1", device="manual")
        await asyncio.sleep(0.2)

    _run(tmp_path, body)
    assert checked and all(t is not threading.main_thread() for t in checked)


def test_the_watchlist_has_one_owner_that_opens_it_afresh_after_an_update(
    tmp_path: Path,
) -> None:
    owner = ScreeningService(tmp_path, ScreeningSettings())
    try:
        before = owner.watchlist
        assert owner.version() == 0 and owner.path == tmp_path / "watchlist.db"
        applier = Watchlist.open(owner.path)  # as the update's child process does
        with applier.change(version=4, note="test"):
            pass
        applier.close()
        assert owner.reopen() is True
        assert owner.version() == 4 and owner.watchlist is not before
        assert before.version == 4  # the old handle was dropped, not closed under a user
    finally:
        owner.close()
