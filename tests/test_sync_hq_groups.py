"""HQ stores the verified batches waiting in one transaction (issue 23): each batch's
result is what storing it alone gives, a bad batch never takes the others down, many
posts' batches through a real Mosquitto are stored once and all acknowledged, and a
receiver SIGKILLed mid-group loses nothing."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from sync_testkit import (  # noqa: F401
    MemoryOutbox,
    broker,
    hq_store,
    make_event,
    make_uplink,
    pki,
    post_key,
    postgres_server,
    postgres_url,
    receiver_for,
    wait_for,
)

from sync import ca, wire
from sync.broker.run import Broker, Pki, make_pki
from sync.hq.ingest import Verified
from sync.hq.receiver import Receiver, ReceiverConfig, Waiting
from sync.hq.store import HqStore, HqStoreError, IncomingBatch, StoreResult
from sync.outbox import PRIORITY_ALERT, OutboundEvent
from sync.uplink import Uplink


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    """posts 01 and 02 registered, on SQLite and on a real PostgreSQL server."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    s = hq_store(tmp_path, {"post-01": post_key()[1], "post-02": post_key()[1]}, url)
    yield s
    s.close()


def _batch(post: str, bid: str, seqs: list[int], known: dict[int, OutboundEvent]) -> IncomingBatch:
    """A batch of the events in ``known`` (new ones, with fresh UUIDs, made and kept there)."""
    return IncomingBatch(post, bid, tuple(known.setdefault(s, make_event(s)) for s in seqs))


def _summary(r: StoreResult | Exception) -> object:
    if isinstance(r, Exception):
        return type(r).__name__
    return (r.stored, r.duplicates, r.hwm, r.max_seq, r.missing, r.conflicts)


def _counters(store: HqStore) -> list[tuple[object, ...]]:
    keys = ("events", "duplicates_ignored", "batches", "missing", "max_seq")
    return [tuple(s[k] for k in keys) for s in store.stats()]


def test_a_group_gives_each_batch_what_storing_it_alone_gives(store: HqStore) -> None:
    one: dict[int, OutboundEvent] = {}
    two: dict[int, OutboundEvent] = {}
    group = [
        _batch("post-01", "a", [1, 2, 3], one),
        _batch("post-02", "b", [1, 4], two),  # a gap 2-3
        _batch("post-01", "a2", [1, 2, 3], one),  # a re-send: duplicates
        _batch("post-01", "c", [3, 5], {}),  # 3 reused under another UUID: a conflict
        _batch("post-02", "d", [2, 3], two),  # fills the gap
    ]
    results = store.store_batches(group)
    assert [_summary(r) for r in results] == [
        (3, 0, 3, 3, (), ()),
        (2, 0, 1, 4, ((2, 3),), ()),
        (0, 3, 3, 3, (), ()),
        (1, 0, 3, 5, ((4, 4),), (3,)),
        (2, 0, 4, 4, (), ()),
    ]
    assert _counters(store) == [(4, 3, 3, [[4, 4]], 5), (4, 0, 2, [], 4)]
    assert [(c["post_id"], c["kind"], c["lo"]) for c in store.conflicts()] == [
        ("post-01", "seq_reused", 3)
    ]


def test_a_batch_that_fails_does_not_take_the_group_down(store: HqStore) -> None:
    one: dict[int, OutboundEvent] = {}
    other: dict[int, OutboundEvent] = {}
    group = [
        _batch("post-01", "a", [1, 2], one),
        _batch("post-99", "x", [1], one),  # not registered: the group is stored one by one
        _batch("post-01", "b", [2], other),  # a conflict, recorded as before
        _batch("post-02", "c", [1], other),
    ]
    results = store.store_batches(group)
    assert [_summary(r) for r in results] == [
        (2, 0, 2, 2, (), ()),
        "HqStoreError",
        (0, 0, 2, 2, (), (2,)),
        (1, 0, 1, 1, (), ()),
    ]
    assert _counters(store) == [(2, 0, 2, [], 2), (1, 0, 1, [], 1)]
    assert [c["kind"] for c in store.conflicts()] == ["seq_reused"]  # once, not twice
    with pytest.raises(HqStoreError):  # a group of one raises as store_batch does
        store.store_batches([_batch("post-99", "y", [1], {})])


def test_an_alert_is_stored_in_a_group_of_alerts_not_behind_a_backlog(tmp_path: Path) -> None:
    store = hq_store(tmp_path, {})
    receiver = Receiver(store, ReceiverConfig())
    for seq, priority in ((1, 0), (2, PRIORITY_ALERT), (3, 0), (4, PRIORITY_ALERT)):
        events = (make_event(seq, priority),)
        v = Verified("post-01", wire.Batch("post-01", wire.new_batch_id(), 1.0, 0, 0, events))
        receiver._waiting.put((0 if v.urgent else 1, seq, v, Waiting(mqtt.MQTTMessage(), 0)))
    takes = [[v.batch.events[0].seq for v, _ in receiver._take()] for _ in range(2)]
    assert takes == [[2, 4], [1, 3]]  # the backlog's batches make the next group
    store.close()


MANY = tuple(f"post-{i:02d}" for i in range(1, 11))


@pytest.fixture(scope="module")
def many_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A test CA with ten post certificates."""
    return make_pki(tmp_path_factory.mktemp("pki-many"), MANY)


@pytest.fixture
def many(tmp_path: Path, many_pki: Pki) -> Iterator[Broker]:
    """A real Mosquitto that knows ten posts."""
    with Broker(tmp_path / "broker", many_pki) as b:
        yield b


def _links(
    broker: Broker, n: int, **sync: object
) -> tuple[dict[str, MemoryOutbox], list[Uplink], dict[str, bytes]]:
    """``n`` posts: their outboxes, uplinks, and raw public keys to register at HQ."""
    keys = {p: post_key() for p in MANY[:n]}
    boxes = {p: MemoryOutbox() for p in keys}
    links = [make_uplink(broker, boxes[p], k, p, **sync) for p, (k, _) in keys.items()]
    return boxes, links, {p: raw for p, (_, raw) in keys.items()}


def _exactly_once(store: HqStore, boxes: dict[str, MemoryOutbox], n: int) -> None:
    for post in boxes:
        seqs = [e["seq"] for e in store.events(post, limit=n + 10)]
        assert seqs == list(range(1, n + 1)), post  # nothing lost, nothing doubled
    assert all(s["missing_count"] == 0 for s in store.stats())


def test_many_posts_batches_at_once_are_stored_once_and_all_acknowledged(
    tmp_path: Path, many: Broker
) -> None:
    broker = many
    boxes, links, raw = _links(broker, 10, batch_max_events=2, max_in_flight=8)
    store = hq_store(tmp_path, raw)
    writes: list[int] = []  # posts' statuses written in each transaction
    record = store.record_statuses
    store.record_statuses = lambda s: (writes.append(len(s)), record(s))[1]  # type: ignore[method-assign]
    receiver = receiver_for(store, broker)
    receiver = Receiver(store, replace(receiver.config, status_flush_s=3.0))
    receiver.start()
    try:
        assert receiver.connected.wait(15)
        for box in boxes.values():
            box.add(60)
        for link in links:
            link.start()
        wait_for(lambda: all(not b.backlog() for b in boxes.values()), 60, "every post drained")
        wait_for(lambda: all(p["status"] for p in store.posts()), 10, "every post's status")
    finally:
        for link in links:
            link.stop()
        receiver.stop()
    _exactly_once(store, boxes, 60)
    assert max(writes) > 1  # statuses are written together, not one commit each
    assert all(sorted(b.acked) == list(range(1, 61)) for b in boxes.values())
    assert receiver.largest_group > 1  # batches were stored together
    store.close()


def _hq_run(db: Path, broker: Broker) -> subprocess.Popen[bytes]:
    address = f"{broker.host}:{broker.hq_port}"
    return subprocess.Popen(
        [sys.executable, "-m", "edge", "hq", "run", "--db", str(db), "--broker", address,
         *broker.pki.tls_args(ca.HQ_IDENTITY)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_receiver_killed_mid_group_loses_nothing(tmp_path: Path, many: Broker) -> None:
    broker = many
    boxes, links, raw = _links(broker, 6, batch_max_events=3, ack_timeout_s=1.0)
    db = tmp_path / "hq" / "hq.db"
    hq_store(tmp_path, raw).close()
    for link in links:
        link.start()
    proc = _hq_run(db, broker)
    try:
        for _ in range(4):  # posts keep sending while the receiver is killed now and then
            for box in boxes.values():
                box.add(50)
            for link in links:
                link.notify()
            time.sleep(1.5)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            proc = _hq_run(db, broker)
        wait_for(lambda: all(not b.backlog() for b in boxes.values()), 90, "every post drained")
    finally:
        for link in links:
            link.stop()
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    store = HqStore(db)
    _exactly_once(store, boxes, 200)
    store.close()
