"""The post's link to HQ: one MQTT session shared by the uplink and watchlist updates.

``HqLink.build`` makes the session (with the retained 'offline' last will),
the uplink draining the outbox and, when a root key is configured, the
watchlist updates; ``start`` connects them all, ``stop`` says 'offline' and
disconnects once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edge.config import Settings
from edge.store.epoch import identity_of
from edge.watchlist_sync import ListOwner, Record, WatchlistSync, start_channels, start_for
from sync.keys import load_private, post_key_paths
from sync.outbox import Epoch, OutboxSource
from sync.session import Session
from sync.uplink import Uplink, post_session
from sync.wldist.channel import Channel
from sync.wldist.payload import Applier, Channels

log = logging.getLogger("borderpost.uplink")


@dataclass
class HqLink:
    """The session, the uplink on it and (maybe) the watchlist updates on it."""

    settings: Settings
    state_dir: Path
    session: Session
    uplink: Uplink
    watchlist: WatchlistSync | None = None
    channels: Channels | None = None

    @classmethod
    def build(
        cls,
        settings: Settings,
        state_dir: Path,
        outbox: OutboxSource,
        status: Callable[[], dict[str, Any]],
    ) -> HqLink:
        """Everything for talking to HQ, not yet connected (``settings.uplink`` must be set)."""
        cfg = settings.uplink
        assert cfg is not None, "HqLink needs a [broker] section"
        session = post_session(cfg)
        key = load_private(post_key_paths(state_dir)[0])
        ident = identity_of(state_dir)
        epoch = Epoch(bytes.fromhex(ident.epoch), ident.base)
        uplink = Uplink(
            cfg, outbox=outbox, signing_key=key, status=status, session=session, epoch=epoch
        )
        return cls(settings, state_dir, session, uplink)

    def start(
        self,
        record: Record,
        watchlist: ListOwner,
        appliers: dict[Channel, Applier] | None = None,
    ) -> None:
        """Connect in the background; ``record`` (thread-safe) takes watchlist events,
        ``watchlist`` (the list's one owner) is told of each update applied, ``appliers``
        take the other distribution channels' payloads (pre-arrival, rules, CSCA)."""
        self.uplink.start()
        self.watchlist = start_for(self.settings, self.state_dir, record, watchlist, self.session)
        self.channels = start_channels(self.settings, self.state_dir, self.session, appliers or {})
        self.session.start()

    def notify(self) -> None:
        """New events are in the outbox (thread-safe)."""
        self.uplink.notify()

    def state(self) -> dict[str, Any]:
        """The uplink's figures for status."""
        return self.uplink.state()

    def stop(self, timeout: float = 0.8) -> None:
        """Say 'offline', stop the uplink and watchlist updates, disconnect the session."""
        self.uplink.stop(timeout * 0.6)
        if self.watchlist is not None:
            self.watchlist.stop()
        if self.channels is not None:
            self.channels.stop()
        self.session.stop(timeout * 0.4)
