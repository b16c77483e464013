"""Basic Access Control (ICAO 9303-11 §4.3): keys from the MRZ, mutual authentication.

:func:`mrz_information` builds the key seed input from the printed page;
:func:`bac_exchange` is the terminal's side of the protocol as a sans-IO exchange.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Generator
from dataclasses import dataclass

from drivers.chip.apdu import ApduError, CommandApdu, ResponseApdu
from drivers.chip.crypto import ENC, MAC, CipherKind, decrypt_cbc, encrypt_cbc, kdf, pad, retail_mac
from drivers.chip.sm import SessionKeys
from drivers.mrz.checks import check_digit

Random = Callable[[int], bytes]
"""Where nonces and ephemeral keys come from (``os.urandom``; fixed bytes in tests)."""


class AccessDenied(ApduError):
    """The chip refused the keys from the MRZ, or proved it does not know them."""


@dataclass(frozen=True)
class MrzKey:
    """The three MRZ fields that open the chip: document number, birth and expiry (YYMMDD)."""

    document_number: str
    birth_date: str
    expiry_date: str

    def information(self) -> bytes:
        """``MRZ_information``: each field with its check digit (ICAO 9303-11 §9.7.2)."""
        number = self.document_number.upper().ljust(9, "<")
        parts = (number, self.birth_date, self.expiry_date)
        return "".join(p + str(check_digit(p)) for p in parts).encode("ascii")


def mrz_information(document_number: str, birth_date: str, expiry_date: str) -> bytes:
    """``MRZ_information`` for a document number and two YYMMDD dates."""
    return MrzKey(document_number, birth_date, expiry_date).information()


def bac_keys(mrz_info: bytes) -> tuple[bytes, bytes]:
    """(K_enc, K_mac) of BAC, derived from the MRZ information."""
    seed = hashlib.sha1(mrz_info).digest()[:16]
    return kdf(seed, ENC, CipherKind.TDES), kdf(seed, MAC, CipherKind.TDES)


GET_CHALLENGE = CommandApdu(0x00, 0x84, 0x00, 0x00, b"", 8)


def external_authenticate(k_enc: bytes, k_mac: bytes, s: bytes) -> CommandApdu:
    """EXTERNAL AUTHENTICATE with E_IFD || M_IFD over ``S = RND.IFD || RND.IC || K.IFD``."""
    e_ifd = encrypt_cbc(CipherKind.TDES, k_enc, s)
    return CommandApdu(0x00, 0x82, 0x00, 0x00, e_ifd + retail_mac(k_mac, pad(e_ifd, 8)), 40)


def session_from_response(
    k_enc: bytes, k_mac: bytes, rnd_ifd: bytes, k_ifd: bytes, data: bytes
) -> SessionKeys:
    """Check the chip's answer and derive the session keys and SSC."""
    if len(data) != 40:
        raise AccessDenied(f"mutual authentication answer of {len(data)} bytes, expected 40")
    if not hmac.compare_digest(retail_mac(k_mac, pad(data[:32], 8)), data[32:]):
        raise AccessDenied("the chip's authentication MAC is wrong: MRZ keys do not match")
    r = decrypt_cbc(CipherKind.TDES, k_enc, data[:32])
    if r[8:16] != rnd_ifd:
        raise AccessDenied("the chip did not return our challenge: MRZ keys do not match")
    seed = bytes(a ^ b for a, b in zip(k_ifd, r[16:32], strict=True))
    ssc = int.from_bytes(r[4:8] + rnd_ifd[4:8], "big")
    return SessionKeys(
        CipherKind.TDES, kdf(seed, ENC, CipherKind.TDES), kdf(seed, MAC, CipherKind.TDES), ssc
    )


def bac_exchange(
    mrz_info: bytes, rng: Random = os.urandom
) -> Generator[CommandApdu, ResponseApdu, SessionKeys]:
    """The terminal's side of BAC: GET CHALLENGE, EXTERNAL AUTHENTICATE, session keys."""
    k_enc, k_mac = bac_keys(mrz_info)
    rnd_ic = (yield GET_CHALLENGE).check("get challenge")
    if len(rnd_ic) != 8:
        raise AccessDenied(f"challenge of {len(rnd_ic)} bytes, expected 8")
    rnd_ifd, k_ifd = rng(8), rng(16)
    resp = yield external_authenticate(k_enc, k_mac, rnd_ifd + rnd_ic + k_ifd)
    if resp.sw != 0x9000:
        raise AccessDenied(f"the chip refused the MRZ keys (status {resp.sw:04X})", resp.sw)
    return session_from_response(k_enc, k_mac, rnd_ifd, k_ifd, resp.data)
