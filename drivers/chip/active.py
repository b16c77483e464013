"""Active authentication (ICAO 9303-11 §6.1): the chip proves it holds the DG15 private key.

The terminal sends an 8-byte challenge in INTERNAL AUTHENTICATE; an RSA chip answers with
an ISO/IEC 9796-2 scheme 1 signature (message recovery), an EC chip with ECDSA. The result
counts only when passive authentication proved DG15 genuine: a cloned chip has its own key.
"""

from __future__ import annotations

import hashlib
import os

from asn1crypto import keys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from drivers.chip.apdu import CommandApdu
from drivers.chip.pki import public_key

_TRAILERS = {0x33: "sha1", 0x38: "sha224", 0x34: "sha256", 0x36: "sha384", 0x35: "sha512"}


def internal_authenticate(challenge: bytes) -> CommandApdu:
    """INTERNAL AUTHENTICATE with the terminal's challenge."""
    return CommandApdu(0x00, 0x88, 0x00, 0x00, challenge, 256)


def verify_active(dg15_key: keys.PublicKeyInfo, challenge: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the DG15 key's answer to ``challenge``."""
    key = public_key(dg15_key)
    if isinstance(key, ec.EllipticCurvePublicKey):
        try:
            key.verify(signature, challenge, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True
    return _iso9796_ok(key, challenge, signature)


def _iso9796_ok(key: rsa.RSAPublicKey, challenge: bytes, signature: bytes) -> bool:
    numbers = key.public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    message = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(size, "big")
    if message[-1] == 0xBC:
        algorithm, trailer = "sha1", 1
    elif message[-1] == 0xCC and message[-2] in _TRAILERS:
        algorithm, trailer = _TRAILERS[message[-2]], 2
    else:
        return False
    digest = hashlib.new(algorithm).digest_size
    if message[0] & 0xF0 != 0x60:
        return False
    m1, h = message[1 : size - trailer - digest], message[size - trailer - digest : size - trailer]
    return hashlib.new(algorithm, m1 + challenge).digest() == h


def sign_active(key: rsa.RSAPrivateKey, challenge: bytes) -> bytes:
    """The chip's side (for the simulated chip): ISO 9796-2 scheme 1, SHA-1, partial recovery."""
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    size = (n.bit_length() + 7) // 8
    m1 = os.urandom(size - 20 - 2)
    message = b"\x6a" + m1 + hashlib.sha1(m1 + challenge).digest() + b"\xbc"
    return pow(int.from_bytes(message, "big"), numbers.d, n).to_bytes(size, "big")
