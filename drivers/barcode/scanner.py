"""Sans-IO framer for serial / USB-CDC handheld scanners.

Bytes in, :class:`Scan` frames out. A scan ends at the configured suffix
(CR, LF, CRLF) or, with suffix ``none``, after an inter-character timeout;
a leading AIM identifier is split off. A visible digital seal is binary and
may contain CR or LF bytes, so a frame starting with the seal magic ends
where the seal's own structure says, not at the first suffix byte.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.barcode import aim, vds

SUFFIXES = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "none": b""}
MAX_FRAME = 8192


@dataclass(frozen=True)
class Scan:
    """One scan: its bytes (no AIM prefix, no suffix) or an error for dropped bytes."""

    data: bytes
    aim: aim.AimId | None = None
    terminated: bool = True  # False when ended by the timeout, not a suffix
    error: str | None = None


class ScanFramer:
    """Split a scanner's byte stream into scans; buffers are bounded."""

    def __init__(
        self,
        suffix: str = "cr",
        timeout: float = 0.05,
        *,
        aim_prefix: bool = True,
        max_frame: int = MAX_FRAME,
    ) -> None:
        if suffix not in SUFFIXES:
            raise ValueError(f"suffix {suffix!r} is not one of {', '.join(SUFFIXES)}")
        if timeout <= 0 or max_frame < 16:
            raise ValueError("timeout must be > 0 and max_frame at least 16")
        self.suffix = SUFFIXES[suffix]
        self.timeout = timeout
        self.aim_prefix = aim_prefix
        self.max_frame = max_frame
        self.dropped = 0
        self._buf = bytearray()
        self._last = 0.0

    def feed(self, data: bytes, now: float) -> list[Scan]:
        """Consume bytes received at monotonic time ``now``; return completed scans."""
        if data:
            self._buf += data
            self._last = now
        out: list[Scan] = []
        while (frame := self._next()) is not None:
            out.append(frame)
        if len(self._buf) > self.max_frame:
            out.append(self._overflow())
        return out

    def tick(self, now: float) -> list[Scan]:
        """End a pending scan once the line has been quiet for ``timeout`` seconds."""
        self._skip_separators()
        if not self._buf or now - self._last < self.timeout:
            return []
        data, self._buf = bytes(self._buf), bytearray()
        return [self._scan(data, terminated=False)]

    def _next(self) -> Scan | None:
        """The next complete scan in the buffer, if any."""
        self._skip_separators()
        buf = bytes(self._buf)
        start = 3 if self.aim_prefix and aim.AIM_RE.match(buf) else 0
        if buf[start : start + 1] == bytes([vds.MAGIC]):
            need = vds.complete_length(buf[start:])
            if need is None:
                return None
            end = start + need
            del self._buf[: end + (len(self.suffix) if buf[end:].startswith(self.suffix) else 0)]
            return self._scan(buf[:end], terminated=True)
        index = buf.find(self.suffix) if self.suffix else -1
        if index < 0:
            return None
        del self._buf[: index + len(self.suffix)]
        return self._scan(buf[:index], terminated=True)

    def _skip_separators(self) -> None:
        """Drop CR/LF left between scans (e.g. the LF of a CRLF with suffix ``cr``)."""
        while bytes(self._buf[:1]) in (b"\r", b"\n"):
            del self._buf[:1]

    def _overflow(self) -> Scan:
        """Drop an over-long frame up to the next suffix and report it."""
        index = self._buf.find(self.suffix, self.max_frame) if self.suffix else -1
        cut = len(self._buf) if index < 0 else index + len(self.suffix)
        head = bytes(self._buf[:32])
        del self._buf[:cut]
        self.dropped += 1
        return Scan(head, error=f"frame longer than {self.max_frame} bytes dropped")

    def _scan(self, data: bytes, *, terminated: bool) -> Scan:
        """A scan with its AIM prefix split off."""
        prefix, body = aim.parse_prefix(data) if self.aim_prefix else (None, data)
        return Scan(body, prefix, terminated)
