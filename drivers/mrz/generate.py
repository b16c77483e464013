"""Make valid MRZ lines for a traveller in any format (simulator, demo, tests).

Every ``make_*`` function takes the traveller's data, computes every check
digit and returns the lines. Names are transliterated to A–Z (accents
dropped, spaces and hyphens become ``<``) and cut to the field.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from drivers.mrz.checks import check_digit

DateLike = datetime.date | str
FORMATS = ("TD1", "TD2", "TD3", "MRVA", "MRVB", "FRA_ID")


def _alnum(text: str) -> str:
    """Upper-case A–Z/0–9 with fillers for spaces, hyphens and other separators."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    out = "".join(ch if ch.isalnum() else ("" if ch in "'`." else "<") for ch in ascii_text)
    return "<".join(p for p in out.split("<") if p)


def _pad(text: str, width: int) -> str:
    return text[:width].ljust(width, "<")


def names_field(surname: str, given_names: str, width: int) -> str:
    """The ICAO name field: ``SURNAME<<GIVEN<NAMES`` padded or cut to ``width``."""
    given = _alnum(given_names)
    return _pad(_alnum(surname) + ("<<" + given if given else ""), width)


def _date(value: DateLike) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%y%m%d")
    if len(value) == 6:
        return value
    return datetime.date.fromisoformat(value).strftime("%y%m%d")


def _code(code: str) -> str:
    return _pad(code, 3)


def _with_check(text: str) -> str:
    return text + str(check_digit(text))


def _line2(number: str, nationality: str, birth: DateLike, sex: str, expiry: DateLike) -> str:
    """Positions 1–28 shared by TD2, TD3 and visas."""
    return (_with_check(_pad(number, 9)) + _code(nationality) + _with_check(_date(birth))
            + (sex or "<") + _with_check(_date(expiry)))  # fmt: skip


def make_td3(surname: str, given_names: str, number: str, nationality: str, birth_date: DateLike,
             sex: str, expiry_date: DateLike, issuer: str | None = None, optional: str = "",
             code: str = "P") -> list[str]:  # fmt: skip
    """A passport (TD3, 2×44)."""
    line1 = _pad(code, 2) + _code(issuer or nationality) + names_field(surname, given_names, 39)
    opt = _pad(optional, 14)
    opt_check = str(check_digit(opt)) if optional else "<"
    head = _line2(number, nationality, birth_date, sex, expiry_date) + opt + opt_check
    composite = head[0:10] + head[13:20] + head[21:43]
    return [line1, head + str(check_digit(composite))]


def make_td2(surname: str, given_names: str, number: str, nationality: str, birth_date: DateLike,
             sex: str, expiry_date: DateLike, issuer: str | None = None, optional: str = "",
             code: str = "I") -> list[str]:  # fmt: skip
    """An identity card or official travel document (TD2, 2×36)."""
    line1 = _pad(code, 2) + _code(issuer or nationality) + names_field(surname, given_names, 31)
    head = _line2(number, nationality, birth_date, sex, expiry_date) + _pad(optional, 7)
    composite = head[0:10] + head[13:20] + head[21:35]
    return [line1, head + str(check_digit(composite))]


def make_td1(surname: str, given_names: str, number: str, nationality: str, birth_date: DateLike,
             sex: str, expiry_date: DateLike, issuer: str | None = None, optional: str = "",
             optional_2: str = "", code: str = "I") -> list[str]:  # fmt: skip
    """An identity card (TD1, 3×30); numbers over 9 characters spill into optional data."""
    if len(number) > 9:
        number_part = number[:9] + "<"
        optional = number[9:] + str(check_digit(number)) + "<" + optional
    else:
        number_part = _with_check(_pad(number, 9))
    line1 = _pad(code, 2) + _code(issuer or nationality) + number_part + _pad(optional, 15)
    line2 = (_with_check(_date(birth_date)) + (sex or "<") + _with_check(_date(expiry_date))
             + _code(nationality) + _pad(optional_2, 11))  # fmt: skip
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return [line1, line2 + str(check_digit(composite)), names_field(surname, given_names, 30)]


def make_mrva(surname: str, given_names: str, number: str, nationality: str, birth_date: DateLike,
              sex: str, expiry_date: DateLike, issuer: str | None = None, optional: str = "",
              code: str = "V") -> list[str]:  # fmt: skip
    """A visa (MRV-A, 2×44, no composite check digit)."""
    line1 = _pad(code, 2) + _code(issuer or nationality) + names_field(surname, given_names, 39)
    return [line1, _line2(number, nationality, birth_date, sex, expiry_date) + _pad(optional, 16)]


def make_mrvb(surname: str, given_names: str, number: str, nationality: str, birth_date: DateLike,
              sex: str, expiry_date: DateLike, issuer: str | None = None, optional: str = "",
              code: str = "V") -> list[str]:  # fmt: skip
    """A visa (MRV-B, 2×36, no composite check digit)."""
    line1 = _pad(code, 2) + _code(issuer or nationality) + names_field(surname, given_names, 31)
    return [line1, _line2(number, nationality, birth_date, sex, expiry_date) + _pad(optional, 8)]


def make_fra_id(surname: str, given_names: str, number: str, birth_date: DateLike, sex: str,
                admin_code: str = "") -> list[str]:  # fmt: skip
    """A French national identity card issued before 2021 (2×36, not ICAO)."""
    line1 = "IDFRA" + _pad(_alnum(surname), 25) + _pad(admin_code, 6)
    given = "<<".join(_alnum(g) for g in given_names.split())
    head = (_with_check(_pad(number, 12)) + _pad(given, 14) + _with_check(_date(birth_date))
            + (sex or "<"))  # fmt: skip
    return [line1, head + str(check_digit(line1 + head))]


@dataclass(frozen=True)
class Traveller:
    """Someone to put on a document."""

    surname: str
    given_names: str
    number: str
    nationality: str
    birth_date: datetime.date
    sex: str
    expiry_date: datetime.date


_SURNAMES = ("ERIKSSON", "MÜLLER", "DUPONT", "GARCIA LOPEZ", "O'BRIEN", "NOWAK", "ROSSI",
             "SMITH-JONES", "KOWALCZYK", "NGUYEN", "PAPADOPOULOS", "DE LA CRUZ", "LI")  # fmt: skip
_GIVEN = ("ANNA MARIA", "JEAN PIERRE", "ÉLODIE", "MOHAMMED", "OLGA", "LUCA", "WEI", "", "JOHN PAUL")
_STATES = ("UTO", "FRA", "DEU", "D", "ITA", "POL", "GBR", "USA", "ESP", "GRC", "XXA", "EUE")


def random_traveller(rng: random.Random, today: datetime.date | None = None) -> Traveller:
    """A plausible traveller with a document valid for a few more years."""
    today = today or datetime.date(2026, 1, 1)
    alphabet = "ABCDEFGHJKLMNPRTUVWXY0123456789"
    number = rng.choice("CLPX") + "".join(rng.choice(alphabet) for _ in range(rng.randint(6, 8)))
    return Traveller(
        surname=rng.choice(_SURNAMES), given_names=rng.choice(_GIVEN), number=number,
        nationality=rng.choice(_STATES),
        birth_date=today - datetime.timedelta(days=rng.randint(19 * 365, 85 * 365)),
        sex=rng.choice("MFX"),
        expiry_date=today + datetime.timedelta(days=rng.randint(30, 3600)),
    )  # fmt: skip


def make(fmt: str, t: Traveller, optional: str = "") -> list[str]:
    """The lines of ``t``'s document in format ``fmt`` (one of ``FORMATS``)."""
    if fmt == "FRA_ID":
        digits = "".join(ch for ch in t.number if ch.isdigit()).ljust(12, "0")[:12]
        return make_fra_id(t.surname, t.given_names, digits, t.birth_date, t.sex, "750123")
    makers: dict[str, Callable[..., list[str]]] = {
        "TD1": make_td1, "TD2": make_td2, "TD3": make_td3, "MRVA": make_mrva, "MRVB": make_mrvb,
    }  # fmt: skip
    if fmt not in makers:
        raise ValueError(f"unknown MRZ format {fmt!r}; one of {', '.join(FORMATS)}")
    return makers[fmt](t.surname, t.given_names, t.number, t.nationality, t.birth_date, t.sex,
                       t.expiry_date, optional=optional)  # fmt: skip


def random_mrz(rng: random.Random, fmt: str | None = None) -> list[str]:
    """The lines of a random traveller's document (random format unless given)."""
    return make(fmt or rng.choice(FORMATS), random_traveller(rng))
