"""Rule language, pack, lint, evaluation and the post's applier (issue 22)."""

from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.events import BarcodeScan, MrzRead, RpmOccupancy, encode_body
from edge.rules.attrs import ATTRIBUTES, facts_of
from edge.rules.engine import evaluate
from edge.rules.evaluate import Context, NamedList, compile_condition, explain
from edge.rules.lang import RuleSyntaxError, parse, render
from edge.rules.lint import lint
from edge.rules.pack import PackError, RandomSelection, load_pack
from edge.rules.service import RulesService
from sync.wldist.trust import Refused

LISTS = {
    "risky": NamedList.of("risky", "values", ["XXA", "XXB"]),
    "arms": NamedList.of("arms", "hs", ["9301-9306", "8710"]),
    "firms": NamedList.of("firms", "companies", ["Acme Trading Ltd."]),
}
FACTS: dict[str, Any] = {
    "person.nationality": "XXA", "person.age": 22, "document.valid": True,
    "hs_codes": ["930190", "691010"], "containers": ["MSCU1234565"],
    "declared.goods": "Ceramic TILES", "declared.companies": ["ACME trading ltd"],
    "time.hour": 3,
}  # fmt: skip


def _eval(text: str, facts: dict[str, Any] | None = None) -> bool:
    ctx = Context(FACTS if facts is None else facts, LISTS, lambda s, d: {"person": 4}.get(s, 0))
    return compile_condition(parse(text))(ctx) is True


GOLDEN = [
    ('person.nationality == "XXA"', True), ('person.nationality == "XXB"', False),
    ('person.nationality != "XXB"', True), ("person.age == 22", True), ("person.age == 22.0", True),
    ("person.age < 25", True), ("person.age < 22", False), ("person.age <= 22", True),
    ("person.age > 21", True), ("person.age > 22", False), ("person.age >= 22", True),
    ('person.nationality < "XXB"', True), ('person.age < "30"', False),
    ("person.nationality in @risky", True), ('person.nationality in ["AAA", "XXA"]', True),
    ("person.nationality not in @risky", False), ('person.nationality not in ["AAA"]', True),
    ("hs_codes in @arms", True), ('hs_codes in ["691010"]', True), ('hs_codes in ["6910"]', False),
    ('containers startswith "MSC"', True), ('containers startswith ["MAE", "CMA"]', False),
    ('declared.goods endswith "TILES"', True), ('declared.goods startswith "ceramic"', False),
    ('declared.goods contains "tiles"', True), ('hs_codes contains "691010"', True),
    ("declared.companies in @firms", True),
    ("document.valid", True), ("not document.valid", False), ("document.valid == true", True),
    ("document.valid == 1", False),
    ("person.age < 25 and time.hour < 6", True), ("person.age < 18 and time.hour < 6", False),
    ("person.age < 18 or time.hour < 6", True), ("person.age < 18 or time.hour > 6", False),
    ("not (person.age < 18)", True), ("a_missing == null", True),
    ("vehicle.plate == null", True), ("vehicle.plate != null", False), ("vehicle.plate < 3", False),
    ("not (vehicle.plate < 3)", True), ("vehicle.plate in @risky", False),
    ("person_crossings(30) >= 3", True), ("vehicle_crossings(30) >= 1", False),
    ("person_crossings(0) >= 0", False), ("len(hs_codes) == 2", True),
    ("len(person.age) == 1", False),
    ("vehicle.plate == vehicle.country", True), ("vehicle.plate == person.age", False),
    ("true", True), ("false", False), ("1 == 1", True), ('"a" == "a"', True),
    ('"x\\"y" == "x\\"y"', True), ("(person.age < 25) and ((time.hour == 3))", True),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_every_operator_golden(text: str, expected: bool) -> None:
    assert _eval(text) is expected


def test_render_round_trips() -> None:
    for text, _ in GOLDEN:
        assert parse(render(parse(text))) == parse(text)


def test_hs_ranges_and_companies() -> None:
    arms = LISTS["arms"]
    assert [arms.match(c) for c in ("930100", "9306", "9307", "871000", "87", "")] == [
        "9301-9306", "9301-9306", None, "8710", None, None,
    ]  # fmt: skip
    assert LISTS["firms"].match("  acme   TRADING ltd ") == "Acme Trading Ltd."
    with pytest.raises(ValueError, match="HS range"):
        NamedList.of("x", "hs", ["93a1"])


def test_explanation_names_conditions_and_values() -> None:
    node = parse("person.nationality in @risky and (person.age > 60 or time.hour < 6)")
    ctx = Context(FACTS, LISTS)
    assert explain(node, ctx) == [
        {"condition": "person.nationality in @risky",
         "values": {"@risky": ["XXA"], "person.nationality": "XXA"}},
        {"condition": "time.hour < 6", "values": {"time.hour": 3}},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "where"),
    [("person.age <", "ends too soon"), ("person.age $ 3", "unexpected character '$'"),
     ('"open', "unexpected character"), ("(a == 1", "expected ')'"), ("a == 1)", "after"),
     ("@ == 1", "list name"), ("and", "needs a value"), ("[a]", "literal values"),
     ("(" * 40 + "a" + ")" * 40, "nested"), ("x" * 5000, "at most")],
)  # fmt: skip
def test_syntax_errors_say_where(text: str, where: str) -> None:
    with pytest.raises(RuleSyntaxError, match=re.escape(where)):
        parse(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('ab.()[]@"\\ <=>!,0123 not and or in x_')), max_size=80)
)
def test_fuzzed_rule_text_never_crashes_or_runs_code(text: str) -> None:
    try:
        node = parse(text)
    except RuleSyntaxError:
        return
    compile_condition(node)(Context(FACTS, LISTS))  # any value; never an exception


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    with contextlib.suppress(RuleSyntaxError):
        compile_condition(parse(text))(Context(FACTS, LISTS))


def test_python_is_never_run() -> None:
    for text in ('__import__("os").system("touch /tmp/pwned")', "().__class__", "a.__class__"):
        try:
            node = parse(text)
        except RuleSyntaxError:
            continue
        assert compile_condition(node)(Context({}, {})) in (None, False)


# -- packs and the lint ------------------------------------------------------------------


def pack(rules: list[dict[str, Any]], version: int = 1, **kw: Any) -> bytes:
    """A pack file (JSON) with the test lists."""
    obj = {
        "format": "borderpost-rules/1", "version": version,
        "expires": kw.pop("expires", "2099-01-01T00:00:00Z"),
        "lists": {"risky": ["XXA", "XXB"], "arms": {"kind": "hs", "items": ["9301-9306"]}},
        "rules": rules, **kw,
    }  # fmt: skip
    return json.dumps(obj).encode()


def _kinds(rules: list[dict[str, Any]], **kw: Any) -> set[tuple[str, str]]:
    return {(f.kind, f.rule) for f in lint(pack(rules, **kw)) if f.severity == "error"}


R = {"id": "ok", "when": "person.nationality in @risky", "lane": "red"}


@pytest.mark.parametrize(
    ("rule", "kind"),
    [
        ({"when": "person.age <"}, "syntax"),
        ({"when": "person.height > 2"}, "unknown_attribute"),
        ({"when": "x in @nowhere"}, "unknown_list"),
        ({"when": "shoe_size(3) > 1"}, "unknown_function"),
        ({"when": 'person.age == "22"'}, "never_matches"),
        ({"when": "document.valid > 1"}, "never_matches"),
        ({"when": "hs_codes < 3"}, "never_matches"),
        ({"when": "person.age in []"}, "never_matches"),
        ({"when": "false"}, "never_matches"),
        ({"when": 'lane == "1" and lane == "2"'}, "never_matches"),
        ({"when": "person.age < 18 and person.age > 65"}, "never_matches"),
        ({"when": "person.age < 18 and person.age >= 18"}, "never_matches"),
    ],
)
def test_lint_catches_each_class_of_broken_rule(rule: dict[str, Any], kind: str) -> None:
    assert (kind, "bad") in _kinds([R, {"id": "bad", "lane": "yellow", **rule}])
    assert _kinds([R, {"id": "good", "when": "person.age < 18 and person.age >= 17"}]) == set()


def test_lint_ordering_ids_and_warnings() -> None:
    final = {"id": "stop", "when": "person.nationality in @risky", "final": True}
    later = {"id": "later", "when": "person.nationality in @risky and person.age < 30"}
    assert ("unreachable", "later") in _kinds([final, later])
    assert _kinds([later, final]) == set()  # the narrower rule first is fine
    assert _kinds([{**final, "shadow": True}, later]) == set()  # a shadow rule never stops
    assert ("duplicate_id", "ok") in _kinds([R, R])
    warnings = {(f.kind, f.rule) for f in lint(pack([R, {**R, "id": "two"}]))}
    assert ("duplicate_condition", "two") in warnings and ("unused_list", "pack") in warnings
    assert [f.kind for f in lint(b"{nope")] == ["pack"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 0}, "version"),
        ({"expires": "soon"}, "expires"),
        ({"expires": "2099-01-01T00:00:00"}, "time zone"),
        ({"random": {"rate": 2}}, "rate"),
        ({"random": {"rate": 0.1, "seed": "short"}}, "seed"),
        ({"extra": 1}, "unknown pack keys"),
        ({"rules": [{**R, "lane": "blue"}]}, "lane"),
        ({"rules": [{**R, "colour": "red"}]}, "unknown keys"),
        ({"lists": {"x": {"kind": "regex", "items": []}}}, "kind"),
    ],
)
def test_a_bad_pack_is_refused_with_the_reason(change: dict[str, Any], message: str) -> None:
    obj = json.loads(pack([R]))
    obj.update(change)
    with pytest.raises(PackError, match=message):
        load_pack(json.dumps(obj).encode())


def test_toml_pack_loads() -> None:
    text = """
version = 3
expires = 2099-01-01T00:00:00Z
[lists]
risky = ["XXA"]
[[rules]]
id = "R1"
when = 'person.nationality in @risky'
lane = "red"
"""
    loaded = load_pack(text.encode())
    assert (loaded.version, loaded.rules[0].lane, loaded.rules[0].alert) == (3, "red", True)


# -- verdicts ------------------------------------------------------------------------------


def test_verdict_colours_shadow_final_and_random() -> None:
    rules: list[dict[str, Any]] = [
        {"id": "y", "when": "person.age < 30", "lane": "yellow"},
        {"id": "s", "when": "person.age < 30", "lane": "red", "shadow": True, "alert": True},
        {"id": "r", "when": "hs_codes in @arms", "lane": "red", "final": True},
        {"id": "after", "when": "person.age < 99", "lane": "red", "alert": False},
    ]
    loaded = load_pack(pack(rules))
    verdict = evaluate(loaded, FACTS, "c-1")
    assert [h.rule.id for h in verdict.hits] == ["y", "r"] and verdict.lane == "red"
    assert [h.rule.id for h in verdict.shadow] == ["s"] and verdict.action == "alert"
    quiet = evaluate(loaded, {"person.age": 50}, "c-2")
    assert (quiet.lane, quiet.action, quiet.shadow) == ("red", "none", ())  # "after" only
    assert evaluate(loaded, {"person.age": 150}, "c-3").lane == "green"


def test_random_selection_is_seeded_and_recomputable() -> None:
    sel = RandomSelection(rate=0.1, seed="0123456789abcdef-seed")
    ids = [f"crossing-{i}" for i in range(4000)]
    chosen = [i for i in ids if sel.selected(i)]
    assert 300 < len(chosen) < 500  # about 10 %
    again = RandomSelection(rate=0.1, seed="0123456789abcdef-seed")
    assert chosen == [i for i in ids if again.selected(i)]  # HQ recomputes the same
    other = RandomSelection(rate=0.1, seed="another-seed-0123456789")
    assert chosen != [i for i in ids if other.selected(i)]
    import hashlib
    import hmac

    mac = hmac.new(sel.seed.encode(), b"crossing-7", hashlib.sha256).digest()
    assert sel.draw("crossing-7") == int.from_bytes(mac[:8], "big") / 2**64  # as documented


def test_facts_from_readings() -> None:
    when = time.mktime((2026, 6, 1, 12, 0, 0, 0, 0, 0))
    mrz = MrzRead(nationality="XXA", birth_date="050601", expiry_date="200101", valid=True,
                  document_number="X1", document_code="P", issuing_state="XXA")  # fmt: skip
    facts = facts_of(mrz, "mrz", when)
    assert facts["person.age"] == 21 and facts["document.expired"] is True
    assert set(facts) <= set(ATTRIBUTES)
    scan = BarcodeScan(parsed={"kind": "mrn", "fields": {"mrn": "26XX1", "country": "XX",
                       "hs_codes": ["9301.90"], "goods": "tiles"}})  # fmt: skip
    assert facts_of(scan, "barcode", when) | {"kind": "barcode"} == {
        "kind": "barcode", "time.hour": facts["time.hour"], "time.weekday": 1, "mrn": "26XX1",
        "mrn.country": "XX", "hs_codes": ["930190"], "declared.goods": "tiles",
    }  # fmt: skip
    occ = RpmOccupancy(gamma_alarm=True, peak_sigma=9.5)
    assert facts_of(occ, "rpm.occupancy", when)["rpm.alarm"] is True


# -- the post's service: apply, refuse, screen ---------------------------------------------


def test_older_expired_or_invalid_pack_refused_last_good_stays(tmp_path: Path) -> None:
    service = RulesService(tmp_path)
    service.apply(pack([R], version=2))
    for data, code in [
        (pack([R], version=2), "rollback"),
        (pack([R], version=1), "rollback"),
        (pack([R], 3, expires="2020-01-01T00:00:00Z"), "expired"),
        (pack([{**R, "when": "nope <"}], 4), "invalid"),
        (b"\xff", "invalid"),
    ]:
        with pytest.raises(Refused) as exc:
            service.apply(data)
        assert exc.value.code == code
        assert service.pack is not None and service.pack.version == 2
    assert RulesService(tmp_path).pack.version == 2  # type: ignore[union-attr]  # kept on disk
    assert service.status()["rules_version"] == 2 and service.status()["rules_refused"]


def test_a_crossing_collects_readings_and_alerts_once(tmp_path: Path) -> None:
    rules: list[dict[str, Any]] = [
        {"id": "young", "when": "person.age < 30", "lane": "yellow", "alert": True},
        {"id": "tiles", "when": 'rpm.gamma_alarm and declared.goods contains "tiles"',
         "lane": "red", "title": "radiation on tiles"},
        {"id": "trial", "when": "person.age < 99", "shadow": True, "lane": "red"},
    ]  # fmt: skip
    service = RulesService(tmp_path)
    service.apply(pack(rules))
    now = time.time()
    mrz = MrzRead(birth_date="000101", nationality="XXA")
    body, alerts = service.screen(mrz, "mrz", "L1", now)
    verdict = encode_body(body)["rules"]
    assert [h["id"] for h in verdict["hits"]] == ["young"] and len(alerts) == 1
    assert [h["id"] for h in verdict["shadow"]] == ["trial"]
    scan = BarcodeScan(parsed={"kind": "mrn", "fields": {"mrn": "M1", "goods": "floor tiles"}})
    _, again = service.screen(scan, "barcode", "L1", now + 5)
    assert again == []  # "young" alerted once for this crossing
    occ, alerts = service.screen(RpmOccupancy(gamma_alarm=True), "rpm.occupancy", "L1", now + 9)
    final = encode_body(occ)["rules"]
    assert final["lane"] == "red" and final["crossing"] == verdict["crossing"]
    assert [a.summary for a in alerts] == ["rules red: radiation on tiles"]
    assert alerts[0].hits[0]["because"][1]["values"] == {"declared.goods": "floor tiles"}
    body, _ = service.screen(mrz, "mrz", "L1", now + 10)  # the occupancy closed the crossing
    assert encode_body(body)["rules"]["crossing"] != verdict["crossing"]


def test_each_traveller_of_a_crossing_is_judged_on_their_own(tmp_path: Path) -> None:
    service = RulesService(tmp_path)
    service.apply(pack([{"id": "young", "when": "person.age < 30", "lane": "red"}]))
    now = time.time()
    first = MrzRead(birth_date="000101", document_number="A1")
    second = MrzRead(document_number="B2")  # no birth date: no age
    third = MrzRead(birth_date="010101", document_number="C3")
    _, alerts = service.screen(first, "mrz", "L1", now)
    body, none = service.screen(second, "mrz", "L1", now + 1)
    assert len(alerts) == 1 and none == [] and encode_body(body)["rules"]["hits"] == []
    _, again = service.screen(third, "mrz", "L1", now + 2)
    assert len(again) == 1  # a second young traveller alerts too


class _FakeHq:
    """posts() and events() as HqStore gives them, from a list of (kind, payload)."""

    def __init__(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        self.rows: list[dict[str, Any]] = [
            {"seq": i + 1, "kind": k, "payload": json.dumps(p)} for i, (k, p) in enumerate(events)
        ]

    def posts(self) -> list[dict[str, Any]]:
        return [{"post_id": "post-01"}]

    def events(self, post_id: str, after_seq: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["seq"] > after_seq][:limit]


def test_hq_rule_stats_count_hits_alerts_and_decisions() -> None:
    from sync.hq.rules import rule_stats

    verdict = {"crossing": "c1", "hits": [{"id": "R1"}], "shadow": [{"id": "S1"}]}
    events = [
        ("mrz", {"rules": verdict}), ("barcode", {"rules": verdict}),  # one crossing, twice
        ("alert", {"alert_id": 7, "kind": "rules", "hits": [{"id": "R1"}, {"crossing": "c1"}]}),
        ("adjudication", {"alert_id": 7, "decision": "refer"}),
        ("mrz", {"rules": {"crossing": "c2", "hits": [{"id": "R1"}], "shadow": []}}),
    ]  # fmt: skip
    stats = {s["rule"]: s for s in rule_stats(_FakeHq(events), page=2)}  # type: ignore[arg-type]
    assert stats["R1"] == {"rule": "R1", "crossings": 2, "shadow_crossings": 0, "alerts": 1,
                           "decisions": {"refer": 1}}  # fmt: skip
    assert stats["S1"]["shadow_crossings"] == 1


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([t for t, _ in GOLDEN]),
    st.sets(st.sampled_from(sorted(FACTS))),
)
def test_skipping_rules_that_need_an_absent_attribute_changes_no_result(
    text: str, keep: set[str]
) -> None:
    from edge.rules.evaluate import required

    facts = {k: v for k, v in FACTS.items() if k in keep}
    node = parse(text)
    result = compile_condition(node)(Context(facts, LISTS)) is True
    if not required(node) <= facts.keys():
        assert result is False


def test_a_lane_without_a_portal_starts_a_new_crossing_after_the_window(tmp_path: Path) -> None:
    service = RulesService(tmp_path)
    service.apply(pack([R]))
    now, ids = time.time(), set()
    for i in range(40):  # a reading every 10 s for 400 s, no occupancy
        body, _ = service.screen(MrzRead(document_number=f"D{i}"), "mrz", "L2", now + 10 * i)
        ids.add(encode_body(body)["rules"]["crossing"])
    assert len(ids) == 3  # 0-180 s, 190-370 s, 380-390 s


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_WHEN = st.sampled_from([t for t, _ in GOLDEN])
_rule = st.fixed_dictionaries(
    {},
    optional={
        "id": _json | st.text(max_size=8),
        "when": _json | _WHEN,
        "lane": _json | st.sampled_from(["red", "green"]),
        "final": _json,
        "shadow": _json,
    },
)
_pack = st.fixed_dictionaries(
    {},
    optional={
        "version": _json,
        "expires": _json,
        "lists": _json | st.just({"risky": ["XXA"]}),
        "rules": st.lists(_rule | _json, max_size=4),
        "random": _json,
    },
)


@settings(max_examples=300, deadline=None)
@given(_pack)
def test_fuzzed_packs_never_crash_the_lint_or_the_loader(obj: dict[str, Any]) -> None:
    data = json.dumps(obj).encode()
    findings = lint(data)
    try:
        load_pack(data)
    except PackError:
        assert any(f.severity == "error" for f in findings)


def test_pre_arrival_verdict_and_a_manual_plate_are_attributes(tmp_path: Path) -> None:
    manual = MrzRead(
        document_number="A1",
        extra={"prearrival": {"verdict": "not_expected", "list_id": "L"}, "plate": "CA1234",
               "country": "XX"},
    )  # fmt: skip
    facts = facts_of(manual, "manual", time.time())
    assert (facts["prearrival.status"], facts["vehicle.plate"], facts["vehicle.country"]) == (
        "not_expected", "CA1234", "XX",
    )  # fmt: skip
    service = RulesService(tmp_path)
    service.apply(pack([{"id": "p", "when": 'prearrival.status == "not_expected"', "lane": "red"}]))
    _, alerts = service.screen(manual, "manual", "L1")
    assert [a.hits[0]["id"] for a in alerts] == ["p"]
