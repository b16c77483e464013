"""Helpers of the ``borderpost`` command modules: the HQ commands here in ``sync.hq.cli``
and the post's in ``edge.cli`` (which may import sync, not the other way round)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn


class CliError(Exception):
    """A failure the user can act on: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def print_json(obj: Any, *, pretty: bool = False) -> None:
    """Print one JSON document on stdout (one line unless ``pretty``)."""
    if pretty:
        text = json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False, default=str)
    else:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``borderpost: message`` on stderr and exit with ``code``."""
    sys.stderr.write(f"borderpost: {message}\n")
    raise SystemExit(code)


Subparsers = argparse._SubParsersAction


def usage(parser: argparse.ArgumentParser) -> int:
    """A command group run without its action: its help on stderr, exit code 2."""
    parser.print_help(sys.stderr)
    return 2


def command_group(
    sub: Subparsers[argparse.ArgumentParser],
    name: str,
    help: str,
    *,
    dest: str,
    metavar: str = "ACTION",
) -> tuple[argparse.ArgumentParser, Subparsers[argparse.ArgumentParser]]:
    """``borderpost NAME ACTION …``: the group's parser and its actions' subparsers; the
    group alone prints its help (:func:`usage`)."""
    group = sub.add_parser(name, help=help)
    actions = group.add_subparsers(dest=dest, metavar=metavar)
    group.set_defaults(func=lambda _a: usage(group))
    return group, actions


def broker_address(text: str) -> tuple[str, int]:
    """``--broker HOST:PORT`` as an argparse type: (host, port), or a usage error."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"--broker {text!r}: allowed: HOST:PORT")
    return host, int(port)
