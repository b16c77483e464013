"""The ``borderpost`` command line: one entry point that dispatches to each package's commands.

A command group lives with the code it runs: the post's own commands in
``edge.cli.<name>``, the HQ commands in ``sync.hq.cli``, the simulators'
``borderpost sim …`` in ``drivers.sim_cli`` and the demo in ``edge.demo.cli``.
Each command module has ``register(sub)`` that adds its subcommands to the
root parser, or ``register_sim(sim_sub)`` that adds simulators under
``borderpost sim``; a subcommand sets ``func`` (args -> exit code) with
``set_defaults``. The modules are imported only when the parser is built, and
keep their heavy imports inside the commands.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from types import ModuleType

from edge import __version__
from sync.cliutil import command_group, usage


def _command_modules() -> tuple[ModuleType, ...]:
    """Every command module, in the order ``borderpost --help`` lists them."""
    from drivers import sim_cli
    from edge.cli import (
        audit,
        barcode,
        chip,
        config,
        keys,
        mrz,
        officer,
        prearrival,
        rpm,
        rules,
        run,
        status,
        tui,
        watchlist,
    )
    from edge.demo import cli as demo_cli
    from sync.hq import cli as hq_cli

    return (run, status, config, officer, audit, keys, mrz, barcode, chip, rpm, watchlist,
            hq_cli, rules, prearrival, tui, demo_cli, sim_cli)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The root parser with every command group registered."""
    parser = argparse.ArgumentParser(
        prog="borderpost", description="Borderpost border-post appliance."
    )
    parser.add_argument("--version", action="version", version=f"borderpost {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _, sim_sub = command_group(
        sub, "sim", "simulated devices speaking the real wire protocols",
        dest="sim_command", metavar="DEVICE",
    )  # fmt: skip
    for module in _command_modules():
        if hasattr(module, "register"):
            module.register(sub)
        if hasattr(module, "register_sim"):
            module.register_sim(sim_sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``borderpost`` command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        return usage(parser)
    try:
        code: int = func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
