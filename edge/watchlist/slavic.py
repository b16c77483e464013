"""Russian, Ukrainian and Belarusian names as German, Polish, Dutch and French spell them.

A name written in Cyrillic reaches Latin script by the rules of the language that writes it
down, not only by the English-like ones of ICAO 9303 and most lists: German writes Ч as TSCH,
Ш as SCH, Х as CH, Ц as Z, Й and the Я, Е, Ю of a word's start with J, В as W (ГОРБАЧЁВ is
GORBATSCHOW, ЕЛЬЦИН JELZIN); Polish writes Ч as CZ, Ш as SZ, Ж as RZ or Ż, Х as CH, Ц as C
(GORBACZOW, JELCYN, CHRUSZCZOW); Dutch writes Ч as TSJ, Ш as SJ, Ж as ZJ, У as OE, Х as CH
(GORBATSJOV, CHROESJTSJOV); French writes Ч as TCH, Ш as CH, Ж as J (GORBATCHEV,
KHROUCHTCHEV, JIRINOVSKI). Old documents, lists kept in those languages and an officer typing
a name as it sounds to them all carry such spellings. :func:`readings` gives a token back as
each of the four would have spelt the English-like form, so that
:func:`edge.watchlist.likeness.token_sim` can compare it with the other token as it compares a
Somali or Dutch-era spelling: only a near match once read counts. Written for Borderpost from
the transliteration rules the four languages publish and use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_RULES: tuple[tuple[dict[str, str], re.Pattern[str]], ...] = (
    (  # German
        {"SCHTSCH": "SHCH", "TSCH": "CH", "SCH": "SH", "CH": "KH", "Z": "TS", "J": "Y",
         "S": "Z", "W": "V"},
        re.compile("SCHTSCH|TSCH|SCH|CH|Z|J(?=[AEIOU])|(?<=[AEIOUY])J$|(?<=[AEIOU])S(?=[AEIOU])|W"),
    ),
    (  # Polish
        {"SZCZ": "SHCH", "CZ": "CH", "SZ": "SH", "RZ": "ZH", "CH": "KH", "W": "V", "J": "Y",
         "C": "TS"},
        re.compile("SZCZ|CZ|SZ|RZ|CH|W|J(?=[AEIOU])|(?<=[AEIOUY])J$|C"),
    ),
    (  # Dutch
        {"SJTSJ": "SHCH", "TSJ": "CH", "SJ": "SH", "ZJ": "ZH", "CH": "KH", "OE": "U", "J": "Y"},
        re.compile("SJTSJ|TSJ|SJ|ZJ|CH|OE|J(?=[AEIOU])|(?<=[AEIOUY])J$"),
    ),
    ({"TCH": "CH", "CH": "SH", "J": "ZH"}, re.compile("TCH|CH|J")),  # French
)  # fmt: skip
"""Per language, the spellings of Cyrillic letters that differ from the English-like ones
(longest first, so TSCH is read before SCH and CH), and where each is read: German J before
a vowel or ending a word after one (JELZIN, SELENSKYJ), S between vowels (З: LASAREW); Dutch
Ч TSJ, Ш SJ, Ж ZJ, У OE (GORBATSJOV, CHROESJTSJOV). Not Spanish's Х as J (JRUSHCHOV): read so,
JAMAL is KAMAL and JALIL KHALIL, other Arabic names."""

MARKS = re.compile("SCH|CZ|SZ|RZ|TCH|SJ|ZJ|J|Z|W")
"""What one of the four spellings writes for a Cyrillic letter that the English-like one
spells otherwise (the English-like one writes J, Z and W too, for other letters): a token
without any is read as written."""


def _reader(table: dict[str, str], rx: re.Pattern[str]) -> Callable[[str], str]:
    @lru_cache(maxsize=65536)
    def read(token: str) -> str:
        if MARKS.search(token) is None:
            return token
        return rx.sub(lambda m: table[m.group(0)], token)

    return read


READERS: tuple[Callable[[str], str], ...] = tuple(_reader(t, rx) for t, rx in _RULES)
"""An MRZ-form token read by each language's rules (German, Polish, Dutch, French): the
token itself when it has no mark of them (:data:`MARKS`)."""


KEYED = re.compile("SCH|CZ|SZ|RZ|TSJ")
"""The letter clusters that only German, Polish or Dutch spelling writes (not a J, Z, W or C
alone, which English, Spanish and Chinese spellings write too): a query token with one is
keyed as those three languages read it (:data:`KEY_READERS`)."""


def _keyed(read: Callable[[str], str]) -> Callable[[str], str]:
    def keyed(token: str) -> str:
        return read(token) if KEYED.search(token) else token

    return keyed


KEY_READERS = tuple(_keyed(read) for read in READERS[:3])
"""The German, Polish and Dutch readings, of tokens with a cluster of :data:`KEYED` only: the
index keys of a query as read (GORBATSCHOW, GORBACZOW and GORBATSJOV find GORBACHEV). Reading
every J, Z or W name for its keys would bring other candidates into the few the screener
scores (``TOP_CANDIDATES``), and cost time, for spellings that the query's other names find
anyway."""


@lru_cache(maxsize=65536)
def readings(token: str) -> tuple[str, ...]:
    """The MRZ-form ``token`` read by each of :data:`READERS`, those that change it (none
    when it has no mark of them)."""
    return tuple(dict.fromkeys(r for r in (read(token) for read in READERS) if r != token))
