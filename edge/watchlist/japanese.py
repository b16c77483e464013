"""Names written in Japanese — kanji and kana — read as Japanese passports spell them.

A kanji name has no one reading of its own: ``山田太郎`` is YAMADA TARO in Japanese and SHAN
TIAN TAI LANG in Mandarin, which is all a table of characters (anyascii) can give. So the
words of a name are read by a Japanese dictionary — Janome's (Apache-2.0, pure Python, the
IPADIC it ships has surnames and given names with their readings) — and the kana of the
reading are spelt by the Hepburn rules of Japanese passports: long vowels unwritten (OU, OO
and UU as O and U: TARO, ONO, YUKO), ん as M before B, M and P (HOMMA), っ as the next
consonant doubled (T before CH: HATCHO).

A name gets a Japanese reading only when the dictionary reads each written word with a kanji
as a surname, a given name, or a surname of two kanji or more written onto a given name
(``WHOLE_NAMES``), and not every word is one kanji: Chinese names get none (``王伟``: 伟 is no
Japanese word; ``李明``, ``王 明``; ``雅玲``, which would be two Japanese names). The reading is
one more rendering beside the others (:func:`edge.watchlist.normalize.renderings`); a query in
kanji is scored under both (:func:`edge.watchlist.screen.person_query`). The dictionary (some
80 MB of memory) is loaded the first time a name needs it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from edge.watchlist.runs import spell_runs

_KANA_ROWS = {
    "アイウエオ": "A I U E O", "カキクケコ": "KA KI KU KE KO", "ガギグゲゴ": "GA GI GU GE GO",
    "サシスセソ": "SA SHI SU SE SO", "ザジズゼゾ": "ZA JI ZU ZE ZO",
    "タチツテト": "TA CHI TSU TE TO", "ダヂヅデド": "DA JI ZU DE DO",
    "ナニヌネノ": "NA NI NU NE NO", "ハヒフヘホ": "HA HI FU HE HO",
    "バビブベボ": "BA BI BU BE BO", "パピプペポ": "PA PI PU PE PO",
    "マミムメモ": "MA MI MU ME MO", "ヤユヨ": "YA YU YO", "ラリルレロ": "RA RI RU RE RO",
    "ワヰヱヲ": "WA I E O", "ンヴ": "N VU",
}  # fmt: skip
KANA: dict[str, str] = {
    kana: latin
    for row, sounds in _KANA_ROWS.items()
    for kana, latin in zip(row, sounds.split(), strict=True)
}
"""Katakana → Hepburn, one mora each (hiragana is read as its katakana)."""
SMALL_Y = {"ャ": "YA", "ュ": "YU", "ョ": "YO"}
"""Small ゃゅょ after a mora in I: KYA, and SHA, CHA, JA after SHI, CHI, JI."""
SMALL_VOWELS = {"ァ": "A", "ィ": "I", "ゥ": "U", "ェ": "E", "ォ": "O", "ヮ": "WA"}
"""Small vowels of loan sounds (ファ FA, ティ TI, ヴァ VA): the mora's vowel replaced."""
_HIRAGANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)})
_KANA_BLOCK = re.compile("[\u3041-\u30ff]")
_KANA_RUN = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc]+")
"""Kana letters and the long-vowel mark (not the middle dot ・, which parts two names)."""
KANJI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""A Han character (kanji, hanzi): the CJK blocks, extension A and the compatibility block."""
_LONG = (("OU", "O"), ("OO", "O"), ("UU", "U"))
N_LIPS = re.compile("N(?=[BMP])")
"""An N before B, M or P, which Hepburn writes M (HOMMA, and the loan word TRAMP)."""
SURNAME, GIVEN = "名詞,固有名詞,人名,姓", "名詞,固有名詞,人名,名"
"""Janome's parts of speech of a surname and a given name (noun, proper noun, person's name)."""
WHOLE_NAMES = frozenset({(SURNAME,), (GIVEN,), (SURNAME, GIVEN)})
"""What one written word of a name in kanji may be read as: a surname, a given name, or both
written together (山田太郎, the surname of two characters or more). Anything else — a word the
dictionary cuts into common words, or 雅玲 into 雅 MASA and 玲 REI, a Chinese given name whose
characters are each a Japanese name — is a name the dictionary does not know."""
_PARTS = re.compile("[\\s・･,]+")


def hepburn(kana: str) -> str:
    """Katakana or hiragana spelt in Latin as Japanese passports spell it (``タロウ`` TARO,
    ``しんぞう`` SHINZO, ``ジュンイチロウ`` JUNICHIRO, ``ホンマ`` HOMMA). Other characters are
    dropped."""
    out: list[str] = []
    double = False
    for ch in kana.translate(_HIRAGANA):
        if ch == "ッ":
            double = True
            continue
        if ch in SMALL_Y and out and out[-1].endswith("I") and len(out[-1]) > 1:
            last = out.pop()[:-1]
            mora = last + (SMALL_Y[ch][1:] if last.endswith(("SH", "CH", "J")) else SMALL_Y[ch])
        elif ch in SMALL_VOWELS and out and len(out[-1]) > 1:
            mora = out.pop()[:-1] + SMALL_VOWELS[ch]
        else:
            mora = KANA.get(ch, SMALL_Y.get(ch, SMALL_VOWELS.get(ch, "")))
        if double and mora and mora[0] not in "AIUEON":
            mora = ("T" if mora.startswith("CH") else mora[0]) + mora
        double = False
        out.append(mora)
    word = long = "".join(out)
    for old, new in _LONG:
        word = word.replace(old, new)
    return N_LIPS.sub("M", word if len(word) > 1 else long)  # 王 OU: no lone O, an initial


def kana_words(text: str) -> str:
    """``text`` with each run of kana spelt by :func:`hepburn`, a word apart (the rest kept)."""
    return spell_runs(_KANA_RUN, hepburn, text)


def may_be_japanese(text: str) -> bool:
    """Whether a name has a kanji or a kana (only such names are read)."""
    return KANJI.search(text) is not None or _KANA_BLOCK.search(text) is not None


def has_kana(text: str) -> bool:
    """Whether a name has a kana: a Japanese name, whose kanji are no Chinese syllables."""
    return _KANA_BLOCK.search(text) is not None


def reading(text: str) -> str | None:
    """The Japanese reading of a name, word by word in passport Hepburn (``山田太郎``
    ``YAMADA TARO``), or None: not written in kanji or kana, or a word with a kanji that the
    dictionary does not read as a name (``WHOLE_NAMES``; see the module). A name in Latin
    letters, every query from an MRZ, is answered at once and not cached."""
    return None if text.isascii() else _reading(text)


@lru_cache(maxsize=16384)
def _reading(text: str) -> str | None:
    if not may_be_japanese(text):
        return None
    parts = list(filter(None, _PARTS.split(text[:64])))
    if all(len(w) < 2 for w in parts) and KANJI.search(text):
        return None  # one character a word (王 明, 敏 郭): written as Chinese names are
    words: list[str] = []
    for word in parts:
        if KANJI.search(word) is None:  # kana: spelt as written, no dictionary
            if not all(map(_KANA_BLOCK.match, word)):
                return None  # a word in Latin or Hangul: not a Japanese name
            words.append(word)
            continue
        read = _word_reading(word)
        if read is None:
            return None
        words += read
    return " ".join(filter(None, map(hepburn, words))) or None


@lru_cache(maxsize=16384)
def _word_reading(word: str) -> tuple[str, ...] | None:
    """The kana of a word with a kanji, read as a surname, a given name or both, or None.
    Cached by the word: a list's names share family names (Chinese ones too, each asked
    whether it is Japanese), and the dictionary's reading is the slow part."""
    tokens = _tokenize(word)
    kinds = tuple(t.part_of_speech[: len(SURNAME)] for t in tokens)
    if kinds not in WHOLE_NAMES or (len(tokens) == 2 and len(tokens[0].surface) < 2):
        return None  # 拓真 as two common words (TSUBUSE SHIN), 雅玲 as 雅 and 玲
    return tuple(t.reading for t in tokens)


_tokenizer: Any = None
_lock = threading.Lock()


def _tokenize(text: str) -> list[Any]:
    """Janome's tokens of ``text``; the dictionary is loaded once, on first use (one lock:
    Janome's tokenizer keeps state while it reads a text)."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            from janome.tokenizer import Tokenizer

            _tokenizer = Tokenizer()
        return list(_tokenizer.tokenize(text))
