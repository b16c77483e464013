"""The HQ receiver: an MQTT v5 client in the ``$share/hq`` group.

It subscribes to every post's batch topic as a shared subscription (several
receivers can run side by side, each batch goes to one of them) and to the
posts' retained status topics. A batch is PUBACKed to the broker only after
it is stored and HQ's acknowledgement is published (``manual_ack``), so a
receiver killed mid-batch leaves nothing half-done: the post re-sends after
its ack timeout and duplicates are ignored.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from sync import topics
from sync.hq.ingest import Ack, Ingest
from sync.hq.store import HqStore

log = logging.getLogger("sync.hq")


@dataclass(frozen=True)
class ReceiverConfig:
    """Where the broker is and the receiver's client certificate."""

    host: str = "127.0.0.1"
    port: int = 8883
    tls: bool = True
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    keepalive_s: int = 30
    client_id: str = ""


class Receiver:
    """Runs the HQ side of the protocol on paho's network thread."""

    def __init__(self, store: HqStore, config: ReceiverConfig) -> None:
        self.store = store
        self.config = config
        self.ingest = Ingest(store)
        self.connected = threading.Event()
        cid = config.client_id or f"hq-{uuid.uuid4().hex[:12]}"
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=cid, protocol=mqtt.MQTTv5, manual_ack=True
        )
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._client.reconnect_delay_set(1, 5)
        if config.tls:
            self._client.tls_set(
                ca_certs=_s(config.ca_file),
                certfile=_s(config.cert_file),
                keyfile=_s(config.key_file),
            )

    def start(self) -> None:
        """Connect (retrying in the background) and start handling messages."""
        self._client.connect_async(self.config.host, self.config.port, self.config.keepalive_s)
        self._client.loop_start()

    def stop(self) -> None:
        """Disconnect and stop the network thread."""
        self._client.disconnect()
        self._client.loop_stop()

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        if rc.is_failure:
            log.warning("broker refused the HQ receiver: %s", rc)
            return
        client.subscribe([(topics.shared(topics.BATCH_WILDCARD), 1), (topics.STATUS_WILDCARD, 1)])
        self.connected.set()
        log.info("HQ receiver connected to %s:%s", self.config.host, self.config.port)

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        self.connected.clear()
        log.info("HQ receiver disconnected (%s)", rc)

    def _on_message(self, client: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            if msg.topic.endswith("/status"):
                self.ingest.status(msg.topic, bytes(msg.payload))
            else:
                props = getattr(msg, "properties", None)
                corr = getattr(props, "CorrelationData", None)
                ack = self.ingest.batch(msg.topic, bytes(msg.payload), corr)
                if ack is not None:
                    self._send_ack(client, ack)
        except Exception:
            log.exception("failed to handle a message on %r; not acknowledged", msg.topic)
            return
        client.ack(msg.mid, msg.qos)

    def _send_ack(self, client: mqtt.Client, ack: Ack) -> None:
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        props.CorrelationData = ack.batch_id
        # Always the post's own ack topic, whatever ResponseTopic the message named.
        client.publish(topics.ack(ack.post_id), ack.payload(), qos=1, properties=props)


def _s(path: Path | None) -> str | None:
    return str(path) if path is not None else None
