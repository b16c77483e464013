"""The command helpers, which live in ``common.cli`` (sync and drivers commands use them too)."""

from __future__ import annotations

from common.cli import CliError, fail, print_json

__all__ = ["CliError", "fail", "print_json"]
