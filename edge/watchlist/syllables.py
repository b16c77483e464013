"""Names written wholly in Korean or Chinese syllables, and the romanisations that differ.

Korean and Chinese names are written in Latin by several systems that spell one syllable
with other consonants and vowels:

* Korean: McCune–Reischauer (North Korea, older Western records) writes the plain stops
  as K, T, P, CH and marks the aspirated ones with an apostrophe (K', T', P', CH'; lists
  drop it or write PH, TH); the Revised Romanization (South Korea, 2000) writes the plain
  ones G, D, B, J and the aspirated K, T, P, CH. McCune–Reischauer's Ŏ and Ŭ (O', U' on
  lists) are EO and EU in the Revised one; U is also written OO or WOO, and ㅚ OE is OI
  in the surname 최 as passports write it (CHOI, CHOE).
  (정철 is CHONG CHOL, JONG CHOL, JEONG CHEOL.)
* Chinese: Wade–Giles writes pinyin's G, D, B, ZH and J as K, T, P, CH (the aspirated
  ones with an apostrophe), pinyin's X as HS, Z as TS or TZ; SHIH and -EH for pinyin's SHI
  and -E. (薛 is HSUEH in Wade–Giles, XUE in pinyin.)

So two syllables are one when they agree after folding each consonant class (K/G, T/D,
P/B, CH/J/ZH/Q/TS/Z, S/SS, X/HS, R/L; SH apart, but SH before I is Korean S: SHIN/SIN) and
those vowel spellings. Pinyin's S, SH and X (Wade–Giles S, SH and HS) are three consonants:
徐 XU is no 苏 SU nor 舒 SHU. That is only said of names
whose every token, on both sides, is one such syllable (KIM JONG CHOL, WEI HSUEH KANG):
in any other name, JOHN and CHON are not one. Korean passports besides write ㅓ before a
final consonant as U (성 SUNG, 정 JUNG: :func:`same_syllable`). Written for Borderpost from
the published rules of these systems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

_SYLLABLE = re.compile(
    "(?:SSH|KK|TT|PP|SS|JJ|CH|PH|TH|KH|SH|HS|TS|TZ|ZH|NG|SZ|[BCDFGHJKLMNPQRSTXZ])?"
    "(?:[YW]?[AEIOU]{1,3}|Y(?=[NMLKPT]))(?:NG|RK|[NMKGLRPBTH]|(?<=[AO])W)?|NG|M"
)
"""One Korean or Chinese syllable as a romanisation writes it: an initial consonant, a glide,
one to three vowel letters and a final (KIM, CHOL, HYOK, KWANG, HSUEH, XIANG, PARK), or
as Hong Kong writes Cantonese ones (NGAN, CHOW, LAW, SZE, and 吳 NG, a nasal alone); and the
vowel ㅡ as ICAO's letters spell the Cyrillic Ы before a final Kontsevich writes, N, M, L, K,
P or T (은 Ын YN, 승 Сын SYN; not YG, which a swap of letters makes: YGEONG for GYEONG)."""
_ONSETS = (
    ("SSH", "S"), ("KK", "K"), ("KH", "K"), ("TT", "T"), ("TH", "T"), ("PP", "P"),
    ("PH", "P"), ("JJ", "J"), ("CH", "J"), ("ZH", "J"), ("TS", "J"), ("TZ", "J"),
    ("SS", "S"), ("SZ", "S"), ("SH", "Š"), ("HS", "X"), ("G", "K"), ("D", "T"), ("B", "P"),
    ("Q", "J"), ("Z", "J"), ("C", "J"), ("R", "L"),
)  # fmt: skip
"""Initial consonants folded to one class (longest first), each class one letter (Š: SH)."""
_VOWELS = (
    ("YEO", "YO"),
    ("EO", "O"),
    ("EU", "U"),
    ("OO", "U"),
    ("AE", "E"),
    ("OI", "OE"),
    ("WU", "U"),
    ("IEN", "IAN"),
)
_FINAL_H = re.compile("(?<=[AEIOU])H$")
"""Wade–Giles -EH, SHIH and Korean OH: the H after a final vowel is not said (nor the R of
PARK, the English spelling of 박 PAK)."""
_CODA = str.maketrans("GRDB", "KLTP")
_VOWEL_LETTERS = frozenset("AEIOU")


@lru_cache(maxsize=65536)
def is_syllable(token: str) -> bool:
    """Whether ``token`` is one Korean or Chinese syllable as a romanisation writes it."""
    return len(token) <= 6 and _SYLLABLE.fullmatch(token) is not None


def syllabic(tokens: Sequence[str]) -> bool:
    """Whether a name of two tokens or more is written wholly in such syllables."""
    return len(tokens) >= 2 and all(map(is_syllable, tokens))


def in_syllables(tokens: Sequence[str], beside: int = 0) -> bool:
    """Whether a name of two tokens or more is written in such syllables, some perhaps two
    written as one word, as pinyin writes a given name (XI JINPING, HU JINTAO) and Korean
    lists often do (KIM JONGUN); ``beside``: how many other words may stand beside two
    syllables or more (an English given name: FRANK HSIEH CHANG TING)."""
    if len(tokens) < 2:
        return False
    other = 0
    for i, token in enumerate(tokens):
        if is_syllable(token) or halves(token):
            continue
        other += 1  # a word beside: first or last, and like a given name
        if other > beside or i not in (0, len(tokens) - 1) or not _WORD.fullmatch(token):
            return False
    return len(tokens) - other >= 2


_WORD = re.compile("[A-Z]*[AEIOUY][A-Z]*[A-Z]{2}")
"""A given name beside the syllables: three letters or more, a vowel among them (not MG)."""


@lru_cache(maxsize=16384)
def syllable_key(token: str, vowels: bool = True) -> str:
    """The syllable with the consonant classes and vowel spellings of the romanisation systems
    folded (CHONG, JONG, JEONG → JONG; HSUEH, XUE → SUE; PHIL, PIL → PIL); ``vowels``
    False: the consonants only (JEONG, JUNG stay apart)."""
    onset, rest = "", token
    for spelt, folded in _ONSETS:
        if token.startswith(spelt):
            onset, rest = folded, token[len(spelt) :]
            break
    else:
        if token[:1] not in "AEIOUYW":
            onset, rest = token[:1], token[1:]
    if onset == "Š" and rest[:1] == "I":
        onset = "S"  # Korean 시, 신: SHI, SHIN or SI, SIN
    if not onset and rest[:1] == "I" and rest[1:2] in ("A", "E", "O", "U"):
        rest = "Y" + rest[1:]  # Cyrillic Я, Е, Ю as ICAO spells them: ЮНЬ IUN is YUN
    elif rest[:1] == "Y" and len(rest) > 1 and rest[1] not in _VOWEL_LETTERS:
        rest = "U" + rest[1:]  # ㅡ as Cyrillic Ы and ICAO's Y write it: 은 Ын YN is EUN, UN
    for spelt, folded in _VOWELS if vowels else ():
        rest = rest.replace(spelt, folded)
    rest = _FINAL_H.sub("", rest).replace("ARK", "AK")
    if rest[-1:] and rest[-1] in "GRDB" and not rest.endswith("NG"):
        rest = rest[:-1] + rest[-1].translate(_CODA)
    return onset + rest


def initial(token: str) -> str:
    """The syllable's initial consonant class by :func:`syllable_key` (a vowel or glide if
    it has none): two syllables of other classes are two name elements (GUAN / QUAN)."""
    return syllable_key(token)[:1]


def same_syllable(a: str, b: str) -> bool:
    """Whether two syllables are one by :func:`syllable_key`, or once the Korean vowel ``ㅓ``
    before a final consonant is read as the U that Korean passports commonly write for it
    (성 SEONG / SUNG, 정 JEONG / JUNG, 철 CHEOL / CHUL, 현 HYEON / HYUN; and 영 YEONG / YOUNG):
    the key reads EO as the O of McCune–Reischauer's Ŏ. Not without a final (서 SEO is
    written SEO or SUH, never SU, which is 수), nor OU elsewhere (Wade–Giles CHOU is no CHU)."""
    return syllable_key(a) == syllable_key(b) or _passport_key(a) == _passport_key(b)


_PASSPORT_U = re.compile("(?:EO|OU)(?=NG)|EO(?=[NLMKP])")


@lru_cache(maxsize=16384)
def _passport_key(token: str) -> str:
    return syllable_key(_PASSPORT_U.sub("U", token))


@lru_cache(maxsize=16384)
def halves(word: str) -> tuple[tuple[str, str], ...]:
    """Each way of reading ``word`` as two syllables written as one (JINTAO: JIN TAO), as
    pinyin writes a Chinese given name and Korean lists often do (JONGUN)."""
    if len(word) > 12:
        return ()
    cuts = ((word[:i], word[i:]) for i in range(1, len(word)))
    return tuple((a, b) for a, b in cuts if is_syllable(a) and is_syllable(b))


def one_word_of(parts: Sequence[str], word: str) -> bool:
    """Whether two syllables written apart are ``word``'s two, each the same syllable by
    :func:`same_syllable` (Wade–Giles CHIN TAO, pinyin JINTAO; McCune–Reischauer CHONG UN,
    JONGUN)."""
    if len(parts) != 2:
        return False
    pairs = halves(word)
    if any(all(map(same_syllable, parts, pair)) for pair in pairs):
        return True
    if _PINYIN.search(word) is None:
        return False
    read = [_WADE_GILES_FINAL.sub(lambda m: _PINYIN_FINALS[m.group(0)], p) for p in parts]
    return read != list(parts) and any(all(map(same_syllable, read, pair)) for pair in pairs)


_PINYIN = re.compile("^(?:ZH|[XQZ]|C(?!H))|(?<=[AEIOUNG])(?:ZH|[XQZ]|C(?!H))(?=[AEIOU])")
"""An initial only pinyin writes (X, Q, ZH, Z, a C not of CH): a word with one is Chinese, not
Korean, which writes ㅗㅇ ONG and ㅜㅇ UNG as two vowels (McCune–Reischauer CHONG 정, CHUNG 중)."""
_WADE_GILES_FINAL = re.compile("(?:UNG|IEN)$")
_PINYIN_FINALS = {"UNG": "ONG", "IEN": "IAN"}
"""Wade–Giles finals that pinyin writes otherwise: TUNG / DONG, PIEN / BIAN (Mao Tse-tung,
Mao Zedong)."""


_HONG_KONG = (
    ("SZE", "SI"), ("EE", "I"), ("EI", "I"), ("OW", "AU"), ("AW", "O"), ("OO", "U"),
    ("KWU", "KU"), ("YEN", "YIN"),
)  # fmt: skip
_HONG_KONG_OR = re.compile("(?<=O)R$")


@lru_cache(maxsize=16384)
def hong_kong_key(token: str) -> str:
    """:func:`syllable_key` of a syllable, consonants only, once the ways Hong Kong spells
    one Cantonese sound are folded: EE, EI and I (李 LEE, LEI, LI; 基 KEI, KI, KEE), OW and AU
    (周 CHOW, CHAU), AW and O (羅 LAW, LO), OO and U (潘 POON, PUN), KWU and KU (冠 KWUN,
    KUN), YEN and YIN (彥), SZE and SI, and an R after O (娥 NGOR, NGO). Not Korean's
    vowels: 張 CHEUNG is no 宗 CHUNG."""
    for spelt, folded in _HONG_KONG:
        token = token.replace(spelt, folded)
    return syllable_key(_HONG_KONG_OR.sub("", token), vowels=False)


def consonant_key(token: str) -> str:
    """:func:`syllable_key` of a syllable, its consonant classes folded and its vowels as
    written: a Wade–Giles reading's syllables (雷 LEI is no 莉 LI)."""
    return syllable_key(token, vowels=False)


def kontsevich_key(token: str) -> str:
    """:func:`syllable_key` of a syllable with what Cyrillic does not tell apart in a Korean
    name folded too (:mod:`edge.watchlist.kontsevich`): the vowels О, Ё and Е write (ㅗ ㅓ ㅛ ㅕ
    ㅔ, and ㅐ, which the key already folds with ㅔ) one class, and before a last consonant so
    the U, EU and YU of ㅜ, ㅡ, ㅠ, which Korean passports write for ㅓ and ㅕ too (성 SUNG, Сен;
    석 SUK, Сок; 명 MYUNG, Мён); a last NG as N (Н is both); LEE as LI."""
    key = syllable_key(token.replace("EE", "I"))
    onset = key[:1] if key[:1] and key[0] not in "AEIOUYW" else ""
    rest = _FINAL_NG.sub("N", key[len(onset) :])
    vowels = _BEFORE_FINAL if _CLOSED.search(rest) else _OPEN
    return onset + vowels.sub("O", rest)


_FINAL_NG = re.compile("NG$")
_CLOSED = re.compile("[AEIOU][NLMKPT]$")
_BEFORE_FINAL = re.compile("^(?:YEO|YO|YE|YU|EO|E|O|U)(?=[NLMKPT]$)")
_OPEN = re.compile("^(?:YEO|YO|YE|EO|E)")


STRICT_KEYS: dict[str, Callable[[str], str]] = {
    "cantonese": hong_kong_key,
    "wade_giles": consonant_key,
    "kontsevich": kontsevich_key,
}
"""The key by which a syllable of each strict reading (of Chinese characters, and of a Korean
name in Cyrillic) matches only the same syllable (``strict`` of
:func:`edge.watchlist.match.name_score`)."""
