"""Device supervision: one task per configured device, restarted with back-off.

A device that cannot be opened, disappears or whose decoder fails becomes a
visible fault (an event and a device state), then is retried; it never takes
the daemon down. Supervision itself never ends but by ``stop``: an exception
from the state callback (the store refusing a write on a full disk, say) or
from any step of the loop is logged once per burst and the device is retried
with back-off; ``reconnect`` restarts a supervisor that has ended anyway.
The driver comes from ``drivers.registry``; a byte-stream device's URL is
opened and decoded by ``drivers.transport``, a camera or HID scanner reads in
its own thread. This module only supervises.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from drivers.base import Reading
from drivers.registry import SourceFactory, spec_for
from drivers.transport import Line, decode_stream, open_stream
from edge.config import DeviceSettings

log = logging.getLogger("borderpost.devices")
RAW_FRAMES = 200
BURST_S = 60.0


class BurstLog:
    """Logs a recurring failure once per burst: the first, then a count every ``BURST_S``."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.quiet_until = 0.0
        self.suppressed = 0

    def failed(self, exc: BaseException) -> None:
        """Log ``exc`` (with its traceback) unless a line went out less than ``BURST_S`` ago."""
        now = time.monotonic()
        if now < self.quiet_until:
            self.suppressed += 1
            return
        more = f" ({self.suppressed} more since the last line)" if self.suppressed else ""
        log.error("%s failed%s: %r", self.what, more, exc, exc_info=exc)
        self.quiet_until, self.suppressed = now + BURST_S, 0


def line_of(d: DeviceSettings) -> Line:
    """The serial line settings of a device."""
    return Line(d.baudrate, d.bytesize, d.parity, d.stopbits)


class DeviceRunner:
    """Runs one device: open, read, decode, hand readings on; back off on failure."""

    def __init__(
        self,
        settings: DeviceSettings,
        on_reading: Callable[[DeviceRunner, Reading], None],
        on_state: Callable[[DeviceRunner, str, str | None], None],
        backoff_max: float,
    ):
        self.settings = settings
        self.on_reading = on_reading
        self.on_state = on_state
        self.backoff_max = backoff_max
        self.state = "starting"
        self.fault: str | None = None
        self.readings = 0
        self.errors = 0
        self.restarts = 0
        self.last_seen: float | None = None
        self.raw: collections.deque[tuple[float, str]] = collections.deque(maxlen=RAW_FRAMES)
        self._task: asyncio.Task[None] | None = None
        self._reconnect = asyncio.Event()
        self._trouble = BurstLog(f"supervising device {settings.name}")

    def start(self) -> None:
        """Start supervising (a disabled device only reports so)."""
        if not self.settings.enabled:
            self._set("disabled", None)
            return
        self._task = asyncio.create_task(self._supervise(), name=f"device:{self.settings.name}")
        self._task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:  # a bug: say so, loudly
            log.critical("device %s: supervision ended: %r", self.settings.name, task.exception())

    async def stop(self) -> None:
        """Stop and wait for the device task."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def reconnect(self) -> None:
        """Drop the connection now and open it again (restarting supervision if it ended)."""
        self._reconnect.set()
        if self._task is not None and self._task.done() and not self._task.cancelled():
            self.start()

    def as_json(self) -> dict[str, Any]:
        """The device's state for the API and HQ."""
        s = self.settings
        return {
            "name": s.name,
            "kind": s.kind,
            "lane": s.lane,
            "url": s.url,
            "state": self.state,
            "last_seen": self.last_seen,
            "readings": self.readings,
            "errors": self.errors,
            "fault": self.fault,
            "restarts": self.restarts,
        }

    def _set(self, state: str, fault: str | None) -> None:
        changed = (state, fault) != (self.state, self.fault)
        self.state, self.fault = state, fault
        if changed:
            try:
                self.on_state(self, state, fault)
            except Exception as exc:  # the state is kept; the device goes on
                self._trouble.failed(exc)

    async def _supervise(self) -> None:
        delay = 0.5
        while True:
            started = time.monotonic()
            try:
                await self._run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._faulted(exc)
            if time.monotonic() - started > 30:
                delay = 0.5
            self.restarts += 1
            self._reconnect.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._reconnect.wait(), delay)
            delay = min(delay * 2, self.backoff_max)

    def _faulted(self, exc: Exception) -> None:
        """Count and show a fault (``_set`` never raises: supervision goes on)."""
        self.errors += 1
        self._set("fault", f"{type(exc).__name__}: {str(exc)[:200]}")
        log.warning("device %s fault: %s", self.settings.name, self.fault)

    async def _run_once(self) -> None:
        spec = spec_for(self.settings.kind, self.settings.url)
        if spec.source is not None:
            await self._run_source(spec.source)
            return
        assert spec.decoder is not None, f"driver {spec.kind} has neither decoder nor source"
        decoder = spec.decoder(self.settings.options)
        stream = await open_stream(self.settings.url, line_of(self.settings))
        self._set("ok", None)
        try:
            await decode_stream(
                stream.reader, decoder, self._emit, received=self._received, until=self._reconnect
            )
        finally:
            stream.close()
        raise ConnectionResetError("reconnect requested")

    def _received(self, data: bytes) -> None:
        self.last_seen = time.time()
        self.raw.append((self.last_seen, data.hex()))

    def _emit(self, readings: list[Reading]) -> None:
        for reading in readings:
            self.readings += 1
            try:
                self.on_reading(self, reading)
            except Exception as exc:  # the next reading is handed on all the same
                self.errors += 1
                self._trouble.failed(exc)

    async def _run_source(self, factory: SourceFactory) -> None:
        """A device that is not a byte stream runs its own thread and delivers readings."""
        loop = asyncio.get_running_loop()

        def deliver(reading: Reading) -> None:
            loop.call_soon_threadsafe(self._emit, [reading])

        source = factory(self.settings.url, self.settings.options, deliver)
        await loop.run_in_executor(None, source.start)
        self._set("ok", None)
        try:
            await self._reconnect.wait()
        finally:
            await loop.run_in_executor(None, source.stop)
        raise ConnectionResetError("reconnect requested")


class DevicePool:
    """The post's device runners by name, in configuration order (``edge.services.Devices``)."""

    def __init__(
        self,
        on_reading: Callable[[DeviceRunner, Reading], None],
        on_state: Callable[[DeviceRunner, str, str | None], None],
        backoff_max: float,
    ) -> None:
        self._on_reading, self._on_state = on_reading, on_state
        self.backoff_max = backoff_max
        self._runners: dict[str, DeviceRunner] = {}

    def start(self, devices: Sequence[DeviceSettings]) -> None:
        """Create and start a runner for every device (inside the event loop)."""
        for d in devices:
            self._start(d)

    def _start(self, d: DeviceSettings) -> None:
        runner = DeviceRunner(d, self._on_reading, self._on_state, self.backoff_max)
        self._runners[d.name] = runner
        runner.start()

    def get(self, name: str) -> DeviceRunner | None:
        """The runner of device ``name``, or None."""
        return self._runners.get(name)

    def all(self) -> list[DeviceRunner]:
        """Every runner, in configuration order."""
        return list(self._runners.values())

    async def replace(self, d: DeviceSettings) -> None:
        """Stop device ``d.name`` and start it again with settings ``d``."""
        old = self._runners.pop(d.name, None)
        if old is not None:
            await old.stop()
        self._start(d)

    async def stop(self, timeout: float = 1.0) -> None:
        """Stop every runner within ``timeout``."""
        stops = (r.stop() for r in self._runners.values())
        await asyncio.wait_for(asyncio.gather(*stops, return_exceptions=True), timeout)
