"""Index keys of entries and queries: the same functions build both sides."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import combinations, pairwise

from edge.watchlist.cantonese import cantonese
from edge.watchlist.kontsevich import kontsevich
from edge.watchlist.model import (
    Commodity,
    Consignment,
    Container,
    Document,
    Entry,
    Person,
    Vehicle,
)
from edge.watchlist.nametables import JOINED_ONTO_LAST, JOINED_ONTO_NEXT, NICKNAMES, PARTICLES
from edge.watchlist.normalize import (
    bracketed,
    canon,
    comma_surname,
    fold_id,
    fold_particles,
    renderings,
    title_surname,
)
from edge.watchlist.scripts import abjad_of
from edge.watchlist.slavic import KEY_READERS
from edge.watchlist.sounds import article_said, egyptian, persian_q, persian_zh, phonetic, somali
from edge.watchlist.wadegiles import wade_giles

MAX_TOKENS = 6


def person_forms(person: Person) -> list[tuple[str, ...]]:
    """(full name, surname tokens[, original[, strict reading]]) per distinct spelling of a
    person's names, ICAO first; the original is kept when it is not plain ASCII, so an
    explanation can show it, and a Chinese name's readings in Cantonese and Wade–Giles say
    which they are (:func:`strict_readings`). A name's brackets are read
    (:func:`~edge.watchlist.normalize.bracketed`): the name without them, and each other name
    they give.

    Renderings that fold to the same canon tokens score alike, so only the first is kept —
    of each kind: a strict reading is compared otherwise than a name as written (``Tsai
    Ing-wen`` and 蔡英文's Wade–Giles TSAI YING WEN fold alike, but the second matches no ING).
    """
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in person.names:
        opened, *others = bracketed(name.full)
        for text in (opened, *others):
            written = (name.surname if text == opened else "") or comma_surname(text)
            surname = " ".join(dict.fromkeys(t for r in renderings(written) for t in r.split()))
            surname = fold_particles(surname)
            original = () if text.isascii() else (text,)
            strict = strict_readings(text)
            for full in renderings(text):
                full = fold_particles(full)
                kind = (strict[full],) if full in strict else ()
                for spelt, family in title_surname(full, surname):
                    form = (spelt, family, *original, *kind)
                    out.setdefault((*kind, *sorted(canon(t) for t in spelt.split())), form)
    return list(out.values())


def strict_spellings(written: str) -> tuple[tuple[str, str], ...]:
    """(kind, reading) of each reading of a name that is compared strictly, "" where it has
    none: a Chinese name's in Cantonese and Wade–Giles, a Korean name's in Cyrillic by its
    syllables (``cantonese``, ``wade_giles``, ``kontsevich``: ``strict`` of
    :func:`~edge.watchlist.match.name_score`). A listed name's (:func:`strict_readings`) and
    a query's (:func:`~edge.watchlist.screen.person_query`) alike."""
    return (
        ("cantonese", cantonese(written) or ""),
        ("wade_giles", wade_giles(written) or ""),
        ("kontsevich", kontsevich(written) or ""),
    )


def strict_readings(written: str) -> dict[str, str]:
    """A listed name's :func:`strict_spellings` as reading → kind: one kind a reading (the
    first, where two spell it alike: 何 is HO in both Cantonese and Wade–Giles); none for a
    name that has none."""
    readings: dict[str, str] = {}
    for kind, spelt in strict_spellings(written):
        if spelt:
            readings.setdefault(spelt, kind)
    return readings


def name_keys(tokens: list[str], birth_dates: Sequence[str]) -> set[str]:
    """Posting keys of one name: the whole name (its canon tokens in order of the alphabet),
    canon tokens, sound keys, sound pairs, sound + birth year, and sound + the whole birth
    date when it has one (``YYYY-MM-DD``), for each birth date."""
    toks = [canon(t) for t in _telling(tokens)][:MAX_TOKENS]
    phons = sorted({phonetic(t) for t in toks if t})
    keys = {"e" + t for t in toks}
    if len(toks) > 1:
        keys.add("f" + ".".join(sorted(toks)))
    keys.update("p" + p for p in phons)
    keys.update(f"q{a}.{b}" for a, b in combinations(phons, 2))
    for date in birth_dates:
        keys.update(f"y{p}.{date[:4]}" for p in phons)
        if len(date) == 10:
            keys.update(f"d{p}.{date}" for p in phons)
    return keys


def _telling(tokens: Sequence[str]) -> list[str]:
    """The tokens worth a key: not initials, and not particles (AL, BIN, VAN …) when two
    others are left (LE of a Vietnamese name, alone with a given name, is a surname)."""
    toks = [t for t in tokens if len(t) > 1]
    core = [t for t in toks if t not in PARTICLES]
    return core if len(core) >= 2 else toks


KEY_WEIGHT = {"f": 6.0, "d": 5.0, "y": 4.0, "q": 3.0, "e": 2.0, "p": 1.0}
"""Weight of a posting key by its kind (its first letter): whole name, date, year, pair,
token, sound. The whole name's key puts a person listed under just the query's name among
the candidates before the people whose longer names hold it: ``'ALI, Muhammad`` of OFAC
shares every other key of ``Muhammad Ali`` with 59 of its people, and lost the tie to the
24 of them first in the file."""
JOINED_WEIGHT = 3.0
"""Weight of a query-only key of two tokens written as one (as telling as a pair)."""


def query_keys(tokens: Sequence[str], birth_date: str | None, abjad: str) -> dict[str, float]:
    """A query's posting keys and their weights: :func:`name_keys` (of the name as written and
    as read in the Somali alphabet, :func:`somali`), the full given names a short form stands
    for (BOB → ROBERT), and :func:`spelling_keys` — two adjacent tokens written as one weigh
    as much as a pair."""
    dates = (birth_date,) if birth_date else ()
    keys = {k: KEY_WEIGHT[k[0]] for k in name_keys(list(tokens), dates)}
    read = _keys_as_read(
        tokens, dates, somali, egyptian, _j_as_g, persian_q, _q_as_gh, *KEY_READERS
    )
    keys.update((k, KEY_WEIGHT[k[0]]) for k in read if k not in keys)
    for t in tokens:
        keys.update(("e" + canon(full), KEY_WEIGHT["e"]) for full in _FULL_NAMES.get(canon(t), ()))
    for key, joined in [*spelling_keys(tokens, abjad), *written_keys(tokens)]:
        weight = JOINED_WEIGHT if joined else KEY_WEIGHT[key[0]]
        keys[key] = max(keys.get(key, 0.0), weight)
    return keys


def _keys_as_read(
    tokens: Sequence[str], birth_dates: Sequence[str], *readings: Callable[[str], str]
) -> set[str]:
    """:func:`name_keys` of the name with each token read each other way, where that changes
    it: in the Somali alphabet (:func:`somali`, list and query: XASAN CUMAR and HASSAN UMAR
    find each other, whichever is listed); and for a query only, with G read as J
    (:func:`egyptian`: GAMAL finds JAMAL) and J as G (:func:`_j_as_g`: JAMAL finds GAMAL),
    the two readings finding either writing, so the list's keys need no change; so with a
    Persian GH read as Q and Q as GH (:func:`persian_q`, :func:`_q_as_gh`); and as
    German and Polish spell a Cyrillic name (:data:`~edge.watchlist.slavic.KEY_READERS`:
    GORBATSCHOW and GORBACZOW find GORBACHEV)."""
    keys: set[str] = set()
    for reading in readings:
        read = [reading(t) for t in tokens]
        if read != list(tokens):
            keys |= name_keys(read, birth_dates)
    return keys


_ARABIC_Q = re.compile("Q(?!U[EI])")
"""A Q that may be ``ق``: not the QUE and QUI of French and Spanish (MONIQUE, ENRIQUE)."""


def _q_as_gh(token: str) -> str:
    """The token with a Q of ``ق`` read as the GH a Persian spelling may write (the other way
    round of :func:`persian_q`: SADIQ finds SADEGH). Every Q read so (tried) gave MONIQUE keys
    that pushed a candidate out of the few the screener scores."""
    return _ARABIC_Q.sub("GH", token) if "Q" in token else token


def _j_as_g(token: str) -> str:
    """The token with J read as the G an Egyptian spelling may write (the other way round of
    :func:`egyptian`)."""
    return token.replace("J", "G")


def written_keys(tokens: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Sound keys (all joins of two tokens) of a name as Arabic script writes it, so that
    either writing finds the other: a particle joined with the next token, DIN or ALLAH with
    the one before (ABO ZAID → ABOZAID, ``أبوزيد``; NOUR EDDINE → NOUREDDINE). Keyed for
    every listed name and every query; only names with such a particle have any. (French
    spellings read as said, HOCINE → HOSINE, are not keyed: CH and C before E or I are in
    too many European names, and the keys made the 200,000-person check ~15 % slower.)"""
    for a, b in pairwise(tokens[:MAX_TOKENS]):
        if a in JOINED_ONTO_NEXT or b in JOINED_ONTO_LAST:
            yield "p" + phonetic(a + b), True


def spelling_keys(tokens: Sequence[str], abjad: str) -> Iterator[tuple[str, bool]]:
    """Keys (and whether they join two tokens) for other ways of writing a name: two adjacent
    tokens as one (JOHN SMITH → JOHNSMITH, HDAYT ALLH → HIDAYATULLAH) and, for a name
    romanised from an abjad, sound keys without the long-vowel letters W/Y and with each
    dental first letter (NWR → NUR, DHAKR → ZAKIR), every dental read alike (FYD → FAIZ)
    and ش as French writes it (YSHW → MAYCHOU). Listed names from an abjad get them too, so
    that a Latin query finds them. A token that starts with a particle Arabic writes onto
    the next word (ABWZYD, ``أبوزيد``) is two names in one: its keys weigh as a join."""
    toks = _telling(tokens)[:MAX_TOKENS]
    if abjad:
        for t in toks:
            joined = t.startswith(_JOINED_PARTICLES) and len(t) > 4
            yield from (("p" + k, joined) for k in _sound_variants(t, abjad))
    for a, b in pairwise(toks):
        yield "e" + canon(a + b), True
        yield from (("p" + k, True) for k in _sound_variants(a + b, abjad))


def _sound_variants(token: str, abjad: str) -> set[str]:
    """Sound keys of a token, and when romanised from an abjad, of its consonants only (and as
    lists write some letters otherwise)."""
    if not abjad:
        return {phonetic(token)}
    said = article_said(token)  # NWRALDYN: NWRADYN, NRADN
    bare = said[0] + said[1:].replace("W", "").replace("Y", "")
    out = {phonetic(token), phonetic(bare), phonetic(bare.replace("SH", "CH"))}  # French ش
    if "ZH" in bare:
        out.add(phonetic(persian_zh(bare)))  # Persian ژ written J: بیژن BIJAN
    for other in ("S", "T"):  # ض ظ ذ ث read D, Z, DH, TH, S by different lists: FYD / FAIZ
        out.add(phonetic(bare[0] + _DENTAL_BODY.sub(other, bare[1:])))
    if bare[0] in _DENTAL_FIRST:
        out.update(phonetic(d + bare[1:]) for d in _DENTAL_FIRST)
    return {k for k in out if k}


_JOINED_PARTICLES = ("ABW", "BW", "BN", "ABN")
"""أبو / ابو, بو, بن, ابن as romanised from Arabic script, written onto the next word."""
_DENTAL_FIRST = ("D", "S", "T", "Z")
_DENTAL_BODY = re.compile("S(?!H)|[DTZ]")
"""Dental letters inside a word (the S of SH, ش, is none)."""


def _full_names() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for full, shorts in NICKNAMES.items():
        for short in shorts:
            out.setdefault(canon(short), []).append(full)
    return {k: tuple(v) for k, v in out.items()}


_FULL_NAMES = _full_names()


def person_keys(person: Person, forms: list[tuple[str, ...]] | None = None) -> set[str]:
    """All posting keys of a listed person (``forms``: its :func:`person_forms`, if known)."""
    return forms_keys(person_forms(person) if forms is None else forms, person.birth_dates)


def forms_keys(forms: Iterable[Sequence[str]], birth_dates: Sequence[str]) -> set[str]:
    """The posting keys of a person's :func:`person_forms` (as stored) and birth dates."""
    keys: set[str] = set()
    for form in forms:
        keys |= name_keys(form[0].split(), birth_dates)
        keys |= _keys_as_read(form[0].split(), birth_dates, somali)
        keys.update(k for k, _joined in written_keys(form[0].split()))
        if len(form) > 2 and (abjad := abjad_of(form[2])):
            keys.update(k for k, _joined in spelling_keys(form[0].split(), abjad))
    return keys


def exact_keys(entry: Entry) -> Iterator[tuple[str, str]]:
    """(kind, folded key) pairs an entry is found by exactly."""
    s = entry.subject
    if isinstance(s, Document):
        yield "doc", fold_id(s.number)
    elif isinstance(s, Person):
        for ident in s.identifiers:
            yield "doc", fold_id(ident.number)
    elif isinstance(s, Vehicle):
        if s.plate:
            yield "plate", fold_id(s.plate, 16)
        if s.vin:
            yield "vin", fold_id(s.vin, 17)
    elif isinstance(s, Container):
        yield "container", fold_id(s.number, 11)
    elif isinstance(s, Consignment):
        yield "mrn", fold_id(s.mrn, 18)
    elif isinstance(s, Commodity):
        yield "hs", s.hs_prefix
