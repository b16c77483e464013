"""Hypothesis: generated MRZs round-trip, single changes are caught, nothing else raises."""

from __future__ import annotations

import contextlib
import datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from drivers.mrz import NotAnMrz, parse_mrz
from drivers.mrz.checks import AMBIGUOUS as AMBIGUOUS_MAP
from drivers.mrz.checks import check_digit
from drivers.mrz.generate import make_fra_id, make_mrva, make_mrvb, make_td1, make_td2, make_td3
from drivers.mrz.layouts import LAYOUTS

TODAY = datetime.date(2026, 1, 1)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
word = st.from_regex(r"[A-Z]{1,9}", fullmatch=True)
names = st.lists(word, min_size=1, max_size=3).map(" ".join)
given_names = st.lists(word, max_size=2).map(" ".join)
number = st.from_regex(r"[A-Z0-9]{1,9}", fullmatch=True)
codes = st.sampled_from(["UTO", "FRA", "DEU", "D", "XXA", "GBD", "UNO", "NLD", "USA"])
births = st.dates(datetime.date(1927, 1, 2), TODAY)
expiries = st.dates(datetime.date(1977, 1, 2), datetime.date(2075, 12, 31))
sexes = st.sampled_from("MFX")
optional = st.from_regex(r"([A-Z0-9]{1,7})?", fullmatch=True)
NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39, "MRVA": 39, "MRVB": 31}
MAKERS = {"TD1": make_td1, "TD2": make_td2, "TD3": make_td3, "MRVA": make_mrva, "MRVB": make_mrvb}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str], dict[str, object]]:
    fmt = draw(st.sampled_from(sorted(MAKERS)))
    fields = {
        "surname": draw(names), "given_names": draw(given_names), "number": draw(number),
        "nationality": draw(codes), "birth_date": draw(births), "sex": draw(sexes),
        "expiry_date": draw(expiries), "optional": draw(optional),
    }  # fmt: skip
    return fmt, MAKERS[fmt](**fields), fields


@SETTINGS
@given(documents())
def test_round_trip(doc: tuple[str, list[str], dict[str, object]]) -> None:
    fmt, lines, f = doc
    r = parse_mrz(lines, today=TODAY)
    assert r.format == fmt and r.valid and not r.corrections
    assert r.document_number == f["number"]
    assert r.birth_date == f["birth_date"].isoformat()  # type: ignore[attr-defined]
    assert r.expiry_date == f["expiry_date"].isoformat()  # type: ignore[attr-defined]
    assert r.nationality == f["nationality"] and r.sex == f["sex"]
    assert r.optional_data == f["optional"]
    full = len(str(f["surname"])) + 2 + len(str(f["given_names"]))
    if full <= NAME_WIDTH[fmt]:
        assert (r.surname, r.given_names) == (f["surname"], f["given_names"])


@SETTINGS
@given(names, st.from_regex(r"[A-Z0-9]{10,14}", fullmatch=True), births, expiries)
def test_td1_long_document_number(
    surname: str, num: str, birth: datetime.date, expiry: datetime.date
) -> None:
    r = parse_mrz(make_td1(surname, "", num, "UTO", birth, "F", expiry), today=TODAY)
    assert r.valid and r.document_number == num
    assert any("without the filler" in w for w in r.warnings)


@SETTINGS
@given(names, st.from_regex(r"[A-Z]{1,6}( [A-Z]{1,5})?", fullmatch=True),
       st.from_regex(r"[0-9]{12}", fullmatch=True), births)  # fmt: skip
def test_french_id_round_trip(surname: str, given: str, num: str, birth: datetime.date) -> None:
    assume(len(surname) <= 25)
    r = parse_mrz(make_fra_id(surname, given, num, birth, "M", "750123"), today=TODAY)
    assert r.format == "FRA_ID" and r.valid and r.document_number == num
    assert (r.surname, r.given_names, r.birth_date) == (surname, given, birth.isoformat())


def _protected(fmt: str) -> list[tuple[int, int]]:
    """Positions a check digit covers (the digits themselves included)."""
    out = []
    for check in LAYOUTS[fmt].checks:
        out += [(r, c) for r, s, e in check.spans for c in range(s, e)] + [check.digit]
    return sorted(set(out))


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


@SETTINGS
@given(documents(), st.data())
def test_single_change_in_protected_field_is_detected(
    doc: tuple[str, list[str], dict[str, object]], data: st.DataObject
) -> None:
    fmt, lines, _ = doc
    assume(fmt != "TD1" or lines[0][14] != "<")  # long numbers move the check digit
    row, col = data.draw(st.sampled_from(_protected(fmt)))
    old = lines[row][col]
    new = data.draw(st.sampled_from([ch for ch in ALPHABET if ch != old]))
    # 7-3-1 weights cannot see a change whose value differs by a multiple of 10 (0↔A, 1↔B…)
    assume((check_digit(old) - check_digit(new)) % 10 != 0 or (new + old).isdigit())
    changed = list(lines)
    changed[row] = lines[row][:col] + new + lines[row][col + 1 :]
    strict = parse_mrz(changed, today=TODAY, max_corrections=0)
    assert not strict.valid or any(w.split(":")[0].endswith("_partial") for w in strict.warnings)
    lenient = parse_mrz(changed, today=TODAY)
    assert not lenient.valid or lenient.corrections


mrz_text = st.text(alphabet=ALPHABET + "«_ \r\n\t\x00\u202eé", max_size=100)


@settings(max_examples=200, deadline=None)
@given(st.lists(mrz_text, max_size=4) | st.lists(st.text(max_size=60), max_size=4))
def test_arbitrary_input_never_raises(lines: list[str]) -> None:
    with contextlib.suppress(NotAnMrz):
        parse_mrz(lines, today=TODAY).to_json()


@SETTINGS
@given(documents(), st.lists(st.tuples(st.integers(0, 2), st.integers(0, 43),
                                       st.sampled_from(ALPHABET + "é\x00 ")), max_size=6),
       st.integers(0, 4), st.dates())  # fmt: skip
def test_corrupted_documents_never_raise(
    doc: tuple[str, list[str], dict[str, object]],
    edits: list[tuple[int, int, str]],
    budget: int,
    today: datetime.date,
) -> None:
    _, lines, _ = doc
    grid = [list(x) for x in lines]
    for row, col, ch in edits:
        if row < len(grid) and col < len(grid[row]):
            grid[row][col] = ch
    try:
        r = parse_mrz(["".join(x) for x in grid], today=today, max_corrections=budget)
    except NotAnMrz:
        return
    reasons = [c.reason for c in r.corrections]
    guided = [x for x in reasons if x.startswith("check digits") or x.endswith(" check digit")]
    assert len(guided) <= budget
    r.to_json()


@SETTINGS
@given(documents(), st.data())
def test_a_look_alike_swap_is_restored_or_left_alone(
    doc: tuple[str, list[str], dict[str, object]], data: st.DataObject
) -> None:
    fmt, lines, _ = doc
    row, start, end = (0, 5, 14) if fmt == "TD1" else (1, 0, 9)
    spots = [c for c in range(start, end) if lines[row][c] in AMBIGUOUS_MAP]
    assume(spots)
    col = data.draw(st.sampled_from(spots))
    swapped = list(lines)
    swapped[row] = lines[row][:col] + AMBIGUOUS_MAP[lines[row][col]] + lines[row][col + 1 :]
    r = parse_mrz(swapped, today=TODAY)
    if r.corrections:  # a correction is only ever the way back
        assert list(r.lines) == lines
    elif r.valid:  # the 7-3-1 blind spot: G and 6 differ by 10
        assert {lines[row][col], swapped[row][col]} == {"G", "6"}
    else:
        assert any(w.startswith("ambiguous_correction") for w in r.warnings)
