"""Our own alarm check, independent of the device's.

Gamma: for every 200 ms interval, 1 s and 2 s running sums (five and ten
intervals) of all four detectors, of detectors 1+2 and of 3+4; an alarm when a
sum S exceeds B + n·√B, B being the matching sum of the background frozen at
the start of the occupancy over the same time. A window shorter than its length
(the start of an occupancy) is compared with the background scaled to its
length. The 2 s sums catch the broad response of a slow vehicle's source, which
a 1 s sum cuts; the 1 s sums, a fast one's.

Neutron: a matched filter over the occupancy's 1 s rows (``neutron.py``): the
log-likelihood ratio of a source passing at the measured speed against
background, its threshold set so that background alone alarms on an occupancy
with probability at most ``p`` whatever its length — computed exactly, not split
over the tests — so a long occupancy (a slow lorry of NORM cargo, a stopped
vehicle) is not more likely to alarm than a car.

A portal with one gamma channel (Aspect) gives rows of one count; the two
side groups are then not formed.

NORM (naturally occurring radioactive material) is an advisory label on a
gamma alarm whose excess is weak (peak below 2n σ) and broad: the all-detector
1 s excess stays above half its peak over at least 7 m of vehicle (the time
above half peak, less the 1 s of the window, times the speed), or at least 3 s
when the speed is unknown. A point source seen from 2 m is about 4 m wide. The
label never suppresses an alarm.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from drivers.rpm import neutron as matched

INTERVAL_S = 0.2
WINDOW = 5  # intervals in one running sum (1 s)
WINDOWS = (WINDOW, 2 * WINDOW)  # the gamma check's running sums: 1 s and 2 s
DEFAULT_SIGMA = 5.0
DEFAULT_NEUTRON_P = 1e-4  # per occupancy, exact, with the lane's 10 min background (background.py)
MIN_NEUTRON_BACKGROUND = 0.05  # cps floor so a zero background cannot alarm on one count
NORM_WIDTH_S = 3.0
NORM_WIDTH_M = 7.0
GROUPS = ("all", "1+2", "3+4")

Counts = tuple[int, ...]  # one count per gamma detector (4 Rapiscan, 1 Aspect)


@dataclass(frozen=True)
class GammaVerdict:
    """Gamma check result: alarm, peak sigma, threshold, per-window sums of all detectors."""

    alarm: bool
    peak_sigma: float
    peak_group: str
    background_1s: float  # B of all four detectors (1 s sum)
    threshold_1s: float  # B + n·√B for all four detectors
    norm_suspect: bool


@dataclass(frozen=True)
class NeutronVerdict:
    """Neutron check result: alarm, background used (cps), the best window and its threshold.

    ``peak_counts`` are the counts of the best window's rows (``peak_window_s`` of them,
    up to 4), ``threshold`` the counts that window needs to alarm when they are shaped
    like the expected source; the test itself compares ``statistic`` with
    ``statistic_threshold``, whose false-alarm probability is at most ``false_alarm``.
    """

    alarm: bool
    background_cps: float
    peak_counts: int
    peak_window_s: int
    threshold: int
    statistic: float = 0.0
    statistic_threshold: float = 0.0
    false_alarm: float = 0.0


def group_backgrounds(cps: Sequence[float]) -> tuple[float, float, float]:
    """1 s background sums of all, 1+2 and 3+4 from per-detector cps (sides 0 unless four)."""
    if len(cps) != 4:
        return (float(sum(cps)), 0.0, 0.0)
    return (float(sum(cps)), float(cps[0] + cps[1]), float(cps[2] + cps[3]))


def gamma_check(
    series: Sequence[Counts],
    background_cps: Sequence[float],
    n: float = DEFAULT_SIGMA,
    speed_kmh: float | None = None,
    windows: tuple[int, ...] = WINDOWS,
) -> GammaVerdict:
    """Run the gamma check over one occupancy's 200 ms counts (``windows``: the running
    sums' lengths in intervals; the benchmark passes ``(WINDOW,)`` for the rule before)."""
    backs = group_backgrounds(background_cps)
    peaks = _peaks(series, backs, windows) if series and backs[0] > 0 else {}
    peak, group = max(peaks.values(), default=(0.0, GROUPS[0]))
    alarm = peak > n
    one_s = peaks.get(WINDOW, (0.0, GROUPS[0]))[0]
    norm = alarm and one_s < 2 * n and _broad(_excess_width(series, backs[0]), speed_kmh)
    threshold = backs[0] + n * math.sqrt(backs[0])
    return GammaVerdict(alarm, round(peak, 3), group, backs[0], round(threshold, 3), norm)


def window_sigmas(totals: np.ndarray, b_1s: float, window: int) -> np.ndarray:
    """σ of every running sum of ``window`` intervals (shorter at the start) of one group's
    200 ms counts, against ``b_1s`` (that group's background over 1 s) scaled to the sum's
    length."""
    sums = np.convolve(totals, np.ones(window), mode="full")[: len(totals)]
    b = b_1s * np.minimum(np.arange(1, len(totals) + 1), window) / WINDOW
    sigmas: np.ndarray = (sums - b) / np.sqrt(b)
    return sigmas


def running_alarm(totals: np.ndarray, b_1s: float, n: float) -> np.ndarray:
    """Per interval, whether a running sum of the check ending there passes B + n·√B
    (one group; the simulators' device flags)."""
    flags = np.zeros(len(totals), dtype=bool)
    for window in WINDOWS:
        flags |= window_sigmas(totals, b_1s, window) > n
    return flags


def _peaks(series: Sequence[Counts], backs: tuple[float, float, float], windows: tuple[int, ...]
           ) -> dict[int, tuple[float, str]]:  # fmt: skip
    """The largest σ of any running sum and its group, per window length."""
    rows = np.asarray(series, dtype=float).reshape(len(series), -1)
    groups = (rows.sum(axis=1), rows[:, :2].sum(axis=1), rows[:, 2:4].sum(axis=1))
    out: dict[int, tuple[float, str]] = {}
    for window in windows:
        for g, name in enumerate(GROUPS):
            if backs[g] <= 0:
                continue  # no such group (one-channel portal)
            sig = float(window_sigmas(groups[g], backs[g], window).max())
            if window not in out or sig > out[window][0]:
                out[window] = (sig, name)
    return out


def _broad(width_s: float, speed_kmh: float | None) -> bool:
    if speed_kmh is None:
        return width_s >= NORM_WIDTH_S
    return (width_s - WINDOW * INTERVAL_S) * speed_kmh / 3.6 >= NORM_WIDTH_M


def running_sums(series: Sequence[Counts]) -> list[int]:
    """All-detector 1 s running sums, one per 200 ms interval (shorter windows at the start)."""
    out, total = [], 0
    for i, row in enumerate(series):
        total += sum(row)
        if i >= WINDOW:
            total -= sum(series[i - WINDOW])
        out.append(total)
    return out


def _excess_width(series: Sequence[Counts], b_all: float) -> float:
    """Seconds for which the all-detector 1 s excess stays above half its peak."""
    sums = running_sums(series)
    excess = [s - b_all * min(i + 1, WINDOW) / WINDOW for i, s in enumerate(sums)]
    top = max(excess, default=0.0)
    if top <= 0:
        return 0.0
    return sum(1 for e in excess if e >= top / 2) * INTERVAL_S


def poisson_threshold(mean: float, p: float) -> int:
    """The smallest k with P(X ≥ k) ≤ p for X ~ Poisson(mean)."""
    return matched.grid_size(mean, p)


def prepare_neutron(rows: int, background_cps: float | None, p: float = DEFAULT_NEUTRON_P,
                    speed_kmh: float | None = None) -> None:  # fmt: skip
    """Compute (and cache) the threshold ``neutron_check`` will need for an occupancy of
    ``rows`` rows, so that a monitor can pay for it before the occupancy ends."""
    if background_cps is not None and rows > 0:
        _calibration(max(background_cps, MIN_NEUTRON_BACKGROUND), rows, p, speed_kmh)


def _calibration(b: float, rows: int, p: float, speed_kmh: float | None) -> matched.Calibration:
    """The matched filter's threshold for ``rows`` rows at background ``b`` (cached)."""
    return matched.calibrate(matched.background_key(b), matched.speed_key(speed_kmh), rows, p)


def neutron_check(
    series: Sequence[Sequence[int]],
    background_cps: float | None,
    p: float = DEFAULT_NEUTRON_P,
    speed_kmh: float | None = None,
) -> NeutronVerdict:
    """Run the neutron check over one occupancy's 1 s counts (any number of detectors).

    ``p`` is the false-alarm probability of the occupancy; ``speed_kmh`` shapes the
    expected source (None: kernels for 5, 8 and 12 km/h). With no background known
    yet (no GX, no NB) the check cannot run: no alarm, background reported as 0; an
    occupancy with no neutron rows has nothing to test (window and threshold 0).
    """
    totals = [sum(row) for row in series]
    if background_cps is None:
        return NeutronVerdict(False, 0.0, sum(totals), 0, 0)
    b = max(background_cps, MIN_NEUTRON_BACKGROUND)
    if not totals:  # no neutron row in this occupancy: nothing to test, the background stands
        return NeutronVerdict(False, b, 0, 0, 0)
    cal = _calibration(b, len(totals), p, speed_kmh)
    best = matched.scan(totals, cal)
    alarmed = matched.reaches(best.statistic, cal.threshold)
    return NeutronVerdict(
        alarmed, b, best.counts, best.rows, best.counts_to_alarm,
        best.statistic, cal.threshold, cal.false_alarm,
    )  # fmt: skip
