"""Names a document cut short to fit a field: a machine-readable zone, a boarding pass, a licence.

ICAO 9303 cuts a name too long for the zone (39 characters in a passport, 30 in an ID card)
and ends the field with a letter; the reading's person key then says which name fields may
be cut (``cut_short``), as it does for a boarding pass's name that fills its 20 characters
and a driving licence's barcode that says it truncated a name. The last word of such a field
is only the first letters of a name: ``SHCHERBAKOV<<KIRILL<KONSTANTIN`` for Kirill
Konstantinovich. Screening finds listed words that start so (:func:`completion_keys`) and
reads the cut word as the listed word it starts (:func:`filled`), which no rule for
spellings may do: KONSTANTIN as written is the father of a KONSTANTINOVICH, not him.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from edge.watchlist.joins import COMPOUND_PARTS
from edge.watchlist.nametables import PARTICLES
from edge.watchlist.normalize import canon
from edge.watchlist.syllables import is_syllable

CUT_FIELDS = ("surname", "given_names")
"""The person key's name fields a document may cut (the words of ``cut_short``)."""
CUT_MIN = 4
"""Letters a cut word needs to be read as a longer name: fewer are left to the rules for
initials and prefixes (a field cut to ``<A`` keeps an initial; MIN may be MINGGUO or MINA,
or the whole name)."""
MAX_COMPLETIONS = 8
"""Listed words a cut word's first letters look up at most (in the order of the alphabet)."""


def cut_words(
    key: Mapping[str, Any], surname: Sequence[str], given: Sequence[str]
) -> tuple[str, ...]:
    """The last word of each name field the key says a document may have cut short (its tokens
    ``surname`` and ``given``); none shorter than ``CUT_MIN``, nor a particle or the head of a
    compound name (ABDUL, ABU), which is half of any name it starts (a card cut at ABD<AL may
    have been ABD AL KARIM or ABD ALLAH), nor a Chinese or Korean syllable, which is more
    likely a whole syllable than the start of given names written as one (XIANG of
    XIANGPING).

    A name may also fill its field exactly, its last word whole: a listed name that has the
    word itself is compared with it as written (:func:`filled`)."""
    said = key.get("cut_short")
    fields = said.split()[: len(CUT_FIELDS)] if isinstance(said, str) else []
    words = [toks[-1] for name, toks in zip(CUT_FIELDS, (surname, given), strict=True)
             if name in fields and toks]  # fmt: skip
    return tuple(w for w in words if len(w) >= CUT_MIN and not _whole_only(w))


def _whole_only(word: str) -> bool:
    """Whether a word is no start of a longer name to read (:func:`cut_words`)."""
    return word in PARTICLES or word in COMPOUND_PARTS or is_syllable(word)


def filled(
    tokens: Sequence[str], surname: Sequence[str], cut: Sequence[str], listed: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """The query's ``tokens`` and ``surname`` (its first tokens) with each word a document cut
    short (``cut``) written out as the first ``listed`` word it starts, at its last place in
    the name, where a cut falls; and which word became which. Unchanged where the listed name
    has the word itself or none that it starts."""
    out, family, whole = list(tokens), list(surname), {}
    for word in cut:
        if word not in out or word in listed:
            continue
        found = next((t for t in listed if len(t) > len(word) and t.startswith(word)), None)
        if found is not None:
            at = len(out) - 1 - out[::-1].index(word)
            out[at], whole[word] = found, found
            if at < len(family) and family[at] == word:
                family[at] = found
    return tuple(out), tuple(family), whole


def completion_keys(conn: sqlite3.Connection, cut: Sequence[str]) -> list[str]:
    """Posting keys of listed words that each cut word starts (``MAX_COMPLETIONS`` each at
    most), by its letters as written and as folded (``CUT_MIN`` of them at least: KHAS folds
    to HAS, the start of too many names): each a seek of the posting index."""
    keys: list[str] = []
    starts = (p for word in cut for p in (word, canon(word)) if len(p) >= CUT_MIN)
    for prefix in dict.fromkeys(f"e{p}" for p in starts):
        after, end = prefix, prefix + "\x7f"
        for _ in range(MAX_COMPLETIONS):
            row = conn.execute(_NEXT_KEY, (after, end)).fetchone()
            if row is None:
                break
            after = row[0]
            keys.append(after)
    return list(dict.fromkeys(keys))


_NEXT_KEY = "SELECT key FROM postings WHERE key > ? AND key < ? ORDER BY key LIMIT 1"
"""The next posting key after one, below a bound: one seek past every row of that key."""
