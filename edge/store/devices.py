"""What the daemon last knew of each device, kept so the console and HQ can see it."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from typing import Any

from edge.store.store import Store
from edge.store.writer import Tx

COLUMNS = (
    "name",
    "kind",
    "lane",
    "url",
    "state",
    "last_seen",
    "readings",
    "errors",
    "fault",
    "restarts",
)
PLACES = ",".join("?" * len(COLUMNS))
log = logging.getLogger("borderpost.store")


def save(store: Store, device: dict[str, Any]) -> Future[None]:
    """Queue one device's state to be inserted or replaced; does not wait for the disk.

    A device's state is not an event: the caller (the loop) need not wait for
    its fsync, and a failure is logged.
    """
    values = [device.get(k) for k in COLUMNS]
    sql = f"INSERT OR REPLACE INTO device_state ({', '.join(COLUMNS)}) VALUES ({PLACES})"

    def job(tx: Tx) -> None:
        tx.conn.execute(sql, values)

    future = store.submit(job)
    future.add_done_callback(_log_failure)
    return future


def _log_failure(future: Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("device state could not be saved: %s", future.exception())


def load_all(store: Store) -> list[dict[str, Any]]:
    """Every device's last known state."""
    return list(store.db.query(f"SELECT {', '.join(COLUMNS)} FROM device_state ORDER BY name"))
