"""Sans-IO lane monitor of an Aspect portal: decoded polls in, the common RPM events out.

Each successful poll of the monitor block (5 Hz) is one :class:`~drivers.rpm.aspect.Sample`.
The monitor turns the samples into the same events as the Rapiscan monitor
(``OccupancyRecord``, ``Fault``, ``Status``), through the same occupancy
tracker, alarm check and fault bookkeeping:

- an occupancy opens when an occupancy sensor bit comes on and closes when
  they are all off, or when the object counter moves on while they stay on
  (the next vehicle); its number is the portal's object counter; each poll is
  one gamma row (the portal gives one gamma channel), five polls make one
  second of neutron counts; the device's flag is Alarm1 or Alarm2 of a channel;
- while idle the background registers give the backgrounds, taken as counts
  per poll like the count registers (so cps = value / 0.2 s); the neutron one
  goes into the lane's own average (``background.py``), as Rapiscan's does;
- faults from status bits: low/high count per channel, power failure, low
  battery, door (cabinet) open, device error; ``silence`` when no poll
  answered for ``silence_s``. Bits without a known meaning are logged when
  they change, never interpreted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from drivers.rpm import alarm
from drivers.rpm.aspect import DOOR_OPEN, ERROR, LOW_BATTERY, POWER_FAIL, Sample, unknown_bits
from drivers.rpm.device import Event, Status, record_events, status_due
from drivers.rpm.faults import Fault, FaultMonitor
from drivers.rpm.occupancy import DEFAULT_GX_TIMEOUT_S, OccupancyRecord, OccupancyTracker

POLL_S = alarm.INTERVAL_S  # 5 Hz: one gamma row per poll
POLLS_PER_NEUTRON_ROW = round(1.0 / POLL_S)
DEFAULT_SILENCE_S = 3.0
DEFAULT_SPEED_KMH_PER_UNIT = 0.0036  # the register read as mm/s, as the public driver labels it
STATUS_EVERY_S = 60.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AspectSettings:
    """Validated options of an Aspect lane (the transport's own are in aspect_device)."""

    sigma: float = alarm.DEFAULT_SIGMA
    neutron_p: float = alarm.DEFAULT_NEUTRON_P
    silence_s: float = DEFAULT_SILENCE_S
    max_occupancy_s: float = DEFAULT_GX_TIMEOUT_S
    speed_kmh_per_unit: float = DEFAULT_SPEED_KMH_PER_UNIT


def bit_faults(s: Sample) -> dict[str, str]:
    """The faults the status bits of one sample declare: kind → detail."""
    g, n = s.gamma, s.neutron
    found = {
        "gamma-low": g.low, "gamma-high": g.high, "neutron-low": n.low, "neutron-high": n.high,
        "power-fail": bool(s.inputs & POWER_FAIL), "low-battery": bool(s.inputs & LOW_BATTERY),
        "door-open": bool(s.inputs & DOOR_OPEN), "device-error": bool(s.inputs & ERROR),
    }  # fmt: skip
    return {kind: f"{kind} (inputs 0x{s.inputs:04x}, gamma 0x{g.status:04x}, "
            f"neutron 0x{n.status:04x})" for kind, on in found.items() if on}  # fmt: skip


BIT_FAULTS = ("gamma-low", "gamma-high", "neutron-low", "neutron-high", "power-fail",
              "low-battery", "door-open", "device-error")  # fmt: skip


@dataclass
class AspectMonitor:
    """Samples and time in (monotonic seconds + ``wall_offset`` = POSIX), events out."""

    settings: AspectSettings = field(default_factory=AspectSettings)
    wall_offset: float = 0.0
    status_every_s: float | None = STATUS_EVERY_S

    def __post_init__(self) -> None:
        s = self.settings
        self.tracker = OccupancyTracker(s.sigma, s.neutron_p, s.max_occupancy_s, backdate=False)
        self.faults = FaultMonitor(s.silence_s, setup_timeout_s=None)
        self.polls = 0
        self.missed = 0
        self.last: Sample | None = None
        self.skip = False
        self.number: int | None = None
        self.neutron: list[int] = []
        self.device_neutron = False
        self.seen: set[str] = set()
        self.unknown: dict[str, int] = {}
        self.last_status: float | None = None

    def poll(self, sample: Sample, t: float) -> list[Event]:
        """One successful poll answered at monotonic time ``t``."""
        now = t + self.wall_offset
        self.polls += 1
        out = self._note(self.faults.on_line(now, True) + self._bit_faults(sample, now))
        self._log_unknown(sample)
        if self.last is None and sample.occupied:
            self.skip = True  # started mid-vehicle: that occupancy is not whole, skip it
        self.last = sample
        if self.skip:
            self.skip = sample.occupied
        else:
            out += self._occupancy(sample, now)
        return out + self._tick(now)

    def miss(self, t: float) -> list[Event]:
        """A poll slot without an answer (timeout, error, no connection)."""
        self.missed += 1
        return self.tick(t)

    def tick(self, t: float) -> list[Event]:
        """Let time pass: silence, an occupancy that never ends, the status."""
        return self._tick(t + self.wall_offset)

    def _tick(self, now: float) -> list[Event]:
        out: list[Event] = []
        for record in self.tracker.tick(now):
            self._reset_occupancy()
            out += self._record_events(record)
        return out + self._note(self.faults.tick(now)) + self._status(now)

    def _bit_faults(self, s: Sample, now: float) -> list[Fault]:
        active = bit_faults(s)
        out: list[Fault] = []
        for kind in BIT_FAULTS:
            if kind in active:
                out += self.faults.raise_fault(kind, active[kind], now)
            else:
                out += self.faults.clear(kind, now)
        return out

    def _log_unknown(self, s: Sample) -> None:
        unknown = unknown_bits(s)
        if unknown != self.unknown:
            log.warning("aspect: status bits without a known meaning: %s",
                        {k: f"0x{v:04x}" for k, v in unknown.items()} or "none now")  # fmt: skip
        self.unknown = unknown

    def _occupancy(self, s: Sample, now: float) -> list[Event]:
        out: list[Event] = []
        if self.tracker.busy and s.occupied and s.object_counter != self.number:
            out = self._close(now)  # the next vehicle came in before the sensors cleared
        if not self.tracker.busy:
            if not s.occupied:
                self.tracker.background = (s.gamma.background / POLL_S,)
                self.tracker.neutron_reading(s.neutron.background / POLL_S, now)
                return out
            self.number = s.object_counter
        if not s.occupied:
            return self._close(now)
        self._row(s, now)
        return out

    def _row(self, s: Sample, now: float) -> None:
        self.tracker.gamma_row((max(s.gamma.count, 0),), s.gamma.alarm, now)
        self._neutron(s, now)
        if s.speed > 0:
            self.tracker.speed(round(s.speed * self.settings.speed_kmh_per_unit, 2))
        self.tracker.prepare()  # the occupancy may end at the next poll (a part second more)

    def _neutron(self, s: Sample, now: float) -> None:
        self.neutron.append(max(s.neutron.count, 0))
        self.device_neutron |= s.neutron.alarm
        if len(self.neutron) == POLLS_PER_NEUTRON_ROW:
            self.tracker.neutron_row((sum(self.neutron),), self.device_neutron, now)
            self.neutron, self.device_neutron = [], False

    def _close(self, now: float) -> list[Event]:
        if self.neutron:  # a part second: counted as measured
            self.tracker.neutron_row((sum(self.neutron),), self.device_neutron, now)
        record = self.tracker.close(now, self.number)
        self._reset_occupancy()
        return self._record_events(record)

    def _reset_occupancy(self) -> None:
        self.neutron, self.device_neutron = [], False

    def _record_events(self, record: OccupancyRecord) -> list[Event]:
        seen, self.seen = self.seen | set(self.faults.active), set()
        return record_events(record, seen)

    def _note(self, faults: list[Fault]) -> list[Event]:
        if self.tracker.busy:
            self.seen.update(f.kind for f in faults if f.active)
        return list(faults)

    def _status(self, now: float) -> list[Event]:
        if not status_due(self.last_status, now, self.status_every_s):
            return []
        self.last_status = now
        return [self.status(now)]

    def status(self, now: float) -> Status:
        """The lane's state now (``lines``: polls answered, ``bad_lines``: polls missed)."""
        t = self.tracker
        return Status(
            now, t.background, t.neutron_background, self.faults.protected,
            tuple(sorted(self.faults.active)), t.sigma, self.polls, self.missed,
        )  # fmt: skip
