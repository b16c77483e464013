"""Pre-arrival at the post: apply lists, judge reads, report closed windows, expire data."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from prearrival_kit import crew_list, manifest, mrz_read

from drivers.base import Reading
from drivers.events import ContainerKey, MrnKey
from edge.prearrival.service import PrearrivalService
from edge.store import NewAlert, NewEvent
from sync.hq.prearrival import payload
from sync.paxlst.expected import expected_list
from sync.wldist.trust import Refused


def _service(tmp_path: Path, *lists: dict[str, object]) -> tuple[PrearrivalService, list[NewEvent]]:
    svc = PrearrivalService(tmp_path, "post-01")
    events: list[NewEvent] = []
    svc.record = events.append
    parsed = [expected_list(x) for x in lists]
    svc.apply(manifest(1), payload("post-01", parsed, time.time()))
    return svc, events


def _judge(svc: PrearrivalService, reading: Reading, lane: str | None = "L1", alerts=None):  # type: ignore[no-untyped-def]
    body, out = svc.judge(reading, reading.body, list(alerts or []), lane)
    return body.extra.get("prearrival"), out


def test_expected_mismatch_and_not_on_any_list(tmp_path: Path) -> None:
    svc, events = _service(tmp_path, crew_list())
    v, alerts = _judge(svc, mrz_read("X00000001", "DRIVER1", "810102"))
    assert (
        v["verdict"] == "expected" and v["list_id"] == "BUS-17" and v["reference"] == "REF-BUS-17"
    )
    assert alerts == []
    v, alerts = _judge(svc, mrz_read("X00000002", "SOMEONE", "820103"))
    assert v["verdict"] == "mismatch" and "surname" in v["reason"]
    assert [a.kind for a in alerts] == ["prearrival"] and "BUS-17" in alerts[0].summary
    v, _ = _judge(svc, mrz_read("X00000000", "DRIVER0", "991231"))
    assert v["verdict"] == "mismatch" and "birth date" in v["reason"]
    v, _ = _judge(svc, mrz_read("Z99", "OTHER"), lane="L2")  # no trip open on L2
    assert v is None
    assert [e.kind for e in events] == ["prearrival.applied"]


def test_watchlist_and_expected_are_one_alert_with_both_reasons(tmp_path: Path) -> None:
    svc, _ = _service(tmp_path, crew_list())
    hit = NewAlert("watchlist", "watchlist referral: X00000001 (refer)", 2, [{"entry_id": "W1"}])
    v, alerts = _judge(svc, mrz_read("X00000001", "DRIVER1", "810102"), alerts=[hit])
    assert v["verdict"] == "expected"
    (alert,) = alerts
    assert alert.kind == "watchlist" and "watchlist referral" in alert.summary
    assert "pre-arrival: expected (list BUS-17" in alert.summary
    assert [h.get("source") for h in alert.hits] == [None, "prearrival"]


def test_consignments_vehicles_and_the_window_report(tmp_path: Path) -> None:
    svc, events = _service(tmp_path, crew_list(start=time.time() - 600, end=time.time() + 30))
    v, _ = _judge(
        svc, Reading.of("barcode", {"text": "MSCU1234565"}, 0, [ContainerKey("MSCU 123456 5")])
    )
    assert v["verdict"] == "expected" and v["item"] == "consignment"
    v, _ = _judge(svc, Reading.of("barcode", {"text": "m"}, 0, [MrnKey("26UT0000000000001")]))
    assert v["verdict"] == "expected"
    v, _ = _judge(svc, Reading.of("manual", {"plate": "ut123ab", "country": "UTO"}))
    assert v["verdict"] == "expected" and v["item"] == "vehicle"
    _judge(svc, mrz_read("X00000000", "DRIVER0", "800101"))
    _judge(svc, mrz_read("X00000001", "DRIVER1", "810102"))
    v, _ = _judge(svc, mrz_read("Q12345678", "STOWAWAY"))  # same lane, trip open
    assert v["verdict"] == "not_expected" and v["list_id"] == "BUS-17"
    assert svc.tick(time.time()) == []  # window still open
    (closed,) = svc.tick(time.time() + 60)
    assert closed.kind == "prearrival.window_closed"
    p = closed.payload
    assert isinstance(p, dict)
    assert (p["expected"], p["arrived"]) == (5, 4)
    assert [m["document_number"] for m in p["missing"]] == ["X00000002"]
    assert [u["document_number"] for u in p["unannounced"]] == ["Q12345678"]
    assert svc.tick(time.time() + 70) == []  # reported once
    assert events[-1] is closed


def test_personal_data_is_deleted_when_the_list_expires(tmp_path: Path) -> None:
    now = time.time()
    x = crew_list(start=now - 7200, end=now - 3600, expires=crew_list()["window"]["to"])
    x["expires"] = x["window"]["to"]  # retention 0: expires when the window closes
    svc, _ = _service(tmp_path, x)
    svc.tick(now)
    svc.close()
    conn = sqlite3.connect(tmp_path / "prearrival.db")
    assert conn.execute("SELECT COUNT(*) FROM lists").fetchone() == (0,)
    svc2 = PrearrivalService(tmp_path, "post-01")
    assert svc2.index.lists == {} and svc2.version() == 1
    svc2.close()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not json", "Expecting value"),
        (json.dumps({"format": 2, "lists": []}).encode(), "format 1"),
        (json.dumps({"format": 1, "post": "post-02", "lists": []}).encode(), "post-02"),
        (
            json.dumps({"format": 1, "post": "post-01", "lists": [{"list_id": "A"}]}).encode(),
            "time",
        ),
    ],
)
def test_a_malformed_payload_changes_nothing(tmp_path: Path, data: bytes, says: str) -> None:
    svc, _ = _service(tmp_path, crew_list())
    with pytest.raises(Refused) as exc:
        svc.apply(manifest(2), data)
    assert exc.value.code == "malformed" and says in exc.value.message
    assert svc.version() == 1 and list(svc.index.lists) == ["BUS-17"]
    assert [x.list_id for x in svc.store.lists()] == ["BUS-17"]
    svc.close()


def test_a_vehicle_typed_by_the_officer_is_matched(tmp_path: Path) -> None:
    from edge.api.manual import manual_reading

    svc, _ = _service(tmp_path, crew_list())
    reading = manual_reading({"plate": "ut 123-ab", "country": "uto"}, "anna")
    assert reading.payload["plate"] == "UT 123-AB" and reading.keys == ()
    v, _ = _judge(svc, reading)
    assert (v["verdict"], v["item"]) == ("expected", "vehicle")
    v, _ = _judge(svc, manual_reading({"plate": "UT123AB", "country": "FRA"}, "anna"))
    assert v["verdict"] == "not_expected"  # another country's plate, on the open trip
    svc.close()
