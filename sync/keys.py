"""The post's Ed25519 signing key pair, kept as PEM files.

The private key file is written with mode 0600 (created that way, never
widened); the public key file is what HQ registers with ``hq post add``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEYS_DIR: Final = "keys"
POST_KEY_FILE: Final = "post.key"
POST_PUB_FILE: Final = "post.pub"
MAX_KEY_FILE: Final = 16 * 1024


class KeyFileError(ValueError):
    """A key file is missing, unreadable or not an Ed25519 key."""


def generate() -> Ed25519PrivateKey:
    """A new random Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    """The unencrypted PKCS#8 PEM of ``key``."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key: Ed25519PublicKey) -> bytes:
    """The SubjectPublicKeyInfo PEM of ``key``."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def write_secret(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file created with mode 0600 (refuses to overwrite)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def post_key_paths(state_dir: Path) -> tuple[Path, Path]:
    """(private, public) key files of the post under its state folder."""
    return state_dir / KEYS_DIR / POST_KEY_FILE, state_dir / KEYS_DIR / POST_PUB_FILE


def init_pair(directory: Path) -> tuple[Path, Path]:
    """Create the post key pair in ``directory`` (``post.key``, ``post.pub``);
    refuse if a private key is there."""
    priv = directory / POST_KEY_FILE
    if priv.exists():
        raise KeyFileError(f"{priv} already exists; refusing to replace the post's key")
    key = generate()
    write_secret(priv, private_pem(key))
    pub = directory / POST_PUB_FILE
    pub.write_bytes(public_pem(key.public_key()))
    return priv, pub


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()[: MAX_KEY_FILE + 1]
    except OSError as exc:
        raise KeyFileError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > MAX_KEY_FILE:
        raise KeyFileError(f"{path} is too large for a key file")
    return data


def load_private(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file ``path``."""
    return private_from(_read(path), str(path))


def private_from(data: bytes | Ed25519PrivateKey, what: str = "key") -> Ed25519PrivateKey:
    """An Ed25519 private key from a key object, PEM bytes or 32 raw bytes."""
    if isinstance(data, Ed25519PrivateKey):
        return data
    if len(data) == 32:
        return Ed25519PrivateKey.from_private_bytes(data)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{what}: not a PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{what}: not an Ed25519 key")
    return key


load_private_key = load_private


def load_public(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM file ``path``."""
    return public_from(_read(path), str(path))


def public_from(data: bytes, what: str = "key") -> Ed25519PublicKey:
    """An Ed25519 public key from PEM bytes or 32 raw bytes."""
    if len(data) == 32:
        return Ed25519PublicKey.from_public_bytes(data)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{what}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{what}: not an Ed25519 public key")
    return key


def raw_public(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key (as HQ stores it)."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short hex fingerprint (SHA-256 of the raw key, first 16 hex digits)."""
    return hashlib.sha256(raw_public(key)).hexdigest()[:16]
