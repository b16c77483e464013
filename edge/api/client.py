"""A small blocking client of the local API, for the CLI and tests."""

from __future__ import annotations

import itertools
import json
import socket
from pathlib import Path
from typing import Any

from edge import __version__
from edge.api.protocol import PROTOCOL, ApiError, encode


class ApiClient:
    """Connects, says hello, sends requests and reads their replies (events are kept aside)."""

    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.file = self.sock.makefile("rb")
        self.ids = itertools.count(1)
        self.pushed: list[dict[str, Any]] = []
        self.hello = self.call("hello", protocol=PROTOCOL, client=f"cli/{__version__}")

    def send(self, message: dict[str, Any]) -> None:
        """Send one raw message."""
        self.sock.sendall(encode(message))

    def read(self) -> dict[str, Any]:
        """Read one line from the daemon."""
        line = self.file.readline()
        if not line:
            raise ConnectionError("the daemon closed the connection")
        message: dict[str, Any] = json.loads(line)
        return message

    def call(self, request_type: str, /, **params: Any) -> dict[str, Any]:
        """Send a request and return its result; raise ``ApiError`` on an error reply."""
        request_id = next(self.ids)
        self.send({**params, "id": request_id, "type": request_type})
        while True:
            reply = self.read()
            if reply.get("id") == request_id:
                break
            self.pushed.append(reply)
        if not reply.get("ok"):
            err = reply.get("error", {})
            raise ApiError(err.get("code", "internal"), err.get("message", ""))
        result: dict[str, Any] = reply["result"]
        return result

    def next_event(self) -> dict[str, Any]:
        """The next pushed event (after ``subscribe``)."""
        while not self.pushed:
            message = self.read()
            if message.get("type") == "event":
                self.pushed.append(message)
        event: dict[str, Any] = self.pushed.pop(0)["event"]
        return event

    def close(self) -> None:
        """Close the connection."""
        self.file.close()
        self.sock.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
