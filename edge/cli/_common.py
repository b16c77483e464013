"""The command helpers, which live in ``sync.cliutil`` (the HQ commands use them too)."""

from __future__ import annotations

from sync.cliutil import CliError, fail, print_json

__all__ = ["CliError", "fail", "print_json"]
