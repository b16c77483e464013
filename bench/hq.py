"""HQ load test: thousands of posts into PostgreSQL through the real broker and receivers.

One command, loopback only, bounded in time and memory; prints one JSON document.

* A private PostgreSQL (``initdb`` in a temporary folder, durable commits), the
  project's Mosquitto configuration (``sync.broker.run.Broker``: TLS, client
  certificates from ``sync.ca``, the dynamic-security ACL of
  ``sync.broker.dynsec`` with one role per post) and ``--receivers`` HQ
  receivers as processes (``borderpost hq run --db postgresql://…``).
* ``--posts`` simulated posts (``bench/hq_posts.py``, a few processes each
  driving hundreds of MQTT clients), each with its own certificate and Ed25519
  key, registered at HQ, connected at once, sending real signed batches by the
  real uplink rules. For ``--duration`` seconds they record ``--rate`` events/s
  in all (``--alert-share`` of them alerts); then every event made is looked up
  in PostgreSQL by uuid: 0 lost, 0 doubled.
* A post offline for ``--offline-hours`` at ``--offline-rate`` events/s comes
  back while the live load goes on: the time its backlog takes to drain, and the
  p95 of live alerts (post's recording -> HQ's store) meanwhile.
* ``--stored`` events in all (made on the server: INSERT … SELECT generate_series),
  then the console's alert page timed: ``sync.hq.web.queries.alert_page`` when it
  exists, else the HQ store's alert query (the JSON says which). The events need
  about 2 kB of disk each (indexes and WAL included): with too little free space
  the number is cut and the JSON says so.
* Peak memory of the broker, the receivers, PostgreSQL (PSS) and the load
  generator; the load average and the machine.

    .venv/bin/python bench/hq.py            # full: ~13 min; up to ~25 if HQ falls behind
    .venv/bin/python bench/hq.py --quick    # about a minute, small numbers
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentiles  # noqa: E402
from bench.hq_pg import PgServer, alert_latencies, bulk_load, check_events  # noqa: E402
from bench.hq_posts import raise_fd_limit  # noqa: E402
from sync import ca, keys  # noqa: E402
from sync.broker import run as broker_run  # noqa: E402
from sync.broker.run import Broker, Pki, free_port, make_pki  # noqa: E402
from sync.hq.store import HqStore  # noqa: E402

TARGETS = {
    "posts": 2000,
    "sustained_events_per_s": 1000,
    "sustained_s": 300,
    "lost": 0,
    "doubled": 0,
    "offline_drain_s": 600,
    "alert_latency_p95_s": 2.0,
    "alert_page_p95_ms": 300,
    "stored_events": 10_000_000,
}
# batch_delay: the posts' [sync] batch_max_delay_s, the setting docs/hq-guide.md gives a
# national network's posts (routine events wait up to 10 s to share a batch; alerts never wait)
FULL = {"posts": 2000, "rate": 1000.0, "duration": 300.0, "stored": 10_000_000,
        "offline_hours": 72.0, "offline_rate": 1.0, "workers": 4, "receivers": 2,
        "batch_delay": 10.0}  # fmt: skip
QUICK = {"posts": 100, "rate": 100.0, "duration": 20.0, "stored": 200_000,
         "offline_hours": 72.0, "offline_rate": 0.1, "workers": 1, "receivers": 2,
         "batch_delay": 2.0}  # fmt: skip
OFFLINE_POST = "bench-offline"
WINDOW_S = 10.0
WARMUP_S = 2.0  # after the batch delay, before the live figures are measured
QUEUE_SETTINGS = ("max_queued_messages", "max_inflight_messages", "max_queued_bytes")
DISK_PER_EVENT = 2200  # bytes: row, indexes, ledger and WAL, measured with 500k events
DISK_RESERVE = 5 * 2**30


class HqBroker(Broker):
    """The test broker (loopback ports, the test PKI, ``sync/broker/demo.conf``) with the
    queue limits of HQ's production broker (``sync/broker/hq.conf``): with Mosquitto's
    default of 1,000 queued messages per client, the receivers lost statuses when 2,000
    posts connected at once ("Outgoing messages are being dropped")."""

    def _write_config(self) -> Path:
        conf = super()._write_config()
        prod = (Path(broker_run.__file__).parent / "hq.conf").read_text().splitlines()
        limits = [line for line in prod if line.startswith(QUEUE_SETTINGS)]
        conf.write_text("\n".join(limits) + "\n" + conf.read_text())
        return conf


class Child:
    """A worker process of simulated posts, spoken to in JSON lines."""

    def __init__(self, spec: Path, log: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "hq_posts.py"), str(spec)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log.open("wb"),
            text=True, cwd=ROOT,
        )  # fmt: skip
        self.lines: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(json.loads(line))
                self._cond.notify_all()
        with self._cond:
            self.lines.append({"exited": self.proc.wait()})
            self._cond.notify_all()

    def send(self, cmd: str, **kw: Any) -> None:
        """A command (``rate``, ``drain``, ``report``, ``quit``; anything else: connect)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, **kw}) + "\n")
        self.proc.stdin.flush()

    def wait_for(self, key: str, timeout: float) -> dict[str, Any] | None:
        """The first line carrying ``key`` (None on timeout or if the worker exited)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if key in line or "exited" in line:
                        self.lines.remove(line)
                        return line if key in line else None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)

    def stop(self, timeout: float = 10.0) -> None:
        """Quit (then kill if it lingers)."""
        self.ask_to_quit()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def ask_to_quit(self) -> None:
        """Send ``quit`` (a worker still connecting its posts reads it afterwards)."""
        with contextlib.suppress(OSError, ValueError):
            self.send("quit")


def vm_kb(pid: int, field: str) -> int:
    """``VmRSS``/``VmHWM`` of a process, in kB (0 if it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """Every 2 s: PostgreSQL's memory (PSS, its peak kept) and the load average."""

    def __init__(self, pg: PgServer) -> None:
        super().__init__(daemon=True)
        self.pg, self.stop = pg, threading.Event()
        self.pg_peak_mb = 0.0
        self.load: list[float] = []

    def run(self) -> None:
        while not self.stop.wait(2.0):
            with contextlib.suppress(OSError, ValueError):
                self.pg_peak_mb = max(self.pg_peak_mb, self.pg.pss_mb())
            self.load.append(os.getloadavg()[0])


def post_ids(n: int) -> list[str]:
    """The simulated posts' ids."""
    return [f"bench-{i:04d}" for i in range(1, n + 1)]


def make_posts(work: Path, ids: list[str], url: str) -> tuple[Pki, dict[str, str]]:
    """Certificates (one per post) and Ed25519 keys, the posts registered at HQ."""
    pki = make_pki(work / "pki", ids)
    store = HqStore(url)
    secret: dict[str, str] = {}
    for post in ids:
        key = keys.generate()
        store.add_post(post, keys.raw_public(key.public_key()))
        secret[post] = key.private_bytes_raw().hex()
    store.close()
    return pki, secret


def start_workers(
    work: Path, pki: Pki, broker: Broker, secret: dict[str, str], groups: list[list[str]],
    tag: str, shape: dict[str, float], backlog: int,
) -> tuple[list[Child], Child]:  # fmt: skip
    """The live workers (connected) and the offline post's worker (waiting to connect)."""

    def spec(name: str, ids: list[str], extra: dict[str, Any]) -> Child:
        posts = []
        for p in ids:
            cert, key = pki.client(p)
            posts.append({"post": p, "cert": str(cert), "key": str(key), "sign_key": secret[p]})
        posts[0].update(extra.pop("first", {}))
        broker_spec = {"host": broker.host, "port": broker.port, "ca": str(pki.ca_file)}
        body = {"broker": broker_spec, "tag": tag, "posts": posts, **shape, **extra}
        path = work / f"{name}.json"
        path.write_text(json.dumps(body))
        return Child(path, work / f"{name}.log")

    live = [spec(f"worker-{i}", g, {}) for i, g in enumerate(groups)]
    offline = spec("offline", [OFFLINE_POST], {"wait_connect": True, "first": {"backlog": backlog}})
    for w in live:
        if w.wait_for("connected", 300) is None:
            raise SystemExit(f"a worker could not connect its posts; see {work}/worker-*.log")
    return live, offline


def start_receivers(work: Path, pki: Pki, broker: Broker, url: str, n: int) -> list[Any]:
    """``borderpost hq run --db URL`` processes on the broker's HQ listener."""
    procs = []
    for i in range(n):
        log = (work / f"receiver-{i}.log").open("wb")
        p = subprocess.Popen(
            [sys.executable, "-m", "edge", "hq", "run", "--db", url,
             *broker.client_args(ca.HQ_IDENTITY), "--state-dir", str(work / "hq")],
            stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT,
        )  # fmt: skip
        assert p.stdout is not None
        first = json.loads(p.stdout.readline() or "{}")
        if not first.get("connected"):
            raise SystemExit(f"receiver {i} did not connect: {first}; see {log.name}")
        procs.append(p)
    return procs


def stored_count(url: str, column: str = "events") -> int:
    """Events (or batches) HQ has stored, by its per-post counters."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT COALESCE(sum({column}), 0) FROM posts").fetchone()
    return int(row[0]) if row else 0


def settle(url: str, posts: int, timeout: float) -> float | None:
    """Wait until HQ has stored the first status of every live post (the connect storm's
    2,000 status writes per receiver), so that the live figures start from a steady HQ;
    seconds waited (None: not within ``timeout``)."""
    import psycopg

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM posts WHERE status IS NOT NULL").fetchone()
        if row and row[0] >= posts:
            return round(time.monotonic() - t0, 1)
        time.sleep(1.0)
    return None


def made_and_cpu(workers: list[Child]) -> tuple[int, float]:
    """Events the workers' posts have made so far, and the workers' CPU seconds."""
    made, cpu = 0, 0.0
    for w in workers:
        w.send("report")
        rep = w.wait_for("report", 30) or {"report": {}, "cpu_s": 0.0}
        made += sum(rep["report"].values())
        cpu += rep["cpu_s"]
    return made, cpu


def live_phase(
    url: str, workers: list[Child], rate: float, seconds: float, warmup: float
) -> dict[str, Any]:
    """``rate`` events/s: after ``warmup`` seconds (the posts' first batches are held up
    to the batch delay), ``seconds`` measured: stored events/s per 10-s window; how busy
    the load generator was (its share of a core per process)."""
    for w in workers:
        w.send("rate", eps=rate / len(workers))
    note(f"live load started; measuring after {warmup:.0f} s of warm-up")
    time.sleep(warmup)
    made0, cpu0 = made_and_cpu(workers)
    t0, start, batches = time.time(), stored_count(url), stored_count(url, "batches")
    counts, last = [], start
    while time.time() - t0 < seconds:
        time.sleep(min(WINDOW_S, max(0.0, seconds - (time.time() - t0))))
        now = stored_count(url)
        counts.append(now - last)
        last = now
        note(f"live: {now - start} events stored in {time.time() - t0:.0f} s")
    elapsed = time.time() - t0
    made1, cpu1 = made_and_cpu(workers)
    windows = [c / WINDOW_S for c in counts[:-1]] or [c / WINDOW_S for c in counts]
    return {
        "t0": t0,
        "t1": time.time(),
        "warmup_s": warmup,
        "seconds": round(elapsed, 1),
        "target_events_per_s": rate,
        "made_events_per_s": round((made1 - made0) / elapsed, 1),
        "stored_events_per_s": round((last - start) / elapsed, 1),
        "stored_events_per_s_min_10s_window": round(min(windows), 1) if windows else None,
        "hq_batches_per_s": round((stored_count(url, "batches") - batches) / elapsed, 1),
        "generator_cpu_share_per_process": round((cpu1 - cpu0) / elapsed / len(workers), 2),
        "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
    }


def hq_duplicates(url: str, post: str | None = None) -> int:
    """Events HQ received again after storing them (re-sent batches), by its counters."""
    import psycopg

    sql = "SELECT COALESCE(sum(duplicates), 0) FROM posts WHERE post_id LIKE %s"
    with psycopg.connect(url) as conn:
        row = conn.execute(sql, (post or "%",)).fetchone()
    return int(row[0]) if row else 0


def note(text: str) -> None:
    """Progress on stderr (the JSON report goes to stdout at the end)."""
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def latency_figures(values: list[float]) -> dict[str, Any]:
    """p50/p95/p99/max of latencies in seconds (reported in ms; only ``n`` when none)."""
    return percentiles([v * 1000 for v in values]) if values else {"n": 0}


def offline_phase(url: str, offline: Child, backlog: int, timeout: float) -> dict[str, Any]:
    """Bring the offline post back; time its drain while the live load goes on."""
    t0 = time.time()
    offline.send("connect")
    note(f"offline post back with {backlog} events; waiting up to {timeout:.0f} s for its drain")
    done = offline.wait_for("drained", timeout)
    t1 = time.time()
    lat = alert_latencies(url, t0, t1, exclude=OFFLINE_POST)
    return {
        "backlog_events": backlog,
        "drained": done is not None,
        "hq_duplicates": hq_duplicates(url, OFFLINE_POST),
        "drain_s": done["drained"] if done else None,
        "drain_s_with_connect": round(t1 - t0, 1),
        "live_alert_latency_during_drain": latency_figures(lat),
        "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
    }


def finish(url: str, workers: list[Child], offline: Child, timeout: float) -> dict[str, Any]:
    """Stop making events, let every outbox empty, collect what each post made."""
    for w in workers:
        w.send("drain")
    t0 = time.monotonic()
    drained = [w.wait_for("drained", t0 + timeout - time.monotonic()) for w in workers]
    made: dict[str, int] = {}
    pending: dict[str, list[int]] = {}
    out: dict[str, Any] = {"final_drain_s": round(time.monotonic() - t0, 1)}
    out["all_outboxes_empty"] = all(d is not None for d in drained)
    uplink: dict[str, int] = {}
    for w in [*workers, offline]:
        w.send("report")
        rep = w.wait_for("report", 30) or {"report": {}}
        made.update(rep["report"])
        pending.update(rep.get("pending", {}))
        for k, v in rep.get("uplink", {}).items():
            uplink[k] = uplink.get(k, 0) + v
        out.setdefault("generator", []).append(
            {k: rep.get(k) for k in ("rss_mb", "cpu_s", "disconnects", "backlog")}
        )
    out["uplink"], out["made"], out["pending"] = uplink, made, pending
    out["hq_duplicates"] = hq_duplicates(url)
    return out


def alert_page_timer(url: str) -> tuple[str, Any]:
    """The console's alert query: ``alert_page`` of the web console (newest 50 alerts, all
    posts or one) when it is installed, else the HQ store's alert query."""
    try:
        from sync.hq.migrations import open_db  # type: ignore[import-not-found,unused-ignore]
        from sync.hq.web.queries import (  # type: ignore[import-not-found,unused-ignore]
            AlertFilters,
            alert_page,
        )
    except ImportError:
        store = HqStore(url)
        return "sync.hq.store.HqStore.alerts(limit=50, post_id=...)", (
            lambda post: store.alerts(limit=50, post_id=post)
        )
    db = open_db(url)  # the console's own tables included (migration 4)
    return "sync.hq.web.queries.alert_page(db, AlertFilters(post=...), limit=50)", (
        lambda post: alert_page(db, AlertFilters(post=post or ""), limit=50)
    )


def time_alert_page(url: str, posts: list[str], runs: int) -> dict[str, Any]:
    """Latency of the newest-alerts page: across all posts, and filtered by one post."""
    name, query = alert_page_timer(url)
    out: dict[str, Any] = {"query": name}
    for label in ("all_posts", "one_post"):
        ms = []
        for i in range(runs):
            post = posts[i * 7919 % len(posts)] if label == "one_post" else None
            t0 = time.perf_counter()
            query(post)
            ms.append((time.perf_counter() - t0) * 1000)
        out[label] = percentiles(ms)
    return out


def memory(broker: Broker, receivers: list[Any], sampler: Sampler) -> dict[str, Any]:
    """Peak resident memory (MB) of the broker, each receiver, and PostgreSQL (PSS)."""
    pid = broker._proc.pid if broker._proc else 0
    return {
        "broker_peak_rss_mb": round(vm_kb(pid, "VmHWM") / 1024, 1),
        "receivers_peak_rss_mb": [round(vm_kb(p.pid, "VmHWM") / 1024, 1) for p in receivers],
        "postgresql_peak_pss_mb": sampler.pg_peak_mb,
    }


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def receiver_cost(url: str, receivers: list[Any]) -> dict[str, Any]:
    """The receivers' CPU per batch and per event HQ handled (re-sent ones included)."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT COALESCE(sum(batches), 0), COALESCE(sum(events + duplicates), 0) FROM posts"
        ).fetchone()
    batches, events = (int(row[0]), int(row[1])) if row else (0, 0)
    cpu = sum(cpu_s(p.pid) for p in receivers)
    return {
        "receivers_cpu_s": round(cpu, 1),
        "batches_handled": batches,
        "events_handled": events,
        "cpu_ms_per_batch": round(cpu * 1000 / batches, 2) if batches else None,
        "cpu_ms_per_event": round(cpu * 1000 / events, 3) if events else None,
    }


def machine(load: list[float]) -> dict[str, Any]:
    """Where the figures were measured, and how busy the machine was."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
        "load_avg_1m_during_max": round(max(load), 2) if load else None,
        "mem_total_mb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Options; ``--quick`` changes the defaults, explicit options win."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="about a minute with small numbers")
    p.add_argument("--posts", type=int, help="simulated posts (full 2000)")
    p.add_argument("--rate", type=float, help="events/s from all posts together (full 1000)")
    p.add_argument("--duration", type=float, help="seconds of live load (full 300)")
    p.add_argument("--stored", type=int, help="events stored for the alert page (full 10000000)")
    p.add_argument("--offline-hours", type=float, help="hours the offline post was away (72)")
    p.add_argument("--offline-rate", type=float, help="its events/s while away (full 1.0)")
    p.add_argument("--workers", type=int, help="load-generator processes (full 4)")
    p.add_argument("--receivers", type=int, help="HQ receiver processes (2)")
    p.add_argument("--alert-share", type=float, default=0.01, help="share of alerts (0.01)")
    p.add_argument(
        "--batch-delay", type=float,
        help="the posts' [sync] batch_max_delay_s (full 10, a national network's setting)",
    )  # fmt: skip
    p.add_argument("--page-runs", type=int, default=200, help="alert page queries timed (200)")
    p.add_argument("--no-fsync", action="store_true", help="PostgreSQL with fsync=off")
    args = p.parse_args(argv)
    for k, v in (QUICK if args.quick else FULL).items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    return args


def fit_disk(pg: PgServer, n: int) -> tuple[int, str | None]:
    """``n`` events, or fewer if the disk cannot hold them (and why)."""
    free = shutil.disk_usage(pg.base).free - DISK_RESERVE
    if n * DISK_PER_EVENT <= free:
        return n, None
    fit = max(0, free // DISK_PER_EVENT)
    return fit, f"only {fit} of {n} events stored: {free // 2**30} GiB free (2 kB each needed)"


def groups_of(ids: list[str], n: int) -> list[list[str]]:
    """``ids`` split into ``n`` nearly equal groups."""
    return [ids[i::n] for i in range(n) if ids[i::n]]


class Rig:
    """Everything the bench starts, so that one ``close`` stops it all."""

    def __init__(self) -> None:
        self.pg: PgServer | None = None
        self.broker: Broker | None = None
        self.receivers: list[Any] = []
        self.children: list[Child] = []
        self.logs: list[IO[bytes]] = []

    def close(self) -> None:
        """Stop the workers, the receivers (SIGTERM), the broker and PostgreSQL — each even
        if stopping the one before failed or was interrupted."""
        try:
            for c in self.children:
                c.ask_to_quit()
            for c in self.children:
                c.stop()
        finally:
            try:
                self._stop_receivers()
            finally:
                try:
                    if self.broker is not None:
                        self.broker.stop()
                finally:
                    if self.pg is not None:
                        self.pg.stop()

    def _stop_receivers(self) -> None:
        for p in self.receivers:
            p.terminate()
        for p in self.receivers:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()


def run(args: argparse.Namespace, work: Path, rig: Rig) -> dict[str, Any]:
    """The whole benchmark in ``work``; its JSON report."""
    ids = post_ids(args.posts)
    fds = raise_fd_limit(args.posts * 2 + 200)
    t_setup = time.monotonic()
    rig.pg = PgServer(free_port(), fsync=not args.no_fsync)
    url = rig.pg.create_db("hq")
    sampler = Sampler(rig.pg)
    sampler.start()
    pki, secret = make_posts(work, [*ids, OFFLINE_POST], url)
    rig.broker = HqBroker(work / "broker", pki).start()
    rig.receivers = start_receivers(work, pki, rig.broker, url, args.receivers)
    backlog = round(args.offline_hours * 3600 * args.offline_rate)
    tag = uuid.uuid4().hex[:8]
    live, offline = start_workers(
        work, pki, rig.broker, secret, groups_of(ids, args.workers), tag,
        {"alert_share": args.alert_share, "batch_delay": args.batch_delay}, backlog,
    )  # fmt: skip
    rig.children = [*live, offline]
    settle_s = settle(url, len(ids), 120)
    setup_s = time.monotonic() - t_setup
    note(f"{args.posts} posts connected in {setup_s:.0f} s; live load for {args.duration:.0f} s")
    steady = live_phase(url, live, args.rate, args.duration, args.batch_delay + WARMUP_S)
    steady["live_alert_latency"] = latency_figures(
        alert_latencies(url, steady.pop("t0"), steady.pop("t1"))
    )
    drain = offline_phase(url, offline, backlog, TARGETS["offline_drain_s"])
    note("stopping the posts: every outbox must empty")
    end = finish(url, live, offline, 120)
    note("checking every event made against PostgreSQL by uuid")
    check = check_events(url, tag, end.pop("made"), end.pop("pending"))
    mem = memory(rig.broker, rig.receivers, sampler)
    cost = receiver_cost(url, rig.receivers)
    for c in rig.children:
        c.ask_to_quit()
    for c in rig.children:
        c.stop()
    rig.children = []
    more, disk_note = fit_disk(rig.pg, max(0, args.stored - stored_count(url)))
    note(f"storing {more} more events, then timing the alert page")
    bulk = bulk_load(url, more, ids, args.alert_share, args.stored / max(args.rate, 1))
    page = time_alert_page(url, ids, args.page_runs)
    sampler.stop.set()
    mem["postgresql_peak_pss_mb"] = sampler.pg_peak_mb
    mem["load_generator"] = end.pop("generator")
    return {
        "benchmark": "hq",
        "mode": "quick" if args.quick else "full",
        "machine": machine(sampler.load),
        "targets": TARGETS,
        "parameters": {k: v for k, v in vars(args).items()},
        "setup_s": round(setup_s, 1),
        "first_status_of_every_post_s": settle_s,
        "open_file_limit": fds,
        "steady": steady,
        "offline_post": drain,
        "end": end,
        "check": check,
        "memory_mb": mem,
        "receiver_cost": cost,
        "stored": {**bulk, "db_disk_mb_with_wal": rig.pg.disk_mb(), "disk_note": disk_note},
        "alert_page": page,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON report."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop everything it started
    rig = Rig()
    with tempfile.TemporaryDirectory(prefix="bench-hq-") as tmp:
        try:
            report = run(args, Path(tmp), rig)
        finally:
            rig.close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
