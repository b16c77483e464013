"""The post's side of watchlist distribution: apply verified updates, report refusals.

``sync.wldist.fetch.Fetcher`` fetches and verifies; this module applies an
update to ``watchlist.db`` in one ``Watchlist.change()`` transaction, in a
child process (screening keeps reading the previous version until it
commits), then tells the file's one owner in the daemon (``ListOwner``, the
screening service) to open it afresh. It never opens the list itself. It records
``watchlist.refused`` events through the recorder it is given, and adds the
list's age and staleness to status. It shares the post's one MQTT session.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from edge.config import Settings, WatchlistSettings
from edge.sanitize import clean_text
from edge.store import NewEvent
from edge.watchlist.db import BULK_THRESHOLD, Change, Watchlist, WatchlistError
from edge.watchlist.model import EntryError, entry_from_json
from sync.keys import load_public
from sync.session import Session
from sync.uplink_config import UplinkConfig
from sync.wldist.channel import Channel
from sync.wldist.fetch import Fetcher
from sync.wldist.manifest import ChunkInfo, Manifest, decompress_chunk
from sync.wldist.payload import Applier, Channels
from sync.wldist.trust import Refused

log = logging.getLogger("borderpost.watchlist_sync")
APPLY_BATCH = 500


def update_lines(files: list[Path]) -> Iterator[bytes]:
    """The raw lines of an update, chunk by chunk."""
    for path in files:
        yield from decompress_chunk(path.read_bytes()).splitlines()


def apply_update(watchlist: Watchlist, m: Manifest, files: list[Path]) -> dict[str, int]:
    """Apply a verified update as version ``m.version`` in one transaction.

    A snapshot replaces the whole list; a delta upserts and deletes. An invalid
    entry raises :class:`Refused` (``malformed``) and nothing changes.
    """
    note = f"hq {m.kind} {m.version} key {m.key_id}"
    with watchlist.change(version=m.version, note=note, bulk=m.entries > BULK_THRESHOLD) as ch:
        batch: list[Any] = []
        for n, line in enumerate(update_lines(files), 1):
            _take(ch, batch, n, line)
            if len(batch) >= APPLY_BATCH:
                ch.upsert(batch)
                batch = []
                time.sleep(0.002)  # let screening threads take the GIL between batches
        ch.upsert(batch)
        if m.kind == "snapshot":
            _drop_others(ch)
    return ch.result


def apply_in_child(db_path: Path, m: Manifest, files: list[Path]) -> dict[str, int]:
    """:func:`apply_update` in a child process, so a long apply never holds this
    process's GIL against screening; :class:`Refused` or :class:`WatchlistError` on failure."""
    request = json.dumps(
        {"db": str(db_path), "manifest": dataclasses.asdict(m), "files": [str(f) for f in files]}
    )
    proc = subprocess.run(
        [sys.executable, "-m", "edge.watchlist_sync"],
        input=request,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 3:
        code, _, message = proc.stdout.strip().partition(" ")
        raise Refused(code, message)
    if proc.returncode != 0:
        raise WatchlistError(f"apply failed: {proc.stderr.strip()[-400:]}")
    result: dict[str, int] = json.loads(proc.stdout)
    return result


def _child_main() -> int:
    req = json.loads(sys.stdin.read())
    fields = dict(req["manifest"])
    fields["chunks"] = tuple(ChunkInfo(**c) for c in fields["chunks"])
    fields["posts"] = tuple(fields["posts"])
    wl = Watchlist.open(req["db"])
    try:
        result = apply_update(wl, Manifest(**fields), [Path(f) for f in req["files"]])
    except Refused as exc:
        print(exc.code, exc.message)
        return 3
    print(json.dumps(result))
    return 0


def _take(ch: Change, batch: list[Any], n: int, line: bytes) -> None:
    try:
        obj = json.loads(line)
        if isinstance(obj, dict) and set(obj) == {"delete"}:
            ch.delete([str(obj["delete"])])
        else:
            batch.append(entry_from_json(obj))
    except (ValueError, EntryError, TypeError, WatchlistError) as exc:
        raise Refused("malformed", f"update line {n}: {exc}") from None


def _drop_others(ch: Change) -> None:
    sql = "SELECT entry_id FROM entries WHERE list_version != ?"
    stale = [row[0] for row in ch.conn.execute(sql, (ch.version,))]
    ch.delete(stale)


def stale(settings_h: float, age_s: float | None) -> bool:
    """True when no list, or the list in force is older than ``settings_h`` hours."""
    return age_s is None or age_s > settings_h * 3600


class ListInForce(Protocol):
    """What status needs of screening: the version and age of the list in force."""

    def version(self) -> int | None:
        """The list's version, or None when there is none."""
        ...

    def age_s(self) -> float | None:
        """Seconds since the list was published, or None."""
        ...


class ListOwner(ListInForce, Protocol):
    """The daemon's one owner of ``watchlist.db``: where it is, and a new version is in it."""

    @property
    def path(self) -> Path:
        """The list's file (an update is applied to it in a child process)."""
        ...

    def reopen(self) -> bool:
        """Open the list afresh after an update (thread-safe); False if it cannot be opened."""
        ...


Record = Callable[[NewEvent], None]


class WatchlistSync:
    """Fetches and applies list updates for a post; ``record`` must be thread-safe."""

    def __init__(
        self,
        cfg: WatchlistSettings,
        conn: UplinkConfig,
        state_dir: Path,
        record: Record,
        owner: ListOwner,
        session: Session | None = None,
    ) -> None:
        root_path = Path(cfg.root_key_file)
        root = load_public(root_path if root_path.is_absolute() else state_dir / root_path)
        self.owner = owner
        self.record = record
        self.fetcher = Fetcher(
            conn,
            state_dir,
            root,
            lambda: self.owner.version() or 0,
            self._apply,
            self._refused,
            window=cfg.fetch_window,
            session=session,
        )

    def start(self) -> None:
        """Resume any transfer on disk; fetch whenever the session is connected."""
        self.fetcher.start()

    def stop(self) -> None:
        """Stop fetching (the list's owner closes it)."""
        self.fetcher.stop()

    def _apply(self, m: Manifest, files: list[Path]) -> None:
        started = time.monotonic()
        result = apply_in_child(self.owner.path, m, files)
        self.owner.reopen()
        log.info(
            "watchlist version %s applied in %.1f s: %s",
            m.version,
            time.monotonic() - started,
            result,
        )
        payload = {"version": m.version, "kind": m.kind, "key_id": m.key_id, **result}
        self.record(NewEvent("watchlist.applied", payload, 0, None, None))

    def _refused(self, code: str, message: str, details: dict[str, Any]) -> None:
        text = clean_text(message, 400)
        payload = {"reason": code, "message": text, **details}
        self.record(NewEvent("watchlist.refused", payload, 1, None, None))


def status_fields(
    screening: ListInForce, cfg: WatchlistSettings, sync: WatchlistSync | None
) -> dict[str, Any]:
    """``watchlist_version``, ``watchlist_age_s``, ``watchlist_stale`` (and fetch counters)."""
    age = screening.age_s()
    out: dict[str, Any] = {
        "watchlist_version": screening.version(),
        "watchlist_age_s": age,
        "watchlist_stale": stale(cfg.stale_after_h, age),
    }
    if sync is not None:
        out["watchlist_fetch"] = sync.fetcher.state()
    return out


def start_for(
    settings: Settings, state_dir: Path, record: Record, owner: ListOwner, session: Session
) -> WatchlistSync | None:
    """Start watchlist updates when a broker and ``[watchlist] root_key_file`` are set."""
    if settings.uplink is None or not settings.watchlist.root_key_file:
        return None
    try:
        sync = WatchlistSync(settings.watchlist, settings.uplink, state_dir, record, owner, session)
    except Exception as exc:
        log.error("watchlist updates disabled: %s", exc)
        return None
    sync.start()
    return sync


def start_channels(
    settings: Settings, state_dir: Path, session: Session, appliers: dict[Channel, Applier]
) -> Channels | None:
    """Start the other channels (pre-arrival, rules, CSCA) with their appliers, on the
    post's session, trusting the watchlist's root key; None when not configured."""
    if settings.uplink is None or not settings.watchlist.root_key_file or not appliers:
        return None
    root_path = Path(settings.watchlist.root_key_file)
    try:
        root = load_public(root_path if root_path.is_absolute() else state_dir / root_path)
        channels = Channels(settings.uplink, state_dir, root, session)
        for channel, applier in appliers.items():
            channels.register(channel, applier)
    except Exception as exc:
        log.error("distribution channels disabled: %s", exc)
        return None
    channels.start()
    return channels


if __name__ == "__main__":
    sys.exit(_child_main())
