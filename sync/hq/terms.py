"""What an HQ search finds an event by: document numbers, names, plates, MRNs, containers.

An event's payload is a post's JSON, so the terms are taken from the fields
that name a person, a document, a vehicle or a consignment wherever they sit
(an MRZ read's ``document_number``, an alert's hits and keys…), folded to
upper-case letters and digits: ``AB-123 cd`` and ``ab123CD`` are one term.
A name gives each of its words and the whole name run together. The store
keeps them in ``event_terms`` (indexed), so a search is an index range scan
on both SQLite and PostgreSQL, never a scan of every payload.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

ID_FIELDS: Final = frozenset(
    {"document_number", "number", "plate", "vin", "mrn", "container", "container_number"}
)
NAME_FIELDS: Final = frozenset({"surname", "given_names", "name", "primary_name"})
MAX_TERMS: Final = 32
MAX_TERM_LEN: Final = 40
MAX_DEPTH: Final = 4
MAX_ITEMS: Final = 50
MIN_QUERY: Final = 2
TOP: Final = "\U0010ffff"  # above every folded term: the end of a prefix range


def fold(text: str) -> str:
    """``text`` as a term: upper case, letters and digits only, bounded."""
    return "".join(ch for ch in text.upper() if ch.isalnum())[:MAX_TERM_LEN]


def search_terms(payload: Any) -> list[tuple[str, str]]:
    """The (field, term) pairs an event's payload is found by (distinct, bounded)."""
    seen: dict[tuple[str, str], None] = {}
    for field, text in _fields(payload, 0):
        words = text.split() if field in NAME_FIELDS else []
        for term in (fold(text), *(fold(w) for w in words)):
            if len(term) >= 2:
                seen.setdefault((field, term))
    return list(seen)[:MAX_TERMS]


def prefix_range(query: str) -> tuple[str, str] | None:
    """The term range ``[lo, hi)`` a search for ``query`` (a prefix) covers; None when it
    folds to fewer than ``MIN_QUERY`` characters (it would match too much to be useful)."""
    term = fold(query)
    return (term, term + TOP) if len(term) >= MIN_QUERY else None


def _fields(value: Any, depth: int) -> Iterator[tuple[str, str]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in list(value.items())[:MAX_ITEMS]:
            if isinstance(item, str) and key in ID_FIELDS | NAME_FIELDS:
                yield str(key), item
            elif isinstance(item, dict | list):
                yield from _fields(item, depth + 1)
    elif isinstance(value, list):
        for item in value[:MAX_ITEMS]:
            yield from _fields(item, depth + 1)
