"""PACE chip-authentication mapping (ICAO 9303-11 §4.4.3.5): the chip's proof, sent in the
last PACE step, that it holds DG14's private key — chip authentication without a second
protocol run.

The chip sends ``A_IC``: its chip authentication data ``CA_IC = SK_Map,IC · SK_IC⁻¹ mod n``
encrypted under the new ``KS_enc`` (AES-CBC, IV = E(KS_enc, the all-ones block), ISO
9797-1 padding method 2). The terminal decrypts it and checks ``PK_Map,IC = CA_IC · PK_IC``
with ``PK_IC`` from DG14; like chip authentication, the result counts only once passive
authentication proved DG14 genuine. The ICAO worked examples we hold have no CAM values:
both sides here are checked against each other only.
"""

from __future__ import annotations

import hmac

from drivers.chip.chipauth import ChipAuthKey
from drivers.chip.crypto import BLOCK_AES, decrypt_cbc, encrypt_cbc, encrypt_ecb, pad, unpad
from drivers.chip.domain import Curve, DomainError
from drivers.chip.pace import PaceOutcome
from drivers.chip.sm import SessionKeys

ALL_ONES = b"\xff" * BLOCK_AES


def _iv(keys: SessionKeys) -> bytes:
    return encrypt_ecb(keys.kind, keys.ks_enc, ALL_ONES)


def chip_auth_data(sk_map: int, sk_ic: int, curve: Curve) -> int:
    """The chip's side: ``CA_IC`` from its PACE mapping key and its DG14 private key."""
    return sk_map * pow(sk_ic, -1, curve.n) % curve.n


def encrypt_cam(keys: SessionKeys, ca_ic: int, curve: Curve) -> bytes:
    """The chip's side: ``A_IC``, sent with tag 8A in the last PACE answer."""
    plain = pad(ca_ic.to_bytes((curve.n.bit_length() + 7) // 8, "big"), BLOCK_AES)
    return encrypt_cbc(keys.kind, keys.ks_enc, plain, _iv(keys))


def verify_cam(outcome: PaceOutcome, key: ChipAuthKey) -> bool:
    """True when the chip's CAM data proves it holds the private key of DG14's ``key``."""
    if not isinstance(key.group, Curve) or not outcome.cam_data:
        return False
    try:
        data = decrypt_cbc(
            outcome.keys.kind, outcome.keys.ks_enc, outcome.cam_data, _iv(outcome.keys)
        )
        ca_ic = int.from_bytes(unpad(data), "big")
        point = key.group.mul(ca_ic, key.group.decode(key.public))
        return point is not None and hmac.compare_digest(
            key.group.encode(point), outcome.chip_mapping_key
        )
    except (ValueError, DomainError):
        return False
