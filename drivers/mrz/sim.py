"""A simulated document reader: plays MRZ blocks to a pty, a TCP client or a serial URL.

Blocks come from a file (MRZ lines, blocks separated by a blank line; ``#``
starts a comment) or from generated travellers in every format. Each block is
framed as the chosen reader would (``line``, ``stx``, ``soh``); ``noise`` is
the chance per byte of a stray byte on the wire (which the reader must skip)
and, at half that rate, of a look-alike character (O for 0 …) in the text.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from drivers.barcode.sim import Port, SimError, open_port
from drivers.mrz.checks import AMBIGUOUS
from drivers.mrz.framing import frame
from drivers.mrz.generate import random_mrz

MAX_FILE = 1024 * 1024
_NOISE = bytes([0x00, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x7F, 0x80, 0x9B, 0xC3, 0xFF])

__all__ = ["Port", "SimError", "cycle", "file_blocks", "generated", "noisy", "open_port", "run"]


def file_blocks(path: str | Path) -> list[list[str]]:
    """The blocks of an MRZ file (blank-line separated); SimError when unreadable or empty."""
    source = Path(path)
    try:
        text = source.read_bytes()[:MAX_FILE].decode("ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise SimError(f"{source}: cannot read MRZ file ({exc})") from exc
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            continue
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out = [b for b in blocks if b]
    if not out:
        raise SimError(f"{source}: no MRZ blocks (lines, a blank line between documents)")
    return out


def generated(seed: int | None) -> Iterator[list[str]]:
    """Random travellers' documents for ever, every format."""
    rng = random.Random(seed)
    while True:
        yield random_mrz(rng)


def cycle(blocks: list[list[str]]) -> Iterator[list[str]]:
    """File blocks repeated for ever."""
    while True:
        yield from blocks


def noisy(data: bytes, rate: float, rng: random.Random) -> bytes:
    """``data`` with stray bytes inserted and look-alike characters swapped at ``rate``."""
    if rate <= 0:
        return data
    out = bytearray()
    for byte in data:
        ch = chr(byte)
        if ch in AMBIGUOUS and rng.random() < rate / 2:
            byte = ord(AMBIGUOUS[ch])
        out.append(byte)
        if rng.random() < rate:
            out.append(rng.choice(_NOISE))
    return bytes(out)


def run(port: Port, blocks: Iterable[list[str]], *, framing: str = "line", interval: float = 1.0,
        count: int | None = None, noise: float = 0.0, seed: int | None = None,
        delay: float = 0.0) -> int:  # fmt: skip
    """Write ``count`` blocks (all when None) ``interval`` seconds apart; returns blocks sent."""
    rng = random.Random(seed)
    sent = 0
    time.sleep(delay)
    for lines in blocks:
        if count is not None and sent >= count:
            break
        if sent:
            time.sleep(interval)
        port.write(noisy(frame(lines, framing), noise, rng))
        sent += 1
    return sent
