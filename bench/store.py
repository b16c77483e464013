"""Events committed per second with synchronous=FULL: one commit per event vs group commit.

Both sides write each event exactly as the daemon does (event row + outbox
row, ``edge.store.store.insert_event``) with ``synchronous=FULL``, in the
same run. The peer is the old path: one thread, one ``BEGIN IMMEDIATE`` …
``COMMIT`` (one fsync) per event, the event's name indexed in that
transaction as the old per-event trigger did. Group commit: one producer (as the daemon's
loop) keeps ``IN_FLIGHT`` events submitted to the store's writer thread,
which commits whatever is waiting together and resolves each event's future
only once it is on disk. Commit latency is from submission to resolution
(the peer's: from ``BEGIN`` to the end of ``COMMIT``). Group commit runs
once per depth in ``IN_FLIGHT`` (how many events the producer keeps queued:
a busier lane queues more). Targets: ≥ 3× the peer's events/s with commit
p99 ≤ 10 ms, at some depth. Prints one JSON object.

    .venv/bin/python bench/store.py        (BENCH_SECONDS=3 IN_FLIGHT=8,16,32,64 BENCH_DIR=…)
"""

from __future__ import annotations

import collections
import json
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edge.store import NewEvent, Recorded, Store
from edge.store.db import connect
from edge.store.store import index_new_names, insert_event

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
IN_FLIGHT = [int(n) for n in os.environ.get("IN_FLIGHT", "8,16,32,64").split(",")]
TARGET_RATIO = 3.0
TARGET_P99_MS = 10.0
EVENT = NewEvent(
    "mrz",
    {
        "format": "TD3",
        "document_number": "L898902C3",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "checks": {"document_number": True},
    },
    lane="1",
    device="mrz-1",
)


def summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    """Events/s and commit latency percentiles."""
    latencies.sort()
    return {
        "events": len(latencies),
        "events_per_s": round(len(latencies) / elapsed, 1),
        "commit_p50_ms": round(latencies[len(latencies) // 2] * 1000, 3),
        "commit_p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 3),
    }


def one_commit_per_event(path: Path) -> dict[str, float]:
    """The old path: each event its own transaction on the caller's connection."""
    conn = connect(path).conn
    latencies: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        insert_event(conn, EVENT)
        index_new_names(conn)
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    conn.close()
    return summary(latencies, elapsed)


def group_commit(path: Path, depth: int) -> dict[str, Any]:
    """One producer keeps ``IN_FLIGHT`` events queued to the store's writer, as the daemon's
    loop does; each event's latency runs from its submission to its future resolving."""
    store = Store.open(path)
    latencies: list[float] = []
    in_flight: collections.deque[Future[Recorded]] = collections.deque()
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        if len(in_flight) >= depth:
            in_flight.popleft().result()
        in_flight.append(_timed(store.submit_record(EVENT), latencies))
    for future in in_flight:
        future.result()
    elapsed = time.perf_counter() - start
    stats = store.writer_stats
    store.close()
    result: dict[str, Any] = summary(latencies, elapsed)
    per_fsync = round(stats.jobs / stats.groups, 2)
    result.update(in_flight=depth, groups=stats.groups, events_per_fsync=per_fsync)
    return result


def _timed(future: Future[Recorded], latencies: list[float]) -> Future[Recorded]:
    """Note when the writer resolves ``future`` (right after its commit)."""
    submitted = time.perf_counter()
    future.add_done_callback(lambda _: latencies.append(time.perf_counter() - submitted))
    return future


def main() -> None:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        peer = one_commit_per_event(Path(tmp) / "peer.db")
        runs = [group_commit(Path(tmp) / f"grouped-{d}.db", d) for d in IN_FLIGHT]
    for run in runs:
        run["speedup"] = round(run["events_per_s"] / peer["events_per_s"], 2)
    within = [r for r in runs if r["commit_p99_ms"] <= TARGET_P99_MS] or [runs[0]]
    best = max(within, key=lambda r: r["speedup"])
    print(
        json.dumps(
            {
                "bench": "store",
                "machine": {
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "cpus": os.cpu_count(),
                    "system": platform.platform(),
                },
                "load_before": [round(x, 2) for x in load_before],
                "load_after": [round(x, 2) for x in os.getloadavg()],
                "seconds_each": SECONDS,
                "synchronous": "FULL",
                "group_commit": runs,
                "peer_one_commit_per_event": peer,
                "best_within_p99_target": {
                    "in_flight": best["in_flight"],
                    "speedup": best["speedup"],
                },
                "targets": {"speedup": TARGET_RATIO, "commit_p99_ms": TARGET_P99_MS},
                "met": best["speedup"] >= TARGET_RATIO and best["commit_p99_ms"] <= TARGET_P99_MS,
            }
        )
    )


if __name__ == "__main__":
    main()
