"""Framers for serial document readers: bytes in, blocks of MRZ lines out (sans-IO).

Three wire formats readers use:

- ``line``: lines ended by CR, LF or CRLF. A block ends after a second line of
  36 or 44 characters, after 3 lines, on an empty line, or when the
  reader goes quiet for ``timeout`` seconds (readers that send no terminator).
- ``stx``: STX (0x02) … ETX (0x03) around each block, CR (or LF) between lines.
- ``soh``: SOH (0x01), a 2-byte big-endian length, STX, that many payload bytes,
  ETX, then a BCC: the XOR of every byte from the length through ETX.

Every framer is bounded: bytes that fit no frame are skipped and counted in
``skipped``, and an over-long frame is dropped, counted, and the framer
resynchronises on the next frame marker.
"""

from __future__ import annotations

from dataclasses import dataclass

STX, ETX, SOH, CR, LF = 0x02, 0x03, 0x01, 0x0D, 0x0A
MAX_LINE = 128
MAX_BLOCK = 1024
MAX_HEX = 64  # bytes of a broken frame kept for the technician
TWO_LINE_LENGTHS = (36, 44)  # a second line this long ends a 2-line block


@dataclass(frozen=True)
class Block:
    """One swipe's text, the bytes skipped since the previous block, or a broken frame."""

    lines: tuple[str, ...]
    skipped: int = 0
    error: str | None = None  # a frame that arrived but was dropped (the swipe is lost)
    data: bytes = b""  # the first bytes of that frame, for the technician


def split_lines(text: str) -> tuple[str, ...]:
    """Non-empty lines of a block payload, stripped of spaces."""
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(p.strip() for p in parts if p.strip())


def _printable(byte: int) -> bool:
    return 0x20 <= byte < 0x7F


class _Base:
    """Counting skipped bytes, shared by the framers."""

    def __init__(self, max_block: int = MAX_BLOCK) -> None:
        self.max_block = max_block
        self.skipped = 0  # bytes dropped since the framer started
        self._skipped_since = 0

    def _skip(self, n: int) -> None:
        self.skipped += n
        self._skipped_since += n

    def _block(self, lines: tuple[str, ...]) -> Block:
        block = Block(lines, self._skipped_since)
        self._skipped_since = 0
        return block

    def _broken(self, error: str, data: bytes | bytearray, dropped: int | None = None) -> Block:
        self._skip(len(data) if dropped is None else dropped)
        block = Block((), self._skipped_since, error, bytes(data[:MAX_HEX]))
        self._skipped_since = 0
        return block

    def tick(self, now: float) -> list[Block]:
        """Let time pass (only the line framer has a timeout)."""
        return []


class LineFramer(_Base):
    """CR, LF or CRLF ended lines grouped into blocks; an inter-character timeout ends one."""

    def __init__(self, timeout: float = 0.2, max_block: int = MAX_BLOCK) -> None:
        super().__init__(max_block)
        self.timeout = timeout
        self._line = bytearray()
        self._lines: list[str] = []
        self._last = 0.0
        self._after_cr = False

    def feed(self, data: bytes, now: float) -> list[Block]:
        """Consume bytes received at ``now``; the blocks they complete."""
        out = self.tick(now)
        for byte in data:
            self._byte(byte, out)
        if data:
            self._last = now
        return out

    def _byte(self, byte: int, out: list[Block]) -> None:
        after_cr, self._after_cr = self._after_cr, byte == CR
        if byte == LF and after_cr:
            return
        if byte in (CR, LF):
            self._end_line(out)
        elif not _printable(byte) or len(self._line) >= MAX_LINE:
            self._skip(1)
        else:
            self._line.append(byte)

    def _end_line(self, out: list[Block]) -> None:
        text = self._line.decode("ascii").strip()
        self._line.clear()
        if not text:
            self._flush(out)
            return
        self._lines.append(text)
        two_line = len(self._lines) == 2 and len(text) in TWO_LINE_LENGTHS
        if two_line or len(self._lines) >= 3:
            self._flush(out)

    def _flush(self, out: list[Block]) -> None:
        if self._lines:
            out.append(self._block(tuple(self._lines)))
            self._lines = []

    def tick(self, now: float) -> list[Block]:
        """End a block (and a line without terminator) after ``timeout`` of silence."""
        out: list[Block] = []
        if (self._lines or self._line) and now - self._last >= self.timeout:
            if self._line:
                self._end_line(out)
            self._flush(out)
        return out


class StxFramer(_Base):
    """STX … ETX blocks, lines separated by CR or LF inside."""

    def __init__(self, max_block: int = MAX_BLOCK) -> None:
        super().__init__(max_block)
        self._buf: bytearray | None = None  # None: waiting for STX

    def feed(self, data: bytes, now: float) -> list[Block]:
        """Consume bytes; the blocks they complete."""
        out: list[Block] = []
        for byte in data:
            self._byte(byte, out)
        return out

    def _byte(self, byte: int, out: list[Block]) -> None:
        if byte == STX:
            if self._buf is not None:
                self._skip(len(self._buf) + 1)  # a new STX before ETX: the old block is lost
            self._buf = bytearray()
        elif self._buf is None:
            self._skip(1)
        elif byte == ETX:
            out.append(self._block(split_lines(_text(self._buf, self))))
            self._buf = None
        elif len(self._buf) >= self.max_block:
            out.append(self._broken(f"STX block longer than {self.max_block} bytes", self._buf))
            self._skip(2)
            self._buf = None
        else:
            self._buf.append(byte)


def _text(payload: bytes | bytearray, base: _Base) -> str:
    """Printable ASCII and line breaks of a payload; other bytes are counted as skipped."""
    keep = bytes(b for b in payload if _printable(b) or b in (CR, LF))
    base._skip(len(payload) - len(keep))
    return keep.decode("ascii")


def bcc(data: bytes | bytearray) -> int:
    """XOR of all bytes (the SOH packet's block check character)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


class SohFramer(_Base):
    """SOH + length + STX … ETX + BCC packets; bad packets skipped, resync on SOH."""

    def __init__(self, max_block: int = MAX_BLOCK) -> None:
        super().__init__(max_block)
        self._buf = bytearray()

    def feed(self, data: bytes, now: float) -> list[Block]:
        """Consume bytes; the blocks of every complete, correct packet."""
        self._buf += data
        out: list[Block] = []
        while self._buf:
            start = self._buf.find(SOH)
            if start < 0:
                self._skip(len(self._buf))
                self._buf.clear()
                break
            if start:
                self._skip(start)
                del self._buf[:start]
            if not self._packet(out):
                break
        return out

    def _packet(self, out: list[Block]) -> bool:
        """Take one packet at the start of the buffer; False when more bytes are needed."""
        buf = self._buf
        if len(buf) < 4:
            return False
        size = int.from_bytes(buf[1:3], "big")
        if size > self.max_block or buf[3] != STX:
            self._skip(1)
            del buf[:1]
            return True
        end = 4 + size
        if len(buf) < end + 2:
            return False
        if buf[end] != ETX or bcc(buf[1 : end + 1]) != buf[end + 1]:
            out.append(self._broken("SOH packet with a wrong ETX or checksum", buf[: end + 2], 1))
            del buf[:1]  # resync: the next SOH may be inside what looked like a packet
            return True
        out.append(self._block(split_lines(_text(buf[4:end], self))))
        del buf[: end + 2]
        return True


def soh_packet(payload: bytes) -> bytes:
    """Wrap a payload as SOH + length + STX + payload + ETX + BCC (simulator, tests)."""
    body = len(payload).to_bytes(2, "big") + bytes([STX]) + payload + bytes([ETX])
    return bytes([SOH]) + body + bytes([bcc(body)])


FRAMINGS = ("line", "stx", "soh")
Framer = LineFramer | StxFramer | SohFramer


def make_framer(framing: str, timeout: float = 0.2, max_block: int = MAX_BLOCK) -> Framer:
    """A framer by name (``line``, ``stx`` or ``soh``); ValueError for another name."""
    if framing == "line":
        return LineFramer(timeout, max_block)
    if framing == "stx":
        return StxFramer(max_block)
    if framing == "soh":
        return SohFramer(max_block)
    raise ValueError(f"framing {framing!r} must be one of {', '.join(FRAMINGS)}")


def frame(lines: list[str], framing: str, terminator: bytes = b"\r") -> bytes:
    """The bytes a reader sends for one block of lines in a framing (simulator, tests)."""
    if framing == "line":
        return b"".join(x.encode("ascii") + terminator for x in lines)
    payload = b"\r".join(x.encode("ascii") for x in lines)
    if framing == "stx":
        return bytes([STX]) + payload + bytes([ETX])
    if framing == "soh":
        return soh_packet(payload)
    raise ValueError(f"framing {framing!r} must be one of {', '.join(FRAMINGS)}")
