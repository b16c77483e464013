"""The console's web application: routes, sessions, CSRF, the live alert stream.

``make_app(db)`` builds a Starlette application over one ``Db`` connection
(used by one thread at a time, under a lock, off the event loop). Pages are
Jinja2 templates with autoescaping; the only script is our own
``static/console.js``. ``/`` is the log-in form; every other page redirects
there (302) without a session, and the JSON and event-stream endpoints
answer 401.
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import json
import secrets
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.hq.db import Db
from sync.hq.web import auth, plot, queries
from sync.sanitize import clean_text

HERE: Final = Path(__file__).parent
SESSION_COOKIE: Final = "bp_session"
LOGIN_COOKIE: Final = "bp_login"
POLL_S: Final = 1.0  # how often the live stream looks for new alerts
REWIND_S: Final = 10.0  # the stream re-reads this far back (commits land out of order)
KEEPALIVE_S: Final = 15.0
SESSION_CHECK_S: Final = 15.0  # the live stream ends this soon after its session does
SEARCH_DAYS: Final = 30
HEADERS: Final = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none';"
    " base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
T = TypeVar("T")


class Console:
    """What the routes share: the database (one user at a time), the templates, TLS or not."""

    def __init__(self, db: Db, tls: bool, reconnect: Callable[[], Db] | None = None) -> None:
        self.db = db
        self.tls = tls
        self._reconnect = reconnect
        self._lock = threading.Lock()
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.templates.filters["ts"] = _ts

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Call ``fn(db, *args)`` on a worker thread, holding the database."""

        def call() -> T:
            with self._lock:
                try:
                    return fn(self.db, *args)
                except Exception as exc:
                    if self._reconnect is None or not _connection_lost(exc):
                        raise
                    self._replace_db()  # the server restarted or failed over: once more
                    return fn(self.db, *args)

        return await run_in_threadpool(call)

    def _replace_db(self) -> None:
        assert self._reconnect is not None
        with contextlib.suppress(Exception):
            self.db.close()
        self.db = self._reconnect()

    async def session(self, request: Request) -> auth.Session | None:
        """The request's live session, if its cookie names one."""
        return await self.run(auth.session_for, request.cookies.get(SESSION_COOKIE))

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A rendered template."""
        html = self.templates.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)


def _connection_lost(exc: Exception) -> bool:
    """Whether ``exc`` is PostgreSQL's connection gone (psycopg's operational errors)."""
    names = {c.__name__ for c in type(exc).__mro__}
    return type(exc).__module__.startswith("psycopg") and bool(
        names & {"OperationalError", "InterfaceError"}
    )


def _ts(value: Any) -> str:
    """Seconds since the epoch as UTC text ('-' when absent)."""
    if value is None or value == "":
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(float(value)))


def _addr(request: Request) -> str:
    return request.client.host if request.client else ""


def _secure_headers(app: ASGIApp) -> ASGIApp:
    """Add the console's security headers to every response."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await app(scope, receive, sending)

    return wrapped


# --- log-in ----------------------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    """``/``: the log-in form (or the alerts, for a logged-in user)."""
    c: Console = request.app.state.console
    if await c.session(request):
        return RedirectResponse("/alerts", status_code=302)
    return _login_page(c, "", 200)


def _login_page(c: Console, error: str, status: int) -> Response:
    token = secrets.token_urlsafe(24)
    resp = c.page("login.html", status, session=None, csrf=token, error=error)
    resp.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=c.tls, max_age=3600
    )
    return resp


async def login(request: Request) -> Response:
    """POST ``/login``: check the form's CSRF token and the password; start a session."""
    c: Console = request.app.state.console
    form = await request.form()
    want = request.cookies.get(LOGIN_COOKIE, "")
    if not want or not secrets.compare_digest(want, str(form.get("csrf", ""))):
        return _login_page(c, "the form expired; please log in again", 403)
    try:
        token, _ = await c.run(
            auth.log_in, str(form.get("user", ""))[:64], str(form.get("password", ""))[:256],
            _addr(request),
        )  # fmt: skip
    except auth.AuthError as exc:
        return _login_page(c, str(exc), 429 if isinstance(exc, auth.Throttled) else 401)
    resp = RedirectResponse("/alerts", status_code=303)
    resp.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", secure=c.tls,
        max_age=int(auth.SESSION_S),
    )  # fmt: skip
    resp.delete_cookie(LOGIN_COOKIE)
    return resp


async def _checked_post(request: Request) -> auth.Session | Response:
    """The session of a POST whose form carries the session's CSRF token, else the refusal."""
    c: Console = request.app.state.console
    s = await c.session(request)
    if s is None:
        return Response("log in first", status_code=401)
    form = await request.form()
    if not secrets.compare_digest(s.csrf, str(form.get("csrf", ""))):
        return Response("missing or wrong CSRF token: reload the page", status_code=403)
    return s


Handler = Callable[[Request, Console, auth.Session], Awaitable[Response]]
Route_ = Callable[[Request], Awaitable[Response]]


def page(handler: Handler) -> Route_:
    """A page for logged-in users: without a session, a redirect to the log-in form."""

    async def route(request: Request) -> Response:
        c: Console = request.app.state.console
        s = await c.session(request)
        if s is None:
            return RedirectResponse("/", status_code=302)
        return await handler(request, c, s)

    return route


def form_post(handler: Handler) -> Route_:
    """A POST whose form must carry the session's CSRF token (401 without a session, 403
    without the token)."""

    async def route(request: Request) -> Response:
        s = await _checked_post(request)
        if isinstance(s, Response):
            return s
        return await handler(request, request.app.state.console, s)

    return route


@form_post
async def logout(request: Request, c: Console, s: auth.Session) -> Response:
    """POST ``/logout``: end the session."""
    await c.run(auth.log_out, s, _addr(request))
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


# --- alerts ----------------------------------------------------------------------------------


def _filters(q: Any) -> queries.AlertFilters:
    """The alert filters of a query string (times are UTC, 'YYYY-MM-DDTHH:MM')."""
    return queries.AlertFilters(
        post=str(q.get("post", ""))[:64],
        kind=str(q.get("kind", ""))[:40],
        band=str(q.get("band", "")),
        since=_utc(q.get("since")),
        until=_utc(q.get("until")),
        status=str(q.get("status", "")),
    )


def _utc(text: str | None) -> float | None:
    """A 'YYYY-MM-DDTHH:MM[:SS]' UTC time as seconds since the epoch (None if blank or bad)."""
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return float(calendar.timegm(time.strptime(str(text or ""), fmt)))
        except ValueError:
            continue
    return None


def _live(alert: dict[str, Any]) -> dict[str, Any]:
    """An alert as the page's script receives it (JSON-safe, cleaned)."""
    keys = ("uuid", "post_id", "seq", "received", "kind", "summary", "band", "priority")
    return {**{k: alert[k] for k in keys}, "status": alert["status"], "lane": alert["lane"]}


async def alerts(request: Request) -> Response:
    """``/alerts``: the newest alerts across posts, filtered; JSON with ``?format=json``."""
    c: Console = request.app.state.console
    s = await c.session(request)
    as_json = request.query_params.get("format") == "json"
    if s is None:
        return _unauthorised() if as_json else RedirectResponse("/", status_code=302)
    f = _filters(request.query_params)
    found = await c.run(queries.alert_page, f, 200)
    if as_json:
        return JSONResponse({"alerts": [_live(a) for a in found]})
    posts = await c.run(queries.post_ids)
    return c.page(
        "alerts.html", session=s, alerts=found, f=f, posts=posts, q=request.query_params,
        kinds=queries.ALERT_KINDS, statuses=queries.STATUSES, bands=tuple(queries.BANDS),
        newest=max((a["received"] for a in found), default=time.time()),
    )  # fmt: skip


def _unauthorised() -> Response:
    return JSONResponse({"error": "log in first"}, status_code=401)


async def stream(request: Request) -> Response:
    """``/alerts/stream``: server-sent events, one ``alert`` per new alert matching the
    filters, after the ``after`` receive time the page was drawn at."""
    c: Console = request.app.state.console
    s = await c.session(request)
    if s is None:
        return _unauthorised()
    try:
        after = float(request.query_params.get("after") or time.time())
    except ValueError:
        after = time.time()
    f = _filters(request.query_params)
    token = request.cookies.get(SESSION_COOKIE)
    return StreamingResponse(
        _events(request, c, f, after, token),
        media_type="text/event-stream",
        headers={"x-accel-buffering": "no"},
    )


async def _events(
    request: Request, c: Console, f: queries.AlertFilters, after: float, token: str | None
) -> AsyncIterator[str]:
    seen: dict[str, float] = {}
    last_sent = checked = time.monotonic()
    while not await request.is_disconnected():
        if time.monotonic() - checked > SESSION_CHECK_S:  # (each check is a write)
            checked = time.monotonic()
            if await c.run(auth.session_for, token) is None:
                yield "event: logout\ndata: {}\n\n"
                return
        for a in await c.run(queries.alert_page, f, 500, after - REWIND_S):
            if a["uuid"] not in seen:
                seen[a["uuid"]] = a["received"]
                after = max(after, a["received"])
                last_sent = time.monotonic()
                yield f"event: alert\ndata: {json.dumps(_live(a))}\n\n"
        seen = {u: r for u, r in seen.items() if r > after - REWIND_S}
        if time.monotonic() - last_sent > KEEPALIVE_S:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_S)


@page
async def alert_detail(request: Request, c: Console, s: auth.Session) -> Response:
    """``/alerts/{uuid}``: one alert with its reading, screening, adjudication and actions."""
    found = await c.run(queries.alert_detail, request.path_params["uuid"][:64])
    if found is None:
        return c.page("missing.html", 404, session=s, what="alert")
    return c.page("alert.html", session=s, a=found, flatten=queries.flatten)


@form_post
async def act(request: Request, c: Console, s: auth.Session) -> Response:
    """POST ``/alerts/{uuid}/act``: acknowledge, assign or note (duty officers and admins
    acknowledge and assign; analysts may add notes)."""
    form = await request.form()
    action, detail = str(form.get("action", "")), str(form.get("detail", ""))
    if action not in queries.ACTIONS:
        return Response(f"unknown action; use one of {', '.join(queries.ACTIONS)}", 400)
    if action != "note" and not s.may_act:
        return Response(f"a {s.role} may add notes only", status_code=403)
    if action != "acknowledge" and not detail.strip():
        return Response(f"{action}: write who or what", status_code=400)
    uuid = request.path_params["uuid"][:64]
    if not await c.run(queries.act, uuid, s.user_id, action, detail, _addr(request)):
        return Response("no such alert", status_code=404)
    return RedirectResponse(f"/alerts/{uuid}", status_code=303)


# --- posts, traffic, search ------------------------------------------------------------------


@page
async def posts(request: Request, c: Console, s: auth.Session) -> Response:
    """``/posts``: every post's health and the versions it has in force."""
    return c.page("posts.html", session=s, posts=await c.run(queries.posts, None))


@page
async def traffic(request: Request, c: Console, s: auth.Session) -> Response:
    """``/traffic``: events and alerts per post per hour (SVG bar charts)."""
    hours = min(max(_int(request.query_params.get("hours"), 24), 1), 24 * 7)
    counts = await c.run(queries.traffic, hours, None)
    return c.page("traffic.html", session=s, charts=plot.charts(counts), hours=hours)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


@page
async def search(request: Request, c: Console, s: auth.Session) -> Response:
    """``/search``: events by document, name, plate, MRN or container."""
    field = request.query_params.get("field", "document")
    field = field if field in queries.SEARCH_FIELDS else "document"
    text = clean_text(request.query_params.get("q", ""), 100)
    days = min(max(_int(request.query_params.get("days"), SEARCH_DAYS), 1), 366)
    since = time.time() - days * 86400
    found = await c.run(queries.search, field, text, since, 100) if text.strip() else []
    return c.page(
        "search.html", session=s, results=found, field=field, text=text, days=days,
        fields=tuple(queries.SEARCH_FIELDS),
    )  # fmt: skip


# --- users (admins) ---------------------------------------------------------------------------

USER_ACTIONS: Final = {
    "disable": lambda db, uid, _v, by, addr: auth.disable_user(db, uid, by, addr),
    "enable": lambda db, uid, _v, by, addr: auth.enable_user(db, uid, by, addr),
    "password": auth.set_password,
    "role": auth.set_role,
}
SELF_ACTIONS: Final = frozenset({"password"})  # an admin cannot lock themselves out


def admin(handler: Handler) -> Handler:
    """Only for admins: anyone else gets 403."""

    async def route(request: Request, c: Console, s: auth.Session) -> Response:
        if s.role != "admin":
            return c.page("missing.html", 403, session=s, what="page for a " + s.role)
        return await handler(request, c, s)

    return route


def _users_page(c: Console, s: auth.Session, found: list[dict[str, Any]], status: int = 200,
                error: str = "") -> Response:  # fmt: skip
    return c.page(
        "users.html", status, session=s, users=found, roles=auth.ROLES, error=error,
        min_password=auth.MIN_PASSWORD,
    )  # fmt: skip


@page
@admin
async def users(request: Request, c: Console, s: auth.Session) -> Response:
    """``/users``: every console user, and forms to add, disable, enable, re-role, re-password."""
    return _users_page(c, s, await c.run(auth.list_users))


@form_post
@admin
async def add_user(request: Request, c: Console, s: auth.Session) -> Response:
    """POST ``/users``: add a user (400 with the reason on the page when it cannot be done)."""
    form = await request.form()
    user_id = str(form.get("user_id", ""))[:64]
    try:
        await c.run(auth.add_user, user_id, str(form.get("role", "")),
                    str(form.get("password", ""))[:256], s.user_id)  # fmt: skip
    except auth.AuthError as exc:
        return _users_page(c, s, await c.run(auth.list_users), 400, error=str(exc))
    return RedirectResponse("/users", status_code=303)


@form_post
@admin
async def user_act(request: Request, c: Console, s: auth.Session) -> Response:
    """POST ``/users/{user}/act``: disable, enable, password or role (``value``)."""
    form = await request.form()
    action, value = str(form.get("action", "")), str(form.get("value", ""))[:256]
    user_id = request.path_params["user"][:64]
    if action not in USER_ACTIONS:
        return Response(f"unknown action; use one of {', '.join(USER_ACTIONS)}", 400)
    if user_id == s.user_id and action not in SELF_ACTIONS:
        return Response(f"you cannot {action} your own account; ask another admin", 403)
    try:
        await c.run(USER_ACTIONS[action], user_id, value, s.user_id, _addr(request))
    except auth.AuthError as exc:
        status = 404 if str(exc).startswith("no user") else 400
        return _users_page(c, s, await c.run(auth.list_users), status, error=str(exc))
    return RedirectResponse("/users" if user_id != s.user_id else "/", status_code=303)


def make_app(db: Db, tls: bool = False, reconnect: Callable[[], Db] | None = None) -> ASGIApp:
    """The console over ``db`` (whose HQ schema exists); ``tls``: cookies marked Secure;
    ``reconnect``: a new connection when PostgreSQL's went away (tried once per request)."""
    app = Starlette(
        routes=[
            Route("/", login_form),
            Route("/login", login, methods=["POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/alerts", alerts),
            Route("/alerts/stream", stream),
            Route("/alerts/{uuid}", alert_detail),
            Route("/alerts/{uuid}/act", act, methods=["POST"]),
            Route("/posts", posts),
            Route("/traffic", traffic),
            Route("/search", search),
            Route("/users", users),
            Route("/users", add_user, methods=["POST"]),
            Route("/users/{user}/act", user_act, methods=["POST"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]
    )
    app.state.console = Console(db, tls, reconnect)
    return _secure_headers(app)
