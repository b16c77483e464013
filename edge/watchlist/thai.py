"""Names written in Thai script in Latin letters as the Royal Thai General System spells them
(RTGS, the Royal Institute's romanisation, used on Thai signs and in official lists).

Thai writes a syllable's vowel around its consonant — before it (เ แ โ ใ ไ), above, below or
after — leaves some vowels unwritten, and spells a consonant one way at the start of a
syllable and another at its end. A table of letters (anyascii) follows the writing: it puts
the vowel before the consonant, writes no unwritten vowel, and gives each letter its value
at the start, so ``ประยุทธ์ จันทร์โอชา`` is PRAYUTHTH CHANTHROOCHA and ``สมชาย`` SMCHAY. Here:

* a leading vowel is read after the consonant (or cluster: กร KR, พล PHL) it belongs to
  (เทพ THEP, เจริญ CHAROEN: a consonant before a consonant with a vowel of its own says A);
* a consonant at the end of a syllable is said as one of K, T, P, N, M, NG, I, O (ษ T, ร N,
  ย I, ว O: ลักษณ์ LAK, สมพร SOMPHON, ชาย CHAI);
* an unwritten vowel is O in a closed syllable (สม SOM, วงษ์ WONG) and A in an open one
  (สวัสดิ์ SAWAT, อนุทิน ANUTHIN); รร is AN (สุวรรณ SUWAN); ว between two consonants is UA
  (ชวน CHUAN), อ after one O (ทอง THONG);
* a letter under the silencing mark ``์`` is not said, nor a consonant left bare before it
  after a closed syllable (จันทร์ CHAN); ร after a final at the end of a word is silent
  (วัตร WAT, ประวิตร PRAWIT); a leading ห or อ before a sonorant only marks the tone (หลีก
  LIK); tone marks are left out.

Lao script, Thai's sister, is read as the Thai letters its letters match
(:func:`lao_as_thai`) and spelt by the same rules.

Like any romanisation by rule, it cannot hear the linking vowels of Pali and Sanskrit
compounds (ชินวัตร is CHINNAWAT in RTGS; here CHINWAT), and a person's own Latin spelling
often follows the Sanskrit letters instead (Shinawatra, Abhisit); the matcher's likeness of
spellings bridges some such differences, and :func:`thai_words` ``by_letter`` spells a name
nearer them: the consonant ending a syllable as its letter (ชิดชอบ CHIDCHOB, Chidchob;
ภูมิพล PHUMIPHOL) and a last letter not said kept (ชินวัตร CHINWATR), the silenced ones left
out as said (ยิ่งลักษณ์ YINGLAK, Yingluck).
"""

from __future__ import annotations

import re

from edge.watchlist.runs import spell_runs

INITIALS: dict[str, str] = {
    "ก": "K", "ข": "KH", "ฃ": "KH", "ค": "KH", "ฅ": "KH", "ฆ": "KH", "ง": "NG", "จ": "CH",
    "ฉ": "CH", "ช": "CH", "ซ": "S", "ฌ": "CH", "ญ": "Y", "ฎ": "D", "ฏ": "T", "ฐ": "TH",
    "ฑ": "TH", "ฒ": "TH", "ณ": "N", "ด": "D", "ต": "T", "ถ": "TH", "ท": "TH", "ธ": "TH",
    "น": "N", "บ": "B", "ป": "P", "ผ": "PH", "ฝ": "F", "พ": "PH", "ฟ": "F", "ภ": "PH",
    "ม": "M", "ย": "Y", "ร": "R", "ล": "L", "ว": "W", "ศ": "S", "ษ": "S", "ส": "S",
    "ห": "H", "ฬ": "L", "อ": "", "ฮ": "H",
}  # fmt: skip
"""A consonant starting a syllable → its RTGS spelling (อ: a vowel's bearer, not said)."""
FINALS: dict[str, str] = {
    "ก": "K", "ข": "K", "ค": "K", "ฆ": "K", "ง": "NG", "จ": "T", "ช": "T", "ซ": "T",
    "ญ": "N", "ฎ": "T", "ฏ": "T", "ฐ": "T", "ฑ": "T", "ฒ": "T", "ณ": "N", "ด": "T",
    "ต": "T", "ถ": "T", "ท": "T", "ธ": "T", "น": "N", "บ": "P", "ป": "P", "พ": "P",
    "ฟ": "P", "ภ": "P", "ม": "M", "ย": "I", "ร": "N", "ล": "N", "ว": "O", "ศ": "T",
    "ษ": "T", "ส": "T", "ฬ": "N",
}  # fmt: skip
"""A consonant ending a syllable → the sound it ends it with (the others end none)."""
CLUSTERS: dict[str, str] = {
    "กร": "KR", "กล": "KL", "กว": "KW", "ขร": "KHR", "ขล": "KHL", "ขว": "KHW", "คร": "KHR",
    "คล": "KHL", "คว": "KHW", "ปร": "PR", "ปล": "PL", "พร": "PHR", "พล": "PHL", "ผล": "PHL",
    "ตร": "TR", "บร": "BR", "บล": "BL", "ดร": "DR", "ฟร": "FR", "ฟล": "FL",
    "ทร": "S", "ซร": "S", "จร": "CH", "ศร": "SR", "สร": "SR",
}  # fmt: skip
"""Two consonants said together before one vowel; in ทร, ซร, จร the ร is silent, and ศร, สร
keep the R names write (ศรี SRI)."""
LEADING = frozenset("เแโใไ")
"""Vowel signs written before the consonant they follow in speech."""
SIGNS = frozenset("ะัาำิีึืุู")
"""Vowel signs written above, below or after their consonant."""
SONORANTS = frozenset("งญนมยรลว")
"""Consonants a silent ห may lead (หลีก LIK, หญิง YING)."""
_SHORT_SIGNS = frozenset("ัิึุ")
_SILENT, _DROPPED = "์", frozenset("็่้๊๋ํ๎ฯๆ")
_TONE_ON_ONSET = re.compile("([\u0e01-\u0e2e][ัิีึืุู]?)[่้๊๋](?=[\u0e01-\u0e2e])")
"""A tone mark on a consonant with another after it: the mark stands on the last consonant of
a syllable's onset, so the two are no cluster (แก้ว KAEO, not KWAE; but แกว่ง KWAENG)."""
_RUN = re.compile("[\u0e01-\u0e4e]+")
_RI = re.compile("([กตทปศส])ฤ")  # กฤษณ์ KRIT: ฤ after these is RI, elsewhere RUE


_LAO_LETTERS = "ກຂຄງຈຊຍດຕຖທນບປຜຝພຟມຢຣລວສຫອຮະັາຳິີຶືຸູເແໂໃໄໆ່້໊໋໌"
_LAO_AS_THAI = str.maketrans(
    {
        **{lao: chr(ord(lao) - 0x80) for lao in _LAO_LETTERS},
        "ຊ": "ซ", "ຍ": "ย", "ໜ": "หน", "ໝ": "หม", "ຼ": "ล", "ໍ": "อ", "ົ": "",
    }
)  # fmt: skip
_LAO_IA = re.compile("([\u0e81-\u0eae])\u0ebd")
_LAO = re.compile("[\u0e81-\u0edf]")
_LAO_OE = re.compile("ເ([\u0e81-\u0eae])ີ(?!ຍ)")
"""Lao ເ–ີ, OE (ເລີມ LOEM), which Thai writes เ–ิ (เดิน DOEN); with ຍ after it, it is IA."""


def lao_as_thai(text: str) -> str:
    """``text`` with its Lao letters written as the Thai letters they match, which Lao names
    are then spelt by (Lao script is Thai script's sister: ໄກສອນ is ไกสอน, KAISON; Kaysone as
    its bearer spells it): ຊ as ซ S and ຍ as ย Y (Lao says S and NY), ໜ ໝ as หน หม, the
    subscript ຼ as ล of a cluster, ໍ as the vowel อ O, ົ the short O a closed Thai syllable
    leaves unwritten (ພົມ PHOM), ົວ UA, ຽ IA and ເ–ີ OE as Thai writes them (ัว, เ–ีย, เ–ิ)."""
    if _LAO.search(text) is None:
        return text
    text = _LAO_IA.sub("ເ\\1ີຍ", text.replace("ົວ", "ັວ"))
    return _LAO_OE.sub("ເ\\1ິ", text).translate(_LAO_AS_THAI)


def thai_words(text: str, by_letter: bool = False) -> str:
    """``text`` with each word of Thai script spelt in Latin capitals (the rest kept); see the
    module. ``by_letter``: each consonant that ends a syllable spelt as its letter is rather
    than as said, and a last letter said with it kept (:data:`LETTER_FINALS`)."""
    return spell_runs(_RUN, _by_letter if by_letter else _word, text)


def _by_letter(word: str) -> str:
    """One word spelt after its letters (:func:`thai_words`)."""
    return _word(word, LETTER_FINALS)


def _word(word: str, finals: dict[str, str] | None = None) -> str:
    """One word in Latin capitals: its silent letters out, its leading vowels put after their
    consonants, then read syllable by syllable (``finals``: spelt after their letters)."""
    word = _RI.sub("\\1ริ", word.replace("ํา", "ำ"))  # ำ as NFKC leaves it: ํ and า
    letters = _spoken([ch for ch in _TONE_ON_ONSET.sub("\\1|", word) if ch not in _DROPPED])
    letters = [ch for ch in _in_speech_order(letters) if ch != "|"]
    out, k = [], 0
    while k < len(letters):
        spelt, k = _syllable(letters, k, finals)
        out.append(spelt)
    return "".join(out)


def _spoken(letters: list[str]) -> list[str]:
    """The letters with each one under ``์`` left out (with a vowel sign it carries), and a bare
    consonant before it after a closed syllable (จันทร์ CHAN, ลักษณ์ LAK)."""
    while _SILENT in letters:
        k = letters.index(_SILENT)
        start = k - 1
        while start > 0 and letters[start] in SIGNS:
            start -= 1  # สวัสดิ์: ดิ์, the vowel with its consonant
        start -= _bare(letters, start)
        del letters[max(start, 0) : k + 1]
    return letters


def _bare(letters: list[str], k: int) -> bool:
    """Whether the consonant before ``k`` is bare after a short closed syllable (jan-t-r), so
    silent with the letter under ``์`` at ``k``."""
    return (
        k >= 3
        and _consonant(letters[k - 1])
        and _consonant(letters[k - 2])
        and letters[k - 3] in _SHORT_SIGNS
    )


def _consonant(ch: str) -> bool:
    """Whether ``ch`` is a Thai consonant letter."""
    return ch in INITIALS


def _in_speech_order(letters: list[str]) -> list[str]:
    """The letters with each leading vowel moved after the consonant or cluster it follows in
    speech; a consonant before one that carries the vowel then says A (written ะ here)."""
    out: list[str] = []
    k = 0
    while k < len(letters):
        ch = letters[k]
        if ch in LEADING and k + 1 < len(letters) and _consonant(letters[k + 1]):
            onset = _onset_length(letters, k + 1, led=ch)
            if onset == 0:  # เจริญ: CHA-ROEN
                out.extend([letters[k + 1], "ะ", letters[k + 2], ch])
                k += 3
            else:
                out.extend([*letters[k + 1 : k + 1 + onset], ch])
                k += 1 + onset
        else:
            out.append(ch)
            k += 1
    return out


_SILENT_R = frozenset({"ทร", "ซร", "จร"})  # clusters only in a few words (จริง CHING)
_SPLIT_AFTER = frozenset("ิีือ")  # with a leading เ: OE, IA, UEA — vowels of the second consonant


def _onset_length(letters: list[str], k: int, led: str = "") -> int:
    """How many consonants from ``k`` start one syllable: 2 for a cluster or a tone-marking ห
    (or อ before ยา, ยู) before its vowel, else 1; 0 when the leading vowel ``led`` (เ) belongs
    to the second of two consonants that are no cluster (เสถียร SATHIAN)."""
    pair = "".join(letters[k : k + 2])
    after = letters[k + 2] if k + 2 < len(letters) else ""
    if len(pair) < 2 or not _consonant(pair[1]):
        return 1
    tone_lead = (pair[0] == "ห" and pair[1] in SONORANTS) or (pair == "อย" and after in ("า", "ู"))
    tied = pair in CLUSTERS or tone_lead
    if led == "เ" and after in _SPLIT_AFTER and not (tone_lead or (tied and pair not in _SILENT_R)):
        return 0
    silent_h = pair[0] == "ห" and tone_lead and _sonorant_said(letters, k + 2)
    return 2 if tied and (led or after in SIGNS or after in LEADING or silent_h) else 1


def _sonorant_said(letters: list[str], j: int) -> bool:
    """Whether the sonorant before ``j`` has a vowel of its own with no sign written: อ, or a
    final after it (the unwritten O; ว with one, UA) — so a ห before it only marks the tone
    (หมอ MO, หลง LONG, หลวง LUANG; but หงส์ HONG, where ห has the vowel)."""
    nxt = letters[j] if j < len(letters) else ""
    return nxt == "อ" or (nxt in FINALS and letters[j - 1 : j + 1] != ["ร", "ร"])


def _syllable(letters: list[str], k: int, finals: dict[str, str] | None) -> tuple[str, int]:
    """The syllable starting at ``k`` spelt, and where the next one starts (``finals``: its
    last consonant spelt after its letter, and a silent one after it too)."""
    if not _consonant(letters[k]):  # a vowel sign with no consonant, or ฤ
        return _STRAY.get(letters[k], ""), k + 1
    onset = _onset_length(letters, k)
    pair = "".join(letters[k : k + 2])
    initial = CLUSTERS.get(pair, INITIALS[pair[-1]]) if onset == 2 else INITIALS[letters[k]]
    vowel, j, short = _vowel(letters, k + onset)
    final = ""
    if vowel == "A" and j == k + onset:
        pass  # an open syllable: the unwritten A
    elif j < len(letters) and _closes(letters, j, vowel, short):
        last = j + 1 + _silent_last(letters, j, short)
        final = "".join(finals[c] for c in letters[j:last]) if finals else FINALS[letters[j]]
        j = last
    elif vowel == "A" and letters[k + onset : k + onset + 2] == ["ร", "ร"]:
        final = "N"  # บรร BAN
    return initial + vowel + final, j


LETTER_FINALS: dict[str, str] = {**INITIALS, "ย": "I", "ญ": "N"}
"""A consonant ending a syllable → its letter's spelling, as names spelt after their Sanskrit
letters write it (ชิดชอบ Chidchob, ภูมิพล Bhumibol, ชินวัตร Shinawatra; RTGS CHITCHOP,
PHUMIPHON, CHINWAT)."""
_STRAY = {"ฤ": "RUE", "ฦ": "LUE", "เ": "E", "แ": "AE", "โ": "O", "ใ": "AI", "ไ": "AI"}


def _closes(letters: list[str], j: int, vowel: str, short: bool) -> bool:
    """Whether the consonant at ``j`` ends the syllable of ``vowel`` (``short``: a short vowel
    written) rather than starting one: a consonant with a sound at the end, no vowel of its
    own; before a last ร only where that ร is silent (ธนาธร THANATHON, จตุพร CHATUPHON, but
    วัตร WAT); ย not after I nor ว after U, which start a syllable (ปิยบุตร PIYABUT)."""
    ch = letters[j]
    if ch not in FINALS or vowel in ("AM", "AI") or _opens(letters, j):
        return False
    if (ch == "ย" and vowel == "I") or (ch == "ว" and vowel == "U"):
        return False
    return letters[j + 1 :] != ["ร"] or bool(_silent_last(letters, j, short))


_SILENT_R_AFTER = frozenset("กคจชตทธภ")
"""Consonants a last ร follows unsaid after a short vowel, as Sanskrit spells (จักร, สมัคร,
เพชร, บุตร, ภัทร); พร, ธร, กร at the end are said PHON, THON, KON."""


def _silent_last(letters: list[str], j: int, short: bool) -> int:
    """1 if the word's last letter follows the final at ``j`` unsaid: a ร after a short vowel
    (วัตร WAT), a T after a T (ยุทธ YUT, ดิษฐ DIT; but นนท์ NON); else 0."""
    if j + 2 != len(letters):
        return 0
    last, final = letters[j + 1], letters[j]
    if last == "ร":
        return int(short and final in _SILENT_R_AFTER)
    return int(last in FINALS and FINALS[last] == FINALS.get(final) == "T")


def _opens(letters: list[str], j: int) -> bool:
    """Whether the consonant at ``j`` starts a syllable: a vowel sign follows it, or รร, or อ
    or ว said as its vowel, or it starts a cluster."""
    nxt = letters[j + 1] if j + 1 < len(letters) else ""
    if _voiced(letters, j + 1) or letters[j + 1 : j + 3] == ["ร", "ร"]:
        return True
    if (
        j + 2 == len(letters)
        and nxt in FINALS
        and nxt != "ร"
        and not _silent_last(letters, j, True)
    ):
        return True  # ภูมิพล PHUMIPHON: the last consonant ends a syllable of its own
    if nxt == "อ" or (nxt == "ว" and j + 2 < len(letters) and letters[j + 2] in FINALS):
        return not _voiced(letters, j + 2)  # ทอง THONG, ชวน CHUAN; but ศิลปอาชา: อา is one
    return _onset_length(letters, j) == 2


SIGN_VOWELS: dict[str, tuple[str, bool]] = {
    "ะ": ("A", True), "ั": ("A", True), "า": ("A", False), "ำ": ("AM", False),
    "ิ": ("I", True), "ี": ("I", False), "ึ": ("UE", True), "ื": ("UE", False),
    "ุ": ("U", True), "ู": ("U", False),
}  # fmt: skip
"""A vowel sign after its consonant → (the vowel, whether it is short)."""
LED_VOWELS: dict[tuple[str, str], str] = {
    ("เ", ""): "E", ("เ", "ะ"): "E", ("เ", "ิ"): "OE", ("เ", "ี"): "IA", ("เ", "ื"): "UEA",
    ("เ", "า"): "AO", ("เ", "าะ"): "O", ("แ", ""): "AE", ("แ", "ะ"): "AE", ("โ", ""): "O",
    ("โ", "ะ"): "O", ("ใ", ""): "AI", ("ไ", ""): "AI",
}  # fmt: skip
"""(leading vowel, vowel signs after the consonant) → the vowel they write together; เ-ีย and
เ-ือ end in a ย or อ, taken with them."""


def _vowel(letters: list[str], j: int) -> tuple[str, int, bool]:
    """The vowel of a syllable whose onset ends before ``j``: (its spelling, where the letters
    after it start, whether it is short — a short vowel leaves a ร after the final silent)."""
    lead = letters[j] if j < len(letters) and letters[j] in LEADING else ""
    j += len(lead)
    signs = ""
    while j < len(letters) and letters[j] in SIGNS:
        signs, j = signs + letters[j], j + 1
    nxt = letters[j] if j < len(letters) else ""
    if lead:
        vowel = LED_VOWELS.get((lead, signs), LED_VOWELS[lead, ""])
        if (vowel in ("IA", "UEA") and nxt in ("ย", "อ")) or (vowel == "E" and nxt == "อ"):
            return ("OE" if vowel == "E" else vowel), j + 1, False  # เ-ีย, เ-ือ, เ-อ
        if vowel == "AI" and nxt == "ย" and not _opens(letters, j):
            j += 1  # ไชย CHAI
        return vowel, j, signs in ("", "ะ")
    if signs:
        return _signed(signs, letters, j)
    return _unwritten(letters, j)


def _signed(signs: str, letters: list[str], j: int) -> tuple[str, int, bool]:
    """The vowel of signs after the consonant: ัว UA, ือ UE with their letter taken."""
    vowel, short = SIGN_VOWELS[signs[0]]
    nxt = letters[j] if j < len(letters) else ""
    if (signs == "ั" and nxt == "ว") or (signs == "ื" and nxt == "อ"):
        return ("UA" if nxt == "ว" else vowel), j + 1, False
    return vowel, j, short


def _unwritten(letters: list[str], j: int) -> tuple[str, int, bool]:
    """The vowel no sign writes: รร A (a final or N follows), ว between consonants UA, อ O, O
    before the consonant that ends the syllable, else A."""
    nxt = letters[j] if j < len(letters) else ""
    if letters[j : j + 2] == ["ร", "ร"]:
        return "A", j + 2, False
    if nxt == "อ" and not _voiced(letters, j + 1):
        return "O", j + 1, False  # ทอง THONG
    closed = j + 1 < len(letters) and letters[j + 1] in FINALS and not _voiced(letters, j + 2)
    if nxt == "ว" and closed:
        return "UA", j + 1, False  # ชวน CHUAN
    if nxt in FINALS and nxt != "ว" and _closes(letters, j, "O", False):
        return "O", j, False  # สม SOM
    return "A", j, True  # สวัสดิ์ SAWAT, ณ NA


def _voiced(letters: list[str], j: int) -> bool:
    """Whether a vowel sign stands at ``j``: the consonant before it starts a syllable."""
    return j < len(letters) and (letters[j] in SIGNS or letters[j] in LEADING)
