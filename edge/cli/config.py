"""``borderpost config check|show`` — validate and print the configuration.

``config check FILE`` checks what ``run`` will need, not only the file's
syntax: the broker certificate and key parse, belong together, are signed by
the CA and name the post (CN = post id — the broker's access control knows
the post by it), and the API socket's path fits a Unix socket address (exit
2 when not). What belongs to the machine rather than the file — the post's
signing key in the state folder, the socket's group — is checked too and
reported as a warning. ``run`` makes all the checks
(``edge/cli/preflight.py``) and refuses with the list instead of a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edge.cli._common import fail, print_json
from edge.cli.preflight import file_problems, machine_problems
from edge.cli.run import add_state_args
from edge.config import ConfigError, Settings, load, redacted
from edge.paths import resolve_state_dir
from sync.keys import KeyFileError, load_public


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``config check`` and ``config show``."""
    p = sub.add_parser("config", help="check or show the configuration")
    cs = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = cs.add_parser(
        "check", help="validate a configuration file and what `run` needs; exit 2 when wrong"
    )
    check.add_argument("file", type=Path)
    add_state_args(check, config=False)
    check.set_defaults(func=cmd_check)
    show = cs.add_parser("show", help="print the effective configuration, secrets redacted")
    show.add_argument("file", nargs="?", type=Path, help="TOML file, as for check")
    show.add_argument("--config", type=Path, help="TOML file (default: built-in defaults)")
    show.set_defaults(func=cmd_show)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate ``FILE`` and what ``run`` with it needs from the state folder."""
    try:
        settings = load(args.file)
    except ConfigError as exc:
        fail(str(exc))
    state_dir = resolve_state_dir(args.state_dir)
    problems = file_problems(settings, state_dir)
    if problems:
        fail(f"{args.file}: " + "; ".join(problems))
    for warning in machine_problems(settings, state_dir):
        print(f"warning: {warning}; `borderpost run` refuses to start until it is fixed",
              file=sys.stderr)  # fmt: skip
    for warning in absent_devices(settings) + root_key_warnings(settings, state_dir):
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{args.file}: OK (post {settings.post.id}, {len(settings.devices)} devices, "
        f"{'broker ' + str((settings.broker or {}).get('host')) if settings.broker else 'offline'})"
    )
    return 0


def absent_devices(settings: Settings) -> list[str]:
    """A warning per enabled device whose /dev path is not there now: not an error (it may
    be unplugged while the box is set up), but what a technician wiring it wants to know."""
    return [
        f"[[devices]] {d.name!r} url = {d.url!r}: no such device now (unplugged, or the udev"
        " rule does not match: ls -l /dev/borderpost-*); the daemon starts and retries it"
        for d in settings.devices
        if d.enabled and d.url.startswith("/dev/") and not Path(d.url).exists()
    ]


def root_key_warnings(settings: Settings, state_dir: Path) -> list[str]:
    """A warning when HQ's root key is named but cannot be used: the daemon then runs
    without signed updates (it logs it once), which ``run`` does not refuse."""
    name = settings.watchlist.root_key_file
    if not name:
        return []
    if settings.uplink is None:
        return [f"[watchlist] root_key_file = {name!r}: unused without a [broker] section"]
    path = Path(name) if Path(name).is_absolute() else state_dir / name
    try:
        load_public(path)
    except (KeyFileError, OSError, ValueError) as exc:
        return [
            f"[watchlist] root_key_file = {name!r}: {exc}; the daemon would run without HQ's"
            " signed updates (watchlist, rule packs, pre-arrival lists, master lists)"
        ]
    return []


def cmd_show(args: argparse.Namespace) -> int:
    """Print the effective settings as JSON."""
    if args.file and args.config and args.file != args.config:
        fail(f"two files given: {args.file} and --config {args.config}; give one")
    try:
        settings = load(args.file or args.config)
    except ConfigError as exc:
        fail(str(exc))
    print_json(redacted(settings), pretty=True)
    return 0
