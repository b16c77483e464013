"""Scoring one query name against one listed name, and the DOB/nationality/sex adjustments."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from edge.watchlist.abjad import may_be_one_name
from edge.watchlist.joins import VOWEL, joined
from edge.watchlist.nametables import (
    COMMONEST_NAMES,
    EQUIVALENTS,
    FEMININE_FORMS,
    NICKNAMES,
    PARTICLES,
)
from edge.watchlist.normalize import (
    DOUBLED,
    VARIANT_GROUPS,
    article_said,
    canon,
    egyptian,
    phonetic,
    said,
    skeleton,
    somali,
)
from edge.watchlist.normalize import spelling as _folded
from edge.watchlist.syllables import initial, is_syllable, same_syllable, syllabic

TOKEN_FLOOR = 0.75
"""Token similarities below this are no match at all (JOHN vs JANE)."""
MISSING_WEIGHT = 0.3
"""Weight of tokens one side simply lacks (a given name left out), against a conflict's 1.
Not in names wholly of Korean or Chinese syllables, whose syllables are all the name (no
middle name to leave out): ``文龍 張`` WEN LONG ZHANG is not ``ZHANG, Longbao``, and a syllable
either side lacks weighs in full. Chosen on the dev part and the whole lists: of the first
20,000 dev generated people, 932 -> 760 alerting against the UN and OFAC individuals under
all their names (most of them written in Chinese or Korean script), no new one; on the dev
pairs one false pair fewer, no true one lost (the Burmese honorific U of ``SWE, U Khin
Maung`` now costs 0.96 -> 0.87)."""
CONFLICT = 0.9
"""Factor when each side has a name the other lacks (another given name or surname)."""
PARTICLE_WEIGHT = 0.25
"""Weight of a particle (AL, BIN, VAN …) against an ordinary token of the same length."""
NICKNAME_SIM = 0.9
"""A short form of a given name (BOB/ROBERT, VOVA/VLADIMIR)."""
SKELETON_SIM = 0.85
"""A token written without its vowels (Arabic, Hebrew) whose consonants agree: MHMWD/MAHMUD."""
SKELETON_FLOOR = 0.5
"""Below this edit similarity, equal skeletons are a coincidence (FSYL/FAZLULLAH)."""
LATIN_SKELETON_FLOOR = 0.66
"""The same for two Latin tokens, where both spellings have their vowels: two-thirds alike,
a third of the letters vowels spelt otherwise (FOUZI/FAWZI, HOCINE/HASSINE, HEQ/HAQ,
ISSA/ESSA). Chosen on the dev part: at 0.6 ZHANG/TSANG, 0.60, made namesakes alert; 0.66
for every length made the dev non-listed people alerting 371 -> 508 of 50,112 (Chinese and
Korean syllables, JIN/JUN, YUAN/YUNG), so it held for five letters or more only (0.67
below) until names wholly of syllables were compared strictly (``SYLLABLE_STRICT``); since
then, for every length: 8 more true dev pairs at the band 0.60, none false, 283 -> 283
alerting (with F among the syllables' initials, which alone took 283 -> 277)."""
SECOND_SURNAME = 0.5
"""Weight, against a conflict's 1, of the names left over when the two names differ only in
the second of two surnames (:func:`_second_surnames_only`): Spanish and Latin American names
write the father's surname then the mother's, and lists give one person's aliases with
another second surname (``GUZMAN FERNANDEZ, Joaquin`` a.k.a. of ``GUZMAN LOERA, Joaquin``),
so such a pair scores near 0.65-0.70, not 0.50-0.58 as any other surname that differs.
Both surnames must be known (a document's, or ``SURNAME, Given``). Chosen on the dev part:
15 more true pairs, 1 more false (``MEZA CAZARES, Arturo`` / ``MEZA GASPAR, Arturo``, two
people of one list), F1 0.8382 -> 0.8407; at 0.3 the same pairs scored 0.70-0.78, at 0.6
12 true pairs, at 0.7 7; with a married woman's DE (``SALAZAR DE GUZMAN``) 2 true pairs more.
Among the names of the dev OFAC individuals written so, it lifts over the decide band 28
pairs of one person's names and 11 of two people's (the list's own
namesakes and relatives: ``GARCIA HERNANDEZ, Javier`` / ``GARCIA ROJAS, Javier``, 0.70,
where a birth date tells them apart). The generated people on no list write no second
surname: their alerts do not change."""
OTHER_SYLLABLE = 0.9
"""Factor, besides ``CONFLICT``, when two names wholly of Korean or Chinese syllables differ in
syllables that start with other consonants (:func:`_other_syllables`: HYOK / IL of ``KIM,
Kwang Hyok`` / ``KIM, Kwang-Il``, two people): a syllable of a given name is half of it, and
one spelt otherwise (HA / HWA, YUN / YUAN) is another matter. Chosen on the dev part: 10
fewer false pairs (all two people of one list whose names differ in one syllable, at
0.60-0.62), 1 fewer true (``RI, Hong-il`` / ``LI, Hong Ri``), F1 0.8407 -> 0.8417, the same at
0.85 and 0.8; of the first 20,000 dev generated people 609 -> 572 alerting against the UN and
OFAC individuals under all their names, of the dev non-listed people 109 -> 101 of 48,941
against the UN names."""
FIRST_CONFLICT = 0.75
"""Factor, besides ``CONFLICT``, when the first written token of each name is one the other
lacks (siblings and namesakes: ``QUSAY SADDAM HUSSEIN AL-TIKRITI`` / ``UDAY …``, chosen on the
dev pairs: 0.95 to 0.80 tried, 0.85 and 0.80 alike with the decide band at 0.65; at 0.60,
0.80 keeps those brothers below it, 0.627 with 0.85, and scores the dev pairs a little better,
F1 0.8262 against 0.8258, with the same non-listed alerts). Since issue 17's fifteenth part
0.75: two sisters of ``AL-TIKRITI, Ali Barzan Ibrahim Hasan`` (0.633, 0.602), whose father's
and grandfather's names are their brother's, fall below the band; no true dev pair changes
(0.7 the same). Lowering it changes no alert of a person on no list into one."""
COMMON_ONLY = 0.6
"""Factor on a listed name made of the commonest given names alone (:data:`COMMONEST_NAMES`:
ALI MOHAMMED, AHMAD HASAN) when the query's name holds it and has more names: millions share
it, so it alone names nobody; an exact ALI MOHAMMED with one more name scores 0.55, below the
decide band even with the birth date (issue 17's sixteenth part: chosen on the dev people on no
list written in Arabic script, 0.7 and 0.6 alike there; no dev pair has the shape)."""

SURNAME_MISS = 0.85
"""Factor when none of the query's surname tokens is found in the listed name; or, the
query's surname unknown (a name without a comma), none of the listed surname's is found in
the query (``Dennis Moore`` / ``BELTRAN ROMERO, Mireya Denisse``: both names of the query
matched, to the listed given names). The second chosen on the dev part and the whole lists:
no true dev pair lost, one false one fewer (``Richard Hall`` / ``YUE, Richard``), and of the
first 20,000 dev generated people 681 -> 663 alerting against the UN and OFAC individuals
under all their names; at 0.75 645, but true pairs such as ``ABDULASATTAR`` / ``BARAKZAI,
Haji Abdul Sattar`` (an Afghan name whose listed surname is a tribe's) fall to 0.68. Asked
also when both surnames are known, it took 3 true dev pairs and no more alerts."""
SYLLABLE_SIM = 0.85
"""Two syllables of a Korean or Chinese name spelt by two romanisation systems (JONG/CHONG,
HSUEH/XUE; :mod:`edge.watchlist.syllables`)."""
SYLLABLE_WEIGHT = 4.0
"""Least weight of a syllable in a name written wholly in Korean or Chinese syllables (a
syllable's usual length; chosen on the dev part: at 4, 5 fewer false pairs, 3 fewer true
ones and 14 fewer non-listed alerts than with no floor, at 3 the same pairs but 12)."""
SYLLABLE_STRICT = 0.9
"""In such names, another syllable spelt alike is another name element (JUN/UN, HOU/HO,
0.86): only a near match this close counts (one edit at four letters or more, a prefix).
Chosen on the dev part: at 0.85 two more true pairs, but 105 more non-listed alerts."""
ONE_WORD = 0.8
"""Factor when the listed name is one word and the query has a name it does not hold
(:func:`_words`). Chosen on the dev part and on real people on no list, the 1,253 US
Congress members screened against the UN and OFAC individuals under all their names: 86
of them alerting without it (132 before initials hiding a surname were undone, 210 before
names of one word weighed the query's other names in full), 57 with it (60 at 0.85); on
the dev pairs 3 true pairs fewer (a listed ``SAIFULLAH, Qari`` no longer alerts on every
Saifullah), 254 -> 251 of the 50,112 dev generated people alerting against the UN names."""
SOUNDS_ALIKE_ONLY = 0.85
"""Factor when two Latin names (neither romanised from an abjad, nor of Korean or Chinese
syllables) match by sound-alikes only (:func:`_sounds_alike_only`). Chosen on the dev part
and the US Congress members against the whole UN and OFAC lists: 57 -> 50 of 1,253 alerting,
235 against 251 of the 50,112 dev generated people against the UN names; one true headline
pair fewer (AL-ARWEE, Fouaz / AL-RAWI, Fawaz) and a few of the UN's own weak aliases (Zarga,
Kawa). At 0.75: 42 of 1,253, but 7 true pairs fewer."""
ALIKE_PART = 0.8
"""Further factor when the names matched by sound-alikes only (``SOUNDS_ALIKE_ONLY``) are a
part of the listed name: it keeps two names or more that the query lacks (``Sarah Elfreth`` /
``SARRIA DIAZ, Rafael Alfredo``, ``Jerry F. Costello`` / ``GUERRERO CASTILLO, Pedro
Oliveiro``): two names resembling two of four is no evidence of the person. Chosen on the dev
part: no dev pair changes (none found has that shape); against the whole UN and OFAC lists the
US Congress members alerting 37 -> 34 of 1,253, the first 20,000 dev generated people 656 ->
650."""
NEAR_MATCH = 0.9
"""Token likeness of a near match: one edit at four letters or more, a prefix, a variant."""
DOB_NEAR_YEARS = 5
DOB_NEAR = -0.30
"""Birth years two to five apart where a year may be off (a year alone, or
:func:`_day_may_agree`: the 1 January put for one, or the same day and month): no namesake's
sign, for a listed date is often a guess (``approximately 1965``) or one of several, and a
typed year may be a digit out. An exact name stays above the decide band; a name scored
below 0.90 falls under it. Two full dates with other days stay a namesake's
(``DOB_MISMATCH``). Chosen on the dev part of the UN round trip with birth dates on both
sides (the treatments moved 93 of them): recall at the decide band 94.3 % without it, 97.7 %
at -0.25, -0.30 and -0.35 for any two dates years apart; the dev non-listed people alerting,
9 of 50,112 without it, 11 at -0.25, 9 at -0.30. For any two dates, the synthetic namesakes
of ``bench/screening.py`` (same name, other birth date) alerting rose 132 -> 230 of 1,000;
where a year may be off only, 143, with the dev recall 97.3 %."""
DOB_MISMATCH = -0.45
"""A clear date-of-birth mismatch, years more than ``DOB_NEAR_YEARS`` apart: an exact
namesake born then falls below the decide band (0.60; -0.40 with the band at 0.65)."""


@lru_cache(maxsize=131072)
def token_sim(q: str, c: str, abjad: bool = False) -> float:
    """Similarity of two MRZ-form tokens in 0..1 after spelling folds and variant groups.

    Tokens whose consonants agree are near matches: when one side was romanised from a
    script that writes no short vowels (``abjad``: Arabic, Hebrew; MHMWD/MAHMUD), and, with
    more likeness asked, two Latin romanisations of one Arabic or Persian name (FAWZI/FOUZI,
    NASSER/NASIR)."""
    qc, cc = canon(q), canon(c)
    if qc == cc:
        return 1.0
    if (q in PARTICLES) != (c in PARTICLES):
        return 0.0  # AL is no spelling of ALI
    if _patronymic_of(qc, cc) or _patronymic_of(cc, qc):
        return 0.0  # IVAN is the father of an IVANOVICH, not him
    if frozenset((qc, cc)) in _GENDERED:
        return 0.0  # LUISA is no LUIS
    if "ABDUL" in (qc, cc) and qc[:5] == cc[:5] and max(len(qc), len(cc)) >= 8:
        return 0.0  # ABDUL (the servant of) is half a name, no short form of ABDULKARIM
    sim = _spelling_sim(q, c, qc, cc)
    if q[:2] in _ARTICLES or c[:2] in _ARTICLES:
        sim = max(sim, _article_sim(q, c, abjad))
    if sim < 0.9 and (qc != _folded(q) or cc != _folded(c)):  # a variant label hid the spelling
        sim = max(sim, _spelling_sim(q, c, _folded(q), _folded(c)))
    if sim < 0.9 and (qc != q or cc != c):  # a fold made them less alike (LOUN/LUN, LOAN)
        sim = max(sim, ratio(q, c) / 100.0)
    if sim < 0.9 and ("U" in q or "U" in c):  # Belarusian Ў: IPATAU/IPATOV
        bq, bc = _short_u_as_v(q), _short_u_as_v(c)
        if bq != q or bc != c:
            sim = max(sim, _spelling_sim(bq, bc, canon(bq), canon(bc)))
    if sim < 0.9 and ("X" in q or "X" in c or q[0] == "C" or c[0] == "C"):  # XASAN / HASSAN
        read = _read_sim(q, c, abjad, somali, _somali_fits)
        sim = read if read >= 0.9 else sim  # a near match once read, or none
    if sim < 0.9 and ("CH" in q[1:] or "CH" in c[1:]):  # ROCHIM / RAHIM
        read = _read_sim(q, c, abjad, _dutch_ch, _ch_fits)
        sim = read if read >= 0.9 else sim
    if sim < SKELETON_SIM and (("G" in q and "J" in c) or ("J" in q and "G" in c)):  # GAMAL
        read = _read_sim(q, c, abjad, egyptian, _egyptian_fits)
        sim = read if read >= SKELETON_SIM else sim
    if sim < NEAR_MATCH and _father(q) is not None and _father(q) == _father(c):
        sim = NEAR_MATCH  # MIKALAEUNA / NIKOLAYEVNA: one father's name in two languages
    if sim < NICKNAME_SIM and cc in _NICK_PAIRS.get(qc, ()):
        sim = NICKNAME_SIM
    if sim < SKELETON_SIM and (_same_skeleton(q, c, sim, abjad) or (abjad and _short_abjad(q, c))):
        sim = SKELETON_SIM
    if abjad and TOKEN_FLOOR <= sim < NEAR_MATCH and not may_be_one_name(q, c):
        return 0.0  # alike by sound keys only (HSNY / HUSAYN), not letter by letter
    if abjad and sim < 1.0 and (_nisba_on(q, c) or _nisba_on(c, q)):
        return 0.0  # MHMDY / MUHAMMAD: a nisba is another name
    return sim if sim >= TOKEN_FLOOR else 0.0


def _nisba_on(a: str, b: str) -> bool:
    """Whether ``a`` ends in the long I of ``ي`` (Y romanised; I, EE, IE in Latin) where ``b``
    ends in a consonant: the nisba that makes MOHAMMADI of MOHAMMAD and SALIMI of SALIM, a
    name of its own in every script. A final vowel on ``b`` may be the same letter: Egyptian
    and Persian writing give ``ي`` the form of ``ى``, romanised A (على ALA / ALI, عیسی / ISA)."""
    return (
        len(a) > 2
        and (a[-1] in "IY" or a[-2:] in ("EE", "IE"))
        and len(b) > 2
        and b[-1] not in "AEIOUWYH"
    )


def _spelling_sim(q: str, c: str, qc: str, cc: str) -> float:
    """Edit similarity of the folded tokens, raised for one edit, prefixes and sound keys."""
    sim = ratio(qc, cc) / 100.0
    if min(len(qc), len(cc)) >= 4:
        if OSA.distance(qc, cc) <= 1 and phonetic(qc)[:1] == phonetic(cc)[:1]:
            sim = max(sim, 0.9)
        if cc.startswith(qc) or qc.startswith(cc):
            sim = max(sim, 0.9)
    if len(q) < len(c) and c.startswith(q):
        sim = max(sim, 0.8 if len(q) == 1 else 0.85)
    if sim >= 0.6 and len(qc) >= 4 and phonetic(qc) == phonetic(cc):
        sim = max(sim, 0.85)
    return sim


def _read_sim(
    q: str, c: str, abjad: bool, reading: Callable[[str], str], fits: Callable[[str, str], bool]
) -> float:
    """Similarity once one token is read another way (``reading``: :func:`somali`,
    :func:`egyptian`), when the read token ``fits`` the other; 0 when neither reading does."""
    for a, b in ((q, c), (c, q)):
        read = reading(a)
        if read != a and fits(read, b):
            return token_sim(read, b, abjad)
    return 0.0


def _somali_fits(read: str, other: str) -> bool:
    """Whether the other token has what the Somali reading may give a token: a vowel first
    (CUMAR / UMAR) or an H (XASAN / HASSAN), and is somewhat alike to it already (less alike
    as read, no near match)."""
    return (other[0] in "AEIOU" or "H" in other) and ratio(read, other) >= 60


def _egyptian_fits(read: str, other: str) -> bool:
    """Whether the other token has the J an Egyptian G was read as, and both have five letters
    or more (JAE is no GAYE). The reading counts from ``SKELETON_SIM`` up (chosen on the dev
    part: 4 more true pairs, and with its query keys 285 of the 50,112 dev non-listed people
    alerting against 287; for tokens of any length 292: JAE / GAYE, JET / GADET)."""
    return "J" in other and min(len(read), len(other)) >= 5


_MEDIAL_CH = re.compile("(?<=[AEIOU])CH")


@lru_cache(maxsize=65536)
def _dutch_ch(token: str) -> str:
    """The token with a CH after a vowel read as the H it writes in Dutch-era Indonesian and
    Malay spelling of Arabic names (ACHMAD, MOCHTAR, ROCHIM: AHMAD, MOKHTAR, RAHIM); not in a
    given name of the variant or short-form tables, whose CH is its own (MICHAEL, RICHARD)."""
    if canon(token) in _NICK_PAIRS or canon(token) != _folded(token):
        return token
    return _MEDIAL_CH.sub("H", token)


def _ch_fits(read: str, other: str) -> bool:
    """Whether the other token has an H (KH or H) and, as read, the same consonants, five
    letters or more (MIHAEL is no MIKHAILOVNA)."""
    return "H" in other and min(len(read), len(other)) >= 5 and skeleton(read) == skeleton(other)


_SHORT_U = re.compile("(?<=[AE])U(?=[^AEIOU]|$)|(?<=O)U$")
"""Belarusian Ў, where Russian writes В: a U after A or E closing a syllable, or OU ending a
word (ZUBKOU/ZUBKOV, YAUHENAVICH/YEVGENEVICH, MIKALAEUNA/NIKOLAEVNA). Not OU inside a word,
the French spelling of U (MOUSSA), nor IU (MATIULLAH)."""


@lru_cache(maxsize=65536)
def _short_u_as_v(token: str) -> str:
    """The token with Belarusian Ў read as the V of the Russian spelling."""
    return _SHORT_U.sub("V", token)


def _article_sim(q: str, c: str, abjad: bool) -> float:
    """Similarity once an article written onto the name is taken off (ELKADDAFI/GADDAFI)."""
    for a, b in ((q, c), (c, q)):
        if len(a) > 5 and a[:2] in ("AL", "EL") and not b.startswith(a[:2]):
            return 0.95 * token_sim(a[2:], b, abjad)
    return 0.0


def _same_skeleton(q: str, c: str, sim: float, abjad: bool) -> bool:
    """Two tokens with the same consonants in the same order, at least two (besides the
    opening vowel, unless the tokens are as long give or take a letter: ALY is no ILLAH, ISA
    is AYSA): spelt somewhat
    alike (``sim``) when one was written without vowels, more alike for two Latin tokens
    (JUAN/OUNI, EVRARD/AYERAS share consonants only; AYASH/AYACHE, French CH, do not). Beside
    one from an abjad, a C may be a Ç written without its cedilla (:func:`_cedilla_lost`),
    and the vowels and the W/Y of long ones may be spelt alike though not as many
    (:func:`_vowels_alike`)."""
    floor = SKELETON_FLOOR if abjad else LATIN_SKELETON_FLOOR
    french = "C" in q or "C" in c or q[:2] == "OU" or c[:2] == "OU"
    if sim < floor and not french and not (abjad and _vowels_alike(q, c)):
        return False  # the common case: no French spelling (:func:`said`) can change them
    sq = skeleton(q)
    consonants = len(sq) - (sq[:1] == "A") if abs(len(q) - len(c)) > 1 else len(sq)
    same = (consonants >= 2 and sq == skeleton(c)) or _same_said(q, c)
    if not same and not (abjad and _cedilla_lost(q, c)):
        return False
    return sim >= floor or _said_sim(q, c, abjad) >= floor or (abjad and _vowels_alike(q, c))


_C_NOT_CH = re.compile("C(?!H)")


def _cedilla_lost(q: str, c: str) -> bool:
    """The same consonants when a Latin C is the S of a Ç written without its cedilla, as
    lists write French spellings of Arabic names (FAYCAL / ``فيصل`` FYSL)."""
    if "C" not in q and "C" not in c:
        return False
    sq = skeleton(_C_NOT_CH.sub("S", q))
    return len(sq) >= 2 and sq == skeleton(_C_NOT_CH.sub("S", c))


_VOWEL_CLASS = str.maketrans("EIOUYW", "AAAAAA")


def _vowels_alike(q: str, c: str) -> bool:
    """Two tokens alike once every vowel, and the W and Y that an abjad writes for long ones,
    is one letter: ``عیسی`` AYSY / ESSA are both ASA (not MHMDY / MAMADU, MHMDA / MAMADA).
    Asked only of tokens with the same consonants."""
    a, b = (DOUBLED.sub(r"\1", canon(t).translate(_VOWEL_CLASS)) for t in (q, c))
    return ratio(a, b) >= 80


_NOT_CONSONANT = re.compile("[AEIOUY]")


def _short_abjad(q: str, c: str) -> bool:
    """A short token romanised from an abjad (two or three letters, no vowel) whose letters
    are the other token's consonants, H included: ``طه`` TH / TAHA, which the skeleton reads as
    the one letter ``ث`` TH."""
    return any(
        2 <= len(a) <= 3
        and not VOWEL.search(a)
        and DOUBLED.sub(r"\1", _NOT_CONSONANT.sub("", b)) == a
        for a, b in ((q, c), (c, q))
    )


def _same_said(q: str, c: str) -> bool:
    """The same consonants once an article inside a compound with DIN is said as DIN's D
    (NWRALDYN / NOUREDDINE)."""
    if "ALD" not in q and "ALD" not in c:
        return False  # the common case, without a cache lookup
    said = skeleton(article_said(q))
    return len(said) >= 3 and said == skeleton(article_said(c))


def _said_sim(q: str, c: str, abjad: bool) -> float:
    """Edit likeness of two tokens as said (:func:`said`: French spelling, YOUCEF / YWSF), for
    tokens of four letters or more, with three consonants or more from an abjad: of shorter
    ones, French readings make coincidences (ISA / the ICIA of ALICIA, MSH / MAYCHOU)."""
    if min(len(q), len(c)) < 4 or (abjad and len(skeleton(q)) < 3):
        return 0.0
    return ratio(said(q), said(c)) / 100.0


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


_NICK_PAIRS = _nick_pairs()


def weight(token: str, particle: bool | None = None) -> float:
    """A token's weight in a name score: its length, a particle's much less (``particle``:
    whether it stands as one here, see :func:`particle_flags`; default: whether it is one),
    an East Slavic patronymic's less (``PATRONYMIC_WEIGHT``)."""
    particle = token in PARTICLES if particle is None else particle
    if _patronymic_ending(token):
        return len(token) * PATRONYMIC_WEIGHT
    return len(token) * (PARTICLE_WEIGHT if particle else 1.0)


def _patronymic_of(a: str, b: str) -> bool:
    """Whether ``a`` is an East Slavic patronymic and ``b`` a given name no longer than its
    stem and a letter (IVANOVICH and IVAN, NIKOLAEVNA and NIKOLAI): the father's name, which
    a prefix would otherwise take for a spelling of it. A patronymic cut short (IVANOVI) is
    longer."""
    found = _patronymic_ending(a)
    return found is not None and len(b) <= found.start() + 1 and not _PATRONYMIC.search(b)


def _patronymic_ending(token: str) -> re.Match[str] | None:
    """The ending of an East Slavic patronymic (eight letters or more), or None."""
    return _PATRONYMIC.search(token) if len(token) >= 8 else None


PATRONYMIC_WEIGHT = 0.5
"""Share of its length an East Slavic patronymic weighs: it is the father's given name, so
VLADIMIR VLADIMIROVICH is the given name and patronymic of thousands, and a surname that
differs must count for more than that. Chosen on the dev part and Putin's 65 names against
the whole lists: 5 of them alerted on ``NAUMAU, Uladzimir Uladzimiravich`` (0.61)."""
_PATRONYMIC = re.compile("(?:OVICH|EVICH|AVICH|OVYCH|EVYCH|YICH|OVNA|EVNA|AUNA|EUNA|IVNA|ICHNA)$")


@lru_cache(maxsize=65536)
def _father(token: str) -> str | None:
    """The variant group of the given name an East Slavic patronymic is made of, and whether
    it is a son's or a daughter's (NIKOLAYEVNA, MIKALAEUNA, MYKOLAIVNA: NIKOLAI's daughter),
    when the variant tables know the name; None otherwise."""
    found = _patronymic_ending(token)
    if found is None:
        return None
    stem, sex = token[: found.start()], "F" if token.endswith("NA") else "M"
    for name in (stem, stem + "I", stem + "Y"):
        if canon(name) in _GIVEN_NAMES:
            return f"{canon(name)} {sex}"
    return None


_GENDERED = frozenset(
    frozenset((canon(man), canon(woman)))
    for man, women in FEMININE_FORMS.items()
    for woman in women
    if canon(man) != canon(woman)
)
"""Pairs of canon forms of a man's and a woman's given name (``FEMININE_FORMS``)."""
_GIVEN_NAMES = frozenset(VARIANT_GROUPS) | {canon(name) for group in EQUIVALENTS for name in group}


def particle_flags(tokens: Sequence[str]) -> list[bool]:
    """Which tokens of a name stand as particles. In a name of two tokens, a particle word
    other than an article that ends it is the given name (the Chinese BIN of ``XU, Bin``),
    and so is one that starts it before a name (``Van Taylor``, ``Ben Cline``: a traveller
    has a given name, and a particle first is it): it weighs and conflicts as any name, so
    ``Van Taylor`` is not ``TAYLOR, Mark`` with the MARK left over. Elsewhere a trailing
    particle was moved behind the given names (``MILAD, Abdurahman Al``) and stays one. The
    first chosen on the dev part and the whole lists: no dev pair changed, 39 -> 37 of the
    1,253 US Congress members alerting."""
    flags = [t in PARTICLES for t in tokens]
    if len(tokens) == 2 and flags[1] and tokens[1] not in _ARTICLES:
        flags[1] = False
    if len(tokens) == 2 and flags[0] and tokens[0] not in _ARTICLES and not flags[1]:
        flags[0] = False
    return flags


_ARTICLES = frozenset({"AL", "EL"})


def align(
    query: Sequence[str],
    listed: Sequence[str],
    abjad: bool = False,
    syllables: bool = False,
    one_script: str = "",
) -> list[tuple[int, int, float]]:
    """Greedy best one-to-one token alignment (order-free): (query idx, listed idx, sim);
    ``syllables``: both names are wholly Korean or Chinese syllables (:func:`_syllable_sim`);
    ``one_script``: the abjad script both were written in, if one (:func:`_one_script_sim`;
    ``MIXED_SPELLING``: Arabic script, one spelt with Persian letters and one without)."""
    similarity = (
        _syllable_sim if syllables
        else token_sim if not one_script
        else _persian_arabic_sim if one_script == MIXED_SPELLING
        else _one_script_sim
    )  # fmt: skip
    pairs = []
    for i, q in enumerate(query):
        for j, c in enumerate(listed):
            sim = similarity(q, c, abjad)
            if sim > 0.0:  # most pairs of tokens are no match: no tie to break
                pairs.append((sim, ratio(q, c), i, j))
    pairs.sort(reverse=True)  # ties go to the pair closer as written (KHALD: KHALID, not HAMD)
    used_q: set[int] = set()
    used_c: set[int] = set()
    out = []
    for sim, _written, i, j in pairs:
        if i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            out.append((i, j, sim))
    return out


def _one_script_sim(q: str, c: str, abjad: bool = True) -> float:
    """:func:`token_sim` for two names both written in one abjad script and romanised by one
    table: their letters are compared as written, so only the same letters, or a long vowel
    written in one and not the other (a name of four letters or more), are alike. The consonant
    keys that let a Latin spelling meet the letters of an Arabic one would take حمیدی for
    احمدی (HAMIDI for AHMADI) or علی for إله."""
    if canon(q) == canon(c):
        return 1.0
    if q in PARTICLES or c in PARTICLES or min(len(q), len(c)) < 4 or len(q) == len(c):
        return 0.0
    if _nisba_on(q, c) or _nisba_on(c, q):
        return 0.0  # MHMDY / MHMD: the Y of a nisba is no long vowel
    return NEAR_MATCH if OSA.distance(q, c) == 1 and _WEAK.sub("", q) == _WEAK.sub("", c) else 0.0


def _persian_arabic_sim(q: str, c: str, abjad: bool = True) -> float:
    """:func:`token_sim` for a name spelt with the letters only Persian uses and one spelt
    with Arabic ones (``MIXED_SPELLING``): alike as any two spellings of a name are, or by
    their letters once the Persian ones are read as those Arabic writing puts for them
    (چنگیز / جنكيز, پوتین / بوتين: a near match)."""
    sim = token_sim(q, c, True)
    a, b = _as_arabic(q), _as_arabic(c)
    if sim < NEAR_MATCH and (a, b) != (q, c):
        sim = max(sim, min(NEAR_MATCH, _one_script_sim(a, b)))
    return sim


def _as_arabic(token: str) -> str:
    """A token romanised from Persian letters as from the Arabic ones Arabic writing puts for
    them: پ P as ب B, چ CH as ج J, ژ ZH as ز Z, گ G as ك K (GH is غ, kept)."""
    if not any(ch in token for ch in "PCZG"):
        return token  # the common case
    return _PERSIAN_G.sub("K", token.replace("CH", "J").replace("ZH", "Z").replace("P", "B"))


_PERSIAN_G = re.compile("G(?!H)")
MIXED_SPELLING = "Arab+Persian"
"""``one_script`` of two names in Arabic script, one spelt with the letters only Persian,
Urdu and Pashto use and one without: compared by :func:`_persian_arabic_sim`, as the letters
Arabic writing puts for Persian ones differ (a foreign V is ف in Arabic, و in Persian:
فلاديمير / ولادیمیر), and so does the table that reads them (ض is Z in Persian)."""
_WEAK = re.compile("[AWY]")
"""The letters of long vowels (ا و ي) as the Arabic-script tables romanise them."""


def _syllable_sim(q: str, c: str, abjad: bool = False) -> float:
    """:func:`token_sim` for two syllables of names written wholly in Korean or Chinese
    syllables: ``SYLLABLE_SIM`` when one romanisation system writes one as another system
    writes the other (JONG/CHONG, HSUEH/XUE), else only a near match of ``SYLLABLE_STRICT``
    or an initial; never two syllables whose folded initial consonants differ (GUAN/QUAN),
    nor a syllable and a longer word it starts (LONG/LONGBAO; but an ending G is one
    syllable's spelling: CHUN/CHUNG)."""
    sim = token_sim(q, c, abjad)
    if same_syllable(q, c):
        return max(sim, SYLLABLE_SIM)
    if canon(c) in _NICK_PAIRS.get(canon(q), ()):
        sim = _spelling_sim(q, c, canon(q), canon(c))  # 娟 JUAN is no JOHN
    if 1 in (len(q), len(c)):
        return sim
    if initial(q) != initial(c) and is_syllable(q) and is_syllable(c):
        return 0.0  # another initial consonant is another syllable: GUAN is no QUAN
    short, long = sorted((q, c), key=len)
    if long.startswith(short) and long[len(short) :] not in ("", "G"):
        return 0.0  # a syllable and more: LONG is no LONGBAO, HUA no HUANG (but CHUN CHUNG)
    return sim if sim >= SYLLABLE_STRICT else 0.0


def name_score(
    query: Sequence[str],
    q_surname: Sequence[str],
    listed: Sequence[str],
    l_surname: Sequence[str],
    abjad: bool = False,
    syllables_written: bool = False,
    one_script: str = "",
) -> tuple[float, dict[str, Any]]:
    """Score of a listed name for the query and how the tokens aligned (``abjad``: either
    side was romanised from Arabic or Hebrew script, see :func:`token_sim`;
    ``syllables_written``: the query was written in Chinese or Korean script, so its words
    are syllables and are compared as such with any listed name, not only one written
    wholly in syllables: HUA is no HUANG, nor JIAN a JINEE, by a prefix or a sound).

    Tokens are joined where the other side writes them as one when the counts differ, or
    when both sides keep a token the other lacks (HAMID REZA / HAMIDREZA beside YAHYAZADEH /
    YAHYA ZADEH: as many tokens, written apart in other places)."""
    syllables = syllabic(query) and (syllables_written or syllabic(listed))
    written = query
    if len(query) != len(listed):
        query, listed = joined(query, listed, abjad), joined(listed, query, abjad)
    surnames = q_surname, l_surname
    score, detail = _aligned_score(query, listed, abjad, syllables, surnames, one_script)
    if detail["unmatched_query"] and detail["unmatched_list"] and len(query) == len(listed):
        joined_q, joined_l = joined(query, listed, abjad), joined(listed, query, abjad)
        if (joined_q, joined_l) != (list(query), list(listed)):
            score, detail = max(
                (score, detail),
                _aligned_score(joined_q, joined_l, abjad, syllables, surnames, one_script),
                key=lambda r: r[0],
            )
            query = detail["query"]
    found = {query[i] for i, _, _ in detail.pop("pairs")}
    detail.pop("query")
    if q_surname and l_surname:
        missed = _surname_absent(q_surname, found, found.difference(written))
    elif l_surname:  # the query's surname unknown: is the listed one there?
        found_l = {a[1] for a in detail["alignment"]}
        missed = _surname_absent(l_surname, found_l, found_l)
    else:
        missed = False
    return (score * SURNAME_MISS if missed else score), detail


def _surname_absent(surname: Sequence[str], found: set[str], joined: set[str]) -> bool:
    """Whether no token of ``surname`` was matched (``found``) nor is part of a token matched
    as joined from written ones (``joined``, see :func:`_surname_joined`)."""
    return not any(t in found for t in surname) and not _surname_joined(surname, joined)


def _surname_joined(surname: Sequence[str], joined: set[str]) -> bool:
    """Whether a surname token is part of a matched token the query side joined from written
    ones (NASR of NASR AL DIN, matched as NASRUDIN)."""
    return any(len(t) >= 3 and any(t in j for j in joined) for t in surname)


def _aligned_score(
    query: Sequence[str],
    listed: Sequence[str],
    abjad: bool,
    syllables: bool = False,
    surnames: tuple[Sequence[str], Sequence[str]] = ((), ()),
    one_script: str = "",
) -> tuple[float, dict[str, Any]]:
    """Weighted share of aligned tokens, with the conflict factors; and how they aligned
    (``surnames``: the query's and the listed name's, where known, see :func:`_own_name`)."""
    pairs = align(query, listed, abjad, syllables, one_script)
    if not syllables:
        pairs = _initials_credible(pairs, (query, listed), surnames)
    names = tuple(query), tuple(listed)
    w_q, name_q = _token_weights(names[0], syllables)
    w_c, name_c = _token_weights(names[1], syllables)
    matched = sum(s * (w_q[i] + w_c[j]) for i, j, s in pairs)
    total = sum(w_q[i] + w_c[j] for i, j, _ in pairs)
    found_q, found_c = {p[0] for p in pairs}, {p[1] for p in pairs}
    left_q = [i for i in range(len(query)) if i not in found_q]
    left_c = [j for j in range(len(listed)) if j not in found_c]
    un_q, un_c = [query[i] for i in left_q], [listed[j] for j in left_c]
    conflict = any(name_q[i] for i in left_q) and any(name_c[j] for j in left_c)
    if conflict and not syllables and (_may_not_tell(names[0]) or _may_not_tell(names[1])):
        conflict = any(name_q[i] for i in _telling(query, left_q, found_q)) and any(
            name_c[j] for j in _telling(listed, left_c, found_c)
        )
    if (
        conflict
        and not syllables
        and _muhammad_only(pairs, names, (left_q, left_c), (un_q, un_c), surnames)
    ):
        conflict = False
    missing = 1.0 if conflict or syllables else MISSING_WEIGHT
    if conflict and not syllables and _second_surnames_only(pairs, names, surnames, un_q):
        missing = SECOND_SURNAME
    one_word = _words(names[1], name_c) == 1 and any(len(query[i]) > 1 for i in left_q)
    missing_q = 1.0 if one_word else missing
    total += missing_q * sum(w_q[i] for i in left_q) + missing * sum(w_c[j] for j in left_c)
    score = matched / total if total else 0.0
    detail = {
        "alignment": [[query[i], listed[j], round(s, 3)] for i, j, s in pairs],
        "unmatched_query": un_q,
        "unmatched_list": un_c,
        "pairs": pairs,
        "query": list(query),
    }
    if conflict and (
        _first_names_differ(left_q, left_c, query, listed)
        or _own_names_differ(un_q, un_c, (query, listed), surnames)
    ):
        score *= FIRST_CONFLICT
    score *= ONE_WORD if one_word else 1.0
    if conflict and syllables and _other_syllables(un_q, un_c):
        score *= OTHER_SYLLABLE
    if not conflict and _common_only(pairs, names, name_q, left_q, left_c):
        score *= COMMON_ONLY
    if not abjad and not syllables and _sounds_alike_only(pairs, names):
        score *= SOUNDS_ALIKE_ONLY * (ALIKE_PART if sum(name_c[j] for j in left_c) > 1 else 1.0)
    return (score * CONFLICT if conflict else score), detail


def _common_only(
    pairs: list[tuple[int, int, float]],
    names: tuple[tuple[str, ...], tuple[str, ...]],
    name_q: Sequence[bool],
    left_q: Sequence[int],
    left_c: Sequence[int],
) -> bool:
    """Whether the listed name is made of the commonest names alone (:data:`COMMONEST_NAMES`,
    as the list spells them) and the query's name holds it and more names."""
    if any(names[1][j] not in PARTICLES for j in left_c):
        return False
    if not any(name_q[i] and len(names[0][i]) > 1 for i in left_q):
        return False
    listed = [names[1][j] for _, j, _ in pairs if names[1][j] not in PARTICLES]
    return bool(listed) and all(canon(token) in _COMMON for token in listed)


_COMMON = frozenset(canon(name) for name in COMMONEST_NAMES)


def _muhammad_only(
    pairs: list[tuple[int, int, float]],
    names: tuple[tuple[str, ...], tuple[str, ...]],
    left: tuple[Sequence[int], Sequence[int]],
    left_tokens: tuple[Sequence[str], Sequence[str]],
    surnames: tuple[Sequence[str], Sequence[str]],
) -> bool:
    """Whether the only name one side has that the other lacks is MUHAMMAD, in any Latin
    spelling, with two names or more matched near or exactly, the first written words and
    the own given names not differing: then neither side holds a name the other conflicts
    with. MUHAMMAD is the commonest name there is and often the first part of a compound
    given name that is dropped in use, so aliases write it or leave it out at will
    (``AL-SHAWAKH, Muhammad 'Ali`` / ``AL-SHAWAKH, Ali Musa``; ``BARAKAT, Hamzi Muhammad`` /
    ``BARAKAT, Hamzi Ahmad``). Chosen on the dev part: 9 more true pairs, none false, F1
    0.8417 -> 0.8433; with one name matched, or names matched only by sound, 20 and 11 more
    true pairs but 12 and 1 more false (``SAEED, Muhammad`` / ``SAEED, Talha``), and the
    first 20,000 dev generated people alerting against the whole lists 572 -> 584; as taken,
    573 (+2, -1), the dev non-listed people against the UN names 101 -> 101, the dev people
    written in Arabic script against the UN names 80 -> 81 of 2,914."""
    left_names = [[t for t in side if t not in PARTICLES] for side in left_tokens]
    if not any(side and all(canon(t) == "MUHAMMAD" for t in side) for side in left_names):
        return False
    agreeing = [
        i for i, _, s in pairs
        if s >= NEAR_MATCH and names[0][i] not in PARTICLES and len(names[0][i]) > 1
    ]  # fmt: skip
    if len(agreeing) < 2 or _first_names_differ(left[0], left[1], names[0], names[1]):
        return False
    return not _own_names_differ(left_names[0], left_names[1], names, surnames)


def _other_syllables(un_q: Sequence[str], un_c: Sequence[str]) -> bool:
    """Whether every syllable left over one side starts with another consonant class than
    every one left over the other (HYOK / IL of ``KIM, Kwang Hyok`` / ``KIM, Kwang-Il``)."""
    return all(initial(a) != initial(b) for a in un_q for b in un_c)


def _second_surnames_only(
    pairs: list[tuple[int, int, float]],
    names: tuple[tuple[str, ...], tuple[str, ...]],
    surnames: tuple[Sequence[str], Sequence[str]],
    un_q: Sequence[str],
) -> bool:
    """Whether the only name of the query left over (``un_q``) is the second of two surnames,
    each side writing two, the first surnames matched to each other and the listed second
    surname left over too, every match near or exact (``GUZMAN FERNANDEZ, Joaquin`` /
    ``GUZMAN LOERA, Joaquin``; a married woman's ``SALAZAR DE GUZMAN``, the DE a particle):
    see ``SECOND_SURNAME``."""
    (query, listed) = names
    if any(side[0] in PARTICLES for side in surnames if side):
        return False  # AL-ALI AL-HASHIMI: no father's surname first
    sq, sc = ([t for t in side if t not in PARTICLES] for side in surnames)
    if len(sq) != 2 or len(sc) != 2 or any(map(_abd, (*sq, *sc))):
        return False
    if [t for t in un_q if t not in PARTICLES] != [sq[1]] or any(s < NEAR_MATCH for *_, s in pairs):
        return False
    matched = {(query[i], listed[j]) for i, j, _ in pairs}
    return (sq[0], sc[0]) in matched and all(c != sc[1] for _, c in matched)


def _initials_credible(
    pairs: list[tuple[int, int, float]],
    names: tuple[Sequence[str], Sequence[str]],
    surnames: tuple[Sequence[str], Sequence[str]],
) -> list[tuple[int, int, float]]:
    """The alignment without an initial matched to a name where that hid two surnames that
    differ: the initial's side leaves a name of its own unmatched, and either the initial
    stands for the other side's surname or its own surname is the name left over (the M. of
    ``Michael M. Honda`` is no MAKUEI of ``MAKUEI, Michael`` while HONDA is left over). The
    H. T. of ``TSAI, Alex H.T.`` still stand for HSEIN TAI: the surnames agree."""
    if not any(len(names[0][i]) == 1 or len(names[1][j]) == 1 for i, j, _ in pairs):
        return pairs  # the common case: no initial aligned
    found = {p[0] for p in pairs}, {p[1] for p in pairs}
    hid = [_surname_hidden(side, names, surnames, found) for side in (0, 1)]
    lone = _lone_initial(pairs, names[0], found[0])
    return [
        (i, j, s)
        for i, j, s in pairs
        if not (len(names[0][i]) == 1 < len(names[1][j]) and (hid[0](names[1][j]) or i == lone))
        and not (len(names[1][j]) == 1 < len(names[0][i]) and hid[1](names[0][i]))
    ]


def _lone_initial(
    pairs: list[tuple[int, int, float]], query: Sequence[str], found: set[int]
) -> int | None:
    """The query's one initial matched to a listed name while a name the query writes in full
    before it is left over (the M. of ``Laurel M. Lee`` is no MEDDIE of ``MEDDIE LEE``: the
    traveller's own given name, LAUREL, is there to compare); None if there is none such. A
    name after the initial may be one the list leaves out (``ALESSAWI, Khamis F Ali`` /
    ``AL-ISSAWI, Khamis Farhan``), and two initials may stand for two names (``LIN, Alex
    H.T.`` / ``LIN, Hsiao Tung``)."""
    initials = [i for i, _, _ in pairs if len(query[i]) == 1]
    if len(initials) != 1:
        return None
    before = query[: initials[0]]
    left = [t for k, t in enumerate(before) if k not in found and len(t) > 1]
    return initials[0] if any(t not in PARTICLES for t in left) else None


def _surname_hidden(
    side: int,
    names: tuple[Sequence[str], Sequence[str]],
    surnames: tuple[Sequence[str], Sequence[str]],
    found: tuple[set[int], set[int]],
) -> Callable[[str], bool]:
    """For initials of one side (0: query, 1: listed): whether one matched to a token of the
    other side hides a surname conflict (:func:`_initials_credible`)."""
    own, other = names[side], surnames[1 - side]
    left = [t for k, t in enumerate(own) if k not in found[side] and len(t) > 1]
    left = [t for t in left if t not in PARTICLES]
    if not left:
        return lambda _token: False
    surname = surnames[side] or [t for t in own[-1:] if len(t) > 1]
    own_left = any(t in left for t in surname)
    return lambda token: own_left or token in other


def _sounds_alike_only(
    pairs: list[tuple[int, int, float]], names: tuple[tuple[str, ...], tuple[str, ...]]
) -> bool:
    """Whether every name matched (no initial, no particle) is only alike in sound or
    consonants, none spelt within an edit or as a variant of the other (MAYRA / MARIO,
    BROUN / BARRON, HONDA / HINDI): see ``SOUNDS_ALIKE_ONLY``."""
    sims = [
        s for i, j, s in pairs
        if len(names[0][i]) > 1 < len(names[1][j]) and names[0][i] not in PARTICLES
    ]  # fmt: skip
    return bool(sims) and max(sims) < NEAR_MATCH


def _words(tokens: Sequence[str], is_name: Sequence[bool]) -> int:
    """How many words of two letters or more a name has, particles left out. A listed name of
    one word (a nickname or nom de guerre: ``Joe``, ``Caesar``, ``Israel``; or one word as
    aligned, its words joined) scored against a query with a name it does not hold weighs
    that name in full and counts ``ONE_WORD``: one word of a traveller's name is no evidence
    of the whole. ABD and the name after it are one name (``ABDUL HAQ``: :func:`_abd`);
    counted as one, a listed ``ABDUL REZAK`` alerted on 3 of the 2,914 dev generated people
    written in Arabic script (``عبد الرّزاق الخرافي``) and 9 such names on 9 more, for one
    dev pair fewer (``Abdul Heq Jundullah`` / ``ABDUL HAQ``); ABU (a kunya, ``ABU MUAMAR``)
    too: 84 -> 74 of those people, no dev pair changed. ABD or ABU that ends a name goes
    with the name before it (``ABU, Yasir`` read YASIR ABU). ``is_name``: which tokens
    stand as names, not particles (:func:`_token_weights`)."""
    last = len(tokens) - 1
    bound = [
        _abd(t) and (is_name[k + 1] if k < last else k > 0 and is_name[k - 1])
        for k, t in enumerate(tokens)
    ]
    return sum(len(t) > 1 and n and not b for t, n, b in zip(tokens, is_name, bound, strict=True))


def _abd(token: str) -> bool:
    """Whether a token is the ABD (servant of) or ABU (father of) of a name of two words,
    ABDUL RAHMAN, ABU MUAMAR: one name."""
    return (canon(token) == "ABDUL" and not token.endswith(("LAH", "LLA"))) or token in _ABU


_ABU = frozenset({"ABU", "ABOU", "ABO", "ABW", "ABA"})


@lru_cache(maxsize=8192)
def _may_not_tell(tokens: tuple[str, ...]) -> bool:
    """Whether :func:`_telling` may leave out a token of this name: it has an initial, or it
    writes a name twice (AHMED AHMED KHALFAN; MOHAMMED … MUHAMMAD). The common case, neither,
    asks nothing more."""
    return any(len(t) == 1 for t in tokens) or len({canon(t) for t in tokens}) < len(tokens)


def _telling(tokens: Sequence[str], left: Sequence[int], found: set[int]) -> list[int]:
    """The tokens left over that tell two people apart: all but a middle initial, one after a
    name that was found (the H. A. of ``KHASHAYBAN, Fahad H.A.`` may stand for names the other
    writing leaves out; the R. of ``R. Smith`` is the own name, and tells) and a name written
    twice where it was found once (``AHMED, Ahmed Khalfan`` / ``AHMED KHALFAN GHAILANI``). Not
    asked of names of Korean or Chinese syllables, where I and O are family names."""
    first_found = min(found, default=len(tokens))
    out = [i for i in left if len(tokens[i]) > 1 or i < first_found]
    if not out:
        return out
    repeated = {canon(tokens[k]) for k in found}
    return [i for i in out if canon(tokens[i]) not in repeated]


def _own_names_differ(
    un_q: Sequence[str],
    un_c: Sequence[str],
    names: tuple[Sequence[str], Sequence[str]],
    surnames: tuple[Sequence[str], Sequence[str]],
) -> bool:
    """Whether each name's own given name (:func:`_own_name`) is left over (``un_q``, ``un_c``)."""
    if not (surnames[0] and surnames[1]):
        return False
    if _own_name(tuple(names[0]), tuple(surnames[0])) not in un_q:
        return False
    return _own_name(tuple(names[1]), tuple(surnames[1])) in un_c


@lru_cache(maxsize=8192)
def _own_name(tokens: tuple[str, ...], surname: tuple[str, ...]) -> str | None:
    """A name's own given name, when its surname is known (a document's, or ``SURNAME,
    Given``): the first token after the surname's (DANIEL of ``RODRIGUEZ OLIVERA, Daniel``),
    a title of descent passed over (``_LINEAGE``)."""
    if not surname:
        return None
    family = set(surname) | _LINEAGE
    return next((t for t in tokens if t not in family and t not in PARTICLES), None)


_LINEAGE = frozenset({
    "SAYYID", "SAYYED", "SEYED", "SEYYED", "SEYYID", "SYED", "SAIYID", "SEYEDEH", "SEYYEDEH",
})  # fmt: skip
"""Sayyid in its Latin spellings: a title of descent that Iranian and South Asian names write
before the given name (``MUSAVI, Sayyed Javad``), so it is no one's own given name
(:func:`_own_name`): brothers ``… Sayyed Javad`` / ``… Sayyed Kamal`` differ in their own
names (dev pairs: one false pair fewer, none true changed). SAYED and SAID, given names, are
not in it."""


def _first_names_differ(
    left_q: Sequence[int], left_c: Sequence[int], query: Sequence[str], listed: Sequence[str]
) -> bool:
    """Whether each name's first written token is a name the other lacks: the family name of
    ``RODRIGUEZ OREJUELA, Miguel Angel``, the own name before the father's of ``UDAY SADDAM
    HUSSEIN`` — the word that tells relatives apart."""
    return 0 in left_q and 0 in left_c and query[0] not in PARTICLES and listed[0] not in PARTICLES


@lru_cache(maxsize=8192)
def _token_weights(
    tokens: tuple[str, ...], syllables: bool = False
) -> tuple[tuple[float, ...], tuple[bool, ...]]:
    """Each token's weight in a name score and whether it stands as a name, not a particle
    (:func:`particle_flags`); in a name of Korean or Chinese syllables (``syllables``) each
    weighs at least ``SYLLABLE_WEIGHT``: a syllable is a whole name element, the family name
    I or O no less than KWANG."""
    flags = particle_flags(tokens)
    weights = tuple(weight(t, f) for t, f in zip(tokens, flags, strict=True))
    if syllables:
        weights = tuple(max(SYLLABLE_WEIGHT, w) for w in weights)
    return weights, tuple(not f for f in flags)


def dates_adjust(query: str | None, listed: Sequence[str]) -> tuple[float, str]:
    """:func:`dob_adjust` against the listed date that agrees best, where a list gives several
    (the label says which: ``exact (1964-09-18, one of 7 listed)``)."""
    if not query or len(listed) < 2:
        return dob_adjust(query, listed[0] if listed else None)
    value, label, date = max((*dob_adjust(query, d), d) for d in listed)
    return value, f"{label} ({date}, one of {len(listed)} listed)"


def dob_adjust(query: str | None, listed: str | None) -> tuple[float, str]:
    """Score change for dates of birth (full or partial) and its label."""
    if not query or not listed:
        return 0.0, "unknown"
    qy, ly = int(query[:4]), int(listed[:4])
    gap = abs(qy - ly)
    full = _calendar_date(query) and _calendar_date(listed)
    if 1 < gap <= DOB_NEAR_YEARS and (not full or _day_may_agree(query[5:], listed[5:])):
        return DOB_NEAR, f"{gap} years apart"
    if not full:
        if gap == 0:
            return 0.0, "same year (partial date)"
        return (-0.05, "1 year apart") if gap == 1 else (DOB_MISMATCH, "mismatch")
    if query == listed:
        return 0.02, "exact"
    if gap == 0:
        swapped = query[5:7] == listed[8:10] and query[8:10] == listed[5:7]
        return (-0.03, "day and month swapped") if swapped else (-0.1, "same year, other day")
    if gap == 1:
        return (
            (-0.05, "1 year apart")
            if query[5:] == listed[5:]
            else (-0.12, "1 year apart, other day")
        )
    return DOB_MISMATCH, "mismatch"


def _day_may_agree(q: str, c: str) -> bool:
    """Whether two full birth dates years apart (``MM-DD`` each) may still be one person's:
    either is the 1 January lists put for a year alone, or both have one day and month
    (either way round). A year alone on either side may be off anyway."""
    return "01-01" in (q, c) or q == c or q == c[3:] + "-" + c[:2]


def _calendar_date(text: str) -> bool:
    """Whether a date has its month and day, and they can be (1974-13-16 is a year only)."""
    parts = _FULL_DATE.match(text)
    return parts is not None and 1 <= int(parts[1]) <= 12 and 1 <= int(parts[2]) <= 31


_FULL_DATE = re.compile(r"\d{4}-(\d{2})-(\d{2})$")


def nationality_adjust(query: str | None, listed: str | None) -> tuple[float, str]:
    """Score change for nationality (dual nationals exist: only a small penalty)."""
    if not query or not listed:
        return 0.0, "unknown"
    return (0.0, "match") if query in listed.split() else (-0.03, "other")


def sex_adjust(query: str | None, listed: str | None) -> tuple[float, str]:
    """Score change for sex (X or unknown on either side: none)."""
    if not query or not listed or "X" in (query, listed) or query == "<":
        return 0.0, "unknown"
    return (0.0, "match") if query == listed else (-0.1, "other")
