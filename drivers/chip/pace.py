"""PACE with generic mapping (ICAO 9303-11 §4.4), ECDH and DH, and ECDH chip-authentication
mapping (CAM), terminal side, sans-IO.

:func:`parse_card_access` reads the PACE options a chip offers in EF.CardAccess;
:func:`pace_exchange` runs MSE:Set AT and the four GENERAL AUTHENTICATE steps and
returns the session keys; :func:`pace_run` also returns, under CAM, what the chip sent to
prove it holds DG14's key (checked by :mod:`drivers.chip.cam`). Integrated mapping is not
done.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Generator
from dataclasses import dataclass

from asn1crypto import core

from drivers.chip.apdu import CommandApdu, ResponseApdu
from drivers.chip.bac import AccessDenied, Random
from drivers.chip.crypto import ENC, MAC, PACE_PI, CipherKind, decrypt_cbc, kdf, mac8, pad
from drivers.chip.domain import Curve, DhGroup, DomainError, Point, domain
from drivers.chip.sm import SessionKeys
from drivers.chip.tlv import ChipFormatError, TlvError, encode, expect, parse_all

ID_PACE = "0.4.0.127.0.7.2.2.4"
_MAPPINGS = {"1": "DH-GM", "2": "ECDH-GM", "3": "DH-IM", "4": "ECDH-IM", "6": "ECDH-CAM"}
_CIPHERS = {
    "1": CipherKind.TDES,
    "2": CipherKind.AES128,
    "3": CipherKind.AES192,
    "4": CipherKind.AES256,
}
MRZ_PASSWORD, CAN_PASSWORD = 1, 2
CAM = "ECDH-CAM"


class _SecurityInfo(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 - asn1crypto's declaration style
        ("protocol", core.ObjectIdentifier),
        ("required", core.Any),
        ("optional", core.Any, {"optional": True}),
    ]


class SecurityInfos(core.SetOf):  # type: ignore[misc]
    """``SecurityInfos`` (EF.CardAccess, DG14): a set of protocol descriptions."""

    _child_spec = _SecurityInfo


@dataclass(frozen=True)
class PaceInfo:
    """One PACE option of a chip: protocol OID, mapping, cipher and domain parameter id."""

    protocol: str
    mapping: str
    kind: CipherKind
    param_id: int


def parse_card_access(data: bytes) -> list[PaceInfo]:
    """The PACE options in EF.CardAccess (other protocols are skipped)."""
    try:
        infos = SecurityInfos.load(data, strict=True)
        return [p for p in (_pace_info(i) for i in infos) if p is not None]
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipFormatError(f"EF.CardAccess is not a SecurityInfos set: {exc}") from exc


def _pace_info(info: _SecurityInfo) -> PaceInfo | None:
    oid = info["protocol"].dotted
    parts = oid[len(ID_PACE) + 1 :].split(".")
    if not oid.startswith(ID_PACE + ".") or len(parts) != 2 or parts[0] not in _MAPPINGS:
        return None
    if parts[1] not in _CIPHERS or not isinstance(info["optional"].parsed, core.Integer):
        return None
    param = info["optional"].parsed.native
    return PaceInfo(oid, _MAPPINGS[parts[0]], _CIPHERS[parts[1]], int(param))


def mse_set_at(info: PaceInfo, password: int = MRZ_PASSWORD) -> CommandApdu:
    """MSE:Set AT selecting the protocol, the password and the domain parameters."""
    oid = core.ObjectIdentifier(info.protocol).dump()[2:]
    data = (
        encode(0x80, oid) + encode(0x83, bytes([password])) + encode(0x84, bytes([info.param_id]))
    )
    return CommandApdu(0x00, 0x22, 0xC1, 0xA4, data)


def general_authenticate(tag: int, value: bytes | None, last: bool = False) -> CommandApdu:
    """GENERAL AUTHENTICATE with one dynamic authentication data object (chained unless last)."""
    inner = b"" if value is None else encode(tag, value)
    return CommandApdu(0x00 if last else 0x10, 0x86, 0x00, 0x00, encode(0x7C, inner), 256)


def _answers(resp: ResponseApdu, step: str) -> dict[int, bytes]:
    if resp.sw != 0x9000:
        raise AccessDenied(
            f"PACE {step}: the chip refused (status {resp.sw:04X}); is the MRZ right?", resp.sw
        )
    try:
        return parse_all(expect(resp.data, 0x7C))
    except TlvError as exc:
        raise AccessDenied(f"PACE {step}: malformed answer ({exc})") from exc


def _answer(resp: ResponseApdu, tag: int, step: str) -> bytes:
    found = _answers(resp, step)
    if tag not in found:
        raise AccessDenied(f"PACE {step}: answer lacks tag {tag:02X}")
    return found[tag]


class PaceGroup:
    """The operations PACE needs, over an EC curve or a MODP group."""

    def __init__(self, dom: Curve | DhGroup, rng: Random) -> None:
        self.dom, self.rng = dom, rng

    def private(self) -> int:
        """A random private key (scalar or exponent) below the group order."""
        order = self.dom.n if isinstance(self.dom, Curve) else self.dom.q
        while True:
            k = int.from_bytes(self.rng((order.bit_length() + 7) // 8), "big") % order
            if k:
                return k

    def public(self, k: int, gen: Point | int) -> bytes:
        """The encoded public value k·gen (EC point) or gen^k (DH)."""
        if isinstance(self.dom, Curve):
            assert not isinstance(gen, int)
            return self.dom.encode(self.dom.mul(k, gen))
        assert isinstance(gen, int)
        return pow(gen, k, self.dom.p).to_bytes(self.dom.size, "big")

    def shared(self, k: int, peer: bytes) -> Point | int:
        """k times the peer's public value (the ECDH/DH shared element)."""
        if isinstance(self.dom, Curve):
            pt = self.dom.mul(k, self.dom.decode(peer))
            if pt is None:
                raise AccessDenied("PACE: shared point is the point at infinity")
            return pt
        return pow(self.dom.decode(peer), k, self.dom.p)

    def mapped(self, s: int, h: Point | int) -> Point | int:
        """The generic mapping's new generator: s·G + H (EC) or g^s·h (DH)."""
        if isinstance(self.dom, Curve):
            assert not isinstance(h, int)
            return self.dom.add(self.dom.mul(s, self.dom.generator), h)
        assert isinstance(h, int)
        return pow(self.dom.g, s, self.dom.p) * h % self.dom.p

    def secret(self, shared: Point | int) -> bytes:
        """The shared secret bytes: the x coordinate, or the DH value."""
        if isinstance(shared, int):
            return shared.to_bytes(self.dom.size, "big")
        assert shared is not None
        return shared[0].to_bytes(self.dom.size, "big")

    def generator(self) -> Point | int:
        """The standard generator."""
        return self.dom.generator if isinstance(self.dom, Curve) else self.dom.g


def password_key(password: bytes, password_type: int = MRZ_PASSWORD) -> bytes:
    """K: SHA-1 of the MRZ information, or the CAN itself."""
    return hashlib.sha1(password).digest() if password_type == MRZ_PASSWORD else password


def auth_token(info: PaceInfo, ks_mac: bytes, public: bytes, dh: bool) -> bytes:
    """The authentication token: MAC over the peer's ephemeral public key data object."""
    oid = core.ObjectIdentifier(info.protocol).dump()[2:]
    obj = encode(0x7F49, encode(0x06, oid) + encode(0x84 if dh else 0x86, public))
    data = pad(obj, 8) if info.kind is CipherKind.TDES else obj
    return mac8(info.kind, ks_mac, data)


@dataclass(frozen=True)
class PaceOutcome:
    """What a PACE run established: the session keys and, with chip-authentication mapping
    (CAM), the chip's mapping public key and its encrypted chip authentication data, which
    prove the chip holds DG14's key once checked (:mod:`drivers.chip.cam`)."""

    keys: SessionKeys
    chip_mapping_key: bytes = b""
    cam_data: bytes = b""


def pace_exchange(
    info: PaceInfo,
    password: bytes,
    password_type: int = MRZ_PASSWORD,
    rng: Random = os.urandom,
) -> Generator[CommandApdu, ResponseApdu, SessionKeys]:
    """The terminal's side of PACE-GM (or -CAM); raises :class:`AccessDenied` on a wrong
    password."""
    outcome = yield from pace_run(info, password, password_type, rng)
    return outcome.keys


def pace_run(
    info: PaceInfo,
    password: bytes,
    password_type: int = MRZ_PASSWORD,
    rng: Random = os.urandom,
) -> Generator[CommandApdu, ResponseApdu, PaceOutcome]:
    """PACE with generic mapping or ECDH chip-authentication mapping; the whole outcome."""
    if not (info.mapping.endswith("-GM") or info.mapping == CAM):
        raise AccessDenied(f"PACE {info.mapping} is not supported, only GM and ECDH-CAM")
    try:
        group = PaceGroup(domain(info.param_id), rng)
    except DomainError as exc:
        raise AccessDenied(f"PACE: {exc}") from exc
    (yield mse_set_at(info, password_type)).check("PACE MSE:Set AT")
    k_pi = kdf(password_key(password, password_type), PACE_PI, info.kind)
    z = _answer((yield general_authenticate(0x80, None)), 0x80, "step 1 (nonce)")
    s = int.from_bytes(decrypt_cbc(info.kind, k_pi, z), "big")
    generator, chip_mapping = yield from _map(group, s)
    keys, cam_data = yield from _agree(info, group, generator)
    if info.mapping == CAM and not cam_data:
        raise AccessDenied("PACE-CAM: the chip sent no chip authentication data (8A)")
    return PaceOutcome(keys, chip_mapping if info.mapping == CAM else b"", cam_data)


def _map(
    group: PaceGroup, s: int
) -> Generator[CommandApdu, ResponseApdu, tuple[Point | int, bytes]]:
    k = group.private()
    ours = group.public(k, group.generator())
    theirs = _answer((yield general_authenticate(0x81, ours)), 0x82, "step 2 (mapping)")
    if hmac.compare_digest(theirs, ours):
        raise AccessDenied("PACE: the chip echoed our mapping key")
    try:
        return group.mapped(s, group.shared(k, theirs)), theirs
    except DomainError as exc:
        raise AccessDenied(f"PACE step 2: {exc}") from exc


def _agree(
    info: PaceInfo, group: PaceGroup, generator: Point | int
) -> Generator[CommandApdu, ResponseApdu, tuple[SessionKeys, bytes]]:
    k = group.private()
    ours = group.public(k, generator)
    theirs = _answer((yield general_authenticate(0x83, ours)), 0x84, "step 3 (key agreement)")
    try:
        secret = group.secret(group.shared(k, theirs))
    except DomainError as exc:
        raise AccessDenied(f"PACE step 3: {exc}") from exc
    ks_enc, ks_mac = kdf(secret, ENC, info.kind), kdf(secret, MAC, info.kind)
    dh = isinstance(group.dom, DhGroup)
    token = auth_token(info, ks_mac, theirs, dh)
    last = _answers((yield general_authenticate(0x85, token, last=True)), "step 4 (tokens)")
    if not hmac.compare_digest(last.get(0x86, b""), auth_token(info, ks_mac, ours, dh)):
        raise AccessDenied("PACE: the chip's token is wrong: the password does not match")
    return SessionKeys(info.kind, ks_enc, ks_mac, 0), last.get(0x8A, b"")
