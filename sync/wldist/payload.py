"""Bytes on a channel: HQ publishes a whole payload, a post's applier takes it verified.

The watchlist sends JSON Lines and deltas; the other channels (``pax``
expected arrivals, ``rules``, ``csca``) send one whole payload each time — a
snapshot — and the post replaces what it had. HQ: :func:`publish_bytes`. Post:
an :class:`Applier` per channel, registered on a :class:`Channels` that runs
one :class:`~sync.wldist.fetch.Fetcher` per channel on the post's one MQTT
session; the fetcher checks signature, expiry, channel, post, version and
every chunk, then the applier gets the whole payload.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.session import Session
from sync.uplink_config import UplinkConfig
from sync.wldist import manifest as mf
from sync.wldist import publish as pub
from sync.wldist.channel import Channel
from sync.wldist.fetch import Fetcher
from sync.wldist.trust import Refused

log = logging.getLogger("sync.wldist")
DEFAULT_PIECE: Final = 256 * 1024


def pieces(data: bytes, size: int) -> list[bytes]:
    """``data`` cut into pieces of ``size`` bytes (one empty piece for no data)."""
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


def build_bytes(
    channel: Channel,
    data: bytes,
    state: dict[str, Any],
    signer: pub.Signer,
    *,
    expires_s: float,
    entries: int = 0,
    now: float | None = None,
) -> pub.Plan:
    """The next snapshot of ``channel`` carrying ``data`` (not sent)."""
    now = time.time() if now is None else now
    version = int(state["version"]) + 1
    chunks = list(mf.compress_chunks(pieces(data, DEFAULT_PIECE), DEFAULT_PIECE))
    body = mf.manifest_body(
        version=version,
        previous=0,
        created=now,
        expires=now + expires_s,
        posts=[channel.post] if channel.post else [],
        chunks=chunks,
        raw=(len(data), hashlib.sha256(data).hexdigest()),
        entries=entries,
        channel=channel,
    )
    message = mf.sign_manifest(body, signer.key, signer.cert, signer.crl)
    return pub.Plan(version, chunks, message, "snapshot", entries, channel)


def publish_bytes(
    hq_state_dir: Path,
    channel: Channel,
    data: bytes,
    send: pub.Send,
    *,
    expires_s: float = 7 * 86400,
    entries: int = 0,
) -> dict[str, Any]:
    """Sign and publish ``data`` as ``channel``'s next version; record HQ's state.

    ``send(topic, payload, retain)`` is :meth:`sync.wldist.hq_client.Sender.send`.
    Returns the summary (version, chunks, bytes). Raises :class:`pub.PublishError`
    without a publishing key.
    """
    state = pub.HqState(hq_state_dir, channel)
    old = state.load()
    plan = build_bytes(
        channel, data, old, pub.Signer.load(hq_state_dir), expires_s=expires_s, entries=entries
    )
    new = pub.send_plan(plan, old, send)
    state.dir.mkdir(parents=True, exist_ok=True)
    pub.atomic_write(state.dir / "state.json", json.dumps(new).encode())
    return {"channel": channel.name, "post": channel.post or None, **pub.plan_summary(plan)}


class Applier(Protocol):
    """What a post registers for a channel: its version in force and how to apply one."""

    def version(self) -> int:
        """The version in force (0 before the first)."""
        ...

    def apply(self, m: mf.Manifest, data: bytes) -> None:
        """Apply a verified payload as version ``m.version``; raise :class:`Refused` to refuse
        it (nothing may change then)."""
        ...

    def refused(self, code: str, message: str, details: dict[str, Any]) -> None:
        """An update was refused (log it, record an event)."""
        ...


def payload_of(files: list[Path]) -> bytes:
    """The whole payload of a verified update's chunk files."""
    return b"".join(mf.decompress_chunk(p.read_bytes()) for p in files)


@dataclass
class Channels:
    """The post's channels other than the watchlist, each with its applier, on one session."""

    conn: UplinkConfig
    state_dir: Path
    root: Ed25519PublicKey
    session: Session | None = None
    window: int = 4
    fetchers: dict[Channel, Fetcher] = field(default_factory=dict)

    def register(self, channel: Channel, applier: Applier) -> Fetcher:
        """Fetch ``channel`` and hand each verified payload to ``applier`` (before start)."""

        def ready(m: mf.Manifest, files: list[Path]) -> None:
            applier.apply(m, payload_of(files))

        fetcher = Fetcher(
            self.conn,
            self.state_dir,
            self.root,
            applier.version,
            ready,
            applier.refused,
            window=self.window,
            session=self.session,
            channel=channel,
        )
        self.fetchers[channel] = fetcher
        return fetcher

    def start(self) -> None:
        """Start every registered channel's fetcher."""
        for fetcher in self.fetchers.values():
            fetcher.start()

    def stop(self) -> None:
        """Stop them (a transfer resumes at the next start)."""
        for fetcher in self.fetchers.values():
            fetcher.stop()

    def state(self) -> dict[str, Any]:
        """Each channel's fetch counters, by channel name."""
        return {c.name: f.state() for c, f in self.fetchers.items()}


__all__ = ["Applier", "Channels", "Refused", "build_bytes", "payload_of", "publish_bytes"]
