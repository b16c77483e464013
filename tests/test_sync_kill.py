"""The big one: SIGKILL the real daemon again and again while it records events and
drains them to a real HQ through a real Mosquitto; HQ must end with every event
exactly once and no sequence gap.

``BORDERPOST_SIGKILLS`` sets the number of kills (default 200).
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

ROOT = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("BORDERPOST_SIGKILLS", "200"))


def _config(tmp_path: Path, broker: Broker) -> Path:
    cert, key = broker.pki.client("post-01")
    text = f"""
[post]
id = "post-01"

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
    path = tmp_path / "post.toml"
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


@pytest.mark.slow
def test_sigkill_the_daemon_while_it_generates_events(tmp_path: Path, broker: Broker) -> None:
    state = tmp_path / "post"
    _priv, pub = keys.init_pair(state / keys.KEYS_DIR)
    hq = hq_store(tmp_path, {"post-01": keys.raw_public(keys.load_public(pub))})
    rx = receiver_for(hq, broker)
    rx.start()
    config = _config(tmp_path, broker)
    rng = random.Random(20261129)
    acknowledged = lives = 0
    try:
        for _ in range(KILLS):
            proc = _daemon(state, config)
            # from its start: some lives end while it imports, opens the store or connects
            timer = _kill_later(proc, rng.uniform(0.25, 0.85))
            client = _connect(state, proc)
            if client is not None:
                lives += 1
                acknowledged += _inject_until_killed(client, rng)
                client.close()
            timer.join()
            proc.wait()
        during = hq.stats()[0]["events"]
        proc = _daemon(state, config)  # the last life: let it drain
        wait_for(
            lambda: (hq.stats()[0]["max_seq"] or 0) >= len(_post_events(state)) > 0,
            timeout=120,
            what="HQ caught up",
        )
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    finally:
        rx.stop()
    post = _post_events(state)
    at_hq = [(r["seq"], r["uuid"]) for r in hq.events("post-01", limit=10**7)]
    print(
        f"{KILLS} kills, {lives} lives injected, {acknowledged} acknowledged,"
        f" {len(post)} events, {during} at HQ before the last life"
    )
    assert lives >= KILLS // 10 and len(post) >= acknowledged > 0
    assert at_hq == post  # every event, once, same identity, no gap
    assert hq.stats()[0]["missing"] == []
    assert [s for s, _ in post] == list(range(1, len(post) + 1))
