"""bench/hq.py end to end with a handful of posts: the load test's own plumbing works.

Real PostgreSQL (skipped when its server binaries are missing), real Mosquitto with
TLS and the dynamic-security ACL, real ``borderpost hq run`` receivers, simulated posts
sending signed batches; every event made must be in HQ's database exactly once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_quick_hq_bench_loses_and_doubles_nothing() -> None:
    pytest.importorskip("psycopg")
    if not sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hq.py"), "--quick", "--posts", "4",
         "--rate", "40", "--duration", "3", "--stored", "3000", "--offline-hours", "1",
         "--offline-rate", "0.5", "--page-runs", "5", "--alert-share", "0.2", "--no-fsync"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout)
    check = report["check"]
    assert check["made"] > 1800 + 100  # the offline post's 1,800 and the live posts' events
    assert (check["lost"], check["doubled"], check["foreign"]) == (0, 0, 0)
    assert check["stored"] == check["made"]
    assert report["offline_post"]["drained"] and report["end"]["all_outboxes_empty"]
    assert report["stored"]["events_in_db"] >= 3000
    assert report["alert_page"]["all_posts"]["n"] == 5
    assert report["memory_mb"]["broker_peak_rss_mb"] > 0
