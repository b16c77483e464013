"""Words written apart on one side and as one on the other: ABDUL RAHMAN / ABDULRAHMAN, SLAH
AL DYN / SALAHUDDIN, NASR AL DIN / NASSEREDDINE, SULTAN MOHMADI / SOLTANMOHAMMADI — joined
before two names are aligned (:func:`edge.watchlist.match.name_score`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.fuzz import ratio

from edge.watchlist.abjad import may_be_one_name, spelt_from
from edge.watchlist.nametables import JOINED_ONTO_LAST, JOINED_ONTO_NEXT, PARTICLES
from edge.watchlist.normalize import canon
from edge.watchlist.sounds import article_said, said, skeleton
from edge.watchlist.syllables import one_word_of, syllabic

VOWEL = re.compile("[AEIOU]")
"""A part without vowels is romanised from an abjad and may be a piece written apart there
(صدیق مل SDYQ ML / SIDDIQMAL)."""


def joined(
    tokens: Sequence[str], other: Sequence[str], abjad: str = "", latin: bool = True
) -> list[str]:
    """Adjacent tokens (two or three) joined when the other side writes them as one
    (ABDUL RAHMAN; by consonants too: SLAH AL DYN / SALAHUDDIN, NASR AL DIN / NASSEREDDINE;
    and ``latin``, both names written in Latin, two syllables spelt by another romanisation:
    HU CHIN TAO / HU JINTAO)."""
    by_consonants = abjad or not COMPOUND_PARTS.isdisjoint(tokens)
    sizes = None if by_consonants else {len(t) for t in other}
    shortest = min(map(len, tokens), default=0)
    if sizes is not None and (not sizes or 2 * shortest - JOIN_SLACK > max(sizes)):
        return list(tokens)  # the common case: no token of the other side is long enough
    fits = None if sizes is None else _about(sizes)
    out = list(tokens)
    others = {canon(t) for t in other}
    if by_consonants:
        others.update(skeleton(article_said(t)) for t in other)
        others.update(skeleton(t) for t in other)
    join = _join if by_consonants else _join_written
    own = {canon(t) for t in other if len(t) > 2 and t not in PARTICLES} if len(out) <= 3 else set()
    by_syllables = latin and syllabic(tokens)
    i = 0
    while i < len(out) - 1:
        for n in (3, 2):
            parts = out[i : i + n]
            if i + n > len(out) or (fits is not None and sum(map(len, parts)) not in fits):
                continue
            if n == len(out) and not own.isdisjoint(map(canon, parts)):
                continue  # the whole name joined, with a word the other side has alone
            word = join(parts, others, abjad, other)
            if word is not None and n == len(out) and _consonants_only(parts, word, others):
                word = None  # a whole name is no one word by its consonants: SYNA YZDY / SNDY
            if word is None and n < len(out) and _spelt_alike(parts, other):
                word = "".join(parts)
            if word is None and n == 2 and by_syllables:
                word = _syllables_joined(parts, other)
            if word is not None:
                out[i : i + n] = [word]
                break
        i += 1
    return out


def _syllables_joined(parts: Sequence[str], other: Sequence[str]) -> str | None:
    """The other side's word of two syllables that ``parts``, two syllables of a name written
    wholly in syllables, are, spelt by another romanisation (HU CHIN TAO / HU JINTAO:
    :func:`~edge.watchlist.syllables.one_word_of`); None when none is."""
    return next((o for o in other if one_word_of(parts, o)), None)


def _consonants_only(parts: Sequence[str], word: str, others: set[str]) -> bool:
    """Whether ``parts`` joined as ``word`` match a token of the other side by consonants alone,
    neither spelt as it nor a compound of Arabic names (:func:`_compound`). A whole name so
    joined is no join (since issue 17's seventeenth part): a given and a family name are two
    words, and their consonants run together match too many (``سينا یزدی`` SINA YAZDI as
    SYNAYZDY against SINDI; of the 2,914 dev people written in Arabic script 43 -> 41
    alerting against the UN names, of the first 20,000 dev generated people 425 -> 421
    against the whole lists; no dev pair changed)."""
    return canon(word) not in others and not _compound(parts)


JOIN_SLACK = 2
"""How many letters longer or shorter than the Latin tokens it joins a token of the other side
may be written (spelling folds and doubled letters: KOUMTA MADJI / KOUMTAMADJI, MOON CHI /
MUNCHI; on the real pairs of ``bench/names.py`` no join is more than one off)."""


def _about(sizes: set[int]) -> frozenset[int]:
    """How many letters words written as one may have to be a token of the other side (of
    ``sizes`` letters) spelt otherwise (``JOIN_SLACK``): most are not, and are spared the canon
    form of the join."""
    return frozenset(n + d for n in sizes for d in range(-JOIN_SLACK, JOIN_SLACK + 1))


JOIN_SIM = 0.8
"""Edit likeness (canon forms) at which words written apart are one token of the other side
spelt otherwise (SULTAN MOHMADI / SOLTANMOHAMMADI, ABUL BAKI / ABDULBAQI, KHEIR BEIK /
KHAYRBIK). Chosen on the dev part: at 0.8, 7 more true pairs and one more of the 50,112
non-listed people alerting (4 before whole names were kept out); at 0.85, 2 and none."""


def _spelt_alike(parts: Sequence[str], other: Sequence[str]) -> bool:
    """Whether ``parts`` of four letters or more, written as one, are spelt like a token of
    the other side about as long (``JOIN_SIM``). Asked only of parts that are not the whole
    name: a name joined whole into one word is alike to too many (MARK MURPHY / MAAROUFI).
    Nor when a part alone is spelt as much like it: GHIASUDDIN SAYED is no GHIASSOUDDINE,
    GHIASUDDIN is."""
    if min(map(len, parts)) < 4:
        return False  # syllables: CHO IL / CHOI, ERIC HO / ERICH
    joined = canon("".join(parts))
    size = sum(map(len, parts))
    for o in other:
        if abs(len(o) - size) > JOIN_SLACK:
            continue
        form = canon(o)
        alike = ratio(joined, form)
        if alike >= 100 * JOIN_SIM and all(ratio(canon(p), form) < alike for p in parts):
            return True
    return False


def _join_written(
    parts: Sequence[str], others: set[str], _abjad: str, _other: Sequence[str]
) -> str | None:
    """``parts`` written as one token when that is the canon form of a token of the other
    side (a Latin name without the compound words of Arabic names: the common case, fast)."""
    joined = "".join(parts)
    return joined if canon(joined) in others else None


def _join(parts: Sequence[str], others: set[str], abjad: str, other: Sequence[str]) -> str | None:
    """``parts`` written as one token when that is a token of the other side (``others``: its
    canon forms and skeletons): the same canon form, or the same consonants when a part is
    one of the compound words Arabic writes apart, or from an abjad has no vowel letter
    (SDYQ ML / SIDDIQMAL). An article's L before DIN, ALLAH … may be assimilated (NASR AL
    DIN / NASSEREDDINE): then the parts are joined as NASRUDIN."""
    joined = "".join(parts)
    if canon(joined) in others:
        return joined
    compound = _compound(parts)
    if not compound and not (abjad and not all(map(VOWEL.search, parts))):
        # by consonants alone, any two short tokens would join something
        return joined if abjad and _spells_abjad_word(joined, other) else None
    if parts[-1] in PARTICLES:
        return None  # an article starts the next name (ALI AL KAWARI), it ends no word
    bare = skeleton(joined)
    if not compound and any(skeleton(p) == bare for p in parts):
        return None  # a piece alone has the consonants: KRYM of KRYM MA is KARIM already
    word = None
    if bare in others and len(bare) >= 3:  # MVHMD VD is no MUHAMMAD
        word = joined
    elif bare in others and abjad and any(ratio(said(joined), said(o)) >= 80 for o in other):
        word = joined  # two consonants, said alike too: ما يشو MA YSHW / MAYCHOU
    elif len(parts) == 3 and parts[1] == "AL" and parts[2] in _ARABIC_COMPOUND:
        assimilated = parts[0] + "U" + parts[2]
        word = assimilated if skeleton(assimilated) in others else None
    else:  # NOUR AL DIN / NOUREDDINE, or the other's article: NWRALDYN
        spoken = article_said(joined)
        word = spoken if spoken != joined and skeleton(spoken) in others else None
    if word is None or not abjad or any(may_be_one_name(word, o) for o in other):
        return word
    return None  # the same skeleton, but no spelling of the other's letters: JAN AKHWND ZADH


ABJAD_WORD = 6
"""Letters an abjad word needs (consonants and long vowels: MHMDLY, ALYRZA) for Latin words
to be joined as its spelling: of shorter ones, two short Latin names would spell too many."""


def _spells_abjad_word(joined: str, other: Sequence[str]) -> bool:
    """Whether Latin words written as one (``joined``) spell, letter by letter, a word of the
    other side romanised from an abjad (:func:`~edge.watchlist.abjad.spelt_from`, no letter
    left out): Persian writes a compound given name as one word, ``محمدجواد`` MHMDJWAD,
    ``علیرضا`` ALYRZA, which Latin lists and passports write as two, MOHAMMAD JAVAD, ALI
    REZA."""
    return any(len(o) >= ABJAD_WORD and spelt_from(o, joined, False) for o in other)


_ARABIC_COMPOUND = frozenset({"AL", "ALL", "ALLH", "ALLAH", "DYN", "DIN", "ABDUL", "ABW", "ABU"})
"""Parts of the compound names that Arabic script writes apart and Latin lists as one word
(HDAYT ALLH / HIDAYATULLAH, SLAH AL DYN / SALAHUDDIN, ABDUL QADR / ABDELKADER)."""
COMPOUND_PARTS = _ARABIC_COMPOUND | JOINED_ONTO_NEXT | JOINED_ONTO_LAST


def _compound(parts: Sequence[str]) -> bool:
    """Whether ``parts`` may be one compound name written apart: one is a compound word of
    Arabic names, or it starts with a particle written onto the next word, or ends with DIN or
    ALLAH said with its article."""
    return (
        not _ARABIC_COMPOUND.isdisjoint(parts)
        or parts[0] in JOINED_ONTO_NEXT
        or parts[-1] in JOINED_ONTO_LAST
    )
