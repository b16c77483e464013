"""Chaos benchmark: broker, HQ and daemons killed and paused while events flow, and one
post's database reset; does every event reach HQ once, and is every reset reported?

Two real posts (``borderpost run`` with TLS to a real Mosquitto) record events
through their local API at a steady rate (1 in 20 an alert) while a fixed
schedule of faults runs: HQ's receiver (``borderpost hq run``) paused and
killed, the broker killed and restarted, one daemon killed, the other paused,
and post-02's ``events.db`` emptied (the daemon must refuse it; ``borderpost
database new-epoch`` starts a new epoch). Then traffic stops and the posts
drain. Prints one JSON document:

- ``produced``: events in the posts' databases (current and the one moved aside),
  ``acknowledged_by_api``: inject calls the daemons answered ok (each is committed);
- ``stored_at_hq``, ``missing`` (produced, not at HQ), ``doubled`` (rows at HQ beyond
  one per event UUID), ``stranded_by_reset`` (events not yet sent when the reset emptied
  post-02's database: its traffic stops and the bench waits, at most 60 s, until its
  outbox is empty, so 0 expected — ``reset_waited_for_drain_s`` says how long);
- ``resets``, ``resets_reported`` (HQ conflicts of kind ``seq_backwards`` /
  ``new_epoch``), ``refused_start`` (the daemon refused the emptied database),
  ``conflicts`` by kind, the load average before and after.

    .venv/bin/python bench/chaos.py [--seconds 60] [--rate 40]

About two minutes with the defaults (at most 60 s more for the drain before the reset and
90 s for the final drain).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edge.api.client import ApiClient  # noqa: E402
from sync import ca, keys  # noqa: E402
from sync.broker.run import Broker, make_pki  # noqa: E402
from sync.hq.store import HqStore  # noqa: E402

POSTS = ("post-01", "post-02")
TARGETS = {"missing": 0, "doubled": 0, "resets_unreported": 0}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "edge", *args]


class Proc:
    """A child process that can be killed, paused and started again with the same command."""

    def __init__(self, cmd: list[str], log: Path) -> None:
        self.cmd, self.log = cmd, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Proc:
        """Start (again)."""
        self.proc = subprocess.Popen(
            self.cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )  # fmt: skip
        return self

    def send(self, sig: int) -> None:
        """Send ``sig`` if it runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Signal and wait."""
        self.send(sig)
        if self.proc is not None:
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Post:
    """One post: its daemon and a thread injecting events through the API."""

    def __init__(self, work: Path, broker: Broker, post_id: str) -> None:
        self.id, self.state = post_id, work / post_id
        keys.init_pair(self.state / keys.KEYS_DIR)
        cert, key = broker.pki.client(post_id)
        self.config = work / f"{post_id}.toml"
        self.config.write_text(
            f'[post]\nid = "{post_id}"\n[broker]\nhost = "{broker.host}"\nport = {broker.port}\n'
            f'ca_file = "{broker.pki.ca_file}"\ncert_file = "{cert}"\nkey_file = "{key}"\n'
            "keepalive_s = 5\n[sync]\nbatch_max_delay_s = 0.05\nack_timeout_s = 2.0\n"
        )
        run = ("run", "--state-dir", str(self.state), "--config", str(self.config))
        self.daemon = Proc(_cli(*run, "--allow-inject"), work / f"{post_id}.log")
        self.acknowledged = 0
        self.before_reset: set[str] = set()  # the events of a database emptied by the reset
        self.stranded = 0  # of which not yet sent to HQ
        self.paused = threading.Event()
        self.stopping = threading.Event()

    @property
    def public_key(self) -> bytes:
        """The post's raw Ed25519 public key."""
        return keys.raw_public(keys.load_public(keys.post_key_paths(self.state)[1]))

    def inject(self, rate: float) -> None:
        """Record events at ``rate`` per second until stopped, reconnecting after faults."""
        client: ApiClient | None = None
        n = 0
        while not self.stopping.is_set():
            if self.paused.is_set():
                time.sleep(0.05)
                continue
            try:
                client = client or ApiClient(self.state / "api.sock", timeout=3)
                alert = n % 20 == 0
                client.call(
                    "inject", kind="rpm.alarm" if alert else "rpm.reading",
                    priority=2 if alert else 0, payload={"gamma_cps": 100 + n % 50, "n": n},
                    lane="lane-1", device="rpm-1",
                )  # fmt: skip
                self.acknowledged += 1
                n += 1
            except (OSError, ConnectionError, ValueError):
                client = None
                time.sleep(0.1)
                continue
            time.sleep(1.0 / rate)


def _wait(cond: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.2)
    return False


def _post_uuids(post: Post, unsent: bool = False) -> tuple[set[str], int]:
    """Every event UUID the post recorded (its database, and the one the reset emptied),
    and how many of the database's events wait in its outbox."""
    with sqlite3.connect(post.state / "events.db") as db:
        uuids = {u for (u,) in db.execute("SELECT uuid FROM events")}
        waiting = db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] if unsent else 0
    return uuids | post.before_reset, int(waiting)


def _reset(post: Post, work: Path) -> dict[str, Any]:
    """Stop the daemon, empty its database, check it refuses, start a new epoch, restart."""
    post.paused.set()  # traffic stops and what was recorded drains (at most 60 s): the
    # reset then measures the protocol, not the events the emptied file takes with it
    waited = time.monotonic()
    _wait(lambda: _post_uuids(post, unsent=True)[1] == 0, 60)
    waited = time.monotonic() - waited
    post.daemon.stop()
    post.before_reset, post.stranded = _post_uuids(post, unsent=True)
    (post.state / "events.db").write_bytes(b"")
    for extra in ("events.db-wal", "events.db-shm"):
        (post.state / extra).unlink(missing_ok=True)
    run = ("run", "--state-dir", str(post.state), "--config", str(post.config))
    refused = subprocess.run(_cli(*run), capture_output=True, text=True, timeout=60)
    renewed = subprocess.run(
        _cli("database", "new-epoch", "--state-dir", str(post.state)),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    post.daemon.start()
    post.paused.clear()
    return {
        "refused_start": refused.returncode != 0 and "new-epoch" in refused.stderr,
        "new_epoch_ok": renewed.returncode == 0,
        "reset_waited_for_drain_s": round(waited, 1),
    }


def _schedule(seconds: float, broker: Broker, hq: Proc, posts: list[Post], work: Path) -> Any:
    """The faults, spread over ``seconds``: (fraction of the run, name, action)."""
    a, b = posts
    outcome: dict[str, Any] = {}

    def pause(p: Proc, s: float) -> None:
        p.send(signal.SIGSTOP)
        time.sleep(s)
        p.send(signal.SIGCONT)

    def restart_broker() -> None:
        broker.kill()
        time.sleep(3)
        broker.start()

    def kill(p: Proc) -> None:
        p.stop(signal.SIGKILL)
        time.sleep(1)
        p.start()

    steps: list[tuple[float, str, Callable[[], None]]] = [
        (0.10, "hq paused 5 s", lambda: pause(hq, 5)),
        (0.25, "broker killed 3 s", restart_broker),
        (0.40, "post-01 daemon killed", lambda: kill(a.daemon)),
        (0.50, "post-02 daemon paused 4 s", lambda: pause(b.daemon, 4)),
        (0.60, "hq killed", lambda: kill(hq)),
        (0.75, "post-02 database reset", lambda: outcome.update(_reset(b, work))),
    ]
    start = time.monotonic()
    done = []
    for at, name, action in steps:
        time.sleep(max(0.0, start + at * seconds - time.monotonic()))
        action()
        done.append(name)
    time.sleep(max(0.0, start + seconds - time.monotonic()))
    return done, outcome


def run(seconds: float, rate: float) -> dict[str, Any]:
    """The scenario; returns the figures."""
    work = Path(tempfile.mkdtemp(prefix="bp-chaos-"))
    print(f"work folder: {work}", file=sys.stderr)
    pki = make_pki(work / "pki", list(POSTS))
    broker = Broker(work / "broker", pki).start()
    posts = [Post(work, broker, p) for p in POSTS]
    db = work / "hq.db"
    store = HqStore(db)
    for p in posts:
        store.add_post(p.id, p.public_key)
    store.close()
    hq_args = ("hq", "run", "--db", str(db), *broker.client_args(ca.HQ_IDENTITY))
    hq = Proc(_cli(*hq_args), work / "hq.log").start()
    for p in posts:
        p.daemon.start()
    threads = [threading.Thread(target=p.inject, args=(rate,), daemon=True) for p in posts]
    for t in threads:
        t.start()
    try:
        faults, outcome = _schedule(seconds, broker, hq, posts, work)
        for p in posts:
            p.stopping.set()
        for t in threads:
            t.join(10)
        produced = {p.id: _post_uuids(p)[0] for p in posts}
        drained = _wait(lambda: _at_hq(db) >= {u for s in produced.values() for u in s}, 90)
    finally:
        for p in posts:
            p.daemon.stop()
        hq.stop()
        broker.stop()
    return _figures(db, posts, faults, outcome, drained)


def _count_at_hq(db: Path, post_id: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(
            conn.execute("SELECT COUNT(*) FROM events WHERE post_id = ?", (post_id,)).fetchone()[0]
        )


def _at_hq(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {u for (u,) in conn.execute("SELECT uuid FROM events")}


def _figures(
    db: Path, posts: list[Post], faults: list[str], outcome: dict[str, Any], drained: bool
) -> dict[str, Any]:
    every = {u for p in posts for u in _post_uuids(p)[0]}  # after the daemons stopped
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT COUNT(*), COUNT(DISTINCT uuid) FROM events").fetchone()
        kinds = dict(conn.execute("SELECT kind, COUNT(*) FROM conflicts GROUP BY kind").fetchall())
        reported = conn.execute(
            "SELECT COUNT(*) FROM conflicts WHERE post_id = 'post-02'"
            " AND kind IN ('seq_backwards', 'new_epoch')"
        ).fetchone()[0]
    at_hq = _at_hq(db)
    return {
        "bench": "chaos",
        "faults": faults,
        "produced": len(every),
        "acknowledged_by_api": sum(p.acknowledged for p in posts),
        "stored_at_hq": int(rows[0]),
        "missing": len(every - at_hq),
        "doubled": int(rows[0]) - int(rows[1]),
        "stranded_by_reset": sum(p.stranded for p in posts),
        "per_post": {
            p.id: {
                "acknowledged_by_api": p.acknowledged,
                "produced": len(_post_uuids(p)[0]),
                "at_hq": _count_at_hq(db, p.id),
            }
            for p in posts
        },
        "drained_within_90s": drained,
        "resets": 1,
        "resets_reported": int(reported),
        "refused_start": outcome.get("refused_start"),
        "reset_waited_for_drain_s": outcome.get("reset_waited_for_drain_s"),
        "conflicts": kinds,
        "targets": TARGETS,
    }


def main() -> int:
    """Run the scenario and print the JSON document."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=60.0, help="traffic and faults (default 60)")
    p.add_argument("--rate", type=float, default=40.0, help="events per second per post")
    args = p.parse_args()
    load_before = os.getloadavg()
    started = time.monotonic()
    result = run(args.seconds, args.rate)
    result.update(
        seconds=round(time.monotonic() - started, 1),
        rate_per_post=args.rate,
        load_before=[round(x, 2) for x in load_before],
        load_after=[round(x, 2) for x in os.getloadavg()],
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    )
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
