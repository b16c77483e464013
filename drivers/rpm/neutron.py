"""The neutron check: a matched filter over the occupancy, with an exact false-alarm rate.

A neutron source in a vehicle passing at speed v adds counts with the
detectors' response h²/(h² + x²) (h = 2 m, x = v·(t − t0)), about 2h/v seconds
wide: at lane speeds it falls over two to four of the portal's 1 s rows. For
every row i and every *kernel* — the profile f of a design source (6σ: 6·√b
counts in its best 1 s) over rows i−1, i, i+1, its peak at one of several
phases of row i — the statistic is the log-likelihood ratio of that source
against background alone,

    L = Σ_r x_r·ln(1 + f_r/b) − Σ_r f_r,

and the occupancy alarms when the largest L reaches λ. Rows outside the
occupancy count as 0.

λ is a value whose false-alarm probability — background alone (Poisson, b
per row) reaching λ anywhere in the occupancy — is at most p and within 3 % of
it, computed exactly by dynamic programming over the counts of the last two
rows (no Bonferroni split, no simulation; counts beyond the grid count as
alarms, so the figure is an upper bound). An occupancy of more than ``BLOCK`` rows is
bounded by its blocks of ``BLOCK`` rows (union bound). Thresholds are cached by
background, speed, length and p; the background is rounded *up* to a 0.5 % grid,
which can only lower the false-alarm rate (every weight is positive).
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
PHASES = (0.0, 0.2, 0.4, 0.5)  # peak position in the centre row, seconds after its middle
UNKNOWN_SPEEDS_KMH = (5, 8, 12)  # kernels for all of these when the speed is not known
SPEED_RANGE_KMH = (3, 30)
BLOCK = 20  # rows computed exactly; longer occupancies are bounded block by block
B_STEP = 1.005  # background grid (relative), rounded up
GRID_MARGIN = 1e-3  # counts beyond the grid have at most this share of the budget
CLOSE_ENOUGH = 0.97  # the threshold search stops at a rate within 3 % of p
TIE = 1e-9  # a statistic this close below λ alarms, in the scan and in the rate alike


@dataclass(frozen=True)
class Calibration:
    """The kernels of one (background, speed, length, p) and the threshold they need."""

    weights: np.ndarray  # (kernels, 3) ln(1 + f/b) per row
    offsets: np.ndarray  # (kernels,) Σ f
    profiles: np.ndarray  # (kernels, 3) f, the design source's counts per row
    threshold: float  # λ
    false_alarm: float  # the computed bound for this λ (≤ p)


@dataclass(frozen=True)
class Scan:
    """The best test of an occupancy: its statistic, where, and its counts."""

    statistic: float
    row: int  # centre row of the best window
    counts: int  # counts in the window's rows that lie inside the occupancy
    rows: int  # how many of the window's three rows lie inside the occupancy
    counts_to_alarm: int  # window counts that reach λ when shaped like the best kernel


def row_profile(speed_ms: float, phase: float) -> np.ndarray:
    """The response over rows −1, 0, +1 for a peak ``phase`` s after row 0's middle,
    relative to the best 1 s window (so a source of Sσ is this × S·√b)."""
    a = speed_ms / LATERAL_M

    def mass(lo: float, hi: float) -> float:
        return (math.atan(a * hi) - math.atan(a * lo)) / a

    best = mass(-0.5, 0.5)
    return np.array([mass(lo - phase, lo + 1 - phase) for lo in (-1.5, -0.5, 0.5)]) / best


def profiles(speeds_kmh: tuple[int, ...], b: float) -> np.ndarray:
    """The design source's counts per row for every speed, phase and its mirror image."""
    scale = DESIGN_SIGMA * math.sqrt(b)
    rows = []
    for kmh in speeds_kmh:
        for phase in PHASES:
            f = row_profile(kmh / 3.6, phase) * scale
            rows += [f, f[::-1]] if phase else [f]
    return np.array(rows)


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


def statistic_grid(weights: np.ndarray, offsets: np.ndarray, size: int) -> np.ndarray:
    """The largest L over the kernels for every (x₋₁, x₀, x₊₁) below ``size``."""
    x = np.arange(size, dtype=float)
    grid = np.full((size, size, size), -np.inf)
    for w, off in zip(weights, offsets, strict=True):
        cube = w[0] * x[:, None, None] + w[1] * x[None, :, None] + w[2] * x[None, None, :]
        np.maximum(grid, cube - off, out=grid)
    return grid


def quiet_cells(grid: np.ndarray, threshold: float) -> np.ndarray:
    """1.0 where the statistic stays below λ (``reaches`` is false), else 0.0: the grid and
    the scan add the same terms in another order, so a tie must count as an alarm in both."""
    quiet: np.ndarray = (grid < threshold - TIE).astype(float)
    return quiet


def reaches(statistic: float, threshold: float) -> bool:
    """Whether a statistic alarms at λ (ties, to rounding, alarm)."""
    return statistic >= threshold - TIE


def false_alarm(quiet: np.ndarray, pmf: np.ndarray, rows: int, interior: bool) -> float:
    """P(any test of ``rows`` centres alarms) for background counts; ``quiet`` marks the
    (x₋₁, x₀, x₊₁) that do not alarm. Outside rows are 0, or Poisson when ``interior``."""
    edge = pmf if interior else np.eye(1, len(pmf))[0]
    by_middle = np.ascontiguousarray(quiet.transpose(1, 0, 2))  # [x₀, x₋₁, x₊₁]
    state = np.outer(edge, pmf)  # P(x_{i-1}, x_i, no alarm yet)
    for i in range(rows):
        after = pmf if i < rows - 1 else edge
        state = np.matmul(state.T[:, None, :], by_middle)[:, 0, :] * after[None, :]
    return float(1.0 - state.sum())


def bracket(grid: np.ndarray, pmf: np.ndarray, values: np.ndarray, tests: int, p: float,
            full: bool) -> tuple[int, int]:  # fmt: skip
    """Indices of ``values`` between which λ lies. One row's test alarms with probability
    at most q(λ) (exactly q with its neighbours inside), so the rate of a block is at most
    ``tests``·q, and at least q when ``full`` (a row with both neighbours inside)."""
    cells = (pmf[:, None, None] * pmf[None, :, None] * pmf[None, None, :]).ravel()
    order = np.argsort(grid.ravel())
    above = cells[order][::-1].cumsum()[::-1]  # q at each cell's own value, ascending
    q = above[np.searchsorted(grid.ravel()[order], values)]
    safe = np.flatnonzero(tests * q <= p * (1 - GRID_MARGIN))
    hi = int(safe[0]) if len(safe) else len(values) - 1
    low = np.flatnonzero(q > p) if full else np.array([], dtype=int)
    return (int(low[-1]) + 1 if len(low) else 0), hi


@lru_cache(maxsize=4096)
def calibrate(b: float, speeds_kmh: tuple[int, ...], rows: int, p: float) -> Calibration:
    """Kernels and a λ whose false-alarm bound over ``rows`` rows is ≤ p, and within 3 %
    of p unless no λ comes that close (then the smallest that keeps to p)."""
    f = profiles(speeds_kmh, b)
    weights, offsets = np.log1p(f / b), f.sum(axis=1)
    blocks = math.ceil(rows / BLOCK)
    span = min(rows, BLOCK)
    size = grid_size(b, GRID_MARGIN * p / (3 * span * blocks))
    grid = statistic_grid(weights, offsets, size)
    pmf = poisson_pmf(b, size)
    values = np.unique(grid)

    def bound(i: int) -> float:
        quiet = quiet_cells(grid, float(values[i]))
        return blocks * false_alarm(quiet, pmf, span, interior=blocks > 1)

    lo, hi = bracket(grid, pmf, values, span, p / blocks, span >= 3)
    if bound(hi) > p:
        lo, hi = hi, len(values) - 1
    best, rate = search(values, bound, lo, hi, p)
    return Calibration(weights, offsets, f, float(values[best]), rate)


def search(values: np.ndarray, bound: Callable[[int], float], lo: int, hi: int,
           p: float) -> tuple[int, float]:  # fmt: skip
    """An index of ``values`` whose rate is ≤ p and within ``CLOSE_ENOUGH`` of it (else the
    smallest such), searching between ``lo`` (the lowest that may do) and ``hi`` (which
    does): log rate is nearly linear in λ, so interpolate, bisecting every other step."""
    rate_hi = bound(hi)
    below, rate_below = lo - 1, math.inf
    for step in itertools.count():
        if hi - below <= 1 or rate_hi >= CLOSE_ENOUGH * p:
            break
        mid = (below + hi) // 2
        if step % 2 == 0 and math.isfinite(rate_below) and rate_hi > 0:
            mid = _interpolate(values, (below, rate_below), (hi, rate_hi), p)
        rate = bound(mid)
        if rate <= p:
            hi, rate_hi = mid, rate
        else:
            below, rate_below = mid, rate
    return hi, rate_hi


def _interpolate(values: np.ndarray, above: tuple[int, float], under: tuple[int, float],
                 p: float) -> int:  # fmt: skip
    """The index where log rate, linear in λ between the two points, reaches the middle of
    the band the search accepts (``CLOSE_ENOUGH``·p to p)."""
    (i, f_i), (j, f_j) = above, under
    x_i, x_j = float(values[i]), float(values[j])
    t = (math.log((1 + CLOSE_ENOUGH) / 2 * p) - math.log(f_i)) / (math.log(f_j) - math.log(f_i))
    k = int(np.searchsorted(values, x_i + t * (x_j - x_i)))
    return min(max(k, i + 1), j - 1)


def scan(totals: list[int], cal: Calibration) -> Scan:
    """The best kernel and row of an occupancy's 1 s totals."""
    padded = np.concatenate(([0.0], np.asarray(totals, dtype=float), [0.0]))
    windows = np.stack([padded[:-2], padded[1:-1], padded[2:]], axis=1)
    stats = windows @ cal.weights.T - cal.offsets
    row, kernel = np.unravel_index(int(np.argmax(stats)), stats.shape)
    inside = [r for r in (row - 1, row, row + 1) if 0 <= r < len(totals)]
    f = cal.profiles[kernel]
    per_count = float(cal.weights[kernel] @ f / f.sum())
    need = math.ceil((cal.threshold + cal.offsets[kernel]) / per_count - 1e-9)
    return Scan(float(stats[row, kernel]), int(row), int(sum(totals[r] for r in inside)),
                len(inside), need)  # fmt: skip
