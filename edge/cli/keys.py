"""`borderpost keys` — the post's signing keys.

Each subcommand is one entry in ``SUBCOMMANDS`` (name, help, add-arguments,
handler), so other key kinds (e.g. watchlist root/publishing keys) are added
by appending entries, without touching the ones here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from edge.cli import watchlist_publish
from edge.cli._common import fail, print_json, usage
from edge.paths import resolve_state_dir
from sync import keys

Handler = Callable[[argparse.Namespace], int]
Adder = Callable[[argparse.ArgumentParser], None]


def _state_dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--state-dir", metavar="DIR", help="state folder (default: the post's)")


def _init(args: argparse.Namespace) -> int:
    priv, pub = keys.post_key_paths(resolve_state_dir(args.state_dir))
    try:
        keys.init_pair(priv.parent)
    except keys.KeyFileError as exc:
        fail(str(exc))
    key = keys.load_public(pub)
    print_json(
        {"private_key": str(priv), "public_key": str(pub), "fingerprint": keys.fingerprint(key)}
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    _priv, pub = keys.post_key_paths(resolve_state_dir(args.state_dir))
    try:
        key = keys.load_public(pub)
    except keys.KeyFileError as exc:
        fail(f"{exc} (run `borderpost keys init` first)")
    if args.pem:
        print(keys.public_pem(key).decode(), end="")
        return 0
    print_json(
        {
            "public_key": str(pub),
            "fingerprint": keys.fingerprint(key),
            "pem": keys.public_pem(key).decode(),
        }
    )
    return 0


def _show_args(p: argparse.ArgumentParser) -> None:
    _state_dir_arg(p)
    p.add_argument("--pem", action="store_true", help="print only the PEM public key")


SUBCOMMANDS: list[tuple[str, str, Adder, Handler]] = [
    (
        "init",
        "create the post's Ed25519 signing key pair (private key mode 0600)",
        _state_dir_arg,
        _init,
    ),
    ("show", "print the post's public key (for `borderpost hq post add`)", _show_args, _show),
]
SUBCOMMANDS += watchlist_publish.KEY_COMMANDS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `borderpost keys ...`."""
    parser = sub.add_parser("keys", help="the post's signing keys")
    ksub = parser.add_subparsers(dest="keys_command", metavar="ACTION")
    for name, help_text, add_args, handler in SUBCOMMANDS:
        p = ksub.add_parser(name, help=help_text)
        add_args(p)
        p.set_defaults(func=handler)
    parser.set_defaults(func=lambda _a: usage(parser))
