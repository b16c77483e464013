"""What the daemon last knew of each device, kept so the console and HQ can see it."""

from __future__ import annotations

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


def save(store: Store, device: dict[str, Any]) -> None:
    """Insert or replace one device's state (through the store's writer)."""
    values = [device.get(k) for k in COLUMNS]
    sql = f"INSERT OR REPLACE INTO device_state ({', '.join(COLUMNS)}) VALUES ({PLACES})"

    def job(tx: Tx) -> None:
        tx.conn.execute(sql, values)

    store.write(job)


def load_all(store: Store) -> list[dict[str, Any]]:
    """Every device's last known state."""
    return list(store.db.query(f"SELECT {', '.join(COLUMNS)} FROM device_state ORDER BY name"))
