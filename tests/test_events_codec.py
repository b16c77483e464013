"""The one event codec: every body round-trips, old JSON decodes byte for byte, versions."""

from __future__ import annotations

import json
import random
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.barcode.device import scan_reading
from drivers.events import (
    BODIES,
    CODEC_VERSION,
    Alert,
    Body,
    CodecError,
    DocumentKey,
    Event,
    MrzRead,
    OfficerAction,
    PersonKey,
    Purged,
    Unknown,
    declared,
    decode_body,
    decode_event,
    decode_key,
    encode_body,
    encode_event,
    encode_key,
)
from drivers.mrz import parse_mrz
from drivers.mrz.generate import make, random_traveller
from drivers.rpm.device import fault_json
from drivers.rpm.faults import Fault
from edge.store import NewAlert, NewEvent, Store, alerts, officers
from edge.store.outbox import StoreOutbox, evict_over_cap

TEXT = st.text(max_size=12)
JSON_LEAF = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a declared field's type."""
    if hint is Any:
        return JSON_VALUE
    if typing.get_origin(hint) in (typing.Union, type(int | None)):
        return st.one_of(*(_strategy(h) for h in typing.get_args(hint)))
    if typing.get_origin(hint) is tuple:
        return st.lists(_strategy(typing.get_args(hint)[0]), max_size=3).map(tuple)
    simple = {type(None): st.none(), bool: st.booleans(), str: TEXT,
              int: st.integers(-(2**53), 2**53), float: st.floats(allow_nan=False,
              allow_infinity=False)}  # fmt: skip
    if hint in simple:
        return simple[hint]
    return st.dictionaries(TEXT, JSON_VALUE, max_size=3)  # a Mapping


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str, Body]:
    cls = draw(st.sampled_from(BODIES))
    values = {name: draw(_strategy(hint)) for name, hint in declared(cls)}
    reserved = {name for name, _ in declared(cls)} | {"purged"}
    extra = draw(st.dictionaries(TEXT.filter(lambda k: k not in reserved), JSON_VALUE, max_size=2))
    return draw(st.sampled_from(cls.KINDS)), cls(**values, extra=extra)


@given(bodies())
@settings(max_examples=300, deadline=None)
def test_every_body_round_trips_through_json(kind_body: tuple[str, Body]) -> None:
    kind, body = kind_body
    text = json.dumps(encode_body(body), ensure_ascii=False)
    again = decode_body(kind, json.loads(text))
    assert again == body
    assert json.dumps(encode_body(again), ensure_ascii=False) == text


@given(st.dictionaries(TEXT, JSON_VALUE, max_size=5), st.sampled_from(["mrz", "x.new", "alert"]))
@settings(max_examples=200, deadline=None)
def test_any_json_object_either_decodes_exactly_or_is_refused(
    payload: dict[str, Any], kind: str
) -> None:
    try:
        body = decode_body(kind, payload)
    except CodecError as exc:
        assert kind in str(exc)
        return
    assert json.dumps(encode_body(body)) == json.dumps(payload)


# -- JSON as the code of today writes it -----------------------------------------------


def _payloads_of_today(tmp_path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(kind, payload) exactly as the drivers and the store write them now."""
    lines = make("TD3", random_traveller(random.Random(3)))
    mrz = parse_mrz(lines).to_json()
    scan = scan_reading(b"MSKU9070323", None, None)
    rpm_fault = fault_json(Fault("low-gamma", "detector 2 below floor", 12.5))
    store = Store.open(tmp_path / "events.db")
    rec = store.record(NewEvent("mrz", mrz), [NewAlert("watchlist", "hit", hits=[{"e": 1}])])
    alerts.adjudicate(store, alerts.Decision(rec.alert_ids[0], "clear", alerts.REASONS[0], "", "o"))
    officers.add(store, "anna", "Anna", "officer", "1234", "sup")
    officers.disable(store, "anna", "sup")
    for i in range(20):
        store.record(NewEvent("rpm.status", {"pad": "p" * 400, "i": i}))
    evict_over_cap(store, 2000)
    stored = [(e.kind, e.payload) for e in store.events(limit=1000)]
    store.close()
    return [("mrz", mrz), (scan.kind, scan.payload), ("rpm.fault", rpm_fault), *stored]


def test_json_of_today_decodes_typed_and_encodes_back_byte_for_byte(tmp_path: Path) -> None:
    payloads = _payloads_of_today(tmp_path)
    kinds = {kind for kind, _ in payloads}
    assert {"alert", "adjudication", "officer.added", "officer.disabled", "outbox.evicted",
            "barcode", "rpm.fault", "mrz"} <= kinds  # fmt: skip
    for kind, payload in payloads:
        body = decode_body(kind, payload)
        assert not isinstance(body, Unknown), kind
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        assert json.dumps(encode_body(body), ensure_ascii=False, separators=(",", ":")) == text


def test_typed_fields_read_what_the_producers_wrote(tmp_path: Path) -> None:
    found = {kind: decode_body(kind, p) for kind, p in _payloads_of_today(tmp_path)}
    alert = found["alert"]
    assert isinstance(alert, Alert) and alert.kind == "watchlist" and alert.hits == ({"e": 1},)
    mrz = found["mrz"]
    assert isinstance(mrz, MrzRead) and mrz.valid is True and mrz.document_number
    added = found["officer.added"]
    assert isinstance(added, OfficerAction) and (added.officer_id, added.by) == ("anna", "sup")


def test_old_and_purged_json_still_decode() -> None:
    old_alert = {"alert_id": 3, "event_seq": 7, "kind": "watchlist", "summary": "hit"}  # no uuid
    body = decode_body("alert", old_alert)
    assert isinstance(body, Alert) and body.event_uuid == "" and "event_uuid" in body.absent
    assert encode_body(body) == old_alert
    assert isinstance(decode_body("mrz", {"purged": True}), Purged)
    assert encode_body(decode_body("mrz", {"purged": True})) == {"purged": True}
    unknown = decode_body("iris.scan", {"dg1": "x"})
    assert isinstance(unknown, Unknown) and encode_body(unknown) == {"dg1": "x"}


def test_a_wrong_type_is_refused_naming_kind_and_field() -> None:
    with pytest.raises(CodecError, match=r"alert: alert_id must be int, not str"):
        decode_body("alert", {"alert_id": "3"})
    with pytest.raises(CodecError, match="payload must be a JSON object"):
        decode_body("mrz", [1, 2])  # type: ignore[arg-type]


def _event() -> Event:
    body = OfficerAction(officer_id="anna")
    return Event(9, "u-9", "officer.login", 0, 1_700_000_000.25, 12.5, True, None, None, body)


def test_event_objects_round_trip_and_carry_the_version() -> None:
    obj = json.loads(json.dumps(encode_event(_event())))
    assert obj["v"] == CODEC_VERSION and obj["wall_time"] == "2023-11-14T22:13:20.250Z"
    assert decode_event(obj) == _event()
    del obj["v"]  # what daemons before the codec version sent
    assert decode_event(obj) == _event()


def test_a_newer_codec_version_is_refused_with_a_clear_error() -> None:
    obj = {**encode_event(_event()), "v": CODEC_VERSION + 1}
    with pytest.raises(CodecError, match=r"version 2 is newer .* upgrade"):
        decode_event(obj)
    with pytest.raises(CodecError, match="whole number"):
        decode_event({**obj, "v": "1"})


def test_watchlist_keys_are_typed_both_ways() -> None:
    result = parse_mrz(make("TD3", random_traveller(random.Random(5))))
    typed = [decode_key(k) for k in result.keys]
    assert isinstance(typed[0], DocumentKey) and isinstance(typed[1], PersonKey)
    assert [encode_key(k) for k in typed] == [dict(k) for k in result.keys]
    with pytest.raises(CodecError, match="one of document, person, container, mrn"):
        decode_key({"kind": "vehicle"})
    with pytest.raises(CodecError, match="unknown fields: colour"):
        decode_key({"kind": "person", "surname": "X", "colour": "red"})


def test_a_person_key_says_a_name_was_cut_short_only_when_it_was() -> None:
    cut = {"kind": "person", "surname": "X", "given_names": "KONSTANTIN", "birth_date": None,
           "nationality": None, "sex": None, "cut_short": "given_names"}  # fmt: skip
    typed = decode_key(cut)
    assert isinstance(typed, PersonKey) and typed.cut_short == "given_names"
    assert encode_key(typed) == cut
    whole = {k: v for k, v in cut.items() if k != "cut_short"}
    assert encode_key(decode_key(whole)) == whole  # keys stored before the field: the same JSON


def test_the_store_writes_the_bytes_it_wrote_before_the_codec(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "events.db")
    hits, keys = [{"entry_id": "e1", "score": 0.9}], [{"kind": "document", "number": "A1"}]
    rec = store.record(
        NewEvent("mrz", {"surname": "Ø"}), [NewAlert("watchlist", "hit", 2, hits, keys)]
    )
    decision = alerts.Decision(rec.alert_ids[0], "refer", alerts.REASONS[2], "née", "o1")
    alerts.adjudicate(store, decision)
    raw = dict(store.conn.execute("SELECT kind, payload FROM events").fetchall())
    store.close()
    old_alert = {"alert_id": 1, "event_seq": 1, "event_uuid": rec.event.uuid, "kind": "watchlist",
                 "severity": 2, "summary": "hit", "hits": hits, "keys": keys}  # fmt: skip
    old_decision = {"alert_id": 1, "event_seq": 1, "decision": "refer",
                    "reason": alerts.REASONS[2], "note": "née", "officer_id": "o1"}  # fmt: skip
    for kind, old in (("alert", old_alert), ("adjudication", old_decision)):
        assert raw[kind] == json.dumps(old, ensure_ascii=False, separators=(",", ":"))


def test_what_hq_receives_decodes_typed_and_re_encodes_to_the_same_bytes(tmp_path: Path) -> None:
    from sync import keys, wire

    payloads = _payloads_of_today(tmp_path / "post")
    store = Store.open(tmp_path / "events.db")
    for kind, payload in payloads:
        store.record(NewEvent(kind, payload))
    pending = StoreOutbox(store).pending(limit=1000, max_bytes=10**9)
    store.close()
    key = keys.generate()
    batch = wire.Batch("post-01", wire.new_batch_id(), 1.7e9, 0, 0, tuple(pending))
    received = wire.decode_batch(wire.encode_batch(batch, key), key.public_key(), "post-01")
    assert len(received.events) == len(payloads)
    for event in received.events:
        body = decode_body(event.kind, event.payload)
        assert not isinstance(body, Unknown), event.kind
        assert json.dumps(encode_body(body)) == json.dumps(event.payload)
