"""How alike two name tokens are, how much one weighs in a name score, and which tokens of
two names pair up.

:func:`token_sim` is the likeness of two single tokens in MRZ form: spelling folds and variant
groups, short forms, readings of one romanisation in another (Somali X and C, Dutch CH,
Egyptian G, Belarusian U), consonant skeletons for names written without short vowels.
:func:`align` pairs the tokens of two names by it, or by its stricter forms for two names in
one abjad script or wholly of Korean or Chinese syllables; :func:`weight` and
:func:`particle_flags` say how much each token counts. The whole-name score built on them is
:mod:`edge.watchlist.match`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache, partial

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from edge.watchlist.abjad import may_be_one_name, spelt_from
from edge.watchlist.givennames import (
    EQUIVALENT_OF,
    GENDERED,
    NICK_PAIRS,
    father,
    patronymic_ending,
    patronymic_of,
)
from edge.watchlist.joins import COMPOUND_PARTS, VOWEL
from edge.watchlist.nametables import PARTICLES
from edge.watchlist.normalize import DOUBLED, canon
from edge.watchlist.normalize import spelling as _folded
from edge.watchlist.slavic import readings
from edge.watchlist.sounds import (
    article_said,
    egyptian,
    persian_q,
    persian_zh,
    phonetic,
    said,
    skeleton,
    somali,
    turkish,
)
from edge.watchlist.syllables import STRICT_KEYS, initial, is_syllable, same_syllable

TOKEN_FLOOR = 0.75
"""Token similarities below this are no match at all (JOHN vs JANE)."""
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
SYLLABLE_SIM = 0.85
"""Two syllables of a Korean or Chinese name spelt by two romanisation systems (JONG/CHONG,
HSUEH/XUE; :mod:`edge.watchlist.syllables`)."""
SYLLABLE_STRICT = 0.9
"""In such names, another syllable spelt alike is another name element (JUN/UN, HOU/HO,
0.86): only a near match this close counts (one edit at four letters or more, a prefix).
Chosen on the dev part: at 0.85 two more true pairs, but 105 more non-listed alerts."""
NEAR_MATCH = 0.9
"""Token likeness of a near match: one edit at four letters or more, a prefix, a variant."""


@lru_cache(maxsize=131072)
def token_sim(q: str, c: str, abjad: str = "") -> float:
    """Similarity of two MRZ-form tokens in 0..1 after spelling folds and variant groups.

    Tokens whose consonants agree are near matches: when one side was romanised from a
    script that writes no short vowels (``abjad``: Arabic, Hebrew; MHMWD/MAHMUD), and, with
    more likeness asked, two Latin romanisations of one Arabic or Persian name (FAWZI/FOUZI,
    NASSER/NASIR)."""
    qc, cc = canon(q), canon(c)
    if qc == cc:
        return 1.0
    if _never_alike(q, c, qc, cc):
        return 0.0
    sim = _spelt_sim(q, c, qc, cc, abjad)
    sim = _readings_sim(q, c, sim, abjad)
    sim = _one_name_sim(q, c, qc, cc, sim, abjad)
    if abjad and _abjad_other_name(q, c, sim):
        sim = 0.0
    if abjad == "Hebr" and sim < SKELETON_SIM and _spells_an_equivalent(q, c, qc, cc):
        sim = SKELETON_SIM
    if TOKEN_FLOOR <= sim < SHORT_IN_LONG and not abjad and _short_in_long(q, c, qc, cc):
        return 0.0
    return sim if sim >= TOKEN_FLOOR else 0.0


def _never_alike(q: str, c: str, qc: str, cc: str) -> bool:
    """Whether two tokens (canon forms ``qc``, ``cc``, not equal) are two names however alike
    their spelling: a particle and a name, a father's name and its patronymic, a man's and a
    woman's, ABDUL and a longer name it starts."""
    if (q in PARTICLES) != (c in PARTICLES):
        return True  # AL is no spelling of ALI
    if patronymic_of(qc, cc) or patronymic_of(cc, qc):
        return True  # IVAN is the father of an IVANOVICH, not him
    if frozenset((qc, cc)) in GENDERED:
        return True  # LUISA is no LUIS
    # ABDUL (the servant of) is half a name, no short form of ABDULKARIM
    return "ABDUL" in (qc, cc) and qc[:5] == cc[:5] and max(len(qc), len(cc)) >= 8


SHORT_IN_LONG = 0.8
"""Below this likeness a name of three letters or fewer is no spelling of one two letters
longer or more (:func:`_short_in_long`)."""


def _short_in_long(q: str, c: str, qc: str, cc: str) -> bool:
    """Whether one canon form has three letters or fewer and the other two more: alike then by
    the letters the short one has, in order, inside the long one (edit likeness 0.75 at three
    and five letters), not by how either is spelt — KHAN (HAN) is no HASAN, ALI no SALIH, SAM
    no SALAM (a query cut short is a prefix, and stays one: DAR of DARRELL). A compound word
    of Arabic names (ABU, ABDUL, BIN …) is left to the joins.
    Issue 17's eighteenth part: `Mohammed Ali Khan` / `Mohammed Ali Hassan` 0.92 -> 0.62."""
    short, long_ = sorted((qc, cc), key=len)
    return (
        len(short) <= 3
        and len(long_) - len(short) >= 2
        and COMPOUND_PARTS.isdisjoint((q, c))
        and q not in PARTICLES
        and c not in PARTICLES
    )


def _spelt_sim(q: str, c: str, qc: str, cc: str, abjad: str) -> float:
    """Likeness as spelt: of the folded tokens, an article written on taken off, and the
    spelling a variant label or a fold hid."""
    sim = _spelling_sim(q, c, qc, cc)
    if q[:2] in _ARTICLES or c[:2] in _ARTICLES:
        sim = max(sim, _article_sim(q, c, abjad))
    if sim < 0.9 and (qc != _folded(q) or cc != _folded(c)):  # a variant label hid the spelling
        sim = max(sim, _spelling_sim(q, c, _folded(q), _folded(c)))
    if sim < 0.9 and (qc != q or cc != c):  # a fold made them less alike (LOUN/LUN, LOAN)
        sim = max(sim, ratio(q, c) / 100.0)
    return sim


def _readings_sim(q: str, c: str, sim: float, abjad: str) -> float:
    """Likeness ``sim`` raised where one token read as another romanisation writes it is a
    near match: Belarusian U, Somali X and C, Dutch CH, Egyptian G, Turkish C."""
    if sim < 0.9 and ("U" in q or "U" in c):  # Belarusian Ў: IPATAU/IPATOV
        sim = _short_u_sim(q, c, sim)
    if sim < 0.9 and ("X" in q or "X" in c or q[0] == "C" or c[0] == "C"):  # XASAN / HASSAN
        read = _read_sim(q, c, abjad, somali, _somali_fits)
        sim = read if read >= 0.9 else sim  # a near match once read, or none
    if sim < 0.9 and ("CH" in q[1:] or "CH" in c[1:]):  # ROCHIM / RAHIM
        read = _read_sim(q, c, abjad, _dutch_ch, _ch_fits)
        sim = read if read >= 0.9 else sim
    if sim < SKELETON_SIM and (("G" in q and "J" in c) or ("J" in q and "G" in c)):  # GAMAL
        fits = _egyptian_fits_abjad if abjad else _egyptian_fits
        read = _read_sim(q, c, abjad, egyptian, fits)
        sim = read if read >= SKELETON_SIM else sim
    if sim < SKELETON_SIM and (("C" in q and "J" in c) or ("J" in q and "C" in c)):  # CEMAL
        fits = _egyptian_fits_abjad if abjad else _egyptian_fits
        read = _read_sim(q, c, abjad, turkish, fits)
        sim = read if read >= (SKELETON_SIM if abjad else NEAR_MATCH) else sim
    if sim < SKELETON_SIM and abjad and (("ZH" in q and "J" in c) or ("J" in q and "ZH" in c)):
        read = _read_sim(q, c, abjad, persian_zh, _zh_as_j_fits)  # بیژن BYZHN / BIJAN
        sim = read if read >= SKELETON_SIM else sim
    if sim < SKELETON_SIM and not abjad and (("GH" in q and "Q" in c) or ("Q" in q and "GH" in c)):
        read = _read_sim(q, c, abjad, persian_q, _persian_fits)  # SADEGH / SADIQ
        sim = read if read >= SKELETON_SIM else sim
    if sim < 0.9 and not abjad and (readings(q) or readings(c)):  # GORBATSCHOW / GORBACHEV
        sim = max(sim, _slavic_sim(q, c))
    return sim


def _persian_fits(read: str, other: str) -> bool:
    """Whether the other token has the Q a Persian GH was read as, with the same consonants
    (:func:`~edge.watchlist.sounds.skeleton`), four letters or more. Issue 17's eighteenth
    part: no dev pair has the shape in two Latin spellings; the dev people on no list alert
    as before (419 against the whole lists, 70 against the UN names)."""
    return "Q" in other and min(len(read), len(other)) >= 4 and skeleton(read) == skeleton(other)


def _slavic_sim(q: str, c: str) -> float:
    """Likeness of two tokens once one is read as German, Polish, Dutch or French spell a
    Cyrillic name (:func:`~edge.watchlist.slavic.readings`), when that gives a near
    match with the other's own first letter, five letters or more; 0 otherwise. Not for a
    Chinese or Korean syllable nor a given name of the variant or short-form tables, whose
    spelling is its own (JIANG is no YIANG, MICHAEL no MIKHAEL)."""
    for a, b in ((q, c), (c, q)):
        read_as = readings(a)
        if not read_as or is_syllable(a) or _table_given_name(a):
            continue
        for read in read_as:
            if min(len(read), len(b)) >= 5 and read[0] == b[0]:
                sim = token_sim(read, b)
                if sim >= NEAR_MATCH:
                    return sim
    return 0.0


def _short_u_sim(q: str, c: str, sim: float) -> float:
    """Likeness ``sim`` raised to the spelling likeness of the tokens with Belarusian Ў read as
    V, where either has one."""
    bq, bc = _short_u_as_v(q), _short_u_as_v(c)
    if bq != q or bc != c:
        sim = max(sim, _spelling_sim(bq, bc, canon(bq), canon(bc)))
    return sim


def _one_name_sim(q: str, c: str, qc: str, cc: str, sim: float, abjad: str) -> float:
    """Likeness ``sim`` raised where the tokens are one name in two forms: one father's name
    in a patronymic, a short form, the same consonants."""
    if sim < NEAR_MATCH and father(q) is not None and father(q) == father(c):
        sim = NEAR_MATCH  # MIKALAEUNA / NIKOLAYEVNA: one father's name in two languages
    if sim < NICKNAME_SIM and cc in NICK_PAIRS.get(qc, ()):
        sim = NICKNAME_SIM
    if sim < SKELETON_SIM and (_same_skeleton(q, c, sim, abjad) or (abjad and _short_abjad(q, c))):
        sim = SKELETON_SIM
    if sim < SKELETON_SIM and abjad == "Hebr" and _hebrew_spelt(q, c):
        sim = SKELETON_SIM
    return sim


def _spells_an_equivalent(q: str, c: str, qc: str, cc: str) -> bool:
    """Whether one token, romanised from Hebrew, is spelt letter by letter (as
    :func:`_hebrew_spelt` asks) by the other's name as another language writes it
    (``EQUIVALENTS``): ``יצחק`` YTSHK spells YITZHAK, which is ISAAC, as the Latin YITZHAK
    and ISAAC already are one name. Not for Arabic script, as that test is not: by it
    ``جماز`` JMAZ spells JONAS, so it was YUNIS, and by the consonants alone ``موسوی`` MWSWY,
    Mousavi, was MOISEI and so MUSA (dev people on no list alerting against the UN names)."""
    return any(_hebrew_spelt(q, m) for m in EQUIVALENT_OF.get(cc, ())) or any(
        _hebrew_spelt(c, m) for m in EQUIVALENT_OF.get(qc, ())
    )


def _hebrew_spelt(q: str, c: str) -> bool:
    """Whether one token, romanised from Hebrew, is spelt letter by letter by the other
    (:func:`~edge.watchlist.abjad.spelt_from`, no letter left out), three letters or more
    each: Hebrew writes no short vowel and reads ב B or V, ו (W) O, U or V, י Y, I or E, so
    its consonants alone (the skeletons of :func:`_same_skeleton`, which drop V, W and Y)
    miss the Latin spelling of most names: ``בנימין`` VNYMYN / BENJAMIN, ``אהוד`` HWD / EHUD,
    ``לפיד`` LFYD / LAPID. Not for Arabic script, whose lists' names the same test would take
    for many others (issue 17's twentieth part: the first 20,000 dev people on no list
    alerting against the whole lists 424 → 504)."""
    return min(len(q), len(c)) >= 3 and bool(spelt_from(q, c, False) or spelt_from(c, q, False))


def _abjad_other_name(q: str, c: str, sim: float) -> bool:
    """Whether two tokens, one romanised from an abjad, alike by ``sim`` are two names after
    all: alike by sound keys only, or one a nisba of the other."""
    if TOKEN_FLOOR <= sim < NEAR_MATCH and not may_be_one_name(q, c):
        return True  # alike by sound keys only (HSNY / HUSAYN), not letter by letter
    # MHMDY / MUHAMMAD: a nisba is another name
    return sim < 1.0 and (_nisba_on(q, c) or _nisba_on(c, q))


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
    if sim >= 0.6 and len(qc) >= 4 and _sound_key_alike(qc, cc):
        sim = max(sim, 0.85)
    return sim


def _sound_key_alike(qc: str, cc: str) -> bool:
    """Whether two canon forms have one sound key (:func:`~edge.watchlist.sounds.phonetic`)
    of two letters or more: a key of the first letter alone (SHUHEI and SHAH, both S: vowels
    and H) says nothing of the rest. Issue 17's seventeenth part: of the first 20,000 dev
    generated people 429 -> 425 alerting against the whole lists (Japanese names read, SHUHEI
    / SHAH), the dev non-listed people against the UN names 81 -> 80; no dev pair changed."""
    key = phonetic(qc)
    return len(key) >= 2 and key == phonetic(cc)


def _read_sim(
    q: str, c: str, abjad: str, reading: Callable[[str], str], fits: Callable[[str, str], bool]
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


def _egyptian_fits_abjad(read: str, other: str) -> bool:
    """:func:`_egyptian_fits` where ``other``, with the J, was romanised from an abjad, which
    writes no short vowel: three letters of it or more (``جمال`` JMAL / GAMAL, ``رجب`` RJB /
    RAGAB), its letters then checked one by one (:func:`_abjad_other_name`)."""
    return "J" in other and len(read) >= 5 and len(other) >= 3


def _zh_as_j_fits(read: str, other: str) -> bool:
    """Whether the other token, Latin beside one romanised from Arabic script, has the J."""
    return "J" in other


def _table_given_name(token: str) -> bool:
    """Whether ``token`` is a given name of the short-form or variant tables, whose spelling is
    its own and is not read another way (MICHAEL keeps its CH, JULIA its J)."""
    return canon(token) in NICK_PAIRS or canon(token) != _folded(token)


_MEDIAL_CH = re.compile("(?<=[AEIOU])CH")


@lru_cache(maxsize=65536)
def _dutch_ch(token: str) -> str:
    """The token with a CH after a vowel read as the H it writes in Dutch-era Indonesian and
    Malay spelling of Arabic names (ACHMAD, MOCHTAR, ROCHIM: AHMAD, MOKHTAR, RAHIM); not in a
    given name of the variant or short-form tables, whose CH is its own (MICHAEL, RICHARD)."""
    if _table_given_name(token):
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


def _article_sim(q: str, c: str, abjad: str) -> float:
    """Similarity once an article written onto the name is taken off (ELKADDAFI/GADDAFI)."""
    for a, b in ((q, c), (c, q)):
        if len(a) > 5 and a[:2] in ("AL", "EL") and not b.startswith(a[:2]):
            return 0.95 * token_sim(a[2:], b, abjad)
    return 0.0


def _same_skeleton(q: str, c: str, sim: float, abjad: str) -> bool:
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
    return sim >= floor or _said_sim(q, c, abjad) >= floor or (bool(abjad) and _vowels_alike(q, c))


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


def _said_sim(q: str, c: str, abjad: str) -> float:
    """Edit likeness of two tokens as said (:func:`said`: French spelling, YOUCEF / YWSF), for
    tokens of four letters or more, with three consonants or more from an abjad: of shorter
    ones, French readings make coincidences (ISA / the ICIA of ALICIA, MSH / MAYCHOU)."""
    if min(len(q), len(c)) < 4 or (abjad and len(skeleton(q)) < 3):
        return 0.0
    return ratio(said(q), said(c)) / 100.0


def weight(token: str, particle: bool | None = None) -> float:
    """A token's weight in a name score: its length, a particle's much less (``particle``:
    whether it stands as one here, see :func:`particle_flags`; default: whether it is one),
    an East Slavic patronymic's less (``PATRONYMIC_WEIGHT``)."""
    particle = token in PARTICLES if particle is None else particle
    if patronymic_ending(token):
        return len(token) * PATRONYMIC_WEIGHT
    return len(token) * (PARTICLE_WEIGHT if particle else 1.0)


PATRONYMIC_WEIGHT = 0.5
"""Share of its length an East Slavic patronymic weighs: it is the father's given name, so
VLADIMIR VLADIMIROVICH is the given name and patronymic of thousands, and a surname that
differs must count for more than that. Chosen on the dev part and Putin's 65 names against
the whole lists: 5 of them alerted on ``NAUMAU, Uladzimir Uladzimiravich`` (0.61)."""


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
    abjad: str = "",
    syllables: bool = False,
    one_script: str = "",
    strict: str = "",
) -> list[tuple[int, int, float]]:
    """Greedy best one-to-one token alignment (order-free): (query idx, listed idx, sim);
    ``syllables``: both names are wholly Korean or Chinese syllables (:func:`_syllable_sim`);
    ``one_script``: the abjad script both were written in, if one (:func:`_one_script_sim`;
    ``MIXED_SPELLING``: Arabic script, one spelt with Persian letters and one without);
    ``strict``: one name is a reading of Chinese characters (``cantonese``, ``wade_giles``)
    or of a Korean name in Cyrillic (``kontsevich``), whose syllables match only the same ones
    (:func:`_same_syllable_sim`)."""
    similarity = (
        partial(_same_syllable_sim, key=STRICT_KEYS[strict]) if strict
        else _syllable_sim if syllables
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


def _one_script_sim(q: str, c: str, abjad: str = "Arab") -> float:
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


def _persian_arabic_sim(q: str, c: str, abjad: str = "Arab") -> float:
    """:func:`token_sim` for a name spelt with the letters only Persian uses and one spelt
    with Arabic ones (``MIXED_SPELLING``): alike as any two spellings of a name are, or by
    their letters once the Persian ones are read as those Arabic writing puts for them
    (چنگیز / جنكيز, پوتین / بوتين: a near match)."""
    sim = token_sim(q, c, "Arab")
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


def _same_syllable_sim(q: str, c: str, abjad: str = "", *, key: Callable[[str], str]) -> float:
    """:func:`_syllable_sim` for a syllable of a name's reading in Cantonese or Wade–Giles
    (:mod:`edge.watchlist.cantonese`, :mod:`edge.watchlist.wadegiles`) or of a Korean name in
    Cyrillic (:mod:`edge.watchlist.kontsevich`), but only the same syllable by that reading's
    ``key`` (:data:`~edge.watchlist.syllables.STRICT_KEYS`): Cantonese has fewer sounds than
    Mandarin, so a near one is another name's (俊 CHUN is no CHEN, 王 WONG no WANG), a
    syllable read in Wade–Giles is spelt as Taiwan spells it, and one read from Cyrillic is
    the same but for what Cyrillic does not tell apart."""
    if key(q) == key(c):
        return max(token_sim(q, c, abjad), SYLLABLE_SIM)
    return 0.0


def _syllable_sim(q: str, c: str, abjad: str = "") -> float:
    """:func:`token_sim` for two syllables of names written wholly in Korean or Chinese
    syllables: ``SYLLABLE_SIM`` when one romanisation system writes one as another system
    writes the other (JONG/CHONG, HSUEH/XUE), else only a near match of ``SYLLABLE_STRICT``
    or an initial; never two syllables whose folded initial consonants differ (GUAN/QUAN),
    nor a syllable and a longer word it starts (LONG/LONGBAO; but an ending G is one
    syllable's spelling: CHUN/CHUNG, and so is its last letter written twice: ZAW/ZAWW)."""
    sim = token_sim(q, c, abjad)
    if same_syllable(q, c):
        return max(sim, SYLLABLE_SIM)
    if canon(c) in NICK_PAIRS.get(canon(q), ()):
        sim = _spelling_sim(q, c, canon(q), canon(c))  # 娟 JUAN is no JOHN
    if 1 in (len(q), len(c)):
        return sim
    if initial(q) != initial(c) and is_syllable(q) and is_syllable(c):
        return 0.0  # another initial consonant is another syllable: GUAN is no QUAN
    short, long = sorted((q, c), key=len)
    if long.startswith(short) and long[len(short) :] not in ("", "G", short[-1]):
        return 0.0  # a syllable and more: LONG is no LONGBAO, HUA no HUANG (but CHUN CHUNG)
    return sim if sim >= SYLLABLE_STRICT else 0.0
