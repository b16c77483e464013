"""The narrow services the composition root (``edge.daemon.build_post``) wires together.

The local API's handlers, the uplink's status and the watchlist updates each
get only the services they use, typed by the Protocols here, never the
daemon. Whatever another thread reads is an immutable :class:`StatusSnapshot`
that the event loop replaces as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from drivers.base import Reading
from drivers.events import WatchlistKey
from edge.config import Settings
from edge.recorder import Recorder
from edge.store import Recorded, Store


class Ingest(Protocol):
    """Clean, screen, store and publish one reading (the loop stays free while it commits)."""

    async def __call__(self, reading: Reading, *, lane: str | None, device: str | None) -> Recorded:
        """The reading's event, on disk and published, with the alerts it raised."""
        ...


class Device(Protocol):
    """One supervised device, as the API sees it."""

    @property
    def raw(self) -> Sequence[tuple[float, str]]:
        """The latest raw frames: (time, hex)."""
        ...

    def reconnect(self) -> None:
        """Drop the connection now and open it again."""
        ...

    def as_json(self) -> dict[str, Any]:
        """The device's state for the API and HQ."""
        ...


class Devices(Protocol):
    """The post's devices: look one up, list them."""

    def get(self, name: str) -> Device | None:
        """The device called ``name``, or None."""
        ...

    def all(self) -> Sequence[Device]:
        """Every configured device, in configuration order."""
        ...


class Screening(Protocol):
    """What the API needs of screening: an officer's clearance is remembered."""

    def remember_cleared(
        self, keys: Sequence[WatchlistKey], hits: Sequence[Mapping[str, Any]]
    ) -> None:
        """Do not raise the same hit again for these keys (writes ``watchlist.db``: call it
        off the loop)."""
        ...


class Notify(Protocol):
    """Wake the uplink: events wait in the outbox."""

    def notify(self) -> None:
        """Thread-safe; returns at once."""
        ...


@dataclass(frozen=True)
class StatusSnapshot:
    """The post's health as last seen on the event loop; other threads read it as is."""

    devices: tuple[dict[str, Any], ...] = ()
    lanes: dict[str, dict[str, Any]] = field(default_factory=dict)
    watchlist: dict[str, Any] = field(default_factory=dict)


class Status(Protocol):
    """The figures ``status`` and ``system`` report."""

    def status(self) -> dict[str, Any]:
        """``borderpost status --json``."""
        ...

    def system(self) -> dict[str, Any]:
        """Version, disk, database size, clock."""
        ...


class Config(Protocol):
    """The settings in force, where they came from, and a technician's change to them."""

    @property
    def settings(self) -> Settings:
        """The settings in force (file, then technician overrides)."""
        ...

    @property
    def config_path(self) -> Path | None:
        """The configuration file, or None for the defaults."""
        ...

    async def apply_device(self, name: str, settings: Settings) -> None:
        """Put ``settings`` in force and restart device ``name`` with them."""
        ...


class Sessions(Protocol):
    """The local API's connected clients, as an officer admin action needs them."""

    def end_officer_sessions(self, officer_id: str) -> int:
        """Log out and disconnect every session of a disabled officer; how many."""
        ...


@dataclass(frozen=True)
class Services:
    """Everything the local API's handlers may use."""

    store: Store
    recorder: Recorder
    ingest: Ingest
    devices: Devices
    screening: Screening
    status: Status
    config: Config
    sessions: Sessions
    uplink: Notify | None = None
    allow_inject: bool = False
