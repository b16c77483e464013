"""The local API against a real daemon: bad requests answered, nothing changed, nobody killed."""

from __future__ import annotations

import json
import socket
import threading

import pytest
from conftest import RunningDaemon

from edge.api.client import ApiClient
from edge.api.protocol import ApiError
from edge.store import Store, officers


def _officer(daemon: RunningDaemon, officer_id: str, role: str, pin: str = "1234") -> None:
    store = Store.open(daemon.state_dir / "events.db")
    officers.add(store, officer_id, officer_id.title(), role, pin, "test")
    store.close()


def _login(daemon: RunningDaemon, officer_id: str, role: str) -> ApiClient:
    _officer(daemon, officer_id, role)
    client = ApiClient(daemon.socket)
    client.call("login", officer_id=officer_id, pin="1234")
    return client


def _raw(daemon: RunningDaemon, data: bytes) -> list[dict]:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(str(daemon.socket))
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return [json.loads(line) for line in out.splitlines()]


def test_socket_mode_is_0660(daemon: RunningDaemon) -> None:
    assert daemon.socket.stat().st_mode & 0o777 == 0o660


def test_handshake_required_and_protocol_checked(daemon: RunningDaemon) -> None:
    replies = _raw(daemon, b'{"id":1,"type":"status"}\n{"id":2,"type":"hello","protocol":99}\n')
    assert [r["error"]["code"] for r in replies] == ["handshake_required", "unsupported_protocol"]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b"not json\n", "bad_json"),
        (b"[1,2]\n", "bad_json"),
        (b'{"id":3,"type":"nope"}\n', "unknown_type"),
        (b'{"id":4,"type":"login"}\n', "bad_request"),
        (b'{"id":5,"type":"login","officer_id":"x","pin":"y"}\n', "bad_credentials"),
        (b'{"id":6,"type":"events"}\n', "unauthenticated"),
        (b'{"id":7,"type":"inject","kind":"x","payload":[]}\n', "bad_request"),
        (b"\xff\xfe\n", "bad_json"),
    ],
)
def test_malformed_requests_get_errors(daemon: RunningDaemon, line: bytes, code: str) -> None:
    replies = _raw(daemon, b'{"id":0,"type":"hello","protocol":1}\n' + line)
    assert replies[0]["ok"] and replies[1]["error"]["code"] == code


def test_oversized_request_closes_only_that_client(daemon: RunningDaemon) -> None:
    other = ApiClient(daemon.socket)
    replies = _raw(daemon, b'{"id":0,"type":"hello","protocol":1}\n' + b"x" * 70000 + b"\n")
    assert replies[-1]["error"]["code"] == "too_large"
    assert other.call("status")["post_id"] == "post-01"
    assert daemon.proc.poll() is None


def test_roles_decide_what_a_request_may_do(daemon: RunningDaemon) -> None:
    officer = _login(daemon, "anna", "officer")
    tech = _login(daemon, "tom", "technician")
    sup = _login(daemon, "sue", "supervisor")
    for client, request in [
        (officer, "config.get"),
        (officer, "officers"),
        (tech, "alerts"),
        (tech, "officers"),
        (sup, "config.get"),
    ]:
        with pytest.raises(ApiError) as err:
            client.call(request)
        assert err.value.code == "forbidden"
    assert officer.call("alerts") == {"alerts": []}
    assert "post" in tech.call("config.get")
    assert sup.call("audit")["chain_ok"] is True


def test_forbidden_request_changes_nothing(daemon: RunningDaemon) -> None:
    officer = _login(daemon, "anna", "officer")
    with pytest.raises(ApiError):
        officer.call("officer.add", officer_id="evil", name="x", role="supervisor", pin="1111")
    sup = _login(daemon, "sue", "supervisor")
    ids = [o["officer_id"] for o in sup.call("officers")["officers"]]
    assert "evil" not in ids


def test_two_clients_see_the_same_events(daemon: RunningDaemon) -> None:
    a, b = _login(daemon, "anna", "officer"), _login(daemon, "bob", "officer")
    a.call("subscribe")
    b.call("subscribe", kinds=["mrz"])
    results: list[dict] = []
    threading.Thread(target=lambda: results.append(b.next_event())).start()
    injector = ApiClient(daemon.socket)
    injector.call("inject", kind="mrz", payload={"document_number": "X1"})
    assert a.next_event()["payload"]["document_number"] == "X1"
    b.sock.settimeout(5)
    for _ in range(50):
        if results:
            break
        threading.Event().wait(0.05)
    assert results and results[0]["kind"] == "mrz"


def test_hostile_text_is_stripped_on_ingest(daemon: RunningDaemon) -> None:
    client = _login(daemon, "anna", "officer")
    ApiClient(daemon.socket).call(
        "inject",
        kind="mrz",
        payload={"surname": "[/][@click=app.quit]\x1b]0;x\x07\u202eEVIL", "n": "a" * 10000},
    )
    event = client.call("events", limit=1)["events"][0]
    assert event["payload"]["surname"] == "[/][@click=app.quit]]0;xEVIL"
    assert len(event["payload"]["n"]) == 4096


def test_alert_adjudication_flow(daemon: RunningDaemon) -> None:
    client = _login(daemon, "anna", "officer")
    ApiClient(daemon.socket).call(
        "inject",
        kind="rpm.occupancy",
        payload={"occupancy": 3},
        priority=2,
        alert="radiation",
        lane="2",
    )
    [alert] = client.call("alerts")["alerts"]
    reason = client.hello["reasons"][0]
    with pytest.raises(ApiError, match="confirm"):
        client.call("adjudicate", alert_id=alert["alert_id"], decision="escalate", reason=reason)
    with pytest.raises(ApiError) as err:
        client.call("adjudicate", alert_id=alert["alert_id"], decision="clear", reason="nah")
    assert err.value.code == "bad_request"
    done = client.call(
        "adjudicate",
        alert_id=alert["alert_id"],
        decision="escalate",
        reason=reason,
        confirm=True,
        note="to supervisor",
    )
    assert done["alert"]["state"] == "escalated"
    assert client.call("alerts") == {"alerts": []}
    with pytest.raises(ApiError) as err:
        client.call("adjudicate", alert_id=alert["alert_id"], decision="clear", reason=reason)
    assert err.value.code == "bad_request"


def test_search_and_manual_document_entry(daemon: RunningDaemon) -> None:
    client = _login(daemon, "anna", "officer")
    first = client.call("manual", document_number="ab123456", issuer="fra")["event"]
    client.call("manual", document_number="AB123456", issuer="FRA")
    found = client.call("search", document_number="AB123456")["events"]
    assert len(found) == 2 and found[-1]["seq"] == first["seq"]
    detail = client.call("event", seq=found[0]["seq"])
    assert [e["seq"] for e in detail["related"]] == [first["seq"]]
    with pytest.raises(ApiError):
        client.call("search")
    with pytest.raises(ApiError):
        client.call("search", date_from="yesterday")


def test_lockout_after_repeated_failures(daemon: RunningDaemon) -> None:
    _officer(daemon, "anna", "officer")
    client = ApiClient(daemon.socket)
    for _ in range(5):
        with pytest.raises(ApiError):
            client.call("login", officer_id="anna", pin="0000")
    with pytest.raises(ApiError) as err:
        client.call("login", officer_id="anna", pin="1234")
    assert err.value.code == "locked_out"


def test_slow_reader_does_not_stall_daemon(daemon: RunningDaemon) -> None:
    lazy = _login(daemon, "anna", "officer")
    lazy.call("subscribe")  # and never reads again
    injector = ApiClient(daemon.socket)
    for i in range(300):
        injector.call("inject", kind="x", payload={"pad": "p" * 3000, "i": i})
    assert injector.call("status")["last_seq"] >= 300


def test_manual_mrz_entry_is_parsed_and_screened(daemon: RunningDaemon) -> None:
    client = _login(daemon, "anna", "officer")
    lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    event = client.call("manual", mrz=lines, lane="2")["event"]
    assert event["kind"] == "manual" and event["lane"] == "2"
    assert event["payload"]["surname"] == "ERIKSSON" and event["payload"]["valid"] is True
    assert event["payload"]["officer_id"] == "anna"
    with pytest.raises(ApiError) as err:
        client.call("manual", mrz=["not an mrz", "at all"])
    assert err.value.code == "bad_request"
