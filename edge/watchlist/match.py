"""Scoring one query name against one listed name: the weighted share of their aligned tokens
(:mod:`edge.watchlist.likeness`), and the factors for names one side has that the other lacks,
a surname not found, a name of one word, names alike by sound only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from edge.watchlist import evidence
from edge.watchlist.joins import joined
from edge.watchlist.likeness import align, particle_flags, weight
from edge.watchlist.nametables import HONORIFIC_NAMES
from edge.watchlist.syllables import in_syllables, is_syllable, syllabic

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
the second of two surnames (:func:`evidence.second_surnames_only`): Spanish and Latin American names
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
syllables that start with other consonants (:func:`evidence.other_syllables`: HYOK / IL of ``KIM,
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
(:func:`evidence.name_words`). Chosen on the dev part and on real people on no list, the 1,253 US
Congress members screened against the UN and OFAC individuals under all their names: 86
of them alerting without it (132 before initials hiding a surname were undone, 210 before
names of one word weighed the query's other names in full), 57 with it (60 at 0.85); on
the dev pairs 3 true pairs fewer (a listed ``SAIFULLAH, Qari`` no longer alerts on every
Saifullah), 254 -> 251 of the 50,112 dev generated people alerting against the UN names."""
SOUNDS_ALIKE_ONLY = 0.85
"""Factor when two Latin names (neither romanised from an abjad, nor of Korean or Chinese
syllables) match by sound-alikes only (:func:`evidence.sounds_alike_only`). Chosen on the dev part
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
    ``cantonese`` or ``wade_giles``, or of a Korean name in Cyrillic, ``kontsevich``, compared
    syllable by syllable, only with the same syllables as that reading spells them, and every
    syllable of both found; ``chinese``:
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
    (``surnames``: the query's and the listed name's, where known, see :func:`evidence.own_name`;
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
        pairs = evidence.initials_credible(pairs, (query, listed), surnames)
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
    only initials or names written twice (:func:`evidence.telling`), nor a MUHAMMAD alone."""
    (name_q, name_c), (left_q, left_c) = a.is_name, a.left
    conflict = any(name_q[i] for i in left_q) and any(name_c[j] for j in left_c)
    if not conflict or a.syllables:
        return conflict
    if evidence.may_not_tell(a.names[0]) or evidence.may_not_tell(a.names[1]):
        conflict = _tells(a, 0) and _tells(a, 1)
    return conflict and not evidence.muhammad_only(
        a.pairs, a.names, a.left, a.unmatched, a.surnames
    )


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
        return tokens[k] not in surname and tokens[k] != evidence.own_name(tokens, tuple(surname))
    names = [j for j in range(len(tokens)) if a.is_name[side][j]]
    return 0 < names.index(k) < len(names) - 1


def _tells(a: _Alignment, side: int) -> bool:
    """Whether one side (0: query, 1: listed) leaves over a name that tells
    (:func:`evidence.telling`)."""
    telling = evidence.telling(a.names[side], a.left[side], a.found[side])
    return any(a.is_name[side][k] for k in telling)


def _missing_weight(a: _Alignment, conflict: bool) -> float:
    """Weight of the tokens one side lacks, against an aligned token's: in full in a conflict
    (``SECOND_SURNAME`` when only the second surnames differ) or in names of syllables,
    else ``MISSING_WEIGHT``."""
    un_q = a.unmatched[0]
    if (
        conflict
        and not a.syllables
        and evidence.second_surnames_only(a.pairs, a.names, a.surnames, un_q)
    ):
        return SECOND_SURNAME
    return 1.0 if conflict or a.syllables else MISSING_WEIGHT


def _one_word(a: _Alignment) -> bool:
    """Whether the listed name is one word (:func:`evidence.name_words`) and the query leaves
    over a name of two letters or more (``ONE_WORD``)."""
    query, left_q = a.names[0], a.left[0]
    return evidence.name_words(a.names[1], a.is_name[1]) == 1 and any(
        len(query[i]) > 1 for i in left_q
    )


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
    if conflict and a.syllables and evidence.other_syllables(*a.unmatched):
        score *= OTHER_SYLLABLE
    if not conflict and evidence.common_only(a.pairs, a.names, a.is_name, *a.left):
        score *= COMMON_ONLY
    if not abjad and not a.syllables and evidence.sounds_alike_only(a.pairs, a.names):
        score *= SOUNDS_ALIKE_ONLY * _alike_part(a)
    return score * CONFLICT if conflict else score


def _first_conflict(a: _Alignment) -> bool:
    """Whether the names left over are those that tell relatives apart, the first written
    or the own given ones (``FIRST_CONFLICT``)."""
    first = evidence.first_names_differ(*a.left, *a.names)
    return first or evidence.own_names_differ(*a.unmatched, a.names, a.surnames)


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
