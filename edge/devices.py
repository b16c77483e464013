"""Device supervision: one task per configured device, restarted with back-off.

A device that cannot be opened, disappears or whose decoder fails becomes a
visible fault (an event and a device state), then is retried; it never takes
the daemon down. Byte-stream devices are read in a small thread of their own
(pyserial is blocking) that hands bytes to the event loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import importlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import serial

from drivers.base import Decoder, Reading
from edge.config import DeviceSettings

log = logging.getLogger("borderpost.devices")
DECODER_MODULES = {
    "mrz": "drivers.mrz.device",
    "rpm": "drivers.rpm.device",
    "scanner": "drivers.barcode.device",
}
TICK_S = 0.1
RAW_FRAMES = 200


def make_decoder(kind: str, options: Mapping[str, Any]) -> Decoder:
    """The sans-IO decoder of a device kind (its driver validates ``options``)."""
    module = importlib.import_module(DECODER_MODULES[kind])
    decoder: Decoder = module.make_decoder(options)
    return decoder


def source_class(d: DeviceSettings) -> tuple[str, str] | None:
    """(module, class) of a device read by its own thread: cameras and HID scanners."""
    if d.kind == "camera":
        return "drivers.camera.device", "CameraSource"
    if d.kind == "scanner" and d.url.startswith("/dev/input/"):
        return "drivers.barcode.hid", "HidSource"
    return None


def open_port(d: DeviceSettings) -> serial.SerialBase:
    """Open a device URL: a tty path, ``socket://``, ``rfc2217://`` or ``loop://``."""
    return serial.serial_for_url(
        d.url,
        baudrate=d.baudrate,
        bytesize=d.bytesize,
        parity=d.parity,
        stopbits=d.stopbits,
        timeout=TICK_S,
        exclusive=True if d.url.startswith("/") else None,
    )


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

    def start(self) -> None:
        """Start supervising (a disabled device only reports so)."""
        if not self.settings.enabled:
            self._set("disabled", None)
            return
        self._task = asyncio.create_task(self._supervise(), name=f"device:{self.settings.name}")

    async def stop(self) -> None:
        """Stop and wait for the device task."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def reconnect(self) -> None:
        """Drop the connection now and open it again."""
        self._reconnect.set()

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
            self.on_state(self, state, fault)

    async def _supervise(self) -> None:
        delay = 0.5
        while True:
            started = time.monotonic()
            try:
                await self._run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.errors += 1
                self._set("fault", f"{type(exc).__name__}: {str(exc)[:200]}")
                log.warning("device %s fault: %s", self.settings.name, self.fault)
            if time.monotonic() - started > 30:
                delay = 0.5
            self.restarts += 1
            self._reconnect.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._reconnect.wait(), delay)
            delay = min(delay * 2, self.backoff_max)

    async def _run_once(self) -> None:
        source = source_class(self.settings)
        if source is not None:
            await self._run_source(*source)
            return
        decoder = make_decoder(self.settings.kind, self.settings.options)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | BaseException] = asyncio.Queue()
        stop = threading.Event()
        port = await loop.run_in_executor(None, open_port, self.settings)
        self._set("ok", None)
        reader = threading.Thread(
            target=_read_port,
            args=(port, queue, loop, stop),
            daemon=True,
            name=f"read:{self.settings.name}",
        )
        reader.start()
        try:
            await self._pump(decoder, queue)
        finally:
            stop.set()

    async def _pump(self, decoder: Decoder, queue: asyncio.Queue[bytes | BaseException]) -> None:
        while not self._reconnect.is_set():
            try:
                item = await asyncio.wait_for(queue.get(), TICK_S)
            except TimeoutError:
                item = b""
            if isinstance(item, BaseException):
                raise item
            now = time.monotonic()
            if item:
                self.last_seen = time.time()
                self.raw.append((self.last_seen, item.hex()))
                self._emit(decoder.feed(item, now))
            self._emit(decoder.tick(now))
        raise ConnectionResetError("reconnect requested")

    def _emit(self, readings: list[Reading]) -> None:
        for reading in readings:
            self.readings += 1
            self.on_reading(self, reading)

    async def _run_source(self, module_name: str, class_name: str) -> None:
        """A device that is not a byte stream runs its own thread and delivers readings."""
        module = importlib.import_module(module_name)
        loop = asyncio.get_running_loop()

        def deliver(reading: Reading) -> None:
            loop.call_soon_threadsafe(self._emit, [reading])

        source = getattr(module, class_name)(self.settings.url, self.settings.options, deliver)
        await loop.run_in_executor(None, source.start)
        self._set("ok", None)
        try:
            await self._reconnect.wait()
        finally:
            await loop.run_in_executor(None, source.stop)
        raise ConnectionResetError("reconnect requested")


def _waiting(port: serial.SerialBase) -> bytes:
    """Whatever else has arrived, without waiting.

    pyserial's ``socket://`` reports ``in_waiting`` as 0 or 1 (a select result),
    so for sockets read the socket itself without blocking.
    """
    sock = getattr(port, "_socket", None)
    if sock is None:
        return bytes(port.read(port.in_waiting))
    try:
        return bytes(sock.recv(65536, socket.MSG_DONTWAIT))
    except (BlockingIOError, InterruptedError):
        return b""


def _read_port(
    port: serial.SerialBase,
    queue: asyncio.Queue[bytes | BaseException],
    loop: asyncio.AbstractEventLoop,
    stop: threading.Event,
) -> None:
    try:
        while not stop.is_set():
            data = port.read(1)  # returns on the first byte: no added latency
            if data:
                data += _waiting(port)
                loop.call_soon_threadsafe(queue.put_nowait, data)
    except BaseException as exc:
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(queue.put_nowait, exc)
    finally:
        with contextlib.suppress(Exception):
            port.close()
