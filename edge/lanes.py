"""Lanes: which documents belong to an occupancy, and whether the RPM protects the lane.

A crossing is what one vehicle brings through a lane: the documents and scans
read at that lane shortly before or during its occupancy of the portal. A lane
is protected only while its RPM runs, reports no active fault, and its own
status says so.
"""

from __future__ import annotations

import collections
import dataclasses
import time

from drivers.base import Reading
from drivers.events import RpmFault, RpmStatus, with_fields

DOCUMENT_KINDS = ("mrz", "barcode", "manual")
CROSSING_WINDOW_S = 180.0
NOT_A_FAULT = ("disagreement",)


class LaneTracker:
    """Remembers recent documents per lane and active RPM faults per device."""

    def __init__(self, window_s: float = CROSSING_WINDOW_S) -> None:
        self.window_s = window_s
        self._documents: dict[str, collections.deque[tuple[float, int]]] = {}
        self._faults: dict[str, set[str]] = {}
        self._status: dict[str, bool] = {}

    def prepare(self, reading: Reading, lane: str | None) -> Reading:
        """An occupancy gets its crossing: the documents read at its lane in the window since
        the previous occupancy (each document belongs to one crossing: the occupancy claims it).
        A portal fault that raises an alert gets a summary in words."""
        if isinstance(reading.body, RpmFault) and reading.alert:
            return dataclasses.replace(reading, body=_fault_summary(reading.body, lane))
        if reading.kind != "rpm.occupancy" or lane is None:
            return reading
        now = time.monotonic()
        seqs = [seq for t, seq in self._documents.get(lane, ()) if now - t <= self.window_s]
        self._documents.pop(lane, None)
        crossing = {"lane": lane, "documents": seqs} if seqs else None
        return dataclasses.replace(reading, body=with_fields(reading.body, crossing=crossing))

    def stored(self, reading: Reading, lane: str | None, device: str | None, seq: int) -> None:
        """Update what is known after a reading was stored as event ``seq``."""
        if reading.kind in DOCUMENT_KINDS and lane is not None:
            recent = self._documents.setdefault(lane, collections.deque(maxlen=50))
            recent.append((time.monotonic(), seq))
        elif device is not None and isinstance(reading.body, RpmFault):
            self._fault(device, reading.body)
        elif device is not None and isinstance(reading.body, RpmStatus):
            self._status[device] = reading.body.protected

    def _fault(self, device: str, fault: RpmFault) -> None:
        if fault.fault in NOT_A_FAULT:
            return
        active = self._faults.setdefault(device, set())
        if fault.cleared:
            active.discard(fault.fault)
        else:
            active.add(fault.fault)

    def rpm_state(self, device: str) -> tuple[bool, list[str]]:
        """(protected as far as the RPM's own reports go, its active faults)."""
        faults = sorted(self._faults.get(device, ()))
        return not faults and self._status.get(device, True), faults

    def forget(self, device: str) -> None:
        """A device restarted: its faults will be reported again."""
        self._faults.pop(device, None)
        self._status.pop(device, None)


def _fault_summary(fault: RpmFault, lane: str | None) -> RpmFault:
    """``lane 1 not protected: silence - no line for 58.2 s`` as the fault's alert summary
    (the alert said only ``rpm-fault``); a summary the reading brings is kept."""
    if fault.extra.get("summary"):
        return fault
    what = " - ".join(part for part in (fault.fault, fault.detail) if part) or "portal fault"
    where = f"lane {lane} not protected" if lane else "radiation portal fault"
    return with_fields(fault, summary=f"{where}: {what}")
