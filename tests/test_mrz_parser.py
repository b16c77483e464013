"""ICAO 9303 specimens for every format, deviations, corrections and bad input."""

from __future__ import annotations

import datetime

import pytest

from drivers.barcode.mrzline import mrz_fields
from drivers.mrz import NotAnMrz, parse_mrz
from drivers.mrz.checks import check_digit
from drivers.mrz.generate import make_fra_id, make_mrvb, make_td1

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


def test_a_filler_inside_the_document_number_is_a_zero() -> None:
    line1 = "P<HRVSPECIMEN<<SPECIMEN<<<<<<<<<<<<<<<<<<<<<"
    doc = parse([line1, "<070070071HRV8212258F1407019<<<<<<<<<<<<<<06"])  # a worn first 0
    assert doc["valid"] is True and doc["document_number"] == "007007007"
    assert {c["reason"] for c in doc["corrections"]} == {"filler inside the document number"}


def test_french_id_gets_letter_digit_correction() -> None:
    misread = [FRA[0].replace("DOUEL", "D0UEL"), "O5O69320Z0438CHR1STIANE<<NI29O6209F3"]
    doc = parse(misread)
    assert doc["valid"] is True and doc["document_number"] == "050693202043"
    assert (doc["surname"], doc["given_names"]) == ("DOUEL", "CHRISTIANE NI")
    assert {c["reason"] for c in doc["corrections"]} == {"digit-only field", "letter-only field"}


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


def codes(doc: dict[str, object]) -> list[str]:
    return [str(w).split(":")[0] for w in doc["warnings"]]  # type: ignore[attr-defined]


def test_td1_long_document_number_both_conventions() -> None:
    icao = ["I<UTOD23145890<7349<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", TD1[2]]
    doc = parse(icao)
    assert doc["valid"] and doc["document_number"] == "D23145890734"
    assert any("without the filler" in w for w in doc["warnings"])  # type: ignore[attr-defined]
    # the other convention: the filler at position 15 counted in the check digit
    digit = check_digit("D23145890<12")  # differs from check_digit("D2314589012")
    line1 = f"I<UTOD23145890<12{digit}<<<<<<<<<<<<"
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    line2 += str(check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]))
    doc = parse([line1, line2, TD1[2]])
    assert doc["valid"] and doc["document_number"] == "D2314589012"
    assert any("with the filler" in w for w in doc["warnings"])  # type: ignore[attr-defined]


def test_optional_check_digit_zero_or_filler_when_empty() -> None:
    for digit in "<0":
        line2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<" + digit
        line2 += str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
        doc = parse([TD3[0], line2])
        assert doc["valid"] and doc["checks"]["optional_data"] is True  # type: ignore[index]
        assert "optional_check_empty" in codes(doc)


def _td3(name: str = "ERIKSSON<<ANNA<MARIA", state: str = "UTO", birth: str = "740812",
         expiry: str = "120415") -> list[str]:  # fmt: skip
    from drivers.mrz.generate import make_td3

    line1 = ("P<" + state.ljust(3, "<") + name).ljust(44, "<")[:44]
    line2 = make_td3("X", "", "L898902C3", state, birth, "F", expiry)[1]
    return [line1, line2]


def test_germany_unknown_codes_and_specimen() -> None:
    doc = parse(_td3(state="D"))
    assert doc["issuing_state"] == doc["nationality"] == "D" and "germany_d" in codes(doc)
    assert doc["known_codes"] == {"issuing_state": True, "nationality": True}
    assert doc["specimen"] is False
    doc = parse(_td3(state="QQQ"))
    assert doc["valid"] is True and "unknown_code" in codes(doc)
    assert doc["known_codes"] == {"issuing_state": False, "nationality": False}


def test_a_state_code_takes_look_alike_letters_only_when_they_make_a_known_code() -> None:
    lines = TD3[:]
    lines[1] = lines[1][:10] + "132" + lines[1][13:]  # I3Z would be no code either
    doc = parse(lines)
    assert doc["nationality"] == "132" and doc["known_codes"]["nationality"] is False  # type: ignore[index]
    assert not doc["corrections"]
    lines[1] = lines[1][:10] + "UT0" + lines[1][13:]
    doc = parse(lines)
    assert doc["nationality"] == "UTO" and doc["known_codes"]["nationality"] is True  # type: ignore[index]


def test_names_empty_surname_surname_only_truncated() -> None:
    assert "empty_surname" in codes(parse(_td3(name="<<ANNA")))
    doc = parse(_td3(name="ERIKSSON"))
    assert doc["given_names"] == "" and "surname_only" in codes(doc)
    doc = parse(_td3(name="WOLFESCHLEGELSTEINHAUSEN<<HUBERT<BLAINEXY"))
    assert "name_truncated" in codes(doc)


def test_dates_minor_expired_partial_impossible() -> None:
    doc = parse(_td3(birth="150101", expiry="300101"))
    assert doc["birth_date"] == "2015-01-01" and "minor" in codes(doc)
    assert "expired" not in codes(doc) and doc["expiry_date"] == "2030-01-01"
    doc = parse(_td3(birth="74<<<<"))
    assert doc["birth_date"] == "1974" and "birth_date_partial" in codes(doc)
    doc = parse(_td3(birth="741332"))
    assert doc["birth_date"] is None and "birth_date_impossible" in codes(doc)
    assert doc["checks"]["birth_date"] is True  # type: ignore[index]
    assert parse(_td3(birth="991231"))["birth_date"] == "1999-12-31"


def test_class_corrections_and_filler_run() -> None:
    lines = ["P<UT0ERIKSSON<<ANNA<MAR1A<<<<<<<<K<<<<<<<<<<", TD3[1].replace("7408122", "74O8IZ2")]
    doc = parse(lines)
    assert doc["valid"] is True and doc["issuing_state"] == "UTO"
    assert doc["given_names"] == "ANNA MARIA"
    reasons = {c["reason"] for c in doc["corrections"]}  # type: ignore[attr-defined]
    assert reasons == {"letter-only field", "digit-only field", "lone letter inside a filler run"}


def test_check_digit_guided_correction_and_limit() -> None:
    broken = [TD3[0], TD3[1].replace("L898902C3", "L8989O2C3")]
    doc = parse(broken)
    assert doc["valid"] is True and doc["document_number"] == "L898902C3"
    assert doc["corrections"] == [{"line": 2, "position": 6, "from": "O", "to": "0",
                                   "reason": "check digits"}]  # fmt: skip
    # two look-alikes in two fields, each with one answer: the budget decides
    line1 = "P<GRCKOWALCZYK<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
    good = "XMJEF60AL6GRC9910078F32041977B0Q<<<<<<<<<<44"
    twice = [line1, "XMJEF6OAL6GRC9910078F3204197780Q<<<<<<<<<<44"]
    assert parse(twice, max_corrections=1)["valid"] is False
    assert parse(twice, max_corrections=2)["lines"] == [line1, good]
    # several smallest answers: nothing changes, and it says so
    doc = parse([TD3[0], TD3[1].replace("L898902C3", "L89B902C3")])
    assert doc["valid"] is False and doc["corrections"] == []
    assert "ambiguous_correction" in codes(doc)
    assert parse(broken, max_corrections=0)["corrections"] == []


def test_few_bad_characters_become_fillers() -> None:
    doc = parse([TD3[0][:-1] + "€", TD3[1]])
    assert doc["valid"] is True
    assert doc["corrections"][0]["reason"] == "not an MRZ character"  # type: ignore[index]


def test_keys() -> None:
    doc_key, person = parse_mrz(TD3, today=TODAY).keys
    assert doc_key == {"kind": "document", "number": "L898902C3", "issuer": "UTO", "type": "P"}
    assert person == {"kind": "person", "surname": "ERIKSSON", "given_names": "ANNA MARIA",
                      "birth_date": "1974-08-12", "nationality": "UTO", "sex": "F"}  # fmt: skip


def test_leap_day_a_century_back_is_impossible_not_a_crash() -> None:
    doc = parse_mrz(_td3(birth="000229"), today=datetime.date(2000, 2, 1)).to_json()
    assert doc["birth_date"] is None and "birth_date_impossible" in codes(doc)


@pytest.mark.parametrize("today", [datetime.date(1990, 6, 1), datetime.date(2099, 12, 31)])
def test_any_read_date_works(today: datetime.date) -> None:
    assert parse_mrz(TD3, today=today).valid


def test_a_name_that_fills_its_field_says_which_field_may_be_cut_short() -> None:
    card = parse_mrz(
        make_td1("SHCHERBAKOV", "KIRILL KONSTANTINOVICH", "D23145890", "UTO", "740812", "M",
                 "300101")
    )  # fmt: skip
    assert card.given_names == "KIRILL KONSTANTIN" and card.cut_short == "given_names"
    assert card.keys[1]["cut_short"] == "given_names"
    whole = parse_mrz(
        make_td1("SHCHERBAKOV", "KIRILL", "D23145890", "UTO", "740812", "M", "300101")
    )
    assert whole.cut_short is None and "cut_short" not in whole.keys[1]
    long_surname = "WOLFESCHLEGELSTEINHAUSENBERGERDORFF"
    alone = parse_mrz(make_td1(long_surname, "", "D23145890", "UTO", "740812", "M", "300101"))
    assert alone.surname == long_surname[:30] and alone.cut_short == "surname"
    french = parse_mrz(make_fra_id(long_surname, "MARIE-CHRISTINE", "880692310285", "740812", "F"))
    assert french.cut_short == "surname given_names"
    visa = mrz_fields(*make_mrvb("SHCHERBAKOV", "KIRILL KONSTANTINOVICH ANDREEVICH", "D23145890",
                                 "UTO", "740812", "M", "300101"))  # fmt: skip
    assert visa[2][1]["cut_short"] == "given_names"
    visa = mrz_fields(*make_mrvb("SHCHERBAKOV", "KIRILL", "D23145890", "UTO", "740812", "M",
                                 "300101"))  # fmt: skip
    assert "cut_short" not in visa[2][1]
