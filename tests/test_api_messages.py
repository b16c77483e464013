"""The local API's typed messages: requests, replies, errors and pushed events."""

from __future__ import annotations

import json

import pytest
from conftest import RunningDaemon

from drivers.events import Adjudication, OfficerAction
from edge.api.client import ApiClient
from edge.api.protocol import (
    CodecError,
    ErrorReply,
    EventPush,
    Reply,
    Request,
    decode_message,
    encode,
    error,
    ok,
)
from edge.events import event_json, typed
from edge.store import Store, officers
from sync.outbox import OutboundEvent


def _line(message: dict[str, object]) -> object:
    return json.loads(encode(message))


def test_replies_and_errors_decode_typed() -> None:
    assert decode_message(_line(ok(3, {"last_seq": 9}))) == Reply(3, {"last_seq": 9})
    failure = decode_message(_line(error("a", "locked_out", "too many", retry_after_s=30)))
    assert failure == ErrorReply("a", "locked_out", "too many", {"retry_after_s": 30})


def test_an_event_push_carries_the_typed_event_and_its_json() -> None:
    stored = OutboundEvent(4, "u4", "officer.added", 1, 1.5e9, 3.0, True, None, None,
                           {"officer_id": "anna", "role": "officer", "by": "sup"})  # fmt: skip
    raw = event_json(stored)
    push = decode_message(_line({"type": "event", "event": raw}))
    assert isinstance(push, EventPush) and push.raw == raw
    assert push.event == typed(stored)
    assert push.event.body == OfficerAction(officer_id="anna", role="officer", by="sup")


@pytest.mark.parametrize(
    "bad", [[1], {"ok": True}, {"type": "event"}, {"type": "event", "event": {"v": 99}}]
)
def test_what_is_no_message_is_refused(bad: object) -> None:
    with pytest.raises(CodecError):
        decode_message(bad)


def test_requests_keep_their_id_type_and_parameters() -> None:
    request = Request.from_json({"id": 7, "type": "search", "name": "ERIK"})
    assert request == Request(7, "search", {"name": "ERIK"})
    assert Request.from_json(request.to_json()) == request
    assert Request.from_json({"id": True, "type": 5}) == Request(None, "", {})


def test_officer_admin_actions_and_adjudications_reach_a_subscribed_console(
    daemon: RunningDaemon,
) -> None:
    store = Store.open(daemon.state_dir / "events.db")
    officers.add(store, "sup", "Sup", "supervisor", "1234", "test")
    store.close()
    with ApiClient(daemon.socket) as console, ApiClient(daemon.socket) as actor:
        for client in (console, actor):
            client.call("login", officer_id="sup", pin="1234")
        console.call("subscribe", kinds=["officer.added", "officer.disabled", "adjudication"])
        actor.call("officer.add", officer_id="anna", name="Anna", role="officer", pin="5678")
        actor.call("officer.disable", officer_id="anna")
        injected = actor.call("inject", kind="x", payload={}, alert="watchlist")["event"]
        alert_ids = actor.call("event", seq=injected["seq"])["event"]["alert_ids"]
        actor.call("adjudicate", alert_id=alert_ids[0], decision="clear",
                   reason="false match: different person")  # fmt: skip
        pushed = [decode_message({"type": "event", "event": console.next_event()})
                  for _ in range(3)]  # fmt: skip
    bodies = [p.event.body for p in pushed if isinstance(p, EventPush)]
    assert bodies[0] == OfficerAction(officer_id="anna", role="officer", by="sup")
    assert isinstance(bodies[1], OfficerAction) and bodies[1].role is None
    assert isinstance(bodies[2], Adjudication) and bodies[2].decision == "clear"
