"""SIGKILL a writer at random moments: nothing torn, no gap, nothing committed lost."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from edge.store import NewAlert, NewEvent, Store, audit
from tests.conftest import fork_and_kill

KILLS = 200


def _writer(path: Path, report_fd: int) -> None:
    """Child: write events (some with alerts) forever, reporting each committed seq."""
    store = Store.open(path)
    i = 0
    while True:
        i += 1
        alerts = [NewAlert("watchlist", f"hit {i}", hits=[{"i": i}])] if i % 5 == 0 else []
        rec = store.record(NewEvent("mrz", {"i": i, "pad": "x" * (i % 300)}, lane="1"), alerts)
        last = rec.alert_events[-1].seq if rec.alert_events else rec.event.seq
        os.write(report_fd, f"{last}\n".encode())
        if i % 7 == 0:
            store.set_setting("counter", i, "writer")


def _run_and_kill(path: Path, rng: random.Random) -> int:
    reported = fork_and_kill(lambda fd: _writer(path, fd), rng, 0.02)
    lines = [int(x) for x in reported.split("\n")[:-1] if x]
    return max(lines) if lines else 0


def test_sigkill_never_tears_or_loses_events(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    rng = random.Random(2026)
    committed = 0
    for _ in range(KILLS):
        committed = max(committed, _run_and_kill(path, rng))
    store = Store.open(path)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    seqs = [r[0] for r in store.conn.execute("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)), "sequence has a gap"
    assert len(seqs) >= committed, "an event reported committed was lost"
    for (payload,) in store.conn.execute("SELECT payload FROM events"):
        json.loads(payload)
    # every alert event has its alerts row and its cause, every event its outbox row
    orphan_alerts = store.conn.execute(
        "SELECT COUNT(*) FROM events e LEFT JOIN alerts a ON a.alert_seq = e.seq"
        " WHERE e.kind = 'alert' AND a.alert_id IS NULL"
    ).fetchone()[0]
    assert orphan_alerts == 0
    causes_without_alert = store.conn.execute(
        "SELECT COUNT(*) FROM events WHERE kind = 'mrz'"
        " AND json_extract(payload, '$.i') % 5 = 0"
        " AND seq NOT IN (SELECT event_seq FROM alerts)"
    ).fetchone()[0]
    assert causes_without_alert == 0
    assert store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == len(seqs)
    assert audit.verify(store.conn).ok
