"""From checked MRZ lines to ``MrzResult``: names, dates, codes and their warnings."""

from __future__ import annotations

import datetime
import functools

from drivers.mrz import countries
from drivers.mrz.correct import Correction
from drivers.mrz.layouts import Layout
from drivers.mrz.result import TRUNCATED, MrzResult

CHECK_NAMES = ("document_number", "birth_date", "expiry_date", "optional_data", "composite")
ADULT_AGE = 18
EXPIRY_HORIZON_YEARS = 50


def build(layout: Layout, rows: list[str], raw: list[str], today: datetime.date,
          results: dict[str, bool], long_number: tuple[str, str | None],
          warnings: list[str], fixes: list[Correction]) -> MrzResult:  # fmt: skip
    """The result of one MRZ whose checks are already evaluated."""
    text = {name: rows[r][start:end] for name, r, start, end in _spans(layout)}
    surname, given = _names(layout, text, warnings)
    issuer, nationality = _codes(layout, text, warnings)
    birth = parse_date(text["birth_date"], "birth_date", today, warnings)
    expiry = None
    if "expiry_date" in text:
        expiry = parse_date(text["expiry_date"], "expiry_date", today, warnings)
    _age_warnings(birth, expiry, today, warnings)
    _optional_check(layout, rows, text, warnings)
    number, optional = long_number
    checks = tuple([(n, results.get(n)) for n in CHECK_NAMES])
    specimen = countries.is_specimen(issuer) or countries.is_specimen(nationality or "")
    if specimen:
        warnings.append("specimen: a specimen code (UTO); not a real document")
    return MrzResult.fast(
        format=layout.name, document_code=text["document_code"].replace("<", ""),
        issuing_state=issuer, surname=surname, given_names=given,
        document_number=number or text["document_number"].rstrip("<"),
        nationality=nationality, birth_date=birth, sex=_sex(text["sex"], warnings),
        expiry_date=expiry,
        optional_data=(optional if number else text["optional_data"].strip("<")) or "",
        optional_data_2=text["optional_data_2"].strip("<") if "optional_data_2" in text else None,
        checks=checks, known_codes=_known(issuer, nationality), specimen=specimen,
        warnings=tuple(dict.fromkeys(warnings)), corrections=tuple(fixes), raw=tuple(raw),
        lines=tuple(rows),
    )  # fmt: skip


@functools.cache
def _spans(layout: Layout) -> tuple[tuple[str, int, int, int], ...]:
    """Each field's name and span, flattened for the hot path."""
    return tuple((s.name, *s.span) for s in layout.fields)


def _names(layout: Layout, text: dict[str, str], warnings: list[str]) -> tuple[str, str]:
    """Surname and given names (space-separated), with truncation and emptiness warnings."""
    if layout.name == "FRA_ID":
        fields = (text["surname"], text["given_names"])
        surname, given = (" ".join(filter(None, f.split("<"))) for f in fields)
        for name, f in zip(("surname", "given_names"), fields, strict=True):
            if f[-1] != "<":
                warnings.append(f"{TRUNCATED} {name} fills its field; it may be cut short")
    else:
        field = text["names"]
        primary, _, secondary = field.rstrip("<").partition("<<")
        surname = " ".join(filter(None, primary.split("<")))
        given = " ".join(filter(None, secondary.split("<")))
        if field[-1] != "<":
            warnings.append(f"{TRUNCATED} the name fills its field; it may be cut short")
    if not surname:
        warnings.append("empty_surname: no primary identifier (surname)")
    elif not given:
        warnings.append("surname_only: no given names")
    return surname, given


def _codes(layout: Layout, text: dict[str, str], warnings: list[str]) -> tuple[str, str | None]:
    """Issuing state and nationality, fillers removed; unknown and `D<<` noted."""
    issuer = countries.normalise_code(text["issuing_state"])
    nationality = countries.normalise_code(text["nationality"]) if "nationality" in text else None
    if layout.name == "FRA_ID":
        nationality = "FRA"
    for label, code in (("issuing state", issuer), ("nationality", nationality)):
        if code is None:
            continue
        if code == "D":
            warnings.append(f"germany_d: {label} 'D<<' is Germany's ICAO code (not DEU)")
        elif not countries.is_known(code):
            warnings.append(f"unknown_code: {label} {code!r} is not in ICAO 9303 Part 3")
    return issuer, nationality


def _known(issuer: str, nationality: str | None) -> tuple[tuple[str, bool | None], ...]:
    nat = None if nationality is None else countries.is_known(nationality)
    return (("issuing_state", countries.is_known(issuer)), ("nationality", nat))


def _sex(field: str, warnings: list[str]) -> str | None:
    if field in ("M", "F"):
        return field
    if field in ("X", "<"):
        return "X"
    warnings.append(f"sex_unreadable: {field!r} is not M, F, X or '<'")
    return None


def parse_date(field: str, name: str, today: datetime.date, warnings: list[str]) -> str | None:
    """YYMMDD as an ISO date (or a year when day/month are unknown), century resolved."""
    if field.isdigit():  # the usual case: a full date
        return _full_date(field, name, today, warnings)
    if not field[:2].isdigit():
        code = "missing" if field == "<" * len(field) else "unreadable"
        warnings.append(f"{name}_{code}: {field!r}")
        return None
    year = _century(int(field[:2]), name, today)
    if field[2:].strip("<0123456789") == "" and "<" in field[2:]:
        warnings.append(f"{name}_partial: {field!r}; only the year is known")
        return str(year)
    warnings.append(f"{name}_unreadable: {field!r}")
    return None


def _full_date(field: str, name: str, today: datetime.date, warnings: list[str]) -> str | None:
    """Six digits as an ISO date; None (and a warning) when not a calendar date."""
    try:
        day = datetime.date(_century(int(field[:2]), name, today), int(field[2:4]), int(field[4:]))
        if name == "birth_date" and day > today:  # born later this year: a century earlier
            day = day.replace(year=day.year - 100)  # 29 February may not exist then
    except ValueError:
        warnings.append(f"{name}_impossible: {field!r} is not a calendar date")
        return None
    return day.isoformat()


def _century(yy: int, name: str, today: datetime.date) -> int:
    """Birth: the latest year not after today; expiry: within the next 50 years."""
    year = 2000 + yy
    if name == "birth_date":
        return year if year <= today.year else year - 100
    return year if year <= today.year + EXPIRY_HORIZON_YEARS else year - 100


def _age_warnings(birth: str | None, expiry: str | None, today: datetime.date,
                  warnings: list[str]) -> None:  # fmt: skip
    today_iso = today.isoformat()  # ISO strings compare as the dates they name
    if expiry is not None and len(expiry) == 10 and expiry < today_iso:
        warnings.append(f"expired: the document expired on {expiry}")
    if birth is None or len(birth) != 10:
        return
    age = today.year - int(birth[:4]) - (today_iso[5:] < birth[5:])
    if 0 <= age < ADULT_AGE:
        warnings.append(f"minor: the holder is {age} years old")


def _optional_check(layout: Layout, rows: list[str], text: dict[str, str],
                    warnings: list[str]) -> None:  # fmt: skip
    """TD3: an empty personal-number field whose check digit is `<` or `0`."""
    if layout.name != "TD3" or text["optional_data"].strip("<"):
        return
    digit = rows[1][42]
    if digit in "<0":
        warnings.append(f"optional_check_empty: optional-data check digit {digit!r} "
                        "for an empty field")  # fmt: skip
