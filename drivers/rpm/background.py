"""The neutron background the check is given: a steadier estimate than the device's own.

A portal reports its neutron background as a running average over about two
minutes (Rapiscan's ``NB1`` every 5 s while idle and the ``GX`` value at the end
of an occupancy; in the shared recording consecutive ``NB1`` sums step by
0.07 cps at 6.4 cps, which is √(2·6.4·5)/W for W ≈ 2 min). At 6 cps such an
average is off by 3.7 % (1 σ), and the check's false-alarm rate, computed for
the background it is told, then runs 1.1–1.2 times its budget: an underestimate
costs more than an overestimate saves. So the lane keeps its own average: one
reading every ``WINDOW_S`` at most (independent counting windows), the mean of
those of the last ``SPAN_S`` — with five windows (ten minutes) the error is √5
smaller — and the check spends a share of its budget that makes up for what is
left of it. The real rate, averaged over the average's Poisson error, runs
above the computed one by a factor of about exp(c·σ²), σ² the relative variance
of the average (∝ 1/windows) and c the rate's sensitivity to it — to first
order the same at any background, as the check's weights scale with √b. So the
share is exp(−``NOISE_KAPPA`` / windows): 0.71 with one window, 0.93 with five.
``NOISE_KAPPA`` comes from the check's exact rate for lorries of 7–15 rows told
the mean of w Poisson 2 min readings at 6.2 cps (tests/test_rpm_neutron.py): it
keeps the real rate at 0.93–0.95 of p for every w from 1 to 5.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

WINDOW_S = 120.0  # the device's own averaging time: readings this far apart are independent
SPAN_S = 600.0  # readings kept: ten minutes
FULL_WINDOWS = int(SPAN_S // WINDOW_S)  # readings the average holds after ten minutes: five
NOISE_KAPPA = 0.35  # the budget's share is exp(−NOISE_KAPPA / windows) (see above)


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
        """The false-alarm budget the check may spend with this average (none: all of p,
        the background is then given as it is)."""
        return p * math.exp(-NOISE_KAPPA / self.windows) if self.windows else p
