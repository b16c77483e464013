"""Chinese names read in Mandarin as Wade–Giles spells them, as Taiwan's passports mostly do.

The table of characters reads a Chinese name in pinyin (``陳建仁`` CHEN JIAN REN), but Taiwan
spells its people's names in Wade–Giles, without its apostrophes and umlauts: CHEN CHIEN JEN.
The syllable comparison tells some of the two systems' letters apart on purpose (Wade–Giles
J is pinyin R, and Korean J is J), so the pinyin reading alone misses such names. Spelt by
:func:`wade_giles`, each syllable is one more reading of the name, compared strictly as the
Cantonese one is (:mod:`edge.watchlist.cantonese`). Taiwan's own spellings outside the system
(英 ING for YING, 錫 SHYI, 平 PYNG) and its people's Hokkien ones (蕭美琴 HSIAO BI-KHIM) are
not guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from edge.watchlist.cantonese import chinese_name, may_be_chinese, pinyin

_PINYIN = re.compile("^(ZH|CH|SH|[BPMFDTNLGKHJQXRZCSYW]?)([AEIOUV]+(?:NG|N|R)?)$")
_WHOLE = {
    "ZI": "TZU", "CI": "TZU", "SI": "SSU", "ZHI": "CHIH", "CHI": "CHIH", "SHI": "SHIH",
    "RI": "JIH", "ER": "ERH", "YI": "I", "YAN": "YEN", "YE": "YEH", "YUE": "YUEH", "YOU": "YU",
}  # fmt: skip
"""Syllables Wade–Giles spells whole: the buzzed vowels after Z, C, S, ZH, CH, SH, R, and the
Y that pinyin writes where the syllable has no consonant."""
_INITIALS = {
    "B": "P", "D": "T", "G": "K", "ZH": "CH", "J": "CH", "Q": "CH", "X": "HS", "Z": "TS",
    "C": "TS", "R": "J",
}  # fmt: skip
"""Pinyin initials that Wade–Giles writes otherwise (the rest are the same letters): it
writes the plain and the aspirated consonant alike but for an apostrophe, which passports
leave out."""
_FINALS = {"IAN": "IEN", "IE": "IEH", "UE": "UEH", "ONG": "UNG", "IONG": "IUNG"}
_UO_AS_O = frozenset({"D", "T", "N", "L", "Z", "C", "S", "ZH", "CH", "R"})
"""Initials after which pinyin's UO is Wade–Giles' O (多 TO, 卓 CHO, 若 JO; but 國 KUO)."""
_E_AS_O = frozenset({"G", "K", "H"})
"""Initials after which pinyin's E is Wade–Giles' O (哥 KO, 可 KO, 何 HO)."""


@lru_cache(maxsize=4096)
def syllable(said: str) -> str:
    """One pinyin syllable in capitals, without tone (``JIAN``), spelt in Wade–Giles without
    apostrophes or umlauts (CHIEN), or as given when it is no pinyin syllable."""
    if said in _WHOLE:
        return _WHOLE[said]
    found = _PINYIN.match(said)
    if found is None:
        return said
    initial, final = found.groups()
    if (final == "UO" and initial in _UO_AS_O) or (final == "E" and initial in _E_AS_O):
        final = "O"  # 多 TO, 卓 CHO; 哥 KO, 何 HO
    elif final == "UI" and initial in ("G", "K"):
        final = "UEI"  # 貴 KUEI, but 回 HUI
    return _INITIALS.get(initial, initial) + _FINALS.get(final, final)


def wade_giles(text: str) -> str | None:
    """A Chinese name (:func:`~edge.watchlist.cantonese.chinese_name`) read in Mandarin and
    spelt in Wade–Giles, each character a syllable and each written word kept apart
    (``陳建仁`` CHEN CHIEN JEN), or None for any other name or one spelt alike in pinyin."""
    if not may_be_chinese(text) or not chinese_name(text[:64]):
        return None
    said = pinyin(text[:64])
    spelt = " ".join(syllable(s) for s in said.split())
    return spelt if spelt != said else None
