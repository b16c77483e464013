"""The headless demo: a whole post for 60 s — broker, HQ, simulators, daemon — nothing missing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import borderpost

from edge.demo import run as demo_run


def test_headless_demo_loses_nothing(tmp_path: Path) -> None:
    result = borderpost(
        "demo",
        "--headless",
        "--duration",
        "60",
        "--json",
        "--rate",
        "2",
        "--story",  # the default rates raise a few alerts an hour: the story raises them at once
        "--dir",
        str(tmp_path / "demo"),
        timeout=400,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    summary = json.loads(result.stdout)
    assert summary["missing_at_hq"] == 0
    assert summary["acknowledged_by_hq"] == summary["events"] > 50
    kinds = summary["events_by_kind"]
    for kind in ("mrz", "barcode", "rpm.occupancy", "alert"):
        assert kinds.get(kind, 0) > 0, kinds
    assert summary["alerts"] > 0 and summary["backlog"] == 0
    # while traffic ran every simulated device was connected (stopping them afterwards faults them)
    faulty = {name: state for name, state in summary["devices"].items() if state != "ok"}
    assert summary["devices"] and not faulty, summary["devices"]
    assert "HQ console: http://127.0.0.1:" in result.stderr  # `hq web` answered (issue 23)
    post = tmp_path / "demo" / "post"
    assert f"Post: borderpost status --state-dir {post}, borderpost tui" in result.stderr
    _story_arrived_whole(tmp_path / "demo")


def _story_arrived_whole(demo: Path) -> None:
    """The story's first travellers and scans all reached the post — none was sent before the
    daemon had opened its port (a serial port is flushed on open: they would be lost)."""
    blocks = (demo / "data" / "travellers.mrz").read_text().split("\n\n")[:5]
    scans = (demo / "data" / "scans.txt").read_text().splitlines()[:4]
    with sqlite3.connect(demo / "post" / "events.db") as db:
        rows = db.execute(
            "SELECT payload FROM events WHERE kind IN ('mrz', 'barcode') ORDER BY seq LIMIT 40"
        ).fetchall()
    read = [json.loads(payload) for (payload,) in rows]
    assert [b.splitlines() for b in blocks] == [p["raw"] for p in read if "raw" in p][:5]
    assert scans == [p["text"] for p in read if "text" in p][:4]


def test_the_demo_stops_its_children_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Children that ignore SIGTERM share one grace, then are killed: four take about one grace,
    not four (stopped one after another, a demo once outlived the 30 s its closing test allows)."""
    monkeypatch.setattr(demo_run, "STOP_GRACE", 1.0)
    deaf = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print(1, flush=True); time.sleep(60)"
    )
    children = []
    for n in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", deaf], stdout=subprocess.PIPE, start_new_session=True
        )
        assert proc.stdout is not None and proc.stdout.readline()  # its handler is in place
        children.append(demo_run.Child(f"deaf-{n}", proc, tmp_path / f"deaf-{n}.log"))
    started = time.monotonic()
    demo_run._terminate(children)
    took = time.monotonic() - started
    assert [c.proc.returncode for c in children] == [-9] * 4
    assert 1.0 <= took < 3.0, took
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.killpg(child.proc.pid, 0)
