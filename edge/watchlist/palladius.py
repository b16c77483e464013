"""Chinese names written in Cyrillic by the Palladius system, read back in pinyin.

Russian, and the lists kept in Russian across Central Asia, write a Chinese name by the
Palladius system, a syllable for each pinyin syllable: ``Си Цзиньпин`` is Xi Jinping, ``Ху
Цзиньтао`` Hu Jintao, ``Дэн Сяопин`` Deng Xiaoping. Transliterated letter by letter, as ICAO
9303 does, that is SI TSZINPIN, HU TSZINTAO, DEN SIAOPIN — far from the pinyin that a Chinese
passport prints (0.13 for Xi Jinping). Palladius spells each pinyin initial and final one way
(J and Z as ЦЗ, ZH as ЧЖ, X as С, R as Ж; -NG as Н and -N as НЬ; E after a consonant as Э),
so a word of its syllables is read back one syllable at a time.

The syllables are pinyin's as the character table of ``anyascii`` gives them (every syllable
some Chinese character is read as), each spelt by the rules below; a name is read so only
when each of its words, two at least, is one to three of them, as a Chinese surname and given
name are. A Russian name is seldom so made (ИВАН, ОЛЬГА, ПЕТРОВ are not); one that is
(АННА ЛИ) gets a reading beside its own and loses nothing. Written for Borderpost from the
published Palladius table.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from anyascii import anyascii

_INITIALS = {
    "B": "б", "P": "п", "M": "м", "F": "ф", "D": "д", "T": "т", "N": "н", "L": "л", "G": "г",
    "K": "к", "H": "х", "J": "цз", "Q": "ц", "X": "с", "ZH": "чж", "CH": "ч", "SH": "ш",
    "R": "ж", "Z": "цз", "C": "ц", "S": "с",
}  # fmt: skip
_FINALS = {
    "A": "а", "AI": "ай", "AN": "ань", "ANG": "ан", "AO": "ао", "E": "э", "EI": "эй",
    "EN": "энь", "ENG": "эн", "ER": "эр", "O": "о", "OU": "оу", "ONG": "ун", "I": "и",
    "IA": "я", "IAN": "янь", "IANG": "ян", "IAO": "яо", "IE": "е", "IN": "инь", "ING": "ин",
    "IONG": "юн", "IU": "ю", "U": "у", "UA": "уа", "UAI": "уай", "UAN": "уань",
    "UANG": "уан", "UE": "юэ", "UI": "уй", "UN": "унь", "UO": "о",
}  # fmt: skip
"""Finals after an initial (and A, E, O … alone)."""
_ALONE = {
    "YA": "я", "YAN": "янь", "YANG": "ян", "YAO": "яо", "YE": "е", "YI": "и", "YIN": "инь",
    "YING": "ин", "YO": "ё", "YONG": "юн", "YOU": "ю", "YU": "юй", "YUAN": "юань", "YUE": "юэ",
    "YUN": "юнь", "WA": "ва", "WAI": "вай", "WAN": "вань", "WANG": "ван", "WEI": "вэй",
    "WEN": "вэнь", "WENG": "вэн", "WO": "во", "WU": "у",
}  # fmt: skip
"""Syllables that pinyin writes with Y or W and no initial."""
_AFTER_PALATAL = {"U": "юй", "UE": "юэ", "UAN": "юань", "UN": "юнь"}
"""After J, Q, X pinyin's U is Ü: ЦЗЮЙ JU, СЮЭ XUE, ЦЮАНЬ QUAN, ЦЗЮНЬ JUN."""
_U_UMLAUT = {"люй": "LYU", "нюй": "NYU", "люэ": "LUE", "нюэ": "NUE"}
"""Ü after L and N, which pinyin (and the character table) write as U; passports LYU."""
_SYLLABLE = re.compile("(ZH|CH|SH|[BPMFDTNLGKHJQXRZCSYW])?([AEIOU]+(?:NG|N|R)?)")
_SPLIT = re.compile(r"[\s\-‐]+")
_LONGEST = 6


def cyrillic(syllable: str) -> str | None:
    """A pinyin syllable in capitals (``JIN``) as Palladius spells it (``цзинь``), or None
    for one it has no spelling of."""
    if syllable in _ALONE:
        return _ALONE[syllable]
    found = _SYLLABLE.fullmatch(syllable)
    if found is None:
        return None
    initial, final = found.group(1) or "", found.group(2)
    if initial in ("Z", "C", "S") and final == "I":
        return _INITIALS[initial] + "ы"  # ЦЗЫ ZI, ЦЫ CI, СЫ SI
    if initial in ("J", "Q", "X") and final in _AFTER_PALATAL:
        return _INITIALS[initial] + _AFTER_PALATAL[final]
    spelt = _FINALS.get(final)
    return None if spelt is None else _INITIALS.get(initial, "") + spelt


@cache
def _table() -> dict[str, str]:
    """Palladius syllable → pinyin, for every syllable the character table reads (built on
    first use: 39 ms)."""
    syllables = {anyascii(chr(c)).upper() for c in range(0x4E00, 0xA000)}
    out = dict(_U_UMLAUT)
    for syllable in sorted(syllables):
        spelt = cyrillic(syllable) if syllable.isalpha() else None
        if spelt is not None and len(syllable) > len(out.get(spelt, "")):
            out[spelt] = syllable  # ЛО: LUO (罗), not the interjection LO
    return out


@lru_cache(maxsize=16384)
def word(text: str) -> str | None:
    """One word in Cyrillic read as the Palladius syllables it is made of, in pinyin
    (``цзиньпин`` JINPING), or None when it is not one to three of them. A syllable that
    starts with a vowel follows one that ends in Н only after ``ъ``, which Palladius writes
    there (``хунин`` HU NING; HONG YING would be ``хунъин``); ``ё`` is read as ``е``."""
    parts = [_syllables(part) for part in text.lower().replace("ё", "е").split("ъ")]
    if any(part is None for part in parts):
        return None
    read = [syllable for part in parts for syllable in part or ()]
    return "".join(read) if 0 < len(read) <= 3 else None


def _syllables(text: str) -> list[str] | None:
    """``text`` cut into the fewest Palladius syllables (see :func:`word`), in pinyin."""
    table = _table()
    best: list[list[tuple[str, str]] | None] = [[]] + [None] * len(text)
    for end in range(1, len(text) + 1):
        for size in range(1, min(_LONGEST, end) + 1):
            before, piece = best[end - size], text[end - size : end]
            if before is None or piece not in table:
                continue
            if before and piece[0] in _VOWELS and before[-1][1].endswith("н"):
                continue
            if best[end] is None or len(before) + 1 < len(best[end] or ()):
                best[end] = [*before, (table[piece], piece)]
    found = best[-1]
    return None if found is None else [syllable for syllable, _piece in found]


_VOWELS = "аэоиуюяеы"


def palladius(text: str) -> str | None:
    """A name in Cyrillic read in pinyin when each of its words, two at least, is one to three
    Palladius syllables (``Си Цзиньпин`` XI JINPING; in Ukrainian letters ``Сі Цзіньпін``,
    :func:`russian_letters`), else None; a name with no Cyrillic letter at once."""
    words = cyrillic_words(text)
    if words is None:
        return None
    read = [word(w) for w in words]
    return None if None in read else " ".join(r for r in read if r)


def cyrillic_words(text: str) -> list[str] | None:
    """The words of a name written wholly in Cyrillic, two at least, in Russian letters
    (:func:`russian_letters`), as the readers of Chinese and Korean names in Cyrillic take
    them; None for any other name (one with no Cyrillic letter, every query from an MRZ and
    most listed names, at once)."""
    if text.isascii() or not _CYRILLIC.search(text):
        return None
    words = [w for w in _SPLIT.split(russian_letters(text).strip()) if w]
    if len(words) < 2 or not all(_CYRILLIC.fullmatch(w) for w in words):
        return None
    return words


_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
_AS_RUSSIAN = str.maketrans("іїєґиеІЇЄҐИЕ'’", "ийегыэИЙЕГЫЭъъ")


def russian_letters(text: str) -> str:
    """A name in Ukrainian letters as Russian writes the same sounds, for a name of Chinese or
    Korean syllables, which Ukrainian spells by its own letters (``Сі Цзіньпін``, ``Кім Чен
    Ин``: І for Russian И, И for Ы, Е for Э, Є for Е, an apostrophe for Ъ); a name with no
    letter only Ukrainian has (І, Ї, Є, Ґ) is left as it is."""
    return text.translate(_AS_RUSSIAN) if _UKRAINIAN.search(text) else text
