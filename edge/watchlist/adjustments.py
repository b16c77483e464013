"""Score changes for what a listed person and a query share besides the name: the date of
birth (full or partial, one of several listed), the nationality and the sex."""

from __future__ import annotations

import re
from collections.abc import Sequence

DOB_NEAR_YEARS = 5
DOB_NEAR = -0.30
"""Birth years two to five apart where a year may be off (a year alone, or
:func:`_day_may_agree`: the 1 January put for one, or the same day and month): no namesake's
sign, for a listed date is often a guess (``approximately 1965``) or one of several, and a
typed year may be a digit out. An exact name stays above the decide band; a name scored
below 0.90 falls under it. Two full dates with other days stay a namesake's
(``DOB_MISMATCH``). Chosen on the dev part of the UN round trip with birth dates on both
sides (the treatments moved 93 of them): recall at the decide band 94.3 % without it, 97.7 %
at -0.25, -0.30 and -0.35 for any two dates years apart; the dev non-listed people alerting,
9 of 50,112 without it, 11 at -0.25, 9 at -0.30. For any two dates, the synthetic namesakes
of ``bench/screening.py`` (same name, other birth date) alerting rose 132 -> 230 of 1,000;
where a year may be off only, 143, with the dev recall 97.3 %."""
DOB_MISMATCH = -0.45
"""A clear date-of-birth mismatch, years more than ``DOB_NEAR_YEARS`` apart: an exact
namesake born then falls below the decide band (0.60; -0.40 with the band at 0.65)."""


def dates_adjust(query: str | None, listed: Sequence[str]) -> tuple[float, str]:
    """:func:`dob_adjust` against the listed date that agrees best, where a list gives several
    (the label says which: ``exact (1964-09-18, one of 7 listed)``)."""
    if not query or len(listed) < 2:
        return dob_adjust(query, listed[0] if listed else None)
    value, label, date = max((*dob_adjust(query, d), d) for d in listed)
    return value, f"{label} ({date}, one of {len(listed)} listed)"


def dob_adjust(query: str | None, listed: str | None) -> tuple[float, str]:
    """Score change for dates of birth (full or partial) and its label."""
    if not query or not listed:
        return 0.0, "unknown"
    qy, ly = int(query[:4]), int(listed[:4])
    gap = abs(qy - ly)
    full = _calendar_date(query) and _calendar_date(listed)
    if 1 < gap <= DOB_NEAR_YEARS and (not full or _day_may_agree(query[5:], listed[5:])):
        return DOB_NEAR, f"{gap} years apart"
    if not full:
        if gap == 0:
            return 0.0, "same year (partial date)"
        return (-0.05, "1 year apart") if gap == 1 else (DOB_MISMATCH, "mismatch")
    if query == listed:
        return 0.02, "exact"
    if gap == 0:
        swapped = query[5:7] == listed[8:10] and query[8:10] == listed[5:7]
        return (-0.03, "day and month swapped") if swapped else (-0.1, "same year, other day")
    if gap == 1:
        return (
            (-0.05, "1 year apart")
            if query[5:] == listed[5:]
            else (-0.12, "1 year apart, other day")
        )
    return DOB_MISMATCH, "mismatch"


def _day_may_agree(q: str, c: str) -> bool:
    """Whether two full birth dates years apart (``MM-DD`` each) may still be one person's:
    either is the 1 January lists put for a year alone, or both have one day and month
    (either way round). A year alone on either side may be off anyway."""
    return "01-01" in (q, c) or q == c or q == c[3:] + "-" + c[:2]


def _calendar_date(text: str) -> bool:
    """Whether a date has its month and day, and they can be (1974-13-16 is a year only)."""
    parts = _FULL_DATE.match(text)
    return parts is not None and 1 <= int(parts[1]) <= 12 and 1 <= int(parts[2]) <= 31


_FULL_DATE = re.compile(r"\d{4}-(\d{2})-(\d{2})$")


def nationality_adjust(query: str | None, listed: str | None) -> tuple[float, str]:
    """Score change for nationality (dual nationals exist: only a small penalty)."""
    if not query or not listed:
        return 0.0, "unknown"
    return (0.0, "match") if query in listed.split() else (-0.03, "other")


def sex_adjust(query: str | None, listed: str | None) -> tuple[float, str]:
    """Score change for sex (X or unknown on either side: none)."""
    if not query or not listed or "X" in (query, listed) or query == "<":
        return 0.0, "unknown"
    return (0.0, "match") if query == listed else (-0.1, "other")
