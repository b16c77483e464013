"""Issue 17's error kinds in labelled name pairs, found by plain tests of the two names.

Issue 17 names the kinds of difference a name matcher must get right: every script, digits
for letters, initials, titles, particles, words joined or split, another order, swapped or
dropped letters, first-letter sound variants; and the look-alikes it must keep apart: a
family name that differs where the given names agree, a surname shared by other people.
:func:`kinds_of` says which of them a pair of ``bench/names.py`` shows, by tests of the
written names alone (letters, tokens, edit distance), never by either matcher, so both are
counted on the same pairs per kind (:func:`by_error_kind`). A pair may show several kinds;
a same-person pair that shows none is ``other`` (mostly another name altogether, an alias).
Nicknames and short forms are not told apart: that needs a table, and the only one at hand
is the product's own.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

_TITLE_WORDS = """DR DOCTOR MR MRS MS PROF PRESIDENT SHEIKH SHAIKH SHAYKH SHEIK MULLAH MULLA
MAULVI MAWLAWI MAULANA HAJI HAJJI HAJ GENERAL GEN COLONEL COL CAPTAIN CAPT MAJOR MAJ LT
LIEUTENANT BRIGADIER SIR QARI MUFTI SAYYID SAYED SAYYED SEYED ENGINEER ENG"""
TITLES = frozenset(_TITLE_WORDS.split())
"""Titles, ranks and honorifics as lists write them before a name (the bench's own list)."""
_PARTICLE_WORDS = """AL EL BIN BEN IBN BINT ABU ABOU ABO OULD WALD VAN VON DE DA DI DEL DELA DOS
DAS DU LA LE DER TER MAC MC"""
PARTICLES = frozenset(_PARTICLE_WORDS.split())
"""Family-name particles and the Arabic kinship words (the bench's own list)."""
SOUND_CLASSES = ("QKCG", "XSZ", "JYI", "OU", "EIY", "PBFVW")
"""First letters said alike that issue 17 names (Q/K, X/S, J/Y, O/U) and their kin."""
NEGATIVE_KINDS = {
    "neg_one_token_differs": "one_name_differs",
    "neg_same_surname": "shared_surname",
    "neg_generated": "generated_non_listed",
}
"""Different-person pairs by the look-alike they are (see ``bench/names.py``)."""
_WORD = re.compile(r"[^\W_]+")
_DIGIT_IN_WORD = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")


class PairLike(Protocol):
    """What :func:`kinds_of` reads of a pair (``bench.names.Pair``)."""

    query: str
    listed: str
    same: bool
    kind: str


def _latin(name: str) -> bool:
    """Whether every letter of ``name`` is a Latin one."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha())


def _tokens(name: str) -> list[str]:
    """Upper-case words with their marks dropped, single letters kept (initials), a digit
    written for a letter kept in its word (J0HN)."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).upper()
    return [t for t in _WORD.findall(plain) if not t.isdigit()]


def _osa(a: str, b: str) -> int:
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b))


def _joined(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two adjacent tokens of one side written as one are a token of the other."""
    return any(
        x + y in set(other) for side, other in ((a, b), (b, a))
        for x, y in itertools.pairwise(side)
    )  # fmt: skip


def _order(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether the tokens both sides write alike stand in another order."""
    shared = [t for t in a if t in b and t not in PARTICLES]
    if len(set(shared)) < 2:
        return False
    return [t for t in b if t in shared] != shared


def _typo(a: Iterable[str], b: Iterable[str]) -> bool:
    """A token of each side one or two edits apart (swapped, dropped, doubled letters)."""
    return any(
        x != y and min(len(x), len(y)) >= 4 and x[0] == y[0] and _osa(x, y) <= 2
        for x in a for y in b
    )  # fmt: skip


def _first_letter(a: Iterable[str], b: Iterable[str]) -> bool:
    """Two tokens alike but for a first letter said alike (QASIM / KASIM, JUSUF / YUSUF)."""
    return any(
        x[0] != y[0] and len(x) >= 3 and x[1:] == y[1:]
        and any(x[0] in c and y[0] in c for c in SOUND_CLASSES)
        for x in a for y in b
    )  # fmt: skip


def kinds_of(pair: PairLike) -> list[str]:
    """The error kinds a pair shows (see the module doc)."""
    if not pair.same:
        return [NEGATIVE_KINDS.get(pair.kind, "other_negative")]
    if not (_latin(pair.query) and _latin(pair.listed)):
        return ["script"]
    q, c = _tokens(pair.query), _tokens(pair.listed)
    found = {
        "digits": bool(_DIGIT_IN_WORD.search(pair.query + " " + pair.listed)),
        "initials": any(len(t) == 1 for t in q + c),
        "titles": not TITLES.isdisjoint(q + c),
        "particles": {t for t in q if t in PARTICLES} != {t for t in c if t in PARTICLES},
        "joined_or_split": _joined(q, c),
        "order": _order(q, c),
        "swapped_or_dropped_letters": _typo(q, c),
        "first_letter_sound": _first_letter(q, c),
    }
    return [k for k, v in found.items() if v] or ["other"]


def by_error_kind(
    pairs: Sequence[PairLike], scored: dict[str, tuple[Sequence[float], float]]
) -> dict[str, Any]:
    """Per error kind, for each matcher (``scored``: name → scores and its threshold): the
    same-person pairs it found (recall) or the different-person pairs it matched."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        for kind in kinds_of(p):
            groups[kind].append(i)
    out: dict[str, Any] = {}
    for kind, idx in sorted(groups.items()):
        same = pairs[idx[0]].same
        row: dict[str, Any] = {"pairs": len(idx)}
        for name, (scores, threshold) in scored.items():
            share = sum(scores[i] >= threshold for i in idx) / len(idx)
            row[name] = {"recall" if same else "matched": round(share, 3)}
        out[kind] = row
    return out
