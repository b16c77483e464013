"""Writing systems of names: which script a name is in, and its Latin letters in any script.

Latin (ICAO 9303-3 §6.A) and Cyrillic (§6.B) have their tables in
:mod:`edge.watchlist.normalize`. This module covers the rest:

* ``ARABIC`` — the consonant values of ICAO Doc 9303 Part 3 §6.C (Arabic script, with the
  Persian and Urdu letters), written the way sanctions lists romanise them (TH, KH, SH, DH,
  GH); the table's reversible X-marks, meant only for the MRZ, are not used. Arabic writes
  no short vowels, so ``محمد`` is ``MHMD``: :func:`edge.watchlist.likeness.token_sim` compares
  names from an abjad (``ABJADS``) by their consonant skeletons too. The article ``ال``
  becomes its own ``AL`` token. Uyghur's Arabic script, which writes every vowel, is read
  as an alphabet (``TURKIC_LETTERS``); Syriac as the Arabic letters of its sounds
  (``SYRIAC_AS_ARABIC``).
* ``GREEK`` — ELOT 743 / ISO 843 (type 2, as Greek passports print names), with its
  digraphs (ΟΥ→OU, ΜΠ→B at the start of a word, ΓΚ→G …).
* kana — Hepburn, as Japanese passports spell it (:mod:`edge.watchlist.japanese`, which
  also reads kanji names in Japanese);
* the scripts of India and Sri Lanka (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil,
  Telugu, Kannada, Malayalam, Sinhala) — Hunterian, with the inherent vowel written and dropped
  where Hindi drops it (:mod:`edge.watchlist.brahmic`);
* Myanmar — a word a syllable, each spelt by its initial and rhyme as Burmese names are
  (MIN AUNG HLAING; :mod:`edge.watchlist.myanmar`);
* Thai — the Royal Thai General System, as said (PRAYUT CHANOCHA;
  :mod:`edge.watchlist.thai`), Khmer by the series of each syllable (HUN SEN;
  :mod:`edge.watchlist.khmer`), and both letter by letter as written besides
  (:func:`romanise`);
* Hebrew — ``anyascii`` with ש as SH, ו as W (the letter of a vowel or V, as Arabic و),
  וו as V and יי as one Y;
* Tibetan — each syllable as said, two a word (TENDZIN GYATSO; :mod:`edge.watchlist.tibetan`);
* everything else (Han, Hangul, Georgian, Armenian …)
  — ``anyascii`` (ISC licence), one table per Unicode block. Han characters and Hangul
  syllable blocks are split into one token per syllable (``习近平`` → ``XI JIN PING``), so
  that ``XI JINPING`` aligns by joining tokens; a foreign name in Hangul, katakana or Chinese
  characters is read besides as the word it transcribes (:mod:`edge.watchlist.loanwords`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from anyascii import anyascii

from edge.watchlist.brahmic import brahmic_words, has_joined_initials
from edge.watchlist.japanese import kana_words
from edge.watchlist.khmer import khmer_words
from edge.watchlist.myanmar import myanmar_words
from edge.watchlist.thai import lao_as_thai, thai_words
from edge.watchlist.tibetan import tibetan_words

Spelling = Literal["said", "lettered", "written", "initials"]
"""How :func:`romanise` spells names of the scripts spelt as said and after their letters,
and initials written as letters' names with no dot."""

SCRIPT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "Latn"), ("CYRILLIC", "Cyrl"), ("ARABIC", "Arab"), ("GREEK", "Grek"),
    ("GEORGIAN", "Geor"), ("ARMENIAN", "Armn"), ("HEBREW", "Hebr"), ("CJK", "Hani"),
    ("HANGUL", "Hang"), ("HIRAGANA", "Jpan"), ("KATAKANA", "Jpan"), ("THAI", "Thai"),
    ("KHMER", "Khmr"), ("MYANMAR", "Mymr"), ("DEVANAGARI", "Deva"), ("BENGALI", "Beng"),
    ("KANNADA", "Knda"), ("TAMIL", "Taml"), ("TELUGU", "Telu"), ("GUJARATI", "Gujr"),
    ("GURMUKHI", "Guru"), ("ETHIOPIC", "Ethi"), ("SINHALA", "Sinh"), ("LAO", "Laoo"),
    ("TIBETAN", "Tibt"), ("MONGOLIAN", "Mong"), ("SYRIAC", "Syrc"), ("THAANA", "Thaa"),
)  # fmt: skip
"""Unicode character-name prefix → ISO 15924 script code."""

ARABIC: dict[str, str] = {
    "ء": "", "آ": "A", "أ": "A", "ؤ": "", "إ": "I", "ئ": "", "ا": "A", "ب": "B",
    "ة": "A", "ت": "T", "ث": "TH", "ج": "J", "ح": "H", "خ": "KH", "د": "D", "ذ": "DH",
    "ر": "R", "ز": "Z", "س": "S", "ش": "SH", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z",
    "ع": "", "غ": "GH", "ف": "F", "ق": "Q", "ك": "K", "ل": "L", "م": "M", "ن": "N",
    "ه": "H", "و": "W", "ى": "A", "ي": "Y", "ٱ": "A", "پ": "P", "چ": "CH", "ژ": "ZH",
    "ڤ": "V", "ک": "K", "گ": "G", "ی": "Y", "ے": "E", "ۃ": "A", "ٹ": "T", "ڈ": "D",
    "ڑ": "R", "ں": "N", "ھ": "H", "ہ": "H",
    "ۀ": "H", "ۂ": "H", "ە": "E", "ۓ": "E", "ې": "Y", "ۍ": "Y", "ێ": "Y", "ڪ": "K", "ګ": "G",
    "ټ": "T", "ډ": "D", "ړ": "R", "ږ": "ZH", "ښ": "SH", "څ": "TS", "ځ": "Z", "ڼ": "N",
    "ۆ": "W", "ۇ": "W", "ۈ": "W", "ۋ": "V", "ڵ": "L", "ڕ": "R", "\u0654": "", "\u0655": "",
    "\u064e": "A", "\u064f": "U", "\u0650": "I", "\u064b": "AN", "\u064c": "UN",
    "\u064d": "IN", "\u0652": "", "\u0651": "", "\u0670": "A", "ـ": "",
}  # fmt: skip
"""Arabic-script letters and vowel marks (fatha, damma, kasra …) → Latin. The letters of
Persian, Urdu, Pashto and Kurdish spelling read as the Arabic letter they are a form of (ی ې ۍ
ێ as ي, ک ڪ as ك, ۀ ۂ as ه, the Kurdish vowels ە ۆ ۇ as E and و; the hamza written above
them is dropped): a Pashto or Kurdish name is never cut at a letter the table lacks."""

PERSIAN_LETTERS = frozenset("پچژگکیټډړږښڅځڼګېۍ")
"""Letters only Persian, Urdu and Pashto spelling uses (پ چ ژ گ, ک ی for Arabic ك ي, and
Pashto's own: ټ ډ ړ ږ ښ څ ځ ڼ ګ ې ۍ)."""
PERSIAN_READINGS: dict[str, str] = {"ث": "S", "ذ": "Z", "ض": "Z", "ظ": "Z"}
"""In a name written with ``PERSIAN_LETTERS`` these Arabic letters are read as Persian reads
them, and as Persian and Afghan names are romanised: ضیا ZIA, غیاث GHIAS (not DYA, GHYATH)."""

GREEK: dict[str, str] = {
    "Α": "A", "Β": "V", "Γ": "G", "Δ": "D", "Ε": "E", "Ζ": "Z", "Η": "I", "Θ": "TH",
    "Ι": "I", "Κ": "K", "Λ": "L", "Μ": "M", "Ν": "N", "Ξ": "X", "Ο": "O", "Π": "P",
    "Ρ": "R", "Σ": "S", "Τ": "T", "Υ": "Y", "Φ": "F", "Χ": "CH", "Ψ": "PS", "Ω": "O",
}  # fmt: skip
"""ELOT 743 single letters (upper case, accents removed first)."""

GREEK_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("ΟΥ", "OU"), ("ΑΥ", "AV"), ("ΕΥ", "EV"), ("ΓΓ", "NG"), ("ΓΚ", "G"), ("ΓΞ", "NX"),
    ("ΓΧ", "NCH"), ("ΑΙ", "AI"), ("ΕΙ", "EI"), ("ΟΙ", "OI"), ("ΗΥ", "IV"),
)  # fmt: skip
"""ELOT 743 digraphs, applied before the single letters."""

KOREAN_SURNAMES: dict[str, str] = {
    "김": "KIM", "이": "LEE", "박": "PARK", "최": "CHOI", "정": "JUNG", "강": "KANG",
    "조": "CHO", "윤": "YOON", "장": "JANG", "임": "LIM", "한": "HAN", "오": "OH",
    "서": "SEO", "신": "SHIN", "권": "KWON", "황": "HWANG", "안": "AHN", "송": "SONG",
    "류": "RYU", "전": "JEON", "홍": "HONG", "고": "KO", "문": "MOON", "양": "YANG",
    "손": "SON", "배": "BAE", "백": "BAEK", "허": "HEO", "노": "NOH", "남": "NAM",
    "심": "SHIM", "유": "YOO", "하": "HA", "곽": "KWAK", "성": "SUNG", "차": "CHA",
    "주": "JOO", "우": "WOO", "구": "KOO", "민": "MIN", "진": "JIN", "나": "NA",
    "엄": "UM", "채": "CHAE", "원": "WON", "천": "CHUN", "방": "BANG", "공": "KONG",
    "현": "HYUN", "변": "BYUN", "여": "YEO", "추": "CHOO", "석": "SEOK", "선": "SUN",
    "길": "KIL", "연": "YEON", "표": "PYO", "명": "MYUNG", "기": "KI", "반": "BAN",
    "왕": "WANG", "금": "KEUM", "옥": "OK", "인": "IN", "탁": "TAK", "국": "KOOK",
}  # fmt: skip
"""Korean surnames as Korean passports customarily spell them (이 LEE, 박 PARK, 김 KIM),
used for the first syllable of a Hangul name (the surname comes first) instead of the
Revised Romanization that anyascii gives (I, BAG, GIM)."""

ABJADS = frozenset({"Arab", "Hebr", "Syrc", "Thaa"})
"""Scripts that write no short vowels: their names are compared by consonants too."""
_ABJAD_BLOCKS = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010ec0-\U00010eff\U0001ee00-\U0001eeff]"
)
"""The Unicode blocks of the ``ABJADS`` letters (Hebrew to Arabic Extended-A, their
presentation forms, Arabic Extended-C and mathematical letters), and a few more."""


def abjad_of(text: str) -> str:
    """The script of ``ABJADS`` most of a name's letters are in (``Arab``, ``Hebr`` …), or "":
    a name with no letter of their blocks, the common case, is not read letter by letter."""
    if _ABJAD_BLOCKS.search(text) is None or _TURKIC.search(text):
        return ""
    script = script_of(text)
    return script if script in ABJADS else ""


_GREEK_INITIAL = ((re.compile(r"\bΜΠ"), "B"), (re.compile(r"\bΝΤ"), "D"))
_GREEK_F = re.compile("([ΑΕΗ])Υ(?=[ΘΚΞΠΣΤΦΧΨ]|(?![Α-Ω]))")
"""ΑΥ, ΕΥ, ΗΥ before a voiceless consonant or at a word's end: AF, EF, IF by ELOT 743
(``Ελευθέριος`` ELEFTHERIOS, ``Γλαύκος`` GLAFKOS; before a vowel or voiced one AV, EV, IV:
``Ευάγγελος`` EVANGELOS)."""
_GREEK_F_VOWEL = {"Α": "AF", "Ε": "EF", "Η": "IF"}
_GREEK_TABLE = str.maketrans(dict(GREEK.items()))
_PERSIAN_TABLE = str.maketrans(PERSIAN_READINGS)
_HEBREW_SH = re.compile("ש(?![\u05b0-\u05c1]*\u05c2)")
"""ש is SH (Shimon, Moshe) but with the sin dot (שׂ), which a list seldom writes; anyascii
wrote S for both."""
_HEBREW_LETTERS = frozenset("שוי")
_HEBREW_TABLE = str.maketrans({"ו": "W"})
"""ו is W, as Arabic و is romanised: a vowel (O, U) or V in Latin, never the B that anyascii's
V for both ו and ב let it be taken for (``אורי`` URI is no BARI); doubled, וו is the consonant
V and יי one Y (``חיים`` HYM, CHAIM)."""
GERESH = "\u05f3"
_GERESH_SOUNDS = {"ג": "J", "ז": "ZH", "צ": "CH", "ץ": "CH", "ח": "KH", "ע": "GH", "ת": "TH",
                  "ד": "DH"}  # fmt: skip
_GERESH_LETTER = re.compile(f"([{''.join(_GERESH_SOUNDS)}]){GERESH}")
"""A Hebrew letter the geresh (``׳``, or an apostrophe typed for it) gives a sound Hebrew
lacks, as Hebrew writes Arabic, English and Slavic names: ג׳ J (``ג׳מאל`` Jamal), ז׳ ZH
(``ז׳אק`` Jacques), צ׳ and a last ץ׳ CH (``צ׳רצ׳יל`` Churchill, ``סמוטריץ׳`` Smotrich), ח׳ KH
(خ), ע׳ GH (غ: ``ע׳סאן`` Ghassan), ת׳ TH (ث), ד׳ DH (ذ). Without it anyascii read ע׳ as
nothing, ג׳ as G, ץ׳ as TS."""
_ABD_AL = re.compile(r"(?<!\w)عبد(?=ال\w)")
"""عبدالرحمن written as one word is ABD AL-RAHMAN: split so that it folds to ABDUL RAHMAN."""
URDU_LETTER_NAMES: dict[str, str] = {
    "اے": "A", "بی": "B", "سی": "C", "ڈی": "D", "ای": "E", "ایف": "F", "جی": "G", "ایچ": "H",
    "آئی": "I", "جے": "J", "کے": "K", "ایل": "L", "ایم": "M", "این": "N", "او": "O", "پی": "P",
    "کیو": "Q", "آر": "R", "ایس": "S", "ٹی": "T", "یو": "U", "وی": "V", "ڈبلیو": "W",
    "ایکس": "X", "وائی": "Y", "زیڈ": "Z",
}  # fmt: skip
"""English letters' names as Urdu writes them: Pakistani names' initials, each with a dot
(``اے۔ کیو۔ خان`` A. Q. Khan), read as the letter."""
HEBREW_INITIALS: dict[str, str] = dict(
    zip("אבגדהוזחטיכלמנסעפצקרשת", "ABGDHVZHTYKLMNSAPZKRST", strict=True)
)
"""A Hebrew letter a dot ends, the initial of a name, as the Latin initial of the names it
starts (``א. ב. יהושע`` A. B. Yehoshua: א A, as in Avraham, Aharon; ב B; ש S, of Shmuel)."""
_ABJAD_INITIAL = re.compile(r"(?<!\w)([\u05d0-\u05ea\u0621-\u06d3]{1,5})[.\u06d4]")
"""A short Hebrew or Arabic-script word a dot ends (``۔``, Urdu's full stop, or ``.``)."""
_URDU_SPELLING = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_URDU_NAMED = "|".join(
    name.replace("ی", "[یيى]").replace("ک", "[کك]")
    for name in sorted(URDU_LETTER_NAMES, key=len, reverse=True)
)
_URDU_LETTERS_RUN = re.compile(f"(?<!\\w)(?:(?:{_URDU_NAMED}) +)+(?:{_URDU_NAMED})(?!\\w)")
"""Two or more Urdu letters' names in a row with no dots, as Urdu often writes initials
(``اے آر رحمان``, A. R. Rahman)."""


def _letter_named(found: re.Match[str]) -> str:
    """The Latin letter an Urdu letter's name or a Hebrew letter a dot ends stands for,
    apart from the words beside it; another word as it was, without the dot."""
    word = found.group(1)
    letter = HEBREW_INITIALS.get(word) or URDU_LETTER_NAMES.get(word.translate(_URDU_SPELLING))
    return f" {letter} " if letter else word + " "


def _letters_named(found: re.Match[str]) -> str:
    """The Latin letters a run of Urdu letters' names (:data:`_URDU_LETTERS_RUN`) stands for."""
    words = found.group().translate(_URDU_SPELLING).split()
    return " ".join(URDU_LETTER_NAMES[word] for word in words)


def unmarked_initials(text: str) -> bool:
    """Whether ``text`` has initials written with no dot, which :func:`romanise` reads with
    ``how="initials"``: a word of a script of India written as letters' names, or Urdu
    letters' names in a row."""
    return _URDU_LETTERS_RUN.search(text) is not None or has_joined_initials(text)


_ABD_JOINED = re.compile(r"(?<=\w\w\w)عبد(?!\w)")
"""عبد written onto the name before it (محمدعبد البصير, MOHAMMAD ABDUL BASIR): split off."""
_INITIAL_AYN = re.compile(r"(?<!\w)ع")
"""ع starting a word is written as a vowel in Latin (OMAR, ALI, ABD); inside one, dropped.
Applied once the article is split off: العوني is AL OUNI, not AL WNY."""
_TURKIC = re.compile("(?<!\\w)ئ|ى(?=\\w)|[ۇۈۋ]")
"""The Arabic script of Uyghur (and of Kazakh and Kyrgyz in China): a word that starts with
its vowel's bearer ئ, a ى inside a word (Arabic writes it only last, as an A: موسى MUSA), or
the letters ۇ ۈ ۋ. Such a name writes every vowel and is read as an alphabet, not an abjad
(:data:`TURKIC_LETTERS`)."""
TURKIC_LETTERS: dict[str, str] = {
    "ئ": "", "ى": "I", "و": "O", "ۇ": "U", "ۆ": "O", "ۈ": "U", "ې": "E", "ە": "E", "ۋ": "W",
    "ڭ": "NG", "ٵ": "A", "ٶ": "O", "ٷ": "U",
}  # fmt: skip
"""The vowels of Uyghur's Arabic script (and Kazakh's ٵ ٶ ٷ) → the Latin letters its Latin
alphabet and its speakers' passports write (``ئىلھام توختى`` ILHAM TOKHTI, ``نۇر بەكرى`` NUR
BEKRI); ئ only bears a vowel that starts a word or a syllable. Its consonants are Arabic's."""
_TURKIC_TABLE = str.maketrans(TURKIC_LETTERS)
SYRIAC_AS_ARABIC: dict[str, str] = {
    "ܐ": "ا", "ܒ": "ب", "ܓ": "گ", "ܕ": "د", "ܗ": "ه", "ܘ": "و", "ܙ": "ز", "ܚ": "ح",
    "ܛ": "ط", "ܝ": "ي", "ܟ": "ك", "ܠ": "ل", "ܡ": "م", "ܢ": "ن", "ܣ": "س", "ܥ": "ع",
    "ܦ": "ف", "ܨ": "ص", "ܩ": "ق", "ܪ": "ر", "ܫ": "ش", "ܬ": "ت",
}  # fmt: skip
"""Syriac letters → the Arabic-script letters of the same sounds, so that a Syriac name is
romanised and compared as an Arabic one (ܓ the G of Persian گ, ܦ F: Aphrem): an abjad too,
whose ܐ bears a vowel and ܥ is unwritten in Latin (``ܝܥܩܘܒ`` YQWB, Yacoub); anyascii
dropped ܐ and parted the word at ܥ (Y QWB)."""
_SYRIAC = re.compile("[\u0710-\u072f]")
_SYRIAC_TABLE = str.maketrans(SYRIAC_AS_ARABIC)
_SYLLABIC = ("Hani", "Hang")
_ICAO_TABLES = ("Latn", "Cyrl", "Zyyy")
"""Scripts :mod:`edge.watchlist.normalize` transliterates by the ICAO tables itself."""
_LEFT_FOR_ICAO = ("Latn", "Cyrl")
"""Left as they are by :func:`romanise`; other marks (a Thai vowel sign) go through
anyascii with their letters, or a word would be cut at each one."""
_ARABIC_ARTICLE = re.compile(r"(?<!\w)ال(?=\w\w\w)")
_WORD_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str:
    """ISO 15924 code of one letter's script (``Zyyy`` for digits, marks, punctuation)."""
    if ch.isascii():
        return "Latn" if ch.isalpha() else "Zyyy"
    if not ch.isalpha():
        return "Zyyy"
    name = unicodedata.name(ch, "")
    for prefix, code in SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return code
    return "Zzzz"


def script_of(text: str) -> str:
    """The script most of a name's letters are written in (``Latn`` when it has none)."""
    if text.isascii():
        return "Latn"
    counts: dict[str, int] = {}
    for ch in text:
        code = char_script(ch)
        if code != "Zyyy":
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else "Latn"


def han_name(text: str) -> bool:
    """Whether ``text`` is a name written in Chinese characters as Chinese names are: two to
    four characters, surname and given name, and nothing else but spaces (a foreign name
    spelt out in characters has its dot: ``特雷莎·梅``). By its shape alone: a Japanese name
    in kanji is one too (:func:`edge.watchlist.cantonese.chinese_name` tells them apart, with
    the Japanese dictionary)."""
    letters = text.replace(" ", "")
    return 2 <= len(letters) <= 4 and all(char_script(ch) == "Hani" for ch in letters)


@lru_cache(maxsize=65536)
def romanise(text: str, how: Spelling = "said") -> str:
    """A name with its letters outside Latin and Cyrillic turned into upper-case Latin.

    Arabic-script, Syriac, Hebrew and Greek words go through their tables (an initial a dot
    ends, an English letter's name in Urdu or a Hebrew letter, as the letter), kana, the scripts
    of India, Myanmar, Tibetan, Thai and Khmer are spelt word by word, Han and Hangul are
    split into syllables, and every other letter goes through ``anyascii``; Latin and
    Cyrillic letters are left for the ICAO tables. ``how`` else than ``said``: names of Thai
    and Khmer spelt after their letters, as many of their bearers spell them (Shinawatra,
    Sar Kheng; :func:`spelt_by_sound`) — ``lettered`` Thai letters in the order said,
    silenced ones left out (ยิ่งลักษณ์ YINGLAK), ``written`` both scripts letter by letter
    as written (anyascii: YINGLAKSN; S KHENG); ``initials`` as said, with a word of a script
    of India written wholly as English letters' names read as those letters (``एमएस`` M S),
    and Urdu letters' names in a row with no dots too (``اے آر`` A R).
    """
    text = unicodedata.normalize("NFKC", text)  # Arabic presentation forms: ﻣﺤﻤﺪ → محمد
    if GERESH in text:
        text = _GERESH_LETTER.sub(lambda m: _GERESH_SOUNDS[m.group(1)], text)
    text = _ABJAD_INITIAL.sub(_letter_named, text)  # no match: the same text, one scan
    if how == "initials":
        text = _URDU_LETTERS_RUN.sub(_letters_named, text)
    if any(char_script(ch) == "Grek" for ch in text):
        text = greek(text)
    if _SYRIAC.search(text):
        text = text.translate(_SYRIAC_TABLE)
    text = _ABD_JOINED.sub(" عبد", _ABD_AL.sub("عبد ", text))
    text = _INITIAL_AYN.sub("ا", _ARABIC_ARTICLE.sub("ال ", text))
    if _TURKIC.search(text):
        text = text.translate(_TURKIC_TABLE)
    if not PERSIAN_LETTERS.isdisjoint(text):
        text = text.translate(_PERSIAN_TABLE)
    if not _HEBREW_LETTERS.isdisjoint(text):
        text = _HEBREW_SH.sub("SH", text.replace("וו", "V").replace("יי", "י"))
        text = text.translate(_HEBREW_TABLE)
    text = tibetan_words(myanmar_words(brahmic_words(kana_words(text), how == "initials")))
    if how in ("said", "initials"):
        text = khmer_words(thai_words(lao_as_thai(text)))
    elif how == "lettered":
        text = thai_words(text, by_letter=True)
    first_hangul = next((i for i, ch in enumerate(text) if char_script(ch) == "Hang"), -1)
    out = [_letter(ch, i == first_hangul) for i, ch in enumerate(text)]
    return "".join(out).upper().replace("'", "")


def _letter(ch: str, korean_surname: bool) -> str:
    """Latin letters of one character (see :func:`romanise`); ``korean_surname``: the first
    Hangul syllable of the name, spelt as passports spell surnames."""
    code = char_script(ch)
    if korean_surname and ch in KOREAN_SURNAMES:
        return f" {KOREAN_SURNAMES[ch]} "
    if code == "Arab" or ch in ARABIC:
        return ARABIC.get(ch, "")
    if code in _SYLLABIC:
        return f" {anyascii(ch)} "
    if ch.isascii() or code in _LEFT_FOR_ICAO:
        return ch
    return _WORD_SPLIT.sub(" ", anyascii(ch))


def spelt_by_sound(text: str) -> bool:
    """Whether ``text`` has a letter of Thai or Khmer script, whose names :func:`romanise`
    spells as said, and which are spelt in Latin after their letters too."""
    return _BY_SOUND.search(text) is not None


_BY_SOUND = re.compile("[\u0e01-\u0e4e\u1780-\u17d3]")


def needs_romanise(text: str) -> bool:
    """True when a name has letters that the ICAO Latin and Cyrillic tables do not cover."""
    return any(char_script(ch) not in _ICAO_TABLES for ch in text)


def unmarked_upper(text: str) -> str:
    """``text`` in capitals with its accents and other marks taken off (Greek ``Χουσεΐν``
    ΧΟΥΣΕΙΝ), as the Greek readings take a name."""
    decomposed = unicodedata.normalize("NFD", text.upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def greek(text: str) -> str:
    """Greek words in ELOT 743 Latin letters (other characters unchanged)."""
    plain = unmarked_upper(text)
    for pattern, repl in _GREEK_INITIAL:
        plain = pattern.sub(repl, plain)
    plain = _GREEK_F.sub(lambda m: _GREEK_F_VOWEL[m.group(1)], plain)
    for old, new in GREEK_DIGRAPHS:
        plain = plain.replace(old, new)
    return plain.translate(_GREEK_TABLE)
