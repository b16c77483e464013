"""Sync benchmark: backlog drain, bytes on the wire, alert latency, offline memory.

Prints one JSON document. For each compression (zlib and zstd, side by side):
time for an N-event backlog in the post's real SQLite store to reach the HQ
database through a real loopback Mosquitto (TLS, client certificates), wire
bytes per routine event and per single alert (MQTT PUBLISH packet: payload,
topic, properties), and the p95 latency of alerts recorded while the backlog
drains. Then, with M events queued and the broker unreachable, the resident
memory of a process holding just the store and the uplink, and of the real
daemon (``borderpost run``) on that store.

    .venv/bin/python bench/sync.py [--events 100000] [--offline-events 1000000]

The backlog is written straight into the store's tables in one transaction
(set-up, not measured); events recorded during the run go through
``Store.record`` like the daemon's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from paho.mqtt.packettypes import PacketTypes  # noqa: E402
from paho.mqtt.properties import Properties  # noqa: E402

from edge.store import NewAlert, NewEvent, Store  # noqa: E402
from edge.store.outbox import StoreOutbox  # noqa: E402
from edge.store.writer import Tx  # noqa: E402
from sync import ca, keys, topics, wire  # noqa: E402
from sync.broker.run import Broker, make_pki  # noqa: E402
from sync.hq.receiver import Receiver, ReceiverConfig  # noqa: E402
from sync.hq.store import HqStore  # noqa: E402
from sync.outbox import OutboundEvent  # noqa: E402
from sync.uplink import Uplink, UplinkConfig  # noqa: E402

POST = "post-01"
TARGETS = {
    "drain_s": 60,
    "bytes_per_routine_event": 80,
    "bytes_per_alert": 400,
    "alert_latency_p95_s": 2.0,
    "offline_rss_mb": 150,
}


def routine_payload(i: int) -> dict[str, Any]:
    """An RPM background reading, as the daemon stores it."""
    return {
        "gamma_cps": 110 + i % 23,
        "neutron_cps": i % 3,
        "state": "background",
        "occupied": False,
    }


def fill(path: Path, n: int) -> None:
    """Append ``n`` routine events with their outbox rows (bench set-up)."""
    store = Store.open(path, synchronous="OFF")
    start = store.last_seq() + 1
    now, mono = time.time(), time.monotonic()
    rows, box = [], []
    for k in range(n):
        text = json.dumps(routine_payload(k), separators=(",", ":"))
        seq = start + k
        rows.append(
            (
                seq,
                str(uuid.uuid4()),
                "rpm.reading",
                0,
                now - (n - k) * 0.2,
                mono - (n - k) * 0.2,
                1,
                "lane-1",
                "rpm-1",
                text,
            )
        )
        box.append((seq, 0, len(text)))

    def job(tx: Tx) -> None:
        tx.conn.executemany(
            "INSERT INTO events (seq, uuid, kind, priority, wall_time, mono_time,"
            " clock_synced, lane, device, payload) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        tx.conn.executemany("INSERT INTO outbox (seq, priority, size) VALUES (?,?,?)", box)

    store.write(job)
    store.close()


def publish_overhead(post: str) -> int:
    """MQTT v5 PUBLISH bytes besides the payload: header, topic, packet id, properties."""
    props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    props.ResponseTopic = topics.ack(post)
    props.CorrelationData = b"x" * wire.BATCH_ID_LEN
    variable = 2 + len(topics.batch(post)) + 2 + len(props.pack())
    return 1 + 3 + variable  # fixed header byte + remaining length (≤ 3 bytes here)


class Alerts(threading.Thread):
    """Records an alert every ``every`` seconds through ``Store.record`` while the drain runs."""

    def __init__(self, path: Path, up: Uplink, every: float) -> None:
        super().__init__(daemon=True)
        self.path, self.up, self.every = path, up, every
        self.sent: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        store = Store.open(self.path)
        while not self.stop.wait(self.every):
            rec = store.record(
                NewEvent("rpm.reading", routine_payload(1), 0, "lane-1", "rpm-1"),
                [NewAlert("rpm.alarm", "gamma alarm lane 1")],
            )
            self.sent[rec.alert_events[0].uuid] = rec.alert_events[0].wall_time
            self.up.notify()
        store.close()


def drain(work: Path, codec: str, n: int) -> dict[str, Any]:
    """Drain an ``n``-event backlog to HQ with ``codec``; measure time, bytes, alert latency."""
    pki = make_pki(work / "pki", [POST])
    key = keys.generate()
    db = work / f"post-{codec}" / "events.db"
    db.parent.mkdir(parents=True)
    fill(db, n)
    hq = HqStore(work / f"hq-{codec}.db")
    hq.add_post(POST, keys.raw_public(key.public_key()))
    with Broker(work / f"broker-{codec}", pki) as broker:
        cert, ckey = pki.client(ca.HQ_IDENTITY)
        rx = Receiver(
            hq,
            ReceiverConfig(
                host=broker.host,
                port=broker.hq_port,
                ca_file=pki.ca_file,
                cert_file=cert,
                key_file=ckey,
            ),
        )
        rx.start()
        rx.connected.wait(10)
        pcert, pkey = pki.client(POST)
        cfg = UplinkConfig.from_mapping(
            POST,
            {
                "host": broker.host,
                "port": broker.port,
                "ca_file": str(pki.ca_file),
                "cert_file": str(pcert),
                "key_file": str(pkey),
            },
            {"compression": codec, "ack_timeout_s": 10.0},
        )
        up = Uplink(cfg, outbox=StoreOutbox(db), signing_key=key)
        alerts = Alerts(db, up, 0.25)
        t0 = time.monotonic()
        up.start()
        alerts.start()
        while hq.stats()[0]["events"] < n:
            time.sleep(0.05)
        elapsed = time.monotonic() - t0
        alerts.stop.set()
        alerts.join()
        outbox = StoreOutbox(db)
        while outbox.backlog():
            time.sleep(0.05)
        state = up.state()
        up.stop()
        rx.stop()
    latencies = _latencies(hq, alerts.sent)
    total_events = hq.stats()[0]["events"]
    overhead = publish_overhead(POST) * state["sent_batches"]
    return {
        "codec": codec,
        "events": n,
        "drain_s": round(elapsed, 2),
        "events_per_s": round(n / elapsed),
        "bytes_per_routine_event": round((state["sent_bytes"] + overhead) / total_events, 1),
        "batches": state["sent_batches"],
        "resent_batches": state["resent_batches"],
        "alerts": len(latencies),
        "alert_latency_p95_s": round(_p95(latencies), 3) if latencies else None,
        "alert_latency_max_s": round(max(latencies), 3) if latencies else None,
        "bytes_per_alert": single_alert_bytes(codec),
    }


def _latencies(hq: HqStore, sent: dict[str, float]) -> list[float]:
    rows = hq.alerts(limit=10**6, post_id=POST)
    return [r["received"] - sent[r["uuid"]] for r in rows if r["uuid"] in sent]


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def single_alert_bytes(codec: str) -> int:
    """A batch holding one realistic watchlist alert, as one MQTT PUBLISH packet."""
    payload = {  # the shape edge.store gives an alert event
        "alert_id": 17,
        "event_seq": 123455,
        "event_uuid": str(uuid.uuid4()),
        "kind": "watchlist",
        "severity": 2,
        "summary": "Watchlist hit: ERIKSSON ANNA MARIA (person, score 0.97)",
        "hits": [
            {
                "list": "national",
                "entry_id": "E-1042",
                "match": "person",
                "score": 0.97,
                "reason": "wanted",
                "action": "refer",
            }
        ],
        "keys": [
            {
                "kind": "person",
                "surname": "ERIKSSON",
                "given_names": "ANNA MARIA",
                "birth_date": "1974-08-12",
                "nationality": "UTO",
                "sex": "F",
            }
        ],
    }
    ev = OutboundEvent(
        123456,
        str(uuid.uuid4()),
        "alert",
        2,
        time.time(),
        time.monotonic(),
        True,
        "lane-1",
        "mrz-1",
        payload,
    )
    batch = wire.Batch(POST, wire.new_batch_id(), time.time(), 5, 0, (ev,))
    return len(wire.encode_batch(batch, keys.generate(), codec)) + publish_overhead(POST)


OFFLINE_CHILD = """
import resource, sys, time, json
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from edge.store import Store
from edge.store.outbox import StoreOutbox
from sync import keys
from sync.uplink import Uplink, UplinkConfig
db = Path(sys.argv[2])
store = Store.open(db)
cfg = UplinkConfig.from_mapping("post-01", {"host": "127.0.0.1", "port": int(sys.argv[3]),
                                "tls": False}, {})
up = Uplink(cfg, outbox=StoreOutbox(db), signing_key=keys.generate())
up.start()
samples = []
for _ in range(int(float(sys.argv[4]) / 0.5)):
    up.notify()
    time.sleep(0.5)
    samples.append(int(open("/proc/self/statm").read().split()[1]) * 4096)
state = up.state()
up.stop()
print(json.dumps({"rss_samples": samples, "backlog": StoreOutbox(db).backlog(),
                  "connected": state["connected"]}))
"""


def offline_memory(work: Path, n: int, seconds: float) -> dict[str, Any]:
    """RSS of store + uplink with ``n`` queued events and no broker (a closed port)."""
    db = work / "offline" / "events.db"
    db.parent.mkdir(parents=True)
    t0 = time.monotonic()
    for start in range(0, n, 200_000):
        fill(db, min(200_000, n - start))
    fill_s = time.monotonic() - t0
    from sync.broker.run import free_port

    out = subprocess.run(
        [sys.executable, "-c", OFFLINE_CHILD, str(ROOT), str(db), str(free_port()), str(seconds)],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout)
    rss = [s / 2**20 for s in res["rss_samples"]]
    return {
        "queued_events": res["backlog"],
        "connected": res["connected"],
        "rss_mb_first": round(rss[0], 1),
        "rss_mb_last": round(rss[-1], 1),
        "rss_mb_max": round(max(rss), 1),
        "db_mb": round(db.stat().st_size / 2**20, 1),
        "fill_s": round(fill_s, 1),
    }


def daemon_offline(work: Path, seconds: float) -> dict[str, Any]:
    """RSS of the real daemon (`borderpost run`) on the offline store, broker unreachable."""
    from sync.broker.run import free_port

    state = work / "offline"
    keys.init_pair(state / keys.KEYS_DIR)
    conf = work / "offline.toml"
    conf.write_text(
        f'[post]\nid = "{POST}"\n\n[broker]\nhost = "127.0.0.1"\n'
        f"port = {free_port()}\ntls = false\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "edge", "run", "--state-dir", str(state), "--config", str(conf)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples = []
    try:
        for _ in range(int(seconds / 0.5)):
            time.sleep(0.5)
            pages = int(Path(f"/proc/{proc.pid}/statm").read_text().split()[1])
            samples.append(pages * os.sysconf("SC_PAGE_SIZE") / 2**20)
    finally:
        proc.terminate()
        proc.wait(30)
    return {
        "rss_mb_first": round(samples[0], 1),
        "rss_mb_last": round(samples[-1], 1),
        "rss_mb_max": round(max(samples), 1),
        "seconds": seconds,
    }


def machine() -> dict[str, Any]:
    """Where the figures were measured."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "processor": platform.processor(),
        "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    """Run the benchmark and print its JSON report."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=100_000, help="backlog size (default 100000)")
    p.add_argument(
        "--offline-events",
        type=int,
        default=1_000_000,
        help="queued events for the offline memory figure (default 1000000)",
    )
    p.add_argument("--offline-seconds", type=float, default=10.0)
    p.add_argument("--codecs", default="zlib,zstd")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        work = Path(tmp)
        runs = [drain(work, c, args.events) for c in args.codecs.split(",")]
        offline = offline_memory(work, args.offline_events, args.offline_seconds)
        offline["daemon"] = daemon_offline(work, args.offline_seconds)
    print(
        json.dumps(
            {
                "benchmark": "sync",
                "machine": machine(),
                "targets": TARGETS,
                "drain": runs,
                "offline": offline,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
