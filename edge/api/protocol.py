"""The local API's messages, shared by the daemon, the CLI and the console.

Requests, replies and pushed events are typed (``Request``, ``Reply``,
``ErrorReply``, ``EventPush``); events inside them are the one codec's
(``drivers/events.py``), re-exported here because this module is all of
``edge`` the console may import, with the alerts' severity scale
(``edge/severity.py``). It imports nothing else from ``edge``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from drivers.events import (
    BODIES,
    CODEC_VERSION,
    Adjudication,
    Alert,
    BarcodeScan,
    Body,
    CodecError,
    DeviceFault,
    Event,
    MrzRead,
    OfficerAction,
    RpmOccupancy,
    Unknown,
    decode_body,
    decode_body_or_unknown,
    decode_event,
)
from edge.severity import CRITICAL, HIGH, LOW, MEDIUM, SEVERITY_NAMES, severity_name

__all__ = [
    "ALLOWED", "BODIES", "CODEC_VERSION", "CRITICAL", "HIGH", "LOW", "MAX_LINE", "MEDIUM",
    "PROTOCOL", "SEVERITY_NAMES", "Adjudication", "Alert",
    "ApiError", "BarcodeScan", "Body", "CodecError", "DeviceFault", "ErrorReply", "Event",
    "EventPush", "MrzRead", "OfficerAction", "Reply", "Request", "RpmOccupancy", "Unknown",
    "decode_body", "decode_body_or_unknown", "decode_event", "decode_message", "encode", "error",
    "nesting_too_deep", "ok", "severity_name",
]  # fmt: skip

PROTOCOL = 1
MAX_LINE = 64 * 1024
MAX_DEPTH = 32
ROLES = ("officer", "supervisor", "technician")
DECISIONS = ("clear", "refer", "escalate")

OFFICER_REQUESTS = frozenset(
    {
        "subscribe",
        "unsubscribe",
        "events",
        "event",
        "alerts",
        "adjudicate",
        "search",
        "manual",
        "devices",
        "chip.face",
        "prearrival",
    }
)
SUPERVISOR_REQUESTS = OFFICER_REQUESTS | {
    "officers",
    "officer.add",
    "officer.disable",
    "officer.reset_pin",
    "audit",
}
TECHNICIAN_REQUESTS = frozenset(
    {
        "subscribe",
        "unsubscribe",
        "events",
        "devices",
        "device.reconnect",
        "device.raw",
        "config.get",
        "config.set",
        "sync.now",
        "system",
    }
)
PUBLIC_REQUESTS = frozenset({"hello", "status", "login", "logout", "inject"})
ALLOWED = {
    "officer": OFFICER_REQUESTS,
    "supervisor": SUPERVISOR_REQUESTS,
    "technician": TECHNICIAN_REQUESTS,
}


class ApiError(Exception):
    """A request failed with one of the documented error codes."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def encode(message: dict[str, Any]) -> bytes:
    """One JSON line."""
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def nesting_too_deep(line: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects deeper than ``limit`` (checked before
    parsing, so a hostile line cannot exhaust the parser's recursion)."""
    if line.count(b"[") + line.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in line:
        if in_string:
            escaped, in_string = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def ok(request_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    """A success reply."""
    return {"id": request_id, "ok": True, "result": result}


def error(request_id: Any, code: str, message: str, **extra: Any) -> dict[str, Any]:
    """A failure reply."""
    return {"id": request_id, "ok": False, "error": {"code": code, "message": message, **extra}}


RequestId = int | str | None


@dataclass(frozen=True)
class Request:
    """A client's request: its ``id`` (echoed in the reply), ``type`` and parameters."""

    id: RequestId
    type: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: Any) -> Request:
        """A request from a decoded JSON line; ``ApiError`` (``bad_json``) if it is none."""
        if not isinstance(obj, dict):
            raise ApiError("bad_json", "a request is a JSON object")
        request_id = obj.get("id")
        if not isinstance(request_id, int | str | None) or isinstance(request_id, bool):
            request_id = None
        params = {k: v for k, v in obj.items() if k not in ("id", "type")}
        kind = obj.get("type")
        return cls(request_id, kind if isinstance(kind, str) else "", params)

    def to_json(self) -> dict[str, Any]:
        """The request's JSON object."""
        return {**self.params, "id": self.id, "type": self.type}


@dataclass(frozen=True)
class Reply:
    """A request's success."""

    id: RequestId
    result: Mapping[str, Any]


@dataclass(frozen=True)
class ErrorReply:
    """A request's failure with one of the documented error codes."""

    id: RequestId
    code: str
    message: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EventPush:
    """An event pushed to a subscribed client: typed, and as the JSON it came as."""

    event: Event
    raw: Mapping[str, Any]


Message = Reply | ErrorReply | EventPush


def decode_message(obj: Any) -> Message:
    """A line from the daemon as a typed message; ``CodecError`` if it is no message."""
    if not isinstance(obj, dict):
        raise CodecError("a message is a JSON object")
    if obj.get("type") == "event" and "id" not in obj:
        raw = obj.get("event")
        if not isinstance(raw, dict):
            raise CodecError("an event push carries an EVENT object")
        return EventPush(decode_event(raw), raw)
    request_id = obj.get("id")
    if obj.get("ok") is True and isinstance(obj.get("result"), dict):
        return Reply(request_id, obj["result"])
    failure = obj.get("error")
    if obj.get("ok") is False and isinstance(failure, dict):
        extra = {k: v for k, v in failure.items() if k not in ("code", "message")}
        return ErrorReply(request_id, str(failure.get("code")), str(failure.get("message")), extra)
    raise CodecError("a message is a reply (ok, result or error) or an event push")
