"""The README documents every command the CLI has (and starts with the two commands)."""

from __future__ import annotations

import argparse
from pathlib import Path

from edge.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(prefix + name)
                found.extend(_commands(sub, prefix + name + " "))
    return found


def test_every_command_is_documented() -> None:
    missing = [c for c in _commands(build_parser(), "borderpost ") if f"`{c}" not in README]
    assert not missing, f"README.md does not document: {missing}"


def test_readme_opens_with_demo_and_test() -> None:
    head = README[:600]
    assert "make demo" in head and "make test" in head
