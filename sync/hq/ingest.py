"""What HQ does with one message from the broker, without the broker (sans-IO).

``Ingest.batch(topic, payload)`` verifies a post's batch against its
registered key, stores it idempotently and returns the acknowledgement to
send (the receiver does the two halves apart: ``verify`` each message as it
comes, ``store_verified`` the batches waiting in one transaction); a refused
batch is logged (once per burst), recorded in ``rejects`` and answered with
``ok: false`` — it never reaches the events table. A batch with a conflict
(sequences HQ holds under other events) is answered
``ok: false, error: conflict``: HQ acknowledges only what it stored. New
epochs, conflicts and gaps held open too long are logged as warnings.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync import topics, wire
from sync.hq.store import (
    STALE_GAP_S,
    HqStore,
    HqStoreError,
    IncomingBatch,
    PostEpoch,
    StoreResult,
)
from sync.outbox import PRIORITY_ALERT

log = logging.getLogger("sync.hq")

MAX_STATUS_BYTES: Final = 16 * 1024
KEY_RELOAD_S: Final = 1.0
LOG_BURST_S: Final = 10.0
GAP_CHECK_S: Final = 30.0


@dataclass(frozen=True)
class Ack:
    """An application acknowledgement for one batch (JSON on the post's ack topic)."""

    post_id: str
    batch_id: bytes
    body: dict[str, Any]

    def payload(self) -> bytes:
        """The JSON bytes to publish."""
        return json.dumps(self.body, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Verified:
    """A batch whose topic, post and signature were checked, waiting to be stored."""

    post: str
    batch: wire.Batch

    @property
    def epoch(self) -> PostEpoch:
        """Which database of the post the batch came from."""
        b = self.batch
        return PostEpoch(b.epoch.hex() if b.epoch else "", b.epoch_base)

    @property
    def urgent(self) -> bool:
        """Whether the batch holds an alert (priority >= 2): stored ahead of the others."""
        return any(e.priority >= PRIORITY_ALERT for e in self.batch.events)

    def incoming(self) -> IncomingBatch:
        """What the store takes."""
        b = self.batch
        events = tuple(b.events)
        return IncomingBatch(self.post, b.batch_id.hex(), events, b.backlog, b.evicted, self.epoch)


class Ingest:
    """Verifies and stores batches; keeps the registered keys cached."""

    def __init__(self, store: HqStore, stale_gap_s: float = STALE_GAP_S) -> None:
        self.store = store
        self.stale_gap_s = stale_gap_s
        self._gaps_checked = time.monotonic()
        self._gaps_told: set[tuple[str, str, int]] = set()
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._loaded = 0.0
        self._last_log: dict[tuple[str | None, str], float] = {}
        self.counts: dict[str, int] = {"stored": 0, "duplicates": 0, "rejected": 0}
        self._counting = threading.Lock()  # the receivers of one process share this Ingest

    def _count(self, **added: int) -> None:
        with self._counting:
            for key, n in added.items():
                self.counts[key] += n

    def _key(self, post_id: str) -> Ed25519PublicKey | None:
        if post_id not in self._keys and time.monotonic() - self._loaded > KEY_RELOAD_S:
            raw = self.store.public_keys()
            self._keys = {p: Ed25519PublicKey.from_public_bytes(k) for p, k in raw.items()}
            self._loaded = time.monotonic()
        return self._keys.get(post_id)

    def batch(self, topic: str, payload: bytes, correlation: bytes | None = None) -> Ack | None:
        """Handle a message on a batch topic; the ack to send (None: nobody to answer)."""
        got = self.verify(topic, payload, correlation)
        if not isinstance(got, Verified):
            return got
        (answer,) = self.store_verified([got])
        if isinstance(answer, Exception):
            raise answer
        return answer

    def verify(
        self, topic: str, payload: bytes, correlation: bytes | None = None
    ) -> Verified | Ack | None:
        """Check a batch message (topic, post, signature, size): the verified batch to store,
        or, when refused (recorded in ``rejects``), the ack to send (None: nobody to answer)."""
        post = topics.post_of(topic)
        if post is None or not topics.POST_ID.fullmatch(post):
            self._reject(None, topic, "malformed", "not a post batch topic", len(payload))
            return None
        try:
            return Verified(post, self._decode(post, payload))
        except wire.WireError as exc:
            self._reject(post, topic, exc.reason, exc.detail, len(payload))
            return _nack(post, correlation, exc.reason)

    def store_verified(self, group: Sequence[Verified]) -> list[Ack | Exception]:
        """Store verified batches in one transaction (``HqStore.store_batches``); per batch,
        in order, the ack to send — or the exception that kept it from being stored (not to
        be acknowledged: the post sends it again)."""
        results = self.store.store_batches([v.incoming() for v in group])
        answers = [self._answer(v, r) for v, r in zip(group, results, strict=True)]
        self.check_gaps()
        return answers

    def _decode(self, post: str, payload: bytes) -> wire.Batch:
        wire.peek_header(payload)
        key = self._key(post)
        if key is None:
            raise wire.WireError("unknown_post", f"post {post!r} is not registered")
        return wire.decode_batch(payload, key, post)

    def _answer(self, v: Verified, res: StoreResult | Exception) -> Ack | Exception:
        post, batch = v.post, v.batch
        if isinstance(res, HqStoreError):  # the post was removed meanwhile
            nack = _nack(post, batch.batch_id, "unknown_post", str(res))
            return nack if nack is not None else res
        if isinstance(res, Exception):
            return res
        bid = batch.batch_id.hex()
        self._count(stored=res.stored, duplicates=res.duplicates)
        self._tell_conflicts(post, v.epoch, res)
        if res.conflicts:
            body = _nack_body(batch.batch_id, "conflict")
            body.update(stored=res.stored, conflicts=list(res.conflicts[:64]))
            return Ack(post, batch.batch_id, body)
        if res.duplicates and not res.stored:
            # a re-send after a lost ack looks the same as a replay: nothing stored, noted
            message = f"batch {bid}: all {res.duplicates} events already stored"
            self._log(post, "replay", message, logging.INFO)
        body = {
            "v": 1,
            "batch": bid,
            "ok": True,
            "stored": res.stored,
            "duplicates": res.duplicates,
            "hwm": res.hwm,
            "max_seq": res.max_seq,
            "missing": [list(r) for r in res.missing],
        }
        return Ack(post, batch.batch_id, body)

    def _tell_conflicts(self, post: str, epoch: PostEpoch, res: StoreResult) -> None:
        if res.new_epoch:
            log.warning(
                "%s: post %s began database epoch %s after sequence %d (see `hq conflicts`)",
                res.new_epoch,
                post,
                epoch.id or "v1",
                epoch.base,
            )
        if res.conflicts:
            message = (
                f"{len(res.conflicts)} events reuse sequences {res.conflicts[0]}–"
                f"{res.conflicts[-1]} of epoch {epoch.id or 'v1'} under other UUIDs: not "
                "stored, not acknowledged (the post needs `borderpost database new-epoch`)"
            )
            self._log(post, "conflict", message)

    def check_gaps(self, force: bool = False) -> list[dict[str, Any]]:
        """Every ``GAP_CHECK_S``: log each missing range open longer than ``stale_gap_s``, and
        each post that says batches are in flight but sent none for that long (once each);
        return the new ones."""
        now = time.monotonic()
        if not force and now - self._gaps_checked < GAP_CHECK_S:
            return []
        self._gaps_checked = now
        fresh = []
        for g in self.store.stale_gaps(self.stale_gap_s):
            key = (g["post_id"], g["epoch"], g["lo"])
            if key not in self._gaps_told:
                self._gaps_told.add(key)
                fresh.append(g)
                log.warning(
                    "gap: post %s epoch %s: sequences %d–%d never arrived (open %.0f s)",
                    g["post_id"],
                    g["epoch"] or "v1",
                    g["lo"],
                    g["hi"],
                    time.time() - g["since"],
                )
        for p in self.store.silent_posts(self.stale_gap_s):
            key = (p["post_id"], "silent", int(p["ts"]))
            if key not in self._gaps_told:
                self._gaps_told.add(key)
                fresh.append(p)
                log.warning("silent: post %s: %s", p["post_id"], p["detail"])
        return fresh

    def _reject(self, post: str | None, topic: str, reason: str, detail: str, size: int) -> None:
        self._count(rejected=1)
        self._log(post, reason, f"refused batch on {topic[:100]!r} ({size} bytes): {detail}")
        self.store.record_reject(post, topic, reason, detail, size)

    def _log(
        self, post: str | None, reason: str, message: str, level: int = logging.WARNING
    ) -> None:
        now = time.monotonic()
        if now - self._last_log.get((post, reason), -LOG_BURST_S) >= LOG_BURST_S:
            self._last_log[(post, reason)] = now
            log.log(level, "%s: %s", reason, message)

    def status(self, topic: str, payload: bytes) -> None:
        """Keep a registered post's retained status message (bounded JSON object)."""
        got = self.parse_status(topic, payload)
        if got is not None:
            self.store.record_status(*got)

    def parse_status(self, topic: str, payload: bytes) -> tuple[str, dict[str, Any]] | None:
        """A status message as (post, status) when it is a registered post's bounded JSON
        object, else None (ignored)."""
        post = topics.post_of(topic)
        if post is None or self._key(post) is None or len(payload) > MAX_STATUS_BYTES:
            return None
        try:
            status = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            return None
        return (post, status) if isinstance(status, dict) else None


def _nack_body(batch_id: bytes, reason: str) -> dict[str, Any]:
    return {"v": 1, "batch": batch_id.hex(), "ok": False, "error": reason}


def _nack(post: str, correlation: bytes | None, reason: str, detail: str = "") -> Ack | None:
    if correlation is None or len(correlation) != wire.BATCH_ID_LEN:
        return None
    body = _nack_body(correlation, reason)
    if detail:
        body["detail"] = detail[:200]
    return Ack(post, correlation, body)
