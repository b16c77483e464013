"""`borderpost mrz` — parse MRZ text, read it from an image (`sim mrz` is drivers.sim_cli).

``mrz parse LINE...`` (or ``-`` to read the lines from stdin) prints a summary,
or with ``--json`` the parsed object; ``--batch`` reads one JSON array of lines
per stdin line and prints one JSON object per line. Exit 0 when the input is an
MRZ (valid or not), 2 when it is not an MRZ at all or the input is unusable.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any

from drivers.mrz import MrzResult, NotAnMrz, parse_mrz
from edge.cli import mrz_read
from edge.cli._common import command_group, fail, print_json
from edge.sanitize import clean_text

MAX_STDIN = 64 * 1024
MAX_BATCH_LINE = 4096


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `mrz` command group (`parse`, and `read` from the camera module)."""
    _, mrz_sub = command_group(
        sub, "mrz", "machine-readable zones of passports, ID cards, visas", dest="mrz_command"
    )
    p = mrz_sub.add_parser("parse", help="parse MRZ lines and show fields, checks, warnings")
    p.add_argument("lines", nargs="*", metavar="LINE", help="MRZ lines, or - to read stdin")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--batch", action="store_true",
                   help="read JSON arrays of lines from stdin, one per line")  # fmt: skip
    p.add_argument("--max-corrections", type=int, default=2, choices=range(0, 5), metavar="N",
                   help="check-digit-guided OCR corrections allowed (0-4, default 2)")  # fmt: skip
    p.add_argument("--today", type=_date, help="read date for expiry/minor warnings (YYYY-MM-DD)")
    p.set_defaults(func=cmd_parse)
    mrz_read.register_read(mrz_sub)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_parse(args: argparse.Namespace) -> int:
    """`mrz parse`: one document from the arguments or stdin, or a batch."""
    if args.batch:
        if args.lines not in ([], ["-"]):
            fail("--batch reads stdin; give no LINE (or -)")
        return run_batch(args)
    if not args.lines:
        fail("give the MRZ lines as arguments, or - to read them from stdin")
    lines = _stdin_lines() if args.lines == ["-"] else args.lines
    try:
        result = parse_mrz(lines, today=args.today, max_corrections=args.max_corrections)
    except NotAnMrz as exc:
        fail(f"not an MRZ: {exc}")
    if args.json:
        print_json(result.to_json())
    else:
        sys.stdout.write(summary(result))
    return 0


def _stdin_lines() -> list[str]:
    text = sys.stdin.read(MAX_STDIN + 1)
    if len(text) > MAX_STDIN:
        fail(f"stdin holds more than {MAX_STDIN // 1024} KiB; an MRZ is 3 lines")
    return text.splitlines()


def run_batch(args: argparse.Namespace) -> int:
    """One JSON array of lines per stdin line → one JSON object per line; 2 if any was bad."""
    bad = 0
    for number, raw in enumerate(sys.stdin, 1):
        if not raw.strip():
            continue
        out = _batch_one(raw, args)
        bad += "error" in out
        print_json({"input_line": number, **out} if "error" in out else out)
    if bad:
        sys.stderr.write(f"borderpost: {bad} input line(s) were not an MRZ\n")
    return 2 if bad else 0


def _batch_one(raw: str, args: argparse.Namespace) -> dict[str, Any]:
    if len(raw) > MAX_BATCH_LINE:
        return {"error": f"input line longer than {MAX_BATCH_LINE} characters"}
    try:
        lines = json.loads(raw)
    except ValueError:
        return {"error": "not JSON; expected an array of strings"}
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        return {"error": "expected a JSON array of strings"}
    try:
        return parse_mrz(lines, today=args.today, max_corrections=args.max_corrections).to_json()
    except NotAnMrz as exc:
        return {"error": f"not an MRZ: {exc}"}


def summary(r: MrzResult) -> str:
    """A few lines for a person: who, which document, checks, warnings, corrections."""
    checks = ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in r.checks if v is not None)
    rows = [
        f"{r.format} {r.document_code} issued by {r.issuing_state}"
        + (" (SPECIMEN)" if r.specimen else ""),
        f"  {r.surname or '-'}, {r.given_names or '-'}",
        f"  document {r.document_number or '-'}  nationality {r.nationality or '-'}  "
        f"born {r.birth_date or '?'}  sex {r.sex or '?'}  expires {r.expiry_date or '-'}",
        f"  checks: {checks} -> {'VALID' if r.valid else 'INVALID'}",
    ]
    rows += [f"  warning: {w}" for w in r.warnings]
    rows += [f"  corrected line {c.line} position {c.position}: {c.old} -> {c.new} ({c.reason})"
             for c in r.corrections]  # fmt: skip
    return "".join(clean_text(row, 400) + "\n" for row in rows)
