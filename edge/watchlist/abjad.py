"""Whether a Latin spelling can be a romanisation of a name written in an abjad.

A name in Arabic or Hebrew script romanises (:mod:`edge.watchlist.scripts`) to its consonants
and long vowels only: ``احسان`` AHSAN, ``جلیلی`` JLYLY, ``محمد`` MHMD. The consonant skeletons that
:func:`edge.watchlist.likeness.token_sim` compares fold whole classes of letters together so that
every list's spelling of one letter agrees (S, Z, D and T; J and a first vowel; H dropped), and
with a first vowel and one or two consonants left, different names agree as well: AHSAN and
ADNAN are both ``ATN``, JLYLY and ALI both ``AL``. Here the check goes the other way round,
letter by letter: each letter the abjad wrote must be there in the Latin spelling, as one of
the ways lists and passports write that letter (``SPELLINGS``); the short vowels the abjad did
not write may come between them, and a consonant may be doubled. ``ح`` is an H (or KH, as
Russian spelling writes it), never nothing; ``ج`` a J, G, DJ or ZH, never a vowel; ``ي`` an
I, E, Y or J, never an O. So MOHAMED, MUKHAMMAD and MEHMET are spellings of MHMD, and ADNAN
is none of AHSAN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

VOWELS = frozenset("AEIOUY")
"""Short vowels, which an abjad does not write, between the letters it does."""

SPELLINGS: dict[str, tuple[str, ...]] = {
    "B": ("B", "P", "V", "MP"),  # Hebrew ב is B or V; Greek writes a B as ΜΠ
    "P": ("P", "B", "F", "PH"),  # Hebrew פ is P or F
    "T": ("T", "TH", "D"),
    "TH": ("TH", "T", "S", "Z", "C", "D"),  # ث; Persian says S
    "J": ("J", "G", "DJ", "DZ", "ZH", "DZH", "Y", "C"),  # Egyptian G, French DJ, Gulf Y, Turkish C
    "H": ("H", "KH", "CH", "X"),  # Russian KH, Somali X
    "KH": ("KH", "K", "H", "CH", "X", "J", "C", "Q", "G"),  # Spanish J, German CH
    "D": ("D", "DH", "T", "Z", "DZ", "TH", "NT"),  # ض read Z in Persian; Greek ΝΤ
    "DH": ("DH", "D", "Z", "TH", "DZ"),
    "R": ("R",),
    "Z": ("Z", "S", "DH", "TH", "D", "DZ", "TS"),  # ظ written Z, DH or TH
    "S": ("S", "C", "Z", "TS", "X"),  # French C, Ç without its cedilla
    "SH": ("SH", "CH", "SCH", "S", "X", "SZ", "SJ"),
    "GH": ("GH", "G", "Q", "K", "R", "RH", "KH", "H"),
    "F": ("F", "PH", "V", "P"),
    "Q": ("Q", "K", "G", "C", "CK", "GH", "KH"),
    "K": ("K", "C", "CK", "Q", "G", "KH", "CH"),
    "G": ("G", "GU", "GH", "K", "J", "Q", "GK"),  # Greek ΓΚ
    "L": ("L",),
    "M": ("M", "N"),
    "N": ("N", "M"),
    "CH": ("CH", "TCH", "TSCH", "C", "SH", "J", "TS", "CZ"),
    "ZH": ("ZH", "J", "Z", "G", "JH", "DJ", "S"),
    "TS": ("TS", "S", "Z", "TZ", "C", "TC"),
    "V": ("V", "W", "B", "F"),  # Hebrew ב said V (anyascii; ו is W)
    "W": ("W", "V", "U", "O"),  # و: a long U or O, or a W
    "Y": ("Y", "I", "E", "J"),  # ي: a long I or E, or a Y (last, ى or ی may be an A)
}
"""How lists and passports write each letter of a romanised abjad name in Latin. The long
vowels ``ا`` (A) and the vowel marks (E, I, U) may be any vowel or none, as may an H that ends
the name (``جمعه`` JUMA, ``فاطمة`` FATIMAH / FATMA)."""

_UNITS = re.compile("|".join(sorted(SPELLINGS, key=len, reverse=True)) + "|[AEIU]")
_SUN = frozenset({"T", "TH", "D", "DH", "R", "Z", "S", "SH", "N"})
"""The letters an article's L before them is said as (``نور الدين`` NOUR EDDINE, ``عبد الرحمن``
ABDERRAHMANE): the L may be missing from the Latin spelling."""
_ROMANISED = re.compile("(?:ABDUL|[AI])?[^EIOU]*E?")
"""The look of a romanised abjad token: vowel letters only A (``ا``), an I first (``إ``), an E
last (Urdu ``ے``) and the ABDUL that ``عبد ال`` folds to; a token with other vowels was
written in Latin."""
LONG = 5
"""Letters written (consonants, W and Y) from which a Latin spelling may lack one of them:
a sound a spelling leaves out (``آخوند زاده`` AKHWNDZADH / AKHUNZADA), which in a long name is
still one name and in a short one is another."""


@dataclass(frozen=True)
class _Letter:
    """One letter a romanised abjad token wrote, and how Latin may spell it."""

    ways: tuple[str, ...]
    split: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """A digraph's two letters spelt apart, with vowels between (SH: ``س`` then ``ح``)."""
    optional: bool = False
    """An article's L said as the next letter, an H that ends the name."""


@lru_cache(maxsize=65536)
def _letters(token: str) -> tuple[_Letter, ...] | None:
    """The letters of a romanised abjad token, the long vowels left out (any vowel or none may
    stand for them); None when the token cannot be one (a letter the romanisation never
    writes, O, X or C alone, or vowels it does not write): it is Latin."""
    units = _UNITS.findall(token)
    if "".join(units) != token or not _ROMANISED.fullmatch(token):
        return None
    out = []
    for i, unit in enumerate(units):
        last = i == len(units) - 1 and i > 0
        if unit in "AEIU":
            continue
        split = None
        if len(unit) == 2 and unit[0] in SPELLINGS and unit[1] in SPELLINGS:
            split = (_ways(unit[0], False), _ways(unit[1], last))
        article = unit == "L" and 0 < i < len(units) - 1 and units[i - 1] == "A"
        article = article and units[i + 1] in _SUN
        out.append(_Letter(_ways(unit, last), split, article or (unit == "H" and last)))
    return tuple(out)


def _ways(unit: str, last: bool) -> tuple[str, ...]:
    """The Latin spellings of one written letter (a Y that ends the name may be the A of
    ``ى``)."""
    return SPELLINGS[unit] + (("A",) if unit == "Y" and last else ())


def spelt_from(written: str, latin: str, drop: bool = True) -> bool | None:
    """Whether ``latin`` can be a Latin spelling of the romanised abjad token ``written``
    (None when ``written`` cannot be such a token): each written letter in turn, spelt one of
    its ways (doubled or not), with vowels before, between and after them and an H at the
    end; of a ``LONG`` token one letter may be missing (``drop``). Worked out position by
    position, so that no name, however long or hostile, takes more than letters × positions
    steps."""
    letters = _letters(written)
    if letters is None:
        return None
    may_drop = drop and sum(not letter.optional for letter in letters) >= LONG
    states = {(p, False) for p in _vowels_from(latin, 0)}
    for letter in letters:
        after: set[tuple[int, bool]] = set()
        for pos, dropped in states:
            ends = _spelt(letter, latin, pos)
            if letter.optional:
                ends.add(pos)
            elif may_drop and not dropped:
                after.add((pos, True))
            after.update((e, dropped) for e in ends)
        states = {(p, d) for e, d in after for p in _vowels_from(latin, e)}
        if not states:
            return False
    return any(p == len(latin) or latin[p:] == "H" for p, _ in states)


def _spelt(letter: _Letter, latin: str, pos: int) -> set[int]:
    """Where a spelling of ``letter`` from ``pos`` of ``latin`` may end (the letter doubled or
    not: SADDAM, MOTASSADEQ; a digraph's letters apart, the second doubled or not)."""
    ends = _once_or_twice(letter.ways, latin, [pos])
    if letter.split is not None:
        first, second = letter.split
        for w in first:
            if latin.startswith(w, pos):
                ends |= _once_or_twice(second, latin, _vowels_from(latin, pos + len(w)))
    return ends


def _once_or_twice(ways: tuple[str, ...], latin: str, starts: list[int]) -> set[int]:
    """Where one of ``ways`` from one of ``starts`` of ``latin`` ends, written once or twice."""
    ends = {p + len(w) for p in starts for w in ways if latin.startswith(w, p)}
    return ends | {e + len(w) for e in ends for w in ways if latin.startswith(w, e)}


def _vowels_from(latin: str, pos: int) -> list[int]:
    """``pos`` and each position after a run of vowels from it."""
    out = [pos]
    while pos < len(latin) and latin[pos] in VOWELS:
        pos += 1
        out.append(pos)
    return out


def may_be_one_name(q: str, c: str) -> bool:
    """Whether one of two tokens can be a Latin spelling of the other read as romanised from
    an abjad (either side may be the abjad's: a query or a listed name); true when neither
    token can be read so."""
    one, other = spelt_from(q, c), spelt_from(c, q)
    return (one is None and other is None) or bool(one) or bool(other)
