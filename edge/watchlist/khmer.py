"""Names written in Khmer script in Latin letters as Cambodian names are spelt: ``ហ៊ុន សែន``
HUN SEN, ``ទ្រី ភាព`` TRI PHEAP, ``ខៀវ សំផន`` KHIEV SAMPHAN.

Khmer is an abugida whose consonants fall in two series: the same vowel sign is said one way
after a consonant of the first (ា A, ុ O, ិ E) and another after one of the second (ា EA, ុ U,
ិ I), and a consonant with no vowel sign carries A or O by its series. Two signs move a
consonant to the other series (៊ makes ហ៊ុ HU, ៉ makes ម៉ា MA), a consonant written below
another (after ្) joins it (ប្រ PR) or, inside a word, starts the next syllable while the one
above ends the last (រង្ស៊ី RONG-SI). A table of letters (anyascii) writes the letters, not
the series: ហ៊ុន សែន HON SAEN, ជា ស៊ីម CHA SEIM.

Here each syllable's series decides its vowel (the values of UNGEGN's romanisation without
diacritics, with ែ E and ី I as names write them); a consonant alone between two syllables
says its inherent vowel (សីហមុនី SIHAMUNI); a last consonant, one under ់, ង, one after a
short vowel and one before another consonant with no vowel end the syllable before them
(គឹមយ៉ាន KUEMYAN); a syllable of a consonant
written below another with no vowel ending a word is silent (ពិសិដ្ឋ PISET), as is one under
៍. Spellings that follow French (Rainsy, Norodom) are not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edge.watchlist.runs import spell_runs

CONSONANTS: dict[str, tuple[str, int]] = {
    "ក": ("K", 1), "ខ": ("KH", 1), "គ": ("K", 2), "ឃ": ("KH", 2), "ង": ("NG", 2),
    "ច": ("CH", 1), "ឆ": ("CHH", 1), "ជ": ("CH", 2), "ឈ": ("CHH", 2), "ញ": ("NH", 2),
    "ដ": ("D", 1), "ឋ": ("TH", 1), "ឌ": ("D", 2), "ឍ": ("TH", 2), "ណ": ("N", 1),
    "ត": ("T", 1), "ថ": ("TH", 1), "ទ": ("T", 2), "ធ": ("TH", 2), "ន": ("N", 2),
    "ប": ("B", 1), "ផ": ("PH", 1), "ព": ("P", 2), "ភ": ("PH", 2), "ម": ("M", 2),
    "យ": ("Y", 2), "រ": ("R", 2), "ល": ("L", 2), "វ": ("V", 2), "ឝ": ("S", 1),
    "ឞ": ("S", 1), "ស": ("S", 1), "ហ": ("H", 1), "ឡ": ("L", 1), "អ": ("", 1),
}  # fmt: skip
"""A consonant → its Latin letters and its series (1 or 2); អ carries a vowel, unsaid."""
FINALS: dict[str, str] = {
    "ក": "K", "ខ": "K", "គ": "K", "ឃ": "K", "ច": "CH", "ជ": "CH", "ដ": "T", "ឋ": "T",
    "ឌ": "T", "ត": "T", "ថ": "T", "ទ": "T", "ធ": "T", "ប": "P", "ផ": "P", "ព": "P",
    "ភ": "P",
}  # fmt: skip
"""A consonant ending a syllable said otherwise than starting one (the others as they start)."""
VOWELS: dict[str, tuple[str, str]] = {
    "": ("A", "O"), "ា": ("A", "EA"), "ិ": ("E", "I"), "ី": ("I", "I"), "ឹ": ("OE", "UE"),
    "ឺ": ("OE", "UE"), "ុ": ("O", "U"), "ូ": ("O", "U"), "ួ": ("UO", "UO"),
    "ើ": ("AE", "EU"), "ឿ": ("OEA", "OEA"), "ៀ": ("IE", "IE"), "េ": ("E", "E"),
    "ែ": ("E", "E"), "ៃ": ("AI", "EY"), "ោ": ("AO", "O"), "ៅ": ("AU", "OU"),
    "ំ": ("AM", "UM"), "ុំ": ("OM", "UM"), "ាំ": ("AM", "OAM"), "េះ": ("EH", "EH"),
}  # fmt: skip
"""Vowel signs (ំ with them) → how a syllable of the first and of the second series says them."""
SHORT: tuple[str, str] = ("A", "U")
"""The inherent vowel before a final under ់ (គន់ KUN)."""
INDEPENDENT: dict[str, str] = {
    "ឣ": "A", "ឤ": "A", "ឥ": "E", "ឦ": "EI", "ឧ": "U", "ឨ": "U", "ឩ": "U", "ឪ": "OV",
    "ឫ": "RUE", "ឬ": "RUE", "ឭ": "LUE", "ឮ": "LUE", "ឯ": "AE", "ឰ": "AI", "ឱ": "AO",
    "ឲ": "AO", "ឳ": "AU",
}  # fmt: skip
"""A vowel letter → its spelling (a syllable of its own)."""
SONORANTS = frozenset("ងញនមយរលវ")
"""Consonants a cluster's series is not taken from (ប្រ, ស្រ keep the first's)."""
_COENG, _TO_FIRST, _TO_SECOND, _BANTOC, _SILENT = "្", "៉", "៊", "់", "៍"
_SHORT_SIGNS = frozenset("ិឹុ")
_RUN = re.compile("[\u1780-\u17d3]+")


@dataclass
class _Cluster:
    """One consonant (or vowel letter) with what is written on it."""

    base: str
    subs: list[str] = field(default_factory=list)
    shift: int = 0
    vowel: str = ""
    bantoc: bool = False
    silent: bool = False
    aspirated: bool = False  # ះ


def khmer_words(text: str) -> str:
    """``text`` with each word of Khmer script spelt in Latin capitals (the rest kept); see the
    module."""
    return spell_runs(_RUN, _word, text)


def _word(word: str) -> str:
    """One word in Latin capitals, syllable by syllable."""
    clusters = [c for c in _clusters(word) if not c.silent]
    out: list[str] = []
    open_syllable = False
    for k, c in enumerate(clusters):
        nxt = clusters[k + 1] if k + 1 < len(clusters) else None
        prev = clusters[k - 1].vowel if k else ""
        if c.base in INDEPENDENT:
            out.append(INDEPENDENT[c.base])
            open_syllable = True
        elif k and open_syllable and not c.vowel and not c.subs and _ends(c, nxt, prev):
            out.append(FINALS.get(c.base, CONSONANTS[c.base][0]))
            open_syllable = False
        else:
            spelt, open_syllable = _syllable(c, nxt, inside=k > 0 and open_syllable)
            out.append(spelt)
    return "".join(out)


def _ends(c: _Cluster, nxt: _Cluster | None, after: str = "") -> bool:
    """Whether a bare consonant after an open syllable (of vowel sign ``after``) ends it: last
    in the word, under ់, ង (which starts no syllable of a name: យ៉ុងផាត់ YONGPHAT), after a
    short vowel, which a syllable closes (គឹមយ៉ាន KUEMYAN), or before another bare consonant;
    else it says its own vowel (សីហមុនី SIHAMUNI)."""
    if nxt is None or c.bantoc or c.base == "ង" or (after in _SHORT_SIGNS and not nxt.subs):
        return True
    return not (nxt.vowel or nxt.subs or nxt.base in INDEPENDENT)


def _syllable(c: _Cluster, nxt: _Cluster | None, inside: bool) -> tuple[str, bool]:
    """A cluster spelt as a syllable, and whether it is left open for a final. ``inside``: a
    syllable is open before it, which the consonant above a subscript then ends."""
    before = ""
    letters = [c.base, *c.subs]
    if inside and c.subs:
        before, letters = FINALS.get(c.base, CONSONANTS[c.base][0]), c.subs
        if not c.vowel and nxt is None:
            return before, False  # ពិសិដ្ឋ: the subscript ending a word is not said
    onset = _onset(letters, c.shift)
    series = _series(letters, c.shift)
    vowel = VOWELS.get(c.vowel, VOWELS.get(c.vowel[:1], ("", "")))
    said = vowel[series - 1]
    if not c.vowel and nxt is not None and nxt.bantoc and not (nxt.vowel or nxt.subs):
        said = SHORT[series - 1]  # គន់ KUN
    closed = c.aspirated or c.vowel in ("ំ", "ុំ", "ាំ")
    return before + onset + said + ("H" if c.aspirated else ""), not closed


def _onset(letters: list[str], shift: int) -> str:
    """The Latin letters of a syllable's consonants (ប before a subscript or under ៉ is P)."""
    first = "P" if letters[0] == "ប" and (len(letters) > 1 or shift == 1) else None
    return (first or CONSONANTS[letters[0]][0]) + "".join(CONSONANTS[s][0] for s in letters[1:])


def _series(letters: list[str], shift: int) -> int:
    """A syllable's series: its first consonant's, moved by ៉ or ៊, or a subscript's of the
    second series that is no sonorant (ស្ទ)."""
    if shift:
        return shift
    if any(CONSONANTS[s][1] == 2 and s not in SONORANTS for s in letters[1:]):
        return 2
    return CONSONANTS[letters[0]][1]


def _clusters(word: str) -> list[_Cluster]:
    """The word cut into consonants (or vowel letters) with the signs written on each."""
    out: list[_Cluster] = []
    below = False
    for ch in word:
        if ch in CONSONANTS and below and out:
            out[-1].subs.append(ch)
        elif ch in CONSONANTS or ch in INDEPENDENT:
            out.append(_Cluster(ch))
        elif out:
            _mark(out[-1], ch)
        below = ch == _COENG
    return out


def _mark(c: _Cluster, ch: str) -> None:
    """A sign written on cluster ``c``."""
    if ch == _TO_FIRST:
        c.shift = 1
    elif ch == _TO_SECOND:
        c.shift = 2
    elif ch == _BANTOC:
        c.bantoc = True
    elif ch == _SILENT:
        c.silent = True
    elif ch == "ះ":
        c.aspirated = True
    elif "\u17b6" <= ch <= "\u17c6":
        c.vowel += ch
