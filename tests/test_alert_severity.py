"""Alert severity by kind (issue 27 defect 6): one table in the daemon (edge/severity.py),
carried in the alert, over the API and to HQ; the console orders, colours, names and rings
by it."""

from __future__ import annotations

import asyncio
from typing import Any

from conftest import RunningDaemon
from test_tui_live import add_officer
from test_tui_snapshots import FROZEN, FixedBackend, _settle, dataset

from edge.api.client import ApiClient
from edge.severity import CRITICAL, HIGH, LOW, MEDIUM, severity_of
from edge.store import Store
from edge.store.outbox import StoreOutbox
from sync.outbox import PRIORITY_ALERT, PRIORITY_NOTICE
from tui.app import BorderpostApp
from tui.screens.alerts import _row
from tui.verdict import by_severity
from tui.widgets import banner_text


def hit(**fields: str) -> list[dict[str, Any]]:
    """One referral-band watchlist hit."""
    return [{"score": 1.0, "band": "referral", **fields}]


def test_the_table_grades_each_kind() -> None:
    assert severity_of("radiation", []) == CRITICAL
    assert severity_of("watchlist", hit(action="seize")) == CRITICAL
    assert severity_of("watchlist", hit(action="refer", category="wanted")) == CRITICAL
    assert severity_of("watchlist", hit(action="refer", category="smuggling")) == HIGH
    assert severity_of("watchlist", [{"action": "refer", "band": "decide"}]) == MEDIUM
    assert severity_of("rpm-fault", []) == HIGH
    assert severity_of("rules", [{"lane": "red"}]) == HIGH
    assert severity_of("rules", [{"lane": "yellow"}]) == LOW
    assert severity_of("prearrival", [{"source": "prearrival"}]) == MEDIUM
    assert (
        severity_of("chip", [{"reason": "the chip's data is not signed by a known state"}]) == HIGH
    )


def test_the_daemon_carries_severity_in_the_alert_the_api_and_to_hq(
    daemon: RunningDaemon,
) -> None:
    add_officer(daemon, "anna", "officer")
    with ApiClient(daemon.socket) as client:
        client.call("inject", kind="rpm.occupancy", lane="1", device="rpm-1", priority=2,
                    alert="radiation", payload={"gamma_alarm": True})  # fmt: skip
        client.call("inject", kind="rpm.fault", lane="1", device="rpm-1", priority=2,
                    alert="rpm-fault", payload={"fault": "silence"})  # fmt: skip
        client.call("login", officer_id="anna", pin="1234")
        alerts = client.call("alerts")["alerts"]
    assert {a["kind"]: a["severity"] for a in alerts} == {"radiation": CRITICAL, "rpm-fault": HIGH}
    daemon.stop()
    store = Store.open(daemon.state_dir / "events.db")
    try:
        sent = StoreOutbox(store).pending(limit=100, max_bytes=1 << 20)
    finally:
        store.close()
    to_hq = {
        e.payload["kind"]: (e.payload["severity"], e.priority) for e in sent if e.kind == "alert"
    }
    assert to_hq == {"radiation": (CRITICAL, PRIORITY_ALERT), "rpm-fault": (HIGH, PRIORITY_ALERT)}


def test_a_low_alert_waits_for_the_next_batch(tmp_path: Any) -> None:
    from edge.ingest import graded
    from edge.store import NewAlert, NewEvent

    store = Store.open(tmp_path / "events.db")
    try:
        store.record(
            NewEvent("mrz", {}, 0), graded([NewAlert("rules", "x", hits=[{"lane": "yellow"}])])
        )
        [alert] = [
            e for e in StoreOutbox(store).pending(limit=9, max_bytes=1 << 20) if e.kind == "alert"
        ]
    finally:
        store.close()
    assert (alert.payload["severity"], alert.priority) == (LOW, PRIORITY_NOTICE)


def _alert(alert_id: int, kind: str, severity: int) -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "kind": kind,
        "severity": severity,
        "summary": f"{kind} {alert_id}",
    }


ALERTS = [_alert(1, "rules", LOW), _alert(2, "radiation", CRITICAL), _alert(3, "watchlist", HIGH),
          _alert(4, "radiation", CRITICAL), _alert(5, "watchlist", MEDIUM)]  # fmt: skip


def test_the_console_orders_names_and_colours_by_severity() -> None:
    assert [a["alert_id"] for a in by_severity(ALERTS)] == [2, 4, 3, 5, 1]
    line = banner_text(ALERTS).plain
    assert "CRITICAL RADIATION: radiation 4" in line, line  # the newest of the most severe
    cells = _row(ALERTS[1])
    assert cells[1].plain == "CRITICAL" and "reverse" in str(cells[1].style)
    assert _row(ALERTS[0])[1].plain == "LOW"


def test_the_bell_follows_the_most_severe_new_alert() -> None:
    async def rings(severity: int) -> int:
        alerts = [_alert(7, "radiation", severity)]
        data = dataset(lambda s: s)
        backend = FixedBackend(data)
        app = BorderpostApp(backend, clock=lambda: FROZEN)
        count = 0

        def bell() -> None:
            nonlocal count
            count += 1

        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            app.officer = {"officer_id": "anna", "role": "officer"}
            app.bell = bell  # type: ignore[method-assign]
            data["alerts"] = {"alerts": alerts}
            await app.refresh_alerts()
            await pilot.pause(1.2)
        return count

    assert asyncio.run(rings(CRITICAL)) == 3
    assert asyncio.run(rings(HIGH)) == 2
    assert asyncio.run(rings(MEDIUM)) == 1
