"""Events committed per second with synchronous=FULL: one commit per event vs group commit.

Both sides write each event exactly as the daemon does (event row + outbox
row, ``edge.store.store.insert_event``) with ``synchronous=FULL``, in the
same run. The peer is the old path: one thread, one ``BEGIN IMMEDIATE`` …
``COMMIT`` (one fsync) per event. Group commit: ``WRITERS`` threads call
``Store.record`` at once; the store's writer thread commits whatever is
waiting together, and each call returns only once its event is on disk.
Commit latency is from the call to its return. Targets: ≥ 3× the peer's
events/s, commit p99 ≤ 10 ms. Prints one JSON object.

    .venv/bin/python bench/store.py        (BENCH_SECONDS=3 WRITERS=8 BENCH_DIR=…)
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edge.store import NewEvent, Store
from edge.store.db import connect
from edge.store.store import insert_event

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
WRITERS = int(os.environ.get("WRITERS", "8"))
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
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    conn.close()
    return summary(latencies, elapsed)


def group_commit(path: Path) -> dict[str, Any]:
    """``WRITERS`` threads recording at once through the store's one writer."""
    store = Store.open(path)
    per_thread: list[list[float]] = [[] for _ in range(WRITERS)]
    start = time.perf_counter()

    def produce(out: list[float]) -> None:
        while time.perf_counter() - start < SECONDS:
            t0 = time.perf_counter()
            store.record(EVENT)
            out.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=produce, args=(out,)) for out in per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    stats = store.writer_stats
    store.close()
    result: dict[str, Any] = summary([x for out in per_thread for x in out], elapsed)
    result.update(
        writers=WRITERS, groups=stats.groups, events_per_fsync=round(stats.jobs / stats.groups, 2)
    )
    return result


def main() -> None:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        peer = one_commit_per_event(Path(tmp) / "peer.db")
        grouped = group_commit(Path(tmp) / "grouped.db")
    ratio = grouped["events_per_s"] / peer["events_per_s"]
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
                "group_commit": grouped,
                "peer_one_commit_per_event": peer,
                "speedup": round(ratio, 2),
                "targets": {"speedup": TARGET_RATIO, "commit_p99_ms": TARGET_P99_MS},
                "met": ratio >= TARGET_RATIO and grouped["commit_p99_ms"] <= TARGET_P99_MS,
            }
        )
    )


if __name__ == "__main__":
    main()
