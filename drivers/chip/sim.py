"""A simulated ePassport chip: answers APDUs from a document's files, with BAC, PACE and AA.

Sans-IO: :meth:`SimulatedChip.transmit` takes a command APDU's bytes and returns the
response's. It serves the eMRTD application with EF.CardAccess (when PACE is offered),
EF.COM, EF.SOD and the data groups given; it answers BAC (GET CHALLENGE, EXTERNAL
AUTHENTICATE), PACE ECDH generic mapping, READ BINARY under secure messaging, and
INTERNAL AUTHENTICATE when it holds an active-authentication key. It is what the tests,
the benchmark and ``borderpost chip read --sim`` read, and what a PC/SC virtual reader
can serve. Chip authentication (DG14) is not simulated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

from drivers.chip.active import sign_active
from drivers.chip.apdu import SW_OK, ApduError, CommandApdu, ResponseApdu, parse_command
from drivers.chip.bac import bac_keys
from drivers.chip.cam import chip_auth_data, encrypt_cam
from drivers.chip.chipauth import ChipAuthKey, chip_auth_key, session_keys
from drivers.chip.crypto import (
    ENC,
    MAC,
    PACE_PI,
    CipherKind,
    decrypt_cbc,
    encrypt_cbc,
    kdf,
    pad,
    retail_mac,
)
from drivers.chip.domain import Curve, DomainError, Point, domain
from drivers.chip.lds import FID_CARD_ACCESS, FID_OF_DG
from drivers.chip.pace import CAM, PaceGroup, PaceInfo, auth_token, password_key
from drivers.chip.sm import SecureChannel, SecureMessagingError, SessionKeys
from drivers.chip.tlv import ChipFormatError, TlvError, encode, expect, parse_all

AID = bytes.fromhex("A0000002471001")
ECDH_GM_AES128 = PaceInfo("0.4.0.127.0.7.2.2.4.2.2", "ECDH-GM", CipherKind.AES128, 13)
ECDH_CAM_AES128 = PaceInfo("0.4.0.127.0.7.2.2.4.6.2", "ECDH-CAM", CipherKind.AES128, 13)


def card_access(info: PaceInfo) -> bytes:
    """EF.CardAccess offering one PACE option (SecurityInfos with a PACEInfo)."""
    from asn1crypto import core

    oid = core.ObjectIdentifier(info.protocol).dump()
    body = oid + core.Integer(2).dump() + core.Integer(info.param_id).dump()
    return encode(0x31, encode(0x30, body))


class SimulatedChip:
    """One chip: files by FID, the MRZ information that opens it, optional PACE and AA."""

    def __init__(
        self,
        files: Mapping[int, bytes],
        mrz_info: bytes,
        pace: PaceInfo | None = None,
        aa_key: rsa.RSAPrivateKey | None = None,
        short_only: bool = False,
        ca_key: int | None = None,
    ) -> None:
        self.files = dict(files)
        self.ca_key = ca_key
        self._ca: ChipAuthKey | None = None
        if pace is not None:
            self.files[FID_CARD_ACCESS] = card_access(pace)
        self.mrz_info, self.pace, self.aa_key, self.short_only = mrz_info, pace, aa_key, short_only
        self.channel: SecureChannel | None = None
        self.selected: int | None = None
        self.applet = False
        self._bac: tuple[bytes, bytes, bytes] | None = None
        self._pace: _PaceState | None = None
        self._pending: SessionKeys | None = None
        self.commands = 0

    def transmit(self, raw: bytes) -> bytes:
        """Answer one command APDU."""
        self.commands += 1
        if self.short_only and len(raw) > 4 and raw[4] == 0 and len(raw) > 5:
            return b"\x67\x00"
        try:
            if self.channel is not None and raw[0] & 0x0C == 0x0C:
                cmd = self.channel.unprotect_command(raw)
                answer = self.channel.protect_response(self._answer(cmd))
            else:
                self.channel = None
                answer = self._answer(parse_command(raw)).to_bytes()
            if self._pending is not None:
                self.channel, self._pending = SecureChannel(self._pending), None
            return answer
        except SecureMessagingError as exc:
            self.channel = None
            return exc.sw.to_bytes(2, "big") if exc.sw else b"\x69\x88"
        except (ApduError, TlvError, KeyError, ValueError, ChipFormatError):
            return b"\x6a\x80"

    def _answer(self, cmd: CommandApdu) -> ResponseApdu:
        handler = {0xA4: self._select, 0xB0: self._read, 0xB1: self._read, 0x84: self._challenge,
                   0x82: self._external, 0x22: self._mse, 0x86: self._general,
                   0x88: self._internal}.get(cmd.ins)  # fmt: skip
        if handler is None:
            return ResponseApdu(b"", 0x6D00)
        return handler(cmd)

    def _select(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.p1 == 0x04:
            self.applet = cmd.data == AID
            return ResponseApdu(b"", SW_OK if self.applet else 0x6A82)
        fid = int.from_bytes(cmd.data, "big")
        if fid not in self.files or (fid != FID_CARD_ACCESS and not self._open()):
            return ResponseApdu(b"", 0x6A82 if fid not in self.files else 0x6982)
        self.selected = fid
        return ResponseApdu(b"", SW_OK)

    def _open(self) -> bool:
        return self.applet and self.channel is not None

    def _read(self, cmd: CommandApdu) -> ResponseApdu:
        if self.selected is None:
            return ResponseApdu(b"", 0x6986)
        if cmd.ins == 0xB1:
            offset = int.from_bytes(expect(cmd.data, 0x54), "big")
        else:
            offset = (cmd.p1 << 8) | cmd.p2
        data = self.files[self.selected]
        if offset > len(data):
            return ResponseApdu(b"", 0x6B00)
        chunk = data[offset : offset + (cmd.ne or 256)]
        return ResponseApdu(encode(0x53, chunk) if cmd.ins == 0xB1 else chunk, SW_OK)

    def _challenge(self, cmd: CommandApdu) -> ResponseApdu:
        rnd_ic = os.urandom(8)
        k_enc, k_mac = bac_keys(self.mrz_info)
        self._bac = (rnd_ic, k_enc, k_mac)
        return ResponseApdu(rnd_ic, SW_OK)

    def _external(self, cmd: CommandApdu) -> ResponseApdu:
        if self._bac is None or len(cmd.data) != 40:
            return ResponseApdu(b"", 0x6985)
        rnd_ic, k_enc, k_mac = self._bac
        self._bac = None
        if retail_mac(k_mac, pad(cmd.data[:32], 8)) != cmd.data[32:]:
            return ResponseApdu(b"", 0x6300)
        s = decrypt_cbc(CipherKind.TDES, k_enc, cmd.data[:32])
        if s[8:16] != rnd_ic:
            return ResponseApdu(b"", 0x6300)
        k_ic = os.urandom(16)
        r = encrypt_cbc(CipherKind.TDES, k_enc, rnd_ic + s[:8] + k_ic)
        seed = bytes(a ^ b for a, b in zip(s[16:32], k_ic, strict=True))
        ssc = int.from_bytes(rnd_ic[4:8] + s[4:8], "big")
        keys = SessionKeys(
            CipherKind.TDES, kdf(seed, ENC, CipherKind.TDES), kdf(seed, MAC, CipherKind.TDES), ssc
        )
        self._pending = keys
        return ResponseApdu(r + retail_mac(k_mac, pad(r, 8)), SW_OK)

    def _internal(self, cmd: CommandApdu) -> ResponseApdu:
        if self.aa_key is None or not self._open():
            return ResponseApdu(b"", 0x6D00 if self.aa_key is None else 0x6982)
        return ResponseApdu(sign_active(self.aa_key, cmd.data), SW_OK)

    def _mse(self, cmd: CommandApdu) -> ResponseApdu:
        if (cmd.p1, cmd.p2) in ((0x41, 0xA6), (0x41, 0xA4)):
            return self._chip_auth(cmd)
        if self.pace is None:
            return ResponseApdu(b"", 0x6A80)
        group = PaceGroup(domain(self.pace.param_id), os.urandom)
        k_pi = kdf(password_key(self.mrz_info), PACE_PI, self.pace.kind)
        self._pace = _PaceState(group, k_pi, ca_key=self.ca_key)
        return ResponseApdu(b"", SW_OK)

    def _chip_auth(self, cmd: CommandApdu) -> ResponseApdu:
        """MSE:Set KAT (version 1: the terminal's key is here) or Set AT (version 2)."""
        dg14 = self.files.get(FID_OF_DG[14])
        key = chip_auth_key(dg14) if dg14 and self.ca_key is not None else None
        if key is None or not self._open():
            return ResponseApdu(b"", 0x6A80)
        if cmd.p2 == 0xA6:
            self._pending = session_keys(
                key.kind, key.group, self.ca_key or 0, expect(cmd.data, 0x91)
            )
        else:
            self._ca = key
        return ResponseApdu(b"", SW_OK)

    def _general(self, cmd: CommandApdu) -> ResponseApdu:
        if self._ca is not None:
            key, self._ca = self._ca, None
            peer = parse_all(expect(cmd.data, 0x7C))[0x80]
            self._pending = session_keys(key.kind, key.group, self.ca_key or 0, peer)
            return ResponseApdu(encode(0x7C, b""), SW_OK)
        state = self._pace
        if self.pace is None or state is None:
            return ResponseApdu(b"", 0x6985)
        try:
            inner = parse_all(expect(cmd.data, 0x7C))
            answer = (_nonce, _map, _agree, _tokens)[state.step](self.pace, state, inner)
        except (TlvError, KeyError, IndexError, DomainError):
            answer = None
        if answer is None:
            self._pace = None
            return ResponseApdu(b"", 0x6300)
        state.step += 1
        if state.keys is not None:
            self._pending, self._pace = state.keys, None
        return ResponseApdu(encode(0x7C, answer), SW_OK)


@dataclass
class _PaceState:
    """The chip's side of a PACE run in progress."""

    group: PaceGroup
    k_pi: bytes
    step: int = 0
    nonce: int = 0
    generator: Point | int = None
    ours: bytes = b""
    theirs: bytes = b""
    enc: bytes = b""
    mac: bytes = b""
    keys: SessionKeys | None = None
    ca_key: int | None = None  # DG14's private key, for chip-authentication mapping
    map_key: int = 0  # the chip's mapping private key (CAM proves it with ca_key)


def _nonce(info: PaceInfo, state: _PaceState, _inner: dict[int, bytes]) -> bytes:
    nonce = os.urandom(16)
    state.nonce = int.from_bytes(nonce, "big")
    return encode(0x80, encrypt_cbc(info.kind, state.k_pi, nonce))


def _map(info: PaceInfo, state: _PaceState, inner: dict[int, bytes]) -> bytes:
    group = state.group
    k = state.map_key = group.private()
    state.generator = group.mapped(state.nonce, group.shared(k, inner[0x81]))
    return encode(0x82, group.public(k, group.generator()))


def _agree(info: PaceInfo, state: _PaceState, inner: dict[int, bytes]) -> bytes:
    group = state.group
    k = group.private()
    state.ours, state.theirs = group.public(k, state.generator), inner[0x83]
    secret = group.secret(group.shared(k, state.theirs))
    state.enc, state.mac = kdf(secret, ENC, info.kind), kdf(secret, MAC, info.kind)
    return encode(0x84, state.ours)


def _tokens(info: PaceInfo, state: _PaceState, inner: dict[int, bytes]) -> bytes | None:
    dh = not isinstance(state.group.dom, Curve)
    if inner.get(0x85) != auth_token(info, state.mac, state.ours, dh):
        return None
    state.keys = SessionKeys(info.kind, state.enc, state.mac, 0)
    token = encode(0x86, auth_token(info, state.mac, state.theirs, dh))
    curve = state.group.dom
    if info.mapping != CAM or state.ca_key is None or not isinstance(curve, Curve):
        return token
    ca_ic = chip_auth_data(state.map_key, state.ca_key, curve)
    return token + encode(0x8A, encrypt_cam(state.keys, ca_ic, curve))
