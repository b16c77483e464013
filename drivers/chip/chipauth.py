"""Chip authentication (ICAO 9303-11 §6.2): the chip proves it holds DG14's private key by
agreeing new session keys with the terminal's ephemeral key (ECDH).

Version 1 (3DES, ``id-CA-ECDH-3DES-CBC-CBC``) sends the terminal's key in MSE:Set KAT;
version 2 (AES) in MSE:Set AT + GENERAL AUTHENTICATE. Secure messaging restarts with the
new keys, so a chip without the key cannot answer the next command. Only ECDH is done.
The result counts only when passive authentication proved DG14 genuine.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass

from asn1crypto import core, keys

from drivers.chip.apdu import CommandApdu, ResponseApdu
from drivers.chip.bac import Random
from drivers.chip.crypto import ENC, MAC, CipherKind, kdf
from drivers.chip.domain import Curve, curve_by_params
from drivers.chip.lds import expect_dg
from drivers.chip.pace import SecurityInfos
from drivers.chip.sm import SessionKeys
from drivers.chip.tlv import ChipFormatError, encode

ID_PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
ID_CA_ECDH = "0.4.0.127.0.7.2.2.3.2"
_KINDS = {
    "1": CipherKind.TDES,
    "2": CipherKind.AES128,
    "3": CipherKind.AES192,
    "4": CipherKind.AES256,
}


@dataclass(frozen=True)
class ChipAuthKey:
    """DG14's chip-authentication key: the protocol to run, its curve and public point."""

    protocol: str
    kind: CipherKind
    curve: Curve
    public: bytes


def chip_auth_key(dg14: bytes) -> ChipAuthKey | None:
    """The ECDH chip-authentication key and protocol DG14 offers (None when it offers none)."""
    try:
        infos = list(SecurityInfos.load(expect_dg(dg14, 14), strict=True))
        pks = [i["required"].dump() for i in infos if i["protocol"].dotted == ID_PK_ECDH]
        cas = [
            i["protocol"].dotted for i in infos if i["protocol"].dotted.startswith(ID_CA_ECDH + ".")
        ]
        if not pks or not cas or cas[0][-1] not in _KINDS:
            return None
        info = keys.PublicKeyInfo.load(pks[0])
        curve = _curve(info["algorithm"]["parameters"])
        return ChipAuthKey(cas[0], _KINDS[cas[0][-1]], curve, bytes(info["public_key"].native))
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipFormatError(f"DG14 chip-authentication key: {exc}") from exc


def _curve(params: keys.ECDomainParameters) -> Curve:
    if params.name != "specified":
        raise ChipFormatError(
            "DG14 key on a named curve is not supported here, only explicit parameters"
        )
    spec = params.chosen
    base, size = spec["base"].native, (len(spec["base"].native) - 1) // 2
    curve = curve_by_params(
        spec["field_id"]["parameters"].native, int.from_bytes(spec["curve"]["a"].native, "big"),
        int.from_bytes(spec["curve"]["b"].native, "big"), int.from_bytes(base[1 : 1 + size], "big"),
        int.from_bytes(base[1 + size :], "big"),
    )  # fmt: skip
    if curve is None:
        raise ChipFormatError("DG14 key on an unknown curve")
    return curve


def session_keys(kind: CipherKind, curve: Curve, private: int, peer: bytes) -> SessionKeys:
    """The keys both sides derive from the ECDH secret (SSC starts at 0)."""
    shared = curve.mul(private, curve.decode(peer))
    if shared is None:
        raise ChipFormatError("chip authentication: shared point at infinity")
    secret = shared[0].to_bytes(curve.size, "big")
    return SessionKeys(kind, kdf(secret, ENC, kind), kdf(secret, MAC, kind), 0)


def chip_auth_exchange(
    key: ChipAuthKey, rng: Random = os.urandom
) -> Generator[CommandApdu, ResponseApdu, SessionKeys]:
    """The terminal's side; returns the new session keys once the chip accepted our key."""
    private = int.from_bytes(rng(key.curve.size), "big") % (key.curve.n - 1) + 1
    ours = key.curve.encode(key.curve.mul(private, key.curve.generator))
    if key.kind is CipherKind.TDES:
        (yield CommandApdu(0x00, 0x22, 0x41, 0xA6, encode(0x91, ours))).check("chip authentication")
    else:
        oid = core.ObjectIdentifier(key.protocol).dump()[2:]
        (yield CommandApdu(0x00, 0x22, 0x41, 0xA4, encode(0x80, oid))).check("chip authentication")
        ga = CommandApdu(0x00, 0x86, 0x00, 0x00, encode(0x7C, encode(0x80, ours)), 256)
        (yield ga).check("chip authentication")
    return session_keys(key.kind, key.curve, private, key.public)
