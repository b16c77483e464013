"""Scoring one query name against one listed name: the weighted share of their aligned tokens
(:mod:`edge.watchlist.likeness`), and the factors for names one side has that the other lacks,
a surname not found, a name of one word, names alike by sound only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from edge.watchlist.joins import joined
from edge.watchlist.likeness import NEAR_MATCH, align, particle_flags, weight
from edge.watchlist.nametables import COMMONEST_NAMES, HONORIFIC_NAMES, PARTICLES
from edge.watchlist.normalize import canon
from edge.watchlist.syllables import in_syllables, initial, is_syllable, syllabic

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
DROPPED_SYLLABLE = 0.6
"""Factor when one name is a Chinese name written in characters (``chinese`` of
:func:`name_score`) and syllables are left over on one side only: a Chinese given name is
one or two characters, each a syllable of it, so ``徐莉斌`` XU LI BIN is not ``XU, Bin``, nor
``蘇貞昌`` SU ZHEN CHANG ``Chen Cheng`` — another given name, not one left out (syllables left
over on both sides are a syllable spelt otherwise, ``馬英九`` MA YING JIU / ``Ma Ying-jeou``,
which the other factors weigh). Such a pair scored 0.72-0.86; the factor keeps it below the
decide band. Chosen on the dev part and the whole lists (issue 17's twenty-fourth part): no
dev pair lost, one false one fewer (``斌 莉 徐`` / ``XU, Bin``); of the first 20,000 dev
generated people 421 -> 383 alerting against the UN and OFAC individuals under all their
names, of the dev non-listed people 70 -> 65 against the UN names, none more; the names in
Chinese characters of Hong Kong, Taiwan, the mainland and Japan read both ways as before.
Names in Hangul were tried too and changed no alert: they are left as they were."""
SYLLABLE_WEIGHT = 4.0
"""Least weight of a syllable in a name written wholly in Korean or Chinese syllables (a
syllable's usual length; chosen on the dev part: at 4, 5 fewer false pairs, 3 fewer true
ones and 14 fewer non-listed alerts than with no floor, at 3 the same pairs but 12)."""
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


def name_score(
    query: Sequence[str],
    q_surname: Sequence[str],
    listed: Sequence[str],
    l_surname: Sequence[str],
    abjad: str = "",
    syllables_written: bool = False,
    one_script: str = "",
    words: Sequence[int] = (),
    strict: str = "",
    chinese: bool = False,
) -> tuple[float, dict[str, Any]]:
    """Score of a listed name for the query and how the tokens aligned (``abjad``: either
    side was romanised from Arabic or Hebrew script, see :func:`~edge.watchlist.likeness.token_sim`;
    ``syllables_written``: the query was written in Chinese or Korean script, so its words
    are syllables and are compared as such with any listed name, not only one written
    wholly in syllables: HUA is no HUANG, nor JIAN a JINEE, by a prefix or a sound;
    ``words``: then, the written word each query token is a syllable of, see
    :func:`_whole_words`; ``strict``: one name is a reading of Chinese characters,
    ``cantonese`` or ``wade_giles``, compared syllable by syllable, only with the same
    syllables as that reading spells them, and every syllable of both found; ``chinese``:
    one name is a Chinese name written in characters, see ``DROPPED_SYLLABLE``). Two names
    are compared syllable by syllable too when one is written wholly in syllables and the
    other in syllables some of which are written as one word (``HSI CHIN PING`` / ``XI
    JINPING``: Wade–Giles HSI is pinyin XI, which as Latin spellings they are not).

    Tokens are joined where the other side writes them as one when the counts differ, or
    when both sides keep a token the other lacks (HAMID REZA / HAMIDREZA beside YAHYAZADEH /
    YAHYA ZADEH: as many tokens, written apart in other places)."""
    syllables = (
        strict != ""
        or (syllabic(query) and (syllables_written or in_syllables(listed)))
        or (syllabic(listed) and in_syllables(query, beside=1))
    )
    written = query
    latin = not syllables_written
    if len(query) != len(listed):
        query, listed = joined(query, listed, abjad, latin), joined(listed, query, abjad, latin)

    def scored(q: Sequence[str], c: Sequence[str]) -> tuple[float, dict[str, Any]]:
        """Score and detail of two token lists as these names are compared."""
        groups = words if syllables and list(q) == list(written) else ()
        names = (q_surname, l_surname)
        return _aligned_score(q, c, abjad, syllables, names, one_script, groups, strict)

    score, detail = _best_joined(query, listed, abjad, latin, scored)
    left_q, left_c = detail["unmatched_query"], detail["unmatched_list"]
    if strict and any(map(is_syllable, (*left_q, *left_c))):
        score = 0.0  # a syllable left over is another name's (王剛 WONG KONG, 王金剛)
    elif chinese and syllables and _dropped_syllable(left_q, left_c):
        score *= DROPPED_SYLLABLE
    aligned_q = detail.pop("query")
    found = {aligned_q[i] for i, _, _ in detail.pop("pairs")}
    missed = _surname_missed(q_surname, l_surname, found, written, detail["alignment"])
    return (score * SURNAME_MISS if missed else score), detail


def _dropped_syllable(left_q: Sequence[str], left_c: Sequence[str]) -> bool:
    """Whether syllables are left over one side only (``DROPPED_SYLLABLE``)."""
    return any(map(is_syllable, left_q)) != any(map(is_syllable, left_c))


_Scorer = Callable[[Sequence[str], Sequence[str]], tuple[float, dict[str, Any]]]
"""Score of two names' tokens and how they aligned (:func:`_aligned_score`)."""


def _best_joined(
    query: Sequence[str], listed: Sequence[str], abjad: str, latin: bool, scored: _Scorer
) -> tuple[float, dict[str, Any]]:
    """Score and detail of the names as given; or, when both keep a token the other lacks, of
    them joined where the other side writes them as one, if that scores higher."""
    first = scored(query, listed)
    detail = first[1]
    if not (detail["unmatched_query"] and detail["unmatched_list"] and len(query) == len(listed)):
        return first
    joined_q, joined_l = joined(query, listed, abjad, latin), joined(listed, query, abjad, latin)
    if (joined_q, joined_l) == (list(query), list(listed)):
        return first
    return max(first, scored(joined_q, joined_l), key=lambda r: r[0])


def _surname_missed(
    q_surname: Sequence[str],
    l_surname: Sequence[str],
    found: set[str],
    written: Sequence[str],
    alignment: Sequence[Sequence[Any]],
) -> bool:
    """Whether the query's surname is not among the tokens matched (``found``); or, the query's
    unknown, the listed one is not among those of the ``alignment`` (``SURNAME_MISS``)."""
    if q_surname and l_surname:
        return _surname_absent(q_surname, found, found.difference(written))
    if l_surname:  # the query's surname unknown: is the listed one there?
        found_l = {a[1] for a in alignment}
        return _surname_absent(l_surname, found_l, found_l)
    return False


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
    abjad: str,
    syllables: bool = False,
    surnames: tuple[Sequence[str], Sequence[str]] = ((), ()),
    one_script: str = "",
    words: Sequence[int] = (),
    strict: str = "",
) -> tuple[float, dict[str, Any]]:
    """Weighted share of aligned tokens, with the conflict factors; and how they aligned
    (``surnames``: the query's and the listed name's, where known, see :func:`_own_name`;
    ``words``: see :func:`_whole_words`; ``strict``: see :func:`name_score`)."""
    a = _alignment(query, listed, abjad, syllables, surnames, one_script, words, strict)
    conflict = _conflict(a)
    one_word = _one_word(a)
    missing = _missing_weight(a, conflict)
    # a listed name of one word weighs the query's other names in full
    score = _share(a, 1.0 if one_word else missing, missing)
    # an inner name of an Arabic name's chain that differs is no other person's (_inner_only)
    told = conflict and not (abjad and _inner_only(a))
    return _factored(score, a, told, one_word, abjad), _detail(a)


class _Alignment(NamedTuple):
    """Two names' tokens aligned, and what each side (query, listed) weighs and leaves over."""

    names: tuple[tuple[str, ...], tuple[str, ...]]
    pairs: list[tuple[int, int, float]]
    weights: tuple[tuple[float, ...], tuple[float, ...]]
    is_name: tuple[tuple[bool, ...], tuple[bool, ...]]
    found: tuple[set[int], set[int]]
    left: tuple[list[int], list[int]]
    unmatched: tuple[list[str], list[str]]
    syllables: bool
    surnames: tuple[Sequence[str], Sequence[str]]


def _alignment(
    query: Sequence[str],
    listed: Sequence[str],
    abjad: str,
    syllables: bool,
    surnames: tuple[Sequence[str], Sequence[str]],
    one_script: str,
    words: Sequence[int] = (),
    strict: str = "",
) -> _Alignment:
    """The tokens of two names aligned (initials only where credible, written words whole),
    their weights, and the tokens each side leaves over."""
    pairs = align(query, listed, abjad, syllables, one_script, strict)
    if not syllables:
        pairs = _initials_credible(pairs, (query, listed), surnames)
    elif len(words) == len(query):
        pairs = _whole_words(pairs, words)
    names = tuple(query), tuple(listed)
    w_q, name_q = _token_weights(names[0], syllables)
    w_c, name_c = _token_weights(names[1], syllables)
    found_q, found_c = {p[0] for p in pairs}, {p[1] for p in pairs}
    left_q = [i for i in range(len(query)) if i not in found_q]
    left_c = [j for j in range(len(listed)) if j not in found_c]
    if not syllables:
        w_q, name_q = _honorifics_left(names[0], left_q, w_q, name_q)
        w_c, name_c = _honorifics_left(names[1], left_c, w_c, name_c)
    un_q, un_c = [query[i] for i in left_q], [listed[j] for j in left_c]
    left, un = (left_q, left_c), (un_q, un_c)
    weights, is_name, found = (w_q, w_c), (name_q, name_c), (found_q, found_c)
    return _Alignment(names, pairs, weights, is_name, found, left, un, syllables, surnames)


def _whole_words(
    pairs: list[tuple[int, int, float]], words: Sequence[int]
) -> list[tuple[int, int, float]]:
    """The alignment without the syllables of a written word of two that was matched in part
    (``words``: the word of each query token): a Chinese or Korean given name of two
    syllables is one name, and its one syllable matched is no evidence — JONG of ``정훈``
    JONG HUN is no family name JONG, MEI of ``美惠`` MEI HUI no given name MEI. A name
    written as one word of three syllables or more (``김영수``, surname and given name) is
    left as it is. Chosen on the generated people on no list (issue 17's seventeenth part):
    of the first 20,000 dev ones, 501 -> 429 alerting against the whole UN and OFAC lists;
    no dev pair changed."""
    found = {i for i, _, _ in pairs}
    split = set()
    for word in set(words):
        syllables = [i for i, w in enumerate(words) if w == word]
        if len(syllables) == 2 and len(found.intersection(syllables)) == 1:
            split.update(syllables)
    return [p for p in pairs if p[0] not in split] if split else pairs


def _honorifics_left(
    tokens: tuple[str, ...],
    left: Sequence[int],
    weights: tuple[float, ...],
    is_name: tuple[bool, ...],
) -> tuple[tuple[float, ...], tuple[bool, ...]]:
    """The weights and name flags of one side, its honorifics left over
    (:data:`~edge.watchlist.nametables.HONORIFIC_NAMES`: AKHUND, BHAI, SAHIB …) standing as
    particles: the other side does not write them, so they are no name that tells two people
    apart. Chosen on the dev part (issue 17's seventeenth part): 8 more true pairs, none
    false; no dev person on no list alerting more (generated, UN names or whole lists)."""
    honorifics = [k for k in left if is_name[k] and tokens[k] in HONORIFIC_NAMES]
    if not honorifics:
        return weights, is_name
    w, flags = list(weights), list(is_name)
    for k in honorifics:
        w[k], flags[k] = weight(tokens[k], True), False
    return tuple(w), tuple(flags)


def _conflict(a: _Alignment) -> bool:
    """Whether each side leaves over a name the other lacks that tells two people apart: not
    only initials or names written twice (:func:`_telling`), nor a MUHAMMAD alone."""
    (name_q, name_c), (left_q, left_c) = a.is_name, a.left
    conflict = any(name_q[i] for i in left_q) and any(name_c[j] for j in left_c)
    if not conflict or a.syllables:
        return conflict
    if _may_not_tell(a.names[0]) or _may_not_tell(a.names[1]):
        conflict = _tells(a, 0) and _tells(a, 1)
    return conflict and not _muhammad_only(a.pairs, a.names, a.left, a.unmatched, a.surnames)


def _inner_only(a: _Alignment) -> bool:
    """Whether each side leaves over one name only, an inner name of the chain (a father's or
    grandfather's: neither the first written nor the last, nor — the surname known — the own
    given name or a surname's), with three names or more matched: ``أكرم تركي هاشم المزيده`` /
    ``AKRAM TURKI HISHAN AL-MAZIDIH``, the own, father's and family names agreeing. Asked of
    names romanised from an abjad only, whose chains lists copy with such slips; the names left
    over still weigh in full, only ``CONFLICT`` and ``FIRST_CONFLICT`` are not counted. Chosen
    on the dev part (issue 17's seventeenth part): one true pair more, none false; no dev
    person on no list alerting more. Without the abjad limit it took no more true pairs and
    would reach Spanish second given names (``GARCIA LOPEZ, Juan Carlos`` / ``… Juan Pablo``)."""
    left = [[k for k in a.left[side] if a.is_name[side][k]] for side in (0, 1)]
    if any(len(side) != 1 for side in left):
        return False
    matched = [i for i, _, _ in a.pairs if a.is_name[0][i] and len(a.names[0][i]) > 1]
    return len(matched) >= 3 and all(_inner(a, side, left[side][0]) for side in (0, 1))


def _inner(a: _Alignment, side: int, k: int) -> bool:
    """Whether token ``k`` of one side is an inner name of its chain (:func:`_inner_only`)."""
    tokens, surname = a.names[side], a.surnames[side]
    if surname:
        return tokens[k] not in surname and tokens[k] != _own_name(tokens, tuple(surname))
    names = [j for j in range(len(tokens)) if a.is_name[side][j]]
    return 0 < names.index(k) < len(names) - 1


def _tells(a: _Alignment, side: int) -> bool:
    """Whether one side (0: query, 1: listed) leaves over a name that tells (:func:`_telling`)."""
    telling = _telling(a.names[side], a.left[side], a.found[side])
    return any(a.is_name[side][k] for k in telling)


def _missing_weight(a: _Alignment, conflict: bool) -> float:
    """Weight of the tokens one side lacks, against an aligned token's: in full in a conflict
    (``SECOND_SURNAME`` when only the second surnames differ) or in names of syllables,
    else ``MISSING_WEIGHT``."""
    un_q = a.unmatched[0]
    if conflict and not a.syllables and _second_surnames_only(a.pairs, a.names, a.surnames, un_q):
        return SECOND_SURNAME
    return 1.0 if conflict or a.syllables else MISSING_WEIGHT


def _one_word(a: _Alignment) -> bool:
    """Whether the listed name is one word (:func:`_words`) and the query leaves over a name
    of two letters or more (``ONE_WORD``)."""
    query, left_q = a.names[0], a.left[0]
    return _words(a.names[1], a.is_name[1]) == 1 and any(len(query[i]) > 1 for i in left_q)


def _share(a: _Alignment, missing_q: float, missing: float) -> float:
    """Weighted share of the aligned tokens, each pair counting by its likeness; of the tokens
    left over, the query's weigh ``missing_q`` of their weight, the listed name's ``missing``."""
    (w_q, w_c), (left_q, left_c) = a.weights, a.left
    matched = sum(s * (w_q[i] + w_c[j]) for i, j, s in a.pairs)
    total = sum(w_q[i] + w_c[j] for i, j, _ in a.pairs)
    total += missing_q * sum(w_q[i] for i in left_q) + missing * sum(w_c[j] for j in left_c)
    return matched / total if total else 0.0


def _factored(score: float, a: _Alignment, conflict: bool, one_word: bool, abjad: str) -> float:
    """The share ``score`` times each factor that applies, one after another."""
    if conflict and _first_conflict(a):
        score *= FIRST_CONFLICT
    score *= ONE_WORD if one_word else 1.0
    if conflict and a.syllables and _other_syllables(*a.unmatched):
        score *= OTHER_SYLLABLE
    if not conflict and _common_only(a.pairs, a.names, a.is_name, *a.left):
        score *= COMMON_ONLY
    if not abjad and not a.syllables and _sounds_alike_only(a.pairs, a.names):
        score *= SOUNDS_ALIKE_ONLY * _alike_part(a)
    return score * CONFLICT if conflict else score


def _first_conflict(a: _Alignment) -> bool:
    """Whether the names left over are those that tell relatives apart, the first written
    or the own given ones (``FIRST_CONFLICT``)."""
    first = _first_names_differ(*a.left, *a.names)
    return first or _own_names_differ(*a.unmatched, a.names, a.surnames)


def _alike_part(a: _Alignment) -> float:
    """``ALIKE_PART`` when the listed name leaves over two names or more, else 1."""
    return ALIKE_PART if sum(a.is_name[1][j] for j in a.left[1]) > 1 else 1.0


def _detail(a: _Alignment) -> dict[str, Any]:
    """How the tokens aligned: the pairs as tokens and as indices, the tokens left over, the
    query's tokens as aligned."""
    (query, listed), pairs = a.names, a.pairs
    return {
        "alignment": [[query[i], listed[j], round(s, 3)] for i, j, s in pairs],
        "unmatched_query": a.unmatched[0],
        "unmatched_list": a.unmatched[1],
        "pairs": pairs,
        "query": list(query),
    }


def _common_only(
    pairs: list[tuple[int, int, float]],
    names: tuple[tuple[str, ...], tuple[str, ...]],
    is_name: tuple[Sequence[bool], Sequence[bool]],
    left_q: Sequence[int],
    left_c: Sequence[int],
) -> bool:
    """Whether the listed name is made of the commonest names alone (:data:`COMMONEST_NAMES`,
    as the list spells them), particles and honorifics left over aside (``MOHAMMAD HASSAN
    AKHUND``), and the query's name holds it and more names."""
    if any(names[1][j] not in PARTICLES and is_name[1][j] for j in left_c):
        return False
    if not any(is_name[0][i] and len(names[0][i]) > 1 for i in left_q):
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
    (:func:`~edge.watchlist.likeness.particle_flags`); in a name of Korean or Chinese
    syllables (``syllables``) each weighs at least ``SYLLABLE_WEIGHT``: a syllable is a whole
    name element, the family name I or O no less than KWANG."""
    flags = particle_flags(tokens)
    weights = tuple(weight(t, f) for t, f in zip(tokens, flags, strict=True))
    if syllables:
        weights = tuple(max(SYLLABLE_WEIGHT, w) for w in weights)
    return weights, tuple(not f for f in flags)
