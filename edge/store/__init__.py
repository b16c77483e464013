"""The post's SQLite store: events with their outbox, alerts, officers, audit, devices."""

from edge.store.store import NewAlert, NewEvent, Recorded, Store, StoreError

__all__ = ["NewAlert", "NewEvent", "Recorded", "Store", "StoreError"]
