"""The local API server: one asyncio task per client, requests checked, never fatal.

A malformed, oversized or forbidden request gets an error reply and changes
nothing; an exception in a handler is logged and answered with ``internal``;
a client that stops reading is disconnected rather than allowed to stall the
daemon.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edge.api.protocol import (
    ALLOWED,
    MAX_LINE,
    PROTOCOL,
    PUBLIC_REQUESTS,
    ApiError,
    Request,
    encode,
    error,
    ok,
)

log = logging.getLogger("borderpost.api")
SEND_QUEUE = 1000


@dataclass(eq=False)
class Session:
    """One connected client."""

    writer: asyncio.StreamWriter
    greeted: bool = False
    officer: dict[str, Any] | None = None
    kinds: frozenset[str] | None = None
    subscribed: bool = False
    queue: asyncio.Queue[bytes | None] = field(default_factory=lambda: asyncio.Queue(SEND_QUEUE))

    def send(self, message: dict[str, Any]) -> bool:
        """Queue a line; False (and the client is dropped) when it stopped reading."""
        try:
            self.queue.put_nowait(encode(message))
            return True
        except asyncio.QueueFull:
            return False


Handler = Callable[[Session, dict[str, Any]], Awaitable[dict[str, Any]]]


class ApiServer:
    """Serves the documented requests with ``handlers`` on a Unix socket."""

    def __init__(
        self, path: Path, handlers: dict[str, Handler], *, group: str = "", max_clients: int = 32
    ) -> None:
        self.path = path
        self.handlers = handlers
        self.group = group
        self.max_clients = max_clients
        self.sessions: set[Session] = set()
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        """Bind the socket (mode 0660, optional group) and accept clients."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        old = os.umask(0o117)
        try:
            self._server = await asyncio.start_unix_server(
                self._client, path=str(self.path), limit=MAX_LINE + 2
            )
        finally:
            os.umask(old)
        os.chmod(self.path, 0o660)
        if self.group:
            os.chown(self.path, -1, grp.getgrnam(self.group).gr_gid)

    async def stop(self) -> None:
        """Close the socket and every client."""
        if self._server is not None:
            self._server.close()
        for session in list(self.sessions):
            session.writer.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def broadcast(self, kind: str, event: dict[str, Any]) -> None:
        """Push an event to every subscribed client that wants its kind."""
        for session in list(self.sessions):
            wanted = session.kinds is None or kind in session.kinds
            if (
                session.subscribed
                and wanted
                and not session.send({"type": "event", "event": event})
            ):
                log.warning("client too slow; disconnecting it")
                session.writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(writer)
        if len(self.sessions) >= self.max_clients:
            writer.write(encode(error(None, "bad_request", "too many clients")))
            writer.close()
            return
        self.sessions.add(session)
        sender = asyncio.create_task(self._sender(session))
        try:
            await self._read_loop(session, reader)
        finally:
            self.sessions.discard(session)
            session.queue.put_nowait(None) if not session.queue.full() else None
            await asyncio.wait([sender], timeout=1.0)
            sender.cancel()
            writer.close()

    async def _sender(self, session: Session) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while (line := await session.queue.get()) is not None:
                session.writer.write(line)
                await session.writer.drain()

    async def _read_loop(self, session: Session, reader: asyncio.StreamReader) -> None:
        while True:
            try:
                line = await reader.readline()
            except (ValueError, asyncio.LimitOverrunError):
                session.send(
                    error(None, "too_large", f"a request line is at most {MAX_LINE} bytes")
                )
                return
            except (ConnectionError, OSError):
                return
            if not line:
                return
            if len(line) > MAX_LINE:
                session.send(
                    error(None, "too_large", f"a request line is at most {MAX_LINE} bytes")
                )
                return
            if line.strip():
                session.send(await self._answer(session, line))

    async def _answer(self, session: Session, line: bytes) -> dict[str, Any]:
        try:
            request = Request.from_json(json.loads(line))
        except (ValueError, UnicodeDecodeError):
            return error(None, "bad_json", "the line is not JSON")
        except ApiError as exc:
            return error(None, exc.code, exc.message)
        try:
            return ok(request.id, await self._dispatch(session, request))
        except ApiError as exc:
            return error(request.id, exc.code, exc.message, **exc.extra)
        except Exception:
            log.exception("request %r failed", request.type[:40])
            return error(request.id, "internal", "the daemon failed on this request; it is logged")

    async def _dispatch(self, session: Session, request: Request) -> dict[str, Any]:
        kind = request.type
        if kind not in self.handlers:
            raise ApiError("unknown_type", f"unknown request type {kind[:40]!r}")
        if kind == "hello":
            if request.params.get("protocol") != PROTOCOL:
                raise ApiError("unsupported_protocol", f"this daemon speaks protocol {PROTOCOL}")
            session.greeted = True
        elif not session.greeted:
            raise ApiError("handshake_required", "send hello first")
        self._authorise(session, kind)
        return await self.handlers[kind](session, request.to_json())

    @staticmethod
    def _authorise(session: Session, kind: str) -> None:
        if kind in PUBLIC_REQUESTS:
            return
        if session.officer is None:
            raise ApiError("unauthenticated", "log in first")
        if kind not in ALLOWED[session.officer["role"]]:
            raise ApiError("forbidden", f"role {session.officer['role']} may not {kind}")
