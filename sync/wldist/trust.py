"""Root key, publishing-key certificates and the root-signed revocation list.

A certificate is ``{"key", "id", "not_before", "not_after", "sig"}``: the
publishing key's raw public key (base64), its fingerprint, its validity (UNIX
seconds) and the root's Ed25519 signature over the canonical JSON of the other
fields. A revocation list is ``{"serial", "issued", "revoked": [ids], "sig"}``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.keys import fingerprint, raw_public

MAX_REVOKED: Final = 1000


class Refused(Exception):
    """An update is refused; ``code`` names the reason (``signature``, ``revoked`` …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def canonical(obj: Any) -> bytes:
    """The signed form of a JSON object: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode()


def unb64(text: Any, what: str) -> bytes:
    """Bytes from base64 text; :class:`Refused` ``malformed`` when it is not."""
    if not isinstance(text, str) or len(text) > 200:
        raise Refused("malformed", f"{what}: not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Refused("malformed", f"{what}: not base64 text") from None


def _signed(obj: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    return {**obj, "sig": b64(key.sign(canonical(obj)))}


def _check(obj: Any, key: Ed25519PublicKey, what: str) -> dict[str, Any]:
    if not isinstance(obj, dict) or "sig" not in obj:
        raise Refused("malformed", f"{what}: missing or unsigned")
    body = {k: v for k, v in obj.items() if k != "sig"}
    try:
        key.verify(unb64(obj["sig"], what), canonical(body))
    except InvalidSignature:
        raise Refused("signature", f"{what}: bad signature") from None
    return body


def issue_cert(
    root: Ed25519PrivateKey, key: Ed25519PublicKey, not_before: float, not_after: float
) -> dict[str, Any]:
    """A publishing-key certificate signed by ``root``."""
    body = {
        "key": b64(raw_public(key)),
        "id": fingerprint(key),
        "not_before": int(not_before),
        "not_after": int(not_after),
    }
    return _signed(body, root)


def issue_crl(
    root: Ed25519PrivateKey, serial: int, issued: float, revoked: list[str]
) -> dict[str, Any]:
    """A revocation list (publishing-key ids) signed by ``root``."""
    return _signed({"serial": int(serial), "issued": int(issued), "revoked": sorted(revoked)}, root)


@dataclass(frozen=True)
class Crl:
    """A verified revocation list."""

    serial: int
    revoked: frozenset[str]
    raw: dict[str, Any]


def verify_crl(obj: Any, root: Ed25519PublicKey) -> Crl:
    """The revocation list ``obj`` after checking the root's signature."""
    body = _check(obj, root, "revocation list")
    revoked = body.get("revoked")
    serial = body.get("serial")
    if not isinstance(serial, int) or not isinstance(revoked, list) or len(revoked) > MAX_REVOKED:
        raise Refused("malformed", "revocation list: bad fields")
    return Crl(serial, frozenset(str(r) for r in revoked), dict(obj))


def verify_cert(obj: Any, root: Ed25519PublicKey, now: float, crl: Crl | None) -> Ed25519PublicKey:
    """The publishing key in certificate ``obj``: root-signed, valid at ``now``, not revoked."""
    try:
        body = _check(obj, root, "publishing key certificate")
    except Refused as exc:
        raise Refused("unknown_key", exc.message) from None
    key = Ed25519PublicKey.from_public_bytes(_raw32(body.get("key")))
    if body.get("id") != fingerprint(key):
        raise Refused("malformed", "certificate: id does not match the key")
    if crl is not None and fingerprint(key) in crl.revoked:
        raise Refused("revoked", f"publishing key {fingerprint(key)} is revoked")
    nb, na = body.get("not_before"), body.get("not_after")
    if not isinstance(nb, int) or not isinstance(na, int) or not nb <= now <= na:
        raise Refused("key_expired", f"publishing key {fingerprint(key)} is not valid now")
    return key


def _raw32(text: Any) -> bytes:
    raw = unb64(text, "certificate key")
    if len(raw) != 32:
        raise Refused("malformed", "certificate: key is not 32 bytes")
    return raw


def verify_signature(key: Ed25519PublicKey, sig: Any, data: bytes) -> None:
    """Raise :class:`Refused` ``signature`` unless ``sig`` signs ``data`` with ``key``."""
    try:
        key.verify(unb64(sig, "manifest signature"), data)
    except InvalidSignature:
        raise Refused("signature", "manifest: bad signature") from None
