"""The camera reading command added under its group (camera issue)."""

from __future__ import annotations

import argparse


def register_read(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `read` subcommand (placeholder until the camera issue lands)."""
