"""Helpers for the watchlist distribution tests: an HQ publisher and a post fetcher."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sync_testkit import hq_store, post_toml, receiver_for, uplink_config

from edge.watchlist.db import Watchlist
from edge.watchlist_sync import apply_in_child, apply_update
from sync import ca, keys
from sync.broker.run import Broker
from sync.hq.receiver import Receiver
from sync.hq.store import HqStore
from sync.wldist import manifest as mf
from sync.wldist import publish as pub
from sync.wldist.fetch import Fetcher
from sync.wldist.hq_client import BrokerTarget, Sender
from sync.wldist.trust import issue_cert


def record(i: int, tag: str = "") -> dict[str, Any]:
    """A valid document entry of the jsonl format."""
    return {
        "id": f"D-{i}",
        "kind": "document",
        "number": f"X{i:08d}",
        "issuer": "UTO",
        "doc_type": "P",
        "category": f"stolen{tag}",
    }


def jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """Write ``records`` as JSON Lines."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def target(broker: Broker, port: int | None = None) -> BrokerTarget:
    """HQ's connection to ``broker``."""
    cert, key = broker.pki.client(ca.HQ_IDENTITY)
    return BrokerTarget(broker.host, port or broker.hq_port, True, broker.pki.ca_file, cert, key)


class Hq:
    """An HQ with a root key and a certified publishing key."""

    def __init__(self, tmp: Path, broker: Broker) -> None:
        self.dir, self.broker = tmp / "hq", broker
        self.root_key_file, self.root_pub = pub.root_init(tmp / "root")
        pub.publisher_init(self.root_key_file, self.dir, 30)

    @property
    def root(self) -> Ed25519PrivateKey:
        """The root private key."""
        return keys.load_private(self.root_key_file)

    def plan(self, records: list[dict[str, Any]], **kw: Any) -> pub.Plan:
        """Build the next version without publishing."""
        state = pub.HqState(self.dir)
        lines = pub.read_list(jsonl(self.dir.parent / "list.jsonl", records))
        kw.setdefault("expires_days", 7)
        kw.setdefault("posts", [])
        delta = kw.pop("delta", False)
        old = state.current() if delta else {}
        return pub.build(lines, state.load(), old, pub.Signer.load(self.dir), delta=delta, **kw)

    def publish(self, records: list[dict[str, Any]], **kw: Any) -> pub.Plan:
        """Build and publish the next version; record it."""
        plan = self.plan(records, **kw)
        state = pub.HqState(self.dir)
        with Sender(target(self.broker)) as s:
            new = pub.send_plan(plan, state.load(), s.send)
        lines = pub.read_list(self.dir.parent / "list.jsonl")
        state.save(new, lines)
        return plan

    def send(self, topic: str, payload: bytes) -> None:
        """Publish one retained message as HQ."""
        with Sender(target(self.broker)) as s:
            s.send(topic, payload, True)

    def foreign_cert(self) -> dict[str, Any]:
        """A certificate for the publishing key signed by another root."""
        other = keys.generate()
        signer = pub.Signer.load(self.dir)
        now = time.time()
        return issue_cert(other, signer.key.public_key(), now - 60, now + 3600)


class Post:
    """A post's fetcher applying to a real watchlist file."""

    def __init__(
        self,
        tmp: Path,
        broker: Broker,
        root_pub: Path,
        post: str = "post-01",
        port: int | None = None,
        window: int = 4,
        child: bool = False,
    ) -> None:
        self.child = child
        self.dir = tmp / post
        self.dir.mkdir(parents=True, exist_ok=True)
        self.wl = Watchlist.open(self.dir / "watchlist.db")
        cfg = uplink_config(broker, post)
        if port is not None:
            from dataclasses import replace

            cfg = replace(cfg, port=port)
        self.refusals: list[tuple[str, str]] = []
        self.applied = threading.Event()
        self.apply_window = (0.0, 0.0)
        self.fetcher = Fetcher(
            cfg,
            self.dir,
            keys.load_public(root_pub),
            lambda: self.wl.version,
            self._apply,
            lambda c, m, _d: self.refusals.append((c, m)),
            window=window,
        )

    def _apply(self, m: mf.Manifest, files: list[Path]) -> None:
        self.apply_window = (time.monotonic(), 0.0)
        if self.child:
            apply_in_child(self.wl.path, m, files)
        else:
            apply_update(self.wl, m, files)
        self.apply_window = (self.apply_window[0], time.monotonic())
        self.applied.set()

    def start(self) -> Post:
        """Start fetching."""
        self.fetcher.start()
        return self

    def stop(self) -> None:
        """Stop fetching."""
        self.fetcher.stop()

    def ids(self) -> set[str]:
        """Entry ids in force."""
        return {r[0] for r in self.wl.conn().execute("SELECT entry_id FROM entries")}


@dataclass
class PostAndHq:
    """A post's state folder and configuration trusting ``hq``'s lists, HQ's database with the
    post registered, and HQ's receiver running (stop it)."""

    hq: Hq
    state: Path
    config: Path
    hq_db: HqStore
    receiver: Receiver


def post_and_hq(tmp_path: Path, broker: Broker) -> PostAndHq:
    """post-01's keys and configuration on ``broker``, and an HQ that publishes and receives."""
    hq = Hq(tmp_path, broker)
    state = tmp_path / "state"
    _, pub_file = keys.init_pair(state / "keys")
    hq_db = hq_store(tmp_path, {"post-01": keys.raw_public(keys.load_public(pub_file))})
    receiver = receiver_for(hq_db, broker)
    receiver.start()
    config = tmp_path / "post.toml"
    trust = f'\n[sync]\nstatus_interval_s = 1\n\n[watchlist]\nroot_key_file = "{hq.root_pub}"\n'
    config.write_text(post_toml(broker, "post-01", trust))
    return PostAndHq(hq, state, config, hq_db, receiver)


def post_events(state: Path, kind: str) -> list[dict[str, Any]]:
    """The payloads of the post's stored events of ``kind``, in order."""
    with sqlite3.connect(state / "events.db") as db:
        rows = db.execute("SELECT payload FROM events WHERE kind = ? ORDER BY seq", (kind,))
        return [json.loads(p) for (p,) in rows.fetchall()]
