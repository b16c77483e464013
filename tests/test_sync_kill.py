"""The big one: SIGKILL the real daemon again and again while it records events and
drains them to a real HQ through a real Mosquitto; HQ must end with every event
exactly once and no sequence gap.

``BORDERPOST_SIGKILLS`` sets the number of kills (default 200, shared by two
posts whose daemons are killed side by side).
"""
# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sync_testkit import broker, hq_store, pki, receiver_for, wait_for  # noqa: F401

from edge.api.client import ApiClient
from sync import keys
from sync.broker.run import Broker
from sync.hq.store import HqStore

ROOT = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("BORDERPOST_SIGKILLS", "200"))


def _config(tmp_path: Path, broker: Broker, post_id: str) -> Path:
    cert, key = broker.pki.client(post_id)
    text = f"""
[post]
id = "{post_id}"

[broker]
host = "{broker.host}"
port = {broker.port}
tls = true
ca_file = "{broker.pki.ca_file}"
cert_file = "{cert}"
key_file = "{key}"
keepalive_s = 5

[sync]
batch_max_events = 200
batch_max_delay_s = 0.02
ack_timeout_s = 1.0
"""
    path = tmp_path / f"{post_id}.toml"
    path.write_text(text)
    return path


def _daemon(state: Path, config: Path) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "edge",
        "run",
        "--state-dir",
        str(state),
        "--config",
        str(config),
        "--allow-inject",
    ]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _connect(state: Path, proc: subprocess.Popen[bytes]) -> ApiClient | None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            return ApiClient(state / "api.sock", timeout=5)
        except OSError:
            time.sleep(0.01)
    return None


def _inject_until_killed(client: ApiClient, rng: random.Random) -> int:
    done = 0
    try:
        while True:
            alert = rng.random() < 0.05
            client.call(
                "inject",
                kind="rpm.reading",
                priority=2 if alert else 0,
                payload={"gamma_cps": rng.randint(90, 140), "state": "background"},
                lane="lane-1",
                device="rpm-1",
            )
            done += 1
    except (OSError, ConnectionError, ValueError):
        return done


def _kill_later(proc: subprocess.Popen[bytes], delay: float) -> threading.Timer:
    timer = threading.Timer(delay, lambda: os.kill(proc.pid, signal.SIGKILL))
    timer.start()
    return timer


def _post_events(state: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(state / "events.db") as db:
        return [
            (int(s), str(u)) for s, u in db.execute("SELECT seq, uuid FROM events ORDER BY seq")
        ]


class Post:
    """One post's daemon, killed ``kills`` times in its own thread."""

    def __init__(self, tmp_path: Path, broker: Broker, post_id: str, seed: int) -> None:
        self.post_id = post_id
        self.state = tmp_path / post_id
        _priv, pub = keys.init_pair(self.state / keys.KEYS_DIR)
        self.raw_key = keys.raw_public(keys.load_public(pub))
        self.config = _config(tmp_path, broker, post_id)
        self.rng = random.Random(seed)
        self.lives = self.acknowledged = 0
        self.error: BaseException | None = None

    def kill_loop(self, kills: int) -> None:
        """Start the daemon and SIGKILL it, ``kills`` times."""
        try:
            for life in range(kills):
                self._life(starting=life % 4 == 3)
        except BaseException as exc:  # reported by the test thread
            self.error = exc

    def _life(self, starting: bool) -> None:
        proc = _daemon(self.state, self.config)
        if starting:  # a quarter die starting: importing, opening the store, connecting
            timer, client = _kill_later(proc, self.rng.uniform(0.05, 0.8)), None
        else:  # the others while events are injected as fast as the API takes them
            client = _connect(self.state, proc)
            timer = _kill_later(proc, self.rng.uniform(0.01, 0.3))
        if client is not None:
            self.lives += 1
            self.acknowledged += _inject_until_killed(client, self.rng)
            client.close()
        timer.join()
        proc.wait()


@pytest.mark.slow
@pytest.mark.timeout(900)  # ~2 min alone on 2 cores; daemon start-up dominates under load
def test_sigkill_the_daemon_while_it_generates_events(tmp_path: Path, broker: Broker) -> None:
    """Two posts side by side (KILLS in all), so the loop fits the suite's time budget."""
    posts = [Post(tmp_path, broker, p, seed) for seed, p in enumerate(("post-01", "post-02"))]
    hq = hq_store(tmp_path, {p.post_id: p.raw_key for p in posts})
    rx = receiver_for(hq, broker)
    rx.start()
    try:
        threads = [threading.Thread(target=p.kill_loop, args=(KILLS // 2,)) for p in posts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(p.error is None for p in posts), [p.error for p in posts]
        during = sum(s["events"] for s in hq.stats())
        procs = [_daemon(p.state, p.config) for p in posts]  # the last lives: let them drain
        for p in posts:
            wait_for(lambda p=p: _caught_up(hq, p), timeout=120, what=f"HQ caught up {p.post_id}")
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    finally:
        rx.stop()
    for p, stats in zip(posts, hq.stats(), strict=True):
        post = _post_events(p.state)
        at_hq = [(r["seq"], r["uuid"]) for r in hq.events(p.post_id, limit=10**7)]
        print(
            f"{p.post_id}: {KILLS // 2} kills, {p.lives} lives injected, {p.acknowledged}"
            f" acknowledged, {len(post)} events; {during} at HQ before the last lives"
        )
        assert p.lives >= KILLS // 4 and len(post) >= p.acknowledged > 0
        assert at_hq == post  # every event, once, same identity, no gap
        assert stats["missing"] == [] and stats["max_seq"] == len(post)
        assert [s for s, _ in post] == list(range(1, len(post) + 1))


def _caught_up(hq: HqStore, p: Post) -> bool:
    stats = {s["post_id"]: s for s in hq.stats()}[p.post_id]
    return bool(stats["max_seq"] >= len(_post_events(p.state)) > 0)
