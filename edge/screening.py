"""Screening in the daemon: the watchlist's hits on a reading become alerts."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from edge.config import ScreeningSettings
from edge.store import NewAlert
from sync.outbox import PRIORITY_ALERT, PRIORITY_NOTICE

log = logging.getLogger("borderpost.screening")
WATCHLIST_FILE = "watchlist.db"
RETRY_OPEN_S = 30.0


class ScreeningService:
    """The post's local watchlist; a list that cannot be opened is a visible fault, and
    opening it is tried again every ``RETRY_OPEN_S`` in the background (say a migration in
    another process held it) so screening comes back without a restart."""

    def __init__(self, state_dir: Path, settings: ScreeningSettings) -> None:
        self.path = state_dir / WATCHLIST_FILE
        self.settings = settings
        self.watchlist: Any = None
        self.screener: Any = None
        self.fault: str | None = None
        self._stop = threading.Event()
        if not self._open():
            threading.Thread(target=self._keep_trying, name="watchlist-open", daemon=True).start()

    def _open(self) -> bool:
        try:
            from edge.watchlist.db import Watchlist
            from edge.watchlist.screen import Screener

            watchlist = Watchlist.open(self.path)
            screener = Screener(
                watchlist, referral=self.settings.referral, decide=self.settings.decide
            )
        except Exception as exc:
            self.fault = f"watchlist unavailable: {type(exc).__name__}: {exc}"
            log.error("%s", self.fault)
            return False
        self.watchlist, self.screener = watchlist, screener
        if self.fault is not None:
            log.warning(
                "watchlist open again (version %s) after: %s", watchlist.version, self.fault
            )
            self.fault = None
        return True

    def _keep_trying(self) -> None:
        while not self._stop.wait(RETRY_OPEN_S):
            if self._open():
                if self._stop.is_set():  # closed while it was opening
                    self.watchlist.close()
                return

    def alerts_for(self, keys: Sequence[Mapping[str, Any]]) -> list[NewAlert]:
        """One alert carrying every hit on ``keys`` (none when nothing matched)."""
        if not keys or self.screener is None:
            return []
        hits = [h.to_json() for h in self.screener.check(keys)]
        if not hits:
            return []
        best = max(hits, key=lambda h: h.get("score", 0))
        severity = PRIORITY_ALERT if best.get("band") == "referral" else PRIORITY_NOTICE
        summary = f"watchlist {best.get('band')}: {best.get('matched')} ({best.get('action')})"
        return [NewAlert("watchlist", summary, severity, hits, [dict(k) for k in keys])]

    def remember_cleared(
        self, keys: Sequence[Mapping[str, Any]], hits: Sequence[Mapping[str, Any]]
    ) -> None:
        """A cleared alert: do not alert on the same document and record versions again."""
        if self.screener is None:
            return
        for hit in hits:
            version = hit.get("explain", {}).get("record_version", 0)
            self.screener.remember_cleared(keys, str(hit.get("entry_id")), int(version or 0))

    def version(self) -> int | None:
        """The list version in force, or None when there is no list."""
        return getattr(self.watchlist, "version", None) if self.watchlist else None

    def age_s(self) -> float | None:
        """Seconds since the list in force was created or last confirmed fresh."""
        created = getattr(self.watchlist, "created_at", None) if self.watchlist else None
        return round(time.time() - created, 1) if created else None

    def close(self) -> None:
        """Close the list (and stop trying to open it)."""
        self._stop.set()
        closer = getattr(self.watchlist, "close", None)
        if closer is not None:
            closer()
