"""``borderpost officer add|list|disable`` — who may log in to the console."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys

from edge.cli._common import fail, print_json
from edge.cli.run import add_state_args
from edge.paths import resolve_state_dir
from edge.sanitize import clean_text
from edge.store import Store, StoreError, officers


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``officer`` commands."""
    p = sub.add_parser("officer", help="add, list or disable console officers")
    os_ = p.add_subparsers(dest="officer_command", metavar="ACTION", required=True)
    add = os_.add_parser("add", help="add an officer (PIN asked for, or read with --pin-stdin)")
    add.add_argument("officer_id")
    add.add_argument("--name", default="")
    add.add_argument("--role", choices=officers.ROLES, default="officer")
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN from stdin")
    add_state_args(add, config=False)
    add.set_defaults(func=cmd_add)
    ls = os_.add_parser("list", help="list officers")
    ls.add_argument("--json", action="store_true")
    add_state_args(ls, config=False)
    ls.set_defaults(func=cmd_list)
    dis = os_.add_parser("disable", help="stop an officer from logging in")
    dis.add_argument("officer_id")
    add_state_args(dis, config=False)
    dis.set_defaults(func=cmd_disable)


def _store(args: argparse.Namespace) -> Store:
    state = resolve_state_dir(args.state_dir)
    state.mkdir(parents=True, exist_ok=True)
    return Store.open(state / "events.db")


def cmd_add(args: argparse.Namespace) -> int:
    """Create an officer."""
    pin = sys.stdin.readline().rstrip("\n") if args.pin_stdin else getpass.getpass("PIN: ")
    try:
        officers.add(_store(args), args.officer_id, args.name, args.role, pin, "cli")
    except StoreError as exc:
        fail(str(exc))
    print(f"officer {args.officer_id} added ({args.role})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List officers."""
    rows = officers.listing(_store(args))
    if args.json:
        print_json([dataclasses.asdict(o) for o in rows])
        return 0
    for o in rows:
        flag = " (disabled)" if o.disabled else ""
        print(f"{o.officer_id:<16} {o.role:<11} {clean_text(o.name, 80)}{flag}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    """Disable an officer."""
    try:
        officers.disable(_store(args), args.officer_id, "cli")
    except LookupError as exc:
        fail(str(exc).strip("'"))
    print(f"officer {args.officer_id} disabled")
    return 0
