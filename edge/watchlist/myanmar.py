"""Names written in Myanmar (Burmese) script, spelt as Burmese names are spelt in Latin: one word
a syllable (``မင်းအောင်လှိုင်`` MIN AUNG HLAING, ``အောင်ဆန်းစုကြည်`` AUNG SAN SU KYI).

Burmese writes a syllable as a consonant, its medial signs (ျ ြ Y, ွ W, ှ H), vowel signs and
a final consonant killed by the asat ``်``; the name's syllables run on with no space. A table of
letters (anyascii) writes each letter (MNEANLHIUN for Min Aung Hlaing), where a name's Latin
spelling follows the sound of each syllable's rhyme — a vowel and a final together: င် after
the inherent vowel is IN (MIN), after ော AUNG, after ို AING; န် is AN, after ိ EIN (THEIN);
ည် is I (KYI) — and its initial: ထ HT, ဖ PH, သ TH, ဆ S, ရ Y, ကျ and ကြ KY, ချ CH, ရှ SH, လှ
HL. A creaky tone (the dot below ့) on a nasal rhyme is written with a T (မြင့် MYINT, သန့်
THANT), ို with the high tone OE (စိုး SOE; MYO, PHYO after a medial Y), and ဦး U first in a
name, the honorific, and OO after (TUN TUN OO). Each syllable is its own word, as the
customary spelling writes it; the joins of :mod:`edge.watchlist.joins` join them where a list
writes them as one.
"""

from __future__ import annotations

import re

from edge.watchlist.runs import spell_runs

INITIALS: dict[str, str] = {
    "က": "K", "ခ": "KH", "ဂ": "G", "ဃ": "G", "င": "NG", "စ": "S", "ဆ": "S", "ဇ": "Z",
    "ဈ": "Z", "ဉ": "NY", "ည": "NY", "ဋ": "T", "ဌ": "HT", "ဍ": "D", "ဎ": "D", "ဏ": "N",
    "တ": "T", "ထ": "HT", "ဒ": "D", "ဓ": "D", "န": "N", "ပ": "P", "ဖ": "PH", "ဗ": "B",
    "ဘ": "B", "မ": "M", "ယ": "Y", "ရ": "Y", "လ": "L", "ဝ": "W", "သ": "TH", "ဟ": "H",
    "ဠ": "L", "အ": "",
}  # fmt: skip
"""A consonant starting a syllable → its Latin spelling in names (အ: a vowel's bearer)."""
FINALS: dict[str, str] = {
    "က": "K", "င": "NG", "စ": "S", "ည": "NY", "ဉ": "NG", "တ": "T", "န": "N", "ပ": "P",
    "မ": "N", "ယ": "Y", "ဏ": "N", "ဋ": "T", "လ": "N",
}  # fmt: skip
"""A consonant ending a syllable (under the asat) → the final it is said as (မ် and န် alike;
ဉ် as င်)."""
VOWEL_SIGNS: dict[str, str] = {
    "ါ": "A", "ာ": "A", "ိ": "I", "ီ": "I", "ု": "U", "ူ": "U", "ေ": "E", "ဲ": "AI",
}  # fmt: skip
"""A vowel sign → its part of the syllable's vowel (ေ with ာ is AW, ိ with ု is O)."""
VOWELS: dict[str, str] = {"ဣ": "I", "ဤ": "I", "ဥ": "U", "ဦ": "U", "ဧ": "E", "ဩ": "AW", "ဪ": "AW"}
"""A vowel letter → its spelling (ဦး U, the honorific of a man)."""
RHYMES: dict[tuple[str, str], str] = {
    ("", ""): "A", ("A", ""): "A", ("I", ""): "I", ("U", ""): "U", ("E", ""): "E",
    ("AI", ""): "E", ("AW", ""): "AW", ("O", ""): "O",
    ("", "K"): "ET", ("AW", "K"): "AUK", ("O", "K"): "AIK",
    ("", "NG"): "IN", ("AW", "NG"): "AUNG", ("O", "NG"): "AING",
    ("", "S"): "IT", ("", "NY"): "I", ("", "Y"): "E",
    ("", "T"): "AT", ("I", "T"): "EIK", ("U", "T"): "OK",
    ("", "P"): "AT", ("I", "P"): "EIK", ("U", "P"): "OK",
    ("", "N"): "AN", ("I", "N"): "EIN", ("U", "N"): "ON",
    ("W", ""): "WA", ("W", "N"): "UN", ("W", "T"): "UT", ("W", "P"): "UT",
}  # fmt: skip
"""(vowel, final) → how the rhyme is spelt; W: the medial ွ with the inherent vowel, which is
said U before a final (ထွန်း HTUN). The nasal sign ံ is the final N."""
_ASAT, _STACK, _CREAKY, _NASAL, _TONE = "်", "္", "့", "ံ", "း"
_MEDIAL_Y, _MEDIAL_W, _MEDIAL_H = "ျြ", "ွ", "ှ"
_RUN = re.compile("[\u1000-\u109f]+")
_SH = ("Y",)  # ရှ and ယှ are SH


def myanmar_words(text: str) -> str:
    """``text`` with each run of Myanmar script spelt in Latin capitals, a word a syllable
    (the rest kept); see the module."""
    return spell_runs(_RUN, lambda run: " ".join(_syllables(run)), text)


def _syllables(run: str) -> list[str]:
    """Each syllable of a run spelt (see the module)."""
    syllables: list[list[str]] = []
    for k, ch in enumerate(run):
        if (ch in INITIALS and not (k and _killed(run, k))) or ch in VOWELS:
            syllables.append([])
        if syllables:
            syllables[-1].append(ch)
    spelt = [_spelt(s) for s in syllables]
    if syllables and syllables[0][0] != "ဦ":  # ဦး ending a name is OO (TUN TUN OO), U first
        spelt = ["OO" if s[0] == "ဦ" else t for s, t in zip(syllables, spelt, strict=True)]
    return [s for s in spelt if s]


def _killed(text: str, k: int) -> bool:
    """Whether the consonant at ``k`` has no vowel, so ends the syllable before it: the asat or
    the stacking sign follows (past a creaky-tone dot)."""
    return text[k + 1 : k + 3].replace(_CREAKY, "")[:1] in (_ASAT, _STACK)


def _spelt(syllable: list[str]) -> str:
    """One syllable in Latin: its initial with the medials, then its rhyme."""
    first, rest = syllable[0], "".join(syllable[1:])
    if first in VOWELS:
        return VOWELS[first]
    initial = _initial(first, rest)
    vowel = _vowel(rest)
    final = next((FINALS[ch] for k, ch in enumerate(rest) if ch in FINALS and _killed(rest, k)), "")
    final = final or ("N" if _NASAL in rest else "")
    if _MEDIAL_W in rest and not vowel:
        vowel = "W"  # the medial W with the inherent vowel: WA, or U before a final
    rhyme = RHYMES.get((vowel, final)) or _open(vowel) + final
    if _CREAKY in rest and rhyme.endswith("N"):
        rhyme += "T"
    elif rhyme == "O" and _TONE in rest and not initial.endswith("Y"):
        rhyme = "OE"  # SOE, MOE; but MYO, PHYO, and KO with no tone mark
    return initial + rhyme


def _initial(first: str, rest: str) -> str:
    """The initial consonant with its medial signs: Y (ကျ KY, ချ CH), H (လှ HL, ရှ SH), W."""
    initial = INITIALS[first]
    if any(m in rest for m in _MEDIAL_Y):
        initial = "CH" if initial == "KH" else initial + "Y"
    if _MEDIAL_H in rest:
        initial = "SH" if initial in _SH else "H" + initial
    if _MEDIAL_W in rest and any(v in rest for v in VOWEL_SIGNS):
        initial += "W"
    return initial


def _vowel(rest: str) -> str:
    """The vowel the signs of a syllable write: "" the inherent one, AW (ေ with ာ), O (ိ with ု)."""
    signs = "".join(VOWEL_SIGNS.get(ch, "") for ch in rest)
    return {"EA": "AW", "AE": "AW", "IU": "O", "UI": "O"}.get(signs, signs[:2] if signs else "")


def _open(vowel: str) -> str:
    """The spelling of a vowel not in :data:`RHYMES` with its final."""
    return {"": "A", "W": "WA"}.get(vowel, vowel)
