"""Several regional brokers and several receivers into one PostgreSQL: two real Mosquitto
brokers with one post each, two real `borderpost hq run` processes on both (shared
subscriptions), one broker SIGKILLed while its post keeps recording, then restarted."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sync_testkit import (  # noqa: F401
    MemoryOutbox,
    make_uplink,
    pki,
    post_key,
    postgres_server,
    postgres_url,
    wait_for,
)

from sync import ca
from sync.broker.run import Broker, Pki, free_port
from sync.hq.store import HqStore
from sync.uplink import Uplink


@pytest.fixture
def brokers(tmp_path: Path, pki: Pki) -> Iterator[tuple[Broker, Broker]]:
    """Two real Mosquitto brokers (two regions) with the same CA."""
    a, b = Broker(tmp_path / "north", pki).start(), Broker(tmp_path / "south", pki).start()
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def _receiver(url: str, brokers: tuple[Broker, ...], pki: Pki, port: int) -> subprocess.Popen[str]:
    """A real `borderpost hq run` on every broker, its /metrics on ``port``."""
    addresses = [a for b in brokers for a in ("--broker", f"{b.host}:{b.hq_port}")]
    return subprocess.Popen(
        [sys.executable, "-m", "edge", "hq", "run", "--db", url, *addresses,
         *pki.tls_args(ca.HQ_IDENTITY)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "BORDERPOST_HQ_METRICS": f"127.0.0.1:{port}"},
    )  # fmt: skip


def _started(proc: subprocess.Popen[str]) -> dict[str, Any]:
    """What `hq run` printed once it was on its brokers."""
    assert proc.stdout is not None
    out: dict[str, Any] = json.loads(proc.stdout.readline())
    return out


def _add(boxes: dict[str, MemoryOutbox], links: list[Uplink], n: int) -> None:
    """Each post records ``n`` events (and tells its uplink, as the daemon does)."""
    for box in boxes.values():
        box.add(n)
    for link in links:
        link.notify()


def _scrape(port: int) -> dict[tuple[str, str], float]:
    """A receiver's /metrics: (sample name, its broker label) -> value."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        families = text_string_to_metric_families(r.read().decode())
    return {(s.name, s.labels.get("broker", "")): s.value for f in families for s in f.samples}


def test_two_brokers_one_down_for_a_while_lose_and_double_nothing(
    brokers: tuple[Broker, Broker], pki: Pki, postgres_url: str
) -> None:
    north, south = brokers
    keys = {p: post_key() for p in ("post-01", "post-02")}
    store = HqStore(postgres_url)
    for post, (_key, raw) in keys.items():
        store.add_post(post, raw)
    ports = [free_port(), free_port()]
    procs = [_receiver(postgres_url, brokers, pki, port) for port in ports]
    for started in map(_started, procs):
        assert started["connected"] and len(started["brokers"]) == 2
    boxes = {"post-01": MemoryOutbox(), "post-02": MemoryOutbox()}
    links = [
        make_uplink(north, boxes["post-01"], keys["post-01"][0], "post-01", batch_max_events=20),
        make_uplink(south, boxes["post-02"], keys["post-02"][0], "post-02", batch_max_events=20),
    ]
    try:
        for link in links:
            link.start()
        _add(boxes, links, 200)
        wait_for(lambda: all(not b.backlog() for b in boxes.values()), 60, "both posts drained")
        south.kill()  # SIGKILL: the southern region's broker is gone
        _add(boxes, links, 200)
        wait_for(lambda: not boxes["post-01"].backlog(), 60, "the northern post drained")
        time.sleep(1.0)
        assert boxes["post-02"].backlog() == 200  # kept in the post's outbox meanwhile
        seen = _scrape(ports[0])
        assert seen[("borderpost_hq_connected", "")] == 0
        assert seen[("borderpost_hq_broker_connected", f"{south.host}:{south.hq_port}")] == 0
        assert seen[("borderpost_hq_broker_connected", f"{north.host}:{north.hq_port}")] == 1
        south.start()
        wait_for(lambda: not boxes["post-02"].backlog(), 90, "the southern post drained")
        stored = [_scrape(port)[("borderpost_hq_stored_total", "")] for port in ports]
    finally:
        for link in links:
            link.stop()
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
    for post in boxes:
        seqs = [e["seq"] for e in store.events(post, limit=1000)]
        assert seqs == list(range(1, 401)), post  # nothing lost, nothing doubled
    assert {s["post_id"]: s["missing_count"] for s in store.stats()} == {"post-01": 0, "post-02": 0}
    assert sum(stored) == 800 and min(stored) > 0  # both receivers took batches
    store.close()
