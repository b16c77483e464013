"""Screening in the daemon: the watchlist's hits on a reading become alerts.

``ScreeningService`` is the daemon's one owner of ``watchlist.db``: it opens
the list, opens it afresh when an update has been applied to the file
(``reopen``, called by ``edge/watchlist_sync.py``) and closes it; the others
ask it for the file and the version in force. Readings' typed watchlist keys
(``drivers.events``) become the JSON the watchlist's screener reads here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from drivers.events import WatchlistKey, encode_key
from edge.config import ScreeningSettings
from edge.state_codes import normalise_keys
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
        self._opening = threading.Lock()
        if not self._open():
            threading.Thread(target=self._keep_trying, name="watchlist-open", daemon=True).start()

    def _open(self) -> bool:
        with self._opening:
            return self._open_locked()

    def _open_locked(self) -> bool:
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

    def reopen(self) -> bool:
        """Open the list afresh after an update was applied to the file (thread-safe).

        Screening moves to the new handle at once; the old one is dropped, not
        closed, so a check still running on it finishes (its connections close
        with it). False, with the fault shown, when the file cannot be opened.
        """
        return self._open()

    def alerts_for(self, keys: Sequence[WatchlistKey]) -> list[NewAlert]:
        """One alert carrying every hit on ``keys`` (none when nothing matched)."""
        screener = self.screener
        if not keys or screener is None:
            return []
        raw = [encode_key(k) for k in normalise_keys(keys)]  # D and DEU: one spelling
        hits = [h.to_json() for h in screener.check(raw)]
        if not hits:
            return []
        best = max(hits, key=lambda h: h.get("score", 0))
        severity = PRIORITY_ALERT if best.get("band") == "referral" else PRIORITY_NOTICE
        summary = f"watchlist {best.get('band')}: {best.get('matched')} ({best.get('action')})"
        return [NewAlert("watchlist", summary, severity, hits, raw)]

    def remember_cleared(
        self, keys: Sequence[WatchlistKey], hits: Sequence[Mapping[str, Any]]
    ) -> None:
        """A cleared alert: do not alert on the same document and record versions again."""
        screener = self.screener
        if screener is None:
            return
        raw = [encode_key(k) for k in normalise_keys(keys)]
        for hit in hits:
            version = hit.get("explain", {}).get("record_version", 0)
            screener.remember_cleared(raw, str(hit.get("entry_id")), int(version or 0))

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
