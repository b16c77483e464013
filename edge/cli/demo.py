"""`borderpost demo` — not built yet."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `demo` command (placeholder until its issue lands)."""
    sub.add_parser("demo", help="(not built yet)").set_defaults(func=lambda _a: 2)
