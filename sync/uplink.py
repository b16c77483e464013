"""The post's uplink: drains the durable outbox to HQ over the post's MQTT session.

:class:`sync.uplink_machine.UplinkMachine` decides (sans-IO): batching, the
in-flight window, alerts first, re-sends, status. This module does its I/O:
batches are published QoS 1 on the post's batch topic with ``ResponseTopic``
and ``CorrelationData`` = batch id, and their rows leave the outbox only when
HQ's *application* acknowledgement arrives — a broker PUBACK is not enough.

Threads: paho's network thread (callbacks only queue work) and one drain
thread that alone touches the outbox and the machine. ``start()`` never raises
because the broker is absent: the session keeps retrying in the background.
The session is the process's one :class:`sync.session.Session` when one is
given (a post shares it with the watchlist fetcher), else the uplink's own.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import topics
from sync.keys import private_from
from sync.outbox import Epoch, OutboxSource
from sync.session import Endpoint, Session, Will
from sync.uplink_config import UplinkConfig
from sync.uplink_machine import Acknowledge, Action, Publish, UplinkMachine, offline_status

__all__ = ["Uplink", "UplinkConfig", "post_session"]

log = logging.getLogger("sync.uplink")


def post_session(cfg: UplinkConfig) -> Session:
    """A post's one MQTT session, with its retained 'offline' status as last will."""
    will = Will(topics.status(cfg.post_id), offline_status(cfg.post_id))
    return Session(Endpoint.of(cfg), cfg.post_id, will=will)  # the broker binds it to the CN


@dataclass
class _Shared:
    """State written by paho's callbacks, read by the drain thread (under the lock)."""

    connected: bool = False
    ready_gen: int = 0
    acks: list[bytes] = field(default_factory=list)
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
        session: Session | None = None,
        epoch: Epoch | None = None,
    ) -> None:
        self.cfg = cfg
        self._outbox = outbox
        self._status = status
        self._machine = UplinkMachine(cfg, private_from(signing_key, "signing key"), epoch)
        self._snapshot = self._machine.state()
        self._cond = threading.Condition()
        self._shared = _Shared()
        self._refused: str | None = None
        self._own_session = session is None
        self.session = session or post_session(cfg)
        self.session.route(topics.ack(cfg.post_id), self._on_ack)
        self.session.when_connected(self._on_connect)
        self.session.when_disconnected(self._on_disconnect)
        self._thread = threading.Thread(target=self._run, name="uplink-drain", daemon=True)

    # --- public API -------------------------------------------------------

    def start(self) -> None:
        """Start draining (and connecting, when the session is the uplink's own)."""
        if self._own_session:
            self.session.start()
        self._thread.start()

    def notify(self) -> None:
        """New events are in the outbox: wake the drain now (thread-safe)."""
        with self._cond:
            self._shared.notified = True
            self._cond.notify()

    def state(self) -> dict[str, Any]:
        """A snapshot for the daemon's status: connection, acks, in-flight work."""
        out: dict[str, Any] = {"connected": self._shared.connected, "broker": self.cfg.broker}
        out.update(self._snapshot)
        if out.get("last_error") is None:
            out["last_error"] = self._refused or self.session.last_error
        return out

    def stop(self, timeout: float = 1.5) -> None:
        """Publish 'offline', stop draining (and disconnect an own session) within ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._shared.stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(max(0.0, deadline - time.monotonic()) / 2)
        self._say_offline(max(0.0, deadline - time.monotonic()) / 2)
        if self._own_session:
            self.session.stop(max(0.05, deadline - time.monotonic()))

    # --- session callbacks (paho's thread) ----------------------------------

    def _on_connect(self) -> None:
        self.session.subscribe(topics.ack(self.cfg.post_id), granted=self._on_granted)

    def _on_granted(self, ok: bool) -> None:
        if not ok:
            self._refused = "broker refused the ack subscription"
            return
        with self._cond:
            self._shared.connected = True
            self._shared.ready_gen += 1
            self._cond.notify()
        log.info("uplink connected to %s", self.cfg.broker)

    def _on_disconnect(self) -> None:
        with self._cond:
            self._shared.connected = False

    def _on_ack(self, msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self._shared.acks.append(bytes(msg.payload))
            self._cond.notify()

    # --- drain thread -----------------------------------------------------

    def _run(self) -> None:
        gen = 0
        while True:
            with self._cond:
                sh = self._shared
                if sh.stopping:
                    return
                acks, sh.acks, sh.notified = sh.acks, [], False
                connected, new_gen = sh.connected, sh.ready_gen
            try:
                self._step(acks, connected, new_gen != gen)
                gen = new_gen
            except Exception as exc:  # the store or the client failed: retry shortly
                self._machine.stats["last_error"] = f"{type(exc).__name__}: {exc}"
                log.exception("uplink drain step failed")
                time.sleep(0.5)
            self._snapshot = self._machine.state()
            self._wait(self._machine.next_wakeup(time.monotonic()))

    def _wait(self, seconds: float) -> None:
        with self._cond:
            sh = self._shared
            if not (sh.acks or sh.notified or sh.stopping):
                self._cond.wait(max(0.0, seconds))

    def _step(self, acks: list[bytes], connected: bool, reconnected: bool) -> None:
        m = self._machine
        for ack in acks:
            self._do(m.ack(ack))
        if not connected:
            m.disconnected()
            return
        now = time.monotonic()
        if reconnected:
            self._do(m.connected(now, self.session.max_packet))
        self._do(m.tick(now))
        self._fill(now)
        if m.status_due(now):
            self._refresh_counters(now)
            self._do([m.status(self._extra_status(), now, time.time())])

    def _fill(self, now: float) -> None:
        m = self._machine
        while True:
            want = m.want()
            events = []
            if want is not None:
                self._refresh_counters(now)
                events = self._outbox.pending(
                    limit=want.limit, max_bytes=want.max_bytes, exclude=list(want.exclude)
                )
            actions = m.rows(events, now, time.time())
            if not actions:
                return
            self._do(actions)

    def _refresh_counters(self, now: float) -> None:
        if self._machine.counters_due(now):
            self._machine.counters(self._outbox.backlog(), self._outbox.evicted(), now)

    def _do(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Acknowledge):
                self._outbox.acknowledge(action.seqs)
            else:
                self._send(action)

    def _send(self, p: Publish) -> mqtt.MQTTMessageInfo:
        return self.session.publish(
            p.topic,
            p.payload,
            retain=p.retain,
            response_topic=p.response_topic,
            correlation=p.correlation,
        )

    def _extra_status(self) -> dict[str, Any]:
        if self._status is None:
            return {}
        try:
            return dict(self._status())
        except Exception as exc:
            return {"status_error": f"{type(exc).__name__}: {exc}"}

    def _say_offline(self, timeout: float) -> None:
        if not self._shared.connected:
            return
        info = self._send(
            Publish(topics.status(self.cfg.post_id), offline_status(self.cfg.post_id), retain=True)
        )
        with contextlib.suppress(RuntimeError, ValueError):
            info.wait_for_publish(max(0.05, timeout))
