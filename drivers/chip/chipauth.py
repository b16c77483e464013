"""Chip authentication (ICAO 9303-11 §6.2): the chip proves it holds DG14's private key by
agreeing new session keys with the terminal's ephemeral key (ECDH or DH).

Version 1 (3DES, ``id-CA-ECDH-3DES-CBC-CBC``) sends the terminal's key in MSE:Set KAT;
version 2 (AES) in MSE:Set AT + GENERAL AUTHENTICATE. Secure messaging restarts with the
new keys, so a chip without the key cannot answer the next command. DG14's ECDH key
(``id-PK-ECDH``, explicit curve parameters) or DH key (``id-PK-DH``, X9.42 domain
parameters p, g, q) is used, ECDH first when a chip offers both.
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
from drivers.chip.domain import Curve, DhGroup, DomainError, curve_by_params
from drivers.chip.lds import expect_dg
from drivers.chip.pace import SecurityInfos
from drivers.chip.sm import SessionKeys
from drivers.chip.tlv import ChipFormatError, encode

ID_PK_DH, ID_PK_ECDH = "0.4.0.127.0.7.2.2.1.1", "0.4.0.127.0.7.2.2.1.2"
ID_CA_DH, ID_CA_ECDH = "0.4.0.127.0.7.2.2.3.1", "0.4.0.127.0.7.2.2.3.2"
_OFFERS = ((ID_PK_ECDH, ID_CA_ECDH), (ID_PK_DH, ID_CA_DH))
_KINDS = {
    "1": CipherKind.TDES,
    "2": CipherKind.AES128,
    "3": CipherKind.AES192,
    "4": CipherKind.AES256,
}


@dataclass(frozen=True)
class ChipAuthKey:
    """DG14's chip-authentication key: the protocol to run, its curve or MODP group, and
    its public point (ECDH) or value (DH, as many bytes as p)."""

    protocol: str
    kind: CipherKind
    group: Curve | DhGroup
    public: bytes


def chip_auth_key(dg14: bytes) -> ChipAuthKey | None:
    """The chip-authentication key and protocol DG14 offers (None when it offers none)."""
    try:
        infos = list(SecurityInfos.load(expect_dg(dg14, 14), strict=True))
        for pk_oid, ca_oid in _OFFERS:
            pks = [i["required"].dump() for i in infos if i["protocol"].dotted == pk_oid]
            cas = [
                i["protocol"].dotted for i in infos if i["protocol"].dotted.startswith(ca_oid + ".")
            ]
            if pks and cas and cas[0][-1] in _KINDS:
                return _key(pks[0], cas[0])
        return None
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipFormatError(f"DG14 chip-authentication key: {exc}") from exc


def _key(public_key_info: bytes, protocol: str) -> ChipAuthKey:
    info = keys.PublicKeyInfo.load(public_key_info)
    params, kind = info["algorithm"]["parameters"], _KINDS[protocol[-1]]
    if info["algorithm"]["algorithm"].native != "dh":
        curve = _curve(params)
        return ChipAuthKey(protocol, kind, curve, bytes(info["public_key"].native))
    if params["q"].native is None:
        raise ChipFormatError("DG14 DH key without the subgroup order q")
    group = DhGroup(-1, params["p"].native, params["g"].native, params["q"].native)
    public = int(info["public_key"].parsed.native)
    return ChipAuthKey(protocol, kind, group, public.to_bytes(group.size, "big"))


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


def session_keys(
    kind: CipherKind, group: Curve | DhGroup, private: int, peer: bytes
) -> SessionKeys:
    """The keys both sides derive from the ECDH or DH secret (SSC starts at 0)."""
    secret = _shared(group, private, peer)
    return SessionKeys(kind, kdf(secret, ENC, kind), kdf(secret, MAC, kind), 0)


def _shared(group: Curve | DhGroup, private: int, peer: bytes) -> bytes:
    """The shared secret: the x coordinate of the shared point, or the DH value, padded."""
    try:
        if isinstance(group, DhGroup):
            return pow(group.decode(peer), private, group.p).to_bytes(group.size, "big")
        shared = group.mul(private, group.decode(peer))
    except DomainError as exc:
        raise ChipFormatError(f"chip authentication: {exc}") from exc
    if shared is None:
        raise ChipFormatError("chip authentication: shared point at infinity")
    return shared[0].to_bytes(group.size, "big")


def ephemeral(group: Curve | DhGroup, rng: Random) -> tuple[int, bytes]:
    """A fresh key pair on ``group``: (private, public encoded as it is sent)."""
    if isinstance(group, DhGroup):
        private = int.from_bytes(rng(group.size), "big") % (group.q - 1) + 1
        return private, pow(group.g, private, group.p).to_bytes(group.size, "big")
    private = int.from_bytes(rng(group.size), "big") % (group.n - 1) + 1
    return private, group.encode(group.mul(private, group.generator))


def chip_auth_exchange(
    key: ChipAuthKey, rng: Random = os.urandom
) -> Generator[CommandApdu, ResponseApdu, SessionKeys]:
    """The terminal's side; returns the new session keys once the chip accepted our key."""
    private, ours = ephemeral(key.group, rng)
    if key.kind is CipherKind.TDES:
        (yield CommandApdu(0x00, 0x22, 0x41, 0xA6, encode(0x91, ours))).check("chip authentication")
    else:
        oid = core.ObjectIdentifier(key.protocol).dump()[2:]
        (yield CommandApdu(0x00, 0x22, 0x41, 0xA4, encode(0x80, oid))).check("chip authentication")
        ga = CommandApdu(0x00, 0x86, 0x00, 0x00, encode(0x7C, encode(0x80, ours)), 256)
        (yield ga).check("chip authentication")
    return session_keys(key.kind, key.group, private, key.public)
