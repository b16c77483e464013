"""Sans-IO parser of the Rapiscan / VM-250 style RPM line protocol.

One ASCII message per line (CRLF, LF accepted): a tag, then comma-separated
fields. Recorded daily files add a trailing timestamp field
(``2016-05-31 09:32:20.158 -07``), which is accepted and parsed. Unknown tags
are skipped silently; a known tag with a wrong field count or junk becomes a
``BadLine`` that the caller counts. The line buffer is bounded: an overlong
line is dropped up to the next line end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

MAX_LINE = 512

#: Tags with four zero-padded integer fields (one per detector, or GX's four values).
COUNT_TAGS = frozenset({"GB", "GH", "GL", "NB", "NH", "GS", "GA", "NS", "NA", "GX"})
#: Tags whose fields are kept as text (tamper, setup).
TEXT_TAGS = frozenset({"TT", "TC", "SG1", "SG2", "SG3", "SN1", "SN2"})
#: Tags with four decimal fields (NB1: each neutron detector's background, cps).
DECIMAL_TAGS = frozenset({"SP", "NB1"})
KNOWN_TAGS = COUNT_TAGS | TEXT_TAGS | DECIMAL_TAGS
GAMMA_TAGS = frozenset({"GS", "GA"})
NEUTRON_TAGS = frozenset({"NS", "NA"})
SATURATED_MPH = "99.999"

_INT = re.compile(r"^\s*\d{1,9}\s*$")
_FLOAT = re.compile(r"^\s*\d{1,6}(\.\d{1,9})?\s*$")
_TEXT = re.compile(r"^[\x20-\x7e]{0,32}$")
_STAMP = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:\s*([+-])(\d\d):?(\d\d)?)?$"
)


class ParseError(ValueError):
    """A line with a known tag that does not follow the protocol."""


@dataclass(frozen=True)
class Message:
    """One parsed line: tag, integer values (count tags), text fields, recorded time.

    ``recorded`` is the trailing timestamp of recorded files as POSIX seconds,
    or None on a live line.
    """

    tag: str
    values: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()
    recorded: float | None = None

    @property
    def speed_kmh(self) -> float | None:
        """An SP line's speed in km/h; None when zero or saturated (mph 99.999)."""
        if self.tag != "SP" or self.fields[1].strip() == SATURATED_MPH:
            return None
        kmh = float(self.fields[2])
        return kmh if kmh > 0 else None

    @property
    def neutron_cps(self) -> float:
        """An NB1 line's neutron background, all detectors (cps)."""
        return sum(float(f) for f in self.fields) if self.tag == "NB1" else 0.0

    @property
    def sigma(self) -> float | None:
        """SG1's gamma sigma threshold (fifth field), else None."""
        if self.tag != "SG1" or len(self.fields) < 5:
            return None
        try:
            return float(self.fields[4])
        except ValueError:
            return None


@dataclass(frozen=True)
class BadLine:
    """A line that was counted as a parse error (reason and the first bytes as hex)."""

    reason: str
    hex: str


def parse_stamp(text: str) -> float | None:
    """POSIX seconds of a recorded timestamp field, or None when it is not one."""
    m = _STAMP.match(text.strip())
    if m is None:
        return None
    y, mo, d, h, mi, s, frac, sign, oh, om = m.groups()
    offset = timedelta(hours=int(oh or 0), minutes=int(om or 0))
    tz = timezone(-offset if sign == "-" else offset)
    try:
        moment = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=tz)
    except ValueError:
        return None
    return moment.timestamp() + (float("0." + frac) if frac else 0.0)


def parse_line(line: bytes) -> Message | None:
    """Parse one line without its terminator; None for an unknown tag or an empty line.

    Raises ParseError for a known tag with a wrong field count or junk.
    """
    try:
        text = line.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise ParseError("not ASCII") from exc
    if not text:
        return None
    parts = text.split(",")
    tag = parts[0].strip()
    if tag not in KNOWN_TAGS:
        return None
    fields, recorded = _split_stamp(parts[1:])
    return _build(tag, fields, recorded)


def _split_stamp(fields: list[str]) -> tuple[list[str], float | None]:
    if fields:
        stamp = parse_stamp(fields[-1])
        if stamp is not None:
            return fields[:-1], stamp
    return fields, None


def _build(tag: str, fields: list[str], recorded: float | None) -> Message:
    if tag in COUNT_TAGS:
        if len(fields) != 4 or not all(_INT.match(f) for f in fields):
            raise ParseError(f"{tag}: want 4 integer fields, got {len(fields)}")
        return Message(tag, tuple(int(f) for f in fields), (), recorded)
    if tag in DECIMAL_TAGS:
        if len(fields) != 4 or not all(_FLOAT.match(f) for f in fields):
            raise ParseError(f"{tag}: want 4 numeric fields, got {len(fields)}")
        return Message(tag, (), tuple(f.strip() for f in fields), recorded)
    if len(fields) > 8 or not all(_TEXT.match(f) for f in fields):
        raise ParseError(f"{tag}: bad fields")
    message = Message(tag, (), tuple(f.strip() for f in fields), recorded)
    if tag == "SG1" and message.sigma is None:
        raise ParseError("SG1: fifth field (sigma) is not a number")
    return message


class LineParser:
    """Splits bytes into lines and parses them: ``feed(bytes) -> [Message | BadLine]``.

    Counts ``lines`` (non-empty lines seen) and ``bad`` (BadLine results).
    """

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self.buffer = bytearray()
        self.discarding = False
        self.lines = 0
        self.bad = 0

    def feed(self, data: bytes) -> list[Message | BadLine]:
        """Consume bytes; return a result per complete line (unknown tags omitted)."""
        self.buffer += data
        out: list[Message | BadLine] = []
        while True:
            end = self.buffer.find(b"\n")
            if end < 0:
                break
            line = bytes(self.buffer[:end]).rstrip(b"\r")
            del self.buffer[: end + 1]
            self._line(line, out)
        if len(self.buffer) > self.max_line:
            self._overflow(out)
        return out

    def _line(self, line: bytes, out: list[Message | BadLine]) -> None:
        if self.discarding:
            self.discarding = False
            return
        if not line.strip():
            return
        self.lines += 1
        try:
            message = parse_line(line)
        except ParseError as exc:
            self.bad += 1
            out.append(BadLine(str(exc), line[:32].hex()))
            return
        if message is not None:
            out.append(message)

    def _overflow(self, out: list[Message | BadLine]) -> None:
        if not self.discarding:
            self.lines += 1
            self.bad += 1
            out.append(BadLine(f"line longer than {self.max_line} bytes", self.buffer[:32].hex()))
        self.discarding = True
        self.buffer.clear()
