"""Foreign names as Korean, Japanese and Chinese write them, spelt back in the letters they
came from.

Each writes a foreign name by its sound and gives a consonant that ends a syllable in the
original a vowel of its own: Korean ㅡ (EU), Japanese U, and O after T and D, Chinese a
syllable (德 DE, 斯 SI, 夫 FU). Spelt as a Korean, Japanese or Chinese name is spelt,
``도널드 트럼프`` is DO NEOL DEU TEU LEOM PEU, ``ドナルド・トランプ`` DONARUDO TORAMPU and
``特朗普`` TE LANG PU, too far from DONALD TRUMP to be found. Read as the foreign word it
transcribes, with those vowels dropped, it is DONELD TREMP (:func:`hangul_loan`), DONALD
TRAMP (:func:`katakana_loan`) and TRAMP (:func:`han_loan`): a letter or two away, which the
comparison forgives.

None of the scripts tells all the letters of the original apart — Korean ㅂ is B and V, ㅍ P
and F; Japanese has one R for R and L, and writes V as B, TI as CHI and DI as JI where it has no
such sound (ラブロフ, プーチン, ウラジーミル); Chinese L and 尔 — so a name gets a reading in each
of a few styles (:func:`loan_readings`): as English is spelt (B, P; ル ending a syllable L, as
in DONALD), as the languages of the continent are (V, F; R: LAVROF, MERKER; katakana's TI,
DI and VL: VLADIMIR PUTIN, and its V for B in a reading of its own), and with L throughout
(KLINTON). Each is one more rendering of the name
(:func:`edge.watchlist.normalize.renderings`), never the only one.

Korean and Chinese names are written in the same scripts, and are no foreign words. A name in
Hangul is read so only when it has a syllable whose ㅡ Korean added (드, 스, 블 before ㄹ: no
Korean name has one), or a word of three syllables or more beside another word (a Korean
given name has two, a surname one or two). Read as foreign words without that test, the Korean
names among 20,000 generated people on no list raised 108 more alerts against the UN and
OFAC lists. A name in Chinese characters is read so only when a dot parts its words
(唐纳德·特朗普), as Chinese writes foreign names and never its own; one in katakana, which
Japanese keeps for foreign names, always.

Greek and Russian have letters for most sounds of a foreign name, and write the few they lack
with others: Greek B as ΜΠ, D as ΝΤ, J as ΤΖ (:func:`greek_loan`: ``Τζο Μπάιντεν`` JO BAIDEN,
which ELOT 743 spells TZO BAINTEN), Russian the W of an English name as У (``Уоррен``
WORREN). A name in Greek letters gets that reading whatever it is (``Αντώνης`` ADONIS beside
ANTONIS); one in Cyrillic only when a word starts with У before a vowel, as few Russian
words do.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from edge.watchlist.japanese import N_LIPS, hepburn
from edge.watchlist.runs import spell_runs
from edge.watchlist.scripts import greek, unmarked_upper

_SYLLABLES = ("\uac00", "\ud7a3")
"""The first and last Hangul syllable block: 19 initials × 21 vowels × 28 finals."""
_INITIALS = ("G", "K", "N", "D", "T", "R", "M", "B", "P", "S", "S", "", "J", "J", "CH", "K",
             "T", "P", "H")  # fmt: skip
"""The 19 initial consonants as they stand for a foreign name's:
ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ."""
_VOWELS = ("A", "A", "YA", "YE", "E", "E", "YO", "YE", "O", "WA", "WE", "WE", "YO", "U",
           "WO", "WE", "WI", "YU", "", "UI", "I")  # fmt: skip
"""The 21 vowels, ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ, as they stand for a
foreign name's: ㅐ the A of English (캐머런 CAMERON), ㅓ E, for it writes the vowel English
spells A, E, O or U alike (널 DONALD, 머 CAMERON, 턴 CLINTON, 럼 TRUMP: on the names the
rules were written on, E found one more than A, O or U), ㅡ none."""
_FINALS = ("", "K", "K", "KS", "N", "NJ", "NH", "T", "L", "LK", "LM", "LB", "LS", "LT",
           "LP", "LH", "M", "P", "PS", "T", "S", "NG", "J", "CH", "K", "T", "P", "H")  # fmt: skip
"""The 28 finals: none, then ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ."""
_G, _R, _S, _NONE, _J, _CH = 0, 5, 9, 11, 12, 14
"""Initials (ㄱ ㄹ ㅅ ㅇ ㅈ ㅊ) by index: ㅇ is no consonant at the start of a syllable."""
_EU, _WI = 18, 16
"""Vowels (ㅡ ㅟ) by index."""
_L_FINAL, _NG_FINAL = 8, 21
"""Finals (ㄹ ㅇ) by index."""
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_CONTINENTAL = str.maketrans("BP", "VF")


def hangul_loan(word: str, continental: bool = False) -> str:
    """A word of Hangul syllables spelt as the foreign word it transcribes (``트럼프`` TREMP,
    ``앙겔라`` ANGELA, ``블라디보스토크`` BLADIBOSTOK): ㅡ after a consonant dropped, ㄹ ending a
    syllable or doubled (ㄹㄹ) L and otherwise R, ㅇ then ㄱ one NG. ``continental``: ㅂ as V, ㅍ
    as F and ㄹ starting the word as L (``라브로프`` LAVROF). Other characters are dropped."""
    blocks = [_parts(ch) for ch in word if _SYLLABLES[0] <= ch <= _SYLLABLES[1]]
    spelt = "".join(
        _onset(initial, vowel, blocks[i - 1][2] if i else 0) + _FINALS[final]
        for i, (initial, vowel, final) in enumerate(blocks)
    )
    if not continental or not blocks:
        return spelt
    return ("L" + spelt[1:] if blocks[0][0] == _R else spelt).translate(_CONTINENTAL)


def _parts(block: str) -> tuple[int, int, int]:
    """Initial, vowel and final of one Hangul syllable block (indices of the tables)."""
    n = ord(block) - ord(_SYLLABLES[0])
    return n // 588, n // 28 % 21, n % 28


def _onset(initial: int, vowel: int, final_before: int) -> str:
    """A syllable's initial and vowel, given the final of the syllable before it."""
    sound = "EU" if vowel == _EU and initial == _NONE else _VOWELS[vowel]
    if vowel == _WI and initial != _NONE:
        sound = "U"  # 뤼, 쥐: the French and German U (TRUDEAU, JUSTIN)
    if (initial == _R and final_before == _L_FINAL) or (
        initial == _G and final_before == _NG_FINAL
    ):
        return sound  # ㄹㄹ one L (블라 BLA), ㅇㄱ one NG (앙겔 ANGE): spelt by the final
    if initial == _S and sound[:1] in ("Y", "W"):
        return "SH" + sound[1:]  # 샤 SHA, 쇼 SHO, 쉬 SHI
    if initial in (_J, _J + 1, _CH) and sound.startswith("Y"):
        return _INITIALS[initial] + sound[1:]  # 쟈 JA, 챠 CHA
    if initial == _CH and vowel == _EU:
        return "TS"  # 츠: German Z, Russian Ц (숄츠 SHOLTS)
    return _INITIALS[initial] + sound


def _foreign(words: list[str]) -> bool:
    """Whether Hangul words are a foreign name, not a Korean one (see the module)."""
    if len(words) > 1 and max(map(len, words)) >= 3:
        return True
    return any(map(_added_vowel, words))


def _added_vowel(word: str) -> bool:
    """Whether ``word`` has a syllable whose ㅡ Korean added to a consonant: none after it
    (드, 스) or ㄹ before another ㄹ (블라)."""
    blocks = [_parts(ch) for ch in word]
    nexts = [b[0] for b in blocks[1:]] + [-1]
    return any(
        vowel == _EU and initial != _NONE and (final == 0 or (final == _L_FINAL and n == _R))
        for (initial, vowel, final), n in zip(blocks, nexts, strict=True)
    )


_KATAKANA_RUN = re.compile("[\u30a1-\u30fa\u30fc]+")
_SMALL = "ァィゥェォャュョヮ"
_MORA = re.compile(f"ッ?[\u30a1-\u30fa](?<![{_SMALL}])[{_SMALL}]?ー*|ッ|ー")
"""One mora: a kana, with the ッ that doubles its consonant, a small kana that changes its
sound (ティ, シャ) and the long-vowel mark."""
_KEPT = "ーァィゥェォ"
"""A mora ending in one of these is as written: long (ー), or a sound Japanese lacks (ドゥ DU)."""
_ADDED_U = re.compile("^[^AEIOUYW]+U$")
_ADDED_O = ("TO", "DO", "TTO", "DDO")
_W_GLIDES = {"ウィ": "WI", "ウェ": "WE", "ウォ": "WO"}


def katakana_loan(word: str, style: int = 0) -> str:
    """A word in katakana spelt as the foreign word it transcribes: the U Japanese adds to a
    lone consonant (ス, ク, ル …) and the O it adds to T and D (ト, ド) dropped where a
    consonant or the word's end follows, never from a long mora or one with a small vowel
    (``ドナルド`` DONALD, ``トランプ`` TRAMP, ``フィデル`` FIDEL). Japanese has one R for R and L:
    ``style`` 0 reads ru so left as L and every other as R, 2 all as L (``クリントン``
    KLINTON), and 1 all as R (``メルケル`` MERKER) but a word's first, with the sounds
    Japanese writes a name of the continent with (:func:`_continental`: ``プーチン`` PUTIN);
    3 as 1, with B read as V too (``ラブロフ`` LAVROF)."""
    morae = _MORA.findall(word)
    spelt = [*map(hepburn, morae), ""]
    if style in (1, 3):
        spelt = _continental(morae, spelt, v_for_b=style == 3)
    out: list[str] = []
    for i, mora in enumerate(morae):
        latin, after = _W_GLIDES.get(mora) or spelt[i], spelt[i + 1]
        if mora[-1] not in _KEPT and _added(latin, after, first=i == 0):
            latin = latin[:-1]
            latin = "L" if latin == "R" and style in (0, 2) else latin
        out.append(latin.replace("R", "L") if style == 2 else latin)
    return N_LIPS.sub("M", "".join(out))


def _continental(morae: list[str], spelt: list[str], v_for_b: bool) -> list[str]:
    """The Hepburn of a word's morae read with the sounds Japanese lacks and writes otherwise
    in a Russian, German or Spanish name: TI written チ (``プーチン`` PUTIN), a stressed DI
    written ジー (``ウラジーミル``, ``ゲンナジー`` GENNADI; a short ジ is as often Ж or З,
    ``ジリノフスキー``), VL written ウラ (VLADIMIR: a first ウ before ra, ri, re or ro is V),
    the R starting a word as L, as Korean's continental reading has it (:func:`hangul_loan`),
    and with ``v_for_b`` V written B (``ラブロフ`` LAVROF, ``チャベス`` CHAVES; apart, for
    GORBACHEV's B is one). Each is one reading more, never the only one."""
    out = [s.replace("B", "V") for s in spelt] if v_for_b else list(spelt)
    for i, mora in enumerate(morae):
        bare = mora.rstrip("ー")
        if bare == "チ":
            out[i] = "TI"
        elif bare in ("ジ", "ヂ") and bare != mora:
            out[i] = "DI"
    first = int(morae[:1] == ["ウ"] and morae[1:2] != [] and morae[1][0] in "ラリレロ")
    if first:
        out[0] = "V"
    if out[first].startswith("R"):
        out[first] = "L" + out[first][1:]
    return out


def _added(latin: str, after: str, first: bool) -> bool:
    """Whether the vowel of a mora spelt ``latin`` is one Japanese added to a consonant, given
    the mora ``after`` it (:func:`_alone`)."""
    return (_ADDED_U.match(latin) is not None or latin in _ADDED_O) and _alone(latin, after, first)


def _alone(spelt: str, after: str, first: bool) -> bool:
    """Whether the vowel of a syllable spelt ``spelt``, which may stand for none, does, given
    the syllable ``after`` it ("" at the word's end): a consonant must follow, and after the
    first syllable of a word only R or L (TR, KL …) or, after S, any (SM, ST)."""
    if not after:
        return not first
    if after[0] in "AEIOU" or after in ("N", "R"):  # ン, 尔: no consonant of a syllable
        return False
    return not first or after[0] in "RL" or spelt in ("SU", "SI")


@lru_cache(maxsize=16384)
def loan_readings(text: str) -> tuple[str, ...]:
    """A name with each word in katakana, in Hangul or Chinese characters when they are a
    foreign name's, spelt by :func:`katakana_loan`, :func:`hangul_loan` or :func:`han_loan`
    in each style (see the module); one in Greek letters by :func:`greek_loan`, and one in
    Cyrillic with a word that starts with У before a vowel with W for it; none for a name
    with no such word."""
    if _GREEK_LETTER.search(text) is not None:
        return (greek_loan(text),)
    if _CYRILLIC_W.search(text) is not None:  # Уоррен WORREN: English W as Russian writes it
        return (_CYRILLIC_W.sub("W", text),)
    hangul = _HANGUL_RUN.findall(text)
    foreign = bool(hangul) and _foreign(hangul)
    kana = _KATAKANA_RUN.search(text) is not None
    han = not kana and NAME_DOT.search(text) is not None and _HAN_CHAR.search(text) is not None
    if not foreign and not kana and not han:
        return ()
    return tuple(dict.fromkeys(_spelt(text, style, foreign, han) for style in (0, 1, 2, 3)))


def _spelt(text: str, style: int, hangul: bool, han: bool) -> str:
    """``text`` with its katakana, its Hangul if ``hangul`` and its Chinese characters if
    ``han``, spelt in ``style``."""
    if hangul:
        text = spell_runs(_HANGUL_RUN, lambda w: hangul_loan(w, continental=style == 1), text)
    if han:
        text = spell_runs(_HAN_WORD, lambda w: han_loan(w, style), text)
    return spell_runs(_KATAKANA_RUN, lambda w: katakana_loan(w, style), text)


_HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
_HAN_CHAR, _HAN_WORD = re.compile(_HAN), re.compile(_HAN + "+")
NAME_DOT = re.compile("[\u00b7\u2027\u2022\u30fb\uff65]")
"""The dots Chinese writes between the words of a foreign name (唐纳德·特朗普)."""
_PINYIN = re.compile("^(ZH|CH|SH|[BPMFDTNLGKHJQXRZCSYW])?([AEIOUV]*(?:NG|N|R)?)$")
_HAN_READINGS = {
    "勒": "LE", "什": "SHI", "伯": "BO", "科": "KO", "埃": "E", "乔": "JO", "约": "JO",
    "菲": "FI", "希": "HI", "莎": "SA", "戈": "GO",
}  # fmt: skip
"""Characters read otherwise in a foreign name than the table of characters reads them: 勒
LE (not LEI), 什 SHI, 科 KO (科菲 KOFI), 埃 E (埃尔多安 ERDOAN), 乔 and 约 JO (乔 JOE, 约翰 JOHN),
菲 FI (菲德尔 FIDEL), 希 HI (希拉里 HILARI), 莎 SA, 戈 GO (乌戈 UGO)."""
_HAN_INITIALS = {"ZH": "Z", "Q": "CH", "X": "S", "C": "TS"}
_HAN_FINALS = {
    "EI": "E", "AO": "O", "OU": "U", "ANG": "AN", "ENG": "EN", "ING": "IN", "ONG": "ON",
    "UO": "O", "IAN": "EN", "IE": "E", "IANG": "YAN", "IAO": "YAO", "IU": "U", "ER": "R",
    "UN": "ON",
}  # fmt: skip
"""Pinyin finals as they stand for a foreign name's vowels (梅 MAY, 奥 OBAMA, 罗 ROBERT, 顿
CLINTON)."""
_PALATAL_FINALS = {"IA": "A", "IE": "E", "IAO": "O", "IAN": "EN", "IANG": "AN", "IONG": "ON"}
"""After J, Q, X: the I is the consonant's (贾 JA, 谢 SE)."""
_ADDED_VOWEL = {"E": "DTKGLH", "I": ("S", "Z", "C", "SH", "ZH", "CH", "R"), "U": "FPBM"}
"""The pinyin vowel of a syllable that stands for a lone consonant, by the pinyin consonants
it follows (德 DE D, 斯 SI S, 夫 FU F)."""


def han_loan(word: str, style: int = 0) -> str:
    """A word of Chinese characters spelt as the foreign word they transcribe (``特朗普``
    TLAMP, ``萨达姆`` SADAM): the vowel of a syllable that stands for a lone consonant (德,
    斯, 夫) dropped as in :func:`katakana_loan`. Chinese has L and no R but 尔 (ER):
    ``style`` 0 keeps both, 1 reads L as R (TRAMP), 2 尔 as L (``菲德尔`` FIDEL)."""
    sylls = [_han_syllable(ch) for ch in word if _HAN_CHAR.match(ch)]
    out: list[str] = []
    for i, (initial, final, lone) in enumerate(sylls):
        after = "".join(sylls[i + 1][:2]) if i + 1 < len(sylls) else ""
        if lone and _alone(initial + final, after, first=i == 0):
            final = ""
        if style == 1 and initial == "L":
            initial = "R"
        out.append("L" if style == 2 and not initial and final == "R" else initial + final)
    return N_LIPS.sub("M", "".join(out))


def _han_syllable(ch: str) -> tuple[str, str, bool]:
    """Initial and final of a character's syllable as a foreign name's sounds, and whether
    its vowel may stand for none (:data:`_ADDED_VOWEL`)."""
    pinyin = _HAN_READINGS.get(ch) or anyascii(ch).upper()
    m = _PINYIN.match(pinyin)
    if m is None:
        return "", pinyin, False
    initial, final = m.group(1) or "", m.group(2)
    lone = initial != "" and initial in _ADDED_VOWEL.get(final, ())
    if initial in ("J", "Q", "X") and final in _PALATAL_FINALS:
        final = _PALATAL_FINALS[final]
    elif initial == "Y" and final[:1] in ("I", "U"):
        initial = "" if final[0] == "I" else "Y"
    elif initial == "W" and final == "U":
        initial = ""
    else:
        final = _HAN_FINALS.get(final, final)
    return _HAN_INITIALS.get(initial, initial), final, lone


_CYRILLIC_W = re.compile("(?<![^\\W\\d_])[Уу](?=[АЭИОЕаэиое])")
"""A У that starts a word before a vowel: the W of an English name as Russian writes it
(Уильям, Уоррен, Уэйн, Уолтер), which ICAO's U spells UILIAM, UORREN."""
_GREEK_LETTER = re.compile("[\u0391-\u03c9\u1f00-\u1ffc]")
_GREEK_FOREIGN = (
    (re.compile("ΝΓΚ"), "NG"), (re.compile("ΜΠ(?![Α-Ω])"), "MP"), (re.compile("ΜΠ"), "B"),
    (re.compile("ΝΤ"), "D"), (re.compile("ΓΚ"), "G"), (re.compile("ΤΖ"), "J"),
    (re.compile("ΤΣ"), "CH"), (re.compile("ΟΥ"), "U"), (re.compile("ΓΙ(?=[ΑΕΗΙΟΥΩ])"), "Y"),
    (re.compile("Χ"), "H"),
)  # fmt: skip
"""How Greek writes the sounds of a foreign name it has no letter for, read back: B as ΜΠ (but
a last ΜΠ, Τραμπ Trump), D as ΝΤ, G as ΓΚ (ΝΓΚ the NG of Τζινπίνγκ), J as ΤΖ, CH as ΤΣ, U as
ΟΥ, Y as ΓΙ before a vowel, H as Χ."""


def greek_loan(text: str) -> str:
    """A name in Greek letters read as Greek writes a foreign name (``Τζορτζ Μπους`` JORJ BUS,
    ``Σαντάμ Χουσεΐν`` SADAM HUSEIN; ELOT 743, the ICAO rendering, spells them TZORTZ BOUS,
    SANTAM CHOUSEIN); the letters of no such sound by ELOT 743. One rendering more: a Greek
    name read so (``Αντώνης`` ADONIS, not ANTONIS) keeps its own."""
    plain = unmarked_upper(text)
    for pattern, latin in _GREEK_FOREIGN:
        plain = pattern.sub(latin, plain)
    return greek(plain)
