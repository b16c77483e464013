"""Post side: follow the retained manifest, fetch missing chunks, verify, hand over.

Chunks are retained on the broker, one topic each (so HQ need not be online
for a post to fetch, and the broker, not HQ, serves many posts at once); the
post subscribes to at most ``window`` missing chunks at a time and unsubscribes once a chunk is on
disk (``<state>/wldist/v<version>/<index>``, written atomically, hash-checked),
so a cut link or a reboot costs at most the ``window`` chunks in flight.
Threads: paho's network thread only queues messages; one worker verifies,
stores and calls ``on_ready`` (which applies the list) — never the network thread.
The MQTT session is the process's one :class:`sync.session.Session` when one
is given (a post shares it with the uplink), else the fetcher's own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.session import Endpoint, Session
from sync.uplink_config import UplinkConfig
from sync.wldist import manifest as mf
from sync.wldist.channel import WATCHLIST, Channel
from sync.wldist.trust import Crl, Refused, verify_crl

log = logging.getLogger("sync.wldist")
DIR: Final = WATCHLIST.state_name
PENDING: Final = "pending.msg"
Ready = Callable[[mf.Manifest, list[Path]], None]
RefusedCb = Callable[[str, str, dict[str, Any]], None]


def chunk_files(directory: Path, m: mf.Manifest) -> list[Path]:
    """The chunk files of ``m`` in order."""
    return [directory / str(i) for i in range(len(m.chunks))]


def verify_whole(files: list[Path], m: mf.Manifest) -> None:
    """Raise :class:`Refused` unless the chunks decompress to ``m``'s size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    for path in files:
        raw = mf.decompress_chunk(path.read_bytes())
        digest.update(raw)
        size += len(raw)
        if size > m.raw_size:
            raise Refused("chunk_oversized", "the update is larger than its manifest says")
    if size != m.raw_size or digest.hexdigest() != m.raw_sha256:
        raise Refused("chunk_corrupt", "the whole update does not match its manifest's SHA-256")


class Fetcher:
    """Fetch and verify list updates for one post; see the module docstring."""

    def __init__(
        self,
        conn: UplinkConfig,
        state_dir: Path,
        root: Ed25519PublicKey,
        current: Callable[[], int],
        on_ready: Ready,
        on_refused: RefusedCb,
        window: int = 4,
        session: Session | None = None,
        channel: Channel = WATCHLIST,
    ) -> None:
        self.conn, self.root, self.current, self.channel = conn, root, current, channel
        self.on_ready, self.on_refused, self.window = on_ready, on_refused, window
        self.dir = state_dir / channel.state_name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.stats: dict[str, Any] = {
            "chunk_bytes": 0,
            "chunks": 0,
            "applied": 0,
            "refused": 0,
            "last_manifest_at": None,
            "fetching": None,
            "last_refusal": None,
        }
        self._q: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self._active: mf.Manifest | None = None
        self._asked: set[int] = set()
        self._refused: set[tuple[str, str]] = set()
        self._bad: set[str] = set()
        self._active_digest = ""
        self._crl = self._load_crl()
        self._own_session = session is None
        self.session = session or Session(Endpoint.of(conn), f"post-{conn.post_id}-{channel.name}")
        self.session.route(f"{channel.prefix}/#", self._on_message)
        self.session.when_connected(self._on_connect)
        self._thread = threading.Thread(target=self._run, name=f"dist-{channel.name}", daemon=True)

    # -- life cycle -------------------------------------------------------------

    def start(self) -> None:
        """Resume a transfer left on disk and connect in the background."""
        pending = self.dir / PENDING
        if pending.exists():
            self._q.put((self.channel.manifest_topic, pending.read_bytes()))
        if self._own_session:
            self.session.start()
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop the worker, and an own session (a transfer resumes at the next start)."""
        self._q.put(None)
        if self._own_session:
            self.session.stop(timeout)
        self._thread.join(timeout)

    def state(self) -> dict[str, Any]:
        """Counters for status: bytes and chunks received, applied, refused."""
        return dict(self.stats)

    # -- MQTT (paho's thread) ---------------------------------------------------

    def _on_message(self, msg: mqtt.MQTTMessage) -> None:
        self._q.put((msg.topic, bytes(msg.payload)))

    def _on_connect(self) -> None:
        self._follow(resend=self._active is None)
        self._q.put(("connected", b""))

    def _follow(self, resend: bool, topic: str = "") -> None:
        """Subscribe to a manifest topic; its retained copy only when ``resend``.

        During a transfer a reconnect does not fetch the manifest again (MQTT v5
        retain handling 2); once the transfer ends the latest one is fetched anew.
        """
        topic = topic or self.channel.manifest_topic
        self.session.subscribe(topic, retain_handling=0 if resend else 2)

    # -- worker -----------------------------------------------------------------

    def _run(self) -> None:
        while (item := self._q.get()) is not None:
            topic, payload = item
            try:
                self._handle(topic, payload)
            except Refused as exc:
                self._refuse(exc, self._active)
            except Exception:
                log.exception("%s update step failed", self.channel.name)

    def _handle(self, topic: str, payload: bytes) -> None:
        if topic == "connected":
            self._asked.clear()
            self._ask()
        elif topic in (self.channel.manifest_topic, self.channel.snapshot_topic):
            self._on_manifest(payload, from_snapshot=topic == self.channel.snapshot_topic)
        elif (where := self.channel.chunk_of(topic)) is not None:
            self._on_chunk(topic, where, payload)

    def _on_manifest(self, payload: bytes, from_snapshot: bool = False) -> None:
        if not payload:
            return
        try:
            m, crl = mf.parse_message(payload, self.root, time.time(), self._crl, self.channel)
        except Refused as exc:
            self._refuse(exc, None, payload)
            return
        self._keep_crl(crl)
        self.stats["last_manifest_at"] = time.time()
        if not m.for_post(self.conn.post_id):
            raise_for = Refused("other_post", f"manifest {m.version} is for {', '.join(m.posts)}")
            self._refuse(raise_for, m)
            return
        self._consider(m, payload, from_snapshot)

    def _consider(self, m: mf.Manifest, payload: bytes, from_snapshot: bool) -> None:
        current = self.current()
        if m.version < current and from_snapshot:
            return  # an older retained snapshot, kept for posts further behind
        if m.version < current:
            self._refuse(Refused("rollback", f"version {m.version} is older than {current}"), m)
            return
        if m.version == current:
            return
        if m.kind == "delta" and m.previous != current:
            self._follow(True, self.channel.snapshot_topic)  # the latest snapshot fits instead
            return
        if self._active is not None and self._active.version >= m.version:
            return
        if _digest(payload) in self._bad:
            return
        self._begin(m, payload)

    def _begin(self, m: mf.Manifest, payload: bytes) -> None:
        self._drop_transfer(keep=f"v{m.version}")
        self._active, self._active_digest = m, _digest(payload)
        self.stats["fetching"] = m.version
        (self.dir / f"v{m.version}").mkdir(parents=True, exist_ok=True)
        _write(self.dir / PENDING, payload, sync=True)
        self._check_disk(m)
        self._ask()

    def _check_disk(self, m: mf.Manifest) -> None:
        """Delete chunk files left by an earlier run that do not match (torn writes)."""
        for info, path in zip(m.chunks, chunk_files(self.dir / f"v{m.version}", m), strict=True):
            if path.exists() and _digest(path.read_bytes()) != info.sha256:
                path.unlink()

    def _missing(self, m: mf.Manifest) -> list[int]:
        d = self.dir / f"v{m.version}"
        return [i for i, p in enumerate(chunk_files(d, m)) if not p.exists()]

    def _ask(self) -> None:
        m = self._active
        if m is None:
            return
        missing = self._missing(m)
        if not missing:
            self._finish(m)
            return
        for i in missing:
            if len(self._asked) >= self.window:
                break
            if i not in self._asked:
                self._asked.add(i)
                self.session.subscribe(self.channel.chunk_topic(m.version, i))

    def _on_chunk(self, topic: str, where: tuple[int, int], payload: bytes) -> None:
        m = self._active
        version, index = where
        if m is None or not payload or version != m.version:
            return
        if index not in self._asked or index >= len(m.chunks):
            return
        self.stats["chunk_bytes"] += len(payload)
        self.stats["chunks"] += 1
        self.session.unsubscribe(topic)
        self._asked.discard(index)
        info = m.chunks[index]
        if len(payload) > info.size:
            raise Refused("chunk_oversized", f"chunk {index}: {len(payload)} > {info.size} bytes")
        if hashlib.sha256(payload).hexdigest() != info.sha256:
            raise Refused("chunk_corrupt", f"chunk {index}: SHA-256 does not match the manifest")
        _write(self.dir / f"v{m.version}" / str(index), payload)
        self._ask()

    def _finish(self, m: mf.Manifest) -> None:
        files = chunk_files(self.dir / f"v{m.version}", m)
        verify_whole(files, m)
        self.on_ready(m, files)
        self.stats["applied"] += 1
        self._drop_transfer()
        self.session.unsubscribe(self.channel.snapshot_topic)
        self._follow(True)

    # -- refusals and disk state --------------------------------------------------

    def _refuse(self, exc: Refused, m: mf.Manifest | None, payload: bytes = b"") -> None:
        key = (exc.code, _digest(payload) if payload else self._active_digest)
        if m is not None and m is self._active:
            self._bad.add(self._active_digest)
            self._drop_transfer()
            self._follow(True)
        if key in self._refused:
            return
        self._refused.add(key)
        self.stats["refused"] += 1
        self.stats["last_refusal"] = {"code": exc.code, "message": exc.message}
        log.warning("%s update refused: %s", self.channel.name, exc)
        details = {"version": m.version, "key_id": m.key_id} if m else {}
        self.on_refused(exc.code, exc.message, details)

    def _drop_transfer(self, keep: str = "") -> None:
        for i in self._asked:
            if self._active is not None:
                self.session.unsubscribe(self.channel.chunk_topic(self._active.version, i))
        self._asked.clear()
        self._active = None
        self.stats["fetching"] = None
        (self.dir / PENDING).unlink(missing_ok=True)
        for old in self.dir.glob("v*"):
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)

    def _load_crl(self) -> Crl | None:
        path = self.dir / "crl.json"
        try:
            return verify_crl(json.loads(path.read_text()), self.root) if path.exists() else None
        except (Refused, ValueError):
            return None

    def _keep_crl(self, crl: Crl | None) -> None:
        if crl is not None and (self._crl is None or crl.serial > self._crl.serial):
            self._crl = crl
            _write(self.dir / "crl.json", json.dumps(crl.raw).encode(), sync=True)


def _digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _write(path: Path, data: bytes, sync: bool = False) -> None:
    """Write atomically; chunks skip fsync (they are hash-checked when a transfer resumes)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        if sync:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
