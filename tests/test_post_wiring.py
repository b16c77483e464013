"""The composition root: build_post wires services, one MQTT session serves the whole post."""

from __future__ import annotations

import asyncio
from pathlib import Path

from edge.api.handlers import HANDLERS
from edge.api.protocol import ALLOWED, PUBLIC_REQUESTS
from edge.config import settings_from_mapping
from edge.daemon import build_post
from edge.store import NewEvent
from sync import keys


def test_an_offline_post_has_every_handler_and_no_link(tmp_path: Path) -> None:
    daemon = build_post(settings_from_mapping({}), tmp_path)
    try:
        # every request the protocol lets a role (or anyone) send has its handler, and no more:
        # the API's own and the ones the daemon's parts serve (chip.face, prearrival)
        allowed = set(PUBLIC_REQUESTS).union(*ALLOWED.values())
        assert set(daemon.api.handlers) == allowed
        assert set(HANDLERS) <= allowed
        assert daemon.link is None and daemon.status.snapshot.devices == ()
    finally:
        daemon.store.close()


def test_the_uplink_and_the_watchlist_updates_share_one_session(tmp_path: Path) -> None:
    keys.init_pair(tmp_path / "keys")
    root = tmp_path / "root.pub"
    root.write_bytes(keys.public_pem(keys.generate().public_key()))
    raw = {
        "post": {"id": "post-09"},
        "broker": {"host": "127.0.0.1", "port": 1, "tls": False},  # nobody listens: it retries
        "watchlist": {"root_key_file": str(root)},
    }
    daemon = build_post(settings_from_mapping(raw), tmp_path)
    recorded: list[NewEvent] = []

    async def run() -> None:
        link = daemon.link
        assert link is not None
        link.start(recorded.append, daemon.screening)
        try:
            assert link.watchlist is not None
            assert link.watchlist.owner is daemon.screening  # the one owner of watchlist.db
            assert link.watchlist.fetcher.session is link.session is link.uplink.session
            assert link.session.client_id == "post-09"
            assert link.state()["connected"] is False
        finally:
            await asyncio.get_running_loop().run_in_executor(None, link.stop, 0.5)

    try:
        asyncio.run(run())
    finally:
        daemon.screening.close()
        daemon.store.close()
