"""Screening in a real daemon: a listed traveller raises an alert in the reading's transaction;
a cleared decision is remembered for the same document and record version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import borderpost, start_daemon

from drivers.mrz.generate import make_td1
from edge.api.client import ApiClient
from edge.store import Store, officers

ERIKSSON = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]  # fmt: skip


def _list(tmp_path: Path, state: Path, version: int = 1) -> None:
    entries = [
        {"id": "wanted-1", "kind": "person", "list": "test", "action": "refer",
         "record_version": version, "names": [{"surname": "ERIKSSON", "given_names": "ANNA MARIA"}],
         "birth_date": "1974-08-12", "nationalities": ["UTO"], "sex": "F"},
        {"id": "stolen-1", "kind": "document", "number": "X1234567", "issuer": "FRA"},
        {"id": "wanted-2", "kind": "person", "list": "test", "action": "arrest",
         "names": [{"surname": "SHCHERBAKOV", "given_names": "Kirill Konstantinovich"}]},
    ]  # fmt: skip
    path = tmp_path / "list.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    result = borderpost("watchlist", "import", str(path), "--format", "jsonl",
                        "--state-dir", str(state))  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.fixture
def officer(tmp_path: Path):  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    state.mkdir()
    officers.add(Store.open(state / "events.db"), "anna", "Anna", "officer", "1234", "test")
    _list(tmp_path, state)
    daemon = start_daemon(state)
    client = ApiClient(daemon.socket)
    client.call("login", officer_id="anna", pin="1234")
    yield client
    daemon.stop()


def test_listed_traveller_alerts_and_a_clear_is_remembered(officer: ApiClient) -> None:
    status = officer.call("status")
    assert status["watchlist_version"] == 1
    first = officer.call("manual", mrz=ERIKSSON, lane="1")
    [alert] = first["alerts"]
    assert alert["kind"] == "watchlist" and alert["hits"][0]["entry_id"] == "wanted-1"
    assert alert["hits"][0]["band"] == "referral"
    assert first["event"]["alert_ids"] == [alert["alert_id"]]
    officer.call("adjudicate", alert_id=alert["alert_id"], decision="clear",
                 reason="false match: different person", note="checked")  # fmt: skip
    again = officer.call("manual", mrz=ERIKSSON, lane="1")
    assert again["alerts"] == []


def test_a_changed_record_alerts_again(officer: ApiClient, tmp_path: Path) -> None:
    [alert] = officer.call("manual", mrz=ERIKSSON, lane="1")["alerts"]
    officer.call("adjudicate", alert_id=alert["alert_id"], decision="clear",
                 reason="false match: different person")  # fmt: skip
    assert officer.call("manual", mrz=ERIKSSON, lane="1")["alerts"] == []
    _list(tmp_path, tmp_path / "state", version=2)  # HQ updated the record
    assert officer.call("status")["watchlist_version"] == 2
    assert officer.call("manual", mrz=ERIKSSON, lane="1")["alerts"] != []


def test_stolen_document_typed_by_hand_alerts(officer: ApiClient) -> None:
    result = officer.call("manual", document_number="X1234567", issuer="FRA")
    assert [h["entry_id"] for h in result["alerts"][0]["hits"]] == ["stolen-1"]
    assert officer.call("manual", document_number="X7654321", issuer="FRA")["alerts"] == []


def test_an_identity_card_that_cut_a_patronymic_finds_its_holder(officer: ApiClient) -> None:
    """A TD1 card has 30 name characters: SHCHERBAKOV<<KIRILL<KONSTANTIN. The reading's key
    says the name fills its field, through the typed reading to screening, which reads the
    patronymic."""
    card = make_td1("SHCHERBAKOV", "KIRILL KONSTANTINOVICH", "D23145890", "UTO", "800101", "M",
                    "300101")  # fmt: skip
    [alert] = officer.call("manual", mrz=card, lane="1")["alerts"]
    [hit] = alert["hits"]
    assert hit["entry_id"] == "wanted-2" and hit["band"] == "referral"
    assert hit["explain"]["cut_short"] == {"KONSTANTIN": "KONSTANTINOVICH"}
