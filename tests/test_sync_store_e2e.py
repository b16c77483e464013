"""The uplink draining the post's real SQLite store (edge.store) to a real HQ."""
# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import threading
from pathlib import Path

from sync_testkit import broker, hq_store, pki, post_key, receiver_for, uplink_config, wait_for  # noqa: F401

from edge.store import NewAlert, NewEvent, Store
from edge.store.outbox import StoreOutbox
from sync.broker.run import Broker
from sync.uplink import Uplink


def _record(store: Store, n: int, up: Uplink | None = None) -> None:
    for i in range(n):
        payload = {"gamma_cps": 100 + i % 9, "state": "background"}
        alerts = [NewAlert("rpm.alarm", "gamma alarm")] if i % 250 == 0 else []
        store.record(NewEvent("rpm.reading", payload, 0, "lane-1", "rpm-1"), alerts)
        if up is not None and i % 50 == 0:
            up.notify()


def test_real_store_drains_exactly_once_while_the_daemon_writes(
    tmp_path: Path, broker: Broker
) -> None:
    key, raw = post_key()
    hq = hq_store(tmp_path, {"post-01": raw})
    store = Store.open(tmp_path / "post" / "events.db")
    _record(store, 1000)
    rx = receiver_for(hq, broker)
    rx.start()
    up = Uplink(
        uplink_config(broker, batch_max_events=150),
        outbox=StoreOutbox(store.path),
        signing_key=key,
        status=lambda: {"watchlist_version": 3},
    )
    up.start()
    writer = threading.Thread(target=_record, args=(store, 1500, up))
    try:
        writer.start()
        writer.join()
        up.notify()
        outbox = StoreOutbox(store.path)
        wait_for(lambda: outbox.backlog() == 0, timeout=60, what="store outbox drained")
        last = store.last_seq()
    finally:
        up.stop()
        rx.stop()
    [stats] = hq.stats()
    assert (stats["events"], stats["max_seq"], stats["missing"]) == (last, last, [])
    assert stats["alerts"] == 10 and stats["duplicates_ignored"] >= 0
    assert outbox.last_ack_seq() == last
    uuids = {r["uuid"] for r in hq.events("post-01", limit=10**6)}
    assert len(uuids) == last
