"""The Aspect portal as a daemon device: a thin async poller around :class:`AspectMonitor`.

URL ``modbus://HOST[:PORT]`` (port 502 by default) with ``kind = "rpm"``. The
source runs its own thread and event loop: it connects with pymodbus, finds the
unit id (options ``unit``, or a scan of ``unit_from``..``unit_to``, reading the
description block at each), then reads the monitor block every 200 ms. A poll
that fails or comes too late counts as missed; a dropped connection is retried
every ``retry_s`` seconds (the lane is "not protected" — fault ``silence`` —
after ``silence_s`` without an answer). Decoding and the lane logic are
sans-IO (``aspect.py``, ``aspect_monitor.py``).

Options: ``unit``, ``unit_from`` (1), ``unit_to`` (31), ``timeout_s`` (0.5),
``retry_s`` (1), plus the lane's ``sigma`` (5), ``neutron_p``, ``silence_s``
(3), ``max_occupancy_s`` (120) and ``speed_kmh_per_unit`` (0.0036: mm/s).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from drivers.base import DriverError, Reading
from drivers.options import Options
from drivers.rpm import alarm
from drivers.rpm.aspect import (
    DESCRIPTION_ADDRESS,
    DESCRIPTION_COUNT,
    MONITOR_ADDRESS,
    MONITOR_COUNT,
    RegisterError,
    decode_description,
    decode_monitor,
)
from drivers.rpm.aspect_monitor import POLL_S, AspectMonitor, AspectSettings
from drivers.rpm.device import Event, to_reading

SCHEME = "modbus://"
OPTIONS = (
    "unit", "unit_from", "unit_to", "timeout_s", "retry_s", "sigma", "neutron_p", "silence_s",
    "max_occupancy_s", "speed_kmh_per_unit",
)  # fmt: skip
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    """Where and how to reach the portal."""

    host: str
    port: int
    units: tuple[int, ...]
    timeout_s: float
    retry_s: float


def parse_url(url: str) -> tuple[str, int]:
    """(host, port) of ``modbus://HOST[:PORT]``; DriverError when it is not one."""
    parts = urlsplit(url)
    try:
        port = parts.port or 502
    except ValueError:
        port = -1
    if parts.scheme != "modbus" or not parts.hostname or not 0 < port < 65536:
        raise DriverError(f"rpm: url {url!r}; must be modbus://HOST[:PORT] (port 1-65535)")
    return parts.hostname, port


def settings_from(url: str, options: Mapping[str, Any]) -> tuple[Link, AspectSettings]:
    """Validate the URL and options; DriverError naming the bad one."""
    host, port = parse_url(url)
    opts = Options("rpm (aspect)", options, OPTIONS)
    low, high = opts.whole("unit_from", 1, 0, 247), opts.whole("unit_to", 31, 0, 247)
    units = tuple(range(low, high + 1))
    if opts.get("unit") is not None:  # a whole number: 1.5 was polled as unit 1
        units = (opts.whole("unit", 1, 0, 247),)
    if not units:
        raise opts.error("unit_to", high, f"at least unit_from ({low})")
    link = Link(host, port, units, opts.number("timeout_s", 0.5, 0.05, 10),
                opts.number("retry_s", 1.0, 0.1, 60))  # fmt: skip
    base = AspectSettings()
    lane = AspectSettings(
        sigma=opts.number("sigma", base.sigma, 1, 20),
        neutron_p=opts.number("neutron_p", alarm.DEFAULT_NEUTRON_P, 1e-12, 0.1),
        silence_s=opts.number("silence_s", base.silence_s, 0.5, 3600),
        max_occupancy_s=opts.number("max_occupancy_s", base.max_occupancy_s, 5, 3600),
        speed_kmh_per_unit=opts.number("speed_kmh_per_unit", base.speed_kmh_per_unit, 0, 1),
    )
    return link, lane


class Poller:
    """One connection's life: discover the unit, poll at 5 Hz, hand events on."""

    def __init__(self, link: Link, monitor: AspectMonitor, emit: Callable[[list[Event]], None]):
        self.link, self.monitor, self.emit = link, monitor, emit
        self.unit: int | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, poll, reconnect, until ``stop`` is set."""
        from pymodbus.client import AsyncModbusTcpClient

        while not stop.is_set():
            client = AsyncModbusTcpClient(self.link.host, port=self.link.port,
                                          timeout=self.link.timeout_s, retries=0)  # fmt: skip
            try:
                if await client.connect() and await self._discover(client):
                    await self._poll(client, stop)
            finally:
                client.close()
            self.emit(self.monitor.tick(time.monotonic()))
            await _wait(stop, self.link.retry_s)

    async def _read(self, client: Any, address: int, count: int, unit: int) -> list[int] | None:
        try:
            reply = await client.read_holding_registers(address, count=count, device_id=unit)
        except Exception as exc:  # pymodbus raises its own and OS errors alike
            log.debug("aspect: read %d@%d unit %d failed: %s", count, address, unit, exc)
            return None
        if reply.isError() or len(reply.registers) < count:
            return None
        return list(reply.registers[:count])

    async def _discover(self, client: Any) -> bool:
        units = (self.unit,) if self.unit is not None else self.link.units
        for unit in units:
            regs = await self._read(client, DESCRIPTION_ADDRESS, DESCRIPTION_COUNT, unit)
            if regs is None:
                if not client.connected:
                    return False
                continue
            self._describe(unit, regs)
            return True
        log.warning("aspect: no unit id of %s answered at %s", units, self.link.host)
        return False

    def _describe(self, unit: int, regs: list[int]) -> None:
        d = decode_description(regs)
        if self.unit != unit:
            log.info("aspect: unit %d answers: signature 0x%04x, %d registers, monitor id %d, "
                     "spare registers %s (meaning unknown)", unit, d.signature, d.registers,
                     d.monitor_id, d.spare)  # fmt: skip
        if (why := d.mismatch()) is not None:
            log.warning("aspect: %s", why)
        self.unit = unit

    async def _poll(self, client: Any, stop: asyncio.Event) -> None:
        assert self.unit is not None
        slot = time.monotonic()
        while not stop.is_set() and client.connected:
            regs = await self._read(client, MONITOR_ADDRESS, MONITOR_COUNT, self.unit)
            now = time.monotonic()
            if regs is None:
                self.emit(self.monitor.miss(now))
            else:
                self._sample(regs, now)
            slot = self._next_slot(slot, now)
            await _wait(stop, max(0.0, slot - time.monotonic()))

    def _sample(self, regs: list[int], now: float) -> None:
        try:
            sample = decode_monitor(regs)
        except RegisterError as exc:
            log.warning("aspect: %s", exc)
            self.emit(self.monitor.miss(now))
            return
        self.emit(self.monitor.poll(sample, now))

    def _next_slot(self, slot: float, now: float) -> float:
        """The next 200 ms slot; slots that passed without a poll count as missed."""
        slot += POLL_S
        while slot + POLL_S <= now:
            self.emit(self.monitor.miss(slot))
            slot += POLL_S
        return slot


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


class AspectSource:
    """The daemon's source for one Aspect portal (``drivers.base.Source``)."""

    def __init__(self, url: str, options: Mapping[str, Any], deliver: Callable[[Reading], None]):
        self.link, lane = settings_from(url, options)
        offset = time.time() - time.monotonic()
        self.monitor = AspectMonitor(lane, wall_offset=offset)
        self.deliver = deliver
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_event: asyncio.Event | None = None
        self.thread: threading.Thread | None = None
        self.ready = threading.Event()

    def start(self) -> None:
        """Start polling in a thread of its own."""
        self.thread = threading.Thread(target=self._run, name="aspect-rpm", daemon=True)
        self.thread.start()
        self.ready.wait(5)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self.loop, self.stop_event = asyncio.get_running_loop(), asyncio.Event()
        self.ready.set()
        await Poller(self.link, self.monitor, self._emit).run(self.stop_event)

    def _emit(self, events: list[Event]) -> None:
        for event in events:
            self.deliver(to_reading(event))

    def stop(self) -> None:
        """Stop polling and close the connection."""
        if self.loop is not None and self.stop_event is not None:
            self.loop.call_soon_threadsafe(self.stop_event.set)
        if self.thread is not None:
            self.thread.join(5)
