"""Helpers for the pre-arrival tests: expected lists, payloads, reads."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from drivers.base import Reading
from drivers.events import DocumentKey, PersonKey, WatchlistKey
from sync.wldist.manifest import Manifest


def iso(ts: float) -> str:
    """UNIX seconds as ISO 8601 UTC."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def crew_list(
    list_id: str = "BUS-17", posts: tuple[str, ...] = ("post-01",), start: float | None = None,
    end: float | None = None, n: int = 3, **extra: Any,
) -> dict[str, Any]:  # fmt: skip
    """A bus crew list: ``n`` travellers X0000000i, one vehicle, one consignment."""
    start = time.time() - 60 if start is None else start
    end = start + 3600 if end is None else end
    people = [
        {"surname": f"DRIVER{i}", "given_names": "ANNA", "birth_date": f"198{i}-01-0{i + 1}",
         "nationality": "UTO", "document_type": "P", "document_number": f"X{i:08d}",
         "document_issuer": "UTO", "role": "crew"}
        for i in range(n)
    ]  # fmt: skip
    return {
        "list_id": list_id,
        "reference": f"REF-{list_id}",
        "posts": list(posts),
        "window": {"from": iso(start), "to": iso(end)},
        "travellers": people,
        "vehicles": [{"plate": "UT-123-AB", "country": "UTO"}],
        "consignments": [{"mrn": "26UT0000000000001", "containers": ["MSCU1234565"]}],
        **extra,
    }


def manifest(version: int) -> Manifest:
    """A (verified) manifest of ``version`` as the fetcher hands it over."""
    return Manifest(version, 0, "snapshot", 0, 2**40, ("post-01",), (), 0, "", 0, "k", "pax")


def mrz_read(number: str, surname: str, birth: str = "800101", kind: str = "mrz") -> Reading:
    """A document read with its document and person keys."""
    payload = {"document_number": number, "surname": surname, "issuing_state": "UTO"}
    keys: list[WatchlistKey] = [
        DocumentKey(number, "UTO", "P"),
        PersonKey(surname, "ANNA", birth, "UTO"),
    ]
    return Reading.of(kind, payload, 0, keys)
