"""`borderpost status` — not built yet."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `status` command (placeholder until its issue lands)."""
    sub.add_parser("status", help="(not built yet)").set_defaults(func=lambda _a: 2)
