"""The post's figures for Prometheus, served on ``/metrics`` (docs/operations.md).

``borderpost run`` serves them (``sync/metrics.py``) when ``BORDERPOST_METRICS`` names an
address (``127.0.0.1:9464``; the systemd unit sets it). :func:`attach` is the daemon's one
hook: it subscribes to the store's commits (events and alerts by kind, OCR time, one
log line per event of interest, ``edge/logs.py``) and times screening and the way to
the disk by wrapping the screening service's and the recorder's entry points; every
other figure is read when Prometheus scrapes, on the server's thread, from what other
threads may read already: the status snapshot, the outbox (a per-thread read
connection), the uplink's state, the disk.

prometheus-client serves the text exposition and keeps the counters and histograms;
counters start at zero with the process, as Prometheus's ``rate()`` expects.
"""

from __future__ import annotations

import functools
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, Protocol, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from edge import __version__, logs
from edge.clock import clock_synced
from edge.post_status import PostStatus
from edge.store import Recorded, Store
from sync import metrics as metrics_http

ENV: Final = "BORDERPOST_METRICS"
SECONDS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Histogram buckets: 1 ms to 5 s (screening, the disk, OCR)."""
DEVICE_STATES: Final = ("starting", "ok", "fault", "disabled")  # edge.devices.DeviceRunner's
T = TypeVar("T")


class Observed(Protocol):
    """What the metrics read of the running post (the :class:`~edge.daemon.Daemon`)."""

    store: Store
    status: PostStatus
    screening: Any
    recorder: Any
    api: Any


def attach(post: Observed) -> PostMetrics | None:
    """Log events of interest; serve ``/metrics`` when ``BORDERPOST_METRICS`` is set."""
    post.store.subscribe(logs.event_line)
    return metrics_http.serve(ENV, lambda: PostMetrics(post))


class PostMetrics(Collector):
    """The post's registry: counters fed by commits, gauges read at each scrape."""

    def __init__(self, post: Observed) -> None:
        self.post = post
        self.registry = CollectorRegistry(auto_describe=True)
        reg = self.registry
        self.events = Counter("borderpost_events", "Events stored, by kind", ["kind"], registry=reg)
        self.alerts = Counter("borderpost_alerts", "Alerts raised, by kind", ["kind"], registry=reg)
        self.screening = Histogram(
            "borderpost_screening_seconds", "Screening one reading", buckets=SECONDS, registry=reg
        )
        self.to_disk = Histogram(
            "borderpost_store_seconds",
            "From a reading's event handed to the store to its commit",
            buckets=SECONDS,
            registry=reg,
        )
        self.decode_times = {  # by event kind: the camera's time to read the frame
            "mrz": Histogram(
                "borderpost_ocr_seconds", "Camera MRZ read time", buckets=SECONDS, registry=reg
            ),
            "barcode": Histogram(
                "borderpost_barcode_decode_seconds",
                "Camera barcode decoding time of the frame a code was read in",
                buckets=SECONDS,
                registry=reg,
            ),
        }
        reg.register(self)
        post.store.subscribe(self.committed)
        post.screening.alerts_for = timed(post.screening.alerts_for, self.screening.observe)
        post.recorder.submit = timed_future(post.recorder.submit, self.to_disk.observe)

    def committed(self, group: Sequence[Recorded]) -> None:
        """Count a committed group's events and alerts (the store's writer thread)."""
        for recorded in group:
            self.events.labels(recorded.event.kind).inc()
            payload = recorded.event.payload
            took = payload.get("elapsed_ms")
            if isinstance(took, int | float) and recorded.event.kind in self.decode_times:
                self.decode_times[recorded.event.kind].observe(took / 1000)
            for alert in recorded.alert_events:
                self.events.labels(alert.kind).inc()
                self.alerts.labels(str(alert.payload.get("kind", "unknown"))).inc()

    def collect(self) -> Iterator[Metric]:
        """The figures read at scrape time."""
        yield from outbox_metrics(self.post.status)
        yield from device_metrics(self.post.status)
        yield from lane_metrics(self.post.status)
        yield from list_metrics(self.post.status)
        yield from host_metrics(self.post)


def timed(call: Callable[..., T], observe: Callable[[float], None]) -> Callable[..., T]:
    """``call``, its duration given to ``observe``."""

    @functools.wraps(call)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        start = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            observe(time.perf_counter() - start)

    return wrapper


def timed_future(call: Callable[..., Any], observe: Callable[[float], None]) -> Callable[..., Any]:
    """``call`` returning a future; the time until it resolves given to ``observe``."""

    @functools.wraps(call)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        future = call(*args, **kwargs)
        future.add_done_callback(lambda _: observe(time.perf_counter() - start))
        return future

    return wrapper


def gauge(name: str, doc: str, value: float | None, **labels: str) -> GaugeMetricFamily:
    """One gauge sample (NaN when the figure is unknown, so an alert on it does not fire)."""
    family = GaugeMetricFamily(name, doc, labels=list(labels))
    family.add_metric(list(labels.values()), float("nan") if value is None else float(value))
    return family


def outbox_metrics(status: PostStatus) -> Iterator[Metric]:
    """Backlog, the age of the oldest unsent event, evictions, HQ's last acknowledgement."""
    outbox = status.outbox
    yield gauge("borderpost_outbox_backlog", "Events waiting for HQ", outbox.backlog())
    oldest = oldest_unsent(status.store)
    age = None if oldest is None else max(0.0, time.time() - oldest)
    yield gauge("borderpost_outbox_oldest_age_seconds", "Age of the oldest unsent event", age)
    yield gauge(
        "borderpost_outbox_evicted",
        "Routine events dropped by the disk cap, ever",
        outbox.evicted(),
    )
    yield gauge(
        "borderpost_last_ack_seq", "Highest sequence HQ acknowledged", outbox.last_ack_seq()
    )
    yield gauge("borderpost_last_seq", "Highest sequence stored", status.store.last_seq())
    link = status.link.state() if status.link is not None else None
    connected = bool(link and link.get("connected"))
    yield gauge(
        "borderpost_mqtt_connected",
        "1 when connected to the broker",
        connected,
        configured=str(link is not None).lower(),
    )


def oldest_unsent(store: Store) -> float | None:
    """Wall time of the oldest event still in the outbox, or None when it is empty."""
    row = store.conn.execute(
        "SELECT wall_time FROM events WHERE seq = (SELECT MIN(seq) FROM outbox)"
    ).fetchone()
    return None if row is None else float(row[0])


def device_metrics(status: PostStatus) -> Iterator[Metric]:
    """Per device: up, state, restarts, readings and errors (from the status snapshot)."""
    names = ["device", "kind", "lane"]
    up = GaugeMetricFamily("borderpost_device_up", "1 when the device is ok", labels=names)
    state = GaugeMetricFamily(
        "borderpost_device_state", "1 for its state", labels=[*names, "state"]
    )
    counts = {
        key: GaugeMetricFamily(
            f"borderpost_device_{key}", f"The device's {key} since start", labels=names
        )
        for key in ("restarts", "readings", "errors")
    }
    for dev in status.snapshot.devices:
        ids = [str(dev["name"]), str(dev["kind"]), str(dev["lane"])]
        up.add_metric(ids, float(dev["state"] == "ok" and not dev.get("fault")))
        for s in DEVICE_STATES:
            state.add_metric([*ids, s], float(dev["state"] == s))
        for key, family in counts.items():
            family.add_metric(ids, float(dev.get(key) or 0))
    yield from (up, state, *counts.values())


def lane_metrics(status: PostStatus) -> Iterator[Metric]:
    """Per lane: protected (an RPM on it runs and reports no fault)."""
    family = GaugeMetricFamily(
        "borderpost_lane_protected", "1 when an RPM covers the lane", labels=["lane"]
    )
    for lane, info in status.snapshot.lanes.items():
        family.add_metric([str(lane)], float(bool(info.get("protected"))))
    yield family


def list_metrics(status: PostStatus) -> Iterator[Metric]:
    """The lists in force: watchlist version, age, stale; rule pack; pre-arrival lists."""
    wl = status.snapshot.watchlist
    yield gauge(
        "borderpost_watchlist_version", "Watchlist version in force", wl.get("watchlist_version")
    )
    yield gauge(
        "borderpost_watchlist_age_seconds",
        "Age of the watchlist in force",
        wl.get("watchlist_age_s"),
    )
    stale = wl.get("watchlist_stale")
    yield gauge(
        "borderpost_watchlist_stale",
        "1 when the list is older than allowed",
        None if stale is None else bool(stale),
    )
    yield gauge("borderpost_rules_version", "Rule pack version in force", wl.get("rules_version"))
    yield gauge("borderpost_rules_count", "Rules in the pack in force", wl.get("rules_count"))
    expired = wl.get("rules_expired")
    yield gauge(
        "borderpost_rules_expired",
        "1 when the rule pack in force has expired",
        None if expired is None else bool(expired),
    )
    held = wl.get("prearrival")
    expected: dict[str, Any] = held if isinstance(held, dict) else {}
    yield gauge(
        "borderpost_prearrival_version",
        "Pre-arrival lists version in force",
        expected.get("version"),
    )
    yield gauge(
        "borderpost_prearrival_items",
        "Expected travellers, vehicles and consignments held",
        expected.get("items"),
    )


def host_metrics(post: Observed) -> Iterator[Metric]:
    """Disk free under the state folder, clock sync, API clients, the version."""
    usage = shutil.disk_usage(post.store.path.parent)
    yield gauge("borderpost_disk_free_bytes", "Free bytes on the state folder's disk", usage.free)
    yield gauge("borderpost_disk_size_bytes", "Size of the state folder's disk", usage.total)
    yield gauge(
        "borderpost_clock_synced",
        "1 when the kernel says the clock is synchronised",
        clock_synced(),
    )
    yield gauge(
        "borderpost_api_clients",
        "Connected local API clients",
        len(getattr(post.api, "sessions", ())),
    )
    yield gauge("borderpost_info", "The post's version", 1, version=__version__)
