"""HQ's figures for Prometheus, served on ``/metrics`` (docs/operations.md).

``borderpost hq run`` serves them when ``BORDERPOST_HQ_METRICS`` names an address
(``127.0.0.1:9465``). Everything is read when Prometheus scrapes, on the server's thread:
the receiver's counters (what this process stored, ignored, refused) and HQ's database
(per post: events, the last batch's age, the backlog the post reported, missing ranges,
conflicts, and the health the post last reported — lanes protected, list stale, clock).
With the posts' own status on HQ, one Prometheus watching HQ sees the whole fleet, even
posts it cannot reach.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any, Final

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from sync import metrics as metrics_http
from sync.hq.receiver import Receiver
from sync.hq.store import HqStore

ENV: Final = "BORDERPOST_HQ_METRICS"


def serve(receivers: Sequence[Receiver], store: HqStore) -> HqMetrics | None:
    """Serve ``/metrics`` when ``BORDERPOST_HQ_METRICS`` is set (None otherwise, or on error)."""
    return metrics_http.serve(ENV, lambda: HqMetrics(receivers, store))


class HqMetrics(Collector):
    """HQ's registry: every figure read at scrape time."""

    def __init__(self, receivers: Sequence[Receiver], store: HqStore) -> None:
        self.receivers = receivers  # one per broker, all in this process
        self.store = store
        self.registry = CollectorRegistry(auto_describe=True)
        self.registry.register(self)

    def collect(self) -> Iterator[Metric]:
        """The receiver's counters, then the posts' figures from the database."""
        yield from receiver_metrics(self.receivers)
        posts = self.store.posts()
        yield from post_metrics(self.store.stats(), {p["post_id"]: p for p in posts})
        yield from health_metrics(posts)
        yield from conflict_metrics(self.store)


def receiver_metrics(receivers: Sequence[Receiver]) -> Iterator[Metric]:
    """What this receiver process stored, ignored as duplicates and refused; connected to
    every broker, and to each."""
    counts: dict[str, int] = {}
    for ingest in {id(r.ingest): r.ingest for r in receivers}.values():
        for key, n in ingest.counts.items():
            counts[key] = counts.get(key, 0) + n
    for key, doc in (
        ("stored", "Events stored by this receiver"),
        ("duplicates", "Events already stored, ignored"),
        ("rejected", "Batches refused (bad signature, unknown post, malformed)"),
    ):
        family = CounterMetricFamily(f"borderpost_hq_{key}", doc)
        family.add_metric([], float(counts.get(key, 0)))
        yield family
    up = GaugeMetricFamily("borderpost_hq_connected", "1 when the receiver is on every broker")
    up.add_metric([], float(all(r.connected.is_set() for r in receivers)))
    yield up
    each = GaugeMetricFamily(
        "borderpost_hq_broker_connected", "1 when the receiver is on this broker", labels=["broker"]
    )
    for r in receivers:
        each.add_metric([f"{r.config.host}:{r.config.port}"], float(r.connected.is_set()))
    yield each


POST_FIGURES: Final = (
    ("events", "borderpost_hq_post_events", "Events HQ holds from the post"),
    ("alerts", "borderpost_hq_post_alerts", "Alerts HQ holds from the post"),
    ("max_seq", "borderpost_hq_post_max_seq", "Highest sequence HQ holds"),
    ("missing_count", "borderpost_hq_post_missing", "Sequences missing below it"),
    ("backlog", "borderpost_hq_post_backlog", "Outbox backlog the post last reported"),
    ("rejected", "borderpost_hq_post_rejected", "Batches refused from the post, ever"),
    ("evicted_at_post", "borderpost_hq_post_evicted", "Events the post's disk cap dropped"),
)


def post_metrics(stats: list[dict[str, Any]], posts: dict[str, dict[str, Any]]) -> Iterator[Metric]:
    """Per post: the counters of ``hq stats`` and the seconds since its last batch / status."""
    families = {
        key: GaugeMetricFamily(name, doc, labels=["post"]) for key, name, doc in POST_FIGURES
    }
    seen = GaugeMetricFamily(
        "borderpost_hq_post_last_seen_age_seconds", "Since the post's last batch", labels=["post"]
    )
    status = GaugeMetricFamily(
        "borderpost_hq_post_status_age_seconds", "Since the post's last status", labels=["post"]
    )
    now = time.time()
    for row in stats:
        post = str(row["post_id"])
        for key, family in families.items():
            family.add_metric([post], float(row.get(key) or 0))
        info = posts.get(post, {})
        seen.add_metric([post], _age(now, info.get("last_seen")))
        status.add_metric([post], _age(now, info.get("status_at")))
    yield from (*families.values(), seen, status)


def _age(now: float, then: float | None) -> float:
    return float("nan") if then is None else max(0.0, now - float(then))


def health_metrics(posts: list[dict[str, Any]]) -> Iterator[Metric]:
    """What each post last reported of itself: lanes protected, list stale, clock synced."""
    lanes = GaugeMetricFamily(
        "borderpost_hq_post_lane_protected", "1 when the lane's RPM runs", labels=["post", "lane"]
    )
    stale = GaugeMetricFamily(
        "borderpost_hq_post_watchlist_stale", "1 when the post's list is stale", labels=["post"]
    )
    clock = GaugeMetricFamily(
        "borderpost_hq_post_clock_synced", "1 when the post's clock is synced", labels=["post"]
    )
    for p in posts:
        post, reported = str(p["post_id"]), p.get("status") or {}
        for lane, info in (reported.get("lanes") or {}).items():
            protected = isinstance(info, dict) and bool(info.get("protected"))
            lanes.add_metric([post, str(lane)[:16]], float(protected))
        if "watchlist_stale" in reported:
            stale.add_metric([post], float(bool(reported["watchlist_stale"])))
        if "clock_synced" in reported:
            clock.add_metric([post], float(bool(reported["clock_synced"])))
    yield from (lanes, stale, clock)


def conflict_metrics(store: HqStore) -> Iterator[Metric]:
    """Recorded conflicts by post and kind (new epoch, sequences reused …) and stale gaps."""
    family = GaugeMetricFamily(
        "borderpost_hq_conflicts", "Conflicts recorded, by post and kind", labels=["post", "kind"]
    )
    tally: dict[tuple[str, str], int] = {}
    for row in store.conflicts(limit=100_000):
        key = (str(row["post_id"]), str(row["kind"]))
        tally[key] = tally.get(key, 0) + 1
    for (post, kind), n in sorted(tally.items()):
        family.add_metric([post, kind], float(n))
    yield family
