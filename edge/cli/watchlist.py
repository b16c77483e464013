"""`borderpost watchlist` — import lists, check travellers and goods, show the list's state.

``import FILE --format jsonl|ftm|csv`` validates every row and applies the file
as one new list version (exit 1 with the rejects and nothing changed, unless
``--skip-invalid``); ``check`` screens one query from flags, ``--mrz`` lines or
``--batch`` JSON lines on stdin; ``stats`` prints the list version and counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from drivers.mrz import parse_mrz
from edge.cli import watchlist_publish
from edge.cli._common import fail, print_json, usage
from edge.paths import resolve_state_dir
from edge.sanitize import clean_text
from edge.watchlist.db import Watchlist, WatchlistError
from edge.watchlist.importers import FORMATS, ImportError_, import_file, parse_mapping
from edge.watchlist.screen import DECIDE, REFERRAL, Screener

WATCHLIST_FILE = "watchlist.db"
MAX_BATCH_LINE = 65536
_FIELDS = "surname given_names name dob nationality sex doc_number doc_issuer plate country vin"
QUERY_FIELDS = (*_FIELDS.split(), "container", "mrn", "hs_code", "mrz")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `watchlist` command group: import, check, stats."""
    group = sub.add_parser("watchlist", help="the local watchlist: import, check, stats")
    wl_sub = group.add_subparsers(dest="watchlist_command", metavar="ACTION")
    group.set_defaults(func=lambda _a: usage(group))
    _register_import(wl_sub)
    _register_check(wl_sub)
    watchlist_publish.register_publish(wl_sub)
    stats = wl_sub.add_parser("stats", help="list version, entries per kind and list")
    _common_flags(stats)
    stats.set_defaults(func=cmd_stats)


def _common_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-dir", help="daemon state folder (default: $BORDERPOST_STATE_DIR …)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def _register_import(wl_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = wl_sub.add_parser("import", help="import a list file as a new list version")
    imp.add_argument("file", help="the list file")
    imp.add_argument("--format", required=True, choices=FORMATS, help="file format")
    imp.add_argument(
        "--map", action="append", default=[], metavar="COL=FIELD", help="CSV column → field"
    )
    imp.add_argument("--list", dest="list_name", help="list name for every entry")
    imp.add_argument(
        "--kind", help="entry kind for CSV rows without a kind column (default person)"
    )
    imp.add_argument(
        "--skip-invalid", action="store_true", help="apply the valid rows despite rejects"
    )
    _common_flags(imp)
    imp.set_defaults(func=cmd_import)


def _register_check(wl_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chk = wl_sub.add_parser("check", help="screen one query (or --batch JSON lines on stdin)")
    for flag in (
        "surname",
        "given-names",
        "name",
        "nationality",
        "sex",
        "doc-number",
        "doc-issuer",
    ):
        chk.add_argument(f"--{flag}")
    chk.add_argument("--dob", help="date of birth: YYYY, YYYY-MM or YYYY-MM-DD")
    chk.add_argument("--plate")
    chk.add_argument("--country", help="the plate's country")
    chk.add_argument("--vin")
    chk.add_argument("--container")
    chk.add_argument("--mrn")
    chk.add_argument("--hs-code")
    chk.add_argument("--mrz", nargs="+", metavar="LINE", help="the MRZ lines of a document")
    chk.add_argument("--batch", action="store_true", help="one JSON query per stdin line")
    chk.add_argument(
        "--referral", type=float, default=REFERRAL, help="referral band from this score"
    )
    chk.add_argument("--decide", type=float, default=DECIDE, help="decide band from this score")
    _common_flags(chk)
    chk.set_defaults(func=cmd_check)


def _open(args: argparse.Namespace, *, create: bool = False) -> Watchlist:
    path = resolve_state_dir(args.state_dir) / WATCHLIST_FILE
    if not create and not path.exists():
        fail(f"no watchlist at {path}; import one with `borderpost watchlist import`")
    try:
        return Watchlist.open(path)
    except (WatchlistError, OSError, Exception) as exc:
        fail(f"cannot open the watchlist at {path}: {exc}")


def cmd_import(args: argparse.Namespace) -> int:
    """Validate and apply a list file."""
    if not Path(args.file).is_file():
        fail(f"{args.file}: no such file")
    watchlist = _open(args, create=True)
    try:
        mapping = parse_mapping(args.map)
        result = import_file(
            watchlist, args.file, args.format, mapping=mapping, list_name=args.list_name,
            kind=args.kind, skip_invalid=args.skip_invalid,
        )  # fmt: skip
    except (ImportError_, WatchlistError) as exc:
        fail(str(exc))
    finally:
        watchlist.close()
    if args.json:
        print_json(result.to_json())
    else:
        _print_import(result.to_json())
    return 0 if result.applied and not result.rejects else 1


def _print_import(summary: Mapping[str, Any]) -> None:
    for reject in summary["rejects"]:
        sys.stderr.write(f"line {reject['line']}: {clean_text(reject['reason'], 300)}\n")
    if summary["applied"]:
        print(f"imported {summary['accepted']} entries as list version {summary['version']}"
              f" ({summary['skipped']} skipped, {summary['rejected']} rejected)")  # fmt: skip
    else:
        rows = "row" if summary["rejected"] == 1 else "rows"
        print(
            f"nothing imported: {summary['rejected']} rejected {rows}"
            " (use --skip-invalid to apply the rest)"
        )


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the list's version and counts."""
    watchlist = _open(args)
    stats = watchlist.stats()
    watchlist.close()
    if args.json:
        print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Screen one query or a batch."""
    watchlist = _open(args)
    try:
        screener = Screener(watchlist, referral=args.referral, decide=args.decide)
    except ValueError as exc:
        fail(str(exc))
    try:
        if args.batch:
            return _batch(screener, args.json)
        query = {f: getattr(args, f) for f in QUERY_FIELDS if getattr(args, f, None)}
        return _print_result(screener, query, args.json)
    except QueryError as exc:
        fail(str(exc))
    finally:
        watchlist.close()


def _batch(screener: Screener, as_json: bool) -> int:
    code = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            query = json.loads(line[:MAX_BATCH_LINE])
            if not isinstance(query, dict):
                raise ValueError("a query is a JSON object")
            _print_result(screener, query, True)
        except (ValueError, QueryError) as exc:
            print_json({"line": number, "error": clean_text(str(exc), 300)})
            code = 1
    return code


class QueryError(Exception):
    """A query that cannot be screened (bad MRZ, bad date)."""


def _print_result(screener: Screener, query: Mapping[str, Any], as_json: bool) -> int:
    keys = query_keys(query)
    if not keys:
        fail("nothing to check: give a name, a document, a plate, a container, an MRN or --mrz")
    start = time.perf_counter()
    hits = [h.to_json() for h in screener.check(keys)]
    elapsed = round((time.perf_counter() - start) * 1000, 3)
    if as_json:
        print_json({"hits": hits, "elapsed_ms": elapsed})
    elif not hits:
        print(f"no hits ({elapsed} ms)")
    for hit in hits if not as_json else []:
        print(f"{hit['band']:8} {hit['score']:.3f} {hit['action']:8} {hit['entry_id']} "
              f"[{hit['list']}] {clean_text(hit['matched'], 200)}")  # fmt: skip
    return 0


def query_keys(query: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Watchlist keys (shared convention) for a flags or batch query."""
    q = {k: (clean_text(v, 256) if isinstance(v, str) else v) for k, v in query.items()}
    keys: list[dict[str, Any]] = []
    if q.get("mrz"):
        keys += mrz_keys(q["mrz"] if isinstance(q["mrz"], list) else [str(q["mrz"])])
    if q.get("surname") or q.get("given_names") or q.get("name"):
        keys.append(_person(q))
    if q.get("doc_number"):
        keys.append({"kind": "document", "number": q["doc_number"], "issuer": q.get("doc_issuer")})
    for kind, field in (("vin", "vin"), ("container", "container"), ("mrn", "mrn")):
        if q.get(field):
            keys.append({"kind": kind, kind if kind != "container" else "number": q[field]})
    if q.get("plate"):
        keys.append({"kind": "vehicle", "plate": q["plate"], "country": q.get("country")})
    if q.get("hs_code"):
        keys.append({"kind": "commodity", "hs_code": str(q["hs_code"])})
    return keys


def _person(q: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "kind": "person",
        "surname": q.get("surname"),
        "given_names": q.get("given_names"),
        "name": q.get("name"),
        "birth_date": q.get("dob") or q.get("birth_date"),
        "nationality": q.get("nationality"),
        "sex": (q.get("sex") or None),
    }


def mrz_keys(lines: list[str]) -> list[dict[str, Any]]:
    """Person and document keys from MRZ lines (via drivers.mrz.parse_mrz)."""
    try:
        result = parse_mrz([clean_text(str(line), 128) for line in lines[:3]])
    except Exception as exc:
        raise QueryError(f"--mrz: cannot parse: {exc}") from exc
    person = {**result.keys[1], "birth_date": mrz_date(result.birth_date)}
    doc = {"kind": "document", "number": result.document_number, "issuer": result.issuing_state}
    return [person, doc]


def mrz_date(value: Any) -> str | None:
    """A birth date as ISO ``YYYY-MM-DD`` from ISO or MRZ ``YYMMDD`` (None when unknown)."""
    text = str(value or "")
    if len(text) == 6 and text.isdigit():
        year = int(text[:2])
        century = 1900 if year > dt.date.today().year % 100 else 2000
        return f"{century + year:04d}-{text[2:4]}-{text[4:6]}"
    return text or None
