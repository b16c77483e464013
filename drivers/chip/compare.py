"""The chip's DG1 against the printed MRZ: the fields that differ, by name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drivers.mrz.parser import parse_mrz
from drivers.mrz.result import NotAnMrz

FIELDS = ("document_code", "issuing_state", "surname", "given_names", "document_number",
          "nationality", "birth_date", "sex", "expiry_date", "optional_data")  # fmt: skip


@dataclass(frozen=True)
class MrzComparison:
    """Whether DG1 and the page agree; ``mismatches`` names each field that differs."""

    match: bool
    mismatches: tuple[str, ...]
    reason: str = ""


def compare_mrz(chip: Sequence[str], printed: Sequence[str]) -> MrzComparison:
    """Compare field by field (a printed zone that does not parse is a mismatch with reason)."""
    try:
        ours, page = parse_mrz(chip), parse_mrz(printed)
    except NotAnMrz as exc:
        return MrzComparison(False, ("mrz",), f"the MRZ cannot be compared: {exc}")
    diffs = tuple(f for f in FIELDS if getattr(ours, f) != getattr(page, f))
    if not diffs:
        return MrzComparison(True, ())
    return MrzComparison(
        False, diffs, "the chip's MRZ differs from the page in " + ", ".join(diffs)
    )
