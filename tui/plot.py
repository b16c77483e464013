"""A gamma profile against its alarm threshold, drawn with plain characters (any terminal).

For an ``rpm.occupancy`` of our RPM driver the profile is drawn in sigma, the
unit of the alarm check: at each 200 ms interval the larger of the 1 s and
2 s running sums of all four detectors, (S − B)/√B against the alarm level n.
So a broad source that alarmed on its 2 s sum crosses the line too; an alarm
from one side's pair of detectors is said in words (one line of all four
cannot show it). Other payloads are drawn as given against their threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypeGuard

from rich.text import Text

from tui.display import clean

HEIGHT = 6
WIDTH = 60
PROFILE_KEYS = ("gamma_profile", "gamma_sums", "gamma_series", "gamma", "gamma_cps")
THRESHOLD_KEYS = ("gamma_threshold_1s", "gamma_threshold", "threshold", "gamma_alarm_level")
INTERVALS_PER_S = 5  # the RPM driver's gamma_series has one total per 200 ms
SUM_LENGTHS = (INTERVALS_PER_S, 2 * INTERVALS_PER_S)  # the alarm check's 1 s and 2 s sums


@dataclass(frozen=True)
class Profile:
    """What to draw: one value per column, the alarm line, and the words under the chart."""

    series: list[float]
    threshold: float | None
    label: str = "gamma 1 s sums"
    note: str = ""  # said under the chart, in red
    digits: int = 0  # decimals of the peak and the alarm line


def numbers(value: Any) -> list[float]:
    """A list of numbers from a list of numbers or of per-detector lists (summed)."""
    if not isinstance(value, list):
        return []
    out: list[float] = []
    for item in value[:2000]:
        if isinstance(item, list):
            out.append(sum(float(x) for x in item if _is_number(x)))
        elif _is_number(item):
            out.append(float(item))
    return out


def _is_number(x: object) -> TypeGuard[int | float]:
    """A number that converts to a float (an integer beyond its range does not)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return False
    return isinstance(x, float) or abs(x) < 2**1023


def profile_of(payload: dict[str, Any]) -> Profile:
    """The occupancy's gamma profile and its alarm line, if the payload has them."""
    sigma = _sigma_profile(payload)
    if sigma is not None:
        return sigma
    series = next((numbers(payload[k]) for k in PROFILE_KEYS if numbers(payload.get(k))), [])
    threshold = next((payload[k] for k in THRESHOLD_KEYS if _is_number(payload.get(k))), None)
    if threshold is None:
        line = next((numbers(payload[k]) for k in THRESHOLD_KEYS if numbers(payload.get(k))), [])
        threshold = max(line) if line else None
    return Profile(series, float(threshold) if threshold is not None else None)


def _sigma_profile(payload: dict[str, Any]) -> Profile | None:
    """Sigma of the best running sum (1 s or 2 s, all detectors) per 200 ms, against n."""
    totals = numbers(payload.get("gamma_series"))
    n = _positive(payload.get("sigma"))
    b = _positive(payload.get("gamma_background_1s")) or _background(payload, n)
    if not totals or b is None or n is None:
        return None
    best = [max(col) for col in zip(*(_sigmas(totals, b, w) for w in SUM_LENGTHS), strict=True)]
    group = payload.get("peak_group")
    note = ""
    if isinstance(group, str) and group not in ("", "all") and payload.get("gamma_alarm"):
        peak = payload.get("peak_sigma")
        at = f" ({peak:.1f} sigma)" if _is_number(peak) else ""
        note = f"  the alarm came from detectors {clean(group, 8)} on one side{at}, not drawn here"
    return Profile(best, n, "gamma sigma, best 1 s or 2 s sum", note, 1)


def _sigmas(totals: list[float], b_1s: float, length: int) -> list[float]:
    """σ of the running sum of ``length`` intervals ending at each interval (shorter at the
    start), against ``b_1s`` scaled to the sum's length — as the RPM driver's check computes
    it (drivers/rpm/alarm.py; a test holds the two together). Garbage that overflows is 0."""
    out, total = [], 0.0
    for i, value in enumerate(totals):
        total += value - (totals[i - length] if i >= length else 0.0)
        b = b_1s * min(i + 1, length) / INTERVALS_PER_S
        sigma = (total - b) / math.sqrt(b)
        out.append(sigma if math.isfinite(sigma) else 0.0)
    return out


def _background(payload: dict[str, Any], n: float | None) -> float | None:
    """B from the 1 s threshold T = B + n·√B (events recorded before the background was sent)."""
    t = _positive(payload.get("gamma_threshold_1s"))
    if t is None or n is None:
        return None
    return _positive(((math.sqrt(n * n + 4 * t) - n) / 2) ** 2)


def _positive(x: object) -> float | None:
    """``x`` as a float if it is a finite number above 0."""
    return float(x) if _is_number(x) and 0 < x < math.inf else None


def resample(series: list[float], width: int = WIDTH) -> list[float]:
    """About ``width`` columns: short series stretched, long ones cut to slice maxima."""
    if len(series) <= width:
        return [v for v in series for _ in range(max(1, width // max(len(series), 1)))]
    step = len(series) / width
    return [
        max(series[int(i * step) : max(int((i + 1) * step), int(i * step) + 1)])
        for i in range(width)
    ]


def chart(profile: Profile, height: int = HEIGHT) -> Text:
    """Bars of ``#`` (red above the threshold), the threshold as a row of ``-``."""
    cols = [
        v if math.isfinite(v) else 0.0 for v in resample(profile.series)
    ]  # garbage in: no crash
    threshold = (
        profile.threshold if profile.threshold is None or math.isfinite(profile.threshold) else None
    )
    top = max([*cols, threshold or 0.0, 1e-9])
    level = round(threshold / top * height) if threshold is not None else None
    text = Text()
    for row in range(height, 0, -1):
        text.append("  ")
        for value in cols:
            filled = round(value / top * height) >= row
            over = threshold is not None and value > threshold
            if filled:
                text.append("#", "bold red" if over else "green")
            else:
                text.append("-" if row == level else " ", "yellow")
        text.append("\n")
    peak = max(cols) if cols else 0.0
    d = profile.digits
    limit = f"  alarm at {threshold:.{d}f} (---)" if threshold is not None else ""
    text.append(f"  {profile.label}, peak {peak:.{d}f}{limit}")
    if profile.note:
        text.append("\n" + profile.note, "bold red")
    return text
