"""Sound keys of a name's tokens: coarse forms under which spellings of one name in
different romanisations meet (a first letter and consonant skeleton; the consonants as
Arabic or Hebrew script writes them; a token read in the Somali alphabet, as Egyptian,
Persian or French spelling says it), for the index's keys (:mod:`edge.watchlist.index`) and
the scoring of near spellings (:mod:`edge.watchlist.likeness`). Each starts from the token's
comparison form (:func:`edge.watchlist.normalize.canon`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from edge.watchlist.normalize import DOUBLED, canon
from edge.watchlist.syllables import is_syllable


@lru_cache(maxsize=65536)
def phonetic(token: str) -> str:
    """A coarse sound key: first letter and the consonant skeleton of the canon form."""
    c = canon(token)
    if not c:
        return ""
    body = c[1:].translate(_PHON_TABLE)
    return DOUBLED.sub(r"\1", c[0].translate(_FIRST_TABLE) + body)[:6]


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """The consonants of a token as Arabic or Hebrew script writes them (no short vowels,
    and long ones as W/Y): GHAFUR and the romanised ``غفور`` (GHFWR) are both ``KFR``, KATHIM
    and ``كاظم`` (KAZM) both ``KTM``. SH (ش) is a class of its own, ``X``, and French
    spelling is read as said: CH is SH and C before E or I is S (MAYCHOU ``MX``, LOUNICI
    ``LNT`` like the romanised ``لونيسي`` LWNYSY)."""
    c = said(token).replace("SH", "X")
    if not c:
        return ""
    body = c[1:].replace("TH", "T").replace("DH", "D").translate(_SKELETON_TABLE)
    first = "X" if c[0] == "X" else c[0].translate(_FIRST_TABLE).translate(_DENTALS)
    return DOUBLED.sub(r"\1", first + body)


_SOMALI_C = re.compile("^C(?=[AEIOU])")


@lru_cache(maxsize=65536)
def somali(token: str) -> str:
    """The token read in the Somali Latin alphabet, where X is the H of ``ح`` and C the
    ``ع`` that other writings leave out (XASAN / HASSAN, CUMAR / UMAR, CABDULLE / ABDULLAH,
    MAXAMED / MAHAMED); the C only at the start of a word, and never in a Chinese or Korean
    syllable (XU is no HU). Only a near match once read counts (CARRIE is no HARRY)."""
    if is_syllable(token):
        return token
    return _SOMALI_C.sub("", token).replace("X", "H")


_EGYPTIAN_G = re.compile("(?<![NG])G(?![GH])")
"""A G that may be the ``ج`` Egyptian Arabic says G: not GH (``غ``), nor the NG of YOUNG."""


@lru_cache(maxsize=65536)
def egyptian(token: str) -> str:
    """The token with each G that may be an Egyptian ``ج`` read as the J of other writings
    (GAMAL / JAMAL, RAGAB / RAJAB, HEGAZI / HIJAZI); never in a Chinese or Korean syllable
    (GANG is no JANG)."""
    return token if is_syllable(token) else _EGYPTIAN_G.sub("J", token)


_TURKISH_C = re.compile("C(?=[EI])|(?<=[AEIOU])C(?=[AOU])")
"""A C before E or I, or between vowels: in Turkish spelling the J of other writings. Not one
that starts a word before A, O or U, as Spanish, Italian and Portuguese names start with a K
sound (CARLOS, CAMILA): read as J there, a Spanish CANAS was a Latvian JANIS (a synthetic
negative of the default 1M bench alerting)."""
_FINAL_P = re.compile("P$")


@lru_cache(maxsize=65536)
def turkish(token: str) -> str:
    """The token with a C read as the J Turkish spelling writes it with (CEMAL / JAMAL, HACER /
    HAJAR, NECATI / NAJATI, MUCAHIT / MUJAHID; see ``_TURKISH_C``), and a last P as the B that
    Turkish says P at a word's end (RECEP / RAJAB, NECIP / NAJIB); never in a Chinese or Korean
    syllable."""
    if "C" not in token or is_syllable(token):
        return token
    return _FINAL_P.sub("B", _TURKISH_C.sub("J", token))


def persian_zh(token: str) -> str:
    """The token with the ZH of Persian ``ژ`` read as the J that Iranian names' Latin spellings
    write for it (BIJAN, MANIJEH, JALEH, PEJMAN, AHMADINEJAD)."""
    return token.replace("ZH", "J")


@lru_cache(maxsize=65536)
def persian_q(token: str) -> str:
    """The token with each GH read as the Q of an Arabic romanisation: Persian says ``ق`` as
    ``غ`` and Iranian spellings write both GH (GHASEM / QASIM, SADEGH / SADIQ, BAGHER / BAQIR,
    ESHAGH / ISHAQ, HAGHIGHI / HAQIQI)."""
    return token.replace("GH", "Q")


_ARTICLE_SAID = re.compile(r"(?<=[A-Z]{2})AL(?=D(?:I|Y|E|EE)N)")
"""The article of a compound with DIN ("religion", ...الدين), written ``AL`` (NWRALDYN,
NURALDIN) where another writing says it as DIN's D (NOUREDDINE, NURUDDIN)."""


@lru_cache(maxsize=65536)
def article_said(token: str) -> str:
    """A compound with DIN with its inner article's L left out, as said: NWRALDYN →
    NWRADYN, which has the consonants of NOUREDDINE."""
    return _ARTICLE_SAID.sub("A", token)


@lru_cache(maxsize=65536)
def said(token: str) -> str:
    """A token's comparison form with French spelling read as said, as Maghrebi names are
    written in Latin: C before E or I is S, CH is SH, and OU before a vowel starting a word is
    W (YOUCEF / YUSUF / ``يوسف``, CHERIF / SHARIF, OUALID / WALID / ``وليد``)."""
    c = canon(token)
    if "C" not in c and not c.startswith("U"):
        return c  # the common case, no regular expression run
    return _FRENCH_W.sub("V", _FRENCH_C.sub("S", c).replace("CH", "SH"))


_PHON_TABLE = str.maketrans({"A": "", "E": "", "I": "", "O": "", "U": "", "H": "",
                             "C": "K", "Q": "K", "Z": "S", "D": "T", "B": "P"})  # fmt: skip
_FIRST_TABLE = str.maketrans({"E": "A", "I": "A", "O": "A", "U": "A", "Y": "A", "J": "A",
                              "C": "K", "Q": "K", "G": "K", "X": "S", "Z": "S", "W": "B",
                              "V": "B", "P": "B", "F": "B"})  # fmt: skip
"""First letters folded too: any vowel, Y and J are one class (ОЛЕГ/ULEG, YUSUF/JUSUF, Arabic
script writes no first vowel), then Q/K/C/G (QASIM/KASIM, Korean GIM/KIM), X/S/Z, and
P/B/F/V/W (Arabic has no P, Hebrew writes P and F alike, V/W)."""
_SKELETON_TABLE = {**_PHON_TABLE, ord("Y"): "", ord("W"): "", ord("V"): "", ord("S"): "T",
                   ord("Z"): "T", ord("D"): "T", ord("G"): "K"}  # fmt: skip
_DENTALS = str.maketrans("SZD", "TTT")
_FRENCH_C = re.compile(r"C(?=[EI])")
_FRENCH_W = re.compile(r"^U(?=[AEI])")
"""OU before a vowel starting a word, as :func:`canon` leaves it (OU → U, W → V)."""
"""Skeleton letters: vowels and the long-vowel letters W/Y gone; the dental and emphatic
consonants (ث ذ ض ظ ص written TH, DH, D, Z, S, T by different lists) are one class, and so are
Q, K and G (GH too, its H gone): ق is said G in Gulf, Libyan and Sudanese Arabic and as غ in
Persian, so lists write it Q, K or G (AQILA / AGILA, ABDELRAZAG, ABOLGHASSEM / ABLOQASEM)."""
