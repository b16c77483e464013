"""An asyncio client of the daemon's local API that reconnects by itself.

It never blocks the event loop: one reader task owns the socket, requests wait
on futures, pushed events go to a callback. After a reconnect it says hello
again, logs the same officer back in and re-subscribes, and tells the app.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from edge.api.protocol import (
    PROTOCOL,
    ApiError,
    CodecError,
    ErrorReply,
    EventPush,
    Reply,
    decode_message,
)

CLIENT_NAME = "tui/0.1.0"
READ_LIMIT = 4 * 1024 * 1024
LOGGED_OUT = "connected; the daemon no longer accepts this log-in"
BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)

EventCallback = Callable[[dict[str, Any]], None]
LinkCallback = Callable[[bool, str], None]


class Backend(Protocol):
    """What the console needs from the daemon (the real client, or fixed data in snapshots)."""

    hello: dict[str, Any]

    async def call(self, request_type: str, /, **params: Any) -> dict[str, Any]:
        """Send one request; return its result or raise ``ApiError``/``ConnectionError``."""

    async def login(self, officer_id: str, pin: str) -> dict[str, Any]:
        """Log in (remembered for reconnects) and return the officer."""

    async def logout(self) -> None:
        """Log out and forget the officer."""

    async def subscribe(self) -> None:
        """Receive pushed events from now on (again after each reconnect)."""

    async def run(self, on_event: EventCallback, on_link: LinkCallback) -> None:
        """Keep the link up until cancelled."""


class DaemonClient:
    """The real link to ``borderpost run`` over its Unix socket."""

    def __init__(self, socket_path: Path, request_timeout: float = 10.0) -> None:
        self.socket_path = socket_path
        self.request_timeout = request_timeout
        self.hello: dict[str, Any] = {}
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Reply | ErrorReply]] = {}
        self._writer: asyncio.StreamWriter | None = None
        self._credentials: tuple[str, str] | None = None
        self._subscribed = False
        self._ready = asyncio.Event()

    @property
    def connected(self) -> bool:
        """True while the link is up and the handshake done."""
        return self._ready.is_set()

    async def call(self, request_type: str, /, **params: Any) -> dict[str, Any]:
        """Send a request and wait for its reply."""
        if not self._ready.is_set():
            raise ConnectionError("no link to the daemon")
        return await self._request(request_type, params)

    async def login(self, officer_id: str, pin: str) -> dict[str, Any]:
        """Log in; the credentials stay in memory only, to log in again after a reconnect."""
        officer = await self.call("login", officer_id=officer_id, pin=pin)
        self._credentials = (officer_id, pin)
        return officer

    async def logout(self) -> None:
        """Log out and forget the credentials."""
        self._credentials, self._subscribed = None, False
        if self._ready.is_set():
            await self.call("logout")

    async def subscribe(self) -> None:
        """Subscribe to every event kind."""
        await self.call("subscribe")
        self._subscribed = True

    async def run(self, on_event: EventCallback, on_link: LinkCallback) -> None:
        """Connect, serve, and reconnect with backoff whenever the link drops."""
        attempt = 0
        while True:
            try:
                await self._session(on_event, on_link)
                attempt = 0
            except (OSError, ApiError, asyncio.IncompleteReadError, ValueError) as exc:
                on_link(False, _reason(exc))  # ValueError: a line over READ_LIMIT
            self._ready.clear()
            self._fail_pending()
            await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
            attempt += 1

    async def _session(self, on_event: EventCallback, on_link: LinkCallback) -> None:
        reader, writer = await asyncio.open_unix_connection(str(self.socket_path), limit=READ_LIMIT)
        self._writer = writer
        task = asyncio.create_task(self._read_loop(reader, on_event))
        try:
            on_link(True, await self._handshake())
            await task
        finally:
            task.cancel()
            writer.close()
        on_link(False, "the daemon closed the connection")

    async def _handshake(self) -> str:
        self.hello = await self._request("hello", {"protocol": PROTOCOL, "client": CLIENT_NAME})
        self._ready.set()
        if self._credentials is not None:
            officer_id, pin = self._credentials
            try:
                await self._request("login", {"officer_id": officer_id, "pin": pin})
            except ApiError:
                self._credentials, self._subscribed = None, False
                return LOGGED_OUT
            if self._subscribed:
                await self._request("subscribe", {})
        return "connected"

    async def _request(self, request_type: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._writer is None:
            raise ConnectionError("no link to the daemon")
        request_id = next(self._ids)
        future: asyncio.Future[Reply | ErrorReply] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        line = json.dumps({**params, "id": request_id, "type": request_type}) + "\n"
        try:
            self._writer.write(line.encode())
            await self._writer.drain()
            reply = await asyncio.wait_for(future, self.request_timeout)
        finally:
            self._pending.pop(request_id, None)
        return _result(reply)

    async def _read_loop(self, reader: asyncio.StreamReader, on_event: EventCallback) -> None:
        while line := await reader.readline():
            try:
                obj = json.loads(line)
                message = decode_message(obj)
            except CodecError:  # an event this console cannot type: shown as it came
                if isinstance(obj, dict) and isinstance(obj.get("event"), dict):
                    on_event(obj["event"])
                continue
            except ValueError:
                continue
            if isinstance(message, EventPush):
                on_event(dict(message.raw))
                continue
            future = self._pending.get(message.id)  # type: ignore[arg-type]
            if future is not None and not future.done():
                future.set_result(message)

    def _fail_pending(self) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ConnectionError("the link to the daemon dropped"))
        self._pending.clear()


def _result(reply: Reply | ErrorReply) -> dict[str, Any]:
    if isinstance(reply, Reply):
        return dict(reply.result)
    raise ApiError(reply.code, reply.message, **reply.extra)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError | ConnectionRefusedError):
        return "daemon not running"
    if isinstance(exc, ApiError):
        return f"handshake refused: {exc.code}"
    return str(exc) or type(exc).__name__
