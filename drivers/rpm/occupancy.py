"""Occupancy assembly: from the first scan line after idle to GX (or a timeout).

The first GS/GA/NS/NA after idle starts an occupancy; GX ends it. The device
opens with a quick burst of about five GS lines holding the second before its
trigger, so the start is back-dated by 200 ms per burst line. The gamma
background is the last GB before the start, frozen during the occupancy; the
neutron background is the lane's own average (``background.py``) of the device's
2-minute ones: NB1 (per detector, cps) and GX (all detectors, cps × 1000).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from drivers.events import RpmOccupancy, encode_body
from drivers.rpm import alarm
from drivers.rpm.background import NeutronBackground
from drivers.rpm.protocol import GAMMA_TAGS, NEUTRON_TAGS, Message

BURST_GAP_S = 0.1  # GS lines closer than this at the start belong to the burst
MAX_BURST_S = 2.0
MAX_INTERVALS = 1500  # 5 min of 200 ms rows kept per occupancy (bounded)
DEFAULT_GX_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class OccupancyRecord:
    """One vehicle's pass: series, speed, device flags and our verdicts.

    Times are POSIX seconds. ``number`` is the device's GX number (None when GX
    never came). The lane's crossing is added to the event by whoever groups readings by lane.
    """

    number: int | None
    start: float
    end: float
    gamma: tuple[alarm.Counts, ...]
    neutron: tuple[tuple[int, ...], ...]
    device_gamma_alarm: bool
    device_neutron_alarm: bool
    gamma_verdict: alarm.GammaVerdict
    neutron_verdict: alarm.NeutronVerdict
    speed_kmh: float | None
    gamma_background_cps: tuple[float, ...]
    sigma: float
    faults: tuple[str, ...] = ()

    @property
    def alarm(self) -> bool:
        """True when the device or our check alarms (gamma or neutron)."""
        return (
            self.device_gamma_alarm
            or self.device_neutron_alarm
            or self.gamma_verdict.alarm
            or self.neutron_verdict.alarm
        )

    @property
    def disagreement(self) -> bool:
        """The device and our check disagree on gamma or neutron."""
        return (self.device_gamma_alarm != self.gamma_verdict.alarm) or (
            self.device_neutron_alarm != self.neutron_verdict.alarm
        )

    def summary(self) -> dict[str, Any]:
        """The fields ``rpm replay --json`` prints for this occupancy."""
        payload = self.payload()
        return {key: payload[key] for key in SUMMARY_KEYS}

    def body(self) -> RpmOccupancy:
        """The typed ``rpm.occupancy`` event body: the summary and the gamma profile."""
        gamma, neutron = self.gamma_verdict, self.neutron_verdict
        return RpmOccupancy(
            occupancy=self.number, start=iso(self.start), end=iso(self.end),
            device_gamma_alarm=self.device_gamma_alarm,
            device_neutron_alarm=self.device_neutron_alarm, gamma_alarm=gamma.alarm,
            neutron_alarm=neutron.alarm, peak_sigma=gamma.peak_sigma, speed_kmh=self.speed_kmh,
            gamma_background_cps=round(sum(self.gamma_background_cps), 3),
            neutron_background_cps=round(neutron.background_cps, 3),
            norm_suspect=gamma.norm_suspect, disagreement=self.disagreement, faults=self.faults,
            sigma=self.sigma, peak_group=gamma.peak_group,
            gamma_series=tuple(sum(row) for row in self.gamma),
            gamma_interval_s=alarm.INTERVAL_S, gamma_background_1s=gamma.background_1s,
            gamma_threshold_1s=gamma.threshold_1s,
            gamma_detectors_cps=tuple(self.gamma_background_cps),
            neutron_series=tuple(sum(row) for row in self.neutron),
            neutron_threshold=neutron.threshold, neutron_window_s=neutron.peak_window_s,
            neutron_window_counts=neutron.peak_counts,
        )  # fmt: skip

    def payload(self) -> dict[str, Any]:
        """The JSON of :meth:`body` (the summary plus what a console needs to draw the profile)."""
        return encode_body(self.body())


SUMMARY_KEYS = (
    "occupancy", "start", "end", "device_gamma_alarm", "device_neutron_alarm", "gamma_alarm",
    "neutron_alarm", "peak_sigma", "speed_kmh", "gamma_background_cps", "neutron_background_cps",
    "norm_suspect", "disagreement", "faults",
)  # fmt: skip


def iso(t: float) -> str:
    """ISO 8601 UTC with milliseconds."""
    from datetime import datetime

    moment = datetime.fromtimestamp(t, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class _Open:
    """An occupancy being assembled (internal, mutable)."""

    first_t: float
    background: tuple[float, ...]
    backdate: bool = True
    gamma: list[alarm.Counts] = field(default_factory=list)
    neutron: list[tuple[int, ...]] = field(default_factory=list)
    speeds: list[float] = field(default_factory=list)
    first_gs_t: float | None = None
    last_gs_t: float | None = None
    burst: int = 0
    burst_open: bool = True
    device_gamma: bool = False
    device_neutron: bool = False

    def speed_kmh(self) -> float | None:
        """The median of the valid speed readings so far (None: none)."""
        return round(statistics.median(self.speeds), 2) if self.speeds else None

    def start(self) -> float:
        if self.first_gs_t is None or not self.backdate:
            return self.first_t
        back = min(self.burst * alarm.INTERVAL_S, MAX_BURST_S)
        return min(self.first_t, self.first_gs_t - back)

    def gamma_row(self, row: alarm.Counts, device_alarm: bool, t: float) -> None:
        if self.first_gs_t is None:
            self.first_gs_t = t
        elif self.burst_open and self.last_gs_t is not None and t - self.last_gs_t > BURST_GAP_S:
            self.burst_open = False
        if self.burst_open:
            self.burst += 1
        self.last_gs_t = t
        self.device_gamma |= device_alarm
        if len(self.gamma) < MAX_INTERVALS:
            self.gamma.append(row)


class OccupancyTracker:
    """Assembles occupancies, whatever the portal: rows in, finished records out.

    The Rapiscan monitor feeds line messages (``on_message``); the Aspect
    monitor calls ``gamma_row``/``neutron_row``/``speed``/``close`` itself.
    """

    def __init__(
        self,
        sigma: float = alarm.DEFAULT_SIGMA,
        neutron_p: float = alarm.DEFAULT_NEUTRON_P,
        gx_timeout_s: float = DEFAULT_GX_TIMEOUT_S,
        backdate: bool = True,
    ) -> None:
        self.sigma = sigma
        self.backdate = backdate  # Rapiscan: the GS burst holds the second before the trigger
        self.neutron_p = neutron_p
        self.gx_timeout_s = gx_timeout_s
        self.background: tuple[float, ...] | None = None
        self.neutron_background: float | None = None
        self.neutron_fallback: float | None = None
        self.neutron_average = NeutronBackground()
        self.current: _Open | None = None

    @property
    def busy(self) -> bool:
        """An occupancy is open."""
        return self.current is not None

    def on_message(self, msg: Message, t: float) -> list[OccupancyRecord]:
        """Consume one Rapiscan line-protocol message at time ``t``."""
        if msg.tag == "GB" and self.current is None:
            self.background = tuple(float(v) for v in msg.values)
        elif msg.tag == "NB":
            self.neutron_fallback = float(sum(msg.values) + len(msg.values))
        elif msg.tag == "NB1":
            self.neutron_reading(msg.neutron_cps, t)
        elif msg.tag in GAMMA_TAGS:
            self.gamma_row(tuple(msg.values), msg.tag == "GA", t)
        elif msg.tag in NEUTRON_TAGS:
            self.neutron_row(msg.values, msg.tag == "NA", t)
        elif msg.tag == "SP":
            self.speed(msg.speed_kmh)
        elif msg.tag == "GX":
            return self._gx(msg.values[0], msg.values[1] / 1000.0, t)
        return []

    def _gx(self, number: int, neutron_cps: float, t: float) -> list[OccupancyRecord]:
        """Close the occupancy; the GX's background reading counts from the next one on (the
        threshold computed during this one stays right), unless the lane has no average yet."""
        first = self.neutron_average.windows == 0
        if first:
            self.neutron_reading(neutron_cps, t)
        closed = [self.close(t, number)] if self.current is not None else []
        if not first:
            self.neutron_reading(neutron_cps, t)
        return closed

    def neutron_reading(self, cps: float, t: float) -> None:
        """The device's neutron background (cps, all detectors): into the lane's average."""
        self.neutron_average.add(cps, t)
        self.neutron_background = self.neutron_average.value()

    @property
    def neutron_budget(self) -> float:
        """The check's false-alarm budget: ``neutron_p``, less while the average is short."""
        if self.neutron_average.windows == 0:  # a background given as it is (a file's)
            return self.neutron_p
        return self.neutron_average.budget(self.neutron_p)

    def gamma_row(self, row: alarm.Counts, device_alarm: bool, t: float) -> None:
        """One gamma interval (counts per detector); opens an occupancy when idle."""
        self._open(t).gamma_row(row, device_alarm, t)

    def neutron_row(self, row: tuple[int, ...], device_alarm: bool, t: float) -> None:
        """One second of neutron counts (per detector); opens an occupancy when idle."""
        cur = self._open(t)
        cur.device_neutron |= device_alarm
        if len(cur.neutron) < MAX_INTERVALS:
            cur.neutron.append(row)

    def prepare(self) -> None:
        """Compute the neutron thresholds the open occupancy needs were it to end now or after
        one more row (a part second), so that its close finds them cached: a live monitor
        calls this as rows come in (the speed's median may still move, rarely)."""
        cur = self.current
        if cur is not None:
            for rows in (len(cur.neutron), len(cur.neutron) + 1):
                alarm.prepare_neutron(rows, self._neutron_told(), self.neutron_budget,
                                      cur.speed_kmh())  # fmt: skip

    def _neutron_told(self) -> float | None:
        """The neutron background the check is given: the lane's average, else ``NB``'s."""
        nb = self.neutron_background
        return nb if nb is not None else self.neutron_fallback

    def speed(self, kmh: float | None) -> None:
        """A speed reading of the open occupancy (None: not valid)."""
        if self.current is not None and kmh is not None:
            self.current.speeds.append(kmh)

    def tick(self, t: float) -> list[OccupancyRecord]:
        """Close an occupancy that has waited more than the GX timeout."""
        if self.current is not None and t - self.current.first_t > self.gx_timeout_s:
            return [self.close(t, None, ("no-gx",))]
        return []

    def _open(self, t: float) -> _Open:
        if self.current is None:
            self.current = _Open(t, self.background or (0.0,) * 4, self.backdate)
        return self.current

    def close(self, t: float, number: int | None, faults: tuple[str, ...] = ()) -> OccupancyRecord:
        """End the open occupancy at ``t``: our verdicts, the record."""
        cur = self.current
        assert cur is not None, "close() without an open occupancy"
        self.current = None
        speed = cur.speed_kmh()
        gamma = alarm.gamma_check(cur.gamma, cur.background, self.sigma, speed)
        neutron = alarm.neutron_check(cur.neutron, self._neutron_told(), self.neutron_budget, speed)
        return OccupancyRecord(
            number, cur.start(), t, tuple(cur.gamma), tuple(cur.neutron),
            cur.device_gamma, cur.device_neutron, gamma, neutron, speed,
            cur.background, self.sigma, faults,
        )  # fmt: skip
