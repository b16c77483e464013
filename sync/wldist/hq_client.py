"""HQ's short-lived MQTT client that publishes a list update (retained, QoS 1)."""

from __future__ import annotations

import uuid

from sync.session import Endpoint, Session

# Where and how HQ connects to publish: host, port, tls, ca_file, cert_file, key_file.
BrokerTarget = Endpoint


class BrokerError(RuntimeError):
    """The broker could not be reached or did not acknowledge every message."""


class Sender:
    """Publish retained QoS 1 messages and wait for every PUBACK; use as a context manager."""

    def __init__(self, target: BrokerTarget, timeout: float = 30.0) -> None:
        self.target, self.timeout = target, timeout
        self.sent_bytes = 0
        self._session = Session(target, f"hq-wl-{uuid.uuid4().hex[:8]}")
        self._session.client.max_inflight_messages_set(64)

    def __enter__(self) -> Sender:
        try:
            self._session.connect(self.timeout)
        except ConnectionError as exc:
            raise BrokerError(str(exc)) from None
        return self

    def __exit__(self, *_exc: object) -> None:
        self._session.stop()

    def send(self, topic: str, payload: bytes, retain: bool) -> None:
        """Publish one message and wait until the broker acknowledged it."""
        info = self._session.publish(topic, payload, retain=retain)
        info.wait_for_publish(self.timeout)
        if not info.is_published():
            raise BrokerError(f"{topic}: not acknowledged by the broker")
        self.sent_bytes += len(payload)
