"""PostgreSQL for ``bench/hq.py``: a private server, a bulk load, memory, checks.

The server is made with ``initdb`` in a temporary folder and listens on a free
loopback port only (as ``tests/sync_testkit.py::postgres_server`` does, but
with durable commits: ``fsync`` stays on unless asked otherwise).
"""

from __future__ import annotations

import calendar
import concurrent.futures
import contextlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.hq_posts import alert_payload, event_uuid, routine_payload

EVENT_COLUMNS = (
    "post_id, epoch, seq, uuid, kind, priority, wall_time, mono_time, clock_synced,"
    " lane, device, payload, received, batch_id"
)
BULK_EPOCH = "b" * 32
BULK_CHUNK = 250_000


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


def check_events(
    url: str, tag: str, made: dict[str, int], pending: dict[str, list[int]]
) -> dict[str, Any]:
    """Compare HQ's events with what the posts made (by uuid): ``lost`` are events neither
    in HQ's database nor still in their post's outbox; ``doubled`` are stored twice;
    ``foreign`` match no event made."""
    import psycopg

    seen = {post: bytearray(n + 1) for post, n in made.items()}
    doubled = foreign = 0
    with psycopg.connect(url) as conn, conn.cursor(name="check") as cur:
        cur.itersize = 20_000
        cur.execute("SELECT post_id, seq, uuid FROM events WHERE epoch <> %s", (BULK_EPOCH,))
        for post, seq, uid in cur:
            marks = seen.get(post)
            if marks is None or seq > made[post] or str(uid) != event_uuid(tag, post, seq):
                foreign += 1
            elif marks[seq]:
                doubled += 1
            else:
                marks[seq] = 1
    stored = sum(sum(m) for m in seen.values())
    at_posts = sum(1 for p, seqs in pending.items() for q in seqs if not seen[p][q])
    return {
        "made": sum(made.values()),
        "stored": stored,
        "still_in_post_outboxes": at_posts,
        "lost": sum(made.values()) - stored - at_posts,
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


def _window(span: float) -> tuple[float, float]:
    """(first, last) receive times of the bulk: the ``span`` seconds before now, cut at the
    start of this month (HQ's receivers made this month's partitions, not older ones)."""
    now = time.time()
    month = time.gmtime(now)
    start = calendar.timegm((month.tm_year, month.tm_mon, 1, 0, 0, 0))
    return max(now - span, start + 1.0), now - 1.0


SECONDARY_INDEXES = """
SELECT i.indexname, i.indexdef FROM pg_indexes i
JOIN pg_class c ON c.relname = i.indexname
LEFT JOIN pg_constraint k ON k.conindid = c.oid
LEFT JOIN pg_inherits h ON h.inhrelid = c.oid
WHERE i.tablename = ANY(%s) AND k.oid IS NULL AND h.inhrelid IS NULL
"""


def _drop_secondary_indexes(cur: Any, tables: list[str]) -> list[str]:
    """Drop the indexes of ``tables`` that back no constraint; their definitions, to build
    them again after the load (a sorted build is far quicker than 10 M inserts each)."""
    found = cur.execute(SECONDARY_INDEXES, (tables,)).fetchall()
    for name, _ in found:
        cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [d.replace(" ON ONLY ", " ON ") for _, d in found]


BULK_INSERT = f"""
INSERT INTO events ({EVENT_COLUMNS})
SELECT (%(posts)s::text[])[1 + g %% %(np)s], %(epoch)s, g / %(np)s + 1,
    'b0000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'),
    CASE WHEN a THEN 'alert' ELSE (%(kinds)s::text[])[1 + g %% %(nk)s] END,
    CASE WHEN a THEN 2 ELSE 0 END, %(first)s + g * %(step)s - 0.4, g * 0.001, 1,
    'lane-1', 'rpm-1',
    CASE WHEN a THEN (%(alerts)s::text[])[1 + g %% %(na)s]
        ELSE (%(bodies)s::text[])[1 + g %% %(nk)s] END,
    %(first)s + g * %(step)s, 'bulk' || lpad(to_hex(g / 100), 8, '0')
FROM (SELECT g, random() < %(share)s AS a FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g) s
"""
BULK_KEYS = """
INSERT INTO event_keys (post_id, epoch, seq, uuid, received)
SELECT (%(posts)s::text[])[1 + g %% %(np)s], %(epoch)s, g / %(np)s + 1,
    'b0000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'), %(first)s + g * %(step)s
FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
"""


def _fill(url: str, chunks: list[tuple[int, int]], args: dict[str, Any], keys: bool) -> None:
    """Insert the bulk events of ``chunks`` (ranges of event numbers) on one connection."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for lo, hi in chunks:
            conn.execute(BULK_INSERT, {**args, "lo": lo, "hi": hi})
            if keys:
                conn.execute(BULK_KEYS, {**args, "lo": lo, "hi": hi})


def _generate(url: str, n: int, posts: list[str], share: float, keys: bool, span: float) -> None:
    """``n`` events made on the server (generate_series), on two connections at once."""
    first, last = _window(span)
    rng = random.Random(n)
    routine = _payload_pool(rng, False)
    args = {
        "posts": posts, "np": len(posts), "epoch": BULK_EPOCH, "share": share,
        "kinds": [k for k, _ in routine], "bodies": [b for _, b in routine], "nk": len(routine),
        "alerts": [b for _, b in _payload_pool(rng, True)], "na": 500,
        "first": first, "step": (last - first) / max(n, 1),
    }  # fmt: skip
    chunks = [(lo, min(lo + BULK_CHUNK, n) - 1) for lo in range(0, n, BULK_CHUNK)]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(_fill, url, chunks[i::2], args, keys) for i in range(2)]:
            done.result()  # a failure in either connection stops the bench


def bulk_load(url: str, n: int, posts: list[str], share: float, span: float) -> dict[str, Any]:
    """Store ``n`` events (``share`` of them alerts) of ``posts`` in HQ's events table and,
    when the schema has it, their keys in the ``event_keys`` ledger: made on the server by
    INSERT … SELECT over generate_series (several times quicker here than COPY from Python:
    15k rows/s), the secondary indexes dropped for the load and built again from HQ's own
    definitions."""
    import psycopg

    first, last = _window(span)
    t0 = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        reg = cur.execute("SELECT to_regclass('event_keys')").fetchone()
        keys = bool(reg and reg[0])
        indexes = _drop_secondary_indexes(cur, ["events", "event_keys"])
        _generate(url, n, posts, share, keys, span)
        load_s = time.monotonic() - t0
        cur.execute("SET maintenance_work_mem = '512MB'")
        for definition in indexes:
            cur.execute(definition)
        index_s = time.monotonic() - t0 - load_s
        cur.execute("ANALYZE")
        total = cur.execute("SELECT count(*) FROM events").fetchone()
        alerts = cur.execute("SELECT count(*) FROM events WHERE priority >= 2").fetchone()
        size = cur.execute("SELECT pg_database_size(current_database())").fetchone()
    return {
        "loaded": n,
        "with_event_keys": keys,
        "received_span_s": round(last - first),
        "events_in_db": int(total[0]) if total else 0,
        "alerts_in_db": int(alerts[0]) if alerts else 0,
        "db_bytes_per_event": round(int(size[0]) / max(1, int(total[0])))
        if size and total
        else None,
        "load_s": round(load_s, 1),
        "rows_per_s": round(n / load_s) if load_s else None,
        "indexes_rebuilt": len(indexes),
        "index_build_s": round(index_s, 1),
        "analyze_s": round(time.monotonic() - t0 - load_s - index_s, 1),
    }
