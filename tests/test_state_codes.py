"""Issue 27 defect 3: an issuer written ``D`` (ICAO, as in a German MRZ) and ``DEU`` (ISO) match
both ways — in the list, in the query from a read MRZ and in a manual entry — in a real daemon."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import borderpost, start_daemon

from drivers.mrz import generate as mrz
from edge.api.client import ApiClient
from edge.state_codes import normalise_state
from edge.store import Store, officers

LISTED = [
    {"id": "stolen-d", "kind": "document", "number": "C01X00T47", "issuer": "D"},
    {"id": "stolen-deu", "kind": "document", "number": "C01X00T55", "issuer": "DEU"},
    {"id": "stolen-fra", "kind": "document", "number": "C01X00T63", "issuer": "FRA"},
]


@pytest.fixture
def officer(tmp_path: Path) -> Iterator[ApiClient]:
    state = tmp_path / "state"
    state.mkdir()
    officers.add(Store.open(state / "events.db"), "anna", "Anna", "officer", "1234", "test")
    path = tmp_path / "list.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in LISTED))
    result = borderpost("watchlist", "import", str(path), "--format", "jsonl",
                        "--state-dir", str(state))  # fmt: skip
    assert result.returncode == 0, result.stderr
    daemon = start_daemon(state)
    client = ApiClient(daemon.socket)
    client.call("login", officer_id="anna", pin="1234")
    yield client
    client.close()
    daemon.stop()


def _hits(client: ApiClient, **entry: object) -> list[str]:
    alerts = client.call("manual", lane="1", **entry)["alerts"]
    return [h["entry_id"] for a in alerts for h in a["hits"]]


def test_d_and_deu_match_both_ways(officer: ApiClient) -> None:
    assert _hits(officer, document_number="C01X00T47", issuer="DEU") == ["stolen-d"]
    assert _hits(officer, document_number="C01X00T55", issuer="D") == ["stolen-deu"]
    assert _hits(officer, document_number="C01X00T63", issuer="D") == []  # still not France
    t = mrz.Traveller("MUSTERMANN", "ERIKA", "C01X00T55", "D", datetime.date(1964, 8, 12), "F",
                      datetime.date(2031, 10, 31))  # fmt: skip
    lines = mrz.make("TD3", t)
    assert lines[0].startswith("P<D<<")
    assert _hits(officer, mrz=lines) == ["stolen-deu"]  # a German MRZ finds the DEU entry


def test_other_codes_are_left_alone() -> None:
    assert [normalise_state(c) for c in ("D", "DEU", "FRA", "UTO", "XXA")] == [
        "DEU", "DEU", "FRA", "UTO", "XXA"]  # fmt: skip
