"""The HQ web console without a browser: log-in, sessions, CSRF, roles, pages, the commands.

Starlette's TestClient drives the real application over a real HQ database
(SQLite; one test on PostgreSQL), filled through the store's API.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

import httpx
from conftest import borderpost
from hq_web_kit import PASSWORD, add_user, alert, csrf_of, seed, serving, web_db
from starlette.testclient import TestClient
from sync_testkit import postgres_server, postgres_url  # noqa: F401

from edge.cli import main
from sync import ca
from sync.hq.db import connect
from sync.hq.store import HqStore
from sync.hq.web import auth, queries
from sync.hq.web.app import make_app

PAGES = ("/alerts", "/posts", "/traffic", "/search?q=X1", "/alerts/whatever")


def _client(target: str | Path, tls: bool = False) -> TestClient:
    app = make_app(web_db(target), tls=tls, reconnect=lambda: connect(target))
    return TestClient(app, base_url="https://hq" if tls else "http://hq")


def _login(client: TestClient, user: str, password: str = PASSWORD) -> object:
    form = client.get("/")
    return client.post(
        "/login",
        data={"user": user, "password": password, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[Path]:
    """A seeded SQLite HQ database with a duty officer 'duty' and an analyst 'ana'."""
    target = tmp_path / "hq.db"
    seed(target).close()
    add_user(target, "duty", "duty_officer")
    add_user(target, "ana", "analyst")
    yield target


def _first_alert(client: TestClient, post: str = "post-a") -> str:
    found = client.get(f"/alerts?format=json&post={post}").json()["alerts"]
    return str(found[0]["uuid"])


def test_nothing_is_readable_without_a_session(hq: Path) -> None:
    client = _client(hq)
    for page in PAGES:
        resp = client.get(page, follow_redirects=False)
        assert resp.status_code == 302 and resp.headers["location"] == "/", page
    assert client.get("/alerts?format=json").status_code == 401
    assert client.get("/alerts/stream").status_code == 401
    assert client.post("/alerts/x/act", data={"action": "note"}).status_code == 401
    assert "Log in" in client.get("/").text


def test_log_in_sets_a_strict_http_only_cookie_and_log_out_ends_it(hq: Path) -> None:
    client = _client(hq, tls=True)
    resp = _login(client, "duty")
    assert resp.status_code == 303 and resp.headers["location"] == "/alerts"
    cookie = resp.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    page = client.get("/alerts")
    assert page.status_code == 200 and "duty (duty officer)" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    assert client.get("/alerts", follow_redirects=False).status_code == 302


def test_a_wrong_password_or_a_missing_login_token_is_refused(hq: Path) -> None:
    client = _client(hq)
    assert _login(client, "duty", "wrong password").status_code == 401
    assert _login(client, "nobody").status_code == 401
    resp = client.post(
        "/login", data={"user": "duty", "password": PASSWORD}, follow_redirects=False
    )
    assert resp.status_code == 403  # no CSRF token: a cross-site log-in is refused


def test_failed_log_ins_are_throttled_and_audited(hq: Path) -> None:
    client = _client(hq)
    for _ in range(auth.MAX_FAILURES):
        assert _login(client, "duty", "guess guess").status_code == 401
    resp = _login(client, "duty")  # the right password, too late
    assert resp.status_code == 429 and "too many failed log-ins" in resp.text
    db = web_db(hq)
    n = db.execute("SELECT COUNT(*) FROM web_audit WHERE action = 'login.failed'").fetchone()[0]
    assert n == auth.MAX_FAILURES


def test_an_action_needs_the_sessions_csrf_token(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")
    uuid = _first_alert(client)
    for form in ({"action": "acknowledge"}, {"action": "acknowledge", "csrf": "forged"}):
        assert client.post(f"/alerts/{uuid}/act", data=form).status_code == 403
    csrf = csrf_of(client.get(f"/alerts/{uuid}").text)
    resp = client.post(f"/alerts/{uuid}/act", data={"action": "acknowledge", "csrf": csrf})
    assert resp.status_code == 200 and "acknowledged" in resp.text
    assert "duty — acknowledge" in resp.text


def test_an_analyst_may_note_but_not_acknowledge_or_assign(hq: Path) -> None:
    client = _client(hq)
    _login(client, "ana")
    uuid = _first_alert(client)
    page = client.get(f"/alerts/{uuid}").text
    assert "Acknowledge" not in page
    for form in ({"action": "acknowledge"}, {"action": "assign", "detail": "ana"}):
        resp = client.post(f"/alerts/{uuid}/act", data={**form, "csrf": csrf_of(page)})
        assert resp.status_code == 403
    note = {"action": "note", "detail": "called the post", "csrf": csrf_of(page)}
    assert "ana — note: called the post" in client.post(f"/alerts/{uuid}/act", data=note).text
    audit = web_db(hq).execute(
        "SELECT user_id, action, subject FROM web_audit WHERE action LIKE 'alert.%'"
    )
    assert audit.fetchall() == [("ana", "alert.note", uuid)]


def test_a_session_ends_when_idle_or_expired(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")
    db, now = web_db(hq), time.time()
    times = "UPDATE web_sessions SET last_used = $1, expires = $2"
    for last_used, expires in ((now - auth.IDLE_S - 1, now + 60), (now, now - 1)):
        db.execute(times, (now, now + 60))
        assert client.get("/alerts", follow_redirects=False).status_code == 200
        db.execute(times, (last_used, expires))
        assert client.get("/alerts", follow_redirects=False).status_code == 302


def test_a_disabled_users_session_ends(hq: Path) -> None:
    client = _client(hq)
    _login(client, "ana")
    assert client.get("/alerts").status_code == 200
    result = borderpost("hq", "user", "disable", "ana", "--db", str(hq))  # as a user would
    assert result.returncode == 0, result.stderr
    assert client.get("/alerts", follow_redirects=False).status_code == 302


def test_hostile_strings_from_a_post_are_shown_as_text(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")
    uuid = _first_alert(client)
    pages = ("/alerts", f"/alerts/{uuid}", "/posts", "/search?field=name&q=script")
    for page in (client.get(p).text for p in pages):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}} evil" in page
        assert "\u202e" not in page and " 49 " not in page


def test_filters_narrow_the_alerts(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")

    def shown(query: str) -> list[str]:
        return [a["post_id"] for a in client.get(f"/alerts?format=json&{query}").json()["alerts"]]

    assert sorted(shown("")) == ["post-a", "post-b"]
    assert shown("post=post-b") == ["post-b"]
    assert shown("kind=radiation") == ["post-b"]
    assert shown("band=notice") == [] and len(shown("band=alert")) == 2
    assert shown("since=2000-01-01T00:00&until=2000-01-02T00:00") == []
    uuid = _first_alert(client, "post-a")
    csrf = csrf_of(client.get(f"/alerts/{uuid}").text)
    client.post(f"/alerts/{uuid}/act", data={"action": "acknowledge", "csrf": csrf})
    assert shown("status=acknowledged") == ["post-a"] and shown("status=new") == ["post-b"]


def test_alert_detail_shows_the_reading_and_the_posts_adjudication(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")
    page = client.get(f"/alerts/{_first_alert(client)}").text
    assert "X1234567" in page  # the passport read that raised it
    assert "screening band: referral" in page and "0.97" in page
    assert "<strong>refer</strong> by o-7" in page


def test_posts_page_marks_offline_posts_and_stale_lists(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")
    page = client.get("/posts").text
    a, b = page.split('data-post="post-a"')[1].split('data-post="post-b"')
    assert 'class="state">online' in a and 'class="state">offline' in b
    assert "watchlist: 41 <strong>stale</strong>" in a and "rule pack: r-9</li>" in a
    assert "not synchronised" in a and "<td>3</td>" in a


def test_traffic_plot_counts_events_per_hour(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")
    page = client.get("/traffic?hours=3").text
    a = page.split('data-post="post-a"')[1].split("</svg>")[0]
    events = [
        int(n)
        for n in a.split('class="bar events"')[1:]
        for n in [n.split('data-count="')[1].split('"')[0]]
    ]
    alerts = [
        int(n)
        for n in a.split('class="bar alerts"')[1:]
        for n in [n.split('data-count="')[1].split('"')[0]]
    ]
    assert len(events) == 3 and events[-1] == 3 and sum(events) == 3
    assert alerts[-1] == 1 and sum(alerts) == 1


def test_alert_page_reads_newest_first_through_an_index(
    hq: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = web_db(hq)
    plans: list[str] = []

    def explain(db_: Any, sql: str, args: Any = ()) -> list[dict[str, Any]]:
        plans.append(" / ".join(r[-1] for r in db_.execute("EXPLAIN QUERY PLAN " + sql, args)))
        return []

    monkeypatch.setattr(queries, "rows", explain)
    for f in (
        queries.AlertFilters(),
        queries.AlertFilters(post="post-a", band="alert"),
        queries.AlertFilters(kind="watchlist"),
        queries.AlertFilters(status="new", since=1.0),
        queries.AlertFilters(status="acknowledged"),
    ):
        queries.alert_page(db, f, 200)
    for plan in plans:  # never a scan of events, never a sort of every alert before the limit
        assert plan.startswith("SEARCH e USING INDEX") and "ORDER BY" not in plan, plan
    assert "events_alert_kind" in plans[2]  # the kind in the payload, indexed (schema.py)


def test_search_finds_events_by_document_and_name(hq: Path) -> None:
    client = _client(hq)
    _login(client, "duty")
    page = client.get("/search?field=document&q=p765").text
    assert "post-b" in page and "P7654321" in page and "1 event " in page
    assert "0 events" in client.get("/search?field=mrn&q=p765").text


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """A `borderpost` command run in this process (exit code, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_user_commands_and_the_listen_guard(hq: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add = ("hq", "user", "add", "boss", "--role", "admin", "--generate", "--db", str(hq))
    code, out, err = _cli(capsys, *add)
    assert code == 0, err
    client = _client(hq)
    assert _login(client, "boss", json.loads(out)["password"]).status_code == 303
    listed = json.loads(_cli(capsys, "hq", "user", "list", "--db", str(hq))[1])
    assert [u["user_id"] for u in listed] == ["ana", "boss", "duty"] and "pw_hash" not in listed[0]
    code, _, err = _cli(capsys, *add)
    assert code != 0 and "exists already" in err
    code, _, err = _cli(capsys, "hq", "web", "--db", str(hq), "--listen", "0.0.0.0:8443")
    assert code != 0 and "only over TLS" in err
    code, _, err = _cli(capsys, "hq", "user", "disable", "nobody", "--db", str(hq))
    assert code != 0 and "no user 'nobody'" in err


def test_an_admin_manages_users_from_the_console(hq: Path) -> None:
    add_user(hq, "boss", "admin")
    boss, ana = _client(hq), _client(hq)
    _login(boss, "boss")
    _login(ana, "ana")
    page = boss.get("/users")
    assert page.status_code == 200 and 'href="/users"' in page.text
    assert [row in page.text for row in ('data-user="ana"', 'data-user="duty"')] == [True, True]
    csrf = csrf_of(page.text)
    new = {"user_id": "carla", "role": "analyst", "password": PASSWORD, "csrf": csrf}
    assert boss.post("/users", data=new).status_code == 200  # back on the list
    assert _login(_client(hq), "carla").status_code == 303
    again = boss.post("/users", data=new)
    assert again.status_code == 400 and "exists already" in again.text

    def act(user: str, action: str, value: str = "") -> httpx.Response:
        form = {"action": action, "value": value, "csrf": csrf}
        return boss.post(f"/users/{user}/act", data=form, follow_redirects=False)

    assert act("ana", "role", "duty_officer").status_code == 303
    assert 'id="ack"' in ana.get(f"/alerts/{_first_alert(ana)}").text  # the next page has it
    assert act("ana", "password", "short").status_code == 400
    assert act("ana", "password", "a new long passphrase").status_code == 303
    assert ana.get("/alerts", follow_redirects=False).status_code == 302  # sessions ended
    assert _login(_client(hq), "ana").status_code == 401
    assert _login(_client(hq), "ana", "a new long passphrase").status_code == 303
    assert act("duty", "disable").status_code == 303
    assert _login(_client(hq), "duty").status_code == 401
    assert act("duty", "enable").status_code == 303
    assert _login(_client(hq), "duty").status_code == 303
    assert act("nobody", "enable").status_code == 404
    assert act("duty", "delete").status_code == 400
    for action in ("disable", "role"):  # no admin locks themselves out
        assert act("boss", action, "analyst").status_code == 403
    audit = web_db(hq).execute(
        "SELECT user_id, action, subject, detail FROM web_audit WHERE action LIKE 'user.%'"
        " AND user_id = 'boss' ORDER BY id"
    )
    assert audit.fetchall() == [
        ("boss", "user.added", "carla", "analyst"), ("boss", "user.role", "ana", "duty_officer"),
        ("boss", "user.password", "ana", ""), ("boss", "user.disabled", "duty", ""),
        ("boss", "user.enabled", "duty", ""),
    ]  # fmt: skip


def test_only_an_admin_may_see_or_change_users(hq: Path) -> None:
    add_user(hq, "boss", "admin")
    csrf = csrf_of(_client(hq).get("/").text)
    for user in ("duty", "ana"):
        client = _client(hq)
        _login(client, user)
        alerts = client.get("/alerts").text
        assert 'href="/users"' not in alerts
        assert client.get("/users").status_code == 403
        token = csrf_of(alerts)
        form = {"user_id": "mallory", "role": "admin", "password": PASSWORD, "csrf": token}
        assert client.post("/users", data=form).status_code == 403
        act = {"action": "role", "value": "admin", "csrf": token}
        assert client.post(f"/users/{user}/act", data=act).status_code == 403
    anon = _client(hq)
    assert anon.get("/users", follow_redirects=False).status_code == 302
    assert anon.post("/users", data={"csrf": csrf}).status_code == 401
    boss = _client(hq)
    _login(boss, "boss")
    forged = {"user_id": "mallory", "role": "admin", "password": PASSWORD, "csrf": "forged"}
    assert boss.post("/users", data=forged).status_code == 403
    assert [u["user_id"] for u in auth.list_users(web_db(hq))] == ["ana", "boss", "duty"]


def test_user_commands_enable_password_and_role(
    hq: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(hq))
    assert _cli(capsys, "hq", "user", "disable", "ana", *db)[0] == 0
    code, out, _ = _cli(capsys, "hq", "user", "enable", "ana", *db)
    assert code == 0 and json.loads(out) == {"user_id": "ana", "disabled": False}
    code, out, _ = _cli(capsys, "hq", "user", "password", "ana", "--generate", *db)
    assert code == 0 and _login(_client(hq), "ana", json.loads(out)["password"]).status_code == 303
    code, out, _ = _cli(capsys, "hq", "user", "role", "ana", "--role", "admin", *db)
    assert code == 0 and json.loads(out) == {"user_id": "ana", "role": "admin"}
    assert {u["user_id"]: u["role"] for u in auth.list_users(web_db(hq))}["ana"] == "admin"
    code, out, _ = _cli(capsys, "hq", "user", "list", "--json", *db)  # --json as elsewhere
    assert code == 0 and [u["user_id"] for u in json.loads(out)] == ["ana", "duty"]
    code, _, err = _cli(capsys, "hq", "user", "role", "nobody", "--role", "analyst", *db)
    assert code != 0 and "no user 'nobody'" in err


def test_served_over_tls_with_secure_cookies(hq: Path, tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    ca.init_ca(pki)
    server = ca.issue(pki, "server")  # CN localhost, SANs localhost, 127.0.0.1, ::1
    with serving(hq, "--tls-cert", str(server.cert), "--tls-key", str(server.key)) as url:
        assert url.startswith("https://127.0.0.1:")
        resp = httpx.get(url + "/", verify=ssl.create_default_context(cafile=pki / ca.CA_CERT))
    assert resp.status_code == 200 and "; secure" in resp.headers["set-cookie"].lower()
    with pytest.raises(httpx.HTTPError):  # plain HTTP is not served there
        httpx.get(url.replace("https", "http") + "/")


def test_console_on_postgresql(request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("postgres_url")
    store = seed(url)
    add_user(url, "duty", "duty_officer")
    client = _client(url)
    _login(client, "duty")
    uuid = _first_alert(client)
    csrf = csrf_of(client.get(f"/alerts/{uuid}").text)
    client.post(f"/alerts/{uuid}/act", data={"action": "assign", "detail": "team 2", "csrf": csrf})
    assert [
        a["post_id"] for a in client.get("/alerts?format=json&status=assigned").json()["alerts"]
    ] == ["post-a"]
    assert "X1234567" in client.get(f"/alerts/{uuid}").text
    assert "P7654321" in client.get("/search?field=document&q=P765").text
    assert 'data-count="3"' in client.get("/traffic?hours=2").text
    store.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:  # the server drops the console
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    assert client.get("/alerts?format=json").status_code == 200  # it connected again
    store = HqStore(url)
    store.store_batch("post-b", "b3", [alert(3, 1, "late alert")])
    store.close()
    found = queries.alert_page(web_db(url), queries.AlertFilters(kind="watchlist", post="post-b"))
    assert found[0]["summary"] == "late alert"
