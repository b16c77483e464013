"""The serial document reader as a daemon device: ``make_decoder(options)`` → readings.

Options (all optional): ``framing`` line|stx|soh (default line), ``timeout``
seconds of silence that end a block in line framing (default 0.2),
``max_corrections`` check-digit-guided changes (0–4, default 2), ``max_block``
bytes per block (default 1024).

Each block becomes a ``mrz`` reading whose payload is the JSON object of
``borderpost mrz parse`` (priority 1 when a check digit fails) with the
document and person as watchlist keys, or a ``mrz.unreadable`` reading with
the cleaned text when the block is not an MRZ at all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from drivers.base import Decoder, Reading
from drivers.mrz.framing import FRAMINGS, MAX_BLOCK, Block, Framer, make_framer
from drivers.mrz.parser import parse_mrz
from drivers.mrz.result import NotAnMrz
from drivers.options import Options

OPTIONS = ("framing", "timeout", "max_corrections", "max_block")
MAX_TEXT = 512
MAX_LINES = 8
MAX_LINE_TEXT = 128


class MrzDecoder:
    """Frames blocks from a document reader and parses each as an MRZ."""

    def __init__(self, framer: Framer, max_corrections: int = 2) -> None:
        self.framer = framer
        self.max_corrections = max_corrections

    @property
    def skipped(self) -> int:
        """Bytes that fitted no frame since the decoder started."""
        return self.framer.skipped

    def feed(self, data: bytes, now: float) -> list[Reading]:
        """Consume reader bytes; one reading per completed block."""
        return [self.reading(b) for b in self.framer.feed(data, now)]

    def tick(self, now: float) -> list[Reading]:
        """End a block the reader left without terminator once the line is quiet."""
        return [self.reading(b) for b in self.framer.tick(now)]

    def reading(self, block: Block) -> Reading:
        """The ``mrz`` or ``mrz.unreadable`` reading of one block."""
        return block_reading(block, self.max_corrections)


def block_reading(block: Block, max_corrections: int = 2) -> Reading:
    """Parse one block: an ``mrz`` reading, or ``mrz.unreadable`` with the cleaned text."""
    if block.error is not None:
        payload = {"text": "", "lines": [], "error": block.error, "hex": block.data.hex(),
                   "skipped_bytes": block.skipped}  # fmt: skip
        return Reading.of("mrz.unreadable", payload, priority=1)
    try:
        result = parse_mrz(block.lines, max_corrections=max_corrections)
    except NotAnMrz as exc:
        lines = [clean(line, MAX_LINE_TEXT) for line in block.lines[:MAX_LINES]]
        payload = {"text": clean(" | ".join(lines)), "lines": lines, "error": str(exc),
                   "skipped_bytes": block.skipped}  # fmt: skip
        return Reading.of("mrz.unreadable", payload, priority=1)
    priority = 0 if result.valid else 1
    return Reading.of("mrz", result.to_json(), priority, keys=result.keys)


def clean(text: str, max_len: int = MAX_TEXT) -> str:
    """Untrusted reader text: no C0/C1 controls or format characters, bounded."""
    kept = (ch for ch in text[: max_len * 2] if unicodedata.category(ch) not in ("Cc", "Cf"))
    return "".join(kept)[:max_len]


def make_decoder(options: Mapping[str, Any]) -> Decoder:
    """A decoder for a serial / USB-CDC document reader; DriverError names a bad option."""
    opts = Options("mrz", options, OPTIONS)
    framing = opts.choice("framing", "line", FRAMINGS)
    timeout = opts.number("timeout", 0.2, 0.01, 10.0)
    budget = opts.whole("max_corrections", 2, 0, 4)
    max_block = opts.whole("max_block", MAX_BLOCK, 128, 65536)
    return MrzDecoder(make_framer(framing, timeout, max_block), budget)
