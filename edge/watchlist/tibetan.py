"""Names written in Tibetan script (Tibetan, and Dzongkha in Bhutan), spelt as their bearers
spell them in Latin: each syllable as said, two syllables a word (``བསྟན་འཛིན་རྒྱ་མཚོ``
TENDZIN GYATSO, Tenzin Gyatso).

Tibetan spells a syllable with letters it no longer says: a prefix before the root letter
(ག ད བ མ འ), a letter written above it (ར ལ ས), and after the vowel a suffix and a second
suffix. A table of letters (anyascii) writes them all (BSTN DZIN RGY MTSHO). Here, as the
common phonetic spellings of names do: prefixes and the letters above are not said (but ད
before བ is W: དབང WANG); a root with a letter below says a cluster of its own (ཕྱ and པྱ CH,
བྱ J, ཀྲ and ཏྲ TR, གྲ and བྲ DR, ཟླ D, བླ L, ལྷ LH); ད, ན, ལ and ས after the vowel A make it
E (བསྟན TEN, སྐལ KEL); ག ང ན བ མ ར ལ end the syllable as K NG N P M R L, and ད ས འ are
not said. The script parts syllables, not words: Tibetan names are of two-syllable words
(Tenzin, Gyatso, Tsering, Dolma), so the syllables of a run are joined two by two.
"""

from __future__ import annotations

import re

from edge.watchlist.runs import spell_runs

INITIALS: dict[str, str] = {
    "ཀ": "K", "ཁ": "KH", "ག": "G", "ང": "NG", "ཅ": "CH", "ཆ": "CH", "ཇ": "J", "ཉ": "NY",
    "ཏ": "T", "ཐ": "TH", "ད": "D", "ན": "N", "པ": "P", "ཕ": "PH", "བ": "B", "མ": "M",
    "ཙ": "TS", "ཚ": "TS", "ཛ": "DZ", "ཝ": "W", "ཞ": "ZH", "ཟ": "Z", "འ": "", "ཡ": "Y",
    "ར": "R", "ལ": "L", "ཤ": "SH", "ས": "S", "ཧ": "H", "ཨ": "",
}  # fmt: skip
"""A root letter → how a name's Latin spelling writes it (འ and ཨ: a vowel's bearer)."""
CLUSTERS: dict[str, str] = {
    "ཀྱ": "KY", "ཁྱ": "KHY", "གྱ": "GY", "པྱ": "CH", "ཕྱ": "CH", "བྱ": "J", "མྱ": "NY",
    "ཀྲ": "TR", "ཏྲ": "TR", "པྲ": "TR", "ཁྲ": "TR", "ཐྲ": "TR", "ཕྲ": "TR", "གྲ": "DR",
    "དྲ": "DR", "བྲ": "DR", "སྲ": "S", "ཧྲ": "HR", "ཀླ": "L", "གླ": "L", "བླ": "L",
    "རླ": "L", "སླ": "L", "ཟླ": "D", "ལྷ": "LH",
}  # fmt: skip
"""A root with a letter below it (ྱ ྲ ླ), or ལ above ཧ → the sound they make together."""
FINALS: dict[str, str] = {
    "ག": "K", "ང": "NG", "ད": "", "ན": "N", "བ": "P", "མ": "M", "འ": "", "ར": "R", "ལ": "L",
    "ས": "",
}  # fmt: skip
"""A suffix → how the syllable ends (ད, ས, འ not said)."""
VOWEL_SIGNS: dict[str, str] = {"ི": "I", "ུ": "U", "ེ": "E", "ོ": "O", "ཱ": "A", "ྀ": "I"}
"""A vowel sign → its vowel (the root says A without one)."""
_BA = frozenset({"BA", "BO", "BE", "BI", "BU"})
"""བ alone as a word's second syllable, said W (ཟླ་བ DAWA, རྒྱལ་བ GYALWA)."""
_E_AFTER = frozenset("དནལས")
"""Suffixes that make a syllable's A an E (བསྟན TEN, སྐལ KEL, ཆོས CHO)."""
_PREFIXES = frozenset("གདབམའ")
_ABOVE = frozenset("རལས")
_SUBSCRIPTS = frozenset("ཡརལཝཧ")
"""Letters written below a root (ྱ ྲ ླ ྭ, and ཧ below ལ), not the root below a letter above."""
_SUBJOINED = 0x50
"""How far a subjoined letter's code point lies after its letter's (ྒ after ག)."""
_RUN = re.compile("[\u0f00-\u0fff]+")
_SIGNS = re.compile("[^\u0f40-\u0fbc]+")
"""Signs between syllables (the tsheg ་, the shad །) and any other that is no letter."""


def tibetan_words(text: str) -> str:
    """``text`` with each run of Tibetan script spelt in Latin capitals (the rest kept), its
    syllables two by two a word; see the module."""
    return spell_runs(_RUN, _run, text)


def _run(run: str) -> str:
    """A run of Tibetan letters and signs spelt: each syllable as said, and two a word, as
    the names' Latin spellings join them (a last one alone; a Sanskrit word is one)."""
    words: list[str] = []
    half = ""
    for syllable in filter(None, _SIGNS.split(run)):
        spelt, whole = _syllable(syllable)
        if whole or half:
            spelt = f"W{spelt[1:]}" if half and not whole and spelt in _BA else spelt
            words += [half + spelt] if not whole else [half, spelt]
            half = ""
        else:
            half = spelt
    return " ".join(filter(None, [*words, half]))


def _syllable(letters: str) -> tuple[str, bool]:
    """One syllable, its letters between two tshegs, spelt as said, and whether it is a
    whole word (a Sanskrit one written as one syllable: པདྨ PADMA)."""
    stack_at = next((i for i, ch in enumerate(letters) if _is_subjoined(ch)), -1)
    if stack_at > 0 and _conjunct(letters[stack_at - 1 : stack_at + 1]):
        return _sanskrit(letters), True
    if stack_at > 0:
        root = stack_at - 1
    else:
        vowel_at = next((i for i, ch in enumerate(letters) if ch in VOWEL_SIGNS), -1)
        root = _bare_root(letters, vowel_at)
    head, after = _head(letters, root)
    vowel = next((VOWEL_SIGNS[ch] for ch in after if ch in VOWEL_SIGNS), "A")
    rest = [ch for ch in after if ch in FINALS]
    final = FINALS[rest[0]] if rest else ""
    if vowel == "A" and rest and rest[0] in _E_AFTER:
        vowel = "E"
    w = root > 0 and letters[root - 1 : root + 1] == "དབ" and head == "B"
    return ("W" if w else head) + vowel + final, False


def _conjunct(stack: str) -> bool:
    """Whether two letters one below the other are a conjunct of a Sanskrit word (དྨ of པདྨ,
    Padma), not a root with a letter above or below it."""
    above, below = stack[0], _letter(stack[1])
    return above not in _ABOVE and below not in _SUBSCRIPTS


def _sanskrit(letters: str) -> str:
    """A syllable of a Sanskrit word spelt letter by letter, each consonant with the vowel A
    unless a letter is written below it or a vowel sign follows (པདྨ PADMA, Pema)."""
    out: list[str] = []
    for i, ch in enumerate(letters):
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        if ch in VOWEL_SIGNS:
            out[-1:] = [VOWEL_SIGNS[ch]]
            continue
        out.append(INITIALS.get(_letter(ch) if _is_subjoined(ch) else ch, ""))
        if not _is_subjoined(nxt):
            out.append("A")
    return "".join(out)


def _bare_root(letters: str, vowel_at: int) -> int:
    """Where the root is in a syllable with no letter below another: the letter carrying the
    vowel sign, or else the first one, or the second after a prefix in three letters or more
    (དགའ GA, but ནམས NAM)."""
    if vowel_at > 0:
        return vowel_at - 1
    consonants = [i for i, ch in enumerate(letters) if ch in INITIALS]
    if len(consonants) >= 3 and letters[consonants[0]] in _PREFIXES:
        return consonants[1]
    return consonants[0] if consonants else 0


def _head(letters: str, root: int) -> tuple[str, str]:
    """The spelling of the syllable's onset from ``root`` (with the letter above it left out,
    or the cluster it makes with one below), and the letters after the onset."""
    ch, j = letters[root], root + 1
    above = ch in _ABOVE and j < len(letters) and _is_subjoined(letters[j])
    if above and _letter(letters[j]) not in _SUBSCRIPTS:
        ch, j = _letter(letters[j]), j + 1  # རྒ: the root is the letter below ར
    base = INITIALS.get(ch, "")
    below = letters[j : j + 1] if j < len(letters) and _is_subjoined(letters[j]) else ""
    while j < len(letters) and _is_subjoined(letters[j]):
        j += 1
    return (CLUSTERS.get(ch + below, base) if below else base), letters[j:]


def _is_subjoined(ch: str) -> bool:
    """Whether ``ch`` is a letter written below another."""
    return "\u0f90" <= ch <= "\u0fbc"


def _letter(ch: str) -> str:
    """The letter a subjoined one is (ྒ → ག)."""
    return chr(ord(ch) - _SUBJOINED)
