"""The HQ web console in a real browser: Debian's Chromium, headless, driven by Playwright.

`borderpost hq web` runs as its own process over a real SQLite HQ database; a
new alert is stored through the store's API while the page is open and must
appear without a reload. Screenshots are kept in the test's tmp folder
(``hq-*.png``, see docs/hq-console.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "no /usr/bin/chromium (Debian package chromium; `make setup` installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")

from hq_web_kit import PASSWORD, add_user, alert, seed, serving  # noqa: E402

from sync.hq.store import HqStore  # noqa: E402

COUNTS = "rects => rects.map(r => r.dataset.count)"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`borderpost hq web` over a seeded database: (URL, db)."""
    db = tmp_path / "hq.db"
    seed(db).close()
    add_user(db, "duty", "duty_officer")
    with serving(db) as url:
        yield url, db


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A Chromium page (Debian's browser; Playwright never downloads one)."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def test_duty_officer_sees_acknowledges_and_reads_plots(
    console: tuple[str, Path], page: Any, tmp_path: Path
) -> None:
    url, db = console
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    for path in ("/alerts", "/posts", "/traffic", "/search"):  # no session: to the log-in form
        resp = page.request.get(url + path, max_redirects=0)
        assert resp.status == 302 and resp.headers["location"] == "/", path
    assert page.request.get(url + "/alerts/stream").status == 401
    page.goto(url + "/alerts")
    assert page.url == url + "/" and page.get_by_role("button", name="Log in").is_visible()
    page.screenshot(path=tmp_path / "hq-login.png")
    page.fill("input[name=user]", "duty")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/alerts")
    rows = page.locator("#alerts tbody tr")
    assert rows.count() == 2

    # hostile text from a post is shown as text: no script ran, no template evaluated
    hostile = page.locator("#alerts tbody tr", has_text="post-a")
    assert hostile.inner_text().count("<script>alert(1)</script> {{7*7}} evil") == 1
    assert "\u202e" not in page.content() and not dialogs

    # a new alert appears without a reload (the live stream)
    page.wait_for_selector("#live.on")
    store = HqStore(db)
    store.store_batch("post-b", "b9", [alert(3, 1, "container seal broken", "rules")])
    store.close()
    page.wait_for_selector(
        "#alerts tbody tr:first-child >> text=container seal broken", timeout=10_000
    )
    assert rows.count() == 3
    page.screenshot(path=tmp_path / "hq-alerts-live.png", full_page=True)

    # filter without a reload
    page.select_option("select[name=post]", "post-a")
    page.click("#filters button[type=submit]")
    sync_api.expect(rows).to_have_count(1)  # (the page's CSP forbids eval: no wait_for_function)
    assert "post-a" in rows.first.inner_text() and "post=post-a" in page.url

    # acknowledge: audited and shown on the alert
    rows.first.locator("a").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect = sync_api.expect  # waits: the POST answers with a redirect to a new page
    expect(page.locator("#status")).to_have_text(re.compile(r"^acknowledged"))
    expect(page.locator("#actions")).to_contain_text("duty — acknowledge")
    page.screenshot(path=tmp_path / "hq-alert.png", full_page=True)

    # a POST without the CSRF token is refused, even with the session cookie
    action = page.locator("form:has(input[value=note])").get_attribute("action")
    refused = page.request.post(url + action, form={"action": "note", "detail": "x"})
    assert refused.status == 403

    # the traffic plot: post-a stored 3 events and 1 alert this hour
    page.goto(url + "/traffic")
    chart = page.locator('svg.plot[data-post="post-a"]')
    events = [
        int(c)
        for c in chart.locator("rect.bar.events").evaluate_all("rs => rs.map(r => r.dataset.count)")
    ]
    alerts = [
        int(c)
        for c in chart.locator("rect.bar.alerts").evaluate_all("rs => rs.map(r => r.dataset.count)")
    ]
    assert len(events) == 24 and events[-1] == 3 and sum(events) == 3 and sum(alerts) == 1
    tallest = chart.locator("rect.bar.events").last.bounding_box()
    assert tallest is not None and tallest["height"] > 100  # the full-scale bar is drawn
    page.screenshot(path=tmp_path / "hq-traffic.png", full_page=True)

    # posts: post-a online with its stale watchlist marked, post-b offline
    page.goto(url + "/posts")
    post_a = page.locator('tr[data-post="post-a"]').inner_text()
    assert "online" in post_a and "watchlist: 41 stale" in post_a
    assert "offline" in page.locator('tr[data-post="post-b"]').inner_text()
    page.screenshot(path=tmp_path / "hq-posts.png", full_page=True)
    assert not dialogs
