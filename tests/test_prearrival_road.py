"""Pre-arrival on the road: our own samples (tests/data/prearrival, written by us) of a coach's
PAXLST in the road form and a lorry's expected-arrival JSON; what the post's lane view shows."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from prearrival_kit import manifest, mrz_read

from edge.prearrival.service import PrearrivalService
from sync.hq.prearrival import Window, load, payload
from sync.paxlst.expected import expected_list
from sync.paxlst.model import Message, message_json
from sync.paxlst.parse import parse

ROAD = Path(__file__).resolve().parent / "data" / "prearrival"
TODAY = dt.date(2026, 12, 4)
BUS_ARRIVAL = dt.datetime(2026, 12, 4, 18, 15, tzinfo=dt.UTC).timestamp()


def test_the_road_form_paxlst_reads_to_its_fields() -> None:
    data = (ROAD / "road-bus-ours.edi").read_bytes()
    (m,) = parse(data, TODAY)
    assert isinstance(m, Message) and m.warnings == ()
    assert parse(data, TODAY, fast=False) == [m]
    got = message_json(m)
    assert got["reference"] == "RB-2026-1204-0417"
    assert got["transport"] == {
        "mode": "road", "carrier": "UTBUS", "vehicle": "UT-481-BK",
        "departure": {"place": "UTNHV", "time": "2026-12-04T17:30"},
        "arrival": {"place": "UTBRD", "time": "2026-12-04T18:15"},
    }  # fmt: skip
    people = got["travellers"]
    assert [(p["surname"], p["role"]) for p in people] == [
        ("HALVORSEN", "crew"), ("OKAFOR", "crew"), ("BERGSTROM", "passenger"),
        ("NOWAK", "passenger"), ("O'BRIEN", "passenger"), ("DA SILVA", "passenger"),
    ]  # fmt: skip
    assert people[0]["document_number"] == "U10482257"  # the passport, not the licence (5K)
    assert len(m.travellers[0].documents) == 2
    assert (people[3]["document_type"], people[3]["document_number"]) == ("P", "XB0087312")
    assert people[4]["sex"] is None and people[4]["document_type"] == "I"


def test_the_bus_becomes_a_list_with_its_plate_and_arrival_time() -> None:
    data = (ROAD / "road-bus-ours.edi").read_bytes()
    (bus,), errors = load(data, "paxlst", ("post-01",), Window(None, None, 2.0, 4.0))
    assert errors == [] and bus.arrival == BUS_ARRIVAL
    assert bus.window_from == BUS_ARRIVAL - 7200 and bus.window_to == BUS_ARRIVAL + 4 * 3600
    assert [v.plate for v in bus.vehicles] == ["UT-481-BK"] and len(bus.travellers) == 6
    (lorry,), errors = load((ROAD / "road-lorry-ours.json").read_bytes(), "json", (), Window())
    assert errors == [] and lorry.lane == "3" and len(lorry.vehicles) == 2
    assert lorry.consignments[0].seals == ("UT-S-880412", "UT-S-880413")


def _shifted(obj: dict[str, Any], by: float) -> dict[str, Any]:
    """The list with its window and arrival moved by ``by`` seconds."""

    def move(text: str) -> str:
        t = dt.datetime.fromisoformat(text).timestamp() + by
        return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")

    window = {k: move(v) for k, v in obj["window"].items()}
    return {**obj, "window": window, "arrival": move(obj["arrival"])}


def test_the_lane_view_expected_arrived_overdue_and_not_expected(tmp_path: Path) -> None:
    now = time.time()
    lorry = json.loads((ROAD / "road-lorry-ours.json").read_text())
    due = dt.datetime.fromisoformat(lorry["arrival"]).timestamp()
    lorry = _shifted(lorry, now + 600 - due)  # expected in 10 minutes, on lane 3
    svc = PrearrivalService(tmp_path, "post-01")
    svc.apply(manifest(1), payload("post-01", [expected_list(lorry)], now))
    body, _ = svc.judge(*_read("U50332190", "LINDQVIST"), [], "3")
    verdict = body.extra["prearrival"]
    assert verdict["verdict"] == "expected" and verdict["arrival"] == lorry["arrival"]
    body, _ = svc.judge(*_read("Q7777777", "STOWAWAY"), [], "3")
    assert body.extra["prearrival"]["verdict"] == "not_expected"

    (view,) = svc.lane_view("3", now, 4 * 3600)["lists"]
    assert [i["surname"] for i in view["arrived"]] == ["LINDQVIST"]
    assert [i.get("plate") or i.get("mrn") for i in view["expected"]] == [
        "UT-7731-TR", "UT-2209-SE", "26UT00000000004417",
    ]  # fmt: skip
    assert view["overdue"] == [] and view["not_expected"][0]["document_number"] == "Q7777777"
    assert svc.lane_view("1", now, 4 * 3600)["lists"] == []  # the lorry is for lane 3
    (late,) = svc.lane_view("3", now + 600 + 16 * 60, 4 * 3600)["lists"]
    assert len(late["overdue"]) == 3 and late["expected"] == []
    asked = asyncio.run(svc.lane_request(None, {"lane": "3", "hours": 2}))
    assert asked["lane"] == "3" and len(asked["lists"]) == 1
    svc.close()


def _read(number: str, surname: str) -> tuple[Any, Any]:
    reading = mrz_read(number, surname, "820619")
    return reading, reading.body


def test_lane_and_arrival_in_csv_and_their_refusals() -> None:
    head = "list_id,posts,window_from,window_to,lane,arrival,kind,plate,country\n"
    row = "L1,post-01,2026-12-04T17:00Z,2026-12-04T21:00Z,3,{},vehicle,UT-7731-TR,UTO\n"
    (x,), errors = load((head + row.format("2026-12-04T18:40Z")).encode(), "csv", (), Window())
    assert errors == [] and x.lane == "3" and x.arrival == BUS_ARRIVAL + 25 * 60
    _, errors = load((head + row.format("2026-12-04T22:00Z")).encode(), "csv", (), Window())
    assert errors == ["list L1: arrival is outside the window"]
    _, errors = load(
        (head + row.replace(",3,", ",lane 3,").format("")).encode(), "csv", (), Window()
    )
    assert errors == ["list L1: lane must be 1-16 letters, digits or ._-"]
