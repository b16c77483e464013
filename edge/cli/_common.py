"""The command helpers, which live in ``sync.cliutil`` (the HQ commands use them too)."""

from __future__ import annotations

import argparse

from sync.cliutil import CliError, Subparsers, command_group, fail, print_json, usage

__all__ = ["CliError", "command_group", "fail", "hq_group", "print_json", "usage"]


def hq_group(
    sub: Subparsers[argparse.ArgumentParser],
) -> Subparsers[argparse.ArgumentParser] | None:
    """The subcommands of ``borderpost hq``, for a post-side module that adds an HQ command
    (None when ``hq`` is not registered, as in a parser built for one group)."""
    hq = sub.choices.get("hq")
    if hq is None:
        return None
    groups = [a for a in hq._actions if isinstance(a, Subparsers)]
    return groups[0] if groups else None
