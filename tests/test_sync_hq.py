"""HQ ingest and store without a broker: idempotence, gaps, refusals, CLI listings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_testkit import hq_store, make_event, post_key, postgres_server, postgres_url  # noqa: F401

from sync import wire
from sync.hq.ingest import Ingest
from sync.hq.store import HqStoreError


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
