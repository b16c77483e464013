"""The local API server: one asyncio task per client, requests checked, never fatal.

A malformed, oversized, too deeply nested or forbidden request gets an error
reply and changes nothing; an exception in a handler is logged and answered
with ``internal``; a client that stops reading is disconnected rather than
allowed to stall the daemon.

Idle or hostile clients cannot lock the console out: a client that has not
logged in is dropped after ``idle_timeout`` seconds without a request, at most
``max_clients`` such clients are served (``PER_USER_SHARE`` of them from one
Unix user) and a newcomer takes the place of the longest-idle one rather than
being refused. Logged-in sessions have their own ``max_clients`` places, so
an officer who has logged in keeps the console whatever anonymous clients do.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import json
import logging
import os
import socket
import struct
import time
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
    nesting_too_deep,
    ok,
)

log = logging.getLogger("borderpost.api")
SEND_QUEUE = 1000
IDLE_TIMEOUT_S = 30.0
PER_USER_SHARE = 0.5


@dataclass(eq=False)
class Session:
    """One connected client."""

    writer: asyncio.StreamWriter
    uid: int = -1
    greeted: bool = False
    officer: dict[str, Any] | None = None
    kinds: frozenset[str] | None = None
    subscribed: bool = False
    dropped: bool = False
    last_request: float = field(default_factory=time.monotonic)
    task: asyncio.Task[None] | None = None
    queue: asyncio.Queue[bytes | None] = field(default_factory=lambda: asyncio.Queue(SEND_QUEUE))

    def send(self, message: dict[str, Any]) -> bool:
        """Queue a line; False (and the client is dropped) when it stopped reading."""
        try:
            self.queue.put_nowait(encode(message))
            return True
        except asyncio.QueueFull:
            return False

    def drop(self, reason: str, code: str = "closed") -> bool:
        """Tell the client why (if its queue has room) and close it; False if already dropped."""
        if self.dropped:
            return False
        self.dropped = True
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(encode(error(None, code, reason)))
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)  # the sender writes what is queued, then the line ends
        if self.queue.full():  # it stopped reading: do not wait for its buffer to drain
            self.writer.transport.abort()
        return True


def peer_uid(writer: asyncio.StreamWriter) -> int:
    """The Unix user at the other end of a connection (-1 when the system does not say)."""
    sock = writer.get_extra_info("socket")
    if sock is None or not hasattr(socket, "SO_PEERCRED"):
        return -1
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[1])


Handler = Callable[[Session, dict[str, Any]], Awaitable[dict[str, Any]]]


class ApiServer:
    """Serves the documented requests with ``handlers`` on a Unix socket."""

    def __init__(
        self,
        path: Path,
        handlers: dict[str, Handler],
        *,
        group: str = "",
        max_clients: int = 32,
        idle_timeout: float = IDLE_TIMEOUT_S,
        officer_active: Callable[[str], bool] | None = None,
    ) -> None:
        self.path = path
        self.handlers = handlers
        self.group = group
        self.max_clients = max_clients
        self.idle_timeout = idle_timeout
        self.officer_active = officer_active
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
        tasks = [s.task for s in self.sessions if s.task is not None]
        for session in list(self.sessions):
            session.writer.close()
        if tasks:  # each ends as its connection closes: none is left to be cancelled
            await asyncio.wait(tasks, timeout=1.0)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def broadcast(self, kind: str, event: dict[str, Any]) -> None:
        """Push an event to every subscribed client that wants its kind."""
        for session in list(self.sessions):
            wanted = session.kinds is None or kind in session.kinds
            if (
                session.subscribed
                and wanted
                and not session.dropped
                and not session.send({"type": "event", "event": event})
            ):
                session.dropped = True  # logged once, however many events follow
                log.warning("client too slow (uid %d); disconnecting it", session.uid)
                session.writer.transport.abort()  # close() would wait for it to read

    def end_officer_sessions(self, officer_id: str) -> int:
        """Log out and disconnect every session of ``officer_id`` (disabled); how many."""
        ended = 0
        for session in list(self.sessions):
            if session.officer and session.officer["officer_id"] == officer_id:
                session.officer, session.subscribed = None, False
                ended += session.drop("your officer account was disabled", "unauthenticated")
        return ended

    def sweep_disabled(self) -> None:
        """End the sessions of officers disabled meanwhile (also from the command line)."""
        if self.officer_active is None:
            return
        for officer_id in {s.officer["officer_id"] for s in self.sessions if s.officer}:
            if not self.officer_active(officer_id):
                self.end_officer_sessions(officer_id)

    def _make_room(self, uid: int) -> bool:
        """Room for a new client from ``uid``: the longest-idle anonymous one may be dropped."""
        anonymous = [s for s in self.sessions if s.officer is None and not s.dropped]
        mine = [s for s in anonymous if s.uid == uid]
        for pool, cap in ((mine, max(1, int(self.max_clients * PER_USER_SHARE))),
                          (anonymous, self.max_clients)):  # fmt: skip
            if len(pool) >= cap:
                oldest = min(pool, key=lambda s: s.last_request)
                oldest.drop("closed to make room for a new client; connect again", "too_many")
                anonymous.remove(oldest)
        return len(self.sessions) < 4 * self.max_clients  # a backstop: dropped ones still leaving

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.CancelledError):  # cancelled only when the loop ends
            await self._serve(reader, writer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(writer, uid=peer_uid(writer), task=asyncio.current_task())
        if not self._make_room(session.uid):
            writer.write(encode(error(None, "too_many", "too many clients")))
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
        session.writer.close()  # the read loop then ends too

    async def _read_loop(self, session: Session, reader: asyncio.StreamReader) -> None:
        while not session.dropped:
            timeout = None if session.officer else self.idle_timeout
            try:
                line = await asyncio.wait_for(reader.readline(), timeout)
            except TimeoutError:
                session.drop(f"no request for {self.idle_timeout:.0f} s; connect again", "idle")
                return
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
            session.last_request = time.monotonic()
            if line.strip():
                session.send(await self._answer(session, line))

    async def _answer(self, session: Session, line: bytes) -> dict[str, Any]:
        if nesting_too_deep(line):
            return error(None, "bad_json", "the request is nested too deeply")
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

    def _authorise(self, session: Session, kind: str) -> None:
        if kind in PUBLIC_REQUESTS:
            return
        active = self.officer_active
        if session.officer is not None and active and not active(session.officer["officer_id"]):
            session.officer, session.subscribed = None, False
            raise ApiError("unauthenticated", "your officer account was disabled")
        if session.officer is None:
            raise ApiError("unauthenticated", "log in first")
        if kind not in ALLOWED[session.officer["role"]]:
            raise ApiError("forbidden", f"role {session.officer['role']} may not {kind}")
