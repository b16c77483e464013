"""HQ's side of rule packs: publish a checked pack on the ``rules`` channel, never an older one.

The pack's own checks (syntax, lint) are the post's code and run in the
``borderpost hq rules publish`` command before this is called; here HQ
refuses a pack whose version is not above the last one published (a
rollback) or that has already expired, publishes it signed as the channel's
next snapshot (expiring with the pack) and keeps a copy of every published
pack under ``<hq>/rules/`` so HQ can recompute why a crossing was selected.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sync.wldist import publish as pub
from sync.wldist.channel import Channel
from sync.wldist.payload import publish_bytes

RULES_CHANNEL = Channel("rules")
RULES_DIR = "rules"


def last_published(hq_state_dir: Path) -> dict[str, Any]:
    """The last published pack's record (``{}`` before the first)."""
    path = hq_state_dir / RULES_DIR / "published.json"
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def check_publishable(hq_state_dir: Path, version: int, expires: float, now: float) -> None:
    """:class:`pub.PublishError` for an older or equal version, or a pack already expired."""
    last = int(last_published(hq_state_dir).get("pack_version", 0))
    if version <= last:
        raise pub.PublishError(
            f"pack version {version} is not newer than the last published ({last}):"
            " raise the pack's version"
        )
    if expires <= now:
        raise pub.PublishError("the pack has already expired: set a later 'expires'")


def publish_pack(
    hq_state_dir: Path,
    data: bytes,
    *,
    version: int,
    expires: float,
    rules: int,
    send: pub.Send,
    now: float | None = None,
) -> dict[str, Any]:
    """Sign and publish a pack; returns the channel's summary with the pack's version."""
    now = time.time() if now is None else now
    check_publishable(hq_state_dir, version, expires, now)
    summary = publish_bytes(
        hq_state_dir, RULES_CHANNEL, data, send, expires_s=expires - now, entries=rules
    )
    folder = hq_state_dir / RULES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    pub.atomic_write(folder / f"pack-{version}.txt", data)
    record = {"pack_version": version, "channel_version": summary["version"],
              "expires": expires, "published": now, "rules": rules}  # fmt: skip
    pub.atomic_write(folder / "published.json", json.dumps(record).encode())
    return {**summary, "pack_version": version}
