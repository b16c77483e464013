"""Message constants of the local API, shared by the daemon, the CLI and the console.

This module imports nothing from the rest of ``edge`` so the console can use it.
"""

from __future__ import annotations

import json
from typing import Any

PROTOCOL = 1
MAX_LINE = 64 * 1024
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


def ok(request_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    """A success reply."""
    return {"id": request_id, "ok": True, "result": result}


def error(request_id: Any, code: str, message: str, **extra: Any) -> dict[str, Any]:
    """A failure reply."""
    return {"id": request_id, "ok": False, "error": {"code": code, "message": message, **extra}}
