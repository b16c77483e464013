"""What the daemon last knew of each device, kept so the console and HQ can see it."""

from __future__ import annotations

from typing import Any

from edge.store.store import Store

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


def save(store: Store, device: dict[str, Any]) -> None:
    """Insert or replace one device's state."""
    store.db.table("device_state").upsert({k: device.get(k) for k in COLUMNS}, pk="name")


def load_all(store: Store) -> list[dict[str, Any]]:
    """Every device's last known state."""
    return list(store.db.query(f"SELECT {', '.join(COLUMNS)} FROM device_state ORDER BY name"))
