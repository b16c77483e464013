"""The HQ receiver: an MQTT v5 client in the ``$share/hq`` group.

It subscribes to every post's batch topic as a shared subscription (several
receivers can run side by side, each batch goes to one of them) and to the
posts' retained status topics. One process may run a receiver per regional
broker over one store (``hq run --broker A --broker B``).

Each batch is verified as it arrives (topic, post, signature, size: on paho's
network thread); the verified batches waiting are then stored by the
receiver's storing thread in ONE transaction (up to ``group_batches`` batches
or ``group_events`` events, the ones already waiting; alert batches are
taken first). Only after that
commit is each batch acknowledged: HQ's ack published, then the PUBACK to the
broker (``manual_ack``). So a receiver killed mid-group leaves nothing
half-done: the posts re-send after their ack timeout and duplicates are
ignored. A batch that cannot be stored is not acknowledged at all.

Posts' retained statuses (every receiver gets each post's, every 30 s) are
acknowledged as they come and written by the storing thread together, the
latest of each post, at most every ``status_flush_s``: one commit, where a
commit each on paho's thread held up the batches behind them.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from sync import topics
from sync.hq.ingest import Ack, Ingest, Verified
from sync.hq.store import HqStore
from sync.session import Endpoint, Session

log = logging.getLogger("sync.hq")


@dataclass(frozen=True)
class ReceiverConfig:
    """Where the broker is and the receiver's client certificate."""

    host: str = "127.0.0.1"
    port: int = 8884  # the broker's HQ listener (sync/broker/hq.conf)
    tls: bool = True
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    keepalive_s: int = 30
    client_id: str = ""
    group_batches: int = 200  # batches stored in one transaction at most
    group_events: int = 2000  # events in one transaction at most (a backlog batch has many)
    # How long a group waits for more batches (never for alerts). 0: it takes the batches
    # already waiting. The broker sends a receiver only so many unacknowledged batches
    # (Mosquitto: max_inflight_messages, 20 by default), so waiting with that window
    # full only idles (the likely cause why a 500-post run at 400 events/s drained a
    # 259k-event backlog in 310 s with 20 ms, against 74 s before grouping).
    group_wait_s: float = 0.0
    # Posts' statuses (each post's every 30 s, to every receiver) are kept as they come, the
    # latest per post, and written together at most this often: one commit for all of them.
    status_flush_s: float = 1.0


@dataclass(frozen=True)
class Waiting:
    """A verified batch's message waiting to be stored, and the connection it came on
    (message ids are per connection: after a reconnect the broker re-sends it instead)."""

    msg: mqtt.MQTTMessage
    connection: int


class Receiver:
    """Runs the HQ side of the protocol on paho's network thread."""

    def __init__(
        self, store: HqStore, config: ReceiverConfig, ingest: Ingest | None = None
    ) -> None:
        self.store = store
        self.config = config
        self.ingest = ingest or Ingest(store)  # shared by the receivers of one process
        self.connected = threading.Event()
        c = config
        endpoint = Endpoint(
            c.host, c.port, c.tls, c.ca_file, c.cert_file, c.key_file, c.keepalive_s
        )
        cid = config.client_id or f"hq-{uuid.uuid4().hex[:12]}"
        self.session = Session(endpoint, cid, manual_ack=True, reconnect_max_s=5)
        self.session.route(topics.BATCH_WILDCARD, self._on_batch)
        self.session.route(topics.STATUS_WILDCARD, self._on_status)
        self.session.when_connected(self._on_connect)
        self.session.when_disconnected(self._on_disconnect)
        self._connection = 0  # which connection a message came on: PUBACK it on that one only
        self._waiting: queue.PriorityQueue[tuple[int, int, Verified, Waiting]]
        self._waiting = queue.PriorityQueue()
        self._order = itertools.count()
        self.largest_group = 0  # the most batches stored in one transaction so far
        self._statuses: dict[str, dict[str, Any]] = {}  # the latest of each post, to write
        self._statuses_lock = threading.Lock()
        self._statuses_written = 0.0
        self._stopping = threading.Event()
        self._storer = threading.Thread(target=self._store_loop, name="hq-store", daemon=True)

    def start(self) -> None:
        """Connect (retrying in the background) and start handling messages."""
        self._storer.start()
        self.session.start()

    def stop(self) -> None:
        """Disconnect and stop the network and storing threads (batches still waiting are
        not acknowledged: the broker hands them out again)."""
        self.session.stop()
        self._stopping.set()
        if self._storer.is_alive():
            self._storer.join(timeout=10)

    def _on_disconnect(self) -> None:
        self._connection += 1
        self.connected.clear()

    def _on_connect(self) -> None:
        self.session.subscribe(topics.shared(topics.BATCH_WILDCARD))
        self.session.subscribe(topics.STATUS_WILDCARD)
        self.connected.set()
        log.info("HQ receiver connected to %s:%s", self.config.host, self.config.port)

    def _on_status(self, msg: mqtt.MQTTMessage) -> None:
        """Keep the status to write with the next ones (acknowledged at once: the broker
        retains it, and the post sends a new one every ``status_interval_s``)."""

        def keep() -> None:
            got = self.ingest.parse_status(msg.topic, bytes(msg.payload))
            if got is not None:
                with self._statuses_lock:
                    self._statuses[got[0]] = got[1]

        self._handle(msg, keep)

    def _on_batch(self, msg: mqtt.MQTTMessage) -> None:
        def verify() -> bool:
            corr = getattr(getattr(msg, "properties", None), "CorrelationData", None)
            got = self.ingest.verify(msg.topic, bytes(msg.payload), corr)
            if isinstance(got, Verified):
                waiting = Waiting(msg, self._connection)
                self._waiting.put((0 if got.urgent else 1, next(self._order), got, waiting))
                return False  # acknowledged once stored
            if got is not None:
                self._send_ack(got)
            return True

        self._handle(msg, verify)

    def _store_loop(self) -> None:
        while not self._stopping.is_set():
            group = self._take()
            if group:
                self._store(group)
            if time.monotonic() - self._statuses_written >= self.config.status_flush_s:
                self._write_statuses()
        self._write_statuses()

    def _write_statuses(self) -> None:
        """Write the statuses kept since the last time, in one transaction."""
        self._statuses_written = time.monotonic()
        with self._statuses_lock:
            statuses, self._statuses = self._statuses, {}
        if not statuses:
            return
        try:
            self.store.record_statuses(statuses)
        except Exception:  # each post sends its status again every status_interval_s
            log.exception("failed to store %d posts' statuses", len(statuses))

    def _take(self) -> list[tuple[Verified, Waiting]]:
        """The next group: alert batches first, and then alert batches only (a small
        transaction, not held up by a backlog's big batches), up to the configured size;
        waits up to ``group_wait_s`` for more unless it holds an alert."""
        try:
            _, _, first, msg = self._waiting.get(timeout=0.2)
        except queue.Empty:
            return []
        c = self.config
        group, events = [(first, msg)], len(first.batch.events)
        deadline = time.monotonic() + (0 if first.urgent else c.group_wait_s)
        while len(group) < c.group_batches and events < c.group_events:
            try:
                item = self._waiting.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            v, m = item[2], item[3]
            if first.urgent and not v.urgent:
                self._waiting.put(item)  # the routine batches make the next group
                break
            group.append((v, m))
            events += len(v.batch.events)
            if v.urgent:  # an alert waits for nothing more
                deadline = 0.0
        return group

    def _store(self, group: list[tuple[Verified, Waiting]]) -> None:
        """Store the group in one transaction, then acknowledge each batch stored."""
        self.largest_group = max(self.largest_group, len(group))
        try:
            answers = self.ingest.store_verified([v for v, _ in group])
        except Exception:
            log.exception("failed to store %d batches; not acknowledged", len(group))
            return
        for (_, waiting), answer in zip(group, answers, strict=True):
            if isinstance(answer, Exception):
                topic = waiting.msg.topic
                log.error("failed to store a batch on %r; not acknowledged: %s", topic, answer)
                continue
            self._send_ack(answer)
            if waiting.connection == self._connection:  # else the broker sends it again
                self.session.ack(waiting.msg)

    def _handle(self, msg: mqtt.MQTTMessage, work: Callable[[], bool | None]) -> None:
        """Do ``work``; acknowledge the message to the broker if it succeeded (unless it
        returns False: acknowledged later)."""
        try:
            done = work()
        except Exception:
            log.exception("failed to handle a message on %r; not acknowledged", msg.topic)
            return
        if done is not False:
            self.session.ack(msg)

    def _send_ack(self, ack: Ack) -> None:
        # Always the post's own ack topic, whatever ResponseTopic the message named.
        self.session.publish(topics.ack(ack.post_id), ack.payload(), correlation=ack.batch_id)
