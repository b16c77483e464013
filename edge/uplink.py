"""The daemon's side of the uplink: builds ``sync.uplink.Uplink`` from settings and store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from edge.daemon import Daemon


def make_uplink(daemon: Daemon) -> Any:
    """An uplink draining the daemon's outbox to the configured broker."""
    from sync.keys import load_private, post_key_paths
    from sync.uplink import Uplink

    key = load_private(post_key_paths(daemon.state_dir)[0])
    return Uplink(
        daemon.settings.uplink,
        outbox=daemon.outbox,
        signing_key=key,
        status=lambda: _status(daemon),
    )


def _status(daemon: Daemon) -> dict[str, Any]:
    """Status for HQ, read with the uplink thread's own connection (``daemon.outbox``)."""
    from edge.clock import clock_synced
    from edge.watchlist_sync import status_fields

    return {
        "backlog": daemon.outbox.backlog(),
        "last_ack_seq": daemon.outbox.last_ack_seq(),
        "evicted": daemon.outbox.evicted(),
        **status_fields(daemon),
        "clock_synced": clock_synced(),
        "devices": [r.as_json() for r in list(daemon.devices.values())],
        "lanes": daemon.lanes(),
    }
