"""The HQ store at scale, on SQLite and a real PostgreSQL: values bound by the driver, month
partitions with exactly-once across them, retention, versioned migrations, search."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sync_testkit import hq_store, make_event, post_key, postgres_server, postgres_url  # noqa: F401

from edge.cli import main
from sync.hq import migrations, migrations_sql
from sync.hq.db import Db
from sync.hq.retention import RetentionError, partitions
from sync.hq.store import HqStore

JAN, FEB, APR = (datetime(2026, m, 10, tzinfo=UTC).timestamp() for m in (1, 2, 4))
HOSTILE = "a?b %s c' ; d $1 e%%f -- g"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """An empty HQ database: a SQLite file, or a database on a real PostgreSQL server."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return tmp_path / "hq.db"


def _at(monkeypatch: pytest.MonkeyPatch, ts: float) -> None:
    """HQ's clock (what ``received`` records) set to ``ts``."""
    monkeypatch.setattr("sync.hq.store.time.time", lambda: ts)


def _db(store: HqStore) -> Db:
    return store._db


def test_values_are_bound_by_the_driver_never_spliced(target: str | Path) -> None:
    _key, raw = post_key()
    store = hq_store(Path("."), {"post-01": raw}, str(target))
    event = dataclasses.replace(make_event(1, priority=2), lane=HOSTILE, device=HOSTILE)
    event = dataclasses.replace(event, payload={**event.payload, "note": HOSTILE})
    assert store.store_batch("post-01", HOSTILE, [event]).stored == 1
    [row] = store.events("post-01")
    assert (row["lane"], row["device"], row["batch_id"]) == (HOSTILE, HOSTILE, HOSTILE)
    assert json.loads(row["payload"])["note"] == HOSTILE
    assert [a["lane"] for a in store.alerts(post_id="post-01")] == [HOSTILE]
    assert store.alerts(post_id=HOSTILE) == [] and store.search(HOSTILE) == []
    # a '?' or '%s' in the SQL text itself (a jsonb operator, a literal) is left alone too
    got = _db(store).execute("SELECT $1 || '?%s' || $1", (HOSTILE,)).fetchone()[0]
    assert got == f"{HOSTILE}?%s{HOSTILE}"
    store.record_status("post-01", {"state": HOSTILE})
    assert store.posts()[0]["status"] == {"state": HOSTILE}
    store.close()


def test_exactly_once_holds_across_month_partitions(
    target: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _key, raw = post_key()
    store = hq_store(Path("."), {"post-01": raw}, str(target))
    events = [make_event(s) for s in (1, 2, 3)]
    _at(monkeypatch, JAN)
    assert store.store_batch("post-01", "a", events).stored == 3
    _at(monkeypatch, APR)  # months later: another partition, the same keys
    again = store.store_batch("post-01", "b", events)
    assert (again.stored, again.duplicates) == (0, 3)
    reused = store.store_batch("post-01", "c", [make_event(2)])  # same sequence, new UUID
    assert reused.conflicts == (2,) and reused.stored == 0
    moved = dataclasses.replace(events[0], seq=9)  # a UUID HQ holds, under another sequence
    assert store.store_batch("post-01", "d", [moved]).stored == 0
    assert [e["seq"] for e in store.events("post-01")] == [1, 2, 3]
    if store._db.kind == "postgresql":
        names = [n for n, _m in partitions(_db(store), "events")]
        assert {"events_p202601", "events_p202602", "events_p202604", "events_p202605"} <= set(
            names
        )
        held = _db(store).execute("SELECT COUNT(*) FROM events_p202601").fetchone()[0]
        assert held == 3
    store.close()


def test_retention_drops_old_months_and_is_logged(
    target: str | Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _key, raw = post_key()
    store = hq_store(Path("."), {"post-01": raw}, str(target))
    for ts, seqs in ((JAN, (1, 2)), (FEB, (3,)), (APR, (4, 5))):
        _at(monkeypatch, ts)
        store.store_batch("post-01", f"b{ts}", [make_event(s, 2) for s in seqs])
    with pytest.raises(RetentionError):
        store.retention(0)
    monkeypatch.setattr("sync.hq.retention.time.time", lambda: APR)
    dry = store.retention(1, dry_run=True)  # keep April and March
    assert (dry.events, dry.keys) == (3, 3) and len(store.events("post-01")) == 5
    done = store.retention(1)
    assert (done.events, done.keys) == (3, 3)
    assert [e["seq"] for e in store.events("post-01")] == [4, 5]
    if store._db.kind == "postgresql":
        assert {"events_p202601", "event_terms_p202602"} <= set(done.partitions)
        march = datetime(2026, 3, 1, tzinfo=UTC)
        assert not [n for n, m in partitions(_db(store), "events") if m < march]
    [log] = _db(store).execute("SELECT keep_months, events, event_keys FROM retention_log")
    assert tuple(log) == (1, 3, 3) and "retention: removed 3 events" in caplog.text
    store.close()


def test_search_finds_documents_names_and_plates(target: str | Path) -> None:
    _key, raw = post_key()
    store = hq_store(Path("."), {"post-01": raw}, str(target))
    mrz = dataclasses.replace(
        make_event(1), kind="mrz", payload={"document_number": "L898902C3",
        "surname": "ERIKSSON", "given_names": "ANNA MARIA"})  # fmt: skip
    truck = dataclasses.replace(
        make_event(2), kind="manual", payload={"plate": "AB-123 CD", "mrn": "26DE1234567890ABC1"}
    )
    store.store_batch("post-01", "a", [mrz, truck, make_event(3, priority=2)])
    assert [r["seq"] for r in store.search("l898902")] == [3, 1]  # the alert names it too
    assert [r["field"] for r in store.search("maria")] == ["given_names"]
    assert [r["seq"] for r in store.search("ab 123cd")] == [2]
    assert [r["seq"] for r in store.search("26de12345")] == [2]
    assert store.search("  ") == [] and store.search("L") == [] and store.search("zz") == []
    store.close()


def test_migrations_are_versioned_and_run_once(target: str | Path) -> None:
    store = HqStore(target)
    db = _db(store)
    assert migrations.version(db) == migrations.LATEST == 4
    assert migrations.migrate(db) == []
    for table in ("web_users", "web_sessions", "web_alert_actions", "web_alert_state", "web_audit"):
        assert db.columns(table), f"{table}: the console's tables are migration 4"
    db.execute("INSERT INTO schema_version VALUES ($1, $2, $3)", (99, "from the future", 0.0))
    store.close()
    with pytest.raises(migrations.SchemaError, match="upgrade borderpost"):
        HqStore(target)


def _make_v1(target: str | Path) -> None:
    """A database as HQ made it before versioned migrations (un-partitioned), with data."""
    from sync.hq.db import connect

    db = connect(target)
    migrations_sql.create_tables(db)
    db.execute("INSERT INTO posts (post_id, public_key, added) VALUES ($1, $2, 1)", ("p-1", b"k"))
    for seq in (1, 2, 4):
        payload = json.dumps({"document_number": f"X{seq}000"})
        db.execute(
            f"INSERT INTO events ({migrations_sql.EVENT_COLUMNS})"
            " VALUES ('p-1', 'e1', $1, $2, 'mrz', 0, 1, 1, 1, NULL, NULL, $3, $4, 'b')",
            (seq, f"u{seq}", payload, JAN + seq),
        )
    db.execute("INSERT INTO epochs VALUES ('p-1', 'e1', 1, 0, 4, 3)")
    db.execute("INSERT INTO gaps VALUES ('p-1', 'e1', 3, 3, 1)")
    db.execute("UPDATE posts SET epoch = 'e1', max_seq = 4, events = 3")
    db.close()


def test_an_unpartitioned_database_with_data_is_migrated_losing_nothing(
    target: str | Path,
) -> None:
    _make_v1(target)
    store = HqStore(target)
    assert [e["uuid"] for e in store.events("p-1")] == ["u1", "u2", "u4"]
    assert [r["uuid"] for r in store.search("x2000")] == ["u2"]  # terms filled in
    from sync.hq.store import PostEpoch

    old = make_event(2)
    dup = dataclasses.replace(old, uuid="u1", seq=7)  # a UUID from before the migration
    res = store.store_batch("p-1", "n", [make_event(3), dup], epoch=PostEpoch("e1"))
    assert (res.stored, res.duplicates, res.missing) == (1, 1, ())
    if store._db.kind == "postgresql":
        assert _db(store).columns("events_unpartitioned") == set()
        count = _db(store).execute("SELECT COUNT(*) FROM events_p202601").fetchone()[0]
        assert count == 3
    store.close()


def test_hq_retention_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hq = str(tmp_path / "hq")
    HqStore(tmp_path / "hq" / "hq.db").close()
    assert main(["hq", "retention", "--keep-months", "3", "--state-dir", hq, "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["keep_months"], out["events"], out["dry_run"]) == (3, 0, True)
    with pytest.raises(SystemExit):
        main(["hq", "retention", "--keep-months", "0", "--state-dir", hq])
    assert "1 or more" in capsys.readouterr().err
    with sqlite3.connect(tmp_path / "hq" / "hq.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM retention_log").fetchone()[0] == 0


def test_an_event_twice_in_one_batch_is_stored_once(target: str | Path) -> None:
    _key, raw = post_key()
    store = hq_store(Path("."), {"post-01": raw}, str(target))
    twice = make_event(1)
    res = store.store_batch("post-01", "a", [twice, make_event(2), twice])
    assert (res.stored, res.duplicates, res.conflicts) == (2, 1, ())
    store.close()


def test_a_migration_that_fails_leaves_the_database_as_it_was(
    target: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_v1(target)
    real = migrations.MIGRATIONS[2]

    def half_then_fail(db: Db) -> None:
        real.run(db)  # every table and index of step 3 made, then a failure
        raise RuntimeError("disk full")

    broken = migrations.Migration(3, real.name, half_then_fail, half_then_fail)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS[:2], broken))
    with pytest.raises(RuntimeError, match="disk full"):
        HqStore(target)
    db = migrations.connect(target)
    assert migrations.version(db) == 2 and db.columns("event_terms") == set()
    db.close()
    monkeypatch.undo()
    store = HqStore(target)  # the next start finishes the job
    assert migrations.version(_db(store)) == migrations.LATEST and len(store.search("X4000")) == 1
    store.close()
