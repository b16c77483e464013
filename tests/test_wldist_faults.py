"""Watchlist distribution under faults: a link cut many times, a reboot, an apply killed."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)
from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sync_testkit import broker, pki, wait_for  # noqa: F401
from wldist_kit import Hq, Post, record

from edge.watchlist.db import Watchlist
from sync.broker.run import Broker, free_port

REPO = Path(__file__).resolve().parents[1]


class CuttingProxy:
    """A TCP proxy that drops each connection after a random number of bytes to the client."""

    def __init__(self, upstream: tuple[str, int], lo: int, hi: int, cuts: int) -> None:
        self.upstream, self.lo, self.hi, self.cuts_left = upstream, lo, hi, cuts
        self.down_bytes = 0
        self.cuts = 0
        self.port = free_port()
        self._srv = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._srv.accept()
            except OSError:
                return
            up = socket.create_connection(self.upstream)
            budget = random.randint(self.lo, self.hi) if self.cuts_left > 0 else 1 << 60
            self.cuts_left -= 1
            threading.Thread(target=self._pump, args=(client, up, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(up, client, [budget]), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, budget: list[int] | None) -> None:
        try:
            while data := src.recv(4096):
                if budget is not None:
                    data = data[: budget[0]]
                    budget[0] -= len(data)
                    self.down_bytes += len(data)
                dst.sendall(data)
                if budget is not None and budget[0] <= 0:
                    self.cuts += 1
                    break
        except OSError:
            pass
        for s in (src, dst):
            s.close()

    def close(self) -> None:
        """Stop accepting."""
        self._srv.close()


def _noisy(n: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    return [{**record(i), "category": f"{rng.getrandbits(120):030x}"} for i in range(n)]


def test_transfer_cut_many_times_and_rebooted_completes(tmp_path: Path, broker: Broker) -> None:
    hq = Hq(tmp_path, broker)
    plan = hq.publish(_noisy(6000), raw_chunk=4096)
    total = sum(len(c) for c in plan.chunks)
    proxy = CuttingProxy((broker.host, broker.port), total // 10, total // 5, cuts=6)
    post = Post(tmp_path, broker, hq.root_pub, port=proxy.port, window=4).start()
    try:
        wait_for(lambda: post.fetcher.stats["chunks"] > len(plan.chunks) // 2, 60, "half")
        post.stop()  # a reboot half-way: chunks on disk are kept
        received = post.fetcher.stats["chunk_bytes"]
        post = Post(tmp_path, broker, hq.root_pub, port=proxy.port, window=4).start()
        wait_for(lambda: post.wl.version == 1, 90, "update applied after cuts")
    finally:
        post.stop()
        proxy.close()
    assert proxy.cuts >= 3
    assert len(post.ids()) == 6000
    chunk_bytes = received + post.fetcher.stats["chunk_bytes"]
    assert chunk_bytes <= 1.1 * total, (chunk_bytes, total)
    print(f"update {total} B, chunks {chunk_bytes} B, wire {proxy.down_bytes} B, {proxy.cuts} cuts")


_APPLY = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from edge.watchlist.db import Watchlist
from edge.watchlist_sync import apply_update
from sync.wldist.fetch import chunk_files
from sync.wldist.manifest import parse_message
from sync.keys import load_public
d = Path(sys.argv[1])
m, _ = parse_message((d / "msg").read_bytes(), load_public(Path(sys.argv[2])), time.time(), None)
wl = Watchlist.open(d / "watchlist.db")
print("applying", flush=True)
apply_update(wl, m, chunk_files(d / "chunks", m))
print("done", flush=True)
"""


def test_apply_killed_half_way_leaves_old_version(tmp_path: Path, broker: Broker) -> None:
    hq = Hq(tmp_path, broker)
    plan = hq.plan([record(i) for i in range(60000)])
    (tmp_path / "chunks").mkdir()
    for i, c in enumerate(plan.chunks):
        (tmp_path / "chunks" / str(i)).write_bytes(c)
    (tmp_path / "msg").write_bytes(plan.message)
    wl = Watchlist.open(tmp_path / "watchlist.db")
    before = wl.version
    proc = subprocess.Popen(
        [sys.executable, "-c", _APPLY, str(tmp_path), str(hq.root_pub), str(REPO)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "applying"
    time.sleep(random.uniform(0.2, 0.6))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.stdout.read().strip() != "done", "apply finished before the kill; raise n"
    wl.close()
    wl = Watchlist.open(tmp_path / "watchlist.db")
    assert wl.version == before
    assert wl.conn().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert wl.conn().execute("SELECT count(*) FROM entries").fetchone()[0] == 0
