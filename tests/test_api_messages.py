"""The local API's typed messages: requests, replies, errors and pushed events."""

from __future__ import annotations

import json

import pytest

from drivers.events import OfficerAction
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
