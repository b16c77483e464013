"""What every device decoder gives the daemon: typed readings from bytes.

A decoder is sans-IO: the daemon's device task reads bytes from the device
URL and hands them to ``feed``; it calls ``tick`` at least every 100 ms so a
decoder can end a block on an inter-character timeout or notice silence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from drivers.events import (
    KEY_TYPES,
    Body,
    WatchlistKey,
    decode_body_or_unknown,
    decode_key,
    encode_body,
)


@dataclass(frozen=True)
class Reading:
    """One thing a device told us, ready to become an event.

    ``kind`` names the event kind (``mrz``, ``barcode``, ``rpm.occupancy``,
    ``rpm.fault``, ``device.fault`` …); ``body`` is its typed event body
    (``drivers.events``), which the store encodes once with the one codec;
    ``priority`` 0 is routine, higher is more urgent (alerts use 2).
    ``keys`` are the typed watchlist look-ups this reading yields: a
    ``DocumentKey``, a ``PersonKey``, a ``ContainerKey`` or an ``MrnKey``.
    """

    kind: str
    body: Body
    priority: int = 0
    keys: tuple[WatchlistKey, ...] = ()
    alert: str | None = None  # a device-raised alert (radiation alarm, fault), or None

    @property
    def payload(self) -> dict[str, Any]:
        """The body's JSON object, as it will be stored and sent."""
        return encode_body(self.body)

    @classmethod
    def of(
        cls,
        kind: str,
        payload: Mapping[str, Any],
        priority: int = 0,
        keys: Iterable[Mapping[str, Any] | WatchlistKey] = (),
        alert: str | None = None,
    ) -> Reading:
        """A reading from the JSON object a parser built, typed by the codec.

        The body encodes back to exactly ``payload`` (a payload the codec
        refuses is kept whole as ``Unknown``); keys given as JSON objects are
        typed too, and one the codec cannot type raises ``CodecError``.
        """
        body = decode_body_or_unknown(kind, payload)
        typed = tuple(k if isinstance(k, KEY_TYPES) else decode_key(k) for k in keys)
        return cls(kind, body, priority, typed, alert)


class Decoder(Protocol):
    """Turns the bytes of one device into readings."""

    def feed(self, data: bytes, now: float) -> list[Reading]:
        """Consume bytes received at monotonic time ``now``."""
        ...

    def tick(self, now: float) -> list[Reading]:
        """Let time pass: end blocks on timeouts, report silence."""
        ...


class Source(Protocol):
    """A device that is not a byte stream (camera, HID scanner): it reads in its own
    thread and hands each reading to the callback it was made with. Its factory
    (``url, options, deliver``) checks the URL and options (``DriverError``) and opens
    nothing, so ``config check`` can make one and drop it."""

    def start(self) -> None:
        """Open the device and start reading (may block briefly: call off the loop)."""
        ...

    def stop(self) -> None:
        """Stop reading and release the device."""
        ...


class DriverError(ValueError):
    """A device's options are wrong (raised by decoder factories)."""
