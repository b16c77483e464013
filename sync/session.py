"""One MQTT v5 session: the paho client behind one small class.

A process opens one :class:`Session` and lets each part (the uplink, the
watchlist fetcher, the HQ receiver) subscribe its topics with a handler.
Every client uses paho 2.x ``CallbackAPIVersion.VERSION2``; a post's session
carries a retained last-will status, so HQ sees a post go offline.
Handlers run on paho's network thread and must only queue work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from sync.uplink_config import UplinkConfig

log = logging.getLogger("sync.session")
Handler = Callable[[mqtt.MQTTMessage], None]


@dataclass(frozen=True)
class Endpoint:
    """Where and how to connect: broker address, TLS files, user name."""

    host: str
    port: int
    tls: bool = True
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    keepalive_s: int = 30
    username: str | None = None

    @classmethod
    def of(cls, cfg: UplinkConfig) -> Endpoint:
        """A post's endpoint from its ``[broker]`` settings."""
        c = cfg
        return cls(
            c.host, c.port, c.tls, c.ca_file, c.cert_file, c.key_file, c.keepalive_s, c.username
        )


@dataclass(frozen=True)
class Will:
    """A retained message the broker publishes when the session dies."""

    topic: str
    payload: bytes


class Session:
    """One paho client: connect in the background, route messages to handlers."""

    def __init__(
        self,
        endpoint: Endpoint,
        client_id: str,
        *,
        will: Will | None = None,
        manual_ack: bool = False,
        reconnect_max_s: int = 10,
    ) -> None:
        self.endpoint = endpoint
        self.client_id = client_id
        self._lock = threading.Lock()
        self._on_connect: list[Callable[[], None]] = []
        self._on_disconnect: list[Callable[[], None]] = []
        self._granted: dict[int, Callable[[bool], None]] = {}
        self._connected = False
        self.last_error: str | None = None
        self.max_packet: int | None = None  # the broker's limit from its last CONNACK
        self.client = self._make_client(will, manual_ack)
        self.client.reconnect_delay_set(1, reconnect_max_s)

    def _make_client(self, will: Will | None, manual_ack: bool) -> mqtt.Client:
        e = self.endpoint
        c = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=manual_ack,
        )
        if e.tls:
            c.tls_set(ca_certs=_s(e.ca_file), certfile=_s(e.cert_file), keyfile=_s(e.key_file))
        if e.username:
            c.username_pw_set(e.username)
        if will is not None:
            c.will_set(will.topic, will.payload, qos=1, retain=True)
        c.on_connect = self._connect_cb
        c.on_disconnect = self._disconnect_cb
        c.on_subscribe = self._subscribe_cb
        return c

    # -- wiring (before start) -------------------------------------------------

    def when_connected(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` (on paho's thread) after every successful (re)connect."""
        self._on_connect.append(fn)

    def when_disconnected(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` (on paho's thread) when the connection is lost."""
        self._on_disconnect.append(fn)

    def route(self, topic_filter: str, handler: Handler) -> None:
        """Hand messages matching ``topic_filter`` to ``handler`` (paho's thread)."""
        self.client.message_callback_add(topic_filter, lambda _c, _u, msg: handler(msg))

    # -- life cycle -------------------------------------------------------------

    def start(self) -> None:
        """Connect in the background and keep reconnecting; never raises for a missing broker."""
        e = self.endpoint
        self.client.connect_async(e.host, e.port, e.keepalive_s)
        self.client.loop_start()

    def connect(self, timeout: float) -> None:
        """Connect now and wait until the broker accepts (``ConnectionError`` if not)."""
        ready = threading.Event()
        self.when_connected(ready.set)
        e = self.endpoint
        try:
            self.client.connect(e.host, e.port, e.keepalive_s)
        except OSError as exc:
            raise ConnectionError(f"cannot reach {e.host}:{e.port}: {exc}") from None
        self.client.loop_start()
        if not ready.wait(timeout):
            self.client.loop_stop()
            raise ConnectionError(self.last_error or "the broker did not accept the connection")

    def stop(self, timeout: float = 1.0) -> None:
        """Disconnect and stop paho's thread within about ``timeout``."""
        self.client.disconnect()
        stopper = threading.Thread(target=self.client.loop_stop, daemon=True)
        stopper.start()
        stopper.join(max(0.05, timeout))

    @property
    def connected(self) -> bool:
        """True while the broker has accepted the connection."""
        return self._connected

    # -- operations ---------------------------------------------------------------

    def subscribe(
        self,
        topic: str,
        *,
        qos: int = 1,
        retain_handling: int = 0,
        granted: Callable[[bool], None] | None = None,
    ) -> None:
        """Subscribe; ``granted(ok)`` is called when the broker answers."""
        opts = SubscribeOptions(qos=qos, retainHandling=retain_handling)
        with self._lock:  # the SUBACK callback waits until the mid is known
            _rc, mid = self.client.subscribe(topic, options=opts)
            if granted is not None and mid is not None:
                self._granted[mid] = granted

    def ack(self, msg: mqtt.MQTTMessage) -> None:
        """Acknowledge a message to the broker (sessions made with ``manual_ack``)."""
        self.client.ack(msg.mid, msg.qos)

    def unsubscribe(self, topic: str) -> None:
        """Stop receiving ``topic``."""
        self.client.unsubscribe(topic)

    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        qos: int = 1,
        retain: bool = False,
        response_topic: str | None = None,
        correlation: bytes | None = None,
    ) -> mqtt.MQTTMessageInfo:
        """Publish one message (queued by paho while the link is down)."""
        props = None
        if response_topic is not None or correlation is not None:
            props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
            if response_topic is not None:
                props.ResponseTopic = response_topic
            if correlation is not None:
                props.CorrelationData = correlation
        return self.client.publish(topic, payload, qos=qos, retain=retain, properties=props)

    # -- paho callbacks ----------------------------------------------------------------

    def _connect_cb(self, _c: mqtt.Client, _u: Any, _f: Any, rc: Any, props: Any) -> None:
        if rc.is_failure:
            self.last_error = f"broker refused the connection: {rc}"
            return
        limit = getattr(props, "MaximumPacketSize", None)
        self.max_packet = limit if isinstance(limit, int) and limit > 0 else None
        self._connected = True
        for fn in list(self._on_connect):
            fn()

    def _disconnect_cb(self, _c: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        was, self._connected = self._connected, False
        if was:
            log.info(
                "%s lost %s:%s (%s)", self.client_id, self.endpoint.host, self.endpoint.port, rc
            )
            for fn in list(self._on_disconnect):
                fn()

    def _subscribe_cb(self, _c: mqtt.Client, _u: Any, mid: int, codes: Any, _p: Any) -> None:
        with self._lock:
            granted = self._granted.pop(mid, None)
        if granted is not None:
            granted(not any(getattr(rc, "is_failure", False) for rc in codes))


def _s(path: Path | None) -> str | None:
    return str(path) if path is not None else None
