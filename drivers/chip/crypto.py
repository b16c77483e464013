"""The symmetric primitives of ICAO 9303-11: key derivation, 3DES and AES, their MACs, padding.

Everything is a pure function over bytes so that the known-answer values of Doc 9303-11
(appendices D and G) can be checked one step at a time. Two-key 3DES keys are 16 bytes
here and are widened to ``K1 || K2 || K1`` for ``cryptography``.
"""

from __future__ import annotations

import hashlib
from enum import Enum

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

BLOCK_3DES = 8
BLOCK_AES = 16


class CipherKind(Enum):
    """The session cipher a protocol negotiated (the key length is part of it)."""

    TDES = ("3DES", 16)
    AES128 = ("AES", 16)
    AES192 = ("AES", 24)
    AES256 = ("AES", 32)

    @property
    def block(self) -> int:
        """The cipher's block size in bytes (also the SSC size)."""
        return BLOCK_3DES if self is CipherKind.TDES else BLOCK_AES

    @property
    def key_length(self) -> int:
        """Length of a session key in bytes."""
        return self.value[1]


ENC, MAC, PACE_PI = 1, 2, 3
"""Counters of the key derivation function: encryption key, MAC key, PACE password key."""


def kdf(secret: bytes, counter: int, kind: CipherKind) -> bytes:
    """ICAO 9303-11 §9.7.1: a key of ``kind`` from a shared secret and a counter."""
    data = secret + counter.to_bytes(4, "big")
    if kind in (CipherKind.TDES, CipherKind.AES128):
        digest = hashlib.sha1(data).digest()
    else:
        digest = hashlib.sha256(data).digest()
    key = digest[: kind.key_length]
    return adjust_parity(key) if kind is CipherKind.TDES else key


def adjust_parity(key: bytes) -> bytes:
    """DES keys with odd parity in every byte (the low bit is the parity bit)."""
    return bytes((b & 0xFE) | ((bin(b >> 1).count("1") + 1) % 2) for b in key)


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros up to a whole block."""
    data += b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes:
    """Remove padding method 2; a missing 0x80 marker is an error."""
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise ValueError("bad ISO 9797-1 padding in decrypted data")
    return stripped[:-1]


def _tdes(key: bytes) -> TripleDES:
    return TripleDES(key + key[:8] if len(key) == 16 else key)


def _algorithm(kind: CipherKind, key: bytes) -> TripleDES | algorithms.AES:
    return _tdes(key) if kind is CipherKind.TDES else algorithms.AES(key)


def encrypt_cbc(kind: CipherKind, key: bytes, data: bytes, iv: bytes | None = None) -> bytes:
    """CBC encryption of whole blocks (IV zero unless given)."""
    enc = Cipher(_algorithm(kind, key), modes.CBC(iv or bytes(kind.block))).encryptor()
    return enc.update(data) + enc.finalize()


def decrypt_cbc(kind: CipherKind, key: bytes, data: bytes, iv: bytes | None = None) -> bytes:
    """CBC decryption of whole blocks (IV zero unless given)."""
    if len(data) % kind.block:
        raise ValueError(f"ciphertext of {len(data)} bytes is not whole {kind.block}-byte blocks")
    dec = Cipher(_algorithm(kind, key), modes.CBC(iv or bytes(kind.block))).decryptor()
    return dec.update(data) + dec.finalize()


def encrypt_ecb(kind: CipherKind, key: bytes, block: bytes) -> bytes:
    """One block in ECB mode (the AES secure-messaging IV is ``E(K, SSC)``)."""
    enc = Cipher(_algorithm(kind, key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES (the 3DES 'retail MAC') over padded data."""
    k1, k2 = key[:8], key[8:16]
    chain = encrypt_cbc(CipherKind.TDES, k1 * 3, data)[-8:]
    dec = Cipher(_tdes(k2 * 3), modes.ECB()).decryptor()
    return encrypt_ecb(CipherKind.TDES, k1 * 3, dec.update(chain) + dec.finalize())


def aes_cmac(key: bytes, data: bytes) -> bytes:
    """AES-CMAC (NIST SP 800-38B), full 16 bytes."""
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def mac8(kind: CipherKind, key: bytes, padded: bytes) -> bytes:
    """The 8-byte MAC secure messaging and PACE tokens use (data already padded for 3DES)."""
    if kind is CipherKind.TDES:
        return retail_mac(key, padded)
    return aes_cmac(key, padded)[:8]
