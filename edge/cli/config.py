"""``borderpost config check|show`` — validate and print the configuration."""

from __future__ import annotations

import argparse
from pathlib import Path

from edge.cli._common import fail, print_json
from edge.config import ConfigError, load, redacted


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``config check`` and ``config show``."""
    p = sub.add_parser("config", help="check or show the configuration")
    cs = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = cs.add_parser("check", help="validate a configuration file; exit 2 when it is wrong")
    check.add_argument("file", type=Path)
    check.set_defaults(func=cmd_check)
    show = cs.add_parser("show", help="print the effective configuration, secrets redacted")
    show.add_argument("--config", type=Path, help="TOML file (default: built-in defaults)")
    show.set_defaults(func=cmd_show)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate ``FILE``."""
    try:
        settings = load(args.file)
    except ConfigError as exc:
        fail(str(exc))
    print(
        f"{args.file}: OK (post {settings.post.id}, {len(settings.devices)} devices, "
        f"{'broker ' + str((settings.broker or {}).get('host')) if settings.broker else 'offline'})"
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the effective settings as JSON."""
    try:
        settings = load(args.config)
    except ConfigError as exc:
        fail(str(exc))
    print_json(redacted(settings), pretty=True)
    return 0
