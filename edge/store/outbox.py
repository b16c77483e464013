"""The store's outbox as the uplink sees it, and the disk cap that guards it.

``StoreOutbox`` reads with the calling thread's own read-only connection, so
the uplink's thread never shares one with the daemon's event loop; its
acknowledgements go through the store's one writer like every other write.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drivers.events import OutboxEvicted
from edge.store.store import EVENT_COLUMNS, NewEvent, Recorded, Store, record_in
from edge.store.writer import Tx
from sync.outbox import PRIORITY_NOTICE, OutboundEvent

ACK_CHUNK = 500
EVICT_CHUNK = 1000
QUALIFIED = ", ".join(f"e.{c.strip()}" for c in EVENT_COLUMNS.split(","))


class StoreOutbox:
    """``sync.outbox.OutboxSource`` over the event database.

    Give it the daemon's ``Store`` so there stays one writer; given a path it
    opens a store of its own (tools and tests).
    """

    def __init__(self, store: Store | Path) -> None:
        self._own = store if isinstance(store, Store) else None
        self.path = store.path if isinstance(store, Store) else store
        self._lock = threading.Lock()

    def _store(self) -> Store:
        with self._lock:
            if self._own is None:
                self._own = Store.open(self.path)
            return self._own

    def pending(
        self, *, limit: int, max_bytes: int, exclude: Sequence[int] = ()
    ) -> list[OutboundEvent]:
        """Unacknowledged events, alerts first then by sequence, skipping ``exclude``."""
        skip = set(exclude)
        conn = self._store().conn
        rows = conn.execute(
            f"SELECT {QUALIFIED}, o.size FROM outbox o JOIN events e USING (seq)"
            " ORDER BY o.priority DESC, o.seq LIMIT ?",
            (limit + len(skip),),
        )
        out: list[OutboundEvent] = []
        total = 0
        for row in rows:
            if row[0] in skip:
                continue
            if out and total + row[-1] > max_bytes:
                break
            out.append(outbound(row[:-1]))
            total += row[-1]
            if len(out) >= limit:
                break
        return out

    def acknowledge(self, seqs: Sequence[int]) -> None:
        """Remove acknowledged sequences from the outbox."""
        if seqs:
            self._store().write(lambda tx: _acknowledge(tx, seqs))

    def backlog(self) -> int:
        """Events waiting for HQ."""
        return int(self._store().conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def evicted(self) -> int:
        """Routine events dropped from the outbox by the disk cap, ever."""
        return meta_int(self._store(), "evicted")

    def last_ack_seq(self) -> int:
        """The highest sequence HQ has acknowledged."""
        return meta_int(self._store(), "last_ack_seq")


def outbound(row: Sequence[Any]) -> OutboundEvent:
    """An ``events`` row as the uplink carries it: the header, and the payload as stored."""
    seq, uid, kind, prio, wall, mono, synced, lane, device, payload = row
    return OutboundEvent(
        seq, uid, kind, prio, wall, mono, bool(synced), lane, device, json.loads(payload)
    )


def _acknowledge(tx: Tx, seqs: Sequence[int]) -> None:
    for start in range(0, len(seqs), ACK_CHUNK):
        chunk = list(seqs[start : start + ACK_CHUNK])
        tx.conn.execute(f"DELETE FROM outbox WHERE seq IN ({','.join('?' * len(chunk))})", chunk)
    tx.conn.execute(
        "INSERT INTO meta (key, value) VALUES ('last_ack_seq', ?) ON CONFLICT(key)"
        " DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
        (max(seqs),),  # both as integers: meta.value is TEXT, and text sorts above any integer
    )


def meta_int(store: Store, key: str) -> int:
    """An integer kept in ``meta`` (0 when absent)."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else 0


def enforce_cap(store: Store, cap_bytes: int) -> int:
    """Evict routine events over ``cap_bytes`` (see ``evict_over_cap``); how many were dropped."""
    return sum(r.event.payload["count"] for r in evict_over_cap(store, cap_bytes))


def evict_over_cap(store: Store, cap_bytes: int) -> list[Recorded]:
    """Evict the oldest routine events from the outbox while it exceeds ``cap_bytes``.

    Alerts and notices (priority ≥ 1) are never evicted. Each eviction is
    counted in ``meta.evicted`` and, in the same transaction, recorded as an
    ``outbox.evicted`` notice naming the sequences dropped, so HQ can tell an
    eviction from a loss and the console hears of it like any event.
    """
    size = int(store.conn.execute("SELECT COALESCE(SUM(size), 0) FROM outbox").fetchone()[0])
    notices: list[Recorded] = []
    while size > cap_bytes:
        rows = store.conn.execute(
            "SELECT seq, size FROM outbox WHERE priority = 0 ORDER BY seq LIMIT ?", (EVICT_CHUNK,)
        ).fetchall()
        seqs = []
        for seq, row_size in rows:
            if size <= cap_bytes:
                break
            seqs.append(seq)
            size -= row_size
        if not seqs:
            break
        notices.append(store.write(functools.partial(_evict, seqs=seqs)))
    return notices


def _evict(tx: Tx, seqs: list[int]) -> Recorded:
    tx.conn.execute(f"DELETE FROM outbox WHERE seq IN ({','.join('?' * len(seqs))})", seqs)
    tx.conn.execute(
        "INSERT INTO meta (key, value) VALUES ('evicted', ?) ON CONFLICT(key)"
        " DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
        (len(seqs),),
    )
    notice = OutboxEvicted(first_seq=seqs[0], last_seq=seqs[-1], count=len(seqs))
    return record_in(tx, NewEvent("outbox.evicted", notice, PRIORITY_NOTICE))
