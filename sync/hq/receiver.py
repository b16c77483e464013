"""The HQ receiver: an MQTT v5 client in the ``$share/hq`` group.

It subscribes to every post's batch topic as a shared subscription (several
receivers can run side by side, each batch goes to one of them) and to the
posts' retained status topics. One process may run a receiver per regional
broker over one store (``hq run --broker A --broker B``).

A batch is PUBACKed to the broker only after it is stored and HQ's
acknowledgement is published (``manual_ack``), so a receiver killed
mid-batch leaves nothing half-done: the post re-sends after its ack
timeout and duplicates are ignored.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt

from sync import topics
from sync.hq.ingest import Ack, Ingest
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
        self.session.when_disconnected(self.connected.clear)

    def start(self) -> None:
        """Connect (retrying in the background) and start handling messages."""
        self.session.start()

    def stop(self) -> None:
        """Disconnect and stop the network thread."""
        self.session.stop()

    def _on_connect(self) -> None:
        self.session.subscribe(topics.shared(topics.BATCH_WILDCARD))
        self.session.subscribe(topics.STATUS_WILDCARD)
        self.connected.set()
        log.info("HQ receiver connected to %s:%s", self.config.host, self.config.port)

    def _on_status(self, msg: mqtt.MQTTMessage) -> None:
        self._handle(msg, lambda: self.ingest.status(msg.topic, bytes(msg.payload)))

    def _on_batch(self, msg: mqtt.MQTTMessage) -> None:
        def batch() -> None:
            corr = getattr(getattr(msg, "properties", None), "CorrelationData", None)
            ack = self.ingest.batch(msg.topic, bytes(msg.payload), corr)
            if ack is not None:
                self._send_ack(ack)

        self._handle(msg, batch)

    def _handle(self, msg: mqtt.MQTTMessage, work: Callable[[], None]) -> None:
        """Do ``work``; acknowledge the message to the broker only if it succeeded."""
        try:
            work()
        except Exception:
            log.exception("failed to handle a message on %r; not acknowledged", msg.topic)
            return
        self.session.ack(msg)

    def _send_ack(self, ack: Ack) -> None:
        # Always the post's own ack topic, whatever ResponseTopic the message named.
        self.session.publish(topics.ack(ack.post_id), ack.payload(), correlation=ack.batch_id)
