"""HQ ingest and store without a broker: idempotence, gaps, refusals, CLI listings."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from sync_testkit import hq_store, make_event, post_key, postgres_server, postgres_url  # noqa: F401

from sync import wire
from sync.hq.ingest import Ingest
from sync.hq.migrations_sql import TYPES
from sync.hq.store import HqStore, HqStoreError


def _wire(key, seqs, post="post-01", priority=0):  # type: ignore[no-untyped-def]
    events = tuple(make_event(s, priority) for s in seqs)
    return wire.encode_batch(wire.Batch(post, wire.new_batch_id(), 1.0, 5, 0, events), key)


@pytest.fixture(params=["sqlite", "postgresql"])
def setup(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The same tests on SQLite and on a real PostgreSQL server (when one is installed)."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw}, url)
    yield key, store, Ingest(store)
    store.close()


def test_store_ignores_duplicates_and_refuses_reused_sequences(setup) -> None:  # type: ignore[no-untyped-def]
    _key, store, _ = setup
    events = [make_event(s) for s in (1, 2, 3)]
    assert store.store_batch("post-01", "a", events).stored == 3
    again = store.store_batch("post-01", "a", events)
    assert (again.stored, again.duplicates) == (0, 3)
    # same (post, epoch, sequence), another event: a conflict, never a duplicate (issue 25)
    same_seq_new_uuid = store.store_batch("post-01", "b", [make_event(2)])
    assert (same_seq_new_uuid.duplicates, same_seq_new_uuid.conflicts) == (0, (2,))
    assert store.stats()[0]["duplicates_ignored"] == 3 and store.stats()[0]["events"] == 3
    assert [c["kind"] for c in store.conflicts()] == ["seq_reused"]


def test_gaps_are_reported_and_filled(setup) -> None:  # type: ignore[no-untyped-def]
    _key, store, _ = setup
    r = store.store_batch("post-01", "a", [make_event(s) for s in (1, 2, 5, 9)])
    assert (r.hwm, r.max_seq, r.missing) == (2, 9, ((3, 4), (6, 8)))
    r = store.store_batch("post-01", "b", [make_event(s) for s in (7, 3)])
    assert r.missing == ((4, 4), (6, 6), (8, 8))
    r = store.store_batch("post-01", "c", [make_event(s) for s in (4, 6, 8)])
    assert (r.hwm, r.missing) == (9, ())


def test_gaps_follow_batches_in_any_order_a_few_statements_a_run(setup) -> None:  # type: ignore[no-untyped-def]
    _key, store, _ = setup
    rng = random.Random(23)
    stored: set[int] = set()
    chunks = [list(range(lo, lo + rng.randint(1, 40))) for lo in range(1, 1200, 40)]
    rng.shuffle(chunks)  # a returning post's batches, landing out of order
    executed = []
    db = store._db
    real = db.execute
    db.execute = lambda sql, args=(): (executed.append(sql), real(sql, args))[1]
    for i, seqs in enumerate(chunks):
        executed.clear()
        seqs = [s for s in seqs if rng.random() < 0.9]  # some never sent
        r = store.store_batch("post-01", f"b{i}", [make_event(s) for s in seqs])
        stored.update(seqs)
        top = max(stored)
        want = []
        for s in range(1, top + 1):  # the missing ranges, worked out by brute force
            if s not in stored:
                if want and want[-1][1] == s - 1:
                    want[-1] = (want[-1][0], s)
                else:
                    want.append((s, s))
        assert (r.max_seq, list(r.missing)) == (top, want[:64]), seqs
        runs = sum(1 for s in seqs if s - 1 not in seqs)
        assert len([q for q in executed if "gaps" in q]) <= 2 + 4 * runs, i  # not per event


def test_unregistered_post_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    _key, store, _ = setup
    with pytest.raises(HqStoreError):
        store.store_batch("post-99", "a", [make_event(1)])


def test_ingest_acks_with_hwm_and_ignores_a_replay(setup) -> None:  # type: ignore[no-untyped-def]
    key, store, ingest = setup
    data = _wire(key, range(1, 11))
    ack = ingest.batch("bp/v1/post-01/batch", data)
    assert ack is not None and ack.body["ok"] and ack.body["hwm"] == 10
    replay = ingest.batch("bp/v1/post-01/batch", data)
    assert replay is not None and replay.body["stored"] == 0 and replay.body["duplicates"] == 10
    assert len(store.events("post-01")) == 10


@pytest.mark.parametrize(
    ("topic", "make", "reason"),
    [
        ("bp/v1/post-01/batch", lambda k, o: _wire(o, [1]), "forged"),
        ("bp/v1/post-01/batch", lambda k, o: _wire(k, [1], post="post-02"), "forged"),
        ("bp/v1/post-02/batch", lambda k, o: _wire(k, [1], post="post-02"), "unknown_post"),
        ("bp/v1/post-01/batch", lambda k, o: b"{}", "malformed"),
        ("bp/v1/post-01/batch", lambda k, o: _wire(k, [1])[:-3], "forged"),
        (
            "bp/v1/post-01/batch",
            lambda k, o: b"BP\x01\x02" + bytes(wire.MAX_WIRE_BYTES),
            "oversized",
        ),
        ("bp/v1/../batch", lambda k, o: _wire(k, [1]), "malformed"),
    ],
)
def test_refused_batches_are_logged_and_never_stored(  # type: ignore[no-untyped-def]
    setup, topic, make, reason, caplog
) -> None:
    key, store, ingest = setup
    _other, _ = post_key()
    ack = ingest.batch(topic, make(key, _other), correlation=b"c" * wire.BATCH_ID_LEN)
    assert ack is None or ack.body["ok"] is False
    assert store.events("post-01") == [] and store.events("post-02") == []
    assert store.rejects()[0]["reason"] == reason
    assert reason in caplog.text


def test_status_of_registered_posts_only(setup) -> None:  # type: ignore[no-untyped-def]
    _key, store, ingest = setup
    ingest.status("bp/v1/post-01/status", b'{"state": "online", "backlog": 12}')
    ingest.status("bp/v1/post-77/status", b'{"state": "online"}')
    ingest.status("bp/v1/post-01/status", b"\xff not json")
    [post] = store.posts()
    assert post["status"]["state"] == "online" and post["backlog"] == 12


def test_evictions_reported_by_the_post_show_in_stats(setup) -> None:  # type: ignore[no-untyped-def]
    key, store, ingest = setup
    events = tuple(make_event(s) for s in (5, 6))
    data = wire.encode_batch(wire.Batch("post-01", wire.new_batch_id(), 1.0, 0, 4, events), key)
    ack = ingest.batch("bp/v1/post-01/batch", data)
    assert ack is not None and ack.body["missing"] == [[1, 4]]
    [stats] = store.stats()
    assert stats["evicted_at_post"] == 4 and stats["missing_count"] == 4


def test_a_version_1_batch_is_stored_under_the_empty_epoch(setup) -> None:  # type: ignore[no-untyped-def]
    key, store, ingest = setup
    batch = wire.Batch("post-01", wire.new_batch_id(), 0.0, 0, 0, (make_event(1),))
    data = wire.encode_batch(batch, key)
    assert data[:3] == b"BP\x01"  # no epoch: the format posts sent before epochs
    ack = ingest.batch("bp/v1/post-01/batch", data)
    assert ack is not None and ack.body["ok"] and ack.body["stored"] == 1
    assert store.posts()[0]["epoch"] == ""


def test_a_gap_held_open_is_reported_once(setup) -> None:  # type: ignore[no-untyped-def]
    _key, store, _ingest = setup
    store.store_batch("post-01", "a", [make_event(s) for s in (1, 2, 5)])
    assert store.conflicts(stale_after_s=3600) == []
    [gap] = store.conflicts(stale_after_s=0)
    assert (gap["kind"], gap["lo"], gap["hi"]) == ("gap", 3, 4)
    watcher = Ingest(store, stale_gap_s=0)
    assert [(g["lo"], g["hi"]) for g in watcher.check_gaps(force=True)] == [(3, 4)]
    assert watcher.check_gaps(force=True) == []  # logged once, not on every batch


OLD_SCHEMA = """
CREATE TABLE posts (post_id TEXT PRIMARY KEY, public_key {BLOB} NOT NULL, added {REAL} NOT NULL,
    last_seen {REAL}, status TEXT, status_at {REAL}, max_seq {INT} NOT NULL DEFAULT 0,
    events {INT} NOT NULL DEFAULT 0, alerts {INT} NOT NULL DEFAULT 0,
    duplicates {INT} NOT NULL DEFAULT 0, batches {INT} NOT NULL DEFAULT 0,
    rejected {INT} NOT NULL DEFAULT 0, backlog {INT}, evicted {INT} NOT NULL DEFAULT 0);
CREATE TABLE events (post_id TEXT NOT NULL, seq {INT} NOT NULL, uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL, priority INTEGER NOT NULL, wall_time {REAL} NOT NULL,
    mono_time {REAL} NOT NULL, clock_synced INTEGER NOT NULL, lane TEXT, device TEXT,
    payload TEXT NOT NULL, received {REAL} NOT NULL, batch_id TEXT NOT NULL,
    PRIMARY KEY (post_id, seq));
CREATE INDEX events_alerts ON events(priority, received) WHERE priority >= 2;
CREATE TABLE gaps (post_id TEXT NOT NULL, lo {INT} NOT NULL, hi {INT} NOT NULL,
    PRIMARY KEY (post_id, lo));
INSERT INTO posts (post_id, public_key, added, max_seq, events) VALUES ('post-01', ?, 1, 5, 3);
INSERT INTO events VALUES ('post-01', 1, 'u1', 'k', 0, 1, 1, 1, NULL, NULL, '{{}}', 1, 'b'),
    ('post-01', 2, 'u2', 'k', 0, 1, 1, 1, NULL, NULL, '{{}}', 1, 'b'),
    ('post-01', 5, 'u5', 'k', 2, 1, 1, 1, NULL, NULL, '{{}}', 1, 'b');
INSERT INTO gaps VALUES ('post-01', 3, 4)
"""


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_hq_database_from_before_epochs_is_upgraded(
    tmp_path: Path, engine: str, request
) -> None:  # type: ignore[no-untyped-def]
    target = (
        request.getfixturevalue("postgres_url") if engine == "postgresql" else tmp_path / "o.db"
    )
    types = TYPES[engine]
    if engine == "sqlite":
        with sqlite3.connect(target) as conn:
            for statement in OLD_SCHEMA.format(**types).split(";"):
                conn.execute(statement, (b"k" * 32,) if "VALUES ('post-01', ?" in statement else ())
    else:
        import psycopg

        with psycopg.connect(str(target), autocommit=True) as conn:
            for statement in OLD_SCHEMA.format(**types).split(";"):
                args = (b"k" * 32,) if "?" in statement else None
                conn.execute(statement.replace("?", "%s"), args)  # type: ignore[arg-type]
    store = HqStore(target)  # the upgrade, in one transaction
    assert store.stats()[0]["missing"] == [[3, 4]] and store.stats()[0]["events"] == 3
    res = store.store_batch("post-01", "c", [make_event(s) for s in (3, 4)])
    assert (res.stored, res.missing, res.max_seq) == (2, (), 5)
    assert [e["seq"] for e in store.events("post-01")] == [1, 2, 3, 4, 5]
    store.close()


def test_a_posts_last_will_keeps_what_it_last_said_it_had(setup) -> None:  # type: ignore[no-untyped-def]
    """The broker's offline will does not wipe the versions in force, devices and clock."""
    _key, store, _ingest = setup
    full = {
        "post": "post-01",
        "state": "online",
        "online": True,
        "watchlist_version": 7,
        "devices": [{"name": "mrz-1", "state": "ok"}],
        "clock_synced": True,
        "ts": 5.0,
    }
    store.record_status("post-01", full)
    store.record_status("post-01", {"post": "post-01", "state": "offline", "online": False})
    kept = store.posts()[0]["status"]
    assert kept == full | {"state": "offline", "online": False}
    store.record_status("post-01", {"post": "post-01", "state": "online", "online": True})
    assert store.posts()[0]["status"] == {"post": "post-01", "state": "online", "online": True}


def test_a_post_whose_batches_never_arrive_is_reported(setup) -> None:  # type: ignore[no-untyped-def]
    """The last batches a post sends leave no gap when they vanish: its status says so."""
    _key, store, _ingest = setup
    store.record_status("post-01", {"post": "post-01", "in_flight": 2, "backlog": 40})
    [silent] = store.conflicts(stale_after_s=0)
    assert (silent["post_id"], silent["kind"]) == ("post-01", "silent")
    watcher = Ingest(store, stale_gap_s=0)
    assert [p["kind"] for p in watcher.check_gaps(force=True)] == ["silent"]
    assert watcher.check_gaps(force=True) == []
    store.store_batch("post-01", "a", [make_event(1)])
    assert store.silent_posts(older_than_s=60) == []  # a batch came in the last minute
    store.record_status("post-01", {"post": "post-01", "in_flight": 0, "backlog": 0})
    assert store.silent_posts(older_than_s=0) == []
