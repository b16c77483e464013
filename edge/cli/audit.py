"""``borderpost audit verify`` — is the database sound and the audit log's hash chain intact?

Also ``borderpost database check`` (the checks ``run`` makes before it opens
the database) and ``borderpost database new-epoch`` (the recovery when
``run`` refuses the database: see ``edge/store/epoch.py``).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
from pathlib import Path
from typing import Any

from edge.cli._common import fail, print_json
from edge.cli.run import add_state_args
from edge.paths import resolve_state_dir
from edge.store import Store, audit, epoch


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit verify``, ``database check`` and ``database new-epoch``."""
    p = sub.add_parser("audit", help="check the database and the audit log")
    a = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = a.add_parser("verify", help="check the database, walk the hash chain; exit 1 if broken")
    v.add_argument("--json", action="store_true")
    add_state_args(v, config=False)
    v.set_defaults(func=cmd_verify)
    d = sub.add_parser("database", help="the event database's health and identity (epoch)")
    ds = d.add_subparsers(dest="database_command", metavar="ACTION", required=True)
    check = ds.add_parser("check", help="the checks `run` makes at start; exit 1 when refused")
    add_state_args(check, config=False)
    check.set_defaults(func=cmd_check)
    new = ds.add_parser(
        "new-epoch", help="start a new database epoch (a damaged or empty file is moved aside)"
    )
    add_state_args(new, config=False)
    new.set_defaults(func=cmd_new_epoch)


def _report(args: argparse.Namespace, body: dict[str, Any], text: str) -> None:
    if args.json:
        print_json(body)
    else:
        print(text)


def cmd_verify(args: argparse.Namespace) -> int:
    """Check the database file, then verify the chain and say where it breaks."""
    path = resolve_state_dir(args.state_dir) / epoch.DB_NAME
    if not path.is_file() or path.stat().st_size == 0:
        fail(f"{path}: no database here (missing or empty)")
    problems = epoch.damage(path)
    if not problems:
        bad = epoch.unreadable_events(path)
        problems = [f"unreadable event, sequence {seq}" for seq in bad]
    if problems:
        body = {"ok": False, "database": "damaged", "problems": problems[:20]}
        _report(args, body, f"database DAMAGED: {'; '.join(problems[:3])}")
        return 1
    try:
        report = audit.verify(Store.open(path).conn)
    except sqlite3.Error as exc:
        _report(args, {"ok": False, "database": "damaged", "problems": [str(exc)]}, str(exc))
        return 1
    body = {
        "ok": report.ok,
        "database": "ok",
        "rows": report.rows,
        "broken_at": report.broken_at,
        "reason": report.reason,
    }
    if report.ok:
        text = f"database ok; audit chain intact: {report.rows} rows"
    else:
        text = f"audit chain BROKEN at row {report.broken_at}: {report.reason}"
    _report(args, body, text)
    return 0 if report.ok else 1


def cmd_check(args: argparse.Namespace) -> int:
    """Run the start-up checks on the state folder's database."""
    state = resolve_state_dir(args.state_dir)
    if not (state / epoch.DB_NAME).exists() and not (state / epoch.MARKER_NAME).exists():
        print_json({"ok": True, "database": "none yet (run creates it)"})
        return 0
    try:
        ident = epoch.check_state(Path(state))
    except epoch.DatabaseRefused as exc:
        print_json({"ok": False, "refused": str(exc)})
        return 1
    print_json({"ok": True, "epoch": ident.epoch, "base": ident.base})
    return 0


def cmd_new_epoch(args: argparse.Namespace) -> int:
    """Start a new epoch, holding the daemon's lock (refused while a daemon runs)."""
    from edge.daemon import StateFolderBusy, lock_state_folder

    state = resolve_state_dir(args.state_dir)
    state.mkdir(parents=True, exist_ok=True)
    try:
        lock = lock_state_folder(state)
    except StateFolderBusy as exc:
        fail(str(exc))
    try:
        print_json(epoch.new_epoch(state))
    except (OSError, sqlite3.Error) as exc:
        fail(f"cannot start a new epoch in {state}: {exc}")
    finally:
        os.close(lock)
    return 0
