"""What every device decoder gives the daemon: typed readings from bytes.

A decoder is sans-IO: the daemon's device task reads bytes from the device
URL and hands them to ``feed``; it calls ``tick`` at least every 100 ms so a
decoder can end a block on an inter-character timeout or notice silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Reading:
    """One thing a device told us, ready to become an event.

    ``kind`` names the event kind (``mrz``, ``barcode``, ``rpm.occupancy``,
    ``rpm.fault``, ``device.fault`` …); ``payload`` is JSON-serialisable;
    ``priority`` 0 is routine, higher is more urgent (alerts use 2).
    ``keys`` are the watchlist look-ups this reading yields, e.g.
    ``{"kind": "document", "number": "L898902C3", "issuer": "UTO"}`` or a
    person with surname, given names, birth date, nationality and sex.
    """

    kind: str
    payload: dict[str, Any]
    priority: int = 0
    keys: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    alert: str | None = None  # a device-raised alert (radiation alarm, fault), or None


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
    thread and hands each reading to the callback it was made with."""

    def start(self) -> None:
        """Open the device and start reading (may block briefly: call off the loop)."""
        ...

    def stop(self) -> None:
        """Stop reading and release the device."""
        ...


class DriverError(ValueError):
    """A device's options are wrong (raised by decoder factories)."""
