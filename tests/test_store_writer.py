"""The store's one writer: group commit on real SQLite files, failures, kills, name search."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from edge.store import NewAlert, NewEvent, Recorded, Store, StoreError, schema
from edge.store.outbox import StoreOutbox, evict_over_cap
from edge.store.writer import Tx
from tests.conftest import fork_and_kill

THREADS = 8
PER_THREAD = 40


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "events.db")


def test_concurrent_writers_share_fsyncs_and_lose_nothing(store: Store) -> None:
    acked: list[int] = []
    lock = threading.Lock()

    def produce(n: int) -> None:
        for i in range(PER_THREAD):
            rec = store.record(NewEvent("x", {"thread": n, "i": i}))
            with lock:
                acked.append(rec.event.seq)

    threads = [threading.Thread(target=produce, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = [r[0] for r in store.conn.execute("SELECT seq FROM events ORDER BY seq")]
    assert sorted(acked) == seqs == list(range(1, THREADS * PER_THREAD + 1))
    stats = store.writer_stats
    assert stats.jobs == THREADS * PER_THREAD
    assert stats.groups < stats.jobs, "no two events ever shared a commit"


def test_each_thread_sees_its_events_in_order(store: Store) -> None:
    futures = [store.submit_record(NewEvent("x", {"i": i})) for i in range(100)]
    seqs = [f.result().event.seq for f in futures]
    assert seqs == sorted(seqs) == list(range(1, 101))


def test_a_failing_job_does_not_undo_its_group(store: Store) -> None:
    def bad(tx: Tx) -> None:
        tx.conn.execute("INSERT INTO meta (key, value) VALUES ('half', 'done')")
        raise StoreError("refused")

    futures = [store.submit_record(NewEvent("x", {"i": i})) for i in range(5)]
    failing = store.submit(bad)
    futures += [store.submit_record(NewEvent("x", {"i": i})) for i in range(5, 10)]
    with pytest.raises(StoreError, match="refused"):
        failing.result()
    assert [f.result().event.seq for f in futures] == list(range(1, 11))
    assert store.conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'half'").fetchone()[0] == 0


def test_listeners_hear_every_committed_event_once_in_order(store: Store) -> None:
    heard: list[int] = []
    store.subscribe(lambda group: heard.extend(e.seq for r in group for e in r.all_events))
    for i in range(20):
        store.record(NewEvent("x", {"i": i}), [NewAlert("t", "a")] if i % 4 == 0 else [])
    with pytest.raises(StoreError):
        store.record(NewEvent("x", {"big": "a" * 300_000}))
    notices = evict_over_cap(store, 100)  # evictions are heard like any event
    assert notices and notices[-1].event.seq == store.last_seq()
    assert heard == list(range(1, store.last_seq() + 1))


def test_queries_cannot_write(store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        store.conn.execute("DELETE FROM events")


def test_closed_store_refuses_writes_with_a_clear_error(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "events.db")
    store.record(NewEvent("x", {}))
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.record(NewEvent("x", {}))


def test_outbox_shares_the_daemons_writer(store: Store) -> None:
    for i in range(3):
        store.record(NewEvent("x", {"i": i}))
    before = store.writer_stats.jobs
    StoreOutbox(store).acknowledge([1, 2])
    assert store.writer_stats.jobs == before + 1
    assert StoreOutbox(store).backlog() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ERIK", [1]), ("eriksson anna", [1]), ("MARIA", [1, 2]), ("LI", [3]), ('"', []),
     ("%", []), ("SON A", [1])],
)  # fmt: skip
def test_name_search_finds_substrings(store: Store, query: str, expected: list[int]) -> None:
    store.record(NewEvent("mrz", {"surname": "ERIKSSON", "given_names": "ANNA MARIA"}))
    store.record(NewEvent("mrz", {"surname": "MARIANI", "given_names": "LUCA"}))
    store.record(NewEvent("mrz", {"surname": "LI", "given_names": "WEI"}))
    found = sorted(e.seq for e in store.search(name=query))
    assert found == expected


def test_name_search_uses_the_index_and_forgets_purged_names(store: Store) -> None:
    store.record(NewEvent("mrz", {"surname": "DOE", "given_names": "JANE"}))
    plan = " ".join(
        str(r[-1])
        for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT rowid FROM events_name WHERE events_name MATCH '\"DOE\"'"
        )
    )
    assert "VIRTUAL TABLE INDEX" in plan
    StoreOutbox(store).acknowledge([1])
    store.purge_personal(1, now=time.time() + 2 * 86400)
    assert store.search(name="DOE") == []
    assert store.conn.execute("SELECT COUNT(*) FROM events_name").fetchone()[0] == 0


# -- a kill in the middle of a group ------------------------------------------


def _grouped_writer(path: Path, report_fd: int) -> None:
    """Child: many threads record at once; each reports its seq once ``record`` returned."""
    store = Store.open(path)
    lock = threading.Lock()

    def produce(n: int) -> None:
        i = 0
        while True:
            i += 1
            alerts = [NewAlert("watchlist", "hit")] if i % 9 == 0 else []
            rec: Recorded = store.record(NewEvent("mrz", {"n": n, "i": i}), alerts)
            with lock:
                os.write(report_fd, f"{rec.event.seq}\n".encode())

    for n in range(6):
        threading.Thread(target=produce, args=(n,), daemon=True).start()
    threading.Event().wait()


def _kill_during_groups(path: Path, rng: random.Random) -> set[int]:
    reported = fork_and_kill(lambda fd: _grouped_writer(path, fd), rng, 0.03)
    return {int(x) for x in reported.split("\n")[1:-1] if x}


def test_sigkill_during_group_commit_keeps_every_acknowledged_event(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    rng = random.Random(19)
    acknowledged: set[int] = set()
    for _ in range(30):
        acknowledged |= _kill_during_groups(path, rng)
    store = Store.open(path)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    seqs = {r[0] for r in store.conn.execute("SELECT seq FROM events")}
    assert seqs == set(range(1, len(seqs) + 1)), "sequence has a gap"
    assert acknowledged <= seqs, f"acknowledged but lost: {sorted(acknowledged - seqs)[:5]}"
    assert store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == len(seqs)


def _old_store(path: Path, version: int) -> Store:
    """A database left at schema ``version`` holding one event named ERIKSSON ANNA, reopened."""
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, version)
    conn.execute(
        "INSERT INTO events (seq, uuid, kind, priority, wall_time, mono_time, clock_synced,"
        " payload, name) VALUES (1, 'u1', 'mrz', 0, 1.0, 1.0, 0, '{}', 'ERIKSSON ANNA')"
    )
    conn.close()
    return Store.open(path)


def test_names_stored_before_the_index_are_found_after_migrating(tmp_path: Path) -> None:
    store = _old_store(tmp_path / "v3.db", 3)
    assert [e.seq for e in store.search(name="ksson")] == [1]


def test_every_name_of_a_group_is_searchable_after_its_commit(store: Store) -> None:
    futures = [
        store.submit_record(NewEvent("mrz", {"surname": f"NOMEN{i:03d}", "given_names": "X"}))
        for i in range(300)
    ]
    futures[-1].result()
    assert store.writer_stats.groups < 300, "the names were not written in groups"
    for i in (0, 150, 299):
        assert [e.seq for e in store.search(name=f"NOMEN{i:03d}")] == [i + 1]
    indexed = store.conn.execute("SELECT COUNT(*) FROM events_name").fetchone()[0]
    assert indexed == 300


def test_a_version_4_database_keeps_its_index_and_adds_new_names_once(tmp_path: Path) -> None:
    store = _old_store(tmp_path / "v4.db", 4)
    store.record(NewEvent("mrz", {"surname": "ERIKSEN", "given_names": "ANNA"}))
    assert sorted(e.seq for e in store.search(name="ERIK")) == [1, 2]
    rows = store.conn.execute("SELECT rowid FROM events_name ORDER BY rowid").fetchall()
    assert [r[0] for r in rows] == [1, 2]


def test_device_state_is_queued_without_waiting_and_kept(store: Store) -> None:
    from edge.store import devices

    state = {"name": "mrz-1", "kind": "mrz", "lane": "1", "url": "socket://x:1", "state": "ok"}
    devices.save(store, state).result(timeout=10)
    assert devices.load_all(store)[0]["state"] == "ok"
