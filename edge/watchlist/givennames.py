"""How given names relate, from the tables of :mod:`edge.watchlist.nametables`: a name's
short forms and equivalents in other languages, a man's and a woman's form, and the father's
name an East Slavic patronymic is made of (used by :func:`edge.watchlist.likeness.token_sim`)."""

from __future__ import annotations

import re
from functools import lru_cache

from edge.watchlist.nametables import EQUIVALENTS, FEMININE_FORMS, NICKNAMES
from edge.watchlist.normalize import VARIANT_GROUPS, canon


def _nick_pairs() -> dict[str, frozenset[str]]:
    """Canon forms of ``NICKNAMES``: each given name's and short form's partners."""
    out: dict[str, set[str]] = {}
    pairs = [(full, short) for full, shorts in NICKNAMES.items() for short in shorts]
    pairs += [(a, b) for group in EQUIVALENTS for a in group for b in group if a != b]
    for full, short in pairs:
        a, b = canon(full), canon(short)
        if a != b:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


NICK_PAIRS = _nick_pairs()
"""Each given name and short form (canon forms) → the canon forms paired with it, as a short
form and its full name or as one name in two languages (ROBERT: BOB, ROB …)."""
EQUIVALENT_OF: dict[str, frozenset[str]] = {
    canon(name): frozenset(other for other in group if canon(other) != canon(name))
    for group in EQUIVALENTS
    for name in group
}
"""Each name of ``EQUIVALENTS`` (its canon form) → the group's other names as written."""


def patronymic_of(a: str, b: str) -> bool:
    """Whether ``a`` is an East Slavic patronymic and ``b`` a given name no longer than its
    stem and a letter (IVANOVICH and IVAN, NIKOLAEVNA and NIKOLAI): the father's name, which
    a prefix would otherwise take for a spelling of it. A patronymic cut short (IVANOVI) is
    longer."""
    found = patronymic_ending(a)
    return found is not None and len(b) <= found.start() + 1 and not _PATRONYMIC.search(b)


def patronymic_ending(token: str) -> re.Match[str] | None:
    """The ending of an East Slavic patronymic (eight letters or more), or None."""
    return _PATRONYMIC.search(token) if len(token) >= 8 else None


_PATRONYMIC = re.compile("(?:OVICH|EVICH|AVICH|OVYCH|EVYCH|YICH|OVNA|EVNA|AUNA|EUNA|IVNA|ICHNA)$")


@lru_cache(maxsize=65536)
def father(token: str) -> str | None:
    """The variant group of the given name an East Slavic patronymic is made of, and whether
    it is a son's or a daughter's (NIKOLAYEVNA, MIKALAEUNA, MYKOLAIVNA: NIKOLAI's daughter),
    when the variant tables know the name; None otherwise."""
    found = patronymic_ending(token)
    if found is None:
        return None
    stem, sex = token[: found.start()], "F" if token.endswith("NA") else "M"
    for name in (stem, stem + "I", stem + "Y"):
        if canon(name) in _GIVEN_NAMES:
            return f"{canon(name)} {sex}"
    return None


GENDERED = frozenset(
    frozenset((canon(man), canon(woman)))
    for man, women in FEMININE_FORMS.items()
    for woman in women
    if canon(man) != canon(woman)
)
"""Pairs of canon forms of a man's and a woman's given name (``FEMININE_FORMS``)."""
_GIVEN_NAMES = frozenset(VARIANT_GROUPS) | {canon(name) for group in EQUIVALENTS for name in group}
