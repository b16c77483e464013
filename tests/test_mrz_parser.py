"""ICAO 9303 specimens for every format, deviations, corrections and bad input."""

from __future__ import annotations

import datetime

import pytest

from drivers.mrz import NotAnMrz, parse_mrz
from drivers.mrz.checks import check_digit

TODAY = datetime.date(2026, 1, 1)
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]  # fmt: skip
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
MRVA = [
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
]
MRVB = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]
FRA = ["IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013", "0506932020438CHRISTIANE<<NI2906209F3"]


def parse(lines: list[str], **kw: object) -> dict[str, object]:
    return parse_mrz(lines, today=TODAY, **kw).to_json()  # type: ignore[arg-type]


def test_check_digit_examples() -> None:
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("<<<<<<") == 0


@pytest.mark.parametrize(
    ("lines", "fmt", "number"),
    [(TD3, "TD3", "L898902C3"), (TD1, "TD1", "D23145890"), (TD2, "TD2", "D23145890"),
     (MRVA, "MRVA", "L8988901C"), (MRVB, "MRVB", "L8988901C"), (FRA, "FRA_ID", "050693202043")],
)  # fmt: skip
def test_specimens(lines: list[str], fmt: str, number: str) -> None:
    doc = parse(lines)
    assert doc["format"] == fmt
    assert doc["valid"] is True
    assert doc["document_number"] == number
    assert doc["corrections"] == []
    assert all(v in (True, None) for v in doc["checks"].values())  # type: ignore[attr-defined]


def test_td3_fields() -> None:
    doc = parse(TD3)
    assert doc["surname"] == "ERIKSSON" and doc["given_names"] == "ANNA MARIA"
    assert (doc["birth_date"], doc["expiry_date"], doc["sex"]) == ("1974-08-12", "2012-04-15", "F")
    assert doc["issuing_state"] == doc["nationality"] == "UTO"
    assert doc["optional_data"] == "ZE184226B"
    assert doc["specimen"] is True
    codes = [w.split(":")[0] for w in doc["warnings"]]  # type: ignore[attr-defined]
    assert "expired" in codes and "specimen" in codes


def test_visas_have_no_composite() -> None:
    assert parse(MRVA)["checks"]["composite"] is None  # type: ignore[index]
    assert parse(MRVB)["nationality"] == "XXX"


def test_french_id() -> None:
    doc = parse(FRA)
    assert (doc["surname"], doc["given_names"]) == ("DOUEL", "CHRISTIANE NI")
    assert (doc["birth_date"], doc["sex"], doc["expiry_date"]) == ("1929-06-20", "F", None)
    assert doc["optional_data"] == "932013"


def test_normalisation() -> None:
    text = "  p<utoeriksson<<anna<maria«««««««««««««««««««\r\n"
    text += "L898902C36UTO7408122F1204159ZE184226B_____10  "
    doc = parse([text])
    assert doc["valid"] is True and doc["surname"] == "ERIKSSON"


def test_padded_line() -> None:
    doc = parse([TD3[0].rstrip("<"), TD3[1]])
    assert doc["valid"] is True
    assert any(w.startswith("line_padded") for w in doc["warnings"])  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "bad",
    [[], ["hello"], ["P<UTO", "X"], ["a" * 44, "b" * 44, "c" * 44], ["€" * 44, "€" * 44],
     ["<" * 44, "<" * 44], ["x" * 1000]],
)  # fmt: skip
def test_not_an_mrz(bad: list[str]) -> None:
    with pytest.raises(NotAnMrz):
        parse_mrz(bad)
