"""Chinese names read in Cantonese, as Hong Kong spells them.

A name in Chinese characters is read in Mandarin by the table of characters (anyascii:
``李家超`` LI JIA CHAO), but a Hong Kong or Macau passport, and the lists that copy it, spell
the name as Cantonese says it: LEE KA CHIU. The two share little more than the surname's
first letter, so the Mandarin reading alone does not find a Hong Kong name written in
characters, nor the characters a Hong Kong name.

Each character is read in Cantonese by ToJyutping (BSD-2-Clause, pure Python: the common
reading of a character, in Jyutping), and the Jyutping is spelt as the Hong Kong
Government's romanisation spells names (:func:`hong_kong`): unaspirated B, D, G, Z as P, T,
K, CH (鄧炳強 TANG PING KEUNG); J as Y; the rounded vowels OE, EO and YU as EU, U and U
(張 CHEUNG, 徐 CHUI, 孫 SUEN); the short A before N and M as U after a hissing or a lip
consonant (振 CHUN, 燊 SUN, 森 SUM) and A elsewhere (文 MAN, 林 LAM); and a few surnames as
their holders spell them (李 LEE, 周 CHOW, 羅 LAW). The reading is one more rendering beside
the others (:func:`edge.watchlist.normalize.renderings`) and one more reading of a query
(:func:`edge.watchlist.screen.person_query`), never the only one, and it is compared
strictly: a syllable only with the same syllable, however Hong Kong spells it (LEE, LEI, LI;
:func:`edge.watchlist.syllables.hong_kong_key`), and every syllable of both names found.
Cantonese has fewer syllables than Mandarin, and compared as loosely as romanisations are (俊
CHUN for CHEN, 王 WONG for WANG), Chinese names of people on no list alerted on others.
ToJyutping keeps its dictionary as some 70 MB of Python objects; the 27,481 readings a name
needs are some 5 MB, so a child process makes that table and hands it over, the first time a
name in Chinese characters needs it (:func:`readings`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
from functools import lru_cache

from anyascii import anyascii

from edge.watchlist.japanese import KANJI, has_kana, reading
from edge.watchlist.loanwords import NAME_DOT

log = logging.getLogger(__name__)

_JYUTPING = re.compile("^(gw|kw|ng|[bpmfdtnlgkhwzcsj]?)([a-z]+?)[1-6]$")
_ONSETS = {
    "b": "P", "p": "P", "m": "M", "f": "F", "d": "T", "t": "T", "n": "N", "l": "L",
    "g": "K", "k": "K", "ng": "NG", "h": "H", "gw": "KW", "kw": "KW", "w": "W",
    "z": "CH", "c": "CH", "s": "S", "j": "Y", "": "",
}  # fmt: skip
"""Jyutping's initials as Hong Kong spells them: one letter for the aspirated and the plain."""
_RHYMES = {
    "aa": "A", "ou": "O", "oe": "OE", "oen": "EUN", "oeng": "EUNG", "oet": "EUT", "oek": "EUK",
    "eoi": "UI", "eon": "UN", "eot": "UT", "yu": "U", "yun": "UEN", "yut": "UET",
}  # fmt: skip
"""Rhymes that Hong Kong spells otherwise than Jyutping (the long AA of 家 KA, 華 WA; OU of 高
KO; the rounded vowels of 張 CHEUNG, 徐 CHUI, 信 SHUN, 余 YU, 孫 SUEN, 月 YUET); the rest are
spelt as written, the long AA before a final as A (aan AN, aak AK)."""
_SHORT_A = {"an": "UN", "am": "UM"}
_ROUNDING = frozenset("zcsbpf")
"""The short A before N and M spelt U after these initials (振 CHUN, 新 SUN, 賓 PUN, 芬 FUN,
森 SUM) and A after the others (文 MAN, 人 YAN, 君 KWAN, 林 LAM, 金 KAM)."""
_SH_RHYMES = frozenset({"eon", "eoi", "ek", "uk", "yu", "oeng", "oek", "ing", "ik"})
"""Rhymes after which S is spelt SH (信 SHUN, 水 SHUI, 石 SHEK, 淑 SHUK, 書 SHU, 誠 SHING)."""
_SPELT = {
    "李": "LEE", "周": "CHOW", "羅": "LAW", "罗": "LAW", "陳": "CHAN", "陈": "CHAN",
    "施": "SZE", "司": "SZE", "岑": "SHUM", "沈": "SHUM",
}  # fmt: skip
"""Surnames spelt otherwise than their sound is by the rules (周 zau CHOW, not CHAU; 陳 can
CHAN, not CHUN)."""


def hong_kong(syllable: str, character: str = "") -> str:
    """One Jyutping syllable (``zoeng1``) spelt as Hong Kong spells names (CHEUNG), or ""
    for no syllable; ``character``, when given, for the surnames spelt their own way."""
    if character in _SPELT:
        return _SPELT[character]
    if syllable[:-1] in ("m", "ng"):
        return syllable[:-1].upper()  # 吳 NG, 唔 M: a nasal alone
    found = _JYUTPING.match(syllable)
    if found is None:
        return ""
    initial, rhyme = found.groups()
    if initial == "s" and rhyme == "i":
        return "SZE"  # 思, 詩, 時
    if initial == "j" and rhyme.startswith("yu"):
        return "Y" + _RHYMES[rhyme]  # 余 YU, 阮 YUEN, 月 YUET
    if initial == "j" and rhyme == "i":
        return "YEE"  # 兒, 儀, 頤
    spelt = _RHYMES.get(rhyme) or rhyme.replace("aa", "a").upper()
    if rhyme in _SHORT_A and initial in _ROUNDING:
        spelt = _SHORT_A[rhyme]
    onset = "SH" if initial == "s" and rhyme in _SH_RHYMES else _ONSETS[initial]
    return onset + spelt


def cantonese(text: str) -> str | None:
    """A name in Chinese characters read in Cantonese, each character a syllable spelt by
    :func:`hong_kong` and each written word kept apart (``林鄭月娥`` LAM CHENG YUET NGO), or
    None: no Chinese character, a kana or a Japanese reading (a Japanese name,
    :func:`edge.watchlist.japanese.reading`), or a dot between words (a foreign name,
    :mod:`edge.watchlist.loanwords`), or one spelt alike in pinyin (``馬`` MA: that
    rendering is the Mandarin one, compared as such). A name without a Chinese character is
    answered at once (:func:`may_be_chinese`)."""
    return _cantonese(text[:64]) if may_be_chinese(text) else None


def may_be_chinese(text: str) -> bool:
    """Whether a name has a Chinese character, answered without a cache: every query from an
    MRZ and most listed names have none, and are not kept."""
    return not text.isascii() and KANJI.search(text) is not None


@lru_cache(maxsize=16384)
def chinese_name(text: str) -> bool:
    """Whether a name is written in Chinese characters as a Chinese name is: with no kana, no
    Japanese reading (鈴木 陽一 is SUZUKI YOICHI, a Japanese name) and no dot between words
    (唐纳德·特朗普, a foreign name)."""
    if not KANJI.search(text) or has_kana(text) or NAME_DOT.search(text):
        return False
    return reading(text) is None


@lru_cache(maxsize=16384)
def _cantonese(text: str) -> str | None:
    if not chinese_name(text):
        return None
    table = _table if _table is not None else _loaded()
    words = []
    for word in text.split():
        read = (hong_kong(table[ch], ch) for ch in word if ch in table)
        words.append(" ".join(filter(None, read)))
    spelt = " ".join(filter(None, words))
    return spelt if spelt and spelt != pinyin(text) else None


def pinyin(text: str) -> str:
    """The Chinese characters of a name in pinyin without tones, a syllable each and each
    written word kept apart (``陳建仁`` CHEN JIAN REN), as the table of characters reads them."""
    words = (" ".join(anyascii(ch).upper() for ch in w if KANJI.match(ch)) for w in text.split())
    return " ".join(w for w in words if w)


_HAN_SPAN = range(0x3400, 0xFB00)
"""Code points from the first :data:`KANJI` matches to the last: the table has a reading for
each Han character among them that ToJyutping reads."""
_table: dict[str, str] | None = None
_lock = threading.Lock()


def _loaded() -> dict[str, str]:
    """The table of each character's Jyutping, made the first time it is needed: by a child
    process (see :func:`readings`), or here if no child can be run."""
    global _table
    with _lock:
        if _table is None:
            _table = _from_child() or readings()
        return _table


def _from_child() -> dict[str, str] | None:
    """The table as a child process makes it (``python -m edge.watchlist.cantonese``, on this
    process's import path), or None when it cannot (logged)."""
    path = os.pathsep.join(filter(None, sys.path))
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__], stdin=subprocess.DEVNULL, capture_output=True,
            check=True, timeout=120, env={**os.environ, "PYTHONPATH": path},
        )  # fmt: skip
        table = json.loads(done.stdout)
        if not isinstance(table, dict):
            raise ValueError(f"a {type(table).__name__}, not a table")
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.warning("Cantonese table: no child process (%s); loading ToJyutping here", exc)
        return None
    return {ch: jp for ch, jp in table.items() if isinstance(jp, str) and KANJI.fullmatch(ch)}


def readings() -> dict[str, str]:
    """Each Han character with its Jyutping as ToJyutping reads it alone (``李`` lei5; those
    of :data:`_IN_NAMES` as names read them). A child process calls this, so that ToJyutping's
    dictionary goes with the child (see the module)."""
    import ToJyutping

    table = {
        ch: jp
        for ch in map(chr, _HAN_SPAN)
        if KANJI.match(ch) and (jp := ToJyutping.get_jyutping_list(ch)[0][1])
    }
    return table | _IN_NAMES


_IN_NAMES = {"平": "ping4"}
"""Characters ToJyutping reads alone in their everyday sound, where names — and ToJyutping,
given a whole name it knows — use the reading of books: 平 peng4 alone, ping4 in 習近平
(CHAP KAN PING) and 鄧小平. Of the 10,986 names in Han characters in the test data and the
tests, read whole and read a character at a time, only those with this character differ."""


if __name__ == "__main__":
    sys.stdout.write(json.dumps(readings()))
