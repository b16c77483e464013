"""ISO 7816-4 command and response APDUs, short and extended, and file reading with a fallback.

The reading logic is sans-IO: :func:`read_file` is a generator that yields plain command
APDUs and is sent their plain responses, so the same code runs over a PC/SC reader, a
secure-messaging channel or a simulated chip.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from drivers.chip.tlv import ChipFormatError, TlvError, expect, header_length

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_END_OF_FILE = 0x6282
SW_FILE_NOT_FOUND = 0x6A82
SW_SECURITY = 0x6982
SHORT_READ = 0xDF
"""Plain bytes per READ BINARY that fit a short response with secure messaging around them."""
EXTENDED_READ = 0x0FF0
"""Plain bytes per READ BINARY when the reader and chip accept extended length."""


class ApduError(ChipFormatError):
    """A response APDU with an error status word, or one too short to carry a status."""

    def __init__(self, message: str, sw: int = 0) -> None:
        super().__init__(message)
        self.sw = sw


@dataclass(frozen=True)
class CommandApdu:
    """A command: header, data and the expected response length ``ne`` (None = no Le)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    ne: int | None = None

    @property
    def extended(self) -> bool:
        """Whether the command needs extended length encoding."""
        return len(self.data) > 255 or (self.ne is not None and self.ne > 256)

    def to_bytes(self, force_extended: bool = False) -> bytes:
        """The encoded APDU (cases 1–4, short or extended)."""
        header = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.extended or force_extended:
            return header + _extended_body(self.data, self.ne)
        body = bytes([len(self.data)]) + self.data if self.data else b""
        if self.ne is not None:
            body += bytes([self.ne % 256])
        return header + body


def parse_command(raw: bytes) -> CommandApdu:
    """A command APDU from its encoding (cases 1–4, short or extended); the chip's side."""
    if len(raw) < 4:
        raise ApduError(f"command of {len(raw)} bytes has no header", 0x6700)
    head, body = raw[:4], raw[4:]
    if not body:
        return CommandApdu(head[0], head[1], head[2], head[3])
    if body[0] == 0 and len(body) >= 3:
        return _parse_extended(head, body[1:])
    if len(body) == 1:
        return CommandApdu(head[0], head[1], head[2], head[3], b"", body[0] or 256)
    lc = body[0]
    if len(body) not in (1 + lc, 2 + lc):
        raise ApduError(f"command length {len(body)} does not fit Lc {lc}", 0x6700)
    ne = (body[1 + lc] or 256) if len(body) == 2 + lc else None
    return CommandApdu(head[0], head[1], head[2], head[3], body[1 : 1 + lc], ne)


def _parse_extended(head: bytes, body: bytes) -> CommandApdu:
    if len(body) == 2:
        return CommandApdu(
            head[0], head[1], head[2], head[3], b"", int.from_bytes(body, "big") or 65536
        )
    lc = int.from_bytes(body[:2], "big")
    if len(body) not in (2 + lc, 4 + lc) or lc == 0:
        raise ApduError(f"extended command length {len(body)} does not fit Lc {lc}", 0x6700)
    le = body[2 + lc :]
    ne = (int.from_bytes(le, "big") or 65536) if le else None
    return CommandApdu(head[0], head[1], head[2], head[3], body[2 : 2 + lc], ne)


def _extended_body(data: bytes, ne: int | None) -> bytes:
    body = b"\x00" + len(data).to_bytes(2, "big") + data if data else b""
    if ne is not None:
        le = (ne % 65536).to_bytes(2, "big")
        body += le if data else b"\x00" + le
    return body


@dataclass(frozen=True)
class ResponseApdu:
    """A response: data and the status word."""

    data: bytes
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> ResponseApdu:
        """Split the two trailing status bytes off a response."""
        if len(raw) < 2:
            raise ApduError(f"response of {len(raw)} bytes has no status word")
        return cls(raw[:-2], int.from_bytes(raw[-2:], "big"))

    def to_bytes(self) -> bytes:
        """The encoded response."""
        return self.data + self.sw.to_bytes(2, "big")

    def check(self, what: str) -> bytes:
        """The data if the status is 9000, else :class:`ApduError` naming ``what`` failed."""
        if self.sw != SW_OK:
            raise ApduError(f"{what}: chip answered status {self.sw:04X}", self.sw)
        return self.data


def select_ef(fid: int) -> CommandApdu:
    """SELECT an elementary file by its two-byte identifier under the current DF."""
    return CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))


SELECT_EMRTD_APP = CommandApdu(0x00, 0xA4, 0x04, 0x0C, bytes.fromhex("A0000002471001"))
"""SELECT the eMRTD application (LDS1) by its AID."""


def read_binary(offset: int, length: int) -> CommandApdu:
    """READ BINARY ``length`` bytes at ``offset`` (odd INS with an offset object above 32767)."""
    if offset <= 0x7FFF:
        return CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, b"", length)
    data = b"\x54" + bytes([3]) + offset.to_bytes(3, "big")
    return CommandApdu(0x00, 0xB1, 0x00, 0x00, data, length + 4)


Exchange = Generator[CommandApdu, ResponseApdu, bytes]
"""A sans-IO exchange: yields commands, is sent their responses, returns its result."""


def read_file(fid: int, chunk: int = SHORT_READ) -> Exchange:
    """SELECT ``fid`` and read it whole, sized by its outer TLV header.

    A chip or reader that rejects the chunk size (6700) gets the command again with the
    short size, and the rest of the file is read that way; 6Cxx gets the size the chip
    asks for. A file that is not there raises :class:`ApduError` with 6A82.
    """
    (yield select_ef(fid)).check(f"select file {fid:04X}")
    head, _ = yield from _read_chunk(0, 8)
    try:
        header, length = header_length(head)
    except TlvError as exc:
        raise ApduError(f"file {fid:04X} does not start with a TLV header: {exc}") from exc
    data, total = head, header + length
    while len(data) < total:
        part, fell_back = yield from _read_chunk(len(data), min(chunk, total - len(data)))
        if not part:
            raise ApduError(f"file {fid:04X} ended at {len(data)} of {total} bytes")
        chunk = SHORT_READ if fell_back else chunk
        data += part
    return data[:total]


def _read_chunk(offset: int, want: int) -> Generator[CommandApdu, ResponseApdu, tuple[bytes, bool]]:
    resp = yield read_binary(offset, want)
    fell_back = resp.sw == SW_WRONG_LENGTH and want > SHORT_READ
    if fell_back:
        resp = yield read_binary(offset, SHORT_READ)
    elif resp.sw >> 8 == 0x6C and resp.sw & 0xFF:
        resp = yield read_binary(offset, resp.sw & 0xFF)
    if resp.sw not in (SW_OK, SW_END_OF_FILE):
        raise ApduError(f"read binary at offset {offset}: chip answered {resp.sw:04X}", resp.sw)
    if offset > 0x7FFF:
        return expect(resp.data, 0x53), fell_back
    return resp.data[:want], fell_back
