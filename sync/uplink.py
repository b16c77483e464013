"""The post's uplink: drains the durable outbox to HQ over MQTT v5.

Batches (bounded by count, bytes and time) are signed, published QoS 1 on the
post's batch topic with ``ResponseTopic`` and ``CorrelationData`` = batch id,
and their rows leave the outbox only when HQ's *application* acknowledgement
arrives — a broker PUBACK is not enough. A batch not acknowledged within
``ack_timeout_s`` (doubling per attempt, at most a minute; at once when the
connection comes back) is re-sent with the same batch id and bytes. At most
``max_in_flight`` batches are in flight; alerts get two more slots, so they
overtake a draining backlog.

Threads: paho's network thread (callbacks only queue work) and one drain
thread that alone touches the outbox. ``start()`` never raises because the
broker is absent: the client keeps retrying in the background.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from sync import topics, wire
from sync.keys import private_from
from sync.outbox import PRIORITY_ALERT, OutboundEvent, OutboxSource
from sync.uplink_config import UplinkConfig

__all__ = ["Uplink", "UplinkConfig"]

log = logging.getLogger("sync.uplink")

ALERT_EXTRA_SLOTS: Final = 2
MAX_ACK_BYTES: Final = 64 * 1024
BACKLOG_REFRESH_S: Final = 1.0
WIRE_SOFT_LIMIT: Final = wire.MAX_WIRE_BYTES * 9 // 10


@dataclass
class _Flight:
    """A batch sent and not yet acknowledged by HQ."""

    batch_id: bytes
    seqs: tuple[int, ...]
    payload: bytes
    alert: bool
    sent_at: float
    attempts: int = 1


@dataclass
class _Shared:
    """State written by paho's callbacks, read by the drain thread (under the lock)."""

    connected: bool = False
    ready_gen: int = 0
    acks: list[dict[str, Any]] = field(default_factory=list)
    notified: bool = False
    stopping: bool = False


class Uplink:
    """Drains an ``OutboxSource`` to HQ; see the module docstring."""

    def __init__(
        self,
        cfg: UplinkConfig,
        *,
        outbox: OutboxSource,
        signing_key: bytes | Ed25519PrivateKey,
        status: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.cfg = cfg
        self._outbox = outbox
        self._key = private_from(signing_key, "signing key")
        self._status = status
        self._cond = threading.Condition()
        self._shared = _Shared()
        self._flights: dict[bytes, _Flight] = {}
        self._sent_gen = 0
        self._hold_since: float | None = None
        self._status_due = 0.0
        self._backlog = (0, -BACKLOG_REFRESH_S)
        self._evicted = 0
        self._stats: dict[str, Any] = {
            "last_ack_seq": None,
            "hq_hwm": None,
            "hq_missing": [],
            "sent_batches": 0,
            "resent_batches": 0,
            "sent_bytes": 0,
            "acked_batches": 0,
            "acked_events": 0,
            "nacks": 0,
            "last_error": None,
        }
        self._thread = threading.Thread(target=self._run, name="uplink-drain", daemon=True)
        self._client = self._make_client()

    # --- public API -------------------------------------------------------

    def start(self) -> None:
        """Start connecting (in the background) and draining."""
        self._client.connect_async(self.cfg.host, self.cfg.port, self.cfg.keepalive_s)
        self._client.loop_start()
        self._thread.start()

    def notify(self) -> None:
        """New events are in the outbox: wake the drain now (thread-safe)."""
        with self._cond:
            self._shared.notified = True
            self._cond.notify()

    def state(self) -> dict[str, Any]:
        """A snapshot for the daemon's status: connection, acks, in-flight work."""
        with self._cond:
            flights = list(self._flights.values())
            out = {"connected": self._shared.connected, "broker": self.cfg.broker, **self._stats}
        out["in_flight"] = len(flights)
        out["in_flight_events"] = sum(len(f.seqs) for f in flights)
        out["backlog"] = self._backlog[0]
        return out

    def stop(self, timeout: float = 1.5) -> None:
        """Publish 'offline', disconnect and stop the threads within about ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._shared.stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(max(0.0, deadline - time.monotonic()) / 2)
        self._say_offline(max(0.0, deadline - time.monotonic()) / 2)
        self._client.disconnect()
        stopper = threading.Thread(target=self._client.loop_stop, daemon=True)
        stopper.start()
        stopper.join(max(0.05, deadline - time.monotonic()))

    # --- MQTT callbacks (paho's thread) -----------------------------------

    def _make_client(self) -> mqtt.Client:
        c = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"post-{self.cfg.post_id}", protocol=mqtt.MQTTv5
        )
        if self.cfg.tls:
            c.tls_set(
                ca_certs=_s(self.cfg.ca_file),
                certfile=_s(self.cfg.cert_file),
                keyfile=_s(self.cfg.key_file),
            )
        if self.cfg.username:
            c.username_pw_set(self.cfg.username)
        c.will_set(topics.status(self.cfg.post_id), self._offline_payload(), qos=1, retain=True)
        c.reconnect_delay_set(1, 10)
        c.on_connect = self._on_connect
        c.on_subscribe = self._on_subscribe
        c.on_disconnect = self._on_disconnect
        c.on_message = self._on_message
        return c

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        if rc.is_failure:
            self._stats["last_error"] = f"broker refused the connection: {rc}"
            return
        client.subscribe(topics.ack(self.cfg.post_id), qos=1)

    def _on_subscribe(self, _c: mqtt.Client, _u: Any, _mid: int, codes: Any, _p: Any) -> None:
        if any(getattr(rc, "is_failure", False) for rc in codes):
            self._stats["last_error"] = "broker refused the ack subscription"
            return
        with self._cond:
            self._shared.connected = True
            self._shared.ready_gen += 1
            self._cond.notify()
        log.info("uplink connected to %s", self.cfg.broker)

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        with self._cond:
            was = self._shared.connected
            self._shared.connected = False
        if was:
            log.info("uplink lost %s (%s)", self.cfg.broker, rc)

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        ack = _parse_ack(bytes(msg.payload))
        if ack is None:
            log.warning("ignored a malformed ack (%d bytes)", len(msg.payload))
            return
        with self._cond:
            self._shared.acks.append(ack)
            self._cond.notify()

    # --- drain thread -----------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                sh = self._shared
                if sh.stopping:
                    return
                acks, sh.acks, sh.notified = sh.acks, [], False
                connected, gen = sh.connected, sh.ready_gen
            try:
                self._step(acks, connected, gen)
            except Exception as exc:  # the store or the client failed: retry shortly
                self._stats["last_error"] = f"{type(exc).__name__}: {exc}"
                log.exception("uplink drain step failed")
                time.sleep(0.5)
            self._wait(self._next_wakeup(connected))

    def _wait(self, seconds: float) -> None:
        with self._cond:
            sh = self._shared
            if not (sh.acks or sh.notified or sh.stopping):
                self._cond.wait(max(0.0, seconds))

    def _step(self, acks: list[dict[str, Any]], connected: bool, gen: int) -> None:
        for ack in acks:
            self._apply_ack(ack)
        if not connected:
            return
        now = time.monotonic()
        if gen != self._sent_gen:
            self._sent_gen = gen
            self._resend(list(self._flights.values()), now)
            self._status_due = 0.0
        self._resend([f for f in self._flights.values() if now >= self._due(f)], now)
        self._fill(now)
        if now >= self._status_due:
            self._publish_status()
            self._status_due = now + self.cfg.status_interval_s

    def _due(self, f: _Flight) -> float:
        """When ``f`` is re-sent: the ack timeout, doubled per attempt, at most a minute."""
        timeout = self.cfg.ack_timeout_s
        backoff: float = timeout * 2 ** min(f.attempts - 1, 5)
        return f.sent_at + min(backoff, max(timeout, 60.0))

    def _next_wakeup(self, connected: bool) -> float:
        if not connected:
            return 1.0
        now = time.monotonic()
        times = [self._status_due] + [self._due(f) for f in self._flights.values()]
        if self._hold_since is not None:
            times.append(self._hold_since + self.cfg.batch_max_delay_s)
        return min(times) - now

    def _fill(self, now: float) -> None:
        while True:
            events = self._next_events()
            if not events:
                self._hold_since = None
                return
            if not self._ready_to_send(events, now):
                return
            self._hold_since = None
            self._send_new(events, now)

    def _next_events(self) -> list[OutboundEvent]:
        cfg = self.cfg
        exclude = [s for f in self._flights.values() for s in f.seqs]
        if len(self._flights) >= cfg.max_in_flight + ALERT_EXTRA_SLOTS:
            return []
        if len(self._flights) >= cfg.max_in_flight:
            head = self._outbox.pending(limit=1, max_bytes=cfg.batch_max_bytes, exclude=exclude)
            if not head or head[0].priority < PRIORITY_ALERT:
                return []
        events = self._outbox.pending(
            limit=cfg.batch_max_events, max_bytes=cfg.batch_max_bytes, exclude=exclude
        )
        if len(self._flights) >= cfg.max_in_flight:
            events = [e for e in events if e.priority >= PRIORITY_ALERT]
        return events

    def _ready_to_send(self, events: Sequence[OutboundEvent], now: float) -> bool:
        if len(events) >= self.cfg.batch_max_events or events[0].priority >= PRIORITY_ALERT:
            return True
        if sum(len(json.dumps(e.payload)) for e in events) >= self.cfg.batch_max_bytes // 2:
            return True
        if self._hold_since is None:
            self._hold_since = now
        return now - self._hold_since >= self.cfg.batch_max_delay_s

    def _send_new(self, events: Sequence[OutboundEvent], now: float) -> None:
        bid, payload = self._encode(events)
        if len(payload) > WIRE_SOFT_LIMIT and len(events) > 1:
            half = len(events) // 2
            self._send_new(events[:half], now)
            self._send_new(events[half:], now)
            return
        if len(payload) > WIRE_SOFT_LIMIT:
            bid, payload = self._encode([_truncated(events[0])])
        flight = _Flight(
            bid, tuple(e.seq for e in events), payload, events[0].priority >= PRIORITY_ALERT, now
        )
        with self._cond:
            self._flights[bid] = flight
            self._stats["sent_batches"] += 1
        self._publish(flight)

    def _encode(self, events: Sequence[OutboundEvent]) -> tuple[bytes, bytes]:
        backlog, evicted = self._counters()
        batch = wire.Batch(
            self.cfg.post_id, wire.new_batch_id(), time.time(), backlog, evicted, tuple(events)
        )
        return batch.batch_id, wire.encode_batch(batch, self._key, self.cfg.compression)

    def _counters(self) -> tuple[int, int]:
        now = time.monotonic()
        if now - self._backlog[1] >= BACKLOG_REFRESH_S:
            self._backlog = (self._outbox.backlog(), now)
            self._evicted = self._outbox.evicted()
        return self._backlog[0], self._evicted

    def _publish(self, flight: _Flight) -> None:
        self._stats["sent_bytes"] += len(flight.payload)
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        props.ResponseTopic = topics.ack(self.cfg.post_id)
        props.CorrelationData = flight.batch_id
        self._client.publish(
            topics.batch(self.cfg.post_id), flight.payload, qos=1, properties=props
        )

    def _resend(self, flights: list[_Flight], now: float) -> None:
        for f in sorted(flights, key=lambda f: (not f.alert, f.sent_at)):
            f.sent_at, f.attempts = now, f.attempts + 1
            with self._cond:
                self._stats["resent_batches"] += 1
            self._publish(f)

    def _apply_ack(self, ack: dict[str, Any]) -> None:
        bid = bytes.fromhex(ack["batch"])
        flight = self._flights.get(bid)
        if flight is None:
            return  # a late duplicate ack of a batch already acknowledged
        if not ack["ok"]:
            self._stats["nacks"] += 1
            self._stats["last_error"] = f"HQ refused batch {ack['batch']}: {ack.get('error')}"
            log.warning("HQ refused batch %s: %s", ack["batch"], ack.get("error"))
            return  # re-sent after ack_timeout_s
        self._outbox.acknowledge(flight.seqs)
        with self._cond:
            del self._flights[bid]
            st = self._stats
            st["acked_batches"] += 1
            st["acked_events"] += len(flight.seqs)
            st["last_ack_seq"] = max(st["last_ack_seq"] or 0, max(flight.seqs))
            st["hq_hwm"], st["hq_missing"] = ack.get("hwm"), ack.get("missing", [])

    # --- status -----------------------------------------------------------

    def _offline_payload(self) -> bytes:
        return json.dumps({"post": self.cfg.post_id, "state": "offline", "online": False}).encode()

    def _status_payload(self) -> bytes:
        extra: dict[str, Any] = {}
        if self._status is not None:
            try:
                extra = dict(self._status())
            except Exception as exc:
                extra = {"status_error": f"{type(exc).__name__}: {exc}"}
        backlog, evicted = self._counters()
        body = {
            **extra,
            "post": self.cfg.post_id,
            "state": "online",
            "online": True,
            "ts": time.time(),
            "backlog": backlog,
            "evicted": evicted,
            "last_ack_seq": self._stats["last_ack_seq"],
            "in_flight": len(self._flights),
        }
        return json.dumps(body, default=str).encode()

    def _publish_status(self) -> None:
        self._client.publish(
            topics.status(self.cfg.post_id), self._status_payload(), qos=1, retain=True
        )

    def _say_offline(self, timeout: float) -> None:
        if not self._shared.connected:
            return
        info = self._client.publish(
            topics.status(self.cfg.post_id), self._offline_payload(), qos=1, retain=True
        )
        with contextlib.suppress(RuntimeError, ValueError):
            info.wait_for_publish(max(0.05, timeout))


def _truncated(e: OutboundEvent) -> OutboundEvent:
    log.warning("event %d is too large for one batch; its payload is replaced", e.seq)
    return replace(e, payload={"truncated": True, "kind": e.kind})


def _parse_ack(data: bytes) -> dict[str, Any] | None:
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


def _s(path: Any) -> str | None:
    return str(path) if path is not None else None
