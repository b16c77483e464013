"""Secure messaging (ICAO 9303-11 §9.8): wrap commands and unwrap responses, 3DES or AES.

A :class:`SecureChannel` holds the session keys and the send sequence counter (SSC);
each protected command and each response advances the counter by one. It is pure
computation; the transport around it sends the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.chip.apdu import ApduError, CommandApdu, ResponseApdu, parse_command
from drivers.chip.crypto import CipherKind, decrypt_cbc, encrypt_cbc, encrypt_ecb, mac8, pad, unpad
from drivers.chip.tlv import TlvError, encode, iter_tlv


class SecureMessagingError(ApduError):
    """A protected response whose MAC, structure or padding is wrong: the channel is broken."""


@dataclass(frozen=True)
class SessionKeys:
    """What an access protocol (BAC or PACE) establishes: cipher, keys and starting SSC."""

    kind: CipherKind
    ks_enc: bytes
    ks_mac: bytes
    ssc: int


class SecureChannel:
    """Protects commands and verifies responses under one set of session keys."""

    def __init__(self, keys: SessionKeys) -> None:
        self.kind = keys.kind
        self.ks_enc = keys.ks_enc
        self.ks_mac = keys.ks_mac
        self.ssc = keys.ssc

    def _ssc_bytes(self) -> bytes:
        return self.ssc.to_bytes(self.kind.block, "big")

    def _iv(self) -> bytes:
        if self.kind is CipherKind.TDES:
            return bytes(8)
        return encrypt_ecb(self.kind, self.ks_enc, self._ssc_bytes())

    def _mac(self, data: bytes) -> bytes:
        return mac8(self.kind, self.ks_mac, pad(self._ssc_bytes() + data, self.kind.block))

    def protect(self, cmd: CommandApdu) -> CommandApdu:
        """The protected form of ``cmd`` (advances the SSC)."""
        self.ssc += 1
        header = bytes([cmd.cla | 0x0C, cmd.ins, cmd.p1, cmd.p2])
        body = self._encrypted(cmd.data, bool(cmd.ins & 1))
        if cmd.ne is not None:
            size = 2 if cmd.ne > 256 else 1
            body += encode(0x97, (cmd.ne % (256**size)).to_bytes(size, "big"))
        mac = self._mac(pad(header, self.kind.block) + body)
        data = body + encode(0x8E, mac)
        ne = 65536 if cmd.extended or len(data) > 255 else 256
        return CommandApdu(header[0], cmd.ins, cmd.p1, cmd.p2, data, ne)

    def _encrypted(self, data: bytes, odd: bool) -> bytes:
        if not data:
            return b""
        cipher = encrypt_cbc(self.kind, self.ks_enc, pad(data, self.kind.block), self._iv())
        return encode(0x85, cipher) if odd else encode(0x87, b"\x01" + cipher)

    def protect_response(self, resp: ResponseApdu) -> bytes:
        """The chip's side: a protected response (advances the SSC)."""
        self.ssc += 1
        body = self._encrypted(resp.data, False) + encode(0x99, resp.sw.to_bytes(2, "big"))
        return body + encode(0x8E, self._mac(body)) + resp.sw.to_bytes(2, "big")

    def unprotect_command(self, raw: bytes) -> CommandApdu:
        """The chip's side: the plain command inside a protected one (advances the SSC)."""
        self.ssc += 1
        cmd = parse_command(raw)
        if cmd.cla & 0x0C != 0x0C:
            raise SecureMessagingError("command without secure messaging", 0x6987)
        objects = _objects(cmd.data)
        header = bytes([cmd.cla, cmd.ins, cmd.p1, cmd.p2])
        covered = objects.get(0x87, b"") + objects.get(0x85, b"") + objects.get(0x97, b"")
        if self._mac(pad(header, self.kind.block) + covered) != _value(objects[0x8E]):
            raise SecureMessagingError("command MAC does not verify", 0x6988)
        le = _value(objects[0x97]) if 0x97 in objects else None
        ne = None if le is None else (int.from_bytes(le, "big") or 256 ** max(len(le), 1))
        return CommandApdu(cmd.cla & ~0x0C, cmd.ins, cmd.p1, cmd.p2, self._plain(objects), ne)

    def unprotect(self, raw: bytes) -> ResponseApdu:
        """The plain response inside a protected one, after checking its MAC (advances the SSC)."""
        self.ssc += 1
        resp = ResponseApdu.parse(raw)
        if not resp.data:
            if resp.sw == 0x9000:
                raise SecureMessagingError("protected response without MAC", resp.sw)
            return resp  # a plain error status: the chip has ended secure messaging
        objects = _objects(resp.data)
        if self._mac(objects.get(0x87, b"") + objects.get(0x85, b"") + objects.get(0x99, b"")) != (
            _value(objects.get(0x8E, b""))
        ):
            raise SecureMessagingError("response MAC does not verify: secure messaging broken")
        return ResponseApdu(self._plain(objects), _status(objects, resp.sw))

    def _plain(self, objects: dict[int, bytes]) -> bytes:
        if 0x87 in objects:
            value = _value(objects[0x87])
            if not value or value[0] != 1:
                raise SecureMessagingError("DO87 without padding indicator 01")
            return _decrypt(self, value[1:])
        if 0x85 in objects:
            return _decrypt(self, _value(objects[0x85]))
        return b""


def _decrypt(channel: SecureChannel, cipher: bytes) -> bytes:
    try:
        iv = channel._iv()
        return unpad(decrypt_cbc(channel.kind, channel.ks_enc, cipher, iv))
    except ValueError as exc:
        raise SecureMessagingError(f"encrypted response data: {exc}") from exc


def _objects(data: bytes) -> dict[int, bytes]:
    """Tag → whole encoded object of a protected response (the MAC covers encodings)."""
    out: dict[int, bytes] = {}
    try:
        pos = 0
        for item in iter_tlv(data):
            out[item.tag] = data[pos : pos + item.size]
            pos += item.size
    except TlvError as exc:
        raise SecureMessagingError(f"protected response: {exc}") from exc
    if 0x8E not in out:
        raise SecureMessagingError("protected response without DO8E (MAC)")
    return out


def _value(encoded: bytes) -> bytes:
    return next(iter_tlv(encoded)).value if encoded else b""


def _status(objects: dict[int, bytes], outer: int) -> int:
    if 0x99 not in objects:
        return outer
    value = _value(objects[0x99])
    if len(value) != 2:
        raise SecureMessagingError(f"DO99 of {len(value)} bytes, expected 2")
    return int.from_bytes(value, "big")
