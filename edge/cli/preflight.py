"""What ``borderpost run`` needs besides a valid configuration file, checked before it starts.

``config check`` reports these (the file's problems as errors, the
machine's as warnings); ``run`` refuses on any of them with the list instead
of a traceback. The broker certificate must name the post (CN = post id):
the broker's access control knows a post by it.
"""

from __future__ import annotations

import grp
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from edge.config import Settings
from sync.keys import KeyFileError, load_private, post_key_paths

SUN_PATH_MAX = 107  # sockaddr_un.sun_path is 108 bytes with the terminating NUL


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
