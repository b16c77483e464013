"""Faults with real processes: ACL, forged batches through the broker, broker restart,
HQ receiver killed mid-batch."""
# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sync_testkit import (  # noqa: F401
    MemoryOutbox,
    broker,
    hq_store,
    make_event,
    make_uplink,
    pki,
    post_key,
    receiver_for,
    wait_for,
)

from sync import ca, keys, topics, wire
from sync.broker.run import Broker, Pki

ROOT = Path(__file__).resolve().parents[1]


def _client(broker: Broker, name: str) -> tuple[mqtt.Client, list[int]]:
    """A raw MQTT v5 client with ``name``'s certificate; collects PUBACK reason codes."""
    cert, key = broker.pki.client(name)
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"raw-{name}", protocol=mqtt.MQTTv5)
    c.tls_set(ca_certs=str(broker.pki.ca_file), certfile=str(cert), keyfile=str(key))
    codes: list[int] = []
    c.on_publish = lambda _c, _u, _mid, rc, _p: codes.append(rc.value)
    c.connect(broker.host, broker.port_for(name), 10)
    c.loop_start()
    return c, codes


def _publish(c: mqtt.Client, topic: str, payload: bytes) -> None:
    info = c.publish(topic, payload, qos=1)
    info.wait_for_publish(10)


def test_a_post_cannot_publish_on_another_posts_topic(tmp_path: Path, broker: Broker) -> None:
    key1, raw1 = post_key()
    key2, raw2 = post_key()
    store = hq_store(tmp_path, {"post-01": raw1, "post-02": raw2})
    rx = receiver_for(store, broker)
    rx.start()
    rx.connected.wait(10)
    c, codes = _client(broker, "post-01")
    try:
        batch = wire.Batch("post-02", wire.new_batch_id(), 1.0, 0, 0, (make_event(1),))
        _publish(c, topics.batch("post-02"), wire.encode_batch(batch, key2))  # even well signed
        _publish(c, topics.status("post-02"), b'{"state": "offline"}')
        own = wire.Batch("post-01", wire.new_batch_id(), 1.0, 0, 0, (make_event(1),))
        _publish(c, topics.batch("post-01"), wire.encode_batch(own, key1))
        wait_for(lambda: len(store.events("post-01")) == 1, what="own batch stored")
    finally:
        c.loop_stop()
        c.disconnect()
        rx.stop()
    assert codes[:2] == [135, 135]  # MQTT v5 "Not authorized"
    assert store.events("post-02") == [] and store.posts()[1]["status"] is None


def test_forged_malformed_oversized_and_replayed_batches_through_the_broker(
    tmp_path: Path, broker: Broker
) -> None:
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    rx = receiver_for(store, broker)
    rx.start()
    rx.connected.wait(10)
    c, _codes = _client(broker, "post-01")
    good = wire.encode_batch(
        wire.Batch("post-01", wire.new_batch_id(), 1.0, 0, 0, (make_event(1),)), key
    )
    forged = wire.encode_batch(
        wire.Batch("post-01", wire.new_batch_id(), 1.0, 0, 0, (make_event(2),)), keys.generate()
    )
    try:
        for payload in (good, forged, b"\x00garbage", b"BP\x01\x02" + bytes(wire.MAX_WIRE_BYTES)):
            _publish(c, topics.batch("post-01"), payload)
        _publish(c, topics.batch("post-01"), good)  # replay
        wait_for(
            lambda: store.stats()[0]["batches"] == 2 and len(store.rejects()) == 3,
            what="all five handled",
        )
    finally:
        c.loop_stop()
        c.disconnect()
        rx.stop()
    assert [e["seq"] for e in store.events("post-01")] == [1]
    assert sorted(r["reason"] for r in store.rejects()) == ["forged", "malformed", "oversized"]
    assert store.stats()[0]["duplicates_ignored"] == 1


def test_broker_stopped_and_restarted_mid_drain(tmp_path: Path, broker: Broker) -> None:
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    outbox = MemoryOutbox()
    outbox.add(3000)
    rx = receiver_for(store, broker)
    rx.start()
    up = make_uplink(broker, outbox, key, batch_max_events=100, max_in_flight=2)
    up.start()
    try:
        wait_for(lambda: len(outbox.acked) >= 300, what="drain started")
        broker.kill()
        outbox.add(500)  # the daemon keeps recording while the link is down
        up.notify()
        time.sleep(1.0)
        assert not up.state()["connected"]
        broker.start()
        wait_for(lambda: outbox.backlog() == 0, timeout=60, what="drained after restart")
    finally:
        up.stop()
        rx.stop()
    seqs = [e["seq"] for e in store.events("post-01", limit=10**6)]
    assert seqs == list(range(1, 3501))
    assert store.stats()[0]["missing"] == []


def _hq_cli(tmp_path: Path, broker: Broker, *args: str) -> list[str]:
    return [sys.executable, "-m", "edge", "hq", *args, "--state-dir", str(tmp_path / "hq")]


def _start_hq(tmp_path: Path, broker: Broker) -> subprocess.Popen[str]:
    cmd = [*_hq_cli(tmp_path, broker, "run"), *broker.client_args(ca.HQ_IDENTITY)]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    line = json.loads(proc.stdout.readline())
    assert line["hq"] == "running" and line["connected"]
    return proc


def test_hq_receiver_killed_mid_batch(tmp_path: Path, broker: Broker) -> None:
    key, _raw = post_key()
    (tmp_path / "post.pub").write_bytes(keys.public_pem(key.public_key()))
    add = [
        *_hq_cli(tmp_path, broker, "post", "add", "post-01"),
        "--key",
        str(tmp_path / "post.pub"),
    ]
    subprocess.run(add, cwd=ROOT, check=True, capture_output=True)
    outbox = MemoryOutbox()
    outbox.add(5000)
    hq = _start_hq(tmp_path, broker)
    up = make_uplink(broker, outbox, key, batch_max_events=200, ack_timeout_s=1.5)
    up.start()
    try:
        for _ in range(2):  # kill it twice while batches are arriving
            start = len(outbox.acked)
            wait_for(lambda s=start: len(outbox.acked) >= s + 400, what="progress")
            os.kill(hq.pid, signal.SIGKILL)
            hq.wait()
            hq = _start_hq(tmp_path, broker)
        wait_for(lambda: outbox.backlog() == 0, timeout=90, what="drained")
    finally:
        up.stop()
        hq.send_signal(signal.SIGTERM)
        hq.wait(10)
    out = subprocess.run(
        [*_hq_cli(tmp_path, broker, "stats"), "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    [stats] = json.loads(out.stdout)
    assert (stats["events"], stats["max_seq"], stats["missing"]) == (5000, 5000, [])


def test_unacknowledged_batch_is_resent_with_the_same_id(tmp_path: Path, broker: Broker) -> None:
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    seen: list[tuple[bytes, bytes]] = []
    spy, _codes = _client(broker, ca.HQ_IDENTITY)
    spy.on_message = lambda _c, _u, m: seen.append((m.properties.CorrelationData, m.payload))
    spy.subscribe(topics.batch("post-01"), qos=1)
    outbox = MemoryOutbox()
    outbox.add(10)
    up = make_uplink(broker, outbox, key, ack_timeout_s=0.3)
    up.start()
    try:
        wait_for(lambda: len(seen) >= 3, what="re-sends while HQ is away")
        assert outbox.backlog() == 10  # a broker PUBACK alone removes nothing
        rx = receiver_for(store, broker)
        rx.start()
        wait_for(lambda: outbox.backlog() == 0, what="acknowledged once HQ is back")
        rx.stop()
    finally:
        up.stop()
        spy.loop_stop()
        spy.disconnect()
    assert len({cid for cid, _ in seen[:3]}) == 1 and len({p for _, p in seen[:3]}) == 1
    assert [e["seq"] for e in store.events("post-01")] == list(range(1, 11))


class _SmallPacketBroker(Broker):
    """The demo broker taking packets of at most 20,000 bytes."""

    def _write_config(self) -> Path:
        conf = super()._write_config()
        text = conf.read_text().replace("max_packet_size 1048576", "max_packet_size 20000")
        conf.write_text(text)
        return conf


def test_batches_fit_a_broker_with_a_smaller_packet_limit(tmp_path: Path, pki: Pki) -> None:
    """A broker cuts the connection of a client that sends a packet over its limit; a batch
    too big for it must go in pieces, not be re-sent whole on every reconnect (issue 25, 12)."""
    broker = _SmallPacketBroker(tmp_path / "broker", pki).start()
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    rx = receiver_for(store, broker)
    outbox = MemoryOutbox()
    outbox.add(24, priority=2, pad=3000)  # about 36 KB compressed: one batch at 1 MB limits
    up = make_uplink(broker, outbox, key, batch_max_events=100)
    try:
        rx.start()
        up.start()
        wait_for(lambda: outbox.backlog() == 0, timeout=30, what="alerts drained")
    finally:
        up.stop()
        rx.stop()
        broker.stop()
    assert sorted(e["seq"] for e in store.events("post-01")) == list(range(1, 25))
    assert "oversize packet" not in broker.log_file.read_text()
