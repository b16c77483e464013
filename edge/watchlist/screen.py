"""Screening: a reading's keys against the watchlist, hits with scores and explanations.

Identifiers (documents, plates, VINs, containers, MRNs, HS codes) are looked up
exactly, with OCR look-alikes folded. Names get candidates from the posting
index only (never a scan) and are scored by token alignment with rapidfuzz,
then adjusted for date of birth, nationality and sex.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from edge.sanitize import clean_text
from edge.watchlist.adjustments import dates_adjust, nationality_adjust, sex_adjust
from edge.watchlist.cutshort import completion_keys, cut_words, filled
from edge.watchlist.db import Watchlist, stored_dates
from edge.watchlist.index import KEY_WEIGHT, person_forms, query_keys, strict_spellings
from edge.watchlist.japanese import has_kana, reading
from edge.watchlist.likeness import MIXED_SPELLING
from edge.watchlist.match import name_score
from edge.watchlist.model import Entry, Person, entry_from_json
from edge.watchlist.nametables import PARTICLES
from edge.watchlist.normalize import (
    as_foreign,
    as_written,
    bracketed,
    clean_id,
    comma_surname,
    fold_id,
    fold_particles,
    joined_initials,
    title_surname,
    tokens,
)
from edge.watchlist.palladius import palladius
from edge.watchlist.scripts import PERSIAN_LETTERS, abjad_of, han_name, script_of

REFERRAL = 0.90
DECIDE = 0.60
"""Default score bands. ``decide`` was calibrated on the development part of the real name
pairs (docs/watchlist.md): the lowest band, in steps of 0.05, at which at most 0.8 % of the
generated non-listed people alert against the UN names (the limit is 1 %): 0.65 until the
syllable rules of issue 17's sixth part cut those alerts, 0.60 since."""
POSTING_CAP = 1500
"""Posting lists longer than this are too common to tell people apart; skipped."""
TOP_CANDIDATES = 24
MAX_HITS = 10
MAX_KEYS = 16
_POSTING_LENGTHS = (
    "WITH k(key) AS (VALUES {}) SELECT key, (SELECT count(*) FROM"
    f" (SELECT 1 FROM postings p WHERE p.key = k.key LIMIT {POSTING_CAP + 1})) FROM k"
)
"""Each key's posting list length, counted no further than one past the cap."""
_BEST_CANDIDATES = (
    "WITH q(key, w) AS (VALUES {}) SELECT p.rid FROM q JOIN postings p ON p.key = q.key"
    f" GROUP BY p.rid ORDER BY sum(q.w) DESC, p.rid LIMIT {TOP_CANDIDATES}"
)
_ID_KINDS = {"vin": ("vin", 17), "container": ("number", 11), "mrn": ("mrn", 18)}


@dataclass(frozen=True)
class Hit:
    """One watchlist entry matched by a reading."""

    entry_id: str
    list: str
    category: str
    action: str
    score: float
    band: str
    matched: str
    explain: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The hit as the alert payload and ``watchlist check`` print it."""
        return {
            "entry_id": self.entry_id,
            "list": self.list,
            "category": self.category,
            "action": self.action,
            "score": self.score,
            "band": self.band,
            "matched": self.matched,
            "explain": self.explain,
        }


@dataclass(frozen=True)
class PersonQuery:
    """A person key cleaned for matching."""

    tokens: tuple[str, ...]
    surname: tuple[str, ...]
    birth_date: str | None
    nationality: str | None
    sex: str | None
    original: str = ""
    """The name as the reading wrote it, in its own script (shown in explanations)."""
    abjad: str = ""
    """The script without short vowels it is written in (``Arab``, ``Hebr`` …; "" none):
    compared by consonants."""
    syllables: bool = False
    """Written in Chinese or Korean script (``SYLLABLE_SCRIPTS``): compared by syllables."""
    others: tuple[PersonQuery, ...] = ()
    """The same person's name read otherwise, each scored besides: a name in kanji as
    Japanese reads it (:func:`~edge.watchlist.japanese.reading`; as words, not syllables), one
    in Chinese characters as Cantonese does (:func:`~edge.watchlist.cantonese.cantonese`) and
    as Wade–Giles spells it (:func:`~edge.watchlist.wadegiles.wade_giles`), a
    Thai or Khmer name letter by letter (:func:`~edge.watchlist.normalize.as_written`), a
    foreign name in Hangul, katakana or Chinese characters as the words it transcribes
    (:func:`~edge.watchlist.normalize.as_foreign`), initials written joined in Latin capitals
    read apart (:func:`~edge.watchlist.normalize.joined_initials`), a Chinese name written in
    Cyrillic in pinyin (:func:`~edge.watchlist.palladius.palladius`)."""
    strict: str = ""
    """Of a reading of Chinese characters in Cantonese or Wade–Giles, or of a Korean name in
    Cyrillic, which (``cantonese``, ``wade_giles``, ``kontsevich``;
    :func:`~edge.watchlist.cantonese.cantonese`, :func:`~edge.watchlist.wadegiles.wade_giles`,
    :func:`~edge.watchlist.kontsevich.kontsevich`): its syllables match only the same
    syllables (``strict`` of :func:`~edge.watchlist.match.name_score`); "" for any other."""
    words: tuple[int, ...] = ()
    """Of a name written in Chinese or Korean script, the written word each token is a syllable
    of (``영수 정훈 김``: 0 0 1 1 2); empty for any other (:func:`_words_of`)."""
    cut: tuple[str, ...] = ()
    """Tokens a document may have cut short, the last of a name that fills its field
    (:func:`~edge.watchlist.cutshort.cut_words`): each may be the first letters of a listed
    word."""

    def as_read(self) -> list[PersonQuery]:
        """The query as written, and each other reading of it."""
        return [self, *self.others]


class Screener:
    """Checks readings' keys against one watchlist; safe to call from any thread."""

    def __init__(
        self, watchlist: Watchlist, *, referral: float = REFERRAL, decide: float = DECIDE
    ) -> None:
        if not 0.0 < decide <= referral <= 1.0:
            raise ValueError("bands need 0 < decide <= referral <= 1")
        self.watchlist = watchlist
        self.referral = referral
        self.decide = decide
        self._common: tuple[int, set[str]] = (-1, set())

    def check(self, keys: Sequence[Mapping[str, Any]]) -> list[Hit]:
        """Every hit on ``keys``, best first; malformed keys are ignored, never raise."""
        hits: dict[str, Hit] = {}
        for key in list(keys)[:MAX_KEYS] if isinstance(keys, Sequence) else []:
            if isinstance(key, Mapping):
                _keep_best(hits, self._check_one(key))
        cleared = self._cleared(keys)
        kept = [
            h for h in hits.values() if (h.entry_id, h.explain.get("record_version")) not in cleared
        ]
        return sorted(kept, key=lambda h: (-h.score, h.entry_id))[: MAX_HITS * 2]

    def remember_cleared(
        self, keys: Sequence[Mapping[str, Any]], entry_id: str, record_version: int
    ) -> None:
        """Do not alert ``entry_id`` on these subjects again until its record version changes."""
        rows = [(s, str(entry_id)[:128], int(record_version), _now()) for s in subjects(keys)]
        with self.watchlist._write_lock:
            conn = self.watchlist.conn()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR REPLACE INTO cleared VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")

    def _cleared(self, keys: Sequence[Mapping[str, Any]]) -> set[tuple[str, int]]:
        subs = subjects(keys)
        if not subs:
            return set()
        marks = ",".join("?" * len(subs))
        sql = f"SELECT entry_id, record_version FROM cleared WHERE subject IN ({marks})"
        return {(str(e), int(v)) for e, v in self.watchlist.conn().execute(sql, subs).fetchall()}

    def _check_one(self, key: Mapping[str, Any]) -> list[Hit]:
        kind = key.get("kind")
        if kind == "person":
            return self.check_person(key)
        if kind == "document":
            return self._identifier(key, "doc", _str(key.get("number")), _str(key.get("issuer")))
        if kind == "vehicle":
            return self._identifier(key, "plate", _str(key.get("plate")), _str(key.get("country")))
        if kind == "commodity":
            return self._commodity(_str(key.get("hs_code")))
        if isinstance(kind, str) and kind in _ID_KINDS:
            name, size = _ID_KINDS[kind]
            return self._identifier(key, kind, _str(key.get(name))[: size * 2], "")
        return []

    # identifiers -----------------------------------------------------------------

    def _identifier(self, key: Mapping[str, Any], kind: str, value: str, state: str) -> list[Hit]:
        wanted = clean_id(value)
        if len(wanted) < 4:
            return []
        rows = self.watchlist.conn().execute(
            "SELECT rid FROM exact WHERE kind=? AND key=? LIMIT 50", (kind, fold_id(wanted))
        )
        entries = self.watchlist.entries_by_rid([r[0] for r in rows.fetchall()])
        hits = []
        for entry in entries.values():
            found = _id_match(entry, kind, wanted, clean_id(state, 3))
            if found is not None and _valid(entry):
                hits.append(self._id_hit(entry, kind, wanted, found))
        return hits

    def _id_hit(self, entry: Entry, kind: str, wanted: str, found: tuple[str, bool]) -> Hit:
        listed, ocr = found
        explain = {"key": kind, "query": wanted, "listed": listed, "ocr_folded": ocr}
        explain.update(_listed_person(entry))
        return self._hit(entry, 0.97 if ocr else 1.0, "referral", f"{kind} {listed}", explain)

    def _commodity(self, hs_code: str) -> list[Hit]:
        digits = "".join(ch for ch in hs_code[:16] if ch.isdigit())[:10]
        prefixes = [digits[:n] for n in range(2, len(digits) + 1)]
        if not prefixes:
            return []
        marks = ",".join("?" * len(prefixes))
        sql = f"SELECT rid FROM exact WHERE kind='hs' AND key IN ({marks})"
        rids = [r[0] for r in self.watchlist.conn().execute(sql, prefixes).fetchall()]
        out = []
        for entry in self.watchlist.entries_by_rid(rids).values():
            prefix = getattr(entry.subject, "hs_prefix", "")
            explain = {"key": "hs", "query": digits, "listed": prefix}
            if _valid(entry):
                out.append(self._hit(entry, 1.0, "referral", f"HS {prefix}", explain))
        return out

    # persons ---------------------------------------------------------------------

    def check_person(self, key: Mapping[str, Any]) -> list[Hit]:
        """Fuzzy hits for one person key."""
        query = person_query(key)
        if query is None:
            return []
        best: dict[str, Hit] = {}
        for read in query.as_read():
            rids = self.candidates(read)
            _keep_best(best, self._score(read, rids) if rids else [])
        return sorted(best.values(), key=lambda h: (-h.score, h.entry_id))[:MAX_HITS]

    def candidates(self, query: PersonQuery) -> list[int]:
        """Row ids of the most promising listed persons, from the posting index only.

        Each of the query's keys weighs by its kind over the log of its posting list's
        length (lists over ``POSTING_CAP`` are left out, and not counted again in this list
        version: :meth:`_common_keys`); SQLite sums the weights per
        listed person and returns the best ``TOP_CANDIDATES`` (ties: lowest row id).
        """
        weights = query_keys(query.tokens, query.birth_date, query.abjad)
        conn = self.watchlist.conn()
        for key in completion_keys(conn, query.cut) if query.cut else ():
            weights.setdefault(key, KEY_WEIGHT["p"])  # ABUTO may be ABUTORAB cut short
        common = self._common_keys()
        keys = sorted(k for k in weights if k not in common)  # common: shared across threads
        if not keys:
            return []
        lengths = conn.execute(_POSTING_LENGTHS.format(_values(len(keys), 1)), keys).fetchall()
        weighed: list[Any] = []
        for key, length in lengths:
            if 0 < length <= POSTING_CAP:
                weighed += (key, weights[key] / (1.0 + math.log(length)))
            elif length:
                common.add(key)
        if not weighed:
            return []
        rows = conn.execute(_BEST_CANDIDATES.format(_values(len(weighed) // 2, 2)), weighed)
        return [rid for (rid,) in rows]

    def _common_keys(self) -> set[str]:
        """Keys whose posting lists were over ``POSTING_CAP`` in the list version in force, so
        not counted again (a common name's keys come up in query after query; counting one
        reads its postings up to the cap). Forgotten when the version changes."""
        version = self.watchlist.version
        if self._common[0] != version:
            self._common = (version, set())
        return self._common[1]

    def _score(self, query: PersonQuery, rids: list[int]) -> list[Hit]:
        marks = ",".join("?" * len(rids))
        sql = f"SELECT rid, forms, birth_date, sex, nats FROM entries WHERE rid IN ({marks})"
        scored = []
        for rid, forms, dob, sex, nats in self.watchlist.conn().execute(sql, rids).fetchall():
            adjust = [
                dates_adjust(query.birth_date, stored_dates(dob)),
                nationality_adjust(query.nationality, nats),
                sex_adjust(query.sex, sex),
            ]
            shift = sum(a for a, _ in adjust)
            if 1.0 + shift < self.decide:
                continue  # held below the band by the adjustments whatever the name scores (≤ 1)
            result = _best_form(query, orjson.loads(forms))
            score = max(0.0, min(1.0, result[0] + shift))
            if score >= self.decide:
                scored.append((rid, round(score, 3), result, adjust))
        scored.sort(key=lambda s: -s[1])
        entries = self.watchlist.entries_by_rid([s[0] for s in scored[:MAX_HITS]])
        return [
            self._person_hit(entries[rid], score, res, adj)
            for rid, score, res, adj in scored[:MAX_HITS]
            if _valid(entries[rid])
        ]

    def _person_hit(
        self, entry: Entry, score: float, result: Any, adjust: list[tuple[float, str]]
    ) -> Hit:
        base, form, detail = result
        band = "referral" if score >= self.referral else "decide"
        explain = {"key": "person", "alias": form, "name_score": round(base, 3), **detail}
        explain.update({"dob": adjust[0][1], "nationality": adjust[1][1], "sex": adjust[2][1]})
        explain["adjustment"] = round(sum(a for a, _ in adjust), 3)
        original = detail.get("listed_original", form)
        matched = form if original == form else f"{form} ({original})"
        return self._hit(entry, score, band, matched, explain)

    def _hit(
        self, entry: Entry, score: float, band: str, matched: str, explain: dict[str, Any]
    ) -> Hit:
        explain = {
            **explain,
            "kind": entry.kind,
            "list": entry.list,
            "list_version": self.watchlist.version,
            "record_version": entry.record_version,
            "priority": entry.priority,
            "remarks": entry.remarks,
        }
        return Hit(
            entry.entry_id, entry.list, entry.category, entry.action, score, band, matched, explain
        )


def _keep_best(best: dict[str, Hit], hits: Sequence[Hit]) -> None:
    """Each entry's best-scoring hit of ``best`` and ``hits``, kept in ``best``."""
    for hit in hits:
        if hit.entry_id not in best or best[hit.entry_id].score < hit.score:
            best[hit.entry_id] = hit


def _listed_person(entry: Entry) -> dict[str, Any]:
    """Whom a listed document belongs to (``IVANOV, Ivan`` and the birth date), so the
    officer can compare them with the traveller on the page (issue 27)."""
    person = entry.subject
    if not isinstance(person, Person) or not person.names:
        return {}
    name = next((n for n in person.names if n.primary), person.names[0])
    said = f"{name.surname}, {name.given_names}" if name.surname and name.given_names else name.full
    return {
        "listed_name": clean_text(said, 80),
        "birth_date": "; ".join(person.birth_dates) or None,
    }


SYLLABLE_SCRIPTS = ("Hani", "Hang")
"""Scripts whose names romanise into syllables alone (Chinese, Korean): such a query is
compared syllable by syllable with any listed name (:func:`~edge.watchlist.match.name_score`)."""


def _best_form(query: PersonQuery, forms: list[list[str]]) -> tuple[float, str, dict[str, Any]]:
    """The best-scoring stored form of a listed person: score, its rendering, explanation."""
    best: tuple[float, str, dict[str, Any]] = (0.0, "", {})
    q_script, q_persian = _spelling(query.original) if query.abjad else ("", False)
    q_chinese = han_name(query.original)
    for form in forms:
        written = form[2] if len(form) > 2 else ""
        abjad = query.abjad or abjad_of(written)
        one_script = ""
        if query.abjad and written:
            l_script, l_persian = _spelling(written)
            if q_script == l_script:
                one_script = q_script if q_persian == l_persian else MIXED_SPELLING
        strict = query.strict or (form[3] if len(form) > 3 else "")
        chinese = q_chinese or han_name(written)
        listed = form[0].split()
        toks, surname = query.tokens, query.surname
        whole: dict[str, str] = {}
        if query.cut:  # a name a document cut short: its last word may be a listed one's start
            toks, surname, whole = filled(toks, surname, query.cut, listed)
        score, detail = name_score(
            toks, surname, listed, form[1].split(), abjad,
            query.syllables, one_script, query.words, strict, chinese,
        )  # fmt: skip
        if score > best[0]:
            if whole:
                detail["cut_short"] = whole
            detail["listed_rendering"] = form[0]
            detail["listed_original"] = form[2] if len(form) > 2 else form[0]
            detail["query_rendering"] = " ".join(query.tokens)
            detail["query_original"] = query.original
            best = (score, form[0], detail)
    return best


def _spelling(text: str) -> tuple[str, bool]:
    """A name's script and whether it is spelt with the letters only Persian, Urdu and Pashto
    use (see :data:`~edge.watchlist.likeness.MIXED_SPELLING`)."""
    return script_of(text), not PERSIAN_LETTERS.isdisjoint(text)


def name_similarity(
    query: Mapping[str, Any], names: Sequence[Any]
) -> tuple[float, str, dict[str, Any]]:
    """Name score of a person listed under ``names`` (as in our JSON Lines) for a person key,
    without a list: the screener's own scoring, for benchmarks and tests of name pairs."""
    q = person_query(query)
    subject = entry_from_json({"id": "pair", "kind": "person", "names": list(names)}).subject
    if q is None or not isinstance(subject, Person):
        return 0.0, "", {}
    forms = [list(f) for f in person_forms(subject)]
    return max((_best_form(read, forms) for read in q.as_read()), key=lambda r: r[0])


def person_query(key: Mapping[str, Any]) -> PersonQuery | None:
    """A person key's name tokens, date, nationality and sex (None: nothing to match)."""
    raw_surname, raw_given = _str(key.get("surname")), _str(key.get("given_names"))
    surname, given = tokens(raw_surname), tokens(raw_given)
    original = f"{raw_surname} {raw_given}".strip() if surname or given else _str(key.get("name"))
    name = original if surname or given else bracketed(original)[0]  # a remark left out
    toks = surname + given if surname or given else tokens(name)
    if not surname and not given:
        surname = tokens(comma_surname(name))  # SURNAME, Given
    if not toks:
        return None
    nat = clean_id(_str(key.get("nationality")), 3) or None
    sex = _str(key.get("sex")).upper()[:1] or None
    date = _date(key.get("birth_date"))
    original = original.strip()
    abjad = abjad_of(original)
    syllables = script_of(original) in SYLLABLE_SCRIPTS
    capped = _capped(toks)
    written = f"{raw_surname} {raw_given}" if raw_surname or raw_given else name
    words = _words_of(written, toks)[: len(capped)] if syllables else ()
    cut = cut_words(key, surname, given) if key.get("cut_short") else ()
    query = PersonQuery(
        capped, tuple(surname), date, nat, sex, original, abjad, syllables, words=words, cut=cut
    )
    as_named = (" ".join(capped), " ".join(surname))
    readings = title_surname(*as_named)
    if readings != (as_named,):  # SHEIKH, Muhammad Naeem: the title dropped, and kept
        first, *titled = (
            replace(query, tokens=_capped(full.split()), surname=tuple(family.split()))
            for full, family in readings
        )
        query = replace(first, others=tuple(titled))
    said = tuple(_capped(fold_particles(reading(name) or "").split()))
    if said and said != query.tokens:  # read in Japanese: words, not syllables
        japanese = replace(query, tokens=said, surname=(), syllables=False, words=())
        if not has_kana(name):
            return replace(query, others=(japanese,))
        query = japanese
    for kind, spelt in strict_spellings(name):
        heard = tuple(_capped(spelt.split())) if spelt else ()
        if heard and heard != query.tokens:  # as Hong Kong, Taiwan spell it; Korean: strictly
            other = replace(query, tokens=heard, surname=(), strict=kind)
            query = replace(query, others=(*query.others, other))
    # Thai and Khmer as written, Hangul, katakana, Chinese as a foreign name, initials written
    # joined read apart, a Chinese name in Cyrillic in pinyin: words all
    spellings = (*as_written(name), *as_foreign(name), joined_initials(name), palladius(name))
    others = (_capped(fold_particles(o).split()) for o in spellings if o)
    read = [t for t in dict.fromkeys(others) if t and t != query.tokens]
    if not read:
        return query
    return replace(query, others=tuple(_read_as(query, t) for t in read))


def _read_as(query: PersonQuery, toks: tuple[str, ...]) -> PersonQuery:
    """``query`` read another way: other tokens, which are words, and no surname told."""
    return replace(query, tokens=toks, surname=(), syllables=False, words=())


MAX_QUERY_TOKENS = 8
"""Tokens of a query name that are scored, particles not counted (an Arabic name of six
words may have as many AL and BIN tokens besides: its last word must not be cut off)."""


def _words_of(text: str, toks: Sequence[str]) -> tuple[int, ...]:
    """The written word of ``text`` each of ``toks`` (its tokens) is a syllable of; empty
    where the words alone do not give as many tokens. Counted, not compared: a word read
    alone may be romanised otherwise (``김`` alone KIM, in a name GIM)."""
    counts = [len(tokens(word)) for word in text.split()]
    if sum(counts) != len(toks):
        return ()
    return tuple(w for w, count in enumerate(counts) for _ in range(count))


def _capped(toks: Sequence[str]) -> tuple[str, ...]:
    """The query's tokens up to ``MAX_QUERY_TOKENS`` that are not particles (and at most
    twice as many in all)."""
    out: list[str] = []
    names = 0
    for tok in toks[: 2 * MAX_QUERY_TOKENS]:
        names += tok not in PARTICLES
        if names > MAX_QUERY_TOKENS:
            break
        out.append(tok)
    return tuple(out)


def _date(value: Any) -> str | None:
    text = _str(value).strip()[:10]
    parts = text.split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):
        return None
    return text


def _values(rows: int, width: int) -> str:
    """Placeholders of a ``VALUES`` list: ``rows`` rows of ``width`` parameters."""
    row = "(" + ",".join("?" * width) + ")"
    return ",".join([row] * rows)


def _str(value: Any) -> str:
    return clean_text(value, 256) if isinstance(value, str) else ""


def _id_match(entry: Entry, kind: str, wanted: str, state: str) -> tuple[str, bool] | None:
    s = entry.subject
    pairs: list[tuple[str, str]] = []
    if kind == "doc":
        idents = getattr(s, "identifiers", ())
        pairs = [(i.number, i.issuer) for i in idents] or [
            (getattr(s, "number", ""), getattr(s, "issuer", ""))
        ]
    elif kind == "plate":
        pairs = [(getattr(s, "plate", ""), getattr(s, "country", ""))]
    else:
        pairs = [
            (
                getattr(
                    s, "vin" if kind == "vin" else "number" if kind == "container" else "mrn", ""
                ),
                "",
            )
        ]
    for listed, listed_state in pairs:
        if (
            listed
            and fold_id(listed) == fold_id(wanted)
            and (not state or not listed_state or state == listed_state)
        ):
            return listed, listed != wanted
    return None


def _valid(entry: Entry) -> bool:
    today = dt.date.today().isoformat()
    if entry.valid_from and entry.valid_from > today:
        return False
    return not (entry.valid_until and entry.valid_until < today[: len(entry.valid_until)])


def subjects(keys: Sequence[Mapping[str, Any]]) -> list[str]:
    """Stable subject identities of a reading: its documents, else its persons, vehicles …"""
    out: list[str] = []
    for key in list(keys)[:MAX_KEYS] if isinstance(keys, Sequence) else []:
        if not isinstance(key, Mapping):
            continue
        kind = _str(key.get("kind"))
        if kind == "document":
            out.append(
                f"doc:{clean_id(_str(key.get('number')))}:{clean_id(_str(key.get('issuer')), 3)}"
            )
        elif kind == "person":
            q = person_query(key)
            if q is not None:
                out.append(f"person:{' '.join(q.tokens)}:{q.birth_date or ''}")
        elif kind in ("vehicle", "vin", "container", "mrn", "commodity"):
            value = "".join(clean_id(_str(v)) for k, v in sorted(key.items()) if k != "kind")
            out.append(f"{kind}:{value}")
    docs = [s for s in out if s.startswith("doc:")]
    return docs or out


def _now() -> float:
    return dt.datetime.now(dt.UTC).timestamp()
