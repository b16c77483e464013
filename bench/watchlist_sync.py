"""Watchlist distribution benchmark: snapshot publish-to-in-force, delta under screening load.

Prints one JSON document: an N-entry snapshot (default 1,000,000) from
``publish`` at HQ to in force at a post through a real loopback Mosquitto
(TLS, client certificates, retained chunks); then a 10,000-change delta
applied while 50 screenings/s run against the same list file, with the
screening p99 before (the peer), during publish-to-in-force and during the
post's apply transaction itself. HQ and the post share this one process (and
its GIL) for the snapshot; the delta is published by the CLI in its own
process, and its publish-to-in-force includes HQ's diff of the two lists;
``delta_apply_at_post_s`` is the post's transaction alone; and bytes on the wire
(chunks + manifest) per changed entry.

    .venv/bin/python bench/watchlist_sync.py [--entries 1000000] [--changes 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from wldist_kit import Hq, Post, record  # noqa: E402

from edge.watchlist.screen import Screener  # noqa: E402
from sync.broker.run import Broker, make_pki  # noqa: E402


def entry(i: int, tag: str = "") -> dict[str, Any]:
    """A document or a person entry."""
    if i % 2:
        return record(i, tag)
    return {
        "id": f"P-{i}",
        "kind": "person",
        "birth_date": "1970-01-01",
        "names": [{"surname": f"SURNAME{i % 50000}{tag}", "given_names": f"GIVEN{i % 977}"}],
        "category": "wanted",
    }


def screen_load(
    wl: Any, rate: float, stop: threading.Event, out: list[tuple[float, float]]
) -> None:
    """``rate`` screenings per second (document + person keys); latencies into ``out``."""
    screener = Screener(wl, referral=0.9, decide=0.7)
    rng = random.Random(1)
    while not stop.is_set():
        i = rng.randrange(10**6)
        keys = [
            {"kind": "document", "number": f"X{i:08d}", "issuer": "UTO", "type": "P"},
            {
                "kind": "person",
                "surname": f"SURNAME{i % 50000}",
                "given_names": "GIVEN1",
                "birth_date": None,
                "nationality": None,
                "sex": None,
            },
        ]
        t = time.perf_counter()
        screener.check(keys)
        out.append((time.monotonic(), time.perf_counter() - t))
        time.sleep(max(0.0, 1 / rate - (time.perf_counter() - t)))


def p99(samples: list[tuple[float, float]], lo: float = 0, hi: float = 1e18) -> float:
    """99th percentile in ms of the latencies of screenings started in [lo, hi]."""
    xs = sorted(d for t, d in samples if lo <= t <= hi)
    return round(1000 * xs[min(len(xs) - 1, int(0.99 * len(xs)))], 2) if xs else 0.0


def publish_cli(hq: Hq, broker: Broker, records: list[dict[str, Any]]) -> dict[str, Any]:
    """``borderpost watchlist publish --delta`` in a child process; its JSON summary."""
    from sync import ca

    path = hq.dir.parent / "list.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    cmd = [
        sys.executable,
        "-m",
        "edge",
        "watchlist",
        "publish",
        str(path),
        "--delta",
        "--hq-state-dir",
        str(hq.dir),
        *broker.client_args(ca.HQ_IDENTITY),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main() -> None:
    """Run and print JSON."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--changes", type=int, default=10_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wlbench"))
    broker = Broker(tmp / "broker", make_pki(tmp / "pki", ("post-01",))).start()
    load_before = [round(x, 2) for x in os.getloadavg()]
    try:
        result = run(tmp, broker, args.entries, args.changes)
        result["load_before"] = load_before  # figures taken on a busy machine are noisy
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(result, indent=2))
    finally:
        broker.stop()


def run(tmp: Path, broker: Broker, n: int, changes: int) -> dict[str, Any]:
    """The measurements."""
    hq = Hq(tmp, broker)
    records = [entry(i) for i in range(n)]
    post = Post(tmp, broker, hq.root_pub, child=True).start()  # as the daemon applies
    t0 = time.monotonic()
    snap = hq.publish(records)
    t_pub = time.monotonic() - t0
    while post.wl.version != 1:
        time.sleep(0.05)
    t_snap = time.monotonic() - t0
    lat: list[tuple[float, float]] = []
    stop = threading.Event()
    th = threading.Thread(target=screen_load, args=(post.wl, 50, stop, lat), daemon=True)
    th.start()
    time.sleep(5)
    before = list(lat)
    lat.clear()
    for i in random.Random(2).sample(range(n), changes):
        records[i] = entry(i, "C")
    post.applied.clear()
    t1 = time.monotonic()
    delta = publish_cli(hq, broker, records)  # HQ in its own process, as in production
    post.applied.wait(600)
    t_delta = time.monotonic() - t1
    time.sleep(0.5)
    stop.set()
    th.join()
    post.stop()
    wire = int(delta["bytes"])  # compressed chunks; the manifest is a few KB more
    return {
        "snapshot_entries": n,
        "snapshot_bytes": sum(len(c) for c in snap.chunks),
        "snapshot_chunks": len(snap.chunks),
        "snapshot_publish_s": round(t_pub, 2),
        "snapshot_publish_to_in_force_s": round(t_snap, 2),
        "snapshot_target_s": 300,
        "delta_changes": changes,
        "delta_publish_to_in_force_s": round(t_delta, 2),
        "delta_target_s": 10,
        "screening_rate_per_s": 50,
        "screening_p99_ms_before": p99(before),
        "delta_apply_at_post_s": round(post.apply_window[1] - post.apply_window[0], 2),
        "screening_p99_ms_during_delta": p99(lat),
        "screening_p99_ms_during_apply": p99(lat, *post.apply_window),
        "screenings_during_apply": len([t for t, _ in lat if t >= post.apply_window[0]]),
        "delta_wire_bytes": wire,
        "wire_bytes_per_changed_entry": round(wire / changes, 1),
        "machine": {
            "platform": platform.platform(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
    }


if __name__ == "__main__":
    main()
