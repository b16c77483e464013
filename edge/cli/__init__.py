"""The ``borderpost`` command line: one entry point, a module per command group.

Each module in ``COMMAND_MODULES`` has ``register(sub)`` that adds its
subcommands to the root parser and may have ``register_sim(sim_sub)`` that adds
a simulator under ``borderpost sim``. A subcommand sets ``func`` (args -> exit
code) with ``set_defaults``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from edge import __version__

COMMAND_MODULES = (
    "run",
    "status",
    "config",
    "officer",
    "audit",
    "keys",
    "mrz",
    "barcode",
    "rpm",
    "watchlist",
    "hq",
    "tui",
    "demo",
)


def build_parser() -> argparse.ArgumentParser:
    """The root parser with every command group registered."""
    parser = argparse.ArgumentParser(
        prog="borderpost", description="Borderpost border-post appliance."
    )
    parser.add_argument("--version", action="version", version=f"borderpost {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sim = sub.add_parser("sim", help="simulated devices speaking the real wire protocols")
    sim_sub = sim.add_subparsers(dest="sim_command", metavar="DEVICE")
    sim.set_defaults(func=lambda _a: _usage(sim))
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"edge.cli.{name}")
        module.register(sub)
        if hasattr(module, "register_sim"):
            module.register_sim(sim_sub)
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``borderpost`` command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        return _usage(parser)
    try:
        code: int = func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
