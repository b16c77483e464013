"""``/metrics``: a real daemon scraped over HTTP while a scanner on a pty sends codes,
readings are injected with an alert, and then the scanner's line dies; a real HQ receiver
scraped while a post's uplink drains into it and an unregistered post is refused."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RunningDaemon, eventually, start_daemon
from prometheus_client.parser import text_string_to_metric_families
from sync_testkit import MemoryOutbox, broker, make_uplink, pki, post_key  # noqa: F401

from edge.api.client import ApiClient
from sync import ca, keys
from sync.broker.run import Broker
from sync.metrics import parse_address

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scrape(port: int) -> Samples:
    """Every sample of one scrape, by name and labels."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = resp.read().decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def scanned(tmp_path: Path) -> Iterator[tuple[RunningDaemon, int, int]]:
    """A daemon serving /metrics with a scanner on a pty: (daemon, pty master, port)."""
    master, slave = os.openpty()
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[devices]]\nname = "scan1"\nkind = "scanner"\nurl = "{os.ttyname(slave)}"\nlane = "1"\n'
    )
    port = free_port()
    env = {"BORDERPOST_METRICS": f"127.0.0.1:{port}"}
    daemon = start_daemon(tmp_path / "state", "--config", str(config), "--allow-inject", env=env)
    os.close(slave)
    yield daemon, master, port
    daemon.stop()
    if daemon.proc.poll() is None:
        daemon.proc.kill()


def scrape_when(port: int, name: str, at_least: float, **labels: str) -> Samples:
    """Scrape until ``name{labels}`` reaches ``at_least``; that scrape."""

    def reached() -> Samples | None:
        samples = scrape(port)
        return samples if value(samples, name, **labels) >= at_least else None

    result: Samples = eventually(reached)
    return result


def test_figures_move_with_traffic_and_a_dead_device(scanned: tuple[RunningDaemon, int, int]):
    daemon, master, port = scanned
    client = ApiClient(daemon.socket)
    scan1 = {"device": "scan1", "kind": "scanner", "lane": "1"}
    scrape_when(port, "borderpost_device_up", 1, **scan1)

    def settled() -> Samples | None:  # the two are read one after the other: an event the
        samples = scrape(port)  # daemon stores between them (its start-up's) must not count
        same = value(samples, "borderpost_outbox_backlog") == value(samples, "borderpost_last_seq")
        return samples if same else None

    before = eventually(settled, timeout=10)
    for code in (b"CSQU3054383", b"MSKU9070323", b"TGHU1234567"):
        os.write(master, code + b"\r")
    for i in range(2):
        client.call("inject", kind="x", payload={"i": i}, alert="radiation", lane="1")
    after = scrape_when(port, "borderpost_events_total", 3, kind="barcode")
    assert value(after, "borderpost_events_total", kind="x") == 2
    assert value(after, "borderpost_alerts_total", kind="radiation") == 2
    assert value(after, "borderpost_events_total", kind="alert") >= 2
    stored = sum(v for (name, _), v in after.items() if name == "borderpost_events_total")
    assert stored == value(after, "borderpost_last_seq")  # a fresh database: each one counted
    assert value(after, "borderpost_outbox_backlog") == stored  # no HQ takes them
    assert (
        value(after, "borderpost_outbox_backlog") >= value(before, "borderpost_outbox_backlog") + 7
    )
    assert value(after, "borderpost_outbox_oldest_age_seconds") >= 0
    assert value(after, "borderpost_screening_seconds_count") >= 5
    assert value(after, "borderpost_store_seconds_count") >= 5
    snapshot = scrape_when(port, "borderpost_device_readings", 3, **scan1)  # refreshed each second
    assert value(snapshot, "borderpost_device_readings", **scan1) == 3
    assert value(after, "borderpost_mqtt_connected", configured="false") == 0
    assert value(after, "borderpost_disk_free_bytes") > 0

    fds = len(os.listdir(f"/proc/{daemon.proc.pid}/fd"))
    for _ in range(30):
        scrape(port)
    assert len(os.listdir(f"/proc/{daemon.proc.pid}/fd")) <= fds + 2  # nothing kept per scrape

    os.close(master)  # the scanner's line goes away: the device faults and is retried
    dead = scrape_when(port, "borderpost_device_state", 1, state="fault", **scan1)
    assert value(dead, "borderpost_device_up", **scan1) == 0
    assert value(dead, "borderpost_device_state", state="ok", **scan1) == 0
    later = scrape_when(port, "borderpost_device_restarts", 1, **scan1)
    assert value(later, "borderpost_events_total", kind="device.fault") >= 1


def test_no_address_no_endpoint_and_a_bad_one_is_said(tmp_path: Path) -> None:
    assert parse_address("9464", "V") == ("127.0.0.1", 9464)
    assert parse_address("[::1]:9464", "V") == ("::1", 9464)
    with pytest.raises(ValueError, match="V='localhost:http': expected host:port"):
        parse_address("localhost:http", "V")
    daemon = start_daemon(tmp_path / "state", env={"BORDERPOST_METRICS": "nowhere:x"})
    daemon.stop()
    assert "metrics not served: BORDERPOST_METRICS='nowhere:x'" in daemon.log_text()


def test_hq_figures_move_as_a_post_drains_and_a_stranger_is_refused(
    tmp_path: Path, broker: Broker
) -> None:
    key, _ = post_key()
    (tmp_path / "post.pub").write_bytes(keys.public_pem(key.public_key()))
    hq = [sys.executable, "-m", "edge", "hq"]
    state = ["--state-dir", str(tmp_path / "hq")]
    add = [*hq, "post", "add", "post-01", "--key", str(tmp_path / "post.pub"), *state]
    subprocess.run(add, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen(
        [*hq, "run", *state, *broker.client_args(ca.HQ_IDENTITY)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "BORDERPOST_HQ_METRICS": f"127.0.0.1:{port}"},
    )
    assert proc.stdout is not None and json.loads(proc.stdout.readline())["connected"]
    outbox, forged_box = MemoryOutbox(), MemoryOutbox()
    outbox.add(300)
    forged_box.add(1)
    up = make_uplink(broker, outbox, key, batch_max_events=50)
    forger = make_uplink(broker, forged_box, keys.generate(), post="post-02")  # not registered
    try:
        up.start()
        forger.start()
        done = scrape_when(port, "borderpost_hq_stored_total", 300)
        refused = scrape_when(port, "borderpost_hq_rejected_total", 1)
    finally:
        up.stop()
        forger.stop()
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    assert value(done, "borderpost_hq_connected") == 1
    assert value(done, "borderpost_hq_post_events", post="post-01") == 300
    assert value(done, "borderpost_hq_post_max_seq", post="post-01") == 300
    assert value(done, "borderpost_hq_post_missing", post="post-01") == 0
    assert 0 <= value(refused, "borderpost_hq_post_last_seen_age_seconds", post="post-01") < 60
    assert ("borderpost_hq_post_events", frozenset({("post", "post-02")})) not in refused


def test_the_lists_in_force_are_gauges_and_unknown_ones_are_nan() -> None:
    from types import SimpleNamespace

    from edge.metrics import list_metrics

    def figures(watchlist: dict[str, Any]) -> dict[str, float]:
        status: Any = SimpleNamespace(snapshot=SimpleNamespace(watchlist=watchlist))
        return {m.name: m.samples[0].value for m in list_metrics(status)}

    lists = {"version": 2, "items": 40}
    known = figures(
        {"rules_version": 3, "rules_count": 500, "rules_expired": False, "prearrival": lists}
    )
    assert known["borderpost_rules_version"] == 3 and known["borderpost_rules_count"] == 500
    assert known["borderpost_rules_expired"] == 0
    assert known["borderpost_prearrival_version"] == 2
    assert known["borderpost_prearrival_items"] == 40
    unknown = figures({})
    assert math.isnan(unknown["borderpost_rules_version"])
    assert math.isnan(unknown["borderpost_prearrival_version"])


def test_camera_read_times_feed_the_ocr_and_barcode_histograms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from edge.metrics import PostMetrics

    monkeypatch.setattr(PostMetrics, "collect", lambda self: iter(()))  # no daemon to read

    store = SimpleNamespace(subscribe=lambda fn: None)
    post: Any = SimpleNamespace(
        store=store,
        screening=SimpleNamespace(alerts_for=lambda *a: []),
        recorder=SimpleNamespace(submit=lambda *a: None),
    )
    metrics = PostMetrics(post)

    def recorded(kind: str, payload: dict[str, Any]) -> Any:
        return SimpleNamespace(event=SimpleNamespace(kind=kind, payload=payload), alert_events=[])

    metrics.committed(
        [
            recorded("barcode", {"text": "CSQU3054383", "elapsed_ms": 35.0}),
            recorded("barcode", {"text": "from a scanner"}),  # no time: not counted
            recorded("mrz", {"document_number": "L898902C3", "elapsed_ms": 50.0}),
        ]
    )

    def count_and_sum(kind: str) -> tuple[float, float]:
        (family,) = metrics.decode_times[kind].collect()
        values = {s.name: s.value for s in family.samples}
        return values[f"{family.name}_count"], values[f"{family.name}_sum"]

    assert count_and_sum("barcode") == (1, 0.035)
    assert count_and_sum("mrz") == (1, 0.05)


def test_every_device_state_has_its_gauge() -> None:
    """A device in any state the daemon gives (a disabled one too) is 1 in exactly that state."""
    from types import SimpleNamespace

    from edge.metrics import device_metrics

    states = ("starting", "ok", "fault", "disabled")
    devices = [{"name": s, "kind": "mrz", "lane": "1", "state": s} for s in states]
    status: Any = SimpleNamespace(snapshot=SimpleNamespace(devices=devices))
    family = next(m for m in device_metrics(status) if m.name == "borderpost_device_state")
    for name in states:
        ones = [s.labels["state"] for s in family.samples if s.labels["device"] == name and s.value]
        assert ones == [name]
