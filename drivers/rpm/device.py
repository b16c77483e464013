"""The RPM as a daemon device: ``make_decoder(options)`` → readings.

``RpmMonitor`` ties parser, occupancy tracker and fault rules together and is
shared by the live decoder and ``borderpost rpm replay``. Readings:

- ``rpm.occupancy`` — priority 2 with ``alert="radiation"`` when the device or
  our check alarms, else 0; the payload is the replay summary plus the gamma
  profile (sums per 200 ms) and its threshold.
- ``rpm.fault`` — priority 2 with ``alert="rpm-fault"`` when a fault is raised
  (``"cleared": true``, priority 0, when it clears); a device/our-check
  disagreement is an ``rpm.fault`` of kind ``disagreement`` with priority 1.
- ``rpm.status`` — priority 0, at most one a minute: background, protected.

Options (all optional): ``sigma`` gamma threshold n (default: SG1's, else 5.0),
``neutron_p`` neutron false-alarm probability per occupancy (default 1e-4, exact;
0.8 of it until the lane's neutron background holds five 2-minute readings),
``silence_s`` (10), ``gx_timeout_s`` (120), ``setup_timeout_s`` seconds without
SG1 before "setup missing" (300; 0 turns the rule off), ``expect_sigma`` the
SG1 sigma the lane must have, ``max_line`` bytes (512).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from drivers.base import Decoder, Reading
from drivers.events import RpmFault, RpmStatus, encode_body
from drivers.options import Options
from drivers.rpm import alarm
from drivers.rpm.faults import DEFAULT_SETUP_TIMEOUT_S, DEFAULT_SILENCE_S, Fault, FaultMonitor
from drivers.rpm.occupancy import DEFAULT_GX_TIMEOUT_S, OccupancyRecord, OccupancyTracker, iso
from drivers.rpm.protocol import MAX_LINE, NEUTRON_TAGS, BadLine, LineParser, Message

STATUS_EVERY_S = 60.0
LOG_BURST_S = 10.0  # a burst of bad lines is logged once
log = logging.getLogger(__name__)
OPTIONS = (
    "sigma", "neutron_p", "silence_s", "gx_timeout_s", "setup_timeout_s", "expect_sigma",
    "max_line",
)  # fmt: skip


@dataclass(frozen=True)
class Status:
    """The lane's RPM state for the once-a-minute status reading."""

    t: float
    gamma_background_cps: tuple[float, ...] | None
    neutron_background_cps: float | None
    protected: bool
    faults: tuple[str, ...]
    sigma: float
    lines: int
    bad_lines: int

    def body(self) -> RpmStatus:
        """The typed ``rpm.status`` event body."""
        return RpmStatus(
            time=iso(self.t), gamma_background_cps=tuple(self.gamma_background_cps or ()),
            neutron_background_cps=self.neutron_background_cps, protected=self.protected,
            faults=self.faults, sigma=self.sigma, lines=self.lines, bad_lines=self.bad_lines,
        )  # fmt: skip

    def payload(self) -> dict[str, Any]:
        """JSON form."""
        return encode_body(self.body())


Event = OccupancyRecord | Fault | Status


@dataclass(frozen=True)
class Settings:
    """Validated decoder options."""

    sigma: float | None = None
    neutron_p: float = alarm.DEFAULT_NEUTRON_P
    silence_s: float = DEFAULT_SILENCE_S
    gx_timeout_s: float = DEFAULT_GX_TIMEOUT_S
    setup_timeout_s: float | None = DEFAULT_SETUP_TIMEOUT_S
    expect_sigma: float | None = None
    max_line: int = MAX_LINE


@dataclass
class RpmMonitor:
    """Sans-IO lane monitor: ``feed(data, t)``/``tick(t)`` → occupancies, faults, status.

    With ``recorded_time`` the trailing timestamps of a recorded file are the
    clock (replay); otherwise ``t`` is, plus ``wall_offset`` to make POSIX time.
    """

    settings: Settings = field(default_factory=Settings)
    recorded_time: bool = False
    wall_offset: float = 0.0
    status_every_s: float | None = STATUS_EVERY_S

    def __post_init__(self) -> None:
        s = self.settings
        self.parser = LineParser(s.max_line)
        self.tracker = OccupancyTracker(s.sigma or alarm.DEFAULT_SIGMA, s.neutron_p, s.gx_timeout_s)
        self.faults = FaultMonitor(s.silence_s, s.setup_timeout_s, s.expect_sigma)
        self.occupancy_faults: set[str] = set()
        self.last_status: float | None = None
        self.clock: float | None = None
        self.last_bad_log: float | None = None

    def feed(self, data: bytes, t: float) -> list[Event]:
        """Consume bytes received at ``t``."""
        out: list[Event] = []
        before = self.parser.lines
        items = self.parser.feed(data)
        for item in items:
            now = self._time(item, t)
            if not self.recorded_time or (isinstance(item, Message) and item.recorded):
                out += self._tick(now)
            out += self._note(self.faults.on_line(now, isinstance(item, Message)))
            if isinstance(item, BadLine):
                self._log_bad(item, now)
            if isinstance(item, Message):
                out += self._message(item, now)
        if not self.recorded_time and any(
            isinstance(i, Message) and i.tag in NEUTRON_TAGS for i in items
        ):
            self.tracker.prepare()  # the GX may come next: its threshold now, once per chunk
        return out + self._unknown_lines(self.parser.lines - before - len(items), t)

    def _log_bad(self, bad: BadLine, now: float) -> None:
        if self.last_bad_log is None or now - self.last_bad_log > LOG_BURST_S:
            log.warning("rpm: bad line (%s): %s", bad.reason, bad.hex)
        self.last_bad_log = now

    def _unknown_lines(self, count: int, t: float) -> list[Event]:
        """Lines with tags we skip still prove the link is alive and count as good lines."""
        if self.recorded_time and self.clock is None:
            return []  # no recorded time seen yet
        now = self.clock if self.recorded_time and self.clock is not None else t + self.wall_offset
        out: list[Event] = []
        for _ in range(count):
            out += self._note(self.faults.on_line(now, True))
        return out

    def tick(self, t: float) -> list[Event]:
        """Let time pass (live only: a recording's clock moves with its lines)."""
        return [] if self.recorded_time else self._tick(t + self.wall_offset)

    def finish(self) -> list[Event]:
        """End of a recording: close an open occupancy as without GX."""
        if self.clock is None or not self.tracker.busy:
            return []
        return self._tick(self.clock + self.tracker.gx_timeout_s + 1)

    def _time(self, item: Message | BadLine, t: float) -> float:
        if self.recorded_time:
            if isinstance(item, Message) and item.recorded is not None:
                self.clock = item.recorded
            return self.clock if self.clock is not None else t
        self.clock = t + self.wall_offset
        return self.clock

    def _tick(self, now: float) -> list[Event]:
        out: list[Event] = []
        for record in self.tracker.tick(now):
            out += self._note(self.faults.raise_fault("no-gx", "occupancy without GX", now))
            out += self._record(record)
        out += self._note(self.faults.tick(now))
        return out + self._status(now)

    def _message(self, msg: Message, now: float) -> list[Event]:
        if msg.tag == "SG1" and self.settings.sigma is None and msg.sigma:
            self.tracker.sigma = msg.sigma
        out = self._note(self.faults.on_message(msg, now))
        for record in self.tracker.on_message(msg, now):
            out += self._record(record)
        return out

    def _note(self, faults: list[Fault]) -> list[Event]:
        if self.tracker.busy:
            self.occupancy_faults.update(f.kind for f in faults if f.active)
        return list(faults)

    def _record(self, record: OccupancyRecord) -> list[Event]:
        seen = self.occupancy_faults | set(self.faults.active)
        self.occupancy_faults = set()
        return record_events(record, seen)

    def _status(self, now: float) -> list[Event]:
        if not status_due(self.last_status, now, self.status_every_s):
            return []
        self.last_status = now
        return [self.status(now)]

    def status(self, now: float) -> Status:
        """The lane's state now."""
        return Status(
            now, self.tracker.background, self.tracker.neutron_background,
            self.faults.protected, tuple(sorted(self.faults.active)), self.tracker.sigma,
            self.parser.lines, self.parser.bad,
        )  # fmt: skip


def status_due(last: float | None, now: float, every: float | None) -> bool:
    """Whether the once-a-minute ``rpm.status`` is due (``every`` None: never)."""
    return every is not None and (last is None or now - last >= every)


def record_events(record: OccupancyRecord, faults_seen: set[str]) -> list[Event]:
    """A finished occupancy with the faults active during it, and a ``disagreement``
    fault when the device and our check disagree (both vendors)."""
    record = replace(record, faults=tuple(sorted(faults_seen | set(record.faults))))
    out: list[Event] = [record]
    if record.disagreement:
        detail = f"occupancy {record.number}: device and our check disagree"
        out.append(Fault("disagreement", detail, record.end))
    return out


def fault_body(fault: Fault) -> RpmFault:
    """The typed ``rpm.fault`` event body of a fault (raised or cleared)."""
    return RpmFault(
        fault=fault.kind, detail=fault.detail, time=iso(fault.t), cleared=not fault.active
    )


def fault_json(fault: Fault) -> dict[str, Any]:
    """The JSON form of a fault (as ``rpm replay --json`` prints it)."""
    return encode_body(fault_body(fault))


def to_reading(event: Event) -> Reading:
    """The daemon reading for one monitor event."""
    if isinstance(event, OccupancyRecord):
        if event.alarm:
            return Reading("rpm.occupancy", event.body(), 2, alert="radiation")
        return Reading("rpm.occupancy", event.body(), 0)
    if isinstance(event, Status):
        return Reading("rpm.status", event.body(), 0)
    if event.kind == "disagreement":
        return Reading("rpm.fault", fault_body(event), 1)
    if event.active:
        return Reading("rpm.fault", fault_body(event), 2, alert="rpm-fault")
    return Reading("rpm.fault", fault_body(event), 0)


class RpmDecoder:
    """The daemon's decoder for one RPM: bytes and time in, readings out."""

    def __init__(self, settings: Settings) -> None:
        self.monitor = RpmMonitor(settings, wall_offset=time.time() - time.monotonic())

    def feed(self, data: bytes, now: float) -> list[Reading]:
        """Consume bytes received at monotonic time ``now``."""
        return [to_reading(e) for e in self.monitor.feed(data, now)]

    def tick(self, now: float) -> list[Reading]:
        """Apply the time rules (silence, GX timeout, setup, status)."""
        return [to_reading(e) for e in self.monitor.tick(now)]


def settings_from(options: Mapping[str, Any]) -> Settings:
    """Validate decoder options; DriverError naming the option when one is bad."""
    opts = Options("rpm", options, OPTIONS)
    base = Settings()
    setup = opts.optional("setup_timeout_s", 0, 86400)
    return Settings(
        sigma=opts.optional("sigma", 1, 20),
        neutron_p=opts.number("neutron_p", base.neutron_p, 1e-12, 0.1),
        silence_s=opts.number("silence_s", base.silence_s, 1, 3600),
        gx_timeout_s=opts.number("gx_timeout_s", base.gx_timeout_s, 5, 3600),
        setup_timeout_s=base.setup_timeout_s if setup is None else (setup or None),
        expect_sigma=opts.optional("expect_sigma", 1, 20),
        max_line=opts.whole("max_line", base.max_line, 64, 65536),
    )


def make_decoder(options: Mapping[str, Any]) -> Decoder:
    """The decoder for one RPM device (see the module docstring for options)."""
    return RpmDecoder(settings_from(options))
