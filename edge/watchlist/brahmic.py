"""Names written in the scripts of India and its neighbours — Devanagari, Bengali, Gurmukhi,
Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala — in Latin letters as their names
are spelt in Latin.

These scripts are abugidas: a consonant letter carries the vowel A unless a vowel sign or a
virama (the mark of a bare consonant) says otherwise, so ``लता`` is LATA. A table of letters
(anyascii) leaves that vowel out and writes ``नरेन्द्र मोदी`` as NRENDR MODI, ``मनमोहन सिंह``
as MNMOHN SIMH. Here each letter has its value of the Hunterian system, the Government of
India's romanisation of names and places (श and ष SH, च CH, छ CHH, the aspirates KH, GH,
BH …), the inherent A is written, and in the Indo-Aryan scripts of the north (Devanagari,
Bengali, Gurmukhi, Gujarati, Oriya) the A that speech drops is dropped as Hindi drops it
(Ohala's rule): at the end of a word after one consonant (कुमार KUMAR, but मिश्र MISHRA after
two), and inside one between a vowel and consonant before it and a consonant and vowel after
it, read from the right (सरकार SARKAR, मनमोहन MANMOHAN, but संजय SANJAY). The Dravidian
scripts of the south and Sinhala say it (ರಾಮ RAMA, මහින්ද MAHINDA). The nasal sign (anusvara)
is M before a lip consonant (संभव SAMBHAV), NG before H (सिंह SINGH; in the south M, ಸಿಂಹ
SIMHA) and in Bengali (বাংলা BANGLA), else N (गंगा GANGA); a dotted letter (nukta) is the
Persian and Arabic sound it writes (ज़ Z, फ़ F, क़ Q, ड़ R). A short word a dot ends is an
initial, often an English letter's name (``एम. एस.`` M. S.), and राव, రావు at a word's end
is the name Rao (विलासराव VILASRAO).

The nine blocks share one layout (ISCII's): a letter's place in its block is its value in all
of them, so one table serves every script, and a few letters are read by script (Tamil ச S,
Malayalam's bare consonants, Gurmukhi's nasal and doubling signs) or by the letters beside
them (Tamil's stops voiced after a nasal, Malayalam ന്റ NT, Bengali ওয় W). Sinhala's block
has another layout: its letters have a table of their own (``SINHALA``), read the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from edge.watchlist.runs import spell_runs

BLOCKS: dict[int, str] = {
    0x0900: "Deva", 0x0980: "Beng", 0x0A00: "Guru", 0x0A80: "Gujr", 0x0B00: "Orya",
    0x0B80: "Taml", 0x0C00: "Telu", 0x0C80: "Knda", 0x0D00: "Mlym", 0x0D80: "Sinh",
}  # fmt: skip
"""First code point of each block read here → its ISO 15924 script code."""
SCHWA_DROPPED = frozenset({"Deva", "Beng", "Guru", "Gujr", "Orya"})
"""Scripts of languages whose speech drops the inherent A where Hindi does (see the module)."""

CONSONANTS: dict[int, str] = {
    0x15: "K", 0x16: "KH", 0x17: "G", 0x18: "GH", 0x19: "N", 0x1A: "CH", 0x1B: "CHH",
    0x1C: "J", 0x1D: "JH", 0x1E: "N", 0x1F: "T", 0x20: "TH", 0x21: "D", 0x22: "DH",
    0x23: "N", 0x24: "T", 0x25: "TH", 0x26: "D", 0x27: "DH", 0x28: "N", 0x29: "N",
    0x2A: "P", 0x2B: "PH", 0x2C: "B", 0x2D: "BH", 0x2E: "M", 0x2F: "Y", 0x30: "R",
    0x31: "R", 0x32: "L", 0x33: "L", 0x34: "ZH", 0x35: "V", 0x36: "SH", 0x37: "SH",
    0x38: "S", 0x39: "H", 0x58: "Q", 0x59: "KH", 0x5A: "GH", 0x5B: "Z", 0x5C: "R",
    0x5D: "RH", 0x5E: "F", 0x5F: "Y",
}  # fmt: skip
"""A consonant letter's place in its block → its Hunterian value (0x58-0x5F: the letters with
a nukta written as one)."""
VOWELS: dict[int, str] = {
    0x05: "A", 0x06: "A", 0x07: "I", 0x08: "I", 0x09: "U", 0x0A: "U", 0x0B: "RI",
    0x0C: "LRI", 0x0D: "E", 0x0E: "E", 0x0F: "E", 0x10: "AI", 0x11: "O", 0x12: "O",
    0x13: "O", 0x14: "AU", 0x60: "RI", 0x61: "LRI",
}  # fmt: skip
"""A vowel letter's place → its value."""
VOWEL_SIGNS: dict[int, str] = {
    0x3E: "A", 0x3F: "I", 0x40: "I", 0x41: "U", 0x42: "U", 0x43: "RI", 0x44: "RI",
    0x45: "E", 0x46: "E", 0x47: "E", 0x48: "AI", 0x49: "O", 0x4A: "O", 0x4B: "O", 0x4C: "AU",
}  # fmt: skip
"""A vowel sign's place → its value."""
NUKTA: dict[str, str] = {"K": "Q", "G": "GH", "J": "Z", "D": "R", "DH": "RH", "PH": "F", "S": "SH"}
"""A consonant with the nukta dot below → the sound it writes in Persian and Arabic words (and
Gurmukhi SHA, which Unicode writes as SA with the dot)."""
_SOUTH_TH = {0x24: "TH"}
BY_SCRIPT: dict[str, dict[int, str]] = {
    "Taml": {0x1A: "S", **_SOUTH_TH}, "Telu": _SOUTH_TH, "Knda": _SOUTH_TH, "Mlym": _SOUTH_TH,
}  # fmt: skip
"""Letters read otherwise in one script: Tamil ச, which Tamil names write S (SELVAM, SUNDAR),
and the dental T that names of the south write TH (KAVITHA, GEETHA; Hindi KAVITA)."""
OWN_LETTERS: dict[str, tuple[str, str]] = {
    "\u0d7a": ("C", "N"), "\u0d7b": ("C", "N"), "\u0d7c": ("C", "R"), "\u0d7d": ("C", "L"),
    "\u0d7e": ("C", "L"), "\u0d7f": ("C", "K"), "\u0d54": ("C", "M"), "\u0d55": ("C", "Y"),
    "\u0d56": ("C", "ZH"), "\u09ce": ("C", "T"), "\u09f0": ("CA", "R"), "\u09f1": ("CA", "W"),
    "\u0b71": ("CA", "W"), "\u0a70": ("N", "N"), "\u0a71": ("2", ""), "\u0a72": ("V", ""),
    "\u0a73": ("V", ""),
}  # fmt: skip
"""Letters outside the shared layout, as (kind, Latin): C a consonant with no vowel
(Malayalam's chillu letters, Bengali's khanda TA), CA one with the inherent vowel (Assamese RA
and WA, Oriya WA), N Gurmukhi's nasal sign (tippi), 2 its sign that doubles the next
consonant (addak), V its vowel bearers (read by the vowel sign after them)."""


def _letters(kind: str, letters: str, latin: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Each of ``letters`` → (``kind``, its Latin), in order."""
    return {ch: (kind, value) for ch, value in zip(letters, latin, strict=True)}


SINHALA: dict[str, tuple[str, str]] = {
    **_letters("CA", "කඛගඝඞඟචඡජඣඤඥඦටඨඩඪණඬතථදධනඳපඵබභමඹයරලවශෂසහළෆ", (
        "K", "KH", "G", "GH", "N", "NG", "CH", "CHH", "J", "JH", "NY", "GN", "NJ", "T", "TH",
        "D", "DH", "N", "ND", "TH", "TH", "D", "DH", "N", "ND", "P", "PH", "B", "BH", "M", "MB",
        "Y", "R", "L", "W", "SH", "SH", "S", "H", "L", "F")),
    **_letters("V", "අආඇඈඉඊඋඌඍඎඏඐඑඒඓඔඕඖ", (
        "A", "A", "E", "E", "I", "I", "U", "U", "RI", "RI", "LI", "LI", "E", "E", "AI", "O",
        "O", "AU")),
    **_letters("sign", "ාැෑිීුූෘෙේෛොෝෞෲ\u0dca", (
        "A", "E", "E", "I", "I", "U", "U", "RU", "E", "E", "AI", "O", "O", "AU", "RU", "")),
    **_letters("N", "\u0d82\u0d81", ("N", "N")),
    "\u0d83": ("H", "H"),
}  # fmt: skip
"""Sinhala letters → (kind, Latin) as :func:`_units` reads them: consonants with the inherent
vowel (ව W and the dental ත TH, as Sinhala names write them: WICKREMESINGHE, NISHANTHA; the
prenasalised ඟ ඬ ඳ ඹ NG, ND, ND, MB), vowel letters, vowel signs and the virama (al-lakuna), the
nasal sign and visarga."""
_VIRAMA, _NUKTA, _VISARGA = 0x4D, 0x3C, 0x03
_DENTAL = (0x24, 0x25, 0x26, 0x27)  # त थ द ध
_NASALS = (0x01, 0x02)  # candrabindu, anusvara
_JOINERS = "\u200c\u200d"
_LIPS = ("P", "B", "M")
_RUN = re.compile("[\u0900-\u0dff\u200c\u200d]+\\.?")
_BENGALI_WA = re.compile("\u0993(?:\u09df|\u09af\u09bc)")
"""Bengali ও before য় writes W (ওয়াজেদ WAJED, Wajed; হাওয়া HAWA), read as the WA letter ৱ."""
_MALAYALAM_NT = re.compile("(?:\u0d28\u0d4d|\u0d7b\u0d4d?)\u0d31")
"""Malayalam ന്റ (or ൻ്റ), said and spelt NT (ആന്റണി ANTANI, Antony; എന്റെ ENTE), read as
ന്ട; റ്റ, said TT, as ട്ട (കുറ്റി KUTTI)."""


class _Unit(NamedTuple):
    """One sound of a word: ``kind`` C (consonant), V (vowel written), A (the inherent vowel),
    N (a nasal sign, read by what follows), H (visarga)."""

    kind: str
    latin: str


def brahmic_words(text: str, joined_initials: bool = False) -> str:
    """``text`` with each word in one of :data:`BLOCKS` spelt in Latin capitals, a word apart
    from the letters of other scripts beside it (the rest kept), and one a dot ends read as
    the initial it is (:func:`_initial`); see the module. ``joined_initials``: a word written
    wholly as English letters' names read as those letters (:func:`_joined_initials`)."""
    return spell_runs(_RUN, _spelt_joined if joined_initials else _spelt_run, text)


def has_joined_initials(text: str) -> bool:
    """Whether a word of ``text`` in one of :data:`BLOCKS` is initials written joined, as
    English letters' names (:func:`_joined_initials`)."""
    runs = _RUN.findall(text)
    return any(_joined_initials(word) for run in runs for word in _words(run.rstrip(".")))


def _spelt_run(run: str, joined_initials: bool = False) -> str:
    words = _words(run.rstrip("."))
    spelt = [(joined_initials and _joined_initials(w)) or _word(w) for w in words]
    if run.endswith(".") and spelt:
        spelt[-1] = _initial(spelt[-1])
    return " ".join(spelt)


def _spelt_joined(run: str) -> str:
    return _spelt_run(run, joined_initials=True)


@lru_cache(maxsize=65536)
def _joined_initials(word: str) -> str:
    """The initials of a word written as two or more English letters' names with no dot, as
    the press of India writes them (``एमएस धोनी`` M S, M. S. Dhoni; ``वाईएस`` Y S), spaced;
    "" for any other word. A letter's name never has a dental T or D (``टी`` T, ``डी`` D are
    retroflex), so ``आरती`` ARTI is no R T. Sinhala, with another layout, is not read so."""
    pieces = _pieces(word)
    if len(pieces) < 2 or BLOCKS.get(ord(word[0]) & ~0x7F) in (None, "Sinh"):
        return ""
    read: dict[int, str] = {0: ""}  # pieces read so far → their letters
    for start in range(len(pieces)):
        if start not in read:
            continue
        for end in range(start + 1, min(start + 4, len(pieces)) + 1):
            if end not in read and (letter := _letter_written("".join(pieces[start:end]))):
                read[end] = read[start] + letter
    letters = read.get(len(pieces), "")
    return " ".join(letters) if len(letters) >= 2 else ""


def _pieces(word: str) -> list[str]:
    """``word`` cut before each vowel letter and consonant: the smallest parts a letter's name
    is made of (``एमएस`` ए म ए स; ``ಎಚ್‌ಡಿ``, H D, ಎ ಚ್ ಡಿ)."""
    pieces: list[str] = []
    for ch in word:
        place = ord(ch) & 0x7F
        if not pieces or place in VOWELS or place in CONSONANTS:
            pieces.append(ch)
        else:
            pieces[-1] += ch
    return pieces


@lru_cache(maxsize=8192)
def _letter_written(written: str) -> str:
    """The English letter whose name ``written`` is (``एम`` M), else ""."""
    if any(ord(ch) & 0x7F in _DENTAL for ch in written):
        return ""
    return LETTER_NAMES.get(_word(written), "")


def _initial(spelt: str) -> str:
    """A short word a dot ends, spelt in Latin, as the Latin initial it stands for: the name
    of an English letter as the script writes it (``एम.`` EM, M; ``എ.`` E, A; ``వై.`` VAI,
    Y), else the first letter of the syllable it shortens (Tamil ``மு.`` MU, M; ``இரா.`` RA,
    R) — ``M. K. Stalin`` writes ``மு. க. ஸ்டாலின்``; an abbreviated title as its Latin
    abbreviation (``डॉ.`` DO, DR). A longer word (a name a full stop ends) as it is."""
    if spelt in ABBREVIATED_TITLES or spelt in LETTER_NAMES:
        return ABBREVIATED_TITLES.get(spelt) or LETTER_NAMES[spelt]
    return spelt if len(spelt) > 3 else spelt[:1]


LETTER_NAMES: dict[str, str] = {
    "E": "A", "BI": "B", "SI": "C", "DI": "D", "I": "E", "EF": "F", "EPH": "F", "JI": "G",
    "ECH": "H", "EICH": "H", "AI": "I", "JE": "J", "KE": "K", "EL": "L", "EM": "M", "EN": "N",
    "PI": "P", "KYU": "Q", "AR": "R", "ES": "S", "TI": "T", "YU": "U", "VI": "V",
    "DABLYU": "W", "DABALYU": "W", "EKS": "X", "EKSA": "X", "VAI": "Y", "WAI": "Y",
    "ZED": "Z", "JED": "Z", "AIF": "F", "AICH": "H", "AIL": "L", "AIM": "M", "AIN": "N",
    "AIS": "S", "AIKS": "X",
}  # fmt: skip
"""English letters' names as the scripts of India write them, spelt (``बी`` BI, ``এইচ``
EICH, ``ஜி`` JI; Gurmukhi's with ਐ, ``ਐਸ`` AIS): Indian names' initials (``A. P. J. Abdul
Kalam`` is ``ए. पी. जे. अब्दुल कलाम``). A shortened syllable spelt so (Tamil ``கே.`` for a K
name) stands for the same letter."""
ABBREVIATED_TITLES: dict[str, str] = {"DO": "DR", "DA": "DR", "PRO": "PROF"}
"""Titles shortened with a dot, spelt (``डॉ.``, Bengali ``ডা.``, ``प्रो.``), as the Latin
abbreviations the titles of a name are told by."""


def _words(run: str) -> list[str]:
    """A run of letters of the blocks, cut where the block changes and at signs that are no
    letter (dandas, digits); the zero-width joiners, which say nothing, left out."""
    words: list[list[str]] = [[]]
    base = -1
    for ch in run:
        if ch in _JOINERS:
            continue
        block, letter = ord(ch) & ~0x7F, _is_letter(ch)
        if block != base or not letter:
            words.append([])
            base = block
        if letter:
            words[-1].append(ch)
    return ["".join(w) for w in words if w]


def _is_letter(ch: str) -> bool:
    """Whether a character of the blocks is a letter or sign of a name (not a danda, a digit)."""
    if ch in SINHALA or ch in OWN_LETTERS:
        return True
    return (ord(ch) & 0x7F) < 0x64 and ord(ch) < 0x0D80


def _word(word: str) -> str:
    """One word in Latin capitals (see the module)."""
    script = BLOCKS.get(ord(word[0]) & ~0x7F, "")
    read = _AS_SAID.get(script)
    units = _units(
        read(word) if read else word,
        SINHALA if script == "Sinh" else OWN_LETTERS,
        BY_SCRIPT.get(script, {}),
    )
    if script in SCHWA_DROPPED:
        units = _drop_schwas(units)
    spelt = _spelt(units, script)
    if script == "Taml":
        spelt = spelt.replace("SS", "CH")  # ச்ச, said and spelt CH: பிச்சை PICHAI
    if _ends_in_rao(word) and "RAV" in spelt:
        return spelt[: spelt.rindex("RAV")] + "RAO"
    return spelt


def _ends_in_rao(word: str) -> bool:
    """Whether a word ends in राव, రావు, ರಾವ್ … — the name Rao (रामाराव RAMARAO; गौरव GAURAV,
    with a short A, is none)."""
    tail = word.rstrip(_RAO_ENDS)[-3:]
    return [ord(ch) & 0x7F for ch in tail] == _RAO and ord(word[0]) < 0x0D80


def _bengali(word: str) -> str:
    return _BENGALI_WA.sub("\u09f1", word)


def _malayalam(word: str) -> str:
    return _MALAYALAM_NT.sub("\u0d28\u0d4d\u0d1f", word).replace(
        "\u0d31\u0d4d\u0d31", "\u0d1f\u0d4d\u0d1f"
    )


def _tamil(word: str) -> str:
    """A Tamil word with its letters as said: the I written before an R that starts a word
    left out (இராமன் RAMAN), and a stop after a nasal voiced (ம்ப MB, ன்ப NB, ங்க NG, ஞ்ச NJ,
    ண்ட ND: அன்புமணி ANBUMANI, Anbumani; சிதம்பரம் SITHAMBARAM), read as the voiced letter of
    the shared layout, a place Tamil's block leaves empty; ந்த stays NTH, as Tamil names spell
    it (Sumanthiran, Vasanth)."""
    if word[:2] == _TAMIL_IR and word[2:3] != _TAMIL_VIRAMA:
        word = word[1:]
    return _TAMIL_VOICED.sub(lambda m: _TAMIL_VOICED_LETTER[m.group()], word)


_AS_SAID = {"Beng": _bengali, "Mlym": _malayalam, "Taml": _tamil}
"""Scripts with letters read by the letters beside them, and how (before their sounds)."""
_RAO = [0x30, 0x3E, 0x35]  # RA, the vowel sign AA, VA
_RAO_ENDS = "\u094d\u0c4d\u0ccd\u0c41\u0cc1"  # a virama, the vowel sign U
_TAMIL_IR, _TAMIL_VIRAMA = "\u0b87\u0bb0", "\u0bcd"
_TAMIL_VOICED = re.compile("(?<=[\u0b99\u0b9e\u0ba3\u0bae\u0ba9]\u0bcd)[\u0b95\u0b9a\u0b9f\u0baa]")
_TAMIL_VOICED_LETTER = {
    "\u0b95": "\u0b97",
    "\u0b9a": "\u0b9c",
    "\u0b9f": "\u0ba1",
    "\u0baa": "\u0bac",
}
"""க ச ட ப after a nasal → the places of G, J (ஜ), D, B."""


def _units(word: str, letters: dict[str, tuple[str, str]], own: dict[int, str]) -> list[_Unit]:
    """The sounds of a word, letter by letter: a consonant with its inherent vowel unless a
    vowel sign or virama follows (``letters``: its script's letters outside the shared layout,
    ``own``: those its script reads otherwise)."""
    units: list[_Unit] = []
    double = False
    for ch in word:
        place = ord(ch) & 0x7F
        kind, latin = letters.get(ch) or _kind(place, own)
        if kind == "2":
            double = True
        elif kind in ("C", "CA"):
            units.append(_Unit("C", latin[0] + latin if double else latin))
            units += [_Unit("A", "A")] if kind == "CA" else []
            double = False
        elif kind in ("V", "N", "H"):
            units.append(_Unit(kind, latin))
        elif kind == "sign":
            _vowel_sign(units, latin)
        elif kind == "nukta" and len(units) > 1 and units[-2].kind == "C":
            units[-2] = _Unit("C", NUKTA.get(units[-2].latin, units[-2].latin))
    return units


def _kind(place: int, own: dict[int, str]) -> tuple[str, str]:
    """(kind, Latin) of a letter by its place in the shared layout (see :func:`_units`)."""
    if place in own or place in CONSONANTS:
        return "CA", own.get(place) or CONSONANTS[place]
    if place in VOWELS:
        return "V", VOWELS[place]
    if place in VOWEL_SIGNS or place == _VIRAMA:
        return "sign", VOWEL_SIGNS.get(place, "")
    if place in _NASALS:
        return "N", "N"
    if place == _VISARGA:
        return "H", "H"
    return ("nukta", "") if place == _NUKTA else ("", "")


def _vowel_sign(units: list[_Unit], latin: str) -> None:
    """A vowel sign (``latin``; a virama, no vowel: ``""``) put in place of the inherent vowel
    or the empty vowel bearer before it."""
    if units and units[-1].kind == "A" and not latin:
        units.pop()
    elif units and (units[-1].kind == "A" or (units[-1].kind == "V" and not units[-1].latin)):
        units[-1] = _Unit("V", latin)
    elif latin:
        units.append(_Unit("V", latin))


def _drop_schwas(units: list[_Unit]) -> list[_Unit]:
    """The sounds without the inherent vowels Hindi does not say (Ohala's rule, see the
    module): the last, after one consonant, when the word has another vowel; then from the
    right, each between a vowel and one consonant and one consonant and a vowel said."""
    kinds = "".join(u.kind for u in units)
    keep = [True] * len(units)
    if kinds.count("V") + kinds.count("A") > 1 and kinds[-2:] == "CA" and kinds[-3] != "C":
        keep[-1] = False
    for i in range(len(units) - 3, 1, -1):
        between = kinds[i - 2 : i + 3]
        if between[1:4] == "CAC" and between[0] in "VA" and between[4] in "VA" and keep[i + 2]:
            keep[i] = False
    return [u for u, k in zip(units, keep, strict=True) if k]


def _spelt(units: list[_Unit], script: str) -> str:
    """The sounds in Latin: a nasal sign read by the consonant after it (see the module)."""
    out = []
    for k, u in enumerate(units):
        if u.kind != "N":
            out.append(u.latin)
            continue
        after = units[k + 1].latin if k + 1 < len(units) and units[k + 1].kind == "C" else ""
        out.append(_nasal(after, script))
    return "".join(out)


def _nasal(after: str, script: str) -> str:
    """The nasal sign before the consonant ``after`` ("" at the end of a word or before a
    vowel) in ``script``: M before a lip consonant, and at the end of a word or before H in
    the south; NG before H elsewhere and in Bengali but before K and G; else N."""
    if after.startswith(_LIPS) or (after in ("", "H") and script in _SAID_M_AT_END):
        return "M"
    if after.startswith("H") or (script == "Beng" and not after.startswith(("K", "G"))):
        return "NG"
    return "N"


_SAID_M_AT_END = frozenset({"Telu", "Knda", "Mlym"})
"""Scripts whose nasal sign ends words as M (Malayalam കോവളം KOVALAM) and is M before H, as
their names are spelt (Telugu నరసింహ NARASIMHA, Kannada ಸಿಂಹ SIMHA; Hindi सिंह SINGH)."""
