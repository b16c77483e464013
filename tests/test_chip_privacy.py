"""A chip read names its holder (DG1): the retention period blanks it like a printed MRZ."""

from __future__ import annotations

import time
from pathlib import Path

from drivers.events import ChipVerdict
from edge.store import NewEvent, Store
from edge.store.outbox import StoreOutbox


def test_chip_read_is_purged_with_the_personal_data(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "events.db")
    verdict = ChipVerdict(status="read", surname="DOE", given_names="JANE", document_number="A1")
    store.record(NewEvent("chip.read", verdict))
    StoreOutbox(store.path).acknowledge([1])
    assert store.search(document_number="A1")
    assert store.purge_personal(1, now=time.time() + 2 * 86400) == 1
    assert store.get_event(1).payload == {"purged": True}  # type: ignore[union-attr]
    assert store.search(document_number="A1") == []
