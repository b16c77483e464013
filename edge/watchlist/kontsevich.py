"""Korean names written in Cyrillic, read as the Korean syllables they spell.

Russian writes a Korean name a syllable at a time by the Kontsevich system and the older
practice for North Korean names: ``Ким Чен Ын`` is Kim Jong Un, ``Мун Чжэ Ин`` Moon Jae-in,
``Чхве Рён Хэ`` Choe Ryong Hae. ICAO's Cyrillic letters make KIM CHEN YN, CHKHVE REN KHE of
them, which no romanisation of the Korean writes. Read back, each syllable is spelt in Latin
letters (ЧЖ and Ч as CH and J, ЧХ, КХ, ТХ, ПХ the aspirated CH, K, T, P, Ы EU, Ё YO), and the
name is compared syllable by syllable with the Latin one, strictly
(:func:`~edge.watchlist.syllables.kontsevich_key`), as a Cantonese or Wade–Giles reading of
Chinese characters is: every syllable found, each the same syllable but for what Cyrillic does
not tell apart — О is ㅗ or ㅓ, Ё ㅛ or ㅕ, and Е ㅔ or, in the North's names, ㅓ and ㅕ (정
Чен, 명 Мен, 성 Сен); a last Н is ㄴ or ㅇ (N or NG); Р and ЛЬ are ㄹ.

A name is read so when one of its first and last words is a Korean surname as Russian writes it
(:data:`SURNAMES`) and each of its words, two at least, is one to three such syllables. A
Russian given name beside one may be so made too (``Виктор Цой``, a Soviet Korean: WIK TOL
CHOI): it gets a reading beside its own, compared strictly, which a Latin name seldom meets.
Written for Borderpost from the published Kontsevich table.
"""

from __future__ import annotations

import re
from functools import lru_cache

from edge.watchlist.palladius import cyrillic_words

_ONSETS = {
    "кк": "KK", "кх": "K", "тт": "TT", "тх": "T", "пп": "PP", "пх": "P", "сс": "SS", "чч": "JJ",
    "чх": "CH", "чж": "J", "к": "K", "г": "G", "н": "N", "т": "T", "д": "D", "р": "R", "л": "L",
    "м": "M", "п": "P", "б": "B", "с": "S", "ч": "CH", "ц": "CH", "х": "H", "ш": "SH",
}  # fmt: skip
_VOWELS = {
    "ый": "UI", "йе": "YE", "ва": "WA", "вэ": "WAE", "ве": "OE", "во": "WO", "ви": "WI",
    "а": "A", "я": "YA", "о": "O", "ё": "YO", "у": "U", "ю": "YU", "ы": "EU", "и": "I",
    "э": "AE", "е": "E", "ой": "OI",
}  # fmt: skip
_FINALS = {"ль": "L", "к": "K", "н": "N", "т": "T", "м": "M", "п": "P", "р": "L"}
_SYLLABLE = re.compile(
    "({})?({})({})?".format(
        *("|".join(sorted(t, key=len, reverse=True)) for t in (_ONSETS, _VOWELS, _FINALS))
    )
)
SURNAMES = frozenset({
    "ким", "ли", "ри", "пак", "чхве", "чой", "цой", "чон", "кан", "юн", "чан", "лим", "рим",
    "хан", "о", "со", "син", "квон", "хван", "ан", "сон", "ю", "хон", "ко", "мун", "ян", "пэ",
    "пэк", "хо", "но", "нам", "сим", "ха", "квак", "чу", "у", "ку", "мин", "рю", "на", "чин",
    "ом", "пан", "кым", "тхэ", "ке", "тхак",
})  # fmt: skip
"""Korean surnames as Russian writes them (김 Ким, 이 Ли and the North's 리 Ри, 박 Пак, 최 Чхве
and Чой, 정 Чон …)."""


@lru_cache(maxsize=16384)
def korean_syllables(word: str) -> tuple[str, ...] | None:
    """A word in Cyrillic as the one to three Korean syllables it spells, in Latin letters
    (``чжэин`` JAE IN), or None when it is no such word."""
    text = word.lower()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 6), end):
            before = best[start]
            found = _SYLLABLE.fullmatch(text, start, end)
            if before is None or found is None or len(before) >= 3:
                continue
            onset, vowel, final = found.groups()
            spelt = _ONSETS.get(onset or "", "") + _VOWELS[vowel] + _FINALS.get(final or "", "")
            if best[end] is None:
                best[end] = (*before, spelt)
    return best[-1] or None


def kontsevich(text: str) -> str | None:
    """A Korean name in Cyrillic as its syllables in Latin letters, a token each (``Ким Чен
    Ын`` KIM CHEN EUN; in Ukrainian letters ``Кім Чен Ин``), or None for any other name (see
    the module). A name with no Cyrillic letter, every query from an MRZ and most listed
    names, is answered at once."""
    words = [w.lower() for w in cyrillic_words(text) or ()]
    if not words:
        return None
    if words[0] not in SURNAMES and words[-1] not in SURNAMES:
        return None
    read = [korean_syllables(w) for w in words]
    if any(r is None for r in read):
        return None
    return " ".join(s for r in read for s in r or ())
