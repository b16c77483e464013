"""Import of ANSI N42.42-2011 portal files for replay: gross counts in, occupancy records out.

Reads the detectors (``RadDetectorCategoryCode`` Gamma / Neutron), the
measurements in document order (start, real time, ``OccupancyIndicator``, the
gross counts of each detector: the sum of its ``CountData`` values, so energy
windows add up) and the alarms of ``AnalysisResults`` (the device's verdict;
in our own exports only a ``RadAlarm`` whose description names the device).
Background measurements (class ``Background``, or not occupied) give the
background in cps; each run of occupied measurements is one occupancy, its
counts regrouped into 200 ms gamma rows and 1 s neutron rows, then judged by
the same occupancy tracker and alarm check as a live lane.

Refused with :class:`N42Error` (a reason a person can act on): not XML, not
the 2011 namespace (e.g. the 2006 format), no gamma detector, no occupancy,
an interval the rows cannot be built from.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

from drivers.rpm import alarm
from drivers.rpm.n42 import NS
from drivers.rpm.occupancy import OccupancyRecord, OccupancyTracker

N = f"{{{NS}}}"
MAX_BYTES = 64 * 2**20
_DURATION = re.compile(r"^PT(\d+(?:\.\d+)?)S$")
_NUMBER = re.compile(r"occupancy (\d+);")


class N42Error(ValueError):
    """An N42 file that cannot be replayed, with the reason."""


@dataclass(frozen=True)
class Measurement:
    """One RadMeasurement: start (POSIX s), seconds, occupied, counts per detector id."""

    start: float
    seconds: float
    occupied: bool
    background: bool
    counts: dict[str, float]


def _root(data: bytes) -> ET.Element:
    if len(data) > MAX_BYTES:
        raise N42Error(f"N42 file larger than {MAX_BYTES // 2**20} MiB")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise N42Error(f"not well-formed XML ({exc})") from None
    if root.tag != f"{N}RadInstrumentData":
        raise N42Error(f"root element {root.tag[:80]!r} is not N42.42-2011 RadInstrumentData")
    return root


def _seconds(text: str | None) -> float:
    m = _DURATION.match((text or "").strip())
    if m is None:
        raise N42Error(f"duration {text!r} is not of the form PT<seconds>S")
    return float(m.group(1))


def _measurement(el: ET.Element) -> Measurement:
    try:
        start = datetime.fromisoformat(el.findtext(f"{N}StartDateTime", "").strip()).timestamp()
    except ValueError:
        raise N42Error(f"measurement {el.get('id')}: bad StartDateTime") from None
    counts: dict[str, float] = {}
    for gc in el.iter(f"{N}GrossCounts"):
        ref = gc.get("radDetectorInformationReference", "")
        values = (gc.findtext(f"{N}CountData") or "").split()
        counts[ref] = counts.get(ref, 0.0) + sum(float(v) for v in values)
    occupied = (el.findtext(f"{N}OccupancyIndicator") or "").strip() in ("1", "true")
    klass = (el.findtext(f"{N}MeasurementClassCode") or "").strip()
    seconds = _seconds(el.findtext(f"{N}RealTimeDuration"))
    return Measurement(start, seconds, occupied, klass == "Background", counts)


def _detectors(root: ET.Element) -> tuple[list[str], list[str]]:
    by: dict[str, list[str]] = {"Gamma": [], "Neutron": []}
    for det in root.iter(f"{N}RadDetectorInformation"):
        category = (det.findtext(f"{N}RadDetectorCategoryCode") or "").strip()
        by.get(category, []).append(det.get("id", ""))
    gamma, neutron = by["Gamma"], by["Neutron"]
    if not gamma:
        raise N42Error("no gamma detector (RadDetectorCategoryCode Gamma) in the file")
    return gamma, neutron


def _device_alarms(root: ET.Element) -> tuple[bool, bool]:
    flags = {"Gamma": False, "Neutron": False}
    for a in root.iter(f"{N}RadAlarm"):
        described = a.findtext(f"{N}RadAlarmDescription") or ""
        ours_only = described.strip() == "our check"
        category = (a.findtext(f"{N}RadAlarmCategoryCode") or "").strip()
        if category in flags and not ours_only:
            flags[category] = True
    return flags["Gamma"], flags["Neutron"]


def _rebin(ms: list[Measurement], ids: list[str], width: float) -> list[tuple[int, ...]]:
    """Counts per detector summed over consecutive measurements into rows ``width`` s long."""
    rows: list[tuple[int, ...]] = []
    acc, filled = [0.0] * len(ids), 0.0
    for m in ms:
        if m.seconds > width + 1e-6:
            raise N42Error(f"measurements of {m.seconds:g} s are longer than {width:g} s rows")
        acc = [a + m.counts.get(d, 0.0) for a, d in zip(acc, ids, strict=True)]
        filled += m.seconds
        if filled >= width - 1e-6:
            rows.append(tuple(round(a) for a in acc))
            acc, filled = [0.0] * len(ids), 0.0
    if filled > 0:
        rows.append(tuple(round(a) for a in acc))
    return rows


def _background(ms: list[Measurement], ids: list[str]) -> tuple[float, ...] | None:
    quiet = [m for m in ms if m.background] or [m for m in ms if not m.occupied]
    seconds = sum(m.seconds for m in quiet)
    if not seconds:
        return None
    return tuple(sum(m.counts.get(d, 0.0) for m in quiet) / seconds for d in ids)


def _runs(ms: list[Measurement]) -> list[list[Measurement]]:
    runs: list[list[Measurement]] = []
    for prev, m in zip([None, *ms], ms, strict=False):
        if m.occupied:
            if prev is None or not prev.occupied:
                runs.append([])
            runs[-1].append(m)
    return runs


def read(data: bytes, sigma: float | None = None) -> list[OccupancyRecord]:
    """The occupancies of an N42.42-2011 portal file, judged by our check."""
    root = _root(data)
    gamma, neutron = _detectors(root)
    ms = [_measurement(el) for el in root.iter(f"{N}RadMeasurement")]
    runs = _runs(ms)
    if not runs:
        raise N42Error("no occupied measurement (OccupancyIndicator true/1) in the file")
    device = _device_alarms(root)
    number = _NUMBER.search(root.findtext(f"{N}AnalysisResults/{N}AnalysisResultDescription") or "")
    gamma_bg, neutron_bg = _background(ms, gamma), _background(ms, neutron)
    out = []
    for i, run in enumerate(runs):
        tracker = OccupancyTracker(sigma or alarm.DEFAULT_SIGMA, backdate=False)
        tracker.background = gamma_bg
        tracker.neutron_background = sum(neutron_bg) if neutron_bg else None
        occ = int(number.group(1)) if number and len(runs) == 1 else i + 1
        out.append(_judge(tracker, run, gamma, neutron, device, occ))
    return out


def _judge(
    tracker: OccupancyTracker, run: list[Measurement], gamma: list[str], neutron: list[str],
    device: tuple[bool, bool], number: int,
) -> OccupancyRecord:  # fmt: skip
    start = run[0].start
    for j, row in enumerate(_rebin(run, gamma, alarm.INTERVAL_S)):
        tracker.gamma_row(row, device[0], start + j * alarm.INTERVAL_S)
    neutron_rows = _rebin(run, neutron, 1.0) if neutron else []
    for j, row in enumerate(neutron_rows):
        tracker.neutron_row(row, device[1], start + j)
    if not neutron_rows:
        tracker.neutron_row((), device[1], start)
    end = run[-1].start + run[-1].seconds
    return tracker.close(end, number)
