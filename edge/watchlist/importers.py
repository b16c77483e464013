"""Importing lists: our JSON Lines, FollowTheMoney entities (OpenSanctions), CSV with a mapping.

Every row is validated; rejects carry their line number and reason. An import
is one :meth:`Watchlist.apply` call, so it is atomic and becomes one new list
version. By default any reject aborts the import and changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import orjson

from edge.watchlist.countries import alpha3
from edge.watchlist.db import Change, Rows, Watchlist, chunked
from edge.watchlist.model import MAX_ALIASES, MAX_BIRTH_DATES, EntryError, entry_from_json
from edge.watchlist.workers import in_order

FORMATS = ("jsonl", "ftm", "csv")
MAX_LINE = 1 << 20
CHUNK = 2000
PARALLEL_AFTER = 10
"""A file of at most this many chunks is prepared in this process; a longer one in workers."""
MAX_REJECTS_SHOWN = 1000
_CSV_FIELD_TEXT = """id kind list category action priority remarks source record_version valid_from
valid_until surname given_names name aliases birth_date nationality nationalities sex number
issuer doc_type plate country vin mrn hs_prefix description"""
CSV_FIELDS = frozenset(_CSV_FIELD_TEXT.split())
"""Fields a CSV column can be mapped to (``aliases``, ``nationalities`` and ``birth_date``:
``;``-separated)."""


class ImportError_(Exception):
    """The file cannot be imported at all (unreadable, bad mapping); nothing changed."""


@dataclass
class ImportResult:
    """What an import did: accepted entries, rejects (line, reason), skipped, new version."""

    accepted: int = 0
    skipped: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    version: int | None = None
    applied: bool = False

    def to_json(self) -> dict[str, Any]:
        """Summary for ``watchlist import --json``."""
        return {
            "applied": self.applied,
            "version": self.version,
            "accepted": self.accepted,
            "skipped": self.skipped,
            "rejected": len(self.rejects),
            "rejects": [{"line": n, "reason": r} for n, r in self.rejects[:MAX_REJECTS_SHOWN]],
        }


Row = tuple[int, Mapping[str, Any] | None, str]
"""(line number, record or None when skipped, reason for a reject or a skip)."""
Prepared = tuple[Rows, list[int], list[tuple[int, str, bool]]]
"""A chunk's rows, the line number of each entry row, and (line, reason, skipped) of the
lines left out (rejects and skips)."""
Chunk = list[Row] | tuple[int, list[str | None]]
"""CSV rows, or JSON text: the first line's number and the lines (None: too long)."""


def import_file(
    watchlist: Watchlist,
    path: str | Path,
    fmt: str,
    *,
    mapping: Mapping[str, str] | None = None,
    list_name: str | None = None,
    kind: str | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Validate every row of ``path`` and apply the entries as one new list version."""
    if fmt not in FORMATS:
        raise ImportError_(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return import_stream(
                watchlist,
                fh,
                fmt,
                mapping=mapping,
                list_name=list_name,
                kind=kind,
                skip_invalid=skip_invalid,
            )
    except OSError as exc:
        raise ImportError_(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportError_(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def import_stream(
    watchlist: Watchlist,
    stream: TextIO,
    fmt: str,
    *,
    mapping: Mapping[str, str] | None = None,
    list_name: str | None = None,
    kind: str | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """As :func:`import_file`, from an open text stream."""
    result = ImportResult()
    chunks: Iterator[Chunk] = (
        chunked(csv_rows(stream, mapping or {}, kind), CHUNK)  # a record may span lines
        if fmt == "csv"
        else _line_chunks(stream)
    )
    with watchlist.change(note=f"import {fmt}", bulk=True) as change:
        work = partial(_prepare_chunk, fmt, list_name, change.next_rid, change.version)
        for prepared in _prepared(chunks, work):
            _apply(change, prepared, result)
        result.accepted = change.result["upserted"]
        if result.rejects and not skip_invalid:
            change.rollback()
    if not change.rolled_back:
        result.version, result.applied = change.version, True
    result.rejects.sort()
    return result


def _apply(change: Change, prepared: Prepared, result: ImportResult) -> None:
    """Write a chunk's rows; rejects, skips and duplicates go into ``result``."""
    rows, lines, left_out = prepared
    for line, reason, skipped in left_out:
        if skipped:
            result.skipped += 1
        else:
            result.rejects.append((line, reason))
    change.upsert_rows(rows, partial(_duplicate, result, rows, lines))


def _duplicate(result: ImportResult, rows: Rows, lines: list[int], index: int) -> None:
    entry_id = rows.entries[index][1]
    result.rejects.append((lines[index], f"id: {entry_id!r} appears earlier in the file"))


def _prepared(chunks: Iterator[Chunk], work: Callable[[Chunk], Prepared]) -> Iterator[Prepared]:
    """Each chunk validated and prepared: here for a short file, in workers for a longer one."""
    return in_order(work, chunks, PARALLEL_AFTER)


def _prepare_chunk(
    fmt: str, list_name: str | None, first_rid: int, version: int, chunk: Chunk
) -> Prepared:
    """Parse (JSON formats), validate and prepare one chunk; runs in a worker process.

    An entry's row id is ``first_rid`` plus its line number: unique in the file, and
    known without waiting for the chunks before it.
    """
    rows, lines, left_out = Rows(), [], []
    for line, record, reason in chunk if isinstance(chunk, list) else _json_rows(fmt, *chunk):
        if record is None:
            left_out.append((line, reason, reason.startswith("skip")))
            continue
        try:
            entry = entry_from_json(_with_list(record, list_name))
        except EntryError as exc:
            left_out.append((line, str(exc), False))
            continue
        rows.add(entry, first_rid + line, version)
        lines.append(line)
    return rows, lines, left_out


def _with_list(record: Mapping[str, Any], list_name: str | None) -> Mapping[str, Any]:
    return {**record, "list": list_name} if list_name else record


def _plain(obj: Any) -> Mapping[str, Any] | str:
    return obj if isinstance(obj, Mapping) else "a record is a JSON object"


def _line_chunks(stream: TextIO) -> Iterator[Chunk]:
    """(number of the first line, ``CHUNK`` lines): a line over ``MAX_LINE`` is None.

    Lines go to the workers as they are: parsing, even telling blank ones, is theirs.
    """
    first, lines = 1, []
    readline = stream.readline
    while True:
        line: str | None = readline(MAX_LINE + 1)
        if not line:
            break
        if len(line) > MAX_LINE and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = readline(MAX_LINE)
            line = None
        lines.append(line)
        if len(lines) >= CHUNK:
            yield first, lines
            first, lines = first + len(lines), []
    if lines:
        yield first, lines


def _json_rows(fmt: str, first: int, lines: list[str | None]) -> Iterator[Row]:
    """Numbered records of the non-blank lines of a chunk."""
    for number, line in enumerate(lines, start=first):
        if line is None:
            yield number, None, f"line longer than {MAX_LINE} characters"
        elif line.strip():
            yield _json_row(number, line, fmt)


def _json_row(number: int, line: str, fmt: str) -> Row:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return number, None, f"not JSON: {exc.msg} at column {exc.colno}"
    converted = ftm_record(obj) if fmt == "ftm" else _plain(obj)
    return (number, None, converted) if isinstance(converted, str) else (number, converted, "")


# FollowTheMoney ----------------------------------------------------------------------

_FTM_SEX = {"male": "M", "female": "F", "other": "X"}
_FTM_DOCS = {"Passport": "P", "Identification": "I"}


def ftm_record(obj: Any) -> Mapping[str, Any] | str:
    """One FtM entity as our record, ``"skip: …"`` for schemas we do not screen, or a reason."""
    if not isinstance(obj, Mapping) or not isinstance(obj.get("properties", {}), Mapping):
        return "an FtM entity is a JSON object with properties"
    schema, props = str(obj.get("schema", "")), obj.get("properties") or {}
    if not obj.get("id"):
        return "id: the entity has no id"
    base = _ftm_meta(obj, props)
    if schema == "Person":
        return {**base, **_ftm_person(props)}
    if schema in _FTM_DOCS:
        issuer = alpha3(_first(props, "country")) or ""
        number = _first(props, "number")
        return {
            **base,
            "kind": "document",
            "number": number,
            "issuer": issuer,
            "doc_type": _FTM_DOCS[schema],
        }
    if schema == "Vehicle" and _first(props, "registrationNumber"):
        plate, country = _first(props, "registrationNumber"), alpha3(_first(props, "country"))
        return {**base, "kind": "vehicle", "plate": plate, "country": country or ""}
    return f"skip: schema {schema or '?'} is not screened at the border"


def _first(props: Mapping[str, Any], key: str) -> str:
    values = props.get(key) or []
    return str(values[0]) if isinstance(values, list) and values else ""


def _many(props: Mapping[str, Any], key: str, limit: int = 32) -> list[str]:
    values = props.get(key) or []
    return [str(v) for v in values][:limit] if isinstance(values, list) else []


def _ftm_meta(obj: Mapping[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
    datasets = obj.get("datasets") if isinstance(obj.get("datasets"), list) else []
    topics = _many(props, "topics")
    return {
        "id": obj.get("id"),
        "list": str(datasets[0]) if datasets else "ftm",
        "category": topics[0] if topics else "",
        "action": "refer",
        "remarks": "; ".join(_many(props, "notes"))[:500],
        "source": "followthemoney",
    }


def _ftm_person(props: Mapping[str, Any]) -> dict[str, Any]:
    names: list[Any] = []
    if _first(props, "lastName"):
        first = " ".join(_many(props, "firstName") + _many(props, "middleName"))
        names.append({"surname": _first(props, "lastName"), "given_names": first})
    written = dict.fromkeys(_many(props, "name", MAX_ALIASES))
    aliases = [a for a in dict.fromkeys(_many(props, "alias", MAX_ALIASES)) if a not in written]
    names += [{"name": n} for n in written] + [{"name": a, "primary": False} for a in aliases]
    nats = [alpha3(c) for c in _many(props, "nationality") + _many(props, "citizenship")]
    idents = [{"type": "passport", "number": n} for n in _many(props, "passportNumber")]
    idents += [{"type": "id", "number": n} for n in _many(props, "idNumber")]
    return {
        "kind": "person",
        "names": names[:MAX_ALIASES],
        "birth_dates": _many(props, "birthDate", MAX_BIRTH_DATES),
        "nationalities": sorted({n for n in nats if n})[:8],
        "sex": _FTM_SEX.get(_first(props, "gender").lower()),
        "identifiers": idents,
    }


# CSV -----------------------------------------------------------------------------------


def csv_rows(stream: TextIO, mapping: Mapping[str, str], kind: str | None) -> Iterator[Row]:
    """CSV rows as records: header names mapped by ``mapping`` (column → field) or taken as is."""
    bad = sorted(set(mapping.values()) - CSV_FIELDS)
    if bad:
        raise ImportError_(
            f"--map: unknown field(s) {', '.join(bad)}; fields: {', '.join(sorted(CSV_FIELDS))}"
        )
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportError_(f"line 1: the CSV header cannot be read: {exc}") from exc
    if header is None:
        return
    missing = sorted(set(mapping) - set(header))
    if missing:
        raise ImportError_(f"--map: column(s) {', '.join(missing)} not in the header")
    fields = [mapping.get(col, col if col in CSV_FIELDS else "") for col in header]
    yield from _csv_body(reader, fields, kind)


def _csv_body(reader: Any, fields: list[str], kind: str | None) -> Iterator[Row]:
    line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            yield line, None, f"CSV: {exc}"
            continue
        start, line = line + 1, reader.line_num
        if any(v.strip() for v in values):
            yield start, *_csv_record(fields, values, kind)


def _csv_record(
    fields: list[str], values: list[str], kind: str | None
) -> tuple[Mapping[str, Any] | None, str]:
    if len(values) != len(fields):
        return None, f"{len(values)} columns, the header has {len(fields)}"
    record: dict[str, Any] = {"kind": kind or "person"}
    for name, value in zip(fields, values, strict=True):
        if name and value.strip():
            record[name] = value.strip()
    if "aliases" in record:
        aliases = [a.strip() for a in record.pop("aliases").split(";") if a.strip()]
        primary = [{k: record[k] for k in ("surname", "given_names", "name") if k in record}]
        record["names"] = [p for p in primary if p] + [
            {"name": a, "primary": False} for a in aliases
        ]
    if "nationalities" in record:
        record["nationalities"] = [
            n.strip() for n in record["nationalities"].split(";") if n.strip()
        ]
    return record, ""


def parse_mapping(items: list[str]) -> dict[str, str]:
    """``COL=FIELD`` arguments as a dict; raise :class:`ImportError_` on a bad one."""
    out = {}
    for item in items:
        col, sep, name = item.partition("=")
        if not sep or not col or not name:
            raise ImportError_(f"--map {item!r}: expected COLUMN=FIELD")
        out[col] = name.strip()
    return out


def read_text(data: bytes) -> io.StringIO:
    """Bytes as a text stream (for tests and stdin)."""
    return io.StringIO(data.decode("utf-8-sig"))
