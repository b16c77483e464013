"""``borderpost audit verify`` — is the audit log's hash chain intact?"""

from __future__ import annotations

import argparse

from edge.cli._common import print_json
from edge.cli.run import add_state_args
from edge.paths import resolve_state_dir
from edge.store import Store, audit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit verify``."""
    p = sub.add_parser("audit", help="check the audit log")
    a = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = a.add_parser("verify", help="walk the hash chain; exit 1 when it is broken")
    v.add_argument("--json", action="store_true")
    add_state_args(v, config=False)
    v.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify the chain and say where it breaks."""
    store = Store.open(resolve_state_dir(args.state_dir) / "events.db")
    report = audit.verify(store.conn)
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "rows": report.rows,
                "broken_at": report.broken_at,
                "reason": report.reason,
            }
        )
    elif report.ok:
        print(f"audit chain intact: {report.rows} rows")
    else:
        print(f"audit chain BROKEN at row {report.broken_at}: {report.reason}")
    return 0 if report.ok else 1
