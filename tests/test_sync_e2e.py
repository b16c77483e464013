"""Uplink → real Mosquitto (TLS, client certificates, ACL) → HQ receiver → HQ SQLite."""
# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sync_testkit import (  # noqa: F401
    MemoryOutbox,
    broker,
    hq_store,
    make_uplink,
    pki,
    post_key,
    postgres_server,
    postgres_url,
    receiver_for,
    wait_for,
)

from sync.broker.run import Broker
from sync.hq.store import HqStore


def _seqs(store, post="post-01"):  # type: ignore[no-untyped-def]
    return [r["seq"] for r in store.events(post, limit=10**6)]


def test_backlog_reaches_hq_exactly_once_and_leaves_the_outbox(
    tmp_path: Path, broker: Broker
) -> None:
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    outbox = MemoryOutbox()
    outbox.add(1200)
    rx = receiver_for(store, broker)
    rx.start()
    up = make_uplink(broker, outbox, key, batch_max_events=200)
    up.start()
    try:
        wait_for(lambda: outbox.backlog() == 0, what="outbox drained")
        outbox.add(5)
        up.notify()
        wait_for(lambda: outbox.backlog() == 0, what="late events drained")
        state = up.state()
        wait_for(lambda: store.posts()[0]["status"] is not None, what="status")
        status = store.posts()[0]["status"]
    finally:
        up.stop()
        rx.stop()
    assert _seqs(store) == list(range(1, 1206))
    stats = store.stats()[0]
    assert stats["missing"] == [] and stats["max_seq"] == 1205
    assert state["connected"] and state["last_ack_seq"] == 1205 and state["in_flight"] == 0
    assert status["watchlist_version"] == 7 and status["state"] == "online"


def test_alert_overtakes_a_draining_backlog(tmp_path: Path, broker: Broker) -> None:
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    outbox = MemoryOutbox()
    outbox.add(20000)
    rx = receiver_for(store, broker)
    rx.start()
    up = make_uplink(broker, outbox, key, batch_max_events=100, max_in_flight=2)
    up.start()
    try:
        wait_for(lambda: len(outbox.acked) >= 200, what="drain started")
        [alert_seq] = outbox.add(1, priority=2)
        up.notify()
        wait_for(lambda: alert_seq in outbox.acked, what="alert acknowledged")
        backlog_when_alert_acked = outbox.backlog()
    finally:
        up.stop()
        rx.stop()
    assert backlog_when_alert_acked > 1000  # it did not wait behind the backlog
    assert store.alerts()[0]["seq"] == alert_seq


def test_status_is_retained_with_a_last_will(tmp_path: Path, broker: Broker) -> None:
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    outbox = MemoryOutbox()
    up = make_uplink(broker, outbox, key)
    up.start()
    wait_for(lambda: up.state()["connected"], what="uplink connected")
    up.stop()
    rx = receiver_for(store, broker)  # subscribes after the fact: gets the retained status
    rx.start()
    try:
        wait_for(
            lambda: (store.posts()[0]["status"] or {}).get("state") == "offline",
            what="retained offline status",
        )
    finally:
        rx.stop()
    assert json.dumps(store.posts()[0]["status"])


def test_two_receivers_share_the_batches_on_postgresql(
    tmp_path: Path, broker: Broker, postgres_url: str
) -> None:
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw}, postgres_url)
    second = HqStore(postgres_url)
    outbox = MemoryOutbox()
    outbox.add(3000)
    receivers = [receiver_for(store, broker), receiver_for(second, broker)]
    for rx in receivers:
        rx.start()
        rx.connected.wait(10)
    up = make_uplink(broker, outbox, key, batch_max_events=100)
    up.start()
    try:
        wait_for(lambda: outbox.backlog() == 0, timeout=60, what="drained into PostgreSQL")
    finally:
        up.stop()
        for rx in receivers:
            rx.stop()
    assert _seqs(store) == list(range(1, 3001))
    assert all(rx.ingest.counts["stored"] > 0 for rx in receivers)  # $share/hq split the work
    assert store.stats()[0]["missing"] == []
    second.close()


UPLINK_CHILD = """
import sys, time
from sync import keys
from sync.uplink import Uplink, UplinkConfig
cfg = UplinkConfig.from_mapping("post-01", {"host": "127.0.0.1", "port": int(sys.argv[1]),
    "ca_file": sys.argv[2], "cert_file": sys.argv[3], "key_file": sys.argv[4]}, {})
outbox = type("Empty", (), {"pending": lambda self, **k: [], "acknowledge": lambda self, s: None,
                            "backlog": lambda self: 0, "evicted": lambda self: 0})()
up = Uplink(cfg, outbox=outbox, signing_key=keys.generate())
up.start()
while not up.state()["connected"]:
    time.sleep(0.02)
print("connected", flush=True)
time.sleep(60)
"""


def test_last_will_says_offline_when_the_post_dies(tmp_path: Path, broker: Broker) -> None:
    _key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    rx = receiver_for(store, broker)
    rx.start()
    cert, key = broker.pki.client("post-01")
    args = [str(broker.port), str(broker.pki.ca_file), str(cert), str(key)]
    root = Path(__file__).resolve().parents[1]
    child = subprocess.Popen(
        [sys.executable, "-c", UPLINK_CHILD, *args], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "connected"
        wait_for(
            lambda: (store.posts()[0]["status"] or {}).get("state") == "online",
            what="online status",
        )
        child.kill()
        child.wait()
        wait_for(
            lambda: (store.posts()[0]["status"] or {}).get("state") == "offline", what="last will"
        )
    finally:
        child.kill()
        rx.stop()
