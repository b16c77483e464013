"""The event store on real SQLite files: transactions, migrations, audit, retention, cap."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from edge.store import NewAlert, NewEvent, Store, StoreError, alerts, audit, officers, schema
from edge.store.outbox import StoreOutbox, enforce_cap


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "events.db")


def test_pragmas_are_durable(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_event_and_alert_written_with_outbox_rows(store: Store) -> None:
    rec = store.record(
        NewEvent("mrz", {"document_number": "L898902C3"}, lane="1"),
        [NewAlert("watchlist", "hit", hits=[{"entry_id": "e1"}])],
    )
    assert rec.event.seq == 1 and [e.seq for e in rec.alert_events] == [2]
    outbox = StoreOutbox(store.path)
    pending = outbox.pending(limit=10, max_bytes=10**6)
    assert [e.seq for e in pending] == [2, 1]  # the alert overtakes the routine event
    assert pending[0].payload["event_uuid"] == rec.event.uuid


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    store.record(NewEvent("x", {}))
    with pytest.raises(StoreError):
        store.record(NewEvent("x", {"big": "a" * 300_000}))
    assert store.last_seq() == 1
    assert StoreOutbox(store.path).backlog() == 1


def test_sequence_is_gapless_and_uuids_unique(store: Store) -> None:
    for i in range(50):
        store.record(NewEvent("x", {"i": i}), [NewAlert("t", "a")] if i % 7 == 0 else [])
    rows = store.conn.execute("SELECT seq, uuid FROM events ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert len({r[1] for r in rows}) == len(rows)


def test_acknowledge_removes_from_outbox_only(store: Store) -> None:
    for i in range(5):
        store.record(NewEvent("x", {"i": i}))
    outbox = StoreOutbox(store.path)
    outbox.acknowledge([1, 2, 3])
    assert outbox.backlog() == 2 and outbox.last_ack_seq() == 3
    assert store.last_seq() == 5
    assert [e.seq for e in outbox.pending(limit=10, max_bytes=10**6, exclude=[4])] == [5]


def test_the_last_acknowledged_sequence_never_goes_back(store: Store) -> None:
    """HQ acknowledges batches in any order (alerts go first): a later acknowledgement of
    lower sequences leaves the highest one. ``meta.value`` is TEXT, and SQLite sorts any text
    above any integer, so a MAX over one of each took the newer value, 12 over 100."""
    for i in range(120):
        store.record(NewEvent("x", {"i": i}))
    outbox = StoreOutbox(store.path)
    outbox.acknowledge([99, 100])
    outbox.acknowledge([11, 12])
    assert outbox.last_ack_seq() == 100
    outbox.acknowledge([101])
    assert outbox.last_ack_seq() == 101


def test_pending_respects_byte_budget(store: Store) -> None:
    for _ in range(10):
        store.record(NewEvent("x", {"pad": "p" * 1000}))
    got = StoreOutbox(store.path).pending(limit=100, max_bytes=3000)
    assert 1 <= len(got) <= 3


@pytest.mark.parametrize("start", range(schema.LATEST))
def test_migrates_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, start)
    if start >= 1:
        conn.execute(
            "INSERT INTO events (seq, uuid, kind, priority, wall_time, mono_time, clock_synced,"
            " payload) VALUES (1, 'u1', 'mrz', 0, 1.0, 1.0, 0, ?)",
            (json.dumps({"document_number": "A1"}),),
        )
        conn.execute("INSERT INTO outbox (seq, priority, size) VALUES (1, 0, 10)")
    conn.close()
    store = Store.open(path)
    assert schema.version(store.conn) == schema.LATEST
    rec = store.record(NewEvent("x", {}))
    assert rec.event.seq == (2 if start >= 1 else 1)
    if start >= 1:
        assert store.get_event(1) is not None and StoreOutbox(path).backlog() == 2


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        Store.open(path)


def _tamper(store: Store, sql: str) -> None:
    """Change the file behind the store's back, as an intruder would."""
    with sqlite3.connect(store.path, isolation_level=None) as conn:
        conn.execute(sql)
    conn.close()


def test_audit_chain_detects_tampering(store: Store) -> None:
    officers.add(store, "o1", "Anna", "officer", "1234", "cli")
    officers.login(store, "o1", "9999", max_failures=5, lockout_s=10)
    officers.disable(store, "o1", "cli")
    assert audit.verify(store.conn).ok
    _tamper(store, 'UPDATE audit SET detail = \'{"officer_id": "o2"}\' WHERE id = 2')
    report = audit.verify(store.conn)
    assert not report.ok and report.broken_at == 2


def test_audit_chain_detects_deletion(store: Store) -> None:
    for i in range(3):
        store.set_setting(f"k{i}", i, "tech")
    _tamper(store, "DELETE FROM audit WHERE id = 2")
    assert audit.verify(store.conn).broken_at == 3


def test_login_lockout_and_disable(store: Store) -> None:
    officers.add(store, "o1", "Anna", "officer", "1234", "cli")
    for _ in range(3):
        assert officers.login(store, "o1", "0000", max_failures=3, lockout_s=60) is None
    with pytest.raises(officers.LockedOut):
        officers.login(store, "o1", "1234", max_failures=3, lockout_s=60)
    officers.reset_pin(store, "o1", "4321", "sup")
    assert officers.login(store, "o1", "4321", max_failures=3, lockout_s=60) is not None
    officers.disable(store, "o1", "sup")
    assert officers.login(store, "o1", "4321", max_failures=3, lockout_s=60) is None


def test_pins_are_hashed(store: Store) -> None:
    officers.add(store, "o1", "Anna", "officer", "246810", "cli")
    stored = store.conn.execute("SELECT pin_hash FROM officers").fetchone()[0]
    assert "246810" not in stored and stored.startswith("scrypt$")


def test_bad_officer_input_changes_nothing(store: Store) -> None:
    for args in [("bad id!", "officer", "1234"), ("o1", "king", "1234"), ("o1", "officer", "12")]:
        with pytest.raises(StoreError):
            officers.add(store, args[0], "x", args[1], args[2], "cli")
    assert officers.listing(store) == []


def test_adjudication_is_an_event_and_final(store: Store) -> None:
    rec = store.record(NewEvent("mrz", {}), [NewAlert("watchlist", "hit")])
    decision = alerts.Decision(rec.alert_ids[0], "refer", alerts.REASONS[2], "note", "o1")
    alert, event = alerts.adjudicate(store, decision)
    assert alert["state"] == "referred" and event.kind == "adjudication"
    with pytest.raises(StoreError):
        alerts.adjudicate(store, decision)
    assert audit.verify(store.conn).ok


def test_retention_purges_only_acknowledged_personal_data(store: Store) -> None:
    store.record(NewEvent("mrz", {"document_number": "A1", "surname": "DOE"}))
    store.record(NewEvent("mrz", {"document_number": "B2", "surname": "ROE"}))
    store.record(NewEvent("rpm.occupancy", {"occupancy": 1}))
    StoreOutbox(store.path).acknowledge([1, 3])
    purged = store.purge_personal(1, now=time.time() + 2 * 86400)
    assert purged == 1
    assert store.get_event(1).payload == {"purged": True}  # type: ignore[union-attr]
    assert store.get_event(2).payload["surname"] == "ROE"  # type: ignore[union-attr]
    assert store.get_event(3).payload == {"occupancy": 1}  # type: ignore[union-attr]
    assert store.search(document_number="A1") == []


def test_outbox_cap_evicts_routine_never_alerts(store: Store) -> None:
    for i in range(40):
        store.record(NewEvent("x", {"pad": "p" * 500, "i": i}))
    store.record(NewEvent("rpm.occupancy", {"pad": "p" * 500}, priority=2))
    outbox = StoreOutbox(store.path)
    dropped = enforce_cap(store, 5000)
    assert dropped > 0 and outbox.evicted() == dropped
    pending = outbox.pending(limit=1000, max_bytes=10**9)
    assert pending[0].priority == 2 and pending[0].kind == "rpm.occupancy"
    assert any(e.kind == "x" for e in pending)  # only as many as needed were evicted
    assert sum(len(json.dumps(e.payload)) for e in pending) <= 5000 + 700
    notices = [e for e in pending if e.kind == "outbox.evicted"]
    assert notices and notices[0].payload["count"] == dropped
