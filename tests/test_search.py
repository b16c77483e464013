"""Search by partial numbers (issue 27 defect 8): a document, plate, MRN or container number
from four characters on is found as a prefix or inside a stored one; shorter ones exactly;
the crossing's related events stay exact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edge.store import NewEvent, Store

MRN = "21AT0000001234567A"
READINGS = [
    NewEvent("mrz", {"document_number": "L898902C3", "surname": "ERIKSSON", "given_names": "ANNA"}),
    NewEvent("manual", {"source": "manual", "plate": "W 123 AB", "country": "AUT"}),
    NewEvent("barcode", {"symbology": "code128", "text": MRN,
                         "parsed": {"kind": "mrn", "valid": True,
                                    "keys": [{"kind": "mrn", "mrn": MRN}]}}),
    NewEvent("barcode", {"symbology": "code128", "text": "MSCU 123456 5",
                         "parsed": {"kind": "container", "valid": True,
                                    "keys": [{"kind": "container", "number": "MSCU1234565"}]}}),
]  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "events.db")
    for event in READINGS:
        opened.record(event)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("number", "kinds"),
    [
        ("L898902C3", ["mrz"]),  # exact
        ("l898", ["mrz"]),  # prefix, any case
        ("8902", ["mrz"]),  # inside
        ("123A", ["manual"]),  # a typed plate, spaces dropped
        ("0000001234", ["barcode"]),  # inside an MRN
        ("MSCU 1234", ["barcode"]),  # a container as printed
        ("1234", ["barcode", "barcode"]),  # in the MRN and the container
        ("L89", []),  # under four characters: exact only
    ],
)
def test_partial_numbers_are_found(store: Store, number: str, kinds: list[str]) -> None:
    assert [e.kind for e in store.search(document_number=number)] == kinds


def test_related_events_stay_exact(store: Store) -> None:
    assert store.search(document_number="L898", exact=True) == []
    assert [e.kind for e in store.search(document_number="L898902C3", exact=True)] == ["mrz"]
