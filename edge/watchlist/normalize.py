"""Names and identifiers folded for matching: case, diacritics, transliteration, variants.

Tables are data, each naming its published source:

* ``ICAO_LATIN`` — ICAO Doc 9303 Part 3 (8th ed.), section 6.A, "Transliteration of
  multinational Latin-based characters", recommended column (Ä→AE, Ø→OE, ß→SS …) and
  its optional alternatives (Ä→A, Ü→UXX …) in ``ICAO_LATIN_ALT``.
* ``ICAO_CYRILLIC`` — ICAO Doc 9303 Part 3, section 6.B, Cyrillic (Я→IA, Ю→IU, Й→I).
* ``COMMON_CYRILLIC`` — the common English-style romanisation (BGN/PCGN 1947 for
  Russian, as in pre-2013 Russian and most Western records: Я→YA, Ю→YU, Й→Y).
* ``OTHER_LETTERS`` — letters the ICAO tables lack: the Cyrillic ones of Kazakh, Kyrgyz,
  Tajik, Mongolian, Tatar and other languages (Қ→K, Ө→O, Ҷ→J) and Azerbaijani Ə→A, with
  the second spellings of some in ``OTHER_LETTERS_ALT`` (Қ→Q, Ғ→GH).
* Other scripts (Arabic, Greek, Han, Hangul, …): :mod:`edge.watchlist.scripts`.
* ``VARIANT_GROUPS`` — spelling variants of the same given name or particle as
  listed by sanctions publishers (e.g. UN/OFAC alias lists): MOHAMMED/MUHAMMAD/…
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from edge.watchlist.cantonese import cantonese
from edge.watchlist.japanese import reading
from edge.watchlist.kontsevich import kontsevich
from edge.watchlist.loanwords import loan_readings
from edge.watchlist.nametables import INNER_TITLES, REMARK_WORDS, TITLES
from edge.watchlist.palladius import palladius
from edge.watchlist.scripts import (
    GERESH,
    Spelling,
    needs_romanise,
    romanise,
    script_of,
    spelt_by_sound,
    unmarked_initials,
)
from edge.watchlist.wadegiles import wade_giles

MAX_NAME = 256

ICAO_LATIN: dict[str, str] = {
    "À": "A", "Á": "A", "Â": "A", "Ã": "A", "Ä": "AE", "Å": "AA", "Æ": "AE",
    "Ç": "C", "È": "E", "É": "E", "Ê": "E", "Ë": "E", "Ì": "I", "Í": "I",
    "Î": "I", "Ï": "I", "Ð": "D", "Ñ": "N", "Ò": "O", "Ó": "O", "Ô": "O",
    "Õ": "O", "Ö": "OE", "Ø": "OE", "Ù": "U", "Ú": "U", "Û": "U", "Ü": "UE",
    "Ý": "Y", "Þ": "TH", "ß": "SS", "Ā": "A", "Ă": "A", "Ą": "A", "Ć": "C",
    "Ĉ": "C", "Ċ": "C", "Č": "C", "Ď": "D", "Đ": "D", "Ē": "E", "Ĕ": "E",
    "Ė": "E", "Ę": "E", "Ě": "E", "Ĝ": "G", "Ğ": "G", "Ġ": "G", "Ģ": "G",
    "Ĥ": "H", "Ħ": "H", "Ĩ": "I", "Ī": "I", "Ĭ": "I", "Į": "I", "İ": "I",
    "I": "I", "Ĳ": "IJ", "Ĵ": "J", "Ķ": "K", "Ĺ": "L", "Ļ": "L", "Ľ": "L",
    "Ŀ": "L", "Ł": "L", "Ń": "N", "Ņ": "N", "Ň": "N", "Ŋ": "N", "Ō": "O",
    "Ŏ": "O", "Ő": "O", "Œ": "OE", "Ŕ": "R", "Ŗ": "R", "Ř": "R", "Ś": "S",
    "Ŝ": "S", "Ş": "S", "Š": "S", "Ţ": "T", "Ť": "T", "Ŧ": "T", "Ũ": "U",
    "Ū": "U", "Ŭ": "U", "Ů": "U", "Ű": "U", "Ų": "U", "Ŵ": "W", "Ŷ": "Y",
    "Ÿ": "Y", "Ź": "Z", "Ż": "Z", "Ž": "Z", "Ș": "S", "Ț": "T",
}  # fmt: skip
"""ICAO 9303-3 §6.A recommended transliterations (upper case)."""

ICAO_LATIN_ALT: dict[str, tuple[str, ...]] = {
    "Ä": ("A", "AXX"), "Å": ("A",), "Ö": ("O", "OXX"), "Ø": ("O",),
    "Ü": ("U", "UXX"), "Ñ": ("NXX",), "Æ": ("A",),
}  # fmt: skip
"""ICAO 9303-3 §6.A optional alternatives also seen in travel documents."""

ICAO_CYRILLIC: dict[str, str] = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E",
    "Ж": "ZH", "З": "Z", "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M",
    "Н": "N", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U",
    "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH", "Щ": "SHCH",
    "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
    "Є": "IE", "І": "I", "Ї": "I", "Ґ": "G", "Ў": "U", "Ђ": "D", "Ј": "J",
    "Љ": "LJ", "Њ": "NJ", "Ћ": "C", "Џ": "DZ", "Ѕ": "DZ", "Ѓ": "G", "Ќ": "K",
}  # fmt: skip
"""ICAO 9303-3 §6.B Cyrillic transliteration (upper case)."""

OTHER_LETTERS: dict[str, str] = {
    "Ә": "A", "Ғ": "G", "Қ": "K", "Ң": "N", "Ө": "O", "Ұ": "U", "Ү": "U", "Һ": "H",
    "Ӣ": "I", "Ӯ": "U", "Ҳ": "H", "Ҷ": "J", "Җ": "ZH", "Ҙ": "Z", "Ҡ": "K", "Ҫ": "S",
    "Ӑ": "A", "Ӗ": "E", "Ӳ": "U", "Ӧ": "O", "Ӱ": "U", "Ӓ": "A", "Ӹ": "Y", "Ӕ": "AE",
    "Ҕ": "G", "Ҥ": "NG", "Ӈ": "NG", "Ҝ": "G", "Ҹ": "J", "Ӂ": "ZH", "Ӝ": "J", "Ӟ": "DZ",
    "Ӥ": "I", "Ӵ": "CH", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "", "Ə": "A",
}  # fmt: skip
"""Letters that ICAO's tables lack, in the plain Latin letters passports print. The Cyrillic
table, made for the Slavic languages, lacks those of Kazakh, Kyrgyz, Tajik, Uzbek, Mongolian,
Tatar, Bashkir, Chuvash and the languages of the Caucasus (Тоқаев TOKAEV, Өмүрбек OMURBEK,
Раҳмон RAHMON, Ҷалол JALOL; Ossetian Ӕ AE; the palochka Ӏ of Chechen and Avar marks the
letter before it and is not spelt). The national romanisations write Ә, Ө, Ү as Ä, Ö, Ü,
which ICAO's plain column prints A, O, U. The Latin table lacks Azerbaijani Ə, which its
passports print A, as they print its Cyrillic Ә (Məmmədov MAMMADOV). Without these rows the
letters were dropped: Нұрсұлтан was N RS LTAN, Əliyev LIYEV."""

OTHER_LETTERS_ALT: dict[str, str] = {"Ғ": "GH", "Қ": "Q", "Ң": "NG", "Ҳ": "KH", "Ҷ": "DZH"}
"""The second spelling of those letters where a second is as common: Tajik and Uzbek Latin
write Ғ GH and Қ Q (GHAFUR, QURBONOV), Kyrgyz Ң NG, and names spelt from Russian forms Ҳ KH
and Ҷ DZH (KHAMIDOV, DZHUMAKHON); the common rendering uses them."""

COMMON_CYRILLIC: dict[str, str] = {
    **ICAO_CYRILLIC,
    "Ё": "YO", "Й": "Y", "Ъ": "", "Ю": "YU", "Я": "YA", "Є": "YE", "Ї": "YI",
    "Х": "KH", "Е": "E",
}  # fmt: skip
"""BGN/PCGN-style common romanisation (Я→YA, Ю→YU, Й→Y)."""

SUN_LETTERS = ("T", "TH", "D", "DH", "R", "Z", "S", "SH", "N")
"""The Arabic "sun letters" as Latin lists write them (ت ث د ذ ر ز س ش ن; the emphatics are
written alike): the article AL before one is said as it, ABD AR-RAHMAN, ABDUS SALAM."""

VARIANT_GROUPS: dict[str, tuple[str, ...]] = {
    "MUHAMMAD": ("MOHAMMED", "MOHAMMAD", "MOHAMED", "MOHAMAD", "MUHAMMED", "MUHAMED",
                 "MUHAMAD", "MOHAMMET", "MEHMET", "MEHMED", "MOHAMMEDI", "MUHAMMET",
                 "MOHD", "MOHAMMADU", "MD"),
    "ABDUL": ("ABDEL", "ABDOUL", "ABDUL", "ABDAL", "ABDOL",
              *(f"ABD{v}{sun}" for v in "UEO" for sun in SUN_LETTERS)),
    "ABDULLAH": ("ABDALLAH", "ABDULLA", "ABDALLA", "ABDELLAH", "ABDOLLAH", "ABDULLAHI",
                 "ABDALLAHI", "ABDOULAYE"),
    "AHMED": ("AHMAD", "AHMET", "AHMADI", "AHMEDOU"),
    "HUSSEIN": ("HUSAIN", "HUSSAIN", "HOSSEIN", "HUSEIN", "HUSEYIN", "HOSEIN"),
    "HASSAN": ("HASAN", "HASSANE"),
    "YOUSSEF": ("YUSUF", "YOUSEF", "YOUSSOUF", "YUSSUF", "JUSUF"),
    "IBRAHIM": ("EBRAHIM", "IBRAHEEM", "IBRAGIM", "IBROHIM"),
    "ALEKSANDR": ("ALEXANDER", "ALEKSANDER", "ALEXANDR", "OLEKSANDR", "ALIAKSANDR",
                  "ALIAXANDR"),
    "MIKHAIL": ("MIKHAEL", "MICHAIL", "MYKHAILO", "MIHAIL"),
    "YURI": ("IURII", "YURIY", "YURII", "IURI", "JURIJ", "YURIJ", "YURY", "IURIY"),
    "SERGEI": ("SERGEY", "SERGEJ", "SERGII", "SERHII", "SERHIY", "SERGIY", "SIARHEI",
               "SIARHIEJ"),
    "ALEKSEI": ("ALEXEI", "ALEXEY", "ALEKSEY", "ALEKSEJ", "OLEKSII", "OLEKSIY", "ALIAKSEI",
                "ALIAKSIEJ"),
    "DMITRI": ("DMITRY", "DMITRII", "DMITRIY", "DMYTRO", "DIMITRI", "DZMITRY", "DZMITRYI",
               "DZMITRII"),
    "ANDREI": ("ANDREY", "ANDREJ", "ANDRII", "ANDRIY"),
    "NIKOLAI": ("NIKOLAY", "NIKOLAJ", "MYKOLA", "NICOLAI", "MIKALAI", "MIKALAJ"),
    "EVGENI": ("YEVGENY", "EVGENY", "EVGENII", "YEVHEN", "JEWGENI", "YAUHEN", "YAUHENI",
               "JAUHIEN"),
    "GEORGI": ("GEORGY", "GEORGII", "GEORGIY", "GIORGI"),
    "PYOTR": ("PETR", "PIOTR", "PETRO", "PIATRO"),
    "VLADIMIR": ("ULADZIMIR", "VOLODYMYR", "WLADIMIR", "VALADZIMIR"),
    "VIKTOR": ("VIKTAR", "VICTOR", "WIKTOR"),
    "VADIM": ("VADZIM",),
    "LEONID": ("LEANID",),
    "ANATOLI": ("ANATOLY", "ANATOLIY", "ANATOLII", "ANATOL"),
    "IVAN": ("IWAN", "IOAN"),
    "OLGA": ("OLHA", "OLGHA", "VOLHA"),
    "OLEG": ("OLEH", "ALEH", "ALEG"),
    "IGOR": ("IHOR", "IHAR", "IGAR"),
    "GENNADI": ("GENNADY", "GENNADIY", "GENNADII", "HENNADII", "HENADZ", "HENADZI"),
    "NATALIA": ("NATALYA", "NATALIIA", "NATALIYA", "NATALIJA", "NATALLIA"),
    "YULIA": ("IULIIA", "YULIYA", "JULIA", "YULIIA", "IULIA", "JULIJA"),
    "TATIANA": ("TATYANA", "TATIANA", "TETIANA", "TETYANA", "TATJANA", "TATSIANA"),
    "MARIA": ("MARIYA", "MARIIA", "MARIJA", "MARYA"),
    "EKATERINA": ("YEKATERINA", "KATERYNA"),
}  # fmt: skip
"""Given-name and particle spelling groups: label → members (MRZ spellings). The Slavic
groups hold the Russian, Ukrainian and Belarusian forms of one name (Belarusian as its
national romanisation writes it: SIARHEI, ULADZIMIR, DZMITRY, YAUHEN, MIKALAI)."""

_SUN = "|".join(sorted(SUN_LETTERS, key=len, reverse=True))
_ONTO_NAME = "(?=[B-DF-HJ-NP-TV-XZ]|[AEIOUY][A-Z]{3})"
"""What follows an article written onto the name after ABD: a consonant (ABDUL ALKARIM, ABD
ERRAHMAN, an abjad's ABD ALHQ), or a vowel and three letters more (ABDUL ALAZIZ); ALI, ALIM,
ALEEM and ALY after ABDUL are names (``Abdul Alim``), not AL and IM."""
_MULTI_TOKEN = (
    (re.compile(r"\bABD(?:UL|EL|AL|OL)?[- ]?(?:ALLAH|ALLH|ULLAH|ALLA|ULLA)\b"), "ABDULLAH"),
    (re.compile(rf"\bABD(?:UL|EL|AL|OL)? (?:AL|EL|UL|UR|ER)(?:[- ]|$|{_ONTO_NAME})"), "ABDUL "),
    (re.compile(r"\bABD(?:UL|EL|AL|OL)? [AEU]$"), "ABDUL"),
    (re.compile(r"(?<!\bAL )(?<!\bEL )\bABD (?=[A-Z])"), "ABDUL "),
    (re.compile(rf"\bABD[AEIOU]({_SUN})(?=\1)"), "ABDUL "),
    (re.compile(rf"\bABD[AEIOU](?=(?:{_SUN})[AEIOU][A-Z]{{2}})"), "ABDUL "),
    (re.compile(rf"\bABD[AEIOU](?:{_SUN})(?=[B-DF-HJ-NP-TV-Z][AEIOU][A-Z])"), "ABDUL "),
)
"""Multi-token particles folded before splitting (ABD AL RAHMAN → ABDUL RAHMAN), and the
article of ABD AL- written as Arabic says it, assimilated to a "sun letter" that starts the
next name (T TH D DH R Z S SH N) and written onto it: ABDUSSALAM, ABDURRAHIM, ABDIRAHIM,
ABDURSALAM → ABDUL SALAM / ABDUL RAHIM (ABDUR, ABDUS … written apart are in the ABDUL group).
ABD after an article is a family name, not the first half of one (``AL-'ABD, Ahmad``); ABD and
one letter A, E or U that end a name are the ABD AL of a name a document's field cut short
(``RUKAN<RAZUKI<ABD<A``: no initial A)."""

_CANON_RULES = (
    ("AXX", "A"), ("OXX", "O"), ("UXX", "U"), ("NXX", "N"),
    ("AEE", "AI"), ("AE", "A"), ("OE", "O"), ("UE", "U"), ("SCH", "SH"), ("X", "KS"),
    ("DZH", "J"), ("DJ", "J"),
    ("YA", "IA"), ("YU", "IU"), ("YE", "IE"), ("YO", "IO"), ("IY", "I"), ("YY", "I"),
    ("Y", "I"), ("II", "I"), ("KH", "H"), ("PH", "F"), ("W", "V"), ("CK", "K"),
    ("OU", "U"), ("EE", "I"), ("OO", "U"),
)  # fmt: skip
"""Spelling folds applied to both sides before comparison (never shown to a person), in
order: AEE is the long I that follows an unwritten ع (SAEED, NAEEM, RAEESI: SAID, NAIM,
RAISI), read before the German AE of Ä would make SAED of it; DZH is Cyrillic Дж as ICAO
spells it, which English and the Latin alphabets of Central Asia write J (DZHOKHAR, JOKHAR;
DZHUMA, JUMA), as French writes DJ."""

_ICAO_TABLE = str.maketrans({**ICAO_LATIN, **ICAO_CYRILLIC, **OTHER_LETTERS})
_COMMON_TABLE = str.maketrans(
    {**ICAO_LATIN, **COMMON_CYRILLIC, **OTHER_LETTERS, **OTHER_LETTERS_ALT}
)
_ALT_SHORT = str.maketrans({k: v[0] for k, v in ICAO_LATIN_ALT.items()})
_ALT_XX = str.maketrans({k: v[-1] for k, v in ICAO_LATIN_ALT.items()})
_VARIANT_INDEX: dict[str, str] = {}
_NON_LETTER = re.compile(r"[^A-Z]+")
DOUBLED = re.compile(r"(.)\1+")
"""A letter written twice or more in a row (folded to one: HASSAN / HASAN)."""


def _latin_upper(
    text: str, table: dict[int, str], latin_alt: str | None = None, how: Spelling = "said"
) -> str:
    up = text.upper()
    if up.isascii():
        return up
    if needs_romanise(up):
        up = romanise(up, how)
    if latin_alt is not None:
        up = up.translate(_ALT_SHORT if latin_alt == "short" else _ALT_XX)
    up = up.translate(table)
    return up if up.isascii() else "".join(map(_strip_marks, up))


@lru_cache(maxsize=4096)
def _strip_marks(ch: str) -> str:
    """One character no table turned into Latin: its marks dropped, and a letter that is still
    no Latin letter then (Cyrillic Ҭ of Abkhaz, Komi Ԁ) as anyascii spells it — a letter of a
    name is never dropped for want of a table row."""
    if ch.isascii():
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return plain if plain.isascii() or not ch.isalpha() else anyascii(ch).upper()


def _words(text: str) -> str:
    """Apostrophes dropped (O'BRIEN → OBRIEN), digits that stand for letters inside a word
    read as letters (``J0hn Sm1th``), and two capitalised words written as one split
    (``JohnSmith``)."""
    if _SPECIAL.search(text) is not None:  # rare: one C-level scan for the common name
        text = _TYPED_GERESH.sub(GERESH, text)  # ג'מאל: the geresh of Hebrew, not a stop
        text = text.translate(_NO_APOSTROPHES)  # O'BRIEN, MA'RUF: one word, as in the MRZ
        text = _LOOKALIKE.sub(lambda m: m.group(0).translate(_DIGIT_LETTERS), text)
    if text.isupper() or text.title() == text:  # C-level: no word has a capital inside
        return text
    return _CAMEL.sub(" ", text)


_APOSTROPHES = "'`\u2019\u02bb\u02bc\u02be\u02bf"
_NO_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
_SPECIAL = re.compile(f"[{_APOSTROPHES}0-9@$]")
_TYPED_GERESH = re.compile(f"(?<=[\u05d0-\u05ea])[{_APOSTROPHES}]")
"""An apostrophe after a Hebrew letter: the geresh typed for ``׳`` (:data:`~edge.watchlist.
scripts.GERESH`), which gives the letter its sound, where after a Latin one it parts nothing."""
_DIGIT_LETTERS = str.maketrans("0134578@$", "OIEASTBAS")
_LOOKALIKE = re.compile(r"(?<=[^\W\d_])[0134578@$]+|[0134578@$]+(?=[^\W\d_])")
_CAMEL = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{3})")


def to_mrz(text: str) -> str:
    """``text`` as ICAO 9303 would print it in an MRZ: A–Z and spaces only."""
    return _icao(_words(text[:MAX_NAME]))


@lru_cache(maxsize=1024)
def _icao(words: str) -> str:
    """Words (:func:`_words`) in the ICAO rendering, A–Z and single spaces. Cached briefly: a
    listed person's names are checked for letters by it, then rendered (:func:`renderings`)."""
    return " ".join(_NON_LETTER.sub(" ", _latin_upper(words, _ICAO_TABLE)).split())


@lru_cache(maxsize=65536)
def renderings(text: str) -> tuple[str, ...]:
    """Every Latin rendering of ``text``, ICAO first, then its alternatives and common ones,
    a name in kanji as Japanese reads it (:func:`edge.watchlist.japanese.reading`), one in
    Chinese characters as Cantonese does and in Wade–Giles (:func:`edge.watchlist.cantonese.
    cantonese`, :func:`edge.watchlist.wadegiles.wade_giles`), a Chinese name written in
    Cyrillic in pinyin (:func:`edge.watchlist.palladius.palladius`), a Korean one by its
    syllables (:func:`edge.watchlist.kontsevich.kontsevich`), a Thai or
    Khmer name letter by letter (:func:`as_written`) and a foreign name in Hangul, katakana or
    Chinese characters as the words it transcribes (:func:`as_foreign`).

    Cached: surnames and given names repeat across a list (an import asks for each).
    """
    text = _words(text[:MAX_NAME])
    if text.isascii():
        latin = _icao(text)
        return (latin,) if latin else ()
    forms = [_icao(text), _latin_upper(text, _COMMON_TABLE)]
    if any(ch in ICAO_LATIN_ALT for ch in text.upper()):
        forms.append(_latin_upper(text, _ICAO_TABLE, "short"))
        forms.append(_latin_upper(text, _ICAO_TABLE, "xx"))
    forms.append(reading(text) or "")  # kanji read in Japanese (山田太郎 YAMADA TARO)
    forms.append(cantonese(text) or "")  # read in Cantonese (李家超 LEE KA CHIU)
    forms.append(wade_giles(text) or "")  # and in Wade–Giles (陳建仁 CHEN CHIEN JEN)
    forms.append(palladius(text) or "")  # Chinese in Cyrillic, in pinyin (Си Цзиньпин XI JINPING)
    forms.append(kontsevich(text) or "")  # Korean in Cyrillic, by syllable (Ким Чен Ын)
    forms += as_written(text)  # Thai, Khmer after their letters (ยิ่งลักษณ์ YINGLAK, YINGLAKSN)
    forms += as_foreign(text)  # a foreign name in Hangul, katakana, Chinese (도널드 DONELD)
    out = (" ".join(_NON_LETTER.sub(" ", f).split()) for f in forms)
    return tuple(f for f in dict.fromkeys(out) if f)


def as_written(text: str) -> tuple[str, ...]:
    """A name with Thai or Khmer letters in Latin after its letters, or none for one with none:
    such names are spelt in Latin as said (the Royal Thai General System, ``ชินวัตร`` CHINWAT)
    or after their letters, the silent ones too (Shinawatra; Khmer ``ស`` said SA and spelt SAR,
    nearer S). Two forms for Thai: its letters in the order they are said, the silenced ones
    left out (:func:`edge.watchlist.thai.thai_words`: ``ยิ่งลักษณ์`` YINGLAK, Yingluck), and
    every letter in the order written (anyascii: ``ภิรมย์`` PHIRMY, Piromya). A name of India
    whose initials are written as English letters' names with no dot, with those read as the
    letters (``एमएस धोनी`` M S DHONI, as said EMAES DHONI), and one in Urdu with letters'
    names in a row (``اے آر رحمان`` A R RHMAN): as said too, a word so written may be a name
    (``बीबी``, ``بی بی`` BIBI)."""
    if text.isascii():
        return ()
    hows: tuple[Spelling, ...] = ("lettered", "written") if spelt_by_sound(text) else ()
    if unmarked_initials(text):
        hows += ("initials",)
    if not hows:
        return ()
    text = _words(text[:MAX_NAME])
    forms = (_latin_upper(text, _ICAO_TABLE, how=how) for how in hows)
    out = dict.fromkeys(" ".join(_NON_LETTER.sub(" ", f).split()) for f in forms)
    return tuple(f for f in out if f != _icao(text))


def joined_initials(text: str) -> str:
    """A query with its initials written joined in Latin capitals with no dots read apart
    (``MK Stalin`` M K STALIN, as ``M. K. Stalin`` is: ``Muthuvel Karunanidhi Stalin``), or ""
    for one with none: a word of two or three consonants (no Y: ``LY`` is a name) that is no
    title (DR, JR, MRS) nor Cantonese NG. MS is both (``MS Dhoni``): read as initials here,
    and dropped as a title in the name as written. A name with another word without a vowel
    (Y not counted) is written without them (``HSN BKR``, ``MHMD``: an Arabic name romanised
    letter for letter), and is not read so, nor one of initials alone. A listed name is not
    read so: listed initials stand for no full name of a traveller's."""
    text = text[:MAX_NAME]
    spaced = _JOINED_INITIALS.sub(_spaced, text)
    words = [w for w in _LETTERS.findall(spaced) if w.upper() not in _NO_INITIALS]
    if spaced == text or not words or not all(map(_VOWEL.search, words)):
        return ""
    return _icao(_words(spaced))


_JOINED_INITIALS = re.compile(r"(?<![\w'])[B-DF-HJ-NP-TV-XZ]{2,3}(?![\w'])")
_NO_INITIALS = (TITLES - {"MS"}) | {"NG"}
_LETTERS = re.compile(r"[^\W\d_]{2,}")
"""A word of two letters or more (an initial, now apart, is none)."""
_VOWEL = re.compile("[AEIOUaeiou]")


def _spaced(found: re.Match[str]) -> str:
    word = found.group()
    return word if word in _NO_INITIALS else " ".join(word)


def as_foreign(text: str) -> tuple[str, ...]:
    """A foreign name written in Hangul, katakana or Chinese characters, in the Latin letters
    of the words they transcribe (:func:`edge.watchlist.loanwords.loan_readings`: ``도널드
    트럼프`` DONELD TREMP, ``ドナルド・トランプ`` DONALD TRAMP), one rendering for each way of
    reading letters the scripts do not tell apart; none for a Korean or Chinese name. A name
    in Latin letters, every query from an MRZ, is answered at once and not cached."""
    if text.isascii():
        return ()
    loans = loan_readings(text[:MAX_NAME])
    out = (_NON_LETTER.sub(" ", _latin_upper(_words(loan), _ICAO_TABLE)) for loan in loans)
    return tuple(" ".join(o.split()) for o in out)


def fold_particles(name: str) -> str:
    """Multi-token particles folded (``ABD AL RAHMAN`` → ``ABDUL RAHMAN``) and titles dropped
    (``PRESIDENT``, ``DR``, ``SHEIKH``, ``AL HAJJ`` …; never every token)."""
    words = name.split()
    if not TITLES.isdisjoint(words):
        kept = [w for i, w in enumerate(words) if not _title(words, i)]
        name = " ".join(kept) if kept else name
    if "ABD" not in name:
        return name
    for pattern, repl in _MULTI_TOKEN:
        name = pattern.sub(repl, name)
    return " ".join(name.split())


def title_surname(full: str, surname: str) -> tuple[tuple[str, str], ...]:
    """A name's full tokens and surname as matched; when the surname is a title the full name
    lost (``SHEIKH, Muhammad Naeem``: :func:`fold_particles` drops it from the name, but keeps
    it in the surname alone, never dropping every word), the name without it and no surname
    known, and the name with it as the family name it is on a passport — that one alone
    where the rest is one word (``AL-SHAYKH, Muhammad`` is no MUHAMMAD of any family)."""
    words = surname.split()
    if not words or TITLES.isdisjoint(words) or not set(words).isdisjoint(full.split()):
        return ((full, surname),)
    titled = (f"{full} {surname}", surname)
    return (titled,) if len(full.split()) < 2 else ((full, ""), titled)


def _title(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is a title here, or the article of one (the AL of AL HAJJ); one
    of ``INNER_TITLES`` only with a name before and after it."""
    j = i + 1 if words[i] in _ARTICLES and i + 1 < len(words) else i
    if words[j] not in TITLES:
        return False
    start = j - 1 if j > 0 and words[j - 1] in _ARTICLES else j
    if 0 < start < j == len(words) - 1:
        return False  # an article and a title last are a family name: AHMED EL SHEIKH
    return words[j] not in INNER_TITLES or (start > 0 and j < len(words) - 1)


_ARTICLES = ("AL", "EL")


@lru_cache(maxsize=65536)
def canon(token: str) -> str:
    """A token's comparison form: spelling folds, doubled letters, variant group."""
    grouped = _VARIANT_INDEX.get(token)
    if grouped is not None:
        return grouped
    out = spelling(token)
    grouped = _VARIANT_INDEX.get(out)
    if grouped is not None:
        return grouped
    if out[:5] not in _HEAD_STARTS:
        return out  # the common case: no group's name starts it
    for size in _HEAD_SIZES:  # a group's name written onto another: MOHAMMADREZA
        label = _VARIANT_INDEX.get(out[:size]) if len(out) >= size + 3 else None
        if label is not None and label != "ABDULLAH":  # ABDULAZIZ is no ABDULLAH ZIZ
            return label + _sun_letter(out[:size], label) + out[size:]
    return out


def _sun_letter(head: str, label: str) -> str:
    """The sun letter an ABD head ends in, the first of the next name (ABDUR RAHMAN, written
    ABDURRAHMAN or ABDURAHMAN: ABDUL and RAHMAN); nothing for any other head."""
    return head[4:] if label == "ABDUL" and head[-1] != "L" else ""


@lru_cache(maxsize=65536)
def spelling(token: str) -> str:
    """A token with the spelling folds and doubled letters only (no variant group label)."""
    out = token
    for old, new in _CANON_RULES:
        out = out.replace(old, new)
    return DOUBLED.sub(r"\1", out)


def comma_surname(name: str) -> str:
    """The surname of a name written ``SURNAME, Given`` as lists write them (one comma,
    letters on both sides; ``""`` otherwise, as for ``DELOS REYES, Feliciano, Jr.``)."""
    if name.count(",") != 1:
        return ""
    surname, given = name.split(",")
    return surname.strip() if any(map(str.isalpha, given)) else ""


_BRACKET = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]?")
_LAST_WORD = re.compile(r"(\S+)\s*$")
_LABEL = re.compile(r"^[^:]*:")
_STRAY = re.compile(r"[()\[\]]")
_BORN = re.compile(r",\s*born\b(?=[^,]*\d).*$", re.IGNORECASE | re.DOTALL)
"""A birth written after the name (``…, born 1 Jan. 1953``, ``…, born in Kandahar on 01
Jan.1967``), as the UN list's aliases have it: no part of the name."""


def bracketed(full: str) -> tuple[str, ...]:
    """The names a listed name gives when what lists write in brackets is read: the name with
    its brackets opened (one word in the name's script in place, anything else left out), the
    name without them, and the other names they give. A list writes there another spelling of
    the word before (``SANTOS, Ahmad (Ahmed)``: also ``SANTOS, Ahmed``), other names (``حسن
    غول (Hassan Ghul; Hasan Gul)``), the name in its script (``Jin Tiesan (金铁三)``, ``…
    (original script: Амир Хазмат)``: the label dropped), a family name (``राजेश पुष्प
    (अमात्य)``), a title (``(Sheikh) Musa Hilal``) or a remark (a word of ``REMARK_WORDS``, a
    digit: ``(COMBAT NAME)``, ``(previously listed as)``), which is no name; so is a birth
    after a comma (``_BORN``)."""
    full = _BORN.sub("", full)
    if _STRAY.search(full) is None:
        return (full,)
    others: list[str] = []
    opened: list[str] = []
    last = 0
    for match in _BRACKET.finditer(full):
        before = _LAST_WORD.search(full[: match.start()])
        kept = []
        for piece in match.group(1).split(";"):
            piece = _LABEL.sub("", piece).strip()
            words = to_mrz(piece).split()
            if not words or any(ch.isdigit() for ch in piece) or not REMARK_WORDS.isdisjoint(words):
                continue
            kept.append(piece)
            if len(words) == 1 and words[0] in TITLES:
                continue  # (Sheikh): the name's title
            if len(words) == 1 and before and script_of(piece) == script_of(before.group(1)):
                others.append(full[: before.start(1)] + piece + full[match.end() :])
            else:
                others.append(piece)
        in_place = (
            len(kept) == 1
            and len(kept[0].split()) == 1
            and before is not None
            and script_of(kept[0]) == script_of(before.group(1))
        )
        opened += [full[last : match.start()], *(kept if in_place else ())]
        last = match.end()
    names = (" ".join([*opened, full[last:]]), full, *others[:MAX_BRACKETED])
    return tuple(n for n in dict.fromkeys(map(_unbracketed, names)) if n)


MAX_BRACKETED = 8
"""Other names one listed name's brackets give at most (a hostile name of 256 characters
could hold 85 brackets, each a name to index)."""


def _unbracketed(text: str) -> str:
    return " ".join(_STRAY.sub(" ", _BRACKET.sub(" ", text)).split())


def tokens(name: str) -> list[str]:
    """The MRZ-form tokens of a name (particles folded)."""
    return fold_particles(to_mrz(name)).split()


def variant_label(token: str) -> str | None:
    """The variant group a token belongs to, if any."""
    return _VARIANT_INDEX.get(token) or _VARIANT_INDEX.get(canon(token))


def _build_variant_index(groups: dict[str, tuple[str, ...]]) -> None:
    for label, members in groups.items():
        for member in (label, *members):
            _VARIANT_INDEX[member] = label
    for label, members in groups.items():
        for member in (label, *members):
            folded = member
            for old, new in _CANON_RULES:
                folded = folded.replace(old, new)
            _VARIANT_INDEX.setdefault(DOUBLED.sub(r"\1", folded), label)


_build_variant_index(VARIANT_GROUPS)
_HEAD_SIZES = sorted({len(m) for m in _VARIANT_INDEX if len(m) >= 5}, reverse=True)
_HEAD_STARTS = frozenset(m[:5] for m in _VARIANT_INDEX if len(m) >= 5)
"""Lengths of the variant groups' names (five letters or more) that :func:`canon` looks for at
the head of a longer token: a given name written onto another name, as Persian compounds are
(MOHAMMADREZA / MOHAMMED REZA, HOSSEINZADEH / HUSSEINZADEH), takes its group's label and the
rest of the token stays (three letters or more: HASANOV is no compound)."""

OCR_FOLD = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "B": "8",
                          "S": "5", "Z": "2", "G": "6"})  # fmt: skip
"""Look-alike characters an OCR or a typist confuses, folded to one."""


def fold_id(text: str, max_len: int = 64) -> str:
    """An identifier folded for exact lookup: A–Z0–9 only, OCR look-alikes folded."""
    return clean_id(text, max_len).translate(OCR_FOLD)


def clean_id(text: str, max_len: int = 64) -> str:
    """An identifier upper-cased with separators, spaces and filler ``<`` removed."""
    return _NON_ALNUM.sub("", to_mrz_id(text[: max_len * 2]))[:max_len]


def to_mrz_id(text: str) -> str:
    """Upper-case ASCII form of an identifier (non-ASCII letters transliterated)."""
    up = text.upper()
    return up if up.isascii() else "".join(map(_strip_marks, up))


_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
