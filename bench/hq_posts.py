"""Simulated posts for ``bench/hq.py``: one process drives hundreds of MQTT clients.

Each post is the real thing on the wire: its own client certificate, its own
Ed25519 key, the real uplink rules (``sync.uplink_machine.UplinkMachine``:
batching, signing, re-sends, alerts first) and the project's MQTT session
(``sync.session.Session``). Only the outbox is in memory and the I/O loop is
one selector for all the process's clients (paho 2.x driven with ``socket()``,
``loop_read``, ``loop_write`` and ``loop_misc``), so a few processes stand in
for 2,000 posts.

Event uuids are derived from (run tag, post, sequence) by :func:`event_uuid`,
so the bench can check HQ's database against what the posts made without
shipping every uuid back.

Run by ``bench/hq.py`` as ``python bench/hq_posts.py SPEC.json``; commands
arrive as JSON lines on stdin (``rate``, ``connect``, ``drain``, ``report``,
``quit``) and answers leave as JSON lines on stdout.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import random
import resource
import selectors
import sys
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import paho.mqtt.client as mqtt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from sync import topics  # noqa: E402
from sync.outbox import PRIORITY_ALERT, Epoch, OutboundEvent  # noqa: E402
from sync.session import Endpoint, Session  # noqa: E402
from sync.uplink_config import UplinkConfig  # noqa: E402
from sync.uplink_machine import Acknowledge, Action, UplinkMachine  # noqa: E402

MISC_EVERY_S = 1.0
GEN_EVERY_S = 0.02
LAZY_CHUNK = 5000
HOLD = 72 * 3600


def event_uuid(tag: str, post: str, seq: int) -> str:
    """The uuid of event ``seq`` of ``post`` in run ``tag`` (what HQ must hold, once)."""
    digest = hashlib.blake2b(f"{tag}/{post}/{seq}".encode(), digest_size=16).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def routine_payload(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A routine event as a post records it: an RPM reading or a document read."""
    if rng.random() < 0.7:
        return "rpm.reading", {
            "gamma_cps": rng.randint(90, 140),
            "neutron_cps": rng.randint(0, 3),
            "state": "background",
            "occupied": rng.random() < 0.2,
        }
    return "mrz.read", {
        "doc_type": "P",
        "country": "UTO",
        "number": f"L{rng.randint(10**7, 10**8 - 1)}",
        "surname": rng.choice(("ERIKSSON", "NOVAK", "OKAFOR", "HASSAN", "TANAKA")),
        "given_names": rng.choice(("ANNA MARIA", "JAN", "CHIDI", "LEILA", "YUKI")),
        "birth_date": f"19{rng.randint(40, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "checks_ok": True,
    }


def alert_payload(rng: random.Random) -> dict[str, Any]:
    """A watchlist alert with its hit and keys, as edge.store gives one."""
    return {
        "kind": "watchlist",
        "severity": 2,
        "summary": "Watchlist hit: ERIKSSON ANNA MARIA (person, score 0.97)",
        "hits": [
            {
                "list": "national",
                "entry_id": f"E-{rng.randint(1000, 9999)}",
                "match": "person",
                "score": round(rng.uniform(0.8, 1.0), 2),
                "reason": "wanted",
                "action": "refer",
            }
        ],
        "keys": [{"kind": "person", "surname": "ERIKSSON", "given_names": "ANNA MARIA"}],
    }


class MemoryOutbox:
    """A post's outbox in memory (``sync.outbox.OutboxSource``), with an optional backlog
    of ``lazy`` old events made only when the uplink asks for them (bounded memory)."""

    def __init__(self, tag: str, post: str, rng: random.Random, lazy: int = 0) -> None:
        self.tag, self.post, self.rng = tag, post, rng
        self.alerts: OrderedDict[int, OutboundEvent] = OrderedDict()
        self.routine: OrderedDict[int, OutboundEvent] = OrderedDict()
        self.seq = 0
        self.lazy = lazy
        self.lazy_start = time.time() - HOLD
        self.lazy_step = HOLD / max(lazy, 1)
        self.acked = 0

    def record(self, alert: bool, wall: float | None = None) -> OutboundEvent:
        """A new event (an alert or a routine one) at the end of the outbox."""
        self.seq += 1
        if alert:
            kind, prio, payload = "alert", PRIORITY_ALERT, alert_payload(self.rng)
        else:
            (kind, payload), prio = routine_payload(self.rng), 0
        e = OutboundEvent(
            self.seq, event_uuid(self.tag, self.post, self.seq), kind, prio,
            wall if wall is not None else time.time(), time.monotonic(), True,
            "lane-1", "mrz-1" if kind == "mrz.read" else "rpm-1", payload,
        )  # fmt: skip
        (self.alerts if alert else self.routine)[self.seq] = e
        return e

    def _materialise(self) -> None:
        n = min(LAZY_CHUNK, self.lazy)
        for _ in range(n):
            self.record(False, self.lazy_start + self.seq * self.lazy_step)
        self.lazy -= n

    def pending(
        self, *, limit: int, max_bytes: int, exclude: Sequence[int] = ()
    ) -> list[OutboundEvent]:
        """Alerts first, then routine events by sequence, skipping those in flight."""
        if self.lazy and len(self.routine) < limit + len(exclude):
            self._materialise()
        skip, out = set(exclude), list[OutboundEvent]()
        for box in (self.alerts, self.routine):
            for seq, e in box.items():
                if len(out) >= limit:
                    return out
                if seq not in skip:
                    out.append(e)
        return out

    def acknowledge(self, seqs: Sequence[int]) -> None:
        """HQ stored these: drop them."""
        for s in seqs:
            if self.alerts.pop(s, None) or self.routine.pop(s, None):
                self.acked += 1

    def unacknowledged(self) -> list[int]:
        """Sequences made and not yet acknowledged by HQ."""
        return [*self.alerts, *self.routine]

    def backlog(self) -> int:
        """Events not yet acknowledged (the lazy ones included)."""
        return len(self.alerts) + len(self.routine) + self.lazy

    def evicted(self) -> int:
        """Nothing is evicted here."""
        return 0


class SimPost:
    """One simulated post: a paho client (no thread), an uplink machine and an outbox."""

    def __init__(
        self, spec: dict[str, Any], broker: dict[str, Any], tag: str, delay: float
    ) -> None:
        self.id: str = spec["post"]
        self.rng = random.Random(self.id)
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(spec["sign_key"]))
        self.outbox = MemoryOutbox(tag, self.id, self.rng, spec.get("backlog", 0))
        cfg = UplinkConfig(self.id, broker["host"], broker["port"], batch_max_delay_s=delay)
        epoch = Epoch(hashlib.blake2b(f"{tag}/{self.id}".encode(), digest_size=16).digest())
        self.machine = UplinkMachine(cfg, key, epoch)
        end = Endpoint(
            broker["host"], broker["port"], True,
            Path(broker["ca"]), Path(spec["cert"]), Path(spec["key"]), 60,
        )  # fmt: skip
        self.session = Session(end, self.id)
        self.session.route(topics.ack(self.id), lambda m: self.acks.append(bytes(m.payload)))
        self.session.when_connected(self._subscribe)
        self.acks: list[bytes] = []
        self.ready = False
        self.due = 0.0

    def connect(self) -> None:
        """Connect now (TCP and TLS handshake block; the rest runs in the selector loop)."""
        e = self.session.endpoint
        self.session.client.connect(e.host, e.port, e.keepalive_s)

    def _subscribe(self) -> None:
        self.session.subscribe(topics.ack(self.id), granted=self._granted)

    def _granted(self, ok: bool) -> None:
        self.ready = ok
        if ok:
            self._do(self.machine.connected(time.monotonic(), self.session.max_packet))

    def pump(self, now: float) -> None:
        """What ``sync.uplink.Uplink`` does in one step: acks, re-sends, new batches, status."""
        m = self.machine
        acks, self.acks = self.acks, []
        for a in acks:
            self._do(m.ack(a))
        if not self.ready:
            return
        self._do(m.tick(now))
        while True:
            want = m.want()
            events: list[OutboundEvent] = []
            if want is not None:
                m.counters(self.outbox.backlog(), 0, now)
                events = self.outbox.pending(
                    limit=want.limit, max_bytes=want.max_bytes, exclude=want.exclude
                )
            actions = m.rows(events, now, time.time())
            if not actions:
                break
            self._do(actions)
        if m.status_due(now):
            self._do([m.status({}, now, time.time())])
        self.due = now + max(0.0, m.next_wakeup(now))

    def _do(self, actions: list[Action]) -> None:
        for a in actions:
            if isinstance(a, Acknowledge):
                self.outbox.acknowledge(a.seqs)
            else:
                self.session.publish(
                    a.topic, a.payload, retain=a.retain,
                    response_topic=a.response_topic, correlation=a.correlation,
                )  # fmt: skip


class Worker:
    """The selector loop over this process's posts and the command pipe."""

    def __init__(self, spec: dict[str, Any]) -> None:
        delay = spec.get("batch_delay", 0.5)
        self.posts = [SimPost(p, spec["broker"], spec["tag"], delay) for p in spec["posts"]]
        self.alert_share: float = spec.get("alert_share", 0.01)
        self.rng = random.Random(spec["tag"])
        self.sel = selectors.DefaultSelector()
        self.rate = 0.0
        self.owed = 0.0
        self.heap: list[tuple[float, int]] = []
        self.dirty: set[int] = set()
        self.writing: set[int] = set()
        self.generating = True
        self.disconnects = 0
        self.running = True
        self.drain_started: float | None = None

    def connect(self) -> None:
        """Connect every post (TLS handshakes, one after another) and watch their sockets."""
        t0 = time.monotonic()
        for i, p in enumerate(self.posts):
            p.connect()
            sock: Any = p.session.client.socket()
            self.sel.register(sock, selectors.EVENT_READ, i)
            self._flush(i)
        say({"connected": len(self.posts), "connect_s": round(time.monotonic() - t0, 2)})

    def _flush(self, i: int) -> None:
        c = self.posts[i].session.client
        if c.want_write():
            c.loop_write()
        want = c.want_write()
        if want != (i in self.writing):
            ev = selectors.EVENT_READ | (selectors.EVENT_WRITE if want else 0)
            sock: Any = c.socket()
            self.sel.modify(sock, ev, i)
            (self.writing.add if want else self.writing.discard)(i)

    def _read(self, i: int) -> None:
        c = self.posts[i].session.client
        rc = c.loop_read()
        sock = c.socket()
        while rc == mqtt.MQTT_ERR_SUCCESS and sock is not None and _pending(sock):
            rc = c.loop_read()
        if rc != mqtt.MQTT_ERR_SUCCESS:
            self._lost(i)
        self.dirty.add(i)

    def _lost(self, i: int) -> None:
        """A post's connection dropped: the bench counts it (and does not reconnect)."""
        p = self.posts[i]
        self.disconnects += 1
        p.ready = False
        p.machine.disconnected()
        sock = p.session.client.socket()
        if sock is not None:
            self.sel.unregister(sock)
        say({"lost": p.id})

    def run(self) -> None:
        """Serve until ``quit``."""
        self.sel.register(sys.stdin, selectors.EVENT_READ, -1)
        next_gen = next_misc = time.monotonic()
        while self.running:
            now = time.monotonic()
            wake = min(next_gen, next_misc, self.heap[0][0] if self.heap else now + 1)
            for key, mask in self.sel.select(max(0.0, wake - now)):
                self._event(key, mask)
            now = time.monotonic()
            if now >= next_gen:
                self._generate(now - next_gen + GEN_EVERY_S)
                next_gen = now + GEN_EVERY_S
            if now >= next_misc:
                self._misc()
                next_misc = now + MISC_EVERY_S
            self._pump_due(now)

    def _event(self, key: selectors.SelectorKey, mask: int) -> None:
        i = key.data
        if i == -1:
            self._command(sys.stdin.readline())
            return
        if mask & selectors.EVENT_READ:
            self._read(i)
        if mask & selectors.EVENT_WRITE and self.posts[i].session.client.socket() is not None:
            self._flush(i)

    def _generate(self, elapsed: float) -> None:
        if not self.generating or not self.rate:
            return
        self.owed += self.rate * elapsed
        while self.owed >= 1:
            self.owed -= 1
            i = self.rng.randrange(len(self.posts))
            self.posts[i].outbox.record(self.rng.random() < self.alert_share)
            self.dirty.add(i)

    def _misc(self) -> None:
        for i, p in enumerate(self.posts):
            if p.session.client.socket() is not None:
                p.session.client.loop_misc()
                self._flush(i)

    def _pump_due(self, now: float) -> None:
        while self.heap and self.heap[0][0] <= now:
            due, i = heapq.heappop(self.heap)
            if due == self.posts[i].due:
                self.dirty.add(i)
        dirty, self.dirty = self.dirty, set()
        for i in dirty:
            p = self.posts[i]
            p.pump(now)
            heapq.heappush(self.heap, (p.due, i))
            if p.session.client.socket() is not None:
                self._flush(i)
        if self.drain_started is not None and self.backlog() == 0:
            say({"drained": round(time.monotonic() - self.drain_started, 2)})
            self.drain_started = None

    def backlog(self) -> int:
        """Events of this process's posts not yet acknowledged by HQ."""
        return sum(p.outbox.backlog() for p in self.posts)

    def _command(self, line: str) -> None:
        if not line:
            self.running = False
            return
        cmd = json.loads(line)
        if cmd["cmd"] == "rate":
            self.rate, self.generating = float(cmd["eps"]), True
        elif cmd["cmd"] == "drain":
            self.generating = False
            self.drain_started = time.monotonic()
            self.dirty.update(range(len(self.posts)))
        elif cmd["cmd"] == "report":
            say(self.report())
        elif cmd["cmd"] == "quit":
            self.running = False

    def report(self) -> dict[str, Any]:
        """Per post: events made and acknowledged; the uplinks' counters summed."""
        stats: dict[str, int] = {}
        for p in self.posts:
            for k in ("sent_batches", "resent_batches", "acked_events", "nacks"):
                stats[k] = stats.get(k, 0) + int(p.machine.stats[k])
        return {
            "report": {p.id: p.outbox.seq for p in self.posts},
            "pending": {p.id: p.outbox.unacknowledged() for p in self.posts if p.outbox.seq},
            "backlog": self.backlog(),
            "uplink": stats,
            "disconnects": self.disconnects,
            "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "cpu_s": round(sum(os.times()[:2]), 1),
        }


def _pending(sock: Any) -> int:
    return int(sock.pending()) if hasattr(sock, "pending") else 0


def say(obj: dict[str, Any]) -> None:
    """One JSON line to the bench."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def raise_fd_limit(need: int = 0) -> int:
    """Raise this process's open-file soft limit to the hard one (children inherit it)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < need:
        raise SystemExit(f"open-file limit {hard} < {need} needed: raise it (ulimit -Hn)")
    return hard


def main() -> int:
    """Load the spec, connect every post, then serve commands."""
    raise_fd_limit(len(json.loads(Path(sys.argv[1]).read_text())["posts"]) + 50)
    spec = json.loads(Path(sys.argv[1]).read_text())
    w = Worker(spec)
    if not spec.get("wait_connect"):
        w.connect()
    else:
        line = sys.stdin.readline()  # the bench says when an offline post comes back
        if not line:
            return 0
        w.connect()
        w.drain_started = time.monotonic()
    w.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
