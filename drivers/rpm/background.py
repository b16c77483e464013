"""The neutron background the check is given: a steadier estimate than the device's own.

A portal reports its neutron background as a running average over about two
minutes (Rapiscan's ``NB1`` every 5 s while idle and the ``GX`` value at the end
of an occupancy; in the shared recording consecutive ``NB1`` sums step by
0.07 cps at 6.4 cps, which is √(2·6.4·5)/W for W ≈ 2 min). At 6 cps such an
average is off by 3.7 % (1 σ), and the check's false-alarm rate, computed for
the background it is told, then runs 1.1–1.2 times its budget: an underestimate
costs more than an overestimate saves. So the lane keeps its own average: one
reading every ``WINDOW_S`` at most (independent counting windows), the mean of
those of the last ``SPAN_S``. With five windows (ten minutes) the error is
√5 smaller and the full budget applies; with fewer (the first minutes after
start, a quiet lane without ``NB1``) the check spends ``SHORT_SHARE`` of it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

WINDOW_S = 120.0  # the device's own averaging time: readings this far apart are independent
SPAN_S = 600.0  # readings kept: ten minutes
FULL_WINDOWS = 5  # readings for the full budget
SHORT_SHARE = 0.8  # the budget's share until then (one window: the rate runs 1.1-1.2 × p)


@dataclass
class NeutronBackground:
    """Readings of the device's neutron background (cps, all detectors) in, an average out."""

    readings: deque[tuple[float, float]] = field(default_factory=deque)

    def add(self, cps: float, t: float) -> None:
        """One reading at time ``t`` (s); kept when ``WINDOW_S`` after the last one kept."""
        if self.readings and t < self.readings[-1][0]:
            self.readings.clear()  # the clock went back (a new recording): start again
        if not self.readings or t - self.readings[-1][0] >= WINDOW_S:
            self.readings.append((t, cps))
        while t - self.readings[0][0] >= SPAN_S:
            self.readings.popleft()

    @property
    def windows(self) -> int:
        """How many independent readings the average holds."""
        return len(self.readings)

    def value(self) -> float | None:
        """The mean of the readings kept (cps), or None before the first."""
        if not self.readings:
            return None
        return sum(cps for _, cps in self.readings) / len(self.readings)

    def budget(self, p: float) -> float:
        """The false-alarm budget the check may spend with this average."""
        return p if self.windows >= FULL_WINDOWS else p * SHORT_SHARE
