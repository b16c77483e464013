"""A gamma profile against its alarm threshold, drawn with plain characters (any terminal)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

HEIGHT = 6
WIDTH = 60
PROFILE_KEYS = ("gamma_profile", "gamma_sums", "gamma_series", "gamma", "gamma_cps")
THRESHOLD_KEYS = ("gamma_threshold_1s", "gamma_threshold", "threshold", "gamma_alarm_level")
INTERVALS_PER_S = 5  # the RPM driver's gamma_series has one total per 200 ms


def numbers(value: Any) -> list[float]:
    """A list of numbers from a list of numbers or of per-detector lists (summed)."""
    if not isinstance(value, list):
        return []
    out: list[float] = []
    for item in value[:2000]:
        if isinstance(item, list):
            out.append(sum(x for x in item if _is_number(x)))
        elif _is_number(item):
            out.append(float(item))
    return out


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def running_sums(series: list[float], window: int = INTERVALS_PER_S) -> list[float]:
    """1 s sums over 200 ms counts, as the alarm check compares them with its threshold."""
    if len(series) < window:
        return [sum(series)] if series else []
    return [sum(series[i : i + window]) for i in range(len(series) - window + 1)]


def profile_of(payload: dict[str, Any]) -> tuple[list[float], float | None]:
    """The occupancy's gamma profile and threshold, if the payload has them."""
    if numbers(payload.get("gamma_series")) and _is_number(payload.get("gamma_threshold_1s")):
        sums = running_sums(numbers(payload["gamma_series"]))
        return sums, float(payload["gamma_threshold_1s"])
    series = next((numbers(payload[k]) for k in PROFILE_KEYS if numbers(payload.get(k))), [])
    threshold = next((payload[k] for k in THRESHOLD_KEYS if _is_number(payload.get(k))), None)
    if threshold is None:
        line = next((numbers(payload[k]) for k in THRESHOLD_KEYS if numbers(payload.get(k))), [])
        threshold = max(line) if line else None
    return series, float(threshold) if threshold is not None else None


def resample(series: list[float], width: int = WIDTH) -> list[float]:
    """About ``width`` columns: short series stretched, long ones cut to slice maxima."""
    if len(series) <= width:
        return [v for v in series for _ in range(max(1, width // max(len(series), 1)))]
    step = len(series) / width
    return [
        max(series[int(i * step) : max(int((i + 1) * step), int(i * step) + 1)])
        for i in range(width)
    ]


def chart(series: list[float], threshold: float | None, height: int = HEIGHT) -> Text:
    """Bars of ``#`` (red above the threshold), the threshold as a row of ``-``."""
    cols = resample(series)
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
    limit = f"  threshold {threshold:.0f} (---)" if threshold is not None else ""
    text.append(f"  gamma 1 s sums, peak {peak:.0f}{limit}")
    return text
