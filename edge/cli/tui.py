"""`borderpost tui`: the officer's and technician's console (Textual, loaded only here)."""

from __future__ import annotations

import argparse
from pathlib import Path

from edge.paths import resolve_state_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `tui` command."""
    parser = sub.add_parser("tui", help="the console for officers, technicians and supervisors")
    parser.add_argument("--state-dir", help="the daemon's state folder (its api.sock)")
    parser.add_argument("--socket", help="the daemon's API socket (default: STATE_DIR/api.sock)")
    parser.add_argument(
        "--theme",
        choices=("ansi", "dark", "mono"),
        default=None,
        help="ansi: 16 colours (default under TERM=linux); dark: true colour; mono: no colour,"
        " high contrast (also under NO_COLOR)",
    )
    parser.add_argument(
        "--bundle-dir",
        help="folder for support bundles (default: the current folder)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import os

    from tui.app import run  # Textual is imported here only, never at `edge` import time

    socket = Path(args.socket) if args.socket else resolve_state_dir(args.state_dir) / "api.sock"
    theme = args.theme or ("ansi" if os.environ.get("TERM", "").startswith("linux") else "dark")
    officer, pin = os.environ.get("BORDERPOST_OFFICER"), os.environ.get("BORDERPOST_PIN")
    auto_login = (officer, pin) if officer and pin else None  # the demo logs in by itself
    bundle_dir = Path(args.bundle_dir) if args.bundle_dir else None
    run(socket, theme=theme, bundle_dir=bundle_dir, auto_login=auto_login)
    return 0
