"""Index keys of entries and queries: the same functions build both sides."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations

from edge.watchlist.model import (
    Commodity,
    Consignment,
    Container,
    Document,
    Entry,
    Person,
    Vehicle,
)
from edge.watchlist.nametables import NICKNAMES
from edge.watchlist.normalize import canon, fold_id, fold_particles, phonetic, renderings

MAX_TOKENS = 6


def person_forms(person: Person) -> list[tuple[str, ...]]:
    """(full name, surname tokens[, original]) per distinct spelling of a person's names, ICAO
    first; the original is kept when it is not plain ASCII, so an explanation can show it.

    Renderings that fold to the same canon tokens score alike, so only the first is kept.
    """
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in person.names:
        surname = " ".join(dict.fromkeys(t for r in renderings(name.surname) for t in r.split()))
        surname = fold_particles(surname)
        original = () if name.full.isascii() else (name.full,)
        for full in renderings(name.full):
            full = fold_particles(full)
            out.setdefault(
                tuple(sorted(canon(t) for t in full.split())), (full, surname, *original)
            )
    return list(out.values())


def name_keys(tokens: list[str], birth_date: str | None) -> set[str]:
    """Posting keys of one name: canon tokens, sound keys, sound pairs, sound + birth year,
    and sound + the whole birth date when it has one (``YYYY-MM-DD``)."""
    toks = [canon(t) for t in tokens if len(t) > 1][:MAX_TOKENS]
    phons = sorted({phonetic(t) for t in toks if t})
    keys = {"e" + t for t in toks}
    keys.update("p" + p for p in phons)
    keys.update(f"q{a}.{b}" for a, b in combinations(phons, 2))
    if birth_date:
        keys.update(f"y{p}.{birth_date[:4]}" for p in phons)
    if birth_date and len(birth_date) == 10:
        keys.update(f"d{p}.{birth_date}" for p in phons)
    return keys


def nickname_keys(tokens: Sequence[str]) -> set[str]:
    """Query-only keys: the full given names a short form stands for (BOB → ROBERT), so a
    listed ROBERT is a candidate for a traveller who wrote BOB."""
    return {"e" + canon(full) for t in tokens for full in _FULL_NAMES.get(canon(t), ())}


def _full_names() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for full, shorts in NICKNAMES.items():
        for short in shorts:
            out.setdefault(canon(short), []).append(full)
    return {k: tuple(v) for k, v in out.items()}


_FULL_NAMES = _full_names()


def person_keys(person: Person, forms: list[tuple[str, ...]] | None = None) -> set[str]:
    """All posting keys of a listed person (``forms``: its :func:`person_forms`, if known)."""
    return forms_keys(person_forms(person) if forms is None else forms, person.birth_date)


def forms_keys(forms: Iterable[Sequence[str]], birth_date: str | None) -> set[str]:
    """The posting keys of a person's :func:`person_forms` (as stored) and birth date."""
    keys: set[str] = set()
    for form in forms:
        keys |= name_keys(form[0].split(), birth_date)
    return keys


def exact_keys(entry: Entry) -> Iterator[tuple[str, str]]:
    """(kind, folded key) pairs an entry is found by exactly."""
    s = entry.subject
    if isinstance(s, Document):
        yield "doc", fold_id(s.number)
    elif isinstance(s, Person):
        for ident in s.identifiers:
            yield "doc", fold_id(ident.number)
    elif isinstance(s, Vehicle):
        if s.plate:
            yield "plate", fold_id(s.plate, 16)
        if s.vin:
            yield "vin", fold_id(s.vin, 17)
    elif isinstance(s, Container):
        yield "container", fold_id(s.number, 11)
    elif isinstance(s, Consignment):
        yield "mrn", fold_id(s.mrn, 18)
    elif isinstance(s, Commodity):
        yield "hs", s.hs_prefix
