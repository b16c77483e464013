"""What parsing an MRZ gives: ``MrzResult`` and the ``NotAnMrz`` error."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from drivers.mrz.correct import Correction

TRUNCATED = "name_truncated:"
"""The code of the warning that a name fills its field and may be cut short."""


class NotAnMrz(ValueError):
    """The input is not a machine-readable zone at all (wrong shape or alphabet)."""


@dataclass(frozen=True)
class MrzResult:
    """One parsed MRZ; ``to_json`` gives the fields of ``borderpost mrz parse --json``."""

    format: str
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str | None
    birth_date: str | None
    sex: str | None
    expiry_date: str | None
    optional_data: str
    optional_data_2: str | None
    checks: tuple[tuple[str, bool | None], ...]
    known_codes: tuple[tuple[str, bool | None], ...]
    specimen: bool
    warnings: tuple[str, ...]
    corrections: tuple[Correction, ...]
    raw: tuple[str, ...]
    lines: tuple[str, ...]
    valid: bool = field(init=False)
    _FIELDS: ClassVar[frozenset[str]]  # the fields ``fast`` requires, set below the class

    def __post_init__(self) -> None:
        ok = False not in [v for _, v in self.checks]  # None (not applicable) is not False
        object.__setattr__(self, "valid", ok)

    @classmethod
    def fast(cls, **values: Any) -> MrzResult:
        """The same object as ``MrzResult(**values)``, for the parser's hot path.

        The generated frozen ``__init__`` writes each of the 19 fields through
        ``object.__setattr__`` (about 5 µs, a tenth of a parse); this fills the
        instance dictionary at once. Every field must be given.
        """
        missing = cls._FIELDS.symmetric_difference(values)
        if missing:
            raise TypeError(f"MrzResult.fast: fields missing or unknown: {sorted(missing)}")
        obj = object.__new__(cls)
        obj.__dict__.update(values)
        obj.__post_init__()
        return obj

    @property
    def keys(self) -> tuple[dict[str, Any], ...]:
        """Watchlist keys: the document and the person."""
        doc = {"kind": "document", "number": self.document_number, "issuer": self.issuing_state,
               "type": self.document_code}  # fmt: skip
        person = {"kind": "person", "surname": self.surname, "given_names": self.given_names,
                  "birth_date": self.birth_date, "nationality": self.nationality,
                  "sex": self.sex}  # fmt: skip
        if self.cut_short:
            person["cut_short"] = self.cut_short
        return (doc, person)

    @property
    def cut_short(self) -> str | None:
        """The name fields whose last word the document may have cut short, because the name
        fills its field (``surname``, ``given_names``, or both space-separated); None when
        neither. ICAO 9303 cuts a long name to fit and ends the field with a letter."""
        said = [w.split()[1] for w in self.warnings if w.startswith(TRUNCATED)]
        last = "given_names" if self.given_names else "surname"  # of the one name field
        return " ".join(dict.fromkeys(last if w == "the" else w for w in said)) or None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``borderpost mrz parse --json``."""
        return {
            "format": self.format, "document_code": self.document_code,
            "issuing_state": self.issuing_state, "surname": self.surname,
            "given_names": self.given_names, "document_number": self.document_number,
            "nationality": self.nationality, "birth_date": self.birth_date, "sex": self.sex,
            "expiry_date": self.expiry_date, "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2, "checks": dict(self.checks),
            "valid": self.valid, "known_codes": dict(self.known_codes),
            "specimen": self.specimen, "warnings": list(self.warnings),
            "corrections": [c.to_json() for c in self.corrections], "raw": list(self.raw),
            "lines": list(self.lines),
        }  # fmt: skip


MrzResult._FIELDS = frozenset(f.name for f in fields(MrzResult) if f.init)
