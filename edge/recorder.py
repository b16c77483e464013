"""The one write-and-publish path: every event goes to disk, then to the console and uplink.

Whoever writes an event — a device reading, an adjudication, an officer
admin action, a login, an outbox eviction — writes it through the store's
one writer thread (``edge/store/writer.py``). The ``StoreRecorder`` listens
to that writer: after each group commit it hands the group's events, in
commit order, to ``publish`` on the daemon's event loop. So nothing is
published before it is on disk, and nothing written is left unpublished.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from edge.store import NewAlert, NewEvent, Recorded, Store

log = logging.getLogger("borderpost.recorder")


class Recorder(Protocol):
    """What the rest of the daemon needs to record events (the composition root wires it)."""

    def record(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> Recorded:
        """Write an event with its alerts; return once it is on disk."""
        ...

    async def record_async(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> Recorded:
        """Write an event with its alerts without blocking the loop; resume once on disk."""
        ...

    def submit(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> asyncio.Future[Recorded]:
        """Queue an event now (calls keep their order); the future resolves once on disk."""
        ...


class StoreRecorder:
    """``Recorder`` over the event store; publishes each committed event on the loop."""

    def __init__(self, store: Store, publish: Callable[[Recorded], None]) -> None:
        self.store = store
        self._publish = publish
        self._loop: asyncio.AbstractEventLoop | None = None
        store.subscribe(self._committed)

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Publish on ``loop`` from now on (until then, on the writer thread)."""
        self._loop = loop

    def record(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> Recorded:
        """Write an event with its alerts; return once it is on disk."""
        return self.store.record(event, alerts)

    async def record_async(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> Recorded:
        """Write an event with its alerts off the loop; resume once it is on disk."""
        return await self.submit(event, alerts)

    def submit(self, event: NewEvent, alerts: Sequence[NewAlert] = ()) -> asyncio.Future[Recorded]:
        """Queue an event now (calls keep their order); the future resolves once on disk."""
        return asyncio.wrap_future(self.store.submit_record(event, alerts))

    def _committed(self, group: list[Recorded]) -> None:
        """On the writer thread, right after a commit: hand the group to the loop."""
        loop = self._loop
        if loop is None:
            self._publish_all(group)
            return
        try:
            loop.call_soon_threadsafe(self._publish_all, group)
        except RuntimeError:  # the loop has closed: the daemon is stopping
            log.debug("loop closed; %d events stay unpublished (they are on disk)", len(group))

    def _publish_all(self, group: list[Recorded]) -> None:
        for recorded in group:
            try:
                self._publish(recorded)
            except Exception:
                log.exception("publishing event %d failed", recorded.event.seq)
