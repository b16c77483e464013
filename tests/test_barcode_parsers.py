"""Barcode payload parsers: published examples, round trips, hostile and arbitrary input."""

from __future__ import annotations

import json
import random
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.barcode import ParsedPayload, parse_payload
from drivers.barcode import generate as gen
from drivers.barcode.result import gs1_check, mod11_check, mrz_check

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def checks(parsed: ParsedPayload) -> dict[str, str]:
    return {c["name"]: c["result"] for c in parsed.to_json()["checks"]}


# --- EU MRN ---------------------------------------------------------------------


@pytest.mark.parametrize("mrn", ["10NL5663962BE1E825", "06DE586600006143E1"])
def test_published_mrn_examples_are_valid(mrn: str) -> None:
    parsed = parse_payload(mrn)
    assert parsed.kind == "mrn" and parsed.valid
    assert parsed.to_json()["keys"] == [{"kind": "mrn", "mrn": mrn}]
    assert parsed.fields["layout"] == "legacy"


def test_ucc_mrn_names_its_procedure() -> None:
    mrn = gen.make_mrn(random.Random(3), procedure="J", country="DE")
    parsed = parse_payload(mrn)
    assert parsed.valid and parsed.fields["layout"] == "ucc"
    assert parsed.fields["procedure"] == "J"
    assert parsed.fields["procedure_name"] == "transit declaration only"
    assert parsed.fields["country"] == "DE"


def test_mrn_with_bad_check_digit_yields_no_keys_and_says_why() -> None:
    parsed = parse_payload("10NL5663962BE1E826")
    assert parsed.kind == "mrn" and not parsed.valid
    assert parsed.to_json()["keys"] == []
    assert checks(parsed)["check digit"] == "failed"
    assert "expected 5" in parsed.checks[0].detail


def test_letter_values_skip_multiples_of_eleven() -> None:
    # ISO 6346: A=10, B=12 (11 skipped), K=21, L=23 (22 skipped), V=34 (33 skipped)
    assert [mod11_check(c) for c in "AB"] == [10 % 11 % 10, 12 % 11 % 10]
    from drivers.barcode.result import iso6346_value

    assert [iso6346_value(c) for c in "ABKLUVZ"] == [10, 12, 21, 23, 32, 34, 38]


# --- ISO 6346 -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["CSQU3054383", "CSQU 305438 3"])
def test_iso6346_example(text: str) -> None:
    parsed = parse_payload(text)
    assert parsed.kind == "container" and parsed.valid
    assert parsed.keys == ({"kind": "container", "number": "CSQU3054383"},)
    assert parsed.fields["owner_code"] == "CSQ" and parsed.fields["category"] == "U"


def test_container_with_unknown_category_fails() -> None:
    first = "CSQX305438"
    parsed = parse_payload(first + str(mod11_check(first)))
    assert parsed.kind == "container" and not parsed.valid
    assert checks(parsed)["category"] == "failed"


# --- GS1 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ais"),
    [
        ("(01)09506000134352(17)201225(10)ABC123", {"01", "17", "10"}),
        ("(00)106141411234567897", {"00"}),
        ("(01)95012345678903(3103)000123", {"01", "3103"}),
        ("(414)9501101020917", {"414"}),
        ("0109506000134352172012251" + "0ABC123\x1d21XYZ", {"01", "17", "10", "21"}),
    ],
)
def test_gs1_general_specifications_examples(text: str, ais: set[str]) -> None:
    parsed = parse_payload(text)
    assert parsed.kind == "gs1" and parsed.valid, parsed.to_json()
    assert set(parsed.fields["ai"]) == ais


def test_gs1_through_aim_identifier_and_fnc1() -> None:
    parsed = parse_payload(b"]d20109506000134352\x1d")
    assert parsed.kind == "gs1" and parsed.valid


def test_bare_gs1_128_from_a_camera_is_recognised() -> None:
    parsed = parse_payload("0109506000134352172012251" + "0ABC", "code128")
    assert parsed.kind == "gs1" and parsed.valid
    assert parse_payload("0109506000134353").kind == "text"  # bad check digit: not GS1 after all


def test_gs1_bad_gtin_check_digit_and_date() -> None:
    parsed = parse_payload("(01)09506000134353(17)201335")
    assert not parsed.valid
    assert checks(parsed)["AI 01 check digit"] == "failed"
    assert checks(parsed)["AI 17 date"] == "failed"


def test_gs1_day_zero_is_end_of_month() -> None:
    parsed = parse_payload("(01)09506000134352(17)250200")
    assert parsed.fields["dates"]["17"] == "2025-02-28"


def test_gs1_decimal_ais() -> None:
    parsed = parse_payload("(01)09501101530003(3103)000750(3922)12345(3912)978123(3941)0050")
    assert parsed.valid, parsed.to_json()
    assert parsed.fields["decimals"] == {"3103": "0.750", "3922": "123.45", "3912": "978 1.23",
                                         "3941": "5.0"}  # fmt: skip
    titles = {e["ai"]: e["title"] for e in parsed.fields["elements"]}
    assert titles["3103"] == "NET WEIGHT (kg)" and titles["3922"] == "PRICE"


def test_gs1_whole_ai_table_dates_and_check_digits() -> None:
    # AIs the old hand-kept list lacked: protocol, product URL, PCN, harvest dates, GRAI
    text = "7240ABC\x1d8200https://x.example/p\x1d243A1\x1d7007250101250131\x1d80030950110153000312"
    parsed = parse_payload(text, "]C1")
    assert parsed.kind == "gs1" and parsed.valid, parsed.to_json()
    assert set(parsed.fields["ai"]) == {"7240", "8200", "243", "7007", "8003"}
    assert parsed.fields["dates"] == {"7007": "2025-01-01"}
    bad = parse_payload("(8003)0950110153000412(7007)251301", "]C1")
    assert (
        checks(bad)["AI 8003 check digit"] == "failed" and checks(bad)["AI 7007 date"] == "failed"
    )
    unknown = parse_payload("(01)09501101530003(2399)1")
    assert checks(unknown)["structure"] == "failed" and not unknown.valid


@pytest.mark.parametrize("code", ["5901234123457", "4006381333931"])
def test_ean13_with_symbology(code: str) -> None:
    parsed = parse_payload(code, "EAN13")
    assert parsed.kind == "gs1" and parsed.valid
    assert parsed.fields["gtin"] == code.zfill(14)


# --- TIR, BCBP, AAMVA, unknown ----------------------------------------------------


def test_tir_carnet() -> None:
    parsed = parse_payload("XE 12 345678")
    assert parsed.kind == "tir" and parsed.valid
    assert parsed.keys[0]["number"] == "XE12345678"
    assert checks(parsed)["check digit"] == "not checked"


def test_bcbp_mandatory_items() -> None:
    text = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"
    parsed = parse_payload(text)
    assert parsed.kind == "bcbp" and parsed.valid
    assert parsed.fields["from"] == "YUL" and parsed.fields["flight"] == "0834"
    assert parsed.keys[0]["surname"] == "DESMARAIS"


@pytest.mark.parametrize(
    ("name", "cut"),
    [("DESMARAIS/LUC       ", None), ("WOLFESCHLEGEL/HUBERT", "given_names"),
     ("WOLFESCHLEGELSTEINHA", "surname"), ("WOLFESCHLEGEL/HUB MR", None)],
)  # fmt: skip
def test_bcbp_says_when_the_name_fills_its_field(name: str, cut: str | None) -> None:
    parsed = parse_payload(f"M1{name}EABC123 YULFRAAC 0834 326J001A0025 100")
    assert parsed.keys[0].get("cut_short") == cut


def test_aamva_licence() -> None:
    text = (
        "@\n\x1e\rANSI 636014090102DL00410280ZC03210024DLDAQD1234562\nDCSPUBLIC\n"
        "DACJOHN\nDADQUINCY\nDBB07041976\nDBA07042030\nDBC1\nDAJCA\nDCGUSA\n"
    )
    parsed = parse_payload(text, "pdf417")
    assert parsed.kind == "aamva" and parsed.valid, parsed.to_json()
    assert parsed.fields["birth_date"] == "1976-07-04"
    kinds = {k["kind"]: k for k in parsed.keys}
    assert kinds["document"]["number"] == "D1234562"
    assert kinds["person"]["given_names"] == "JOHN QUINCY" and kinds["person"]["sex"] == "M"
    assert "cut_short" not in kinds["person"]


@pytest.mark.parametrize(
    ("flags", "cut"),
    [("DDET\nDDFN\nDDGN\n", "surname"), ("DDEN\nDDFT\nDDGT\n", "given_names"),
     ("DDET\nDDFN\nDDGT\n", "surname given_names"), ("DDEU\nDDFT\nDDGN\n", None)],
)  # fmt: skip
def test_aamva_says_which_names_it_truncated(flags: str, cut: str | None) -> None:
    """DDE, DDF, DDG: family, first and middle names truncated (T). A first name cut before a
    whole middle name is no last word; the screener reads only a field's last word as cut."""
    text = (
        "@\n\x1e\rANSI 636014090102DL00410280ZC03210024DLDAQD1234562\nDCSWOLFESCHLEGELSTEIN\n"
        f"DACJOHN\nDADQUINCY\nDBB07041976\nDBA07042030\nDBC1\nDAJCA\nDCGUSA\n{flags}"
    )
    person = next(k for k in parse_payload(text, "pdf417").keys if k["kind"] == "person")
    assert person.get("cut_short") == cut


def test_unknown_text_and_binary_are_kept() -> None:
    text = parse_payload("https://example.org/x")
    assert text.kind == "text" and text.fields["text"] == "https://example.org/x"
    binary = parse_payload(b"\x00\xff\xfe")
    assert binary.kind == "binary" and binary.fields["hex"] == "00fffe"
    assert not text.valid and not binary.valid and text.warnings


@pytest.mark.parametrize(
    "hostile", ["[/]", "[@click=app.quit]", "\x1b]0;x\x07", "\u202eABC", "a\x85b\x9bc"]
)
def test_hostile_text_is_cleaned(hostile: str) -> None:
    doc = parse_payload(hostile).to_json()
    shown = json.dumps(doc)
    for bad in ("\x1b", "\x07", "\u202e", "\x85", "\x9b"):
        assert bad not in doc["fields"]["text"]
    assert "\\u001b" not in shown


def test_long_unknown_payloads_are_kept_whole() -> None:
    assert parse_payload("u" * 3000).fields["text"] == "u" * 3000
    assert parse_payload(b"\xff" * 3000).fields["hex"] == "ff" * 3000


def test_huge_payload_is_cut_not_parsed() -> None:
    parsed = parse_payload("A" * 100_000)
    assert parsed.kind == "text" and "longer" in parsed.warnings[0]


# --- properties ---------------------------------------------------------------------

SEEDS = st.integers(min_value=0, max_value=2**32)


def one_change(text: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(text) - 1))
    pool = string.ascii_uppercase + string.digits
    ch = data.draw(st.sampled_from([c for c in pool if c != text[i]]))
    return text[:i] + ch + text[i + 1 :]


def remainder(text: str) -> int:
    """Independent oracle: sum of ISO 6346 values x 2^i, mod 11 (before 10 -> 0)."""
    values = {ch: v for ch, v in zip(string.ascii_uppercase, LETTER_VALUES, strict=True)}
    return sum((int(c) if c.isdigit() else values[c]) * 2**i for i, c in enumerate(text)) % 11


LETTER_VALUES = [10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30,
                 31, 32, 34, 35, 36, 37, 38]  # fmt: skip


def detectable(good: str, bad: str) -> bool:
    """Whether a mod-11 check character can see the change from ``good`` to ``bad``.

    It cannot when the changed character has the same value mod 11 (F=16 and 5,
    B=12 and L=23) or the remainders are 0 and 10 (both give check digit 0).
    """
    if good[-1] != bad[-1]:
        return True
    a, b = remainder(good[:-1]), remainder(bad[:-1])
    return a != b and {a, b} != {0, 10}


@FAST
@given(seed=SEEDS, data=st.data(), procedure=st.sampled_from([None, "J", "A", "R"]))
def test_mrn_round_trip_and_single_changes_caught(
    seed: int, data: st.DataObject, procedure: str | None
) -> None:
    mrn = gen.make_mrn(random.Random(seed), procedure=procedure)
    good = parse_payload(mrn)
    assert good.kind == "mrn" and good.valid and good.keys[0]["mrn"] == mrn
    changed = one_change(mrn, data)
    bad = parse_payload(changed)
    if bad.kind == "mrn" and detectable(mrn, changed):
        assert not bad.valid and bad.to_json()["keys"] == []
    if bad.kind != "mrn":  # no longer the shape of an MRN: never an MRN key
        assert all(k["kind"] != "mrn" for k in bad.keys)


@FAST
@given(seed=SEEDS, data=st.data())
def test_same_class_digit_changes_always_caught_when_remainder_not_0_or_10(
    seed: int, data: st.DataObject
) -> None:
    mrn = gen.make_mrn(random.Random(seed))
    i = data.draw(st.sampled_from([j for j in range(4, 16) if mrn[j].isdigit()] or [17]))
    digit = data.draw(st.sampled_from([d for d in string.digits if d != mrn[i]]))
    changed = mrn[:i] + digit + mrn[i + 1 :]
    if remainder(mrn[:17]) not in (0, 10) or i == 17:
        assert not parse_payload(changed).valid


def test_known_mod11_blind_spots_are_documented_behaviour() -> None:
    # F (16) and 5 share a value mod 11: ISO 6346's algorithm cannot see the swap.
    good = "10NL5663962BE1E825"
    swapped = good.replace("566", "F66", 1)
    assert parse_payload(good).valid and not detectable(good, swapped)
    assert parse_payload(swapped).valid


@FAST
@given(seed=SEEDS, data=st.data(), category=st.sampled_from("UJZ"))
def test_container_round_trip_and_single_changes_caught(
    seed: int, data: st.DataObject, category: str
) -> None:
    number = gen.make_container(random.Random(seed), category)
    assert parse_payload(number).valid
    assert remainder(number[:10]) != 10  # ISO 6346: such serials are not issued
    changed = one_change(number, data)
    parsed = parse_payload(changed)
    if parsed.kind == "container" and detectable(number, changed):
        assert not parsed.valid
    if number[4:10] != changed[4:10] and remainder(changed[:10]) != 10:
        assert not parsed.valid  # a serial digit: caught unless it lands on remainder 10
    if parsed.kind == "container" and remainder(changed[:10]) == 10:
        assert "remainder 10" in " ".join(parsed.warnings)


@FAST
@given(seed=SEEDS, data=st.data())
def test_gtin_any_single_digit_change_caught(seed: int, data: st.DataObject) -> None:
    gtin = gen.make_gtin(random.Random(seed))
    assert parse_payload("(01)" + gtin).valid
    i = data.draw(st.integers(0, 13))
    digit = data.draw(st.sampled_from([d for d in string.digits if d != gtin[i]]))
    assert not parse_payload("(01)" + gtin[:i] + digit + gtin[i + 1 :]).valid


@FAST
@given(seed=SEEDS)
def test_generated_gs1_strings_parse(seed: int) -> None:
    text = gen.make_gs1(random.Random(seed))
    parsed = parse_payload(text)
    assert parsed.kind == "gs1" and parsed.valid, parsed.to_json()
    assert parsed.fields["ai"]["01"] == text[2:16]


@FAST
@given(data=st.text(max_size=60))
def test_mrz_check_digit_is_a_digit(data: str) -> None:
    assert 0 <= mrz_check(data) <= 9


def test_gs1_check_known() -> None:
    assert gs1_check("950600013435") == 2  # GTIN-13 9506000134352


@settings(max_examples=400, deadline=None)
@given(data=st.binary(max_size=300), symbology=st.sampled_from([None, "qrcode", "]d2", "ean"]))
def test_arbitrary_bytes_never_raise(data: bytes, symbology: str | None) -> None:
    doc = parse_payload(data, symbology).to_json()
    json.dumps(doc)
    assert set(doc) == {"kind", "valid", "fields", "checks", "keys", "warnings"}


@settings(max_examples=300, deadline=None)
@given(tail=st.binary(max_size=200), version=st.sampled_from([2, 3]))
def test_arbitrary_seal_like_bytes_never_raise(tail: bytes, version: int) -> None:
    doc = parse_payload(bytes([0xDC, version]) + tail).to_json()
    json.dumps(doc)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=200), prefix=st.sampled_from(["", "HC1:", "M1", "@\n\x1e\rANSI ", "(01)"])
)
def test_arbitrary_text_never_raises(text: str, prefix: str) -> None:
    json.dumps(parse_payload(prefix + text).to_json())
