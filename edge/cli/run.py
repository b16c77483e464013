"""``borderpost run`` — the daemon."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from edge import logs
from edge.cli._common import fail
from edge.config import ConfigError, load
from edge.paths import resolve_state_dir


def add_state_args(parser: argparse.ArgumentParser, config: bool = True) -> None:
    """``--state-dir`` (and ``--config``) as every daemon-side command takes them."""
    parser.add_argument(
        "--state-dir",
        help="state folder (default: $BORDERPOST_STATE_DIR, "
        "/var/lib/borderpost as root, else the XDG state dir)",
    )
    if config:
        parser.add_argument(
            "--config", type=Path, help="TOML configuration file (default: built-in defaults)"
        )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``run``."""
    p = sub.add_parser("run", help="run the daemon (devices, screening, store, API, uplink)")
    add_state_args(p)
    p.add_argument(
        "--allow-inject",
        action="store_true",
        help="accept the API's inject request (tests, benchmarks, demo)",
    )
    p.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    """Load the configuration and serve until SIGTERM/SIGINT."""
    from edge.cli.preflight import preflight
    from edge.daemon import build_post
    from edge.store.epoch import DatabaseRefused

    try:
        settings = load(args.config)
    except ConfigError as exc:
        fail(f"configuration refused: {exc}")
    logs.setup(settings.daemon.log_level)
    state_dir = resolve_state_dir(args.state_dir)
    problems = preflight(settings, state_dir)
    if problems:
        fail("cannot run: " + "; ".join(problems) + " (`borderpost config check` says the same)")
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        daemon = build_post(
            settings, state_dir, config_path=args.config, allow_inject=args.allow_inject
        )
    except ConfigError as exc:
        fail(f"configuration refused (with technician overrides): {exc}")
    except DatabaseRefused as exc:
        fail(f"database refused: {exc}")
    except OSError as exc:
        fail(f"cannot use state folder {state_dir}: {exc}")
    asyncio.run(daemon.run())
    return 0
