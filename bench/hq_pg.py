"""PostgreSQL for ``bench/hq.py``: a private server, a bulk load by COPY, memory, checks.

The server is made with ``initdb`` in a temporary folder and listens on a free
loopback port only (as ``tests/sync_testkit.py::postgres_server`` does, but
with durable commits: ``fsync`` stays on unless asked otherwise).
"""

from __future__ import annotations

import calendar
import contextlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.hq_posts import alert_payload, event_uuid, routine_payload

EVENT_COLUMNS = (
    "post_id, epoch, seq, uuid, kind, priority, wall_time, mono_time, clock_synced,"
    " lane, device, payload, received, batch_id"
)
BULK_EPOCH = "b" * 32
COPY_ROWS = 50_000


def _pg_tool(name: str) -> str | None:
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else shutil.which(name)


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PgServer:
    """A throw-away PostgreSQL server on ``127.0.0.1:port`` (user ``bp``, no password)."""

    def __init__(self, port: int, *, fsync: bool = True) -> None:
        initdb, self.pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
        if not initdb or not self.pg_ctl:
            raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.base = Path(tempfile.mkdtemp(prefix="bench-hq-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
        self.data, self.port = self.base / "data", port
        subprocess.run(
            _as_postgres([initdb, "-D", str(self.data), "-U", "bp", "-A", "trust"]),
            check=True,
            capture_output=True,
        )
        opts = (
            f"-p {port} -k {self.base} -c listen_addresses=127.0.0.1 -c max_connections=200"
            f" -c shared_buffers=512MB -c max_wal_size=8GB -c fsync={'on' if fsync else 'off'}"
        )
        log = str(self.base / "log")
        subprocess.run(
            _as_postgres([self.pg_ctl, "-D", str(self.data), "-l", log, "-o", opts, "-w", "start"]),
            check=True,
            capture_output=True,
        )
        self.server_url = f"postgresql://bp@127.0.0.1:{port}"

    def create_db(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"{self.server_url}/{name}"

    def pids(self) -> list[int]:
        """The postmaster and its children."""
        head = int((self.data / "postmaster.pid").read_text().split()[0])
        kids = Path(f"/proc/{head}/task/{head}/children").read_text().split()
        return [head, *map(int, kids)]

    def pss_mb(self) -> float:
        """Memory of all the server's processes, shared buffers counted once (PSS)."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        return round(total / 1024, 1)

    def disk_mb(self) -> float:
        """Size of the data folder."""
        return round(sum(f.stat().st_size for f in self.data.rglob("*") if f.is_file()) / 2**20)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        subprocess.run(
            _as_postgres([str(self.pg_ctl), "-D", str(self.data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def check_events(url: str, tag: str, made: dict[str, int]) -> dict[str, Any]:
    """Compare HQ's events with what the posts made: lost, doubled, foreign (by uuid)."""
    import psycopg

    seen: dict[str, int] = {}
    doubled = foreign = 0
    with psycopg.connect(url) as conn, conn.cursor(name="check") as cur:
        cur.itersize = 20_000
        cur.execute("SELECT post_id, seq, uuid FROM events WHERE epoch <> %s", (BULK_EPOCH,))
        for post, seq, uid in cur:
            if post not in made or seq > made[post] or str(uid) != event_uuid(tag, post, seq):
                foreign += 1
            elif seen.get(post, 0) >= made[post]:
                doubled += 1
            else:
                seen[post] = seen.get(post, 0) + 1
    stored = sum(seen.values())
    return {
        "made": sum(made.values()),
        "stored": stored,
        "lost": sum(made.values()) - stored,
        "doubled": doubled,
        "foreign": foreign,
    }


def alert_latencies(url: str, since: float, until: float, exclude: str = "") -> list[float]:
    """Seconds from an alert's recording at its post to HQ storing it, for alerts made in
    [since, until) (``exclude``: a post left out, e.g. the one draining its backlog)."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT received - wall_time FROM events WHERE priority >= 2 AND wall_time >= %s"
            " AND wall_time < %s AND post_id <> %s AND epoch <> %s",
            (since, until, exclude, BULK_EPOCH),
        ).fetchall()
    return [float(r[0]) for r in rows]


def _payload_pool(rng: random.Random, alert: bool, n: int = 500) -> list[tuple[str, str]]:
    """``n`` (kind, payload JSON) pairs to draw bulk events from."""
    out = []
    for _ in range(n):
        kind, body = ("alert", alert_payload(rng)) if alert else routine_payload(rng)
        out.append((kind, json.dumps(body, separators=(",", ":"))))
    return out


def _bulk_rows(
    start: int, n: int, total: int, posts: list[str], share: float, first: float, last: float
) -> Iterator[str]:
    """COPY text lines of bulk events start..start+n of ``total``, received evenly from
    ``first`` to ``last``, round-robin over ``posts``."""
    rng = random.Random(start)
    routine, alerts = _payload_pool(rng, False), _payload_pool(rng, True)
    step, np = (last - first) / max(total, 1), len(posts)
    for k in range(start, start + n):
        alert = rng.random() < share
        kind, body = rng.choice(alerts if alert else routine)
        got = first + k * step
        yield (
            f"{posts[k % np]}\t{BULK_EPOCH}\t{k // np + 1}\tb0000000-0000-4000-8000-{k:012x}\t"
            f"{kind}\t{2 if alert else 0}\t{got - 0.4:.6f}\t{k * 0.001:.3f}\t1\t"
            f"lane-1\trpm-1\t{body}\t{got:.6f}\tbulk{k // 100:08x}\n"
        )


def _window(span: float) -> tuple[float, float]:
    """(first, last) receive times of the bulk: the ``span`` seconds before now, cut at the
    start of this month (HQ's receivers made this month's partitions, not older ones)."""
    now = time.time()
    month = time.gmtime(now)
    start = calendar.timegm((month.tm_year, month.tm_mon, 1, 0, 0, 0))
    return max(now - span, start + 1.0), now - 1.0


def bulk_load(url: str, n: int, posts: list[str], share: float, span: float) -> dict[str, Any]:
    """COPY ``n`` events (``share`` of them alerts) of ``posts`` into HQ's events table and,
    when the schema has it, their keys into the ``event_keys`` ledger."""
    import psycopg

    first, last = _window(span)
    t0 = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        reg = cur.execute("SELECT to_regclass('event_keys')").fetchone()
        keys = bool(reg and reg[0])
        for start in range(0, n, COPY_ROWS):
            rows = list(_bulk_rows(start, min(COPY_ROWS, n - start), n, posts, share, first, last))
            with cur.copy(f"COPY events ({EVENT_COLUMNS}) FROM STDIN") as copy:
                copy.write("".join(rows))
            if keys:
                with cur.copy(
                    "COPY event_keys (post_id, epoch, seq, uuid, received) FROM STDIN"
                ) as c:
                    c.write("".join(_key_line(r) for r in rows))
        load_s = time.monotonic() - t0
        cur.execute("ANALYZE")
        total = cur.execute("SELECT count(*) FROM events").fetchone()
        alerts = cur.execute("SELECT count(*) FROM events WHERE priority >= 2").fetchone()
    return {
        "loaded": n,
        "with_event_keys": keys,
        "received_span_s": round(last - first),
        "events_in_db": int(total[0]) if total else 0,
        "alerts_in_db": int(alerts[0]) if alerts else 0,
        "load_s": round(load_s, 1),
        "rows_per_s": round(n / load_s) if load_s else None,
        "analyze_s": round(time.monotonic() - t0 - load_s, 1),
    }


def _key_line(row: str) -> str:
    f = row.split("\t", 13)
    return f"{f[0]}\t{f[1]}\t{f[2]}\t{f[3]}\t{f[12]}\n"
