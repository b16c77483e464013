"""`borderpost hq web` (serve the console) and `borderpost hq user add|list|disable`.

Registered by ``sync/hq/cli.py``, which hands over how it adds ``--state-dir``/``--db``
and finds the database, so both read the same HQ database. The web libraries
(the ``hq`` extra) are imported only when ``hq web`` runs.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import secrets
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.cliutil import command_group, fail, print_json
from sync.hq.db import Db, connect
from sync.hq.web import auth

DEFAULT_LISTEN = ("127.0.0.1", 8443)
Target = Callable[[argparse.Namespace], "str | Path"]


def listen_address(text: str) -> tuple[str, int]:
    """``--listen HOST:PORT`` as an argparse type (an IPv6 host in brackets)."""
    host, _, port = text.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"--listen {text!r}: allowed: HOST:PORT")
    return host, int(port)


def is_loopback(host: str) -> bool:
    """Whether ``host`` can be reached from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _open(target: str | Path, redact: Callable[[str], str]) -> Db:
    from sync.hq.migrations import open_db

    try:
        db = open_db(target)  # the console's tables are migration 4
    except ImportError:
        fail("a postgresql:// database needs the psycopg package (pip install 'borderpost[hq]')")
    except Exception as exc:  # sqlite3/psycopg connection errors
        fail(f"cannot open the HQ database {redact(str(target))}: {exc}")
    return db


def _web(args: argparse.Namespace, target: Target, redact: Callable[[str], str]) -> int:
    host, port = args.listen
    tls = bool(args.tls_cert and args.tls_key)
    if bool(args.tls_cert) != bool(args.tls_key):
        fail("--tls-cert and --tls-key go together")
    if not tls and not is_loopback(host):
        fail(
            f"--listen {host}:{port} is reachable from other machines: serve the console there"
            " only over TLS (--tls-cert FILE --tls-key FILE), or listen on 127.0.0.1"
        )
    for what, path in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key)):
        if path and not Path(path).is_file():
            fail(f"{what} {path}: no such file")
    try:
        import uvicorn

        from sync.hq.web.app import make_app
    except ImportError as exc:
        fail(f"the HQ console needs the hq extra (pip install 'borderpost[hq]'): {exc}")
    db = _open(target(args), redact)
    app = make_app(db, tls=tls, reconnect=lambda: connect(target(args)))
    config = uvicorn.Config(
        app,
        log_level="warning",
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        timeout_graceful_shutdown=2,
    )
    sock = _listening(host, port)  # bound before the address is printed: it answers at once
    scheme = "https" if tls else "http"
    shown = f"[{host}]" if ":" in host else host
    print_json({"hq_web": f"{scheme}://{shown}:{port}/", "db": redact(str(db.target))})
    sys.stdout.flush()
    uvicorn.Server(config).run(sockets=[sock])
    db.close()
    return 0


def _listening(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        fail(f"--listen {host}:{port}: {exc.strerror}")
    sock.listen(128)
    return sock


def _password(args: argparse.Namespace) -> str:
    if args.generate:
        return secrets.token_urlsafe(12)
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        fail("give the password with --password-stdin or --generate (no terminal to ask on)")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        fail("the two passwords differ")
    return first


def _user_add(args: argparse.Namespace, target: Target, redact: Callable[[str], str]) -> int:
    password = _password(args)
    db = _open(target(args), redact)
    try:
        auth.add_user(db, args.user_id, args.role, password)
    except auth.AuthError as exc:
        fail(str(exc))
    out = {"user_id": args.user_id, "role": args.role}
    print_json({**out, "password": password} if args.generate else out)
    return 0


def _user_list(args: argparse.Namespace, target: Target, redact: Callable[[str], str]) -> int:
    print_json(auth.list_users(_open(target(args), redact)))
    return 0


def _user_disable(args: argparse.Namespace, target: Target, redact: Callable[[str], str]) -> int:
    return _user_change(args, target, redact, auth.disable_user, disabled=True)


def _user_enable(args: argparse.Namespace, target: Target, redact: Callable[[str], str]) -> int:
    return _user_change(args, target, redact, auth.enable_user, disabled=False)


def _user_password(args: argparse.Namespace, target: Target, redact: Callable[[str], str]) -> int:
    password = _password(args)
    out = {"password": password} if args.generate else {}
    return _user_change(args, target, redact, auth.set_password, password, **out)


def _user_role(args: argparse.Namespace, target: Target, redact: Callable[[str], str]) -> int:
    return _user_change(args, target, redact, auth.set_role, args.role, role=args.role)


def _user_change(
    args: argparse.Namespace, target: Target, redact: Callable[[str], str],
    change: Callable[..., None], *values: str, **out: Any,
) -> int:  # fmt: skip
    """Apply one user change, print the user and what changed (JSON), or fail with why."""
    try:
        change(_open(target(args), redact), args.user_id, *values)
    except auth.AuthError as exc:
        fail(str(exc))
    print_json({"user_id": args.user_id, **out})
    return 0


def register(
    hsub: Any,
    common: Callable[[argparse.ArgumentParser], None],
    target: Target,
    redact: Callable[[str], str],
) -> None:
    """Add `hq web` and `hq user …` (``common`` adds --state-dir/--db; ``target`` reads them)."""

    def bind(func: Callable[..., int]) -> Callable[[argparse.Namespace], int]:
        return lambda args: func(args, target, redact)

    web = hsub.add_parser("web", help="serve the HQ web console (alerts, posts, traffic, search)")
    common(web)
    web.add_argument(
        "--listen", type=listen_address, default=DEFAULT_LISTEN, metavar="HOST:PORT",
        help="address to serve on (default 127.0.0.1:8443; other than loopback needs TLS)",
    )  # fmt: skip
    web.add_argument("--tls-cert", metavar="FILE", help="TLS certificate (PEM) for HTTPS")
    web.add_argument("--tls-key", metavar="FILE", help="its private key (PEM)")
    web.set_defaults(func=bind(_web))
    _register_user(hsub, common, bind)


def _register_user(hsub: Any, common: Any, bind: Any) -> None:
    _, usub = command_group(
        hsub, "user", "HQ console users: add, list, disable, enable, password, role",
        dest="user_command",
    )  # fmt: skip
    add = usub.add_parser("add", help="add a console user (asks for the password)")
    add.add_argument("user_id", metavar="USER")
    add.add_argument("--role", required=True, choices=auth.ROLES, help="what the user may do")
    _password_options(add)
    add.set_defaults(func=bind(_user_add))
    listing = usub.add_parser("list", help="list console users (JSON)")
    listing.add_argument("--json", action="store_true", help="JSON (the only output; as elsewhere)")
    listing.set_defaults(func=bind(_user_list))
    disable = usub.add_parser("disable", help="disable a user and end their sessions")
    disable.set_defaults(func=bind(_user_disable))
    enable = usub.add_parser("enable", help="let a disabled user log in again")
    enable.set_defaults(func=bind(_user_enable))
    password = usub.add_parser("password", help="set a user's password and end their sessions")
    _password_options(password)
    password.set_defaults(func=bind(_user_password))
    role = usub.add_parser("role", help="change what a user may do")
    role.add_argument("--role", required=True, choices=auth.ROLES, help="the new role")
    role.set_defaults(func=bind(_user_role))
    for q in (disable, enable, password, role):
        q.add_argument("user_id", metavar="USER")
    for q in (add, listing, disable, enable, password, role):
        common(q)


def _password_options(parser: argparse.ArgumentParser) -> None:
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    how.add_argument("--generate", action="store_true", help="make one up and print it once")
