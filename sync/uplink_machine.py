"""The post's uplink without the broker or the outbox (sans-IO), mirroring ``sync/hq/ingest.py``.

:class:`UplinkMachine` decides what to publish and when; :class:`sync.uplink.Uplink`
does the I/O. Inputs: the connection coming up (``connected``) or going
(``disconnected``), HQ's acknowledgements (``ack``), the passing of time
(``tick``), and outbox rows (``rows``, after ``want`` said which rows it would
take). Outputs: :class:`Publish` and :class:`Acknowledge` actions. Every input
takes the monotonic time ``now``; nothing here reads a clock, a socket or a file.

The rules: a batch (bounded by count, bytes and ``batch_max_delay_s``; a batch
holding an alert leaves at once) leaves the outbox only when HQ's application
ack says ``ok``. On a live connection one not acknowledged within
``ack_timeout_s`` (60 s by default; at most 10 s for a batch holding an alert;
doubling per attempt up to four times that or a minute, whichever is longer)
is published again with the same batch id
and bytes; after a reconnect every batch in flight is published again at once.
The long wait is deliberate: a batch the broker took is lost only when the HQ
receiver it went to dies, while re-sending every batch when HQ is merely
behind doubles HQ's work and puts it further behind. At most
``max_in_flight`` batches are in flight; alerts get two more slots. No batch
is larger than the broker takes (its CONNACK's maximum packet size, when it
gives one): a batch over it is split, an event alone over it is sent with its
payload replaced by a note, and a batch in flight from before a smaller limit
is dropped so that its events go out again in batches that fit — a broker
would otherwise cut the connection on every re-send, for ever.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import topics, wire
from sync.outbox import PRIORITY_ALERT, Epoch, OutboundEvent
from sync.uplink_config import UplinkConfig

log = logging.getLogger("sync.uplink")

ALERT_EXTRA_SLOTS: Final = 2
ALERT_ACK_TIMEOUT_S: Final = 10.0  # a batch holding an alert waits at most this for its ack
MAX_ACK_BYTES: Final = 64 * 1024
COUNTERS_REFRESH_S: Final = 1.0
WIRE_SOFT_LIMIT: Final = wire.MAX_WIRE_BYTES * 9 // 10


@dataclass(frozen=True)
class Publish:
    """Publish ``payload`` on ``topic`` (QoS 1)."""

    topic: str
    payload: bytes
    retain: bool = False
    response_topic: str | None = None
    correlation: bytes | None = None


@dataclass(frozen=True)
class Acknowledge:
    """HQ stored these sequences: remove them from the outbox."""

    seqs: tuple[int, ...]


Action = Publish | Acknowledge


@dataclass(frozen=True)
class Want:
    """The outbox rows the machine would take now (``OutboxSource.pending`` arguments)."""

    limit: int
    max_bytes: int
    exclude: tuple[int, ...]
    alerts_only: bool


@dataclass
class Flight:
    """A batch sent and not yet acknowledged by HQ."""

    batch_id: bytes
    seqs: tuple[int, ...]
    payload: bytes
    alert: bool
    sent_at: float
    attempts: int = 1


class UplinkMachine:
    """The uplink's decisions; see the module docstring."""

    def __init__(
        self, cfg: UplinkConfig, key: Ed25519PrivateKey, epoch: Epoch | None = None
    ) -> None:
        self.cfg = cfg
        self._key = key
        self._epoch = epoch
        self.flights: dict[bytes, Flight] = {}
        self.online = False
        self._hold_since: float | None = None
        self._status_due = 0.0
        self._counted_at = -COUNTERS_REFRESH_S
        self._wire_limit = WIRE_SOFT_LIMIT
        self.backlog = 0
        self.evicted = 0
        self.stats: dict[str, Any] = {
            "last_ack_seq": None,
            "hq_hwm": None,
            "hq_missing": [],
            "sent_batches": 0,
            "resent_batches": 0,
            "sent_bytes": 0,
            "acked_batches": 0,
            "acked_events": 0,
            "nacks": 0,
            "split_batches": 0,
            "truncated_events": 0,
            "last_error": None,
        }

    # -- inputs ------------------------------------------------------------------

    def connected(self, now: float, max_packet: int | None = None) -> list[Action]:
        """The session is up and the ack topic subscribed: re-send everything in flight.

        ``max_packet`` is the broker's maximum packet size from its CONNACK, if
        it sent one; batches in flight that are larger are dropped, and their
        events are taken again from the outbox into batches that fit.
        """
        self.online = True
        self._status_due = now
        self._wire_limit = WIRE_SOFT_LIMIT
        if max_packet:
            self._wire_limit = min(WIRE_SOFT_LIMIT, max_packet * 9 // 10)
        for flight in [f for f in self.flights.values() if len(f.payload) > self._wire_limit]:
            log.warning(
                "batch %s (%d bytes) is over the broker's limit (%d bytes to send):"
                " its %d events are sent again in smaller batches",
                flight.batch_id.hex(), len(flight.payload), self._wire_limit, len(flight.seqs),
            )  # fmt: skip
            del self.flights[flight.batch_id]
            self.stats["split_batches"] += 1
        return self._resend(list(self.flights.values()), now)

    def disconnected(self) -> None:
        """The session is down: publish nothing until it comes back."""
        self.online = False

    def ack(self, data: bytes) -> list[Action]:
        """An application ack from HQ (raw JSON); malformed or late ones are ignored."""
        ack = parse_ack(data)
        if ack is None:
            log.warning("ignored a malformed ack (%d bytes)", len(data))
            return []
        flight = self.flights.get(bytes.fromhex(ack["batch"]))
        if flight is None:
            return []  # a late duplicate ack of a batch already acknowledged
        if not ack["ok"]:
            self.stats["nacks"] += 1
            self.stats["last_error"] = f"HQ refused batch {ack['batch']}: {ack.get('error')}"
            log.warning("HQ refused batch %s: %s", ack["batch"], ack.get("error"))
            return []  # re-sent after ack_timeout_s
        del self.flights[flight.batch_id]
        st = self.stats
        st["acked_batches"] += 1
        st["acked_events"] += len(flight.seqs)
        st["last_ack_seq"] = max(st["last_ack_seq"] or 0, max(flight.seqs))
        st["hq_hwm"], st["hq_missing"] = ack.get("hwm"), ack.get("missing", [])
        return [Acknowledge(flight.seqs)]

    def tick(self, now: float) -> list[Action]:
        """Time passed: re-send the batches whose ack is overdue."""
        if not self.online:
            return []
        return self._resend([f for f in self.flights.values() if now >= self._due(f)], now)

    def counters_due(self, now: float) -> bool:
        """True when the outbox's backlog and eviction counters should be read again."""
        return now - self._counted_at >= COUNTERS_REFRESH_S

    def counters(self, backlog: int, evicted: int, now: float) -> None:
        """The outbox's backlog and evicted counts (carried in batches and status)."""
        self.backlog, self.evicted, self._counted_at = backlog, evicted, now

    def want(self) -> Want | None:
        """Which rows to offer next, or None when nothing may be sent now."""
        cfg, n = self.cfg, len(self.flights)
        if not self.online or n >= cfg.max_in_flight + ALERT_EXTRA_SLOTS:
            return None
        exclude = tuple(s for f in self.flights.values() for s in f.seqs)
        return Want(cfg.batch_max_events, cfg.batch_max_bytes, exclude, n >= cfg.max_in_flight)

    def rows(self, events: Sequence[OutboundEvent], now: float, wall: float) -> list[Action]:
        """Outbox rows as ``want`` asked: publish them now, or hold them (return [])."""
        want = self.want()
        if want is not None and want.alerts_only:
            events = [e for e in events if e.priority >= PRIORITY_ALERT]
        if want is None or not events:
            self._hold_since = None
            return []
        if not self._ready_to_send(events, now):
            return []
        self._hold_since = None
        return self._send_new(events, now, wall)

    def status_due(self, now: float) -> bool:
        """True when the retained status should be published."""
        return self.online and now >= self._status_due

    def status(self, extra: dict[str, Any], now: float, wall: float) -> Publish:
        """The retained 'online' status with ``extra`` health figures from the post."""
        self._status_due = now + self.cfg.status_interval_s
        body = {
            **extra,
            "post": self.cfg.post_id,
            "state": "online",
            "online": True,
            "ts": wall,
            "backlog": self.backlog,
            "evicted": self.evicted,
            "last_ack_seq": self.stats["last_ack_seq"],
            "in_flight": len(self.flights),
            "epoch": None if self._epoch is None else self._epoch.id.hex(),
        }
        payload = json.dumps(body, default=str).encode()
        return Publish(topics.status(self.cfg.post_id), payload, retain=True)

    def next_wakeup(self, now: float) -> float:
        """Seconds until the machine wants a ``tick`` (1 s while offline)."""
        if not self.online:
            return 1.0
        times = [self._status_due] + [self._due(f) for f in self.flights.values()]
        if self._hold_since is not None:
            times.append(self._hold_since + self.cfg.batch_max_delay_s)
        return min(times) - now

    def state(self) -> dict[str, Any]:
        """Counters and in-flight work for the post's status."""
        flights = list(self.flights.values())
        return {
            **self.stats,
            "in_flight": len(flights),
            "in_flight_events": sum(len(f.seqs) for f in flights),
            "backlog": self.backlog,
        }

    # -- rules ---------------------------------------------------------------------

    def _due(self, f: Flight) -> float:
        """When ``f`` is re-sent on a live connection: the ack timeout (for a batch holding
        an alert at most ``ALERT_ACK_TIMEOUT_S``), doubled per attempt up to four times
        the timeout or a minute, whichever is longer."""
        timeout = self.cfg.ack_timeout_s
        if f.alert:
            timeout = min(timeout, ALERT_ACK_TIMEOUT_S)
        backoff: float = timeout * 2 ** min(f.attempts - 1, 5)
        return f.sent_at + min(backoff, max(4 * timeout, 60.0))

    def _ready_to_send(self, events: Sequence[OutboundEvent], now: float) -> bool:
        if len(events) >= self.cfg.batch_max_events or events[0].priority >= PRIORITY_ALERT:
            return True
        if sum(len(json.dumps(e.payload)) for e in events) >= self.cfg.batch_max_bytes // 2:
            return True
        if self._hold_since is None:
            self._hold_since = now
        return now - self._hold_since >= self.cfg.batch_max_delay_s

    def _send_new(self, events: Sequence[OutboundEvent], now: float, wall: float) -> list[Action]:
        bid, payload = self._encode(events, wall)
        if len(payload) > self._wire_limit and len(events) > 1:
            half = len(events) // 2
            self.stats["split_batches"] += 1
            return self._send_new(events[:half], now, wall) + self._send_new(
                events[half:], now, wall
            )
        if len(payload) > self._wire_limit:
            self.stats["truncated_events"] += 1
            bid, payload = self._encode([_truncated(events[0])], wall)
        alert = events[0].priority >= PRIORITY_ALERT
        flight = Flight(bid, tuple(e.seq for e in events), payload, alert, now)
        self.flights[bid] = flight
        self.stats["sent_batches"] += 1
        return [self._publish(flight)]

    def _encode(self, events: Sequence[OutboundEvent], wall: float) -> tuple[bytes, bytes]:
        cfg = self.cfg
        ep = self._epoch
        batch = wire.Batch(
            cfg.post_id,
            wire.new_batch_id(),
            wall,
            self.backlog,
            self.evicted,
            tuple(events),
            None if ep is None else ep.id,
            0 if ep is None else ep.base,
        )
        return batch.batch_id, wire.encode_batch(batch, self._key, cfg.compression)

    def _publish(self, flight: Flight) -> Publish:
        self.stats["sent_bytes"] += len(flight.payload)
        post = self.cfg.post_id
        return Publish(
            topics.batch(post),
            flight.payload,
            response_topic=topics.ack(post),
            correlation=flight.batch_id,
        )

    def _resend(self, flights: list[Flight], now: float) -> list[Action]:
        out: list[Action] = []
        for f in sorted(flights, key=lambda f: (not f.alert, f.sent_at)):
            f.sent_at, f.attempts = now, f.attempts + 1
            self.stats["resent_batches"] += 1
            out.append(self._publish(f))
        return out


def offline_status(post_id: str) -> bytes:
    """The retained 'offline' status (also the session's last will)."""
    return json.dumps({"post": post_id, "state": "offline", "online": False}).encode()


def _truncated(e: OutboundEvent) -> OutboundEvent:
    log.warning("event %d is too large for one batch; its payload is replaced", e.seq)
    return replace(e, payload={"truncated": True, "kind": e.kind})


def parse_ack(data: bytes) -> dict[str, Any] | None:
    """HQ's ack as a dict with ``ok`` (bool) and ``batch`` (hex id), or None if malformed."""
    if len(data) > MAX_ACK_BYTES:
        return None
    try:
        ack = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(ack, dict) or not isinstance(ack.get("ok"), bool):
        return None
    bid = ack.get("batch")
    if not isinstance(bid, str) or len(bid) != 2 * wire.BATCH_ID_LEN:
        return None
    try:
        bytes.fromhex(bid)
    except ValueError:
        return None
    return ack
