"""``borderpost demo`` — a whole simulated border post on one machine."""

from __future__ import annotations

import argparse

from edge.demo.data import add_arguments
from sync.paths import state_dir_default


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo``."""
    p = sub.add_parser(
        "demo", help="run a whole simulated border post (broker, HQ, devices, daemon, console)"
    )
    p.add_argument(
        "--dir",
        default=str(state_dir_default() / "demo"),
        help="where the demo keeps its CA, keys, databases and logs "
        "(default: demo/ in the state folder)",
    )
    p.add_argument(
        "--headless",
        action="store_true",
        help="no console: run for --duration seconds, then print a summary",
    )
    p.add_argument("--duration", type=float, default=60.0, help="seconds of traffic (headless)")
    p.add_argument(
        "--rate",
        type=float,
        default=1.0,
        help="traffic multiplier (1 = a busy lane: a document every few seconds)",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed of the simulated traffic")
    p.add_argument("--json", action="store_true", help="print the headless summary as JSON")
    p.add_argument("--rpm-vendor", choices=("rapiscan", "aspect"), default="rapiscan",
                   help="the simulated portal: line protocol or Modbus TCP (Aspect)")  # fmt: skip
    add_arguments(p)  # traffic rates and story mode (edge/demo/data.py)
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the demo until the console quits, Ctrl-C, or the headless duration ends."""
    from edge.demo.run import run_demo

    return run_demo(args)
