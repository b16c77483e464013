"""The post's applier of the ``rules`` distribution channel (``sync/wldist/payload.py``).

The channel has its own version numbers (HQ's next snapshot of the channel);
the pack inside has the analyst's. The fetcher has already checked HQ's
signature, the manifest's expiry and the channel's version; this applier
checks the pack itself (:meth:`RulesService.apply`: lint, newer pack version,
not expired) and records ``rules.applied`` / ``rules.refused`` events for HQ.
It runs on the channel's worker thread; ``record`` must be thread-safe.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from edge.rules.service import RulesService
from edge.sanitize import clean_text
from edge.store import NewEvent
from sync.wldist.channel import Channel
from sync.wldist.manifest import Manifest
from sync.wldist.trust import Refused

RULES_CHANNEL = Channel("rules")
CHANNEL_FILE = "rules/channel.json"


class RulesApplier:
    """Puts each verified pack from HQ in force, or refuses it (the pack in force stays)."""

    def __init__(self, service: RulesService, record: Callable[[NewEvent], object]) -> None:
        self.service = service
        self.record = record
        self.path: Path = service.path.parent.parent / CHANNEL_FILE

    def version(self) -> int:
        """The channel version in force (0 before the first pack from HQ)."""
        try:
            return int(json.loads(self.path.read_text())["version"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0

    def apply(self, m: Manifest, data: bytes) -> None:
        """Check the pack and put it in force; :class:`Refused` changes nothing."""
        pack = self.service.apply(data)
        self.path.write_text(json.dumps({"version": m.version, "pack": pack.version}))
        payload = {"version": pack.version, "channel_version": m.version, "rules": len(pack.rules),
                   "expires": pack.expires, "key_id": m.key_id}  # fmt: skip
        self.record(NewEvent("rules.applied", payload, 0, None, None))

    def refused(self, code: str, message: str, details: dict[str, Any]) -> None:
        """A pack refused by the fetcher or by :meth:`apply`: an event for HQ."""
        pack = self.service.pack
        payload = {"reason": code, "message": clean_text(message, 400), **details,
                   "in_force": pack.version if pack else None}  # fmt: skip
        self.record(NewEvent("rules.refused", payload, 1, None, None))


__all__ = ["RULES_CHANNEL", "Refused", "RulesApplier"]
