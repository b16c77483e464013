"""``borderpost config check|show`` — validate and print the configuration.

``config check FILE`` checks what ``run`` will need, not only the file's
syntax: the broker certificate and key parse, belong together, are signed by
the CA and name the post (CN = post id — the broker's access control knows
the post by it), and the API socket's path fits a Unix socket address (exit
2 when not). What belongs to the machine rather than the file — the post's
signing key in the state folder, the socket's group — is checked too and
reported as a warning. ``run`` makes all the checks (:func:`preflight`) and
refuses with the list instead of a traceback.
"""

from __future__ import annotations

import argparse
import grp
import sys
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from edge.cli._common import fail, print_json
from edge.cli.run import add_state_args
from edge.config import ConfigError, Settings, load, redacted
from edge.paths import resolve_state_dir
from sync.keys import KeyFileError, load_private, post_key_paths

SUN_PATH_MAX = 107  # sockaddr_un.sun_path is 108 bytes with the terminating NUL


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``config check`` and ``config show``."""
    p = sub.add_parser("config", help="check or show the configuration")
    cs = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = cs.add_parser(
        "check", help="validate a configuration file and what `run` needs; exit 2 when wrong"
    )
    check.add_argument("file", type=Path)
    add_state_args(check, config=False)
    check.set_defaults(func=cmd_check)
    show = cs.add_parser("show", help="print the effective configuration, secrets redacted")
    show.add_argument("--config", type=Path, help="TOML file (default: built-in defaults)")
    show.set_defaults(func=cmd_show)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate ``FILE`` and what ``run`` with it needs from the state folder."""
    try:
        settings = load(args.file)
    except ConfigError as exc:
        fail(str(exc))
    state_dir = resolve_state_dir(args.state_dir)
    problems = file_problems(settings, state_dir)
    if problems:
        fail(f"{args.file}: " + "; ".join(problems))
    for warning in machine_problems(settings, state_dir):
        print(f"warning: {warning}; `borderpost run` refuses to start until it is fixed",
              file=sys.stderr)  # fmt: skip
    print(
        f"{args.file}: OK (post {settings.post.id}, {len(settings.devices)} devices, "
        f"{'broker ' + str((settings.broker or {}).get('host')) if settings.broker else 'offline'})"
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the effective settings as JSON."""
    try:
        settings = load(args.config)
    except ConfigError as exc:
        fail(str(exc))
    print_json(redacted(settings), pretty=True)
    return 0


def preflight(settings: Settings, state_dir: Path) -> list[str]:
    """Everything ``run`` would trip over with these settings, each a sentence to act on."""
    return file_problems(settings, state_dir) + machine_problems(settings, state_dir)


def file_problems(settings: Settings, state_dir: Path) -> list[str]:
    """What is wrong with the configuration and the files it names."""
    problems = []
    sock = Path(settings.api.socket)
    path = sock if sock.is_absolute() else state_dir / sock
    if len(bytes(path)) > SUN_PATH_MAX:
        problems.append(
            f"[api] socket: {path} is {len(bytes(path))} bytes; a Unix socket path may have "
            f"at most {SUN_PATH_MAX} (use a shorter --state-dir or an absolute [api] socket)"
        )
    if settings.uplink is not None:
        problems += _tls_problems(settings.uplink, settings.post.id)
    return problems


def machine_problems(settings: Settings, state_dir: Path) -> list[str]:
    """What this machine lacks for the configuration: the socket's group, the signing key."""
    problems = []
    group = settings.api.socket_group
    if group:
        try:
            grp.getgrnam(group)
        except KeyError:
            problems.append(f"[api] socket_group = {group!r}: no such group on this machine")
    if settings.uplink is not None:
        problems += _signing_key_problems(state_dir)
    return problems


def _signing_key_problems(state_dir: Path) -> list[str]:
    path = post_key_paths(state_dir)[0]
    try:
        load_private(path)
    except KeyFileError as exc:
        return [f"the post's signing key: {exc} (run `borderpost keys init`)"]
    return []


def _tls_problems(cfg: Any, post_id: str) -> list[str]:
    files = getattr(cfg, "endpoint", cfg)  # UplinkConfig, or the Endpoint it holds
    if not files.tls or files.cert_file is None or files.key_file is None:
        return []
    try:
        cert = x509.load_pem_x509_certificate(Path(files.cert_file).read_bytes())
    except (OSError, ValueError) as exc:
        return [f"[broker] cert_file {files.cert_file}: not a PEM certificate ({exc})"]
    out = _key_matches(cert, Path(files.key_file))
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(names[0].value) if names else ""
    if cn != post_id:
        out.append(
            f"[broker] cert_file {files.cert_file}: its name (CN) is {cn!r}, not the post id "
            f"{post_id!r}; the broker would refuse everything this post sends"
        )
    if files.ca_file is not None:
        out += _signed_by(cert, Path(files.ca_file), files.cert_file)
    return out


def _key_matches(cert: x509.Certificate, key_file: Path) -> list[str]:
    try:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        return [f"[broker] key_file {key_file}: not an unencrypted PEM private key ({exc})"]
    pem = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.PEM
    if key.public_key().public_bytes(enc, pem) != cert.public_key().public_bytes(enc, pem):
        return [f"[broker] key_file {key_file}: does not belong to the certificate cert_file"]
    return []


def _signed_by(cert: x509.Certificate, ca_file: Path, cert_file: Path) -> list[str]:
    try:
        authority = x509.load_pem_x509_certificate(ca_file.read_bytes())
    except (OSError, ValueError) as exc:
        return [f"[broker] ca_file {ca_file}: not a PEM certificate ({exc})"]
    try:
        cert.verify_directly_issued_by(authority)
    except Exception:  # another issuer's name (ValueError), InvalidSignature, key type
        return [f"[broker] cert_file {cert_file}: not issued by the CA in ca_file {ca_file}"]
    return []
