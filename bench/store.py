"""Events committed per second with synchronous=FULL, and with NORMAL as the peer, in one run.

Each event is written exactly as the daemon writes it (event row + outbox row in
one transaction, one transaction per event). Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edge.store import NewEvent, Store

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))


def rate(synchronous: str, folder: Path) -> dict[str, float]:
    store = Store.open(folder / f"{synchronous}.db", synchronous=synchronous)
    payload = {
        "format": "TD3",
        "document_number": "L898902C3",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "checks": {"document_number": True},
    }
    count, start = 0, time.perf_counter()
    latencies = []
    while time.perf_counter() - start < SECONDS:
        t0 = time.perf_counter()
        store.record(NewEvent("mrz", payload, lane="1", device="mrz-1"))
        latencies.append(time.perf_counter() - t0)
        count += 1
    elapsed = time.perf_counter() - start
    latencies.sort()
    store.close()
    return {
        "events_per_s": round(count / elapsed, 1),
        "commit_p50_ms": round(latencies[len(latencies) // 2] * 1000, 3),
        "commit_p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 3),
    }


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        full = rate("FULL", Path(tmp))
        normal = rate("NORMAL", Path(tmp))
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
                "seconds_each": SECONDS,
                "synchronous_full": full,
                "peer_synchronous_normal": normal,
                "full_vs_normal": round(full["events_per_s"] / normal["events_per_s"], 3),
            }
        )
    )


if __name__ == "__main__":
    main()
