"""HQ's short-lived MQTT client that publishes a list update (retained, QoS 1)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion


class BrokerError(RuntimeError):
    """The broker could not be reached or did not acknowledge every message."""


@dataclass(frozen=True)
class BrokerTarget:
    """Where and how HQ connects to publish."""

    host: str
    port: int
    tls: bool = True
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None


class Sender:
    """Publish retained QoS 1 messages and wait for every PUBACK; use as a context manager."""

    def __init__(self, target: BrokerTarget, timeout: float = 30.0) -> None:
        self.target, self.timeout = target, timeout
        self.sent_bytes = 0
        self._connected = threading.Event()
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"hq-wl-{uuid.uuid4().hex[:8]}",
            protocol=mqtt.MQTTv5,
        )
        if target.tls:
            self._client.tls_set(
                ca_certs=_s(target.ca_file),
                certfile=_s(target.cert_file),
                keyfile=_s(target.key_file),
            )
        self._client.on_connect = self._on_connect
        self._client.max_inflight_messages_set(64)

    def _on_connect(self, _c: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        if not rc.is_failure:
            self._connected.set()

    def __enter__(self) -> Sender:
        try:
            self._client.connect(self.target.host, self.target.port, 30)
        except OSError as exc:
            raise BrokerError(
                f"cannot reach {self.target.host}:{self.target.port}: {exc}"
            ) from None
        self._client.loop_start()
        if not self._connected.wait(self.timeout):
            self._client.loop_stop()
            raise BrokerError("the broker did not accept the connection")
        return self

    def __exit__(self, *_exc: object) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def send(self, topic: str, payload: bytes, retain: bool) -> None:
        """Publish one message and wait until the broker acknowledged it."""
        info = self._client.publish(topic, payload, qos=1, retain=retain)
        info.wait_for_publish(self.timeout)
        if not info.is_published():
            raise BrokerError(f"{topic}: not acknowledged by the broker")
        self.sent_bytes += len(payload)


def _s(path: Path | None) -> str | None:
    return None if path is None else str(path)
