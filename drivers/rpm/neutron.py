"""The neutron check: a matched filter over the occupancy, with an exact false-alarm rate.

A neutron source in a vehicle passing at speed v adds counts with the
detectors' response h²/(h² + x²) (h = 2 m, x = v·(t − t0)), about 2h/v seconds
wide: at lane speeds it falls over two to four of the portal's 1 s rows. For
every window of four rows (three above ``FOUR_ROWS_UP_TO_CPS`` of background,
where the four-row programme costs too much) and every *kernel* — the profile f of a design
source (6σ: 6·√b counts in its best 1 s) over the window, its peak in the
window's second row at one of several phases, or mirrored into its third —
the statistic is the log-likelihood ratio of that source against background
alone,

    L = Σ_r x_r·ln(1 + f_r/b) − Σ_r f_r,

and the occupancy alarms when the largest L reaches λ. Windows start two rows
before the occupancy and end two after it; rows outside it count as 0.

λ is a value whose false-alarm probability — background alone (Poisson, b
per row) reaching λ anywhere in the occupancy — is at most p and within 3 % of
it, computed exactly by dynamic programming over the counts of the last three
rows (no Bonferroni split, no simulation; counts beyond the grid count as
alarms, so the figure is an upper bound). Every weight is positive, so the
counts of a window's last row that keep it quiet, the others given, are those
below a cut: a step of the programme is a histogram of those cuts, not a sum
over every cell of a four-row table. An occupancy of more than ``BLOCK`` rows
is bounded by its blocks of ``BLOCK`` rows (union bound). Thresholds are cached
by background, speed, length and p; the background is rounded *up* to a 0.5 %
grid, which can only lower the false-alarm rate.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

LATERAL_M = 2.0  # detector to lane centre
DESIGN_SIGMA = 6.0  # the source the weights are tuned for
WINDOW_ROWS = 4  # rows of a kernel: one before the peak's row, two after (or mirrored)
FOUR_ROWS_UP_TO_CPS = 8.0  # ... up to this background; above, three (the programme grows as b³)
PHASES = (0.0, 0.2, 0.4, 0.5)  # peak position in its row, seconds after the row's middle
UNKNOWN_SPEEDS_KMH = (5, 8, 12)  # kernels for all of these when the speed is not known
SPEED_RANGE_KMH = (3, 30)
BLOCK = 20  # rows computed exactly; longer occupancies are bounded block by block
B_STEP = 1.005  # background grid (relative), rounded up
GRID_MARGIN = 1e-3  # counts beyond the grid have at most this share of the budget
CLOSE_ENOUGH = 0.97  # the threshold search stops at a rate within 3 % of p
RESOLUTION = 0.01  # ... or when λ is known to this (the rate jumps: counts are whole)
GUESS_OFFSET = -3.9  # λ ≈ ln(windows / p) − 3.9 (6 cps, 8 km/h, 6–70 rows): where the search starts
TIE = 1e-9  # a statistic this close below λ alarms, in the scan and in the rate alike


@dataclass(frozen=True)
class Calibration:
    """The kernels of one (background, speed, length, p) and the threshold they need."""

    weights: np.ndarray  # (kernels, WINDOW_ROWS) ln(1 + f/b) per row
    offsets: np.ndarray  # (kernels,) Σ f
    profiles: np.ndarray  # (kernels, WINDOW_ROWS) f, the design source's counts per row
    threshold: float  # λ
    false_alarm: float  # the computed bound for this λ (≤ p)


@dataclass(frozen=True)
class Scan:
    """The best test of an occupancy: its statistic, where, and its counts."""

    statistic: float
    row: int  # the row the best kernel peaks in
    counts: int  # counts in the window's rows that lie inside the occupancy
    rows: int  # how many of the window's rows lie inside the occupancy
    counts_to_alarm: int  # window counts that reach λ when shaped like the best kernel


def row_profile(speed_ms: float, phase: float, rows: int = WINDOW_ROWS) -> np.ndarray:
    """The response over rows −1, 0, … rows − 2 for a peak ``phase`` s after row 0's middle,
    relative to the best 1 s window (so a source of Sσ is this × S·√b)."""
    a = speed_ms / LATERAL_M

    def mass(lo: float, hi: float) -> float:
        return (math.atan(a * hi) - math.atan(a * lo)) / a

    best = mass(-0.5, 0.5)
    return np.array([mass(lo - phase, lo + 1 - phase) for lo in np.arange(rows) - 1.5]) / best


def profiles(speeds_kmh: tuple[int, ...], b: float, window: int = WINDOW_ROWS) -> np.ndarray:
    """The design source's counts per row of a ``window`` for every speed, phase and its
    mirror image (a peak in the middle of the window is its own mirror image)."""
    scale = DESIGN_SIGMA * math.sqrt(b)
    rows = []
    for kmh in speeds_kmh:
        for phase in PHASES:
            f = row_profile(kmh / 3.6, phase, window) * scale
            rows += [f] if np.allclose(f, f[::-1]) else [f, f[::-1]]
    return np.array(rows)


def window_rows(b: float) -> int:
    """Rows of the windows at background ``b``: four, or three at a background so high that
    the four-row programme (size³ cells a row, size ≈ b + 8√b) would cost ~50 ms or more."""
    return WINDOW_ROWS if b <= FOUR_ROWS_UP_TO_CPS else WINDOW_ROWS - 1


def speed_key(speed_kmh: float | None) -> tuple[int, ...]:
    """The speeds to build kernels for: the measured one in whole km/h, else a spread."""
    if speed_kmh is None or not math.isfinite(speed_kmh) or speed_kmh <= 0:
        return UNKNOWN_SPEEDS_KMH
    low, high = SPEED_RANGE_KMH
    return (int(min(max(round(speed_kmh), low), high)),)


def background_key(b: float) -> float:
    """``b`` rounded up to the 0.5 % grid (a higher background only raises λ)."""
    return round(B_STEP ** math.ceil(math.log(b) / math.log(B_STEP) - 1e-9), 6)


def poisson_pmf(mean: float, size: int) -> np.ndarray:
    """P(X = k) for k < size, X ~ Poisson(mean)."""
    k = np.arange(size, dtype=float)
    log_fact = np.array([math.lgamma(x + 1.0) for x in k])
    pmf: np.ndarray = np.exp(k * math.log(mean) - mean - log_fact)
    return pmf


def grid_size(mean: float, tail: float) -> int:
    """The smallest m with P(X ≥ m) ≤ tail, X ~ Poisson(mean)."""
    term = math.exp(-mean)
    cdf, k = term, 0
    while 1.0 - cdf > tail and k < 10_000:
        k += 1
        term *= mean / k
        cdf += term
    return k + 1


def cutoffs(weights: np.ndarray, offsets: np.ndarray, threshold: float, size: int) -> np.ndarray:
    """For the counts of a window's rows but the last (each below ``size``), how many counts
    of its last row keep every kernel's L below λ (``reaches`` is false): every weight is
    positive, so those counts are 0 up to the cut."""
    k = weights.shape[1]
    x = np.arange(size, dtype=float)
    axes = [x.reshape([size if i == j else 1 for i in range(k - 1)]) for j in range(k - 1)]
    cut = np.full((size,) * (k - 1), size, dtype=np.int64)
    for w, off in zip(weights, offsets, strict=True):
        room = threshold - TIE + off - sum((w[j] * axes[j] for j in range(k - 1)), np.zeros(()))
        np.minimum(cut, np.clip(np.ceil(room / w[-1]), 0, size).astype(np.int64), out=cut)
    return cut


def reaches(statistic: float, threshold: float) -> bool:
    """Whether a statistic alarms at λ (ties, to rounding, alarm)."""
    return statistic >= threshold - TIE


def false_alarm(cut: np.ndarray, pmf: np.ndarray, rows: int, interior: bool) -> float:
    """P(any window of an occupancy of ``rows`` rows alarms) for background counts: windows
    of k rows (``cut`` as :func:`cutoffs` gives it, k − 1 dimensions) from k − 2 rows before
    the first to k − 2 after the last. Outside rows are 0, or Poisson when ``interior``."""
    size, k = len(pmf), cut.ndim + 1
    edge = pmf if interior else np.eye(1, size)[0]
    lead = size ** (k - 2)
    index = (np.arange(lead) * (size + 1) + cut.reshape(size, lead)).ravel()
    state = edge  # P(counts of the last k − 1 rows, no alarm yet)
    for _ in range(k - 3):
        state = np.multiply.outer(state, edge)
    state = np.multiply.outer(state, pmf)
    for i in range(rows + k - 3):
        after = pmf if i < rows - 1 else edge
        mass = np.bincount(index, weights=state.ravel(), minlength=lead * (size + 1))
        quiet = mass.reshape(lead, size + 1)[:, :0:-1].cumsum(axis=1)[:, ::-1]  # Σ over cuts > d
        state = (quiet * after).reshape((size,) * (k - 1))
    return float(1.0 - state.sum())


@lru_cache(maxsize=4096)
def calibrate(b: float, speeds_kmh: tuple[int, ...], rows: int, p: float) -> Calibration:
    """Kernels and a λ whose false-alarm bound over ``rows`` rows is ≤ p, and within 3 %
    of p unless no λ comes that close (then the smallest found that keeps to p)."""
    blocks = math.ceil(rows / BLOCK)
    span = min(rows, BLOCK)
    size = grid_size(b, GRID_MARGIN * p / (WINDOW_ROWS * span * blocks))
    f = profiles(speeds_kmh, b, window_rows(b))
    weights, offsets = np.log1p(f / b), f.sum(axis=1)
    pmf = poisson_pmf(b, size)

    def bound(threshold: float) -> float:
        cut = cutoffs(weights, offsets, threshold, size)
        return blocks * false_alarm(cut, pmf, span, interior=blocks > 1)

    guess = math.log(blocks * (span + 1) / p) + GUESS_OFFSET  # the rate grows with the windows
    threshold, rate = search(bound, -float(offsets.min()), p, guess)
    return Calibration(weights, offsets, f, threshold, rate)


def search(bound: Callable[[float], float], floor: float, p: float,
           guess: float) -> tuple[float, float]:  # fmt: skip
    """A λ whose rate is ≤ p and within ``CLOSE_ENOUGH`` of it, else (the rate jumps over that
    band) the lowest found that keeps to p, to ``RESOLUTION``. At ``floor`` an empty window
    alarms. Log rate falls nearly linearly in λ (slope about −1): Newton steps from ``guess``
    on the slope seen so far, every third step a bisection once λ is bracketed."""
    target = (1 + CLOSE_ENOUGH) / 2 * p
    below, hi, rate_hi = floor, math.inf, 0.0
    x, slope, last = max(guess, floor + RESOLUTION), -1.0, None
    for step in itertools.count():
        rate = bound(x)
        if rate <= p:
            hi, rate_hi = x, rate
        else:
            below = x
        if rate_hi >= CLOSE_ENOUGH * p or hi - below < RESOLUTION:
            return hi, rate_hi
        if last is not None and last[0] != x and 0 < rate < 1 and 0 < last[1] < 1:
            slope = min((math.log(rate) - math.log(last[1])) / (x - last[0]), -0.05)
        last = (x, rate)
        x += (math.log(target) - math.log(max(rate, 1e-300))) / slope
        if math.isfinite(hi):
            width = hi - below
            x = (
                (below + hi) / 2
                if step % 3 == 2
                else min(max(x, below + width / 10), hi - width / 10)
            )
    raise AssertionError("unreachable")


def scan(totals: list[int], cal: Calibration) -> Scan:
    """The best kernel and window of an occupancy's 1 s totals."""
    k = cal.weights.shape[1]
    pad = np.zeros(k - 2)
    padded = np.concatenate((pad, np.asarray(totals, dtype=float), pad))
    stats = np.lib.stride_tricks.sliding_window_view(padded, k) @ cal.weights.T - cal.offsets
    start, kernel = np.unravel_index(int(np.argmax(stats)), stats.shape)
    first = int(start) - (k - 2)
    inside = [r for r in range(first, first + k) if 0 <= r < len(totals)]
    f = cal.profiles[kernel]
    per_count = float(cal.weights[kernel] @ f / f.sum())
    need = math.ceil((cal.threshold + cal.offsets[kernel]) / per_count - 1e-9)
    return Scan(float(stats[start, kernel]), first + int(np.argmax(f)),
                int(sum(totals[r] for r in inside)), len(inside), need)  # fmt: skip
