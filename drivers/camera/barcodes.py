"""Barcodes in camera frames: one interface over pyzbar (zbar) and zxing-cpp.

Each symbology is read by one decoder, chosen by measurement
(``bench/camera.py``; see ``docs/camera.md``): ``DEFAULT_DECODER``. Short
Interleaved 2 of 5 reads are dropped (false reads on text and edges), a 1D code
that zbar misses is retried after turning the frame to the code's angle, and
payloads stay bytes. ``Deduper`` reports a code once while it stays in view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from drivers.barcode.result import clean

Image = np.ndarray[Any, Any]

ZBAR = "pyzbar"
ZXING = "zxing-cpp"
DECODERS = (ZBAR, ZXING)

# Borderpost symbology name -> (zbar symbol name or None, zxing-cpp format name)
SYMBOLOGIES: dict[str, tuple[str | None, str]] = {
    "qrcode": ("QRCODE", "QRCode"),
    "code128": ("CODE128", "Code128"),
    "code39": ("CODE39", "Code39"),
    "code93": ("CODE93", "Code93"),
    "ean13": ("EAN13", "EAN13"),
    "ean8": ("EAN8", "EAN8"),
    "upca": ("UPCA", "UPCA"),
    "upce": ("UPCE", "UPCE"),
    "itf": ("I25", "ITF"),
    "codabar": ("CODABAR", "Codabar"),
    "datamatrix": (None, "DataMatrix"),
    "pdf417": (None, "PDF417"),
    "aztec": (None, "Aztec"),
}
LINEAR = frozenset(SYMBOLOGIES) - {"qrcode", "datamatrix", "pdf417", "aztec"}

# chosen by bench/camera.py on degraded 720p frames (docs/camera.md has the figures):
# zbar read more EAN-13/EAN-8 codes; zxing-cpp read as many or more of everything else,
# 3-10x faster per pass, and is the only one for DataMatrix, PDF417 and Aztec
DEFAULT_DECODER: dict[str, str] = {name: ZXING for name in SYMBOLOGIES} | {
    "ean13": ZBAR,
    "ean8": ZBAR,
}

_FROM_ZBAR = {zbar: name for name, (zbar, _) in SYMBOLOGIES.items() if zbar}
_FROM_ZBAR.update({"ISBN13": "ean13", "ISBN10": "ean13"})
_FROM_ZXING = {zx: name for name, (_, zx) in SYMBOLOGIES.items()}
MAX_TEXT = 8192


@dataclass(frozen=True)
class Symbol:
    """One decoded barcode: payload bytes, printable text and where it was."""

    symbology: str
    data: bytes
    position: tuple[tuple[int, int], ...]
    decoder: str

    @property
    def text(self) -> str:
        """The payload as text, bounded and free of control characters."""
        return clean(self.data.decode("utf-8", "replace"), MAX_TEXT)


class BarcodeError(ValueError):
    """A barcode option is not known (names the option and what is allowed)."""


@dataclass(frozen=True)
class BarcodeReader:
    """Reads the enabled symbologies from frames, each with its chosen decoder."""

    symbologies: frozenset[str] = frozenset(SYMBOLOGIES)
    decoders: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_DECODER))
    min_itf_length: int = 6
    deskew: bool = True

    def __post_init__(self) -> None:
        for name in self.symbologies:
            if name not in SYMBOLOGIES:
                raise BarcodeError(f"unknown symbology {name!r}; known: {sorted(SYMBOLOGIES)}")
        for name, dec in self.decoders.items():
            if dec not in DECODERS or (dec == ZBAR and SYMBOLOGIES.get(name, (None,))[0] is None):
                raise BarcodeError(f"symbology {name!r} cannot use decoder {dec!r}")

    def assigned(self, decoder: str) -> frozenset[str]:
        """The enabled symbologies this decoder is responsible for."""
        return frozenset(s for s in self.symbologies if self.decoders.get(s) == decoder)

    def read(self, frame: Image) -> list[Symbol]:
        """Every accepted symbol in one frame (BGR or grey).

        zbar looks for its linear codes in the frame's bar patch only (``find_bars``):
        a whole 720p frame costs it 15-25 ms, the patch a few; no patch, no zbar pass.
        """
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        linear = self.symbologies & LINEAR
        in_patch = self.assigned(ZBAR) & linear
        bars = find_bars(gray) if linear else None
        found = self.decode(gray, self.symbologies - in_patch)
        if bars is not None and in_patch:
            x0, y0, patch = bars.patch(gray)
            for s in read_zbar(patch, in_patch):
                pts = tuple((x + x0, y + y0) for x, y in s.position)
                found.append(Symbol(s.symbology, s.data, pts, s.decoder))
        if self.deskew and bars is not None and not any(s.symbology in LINEAR for s in found):
            found += read_rotated(gray, bars, lambda img: self.decode(img, linear))
        unique = _unique(found)
        itf = [s.data for s in unique if s.symbology == "itf"]
        return [s for s in unique if self.accept(s) and not _partial(s, itf)]

    def decode(self, gray: Image, wanted: frozenset[str]) -> list[Symbol]:
        """Run each decoder on the symbologies it is responsible for."""
        zbar, zxing = self.assigned(ZBAR) & wanted, self.assigned(ZXING) & wanted
        return read_zbar(gray, zbar) + read_zxing(gray, zxing)

    def accept(self, symbol: Symbol) -> bool:
        """False for reads known to be false (short Interleaved 2 of 5)."""
        if symbol.symbology == "itf":
            return len(symbol.data) >= self.min_itf_length and len(symbol.data) % 2 == 0
        return bool(symbol.data)


def _partial(symbol: Symbol, itf: list[bytes]) -> bool:
    """An Interleaved 2 of 5 read that is a piece of a longer one in the same frame."""
    return symbol.symbology == "itf" and any(
        len(other) > len(symbol.data) and symbol.data in other for other in itf
    )


def _unique(symbols: Iterable[Symbol]) -> list[Symbol]:
    seen: set[tuple[str, bytes]] = set()
    out = []
    for s in symbols:
        if (s.symbology, s.data) not in seen:
            seen.add((s.symbology, s.data))
            out.append(s)
    return out


def read_zbar(gray: Image, symbologies: frozenset[str]) -> list[Symbol]:
    """Symbols zbar finds (only the given symbologies)."""
    if not symbologies:
        return []
    from pyzbar import pyzbar

    wanted = [pyzbar.ZBarSymbol[SYMBOLOGIES[s][0] or ""] for s in sorted(symbologies)]
    out = []
    for res in pyzbar.decode(gray, symbols=wanted):
        name = _FROM_ZBAR.get(str(res.type))
        if name in symbologies:
            pts = tuple((int(p.x), int(p.y)) for p in res.polygon)
            out.append(Symbol(name, bytes(res.data), pts, ZBAR))
    return out


def read_zxing(gray: Image, symbologies: frozenset[str]) -> list[Symbol]:
    """Symbols zxing-cpp finds (only the given symbologies)."""
    if not symbologies:
        return []
    import zxingcpp

    wanted = [getattr(zxingcpp.BarcodeFormat, SYMBOLOGIES[s][1]) for s in sorted(symbologies)]
    out = []
    found = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormats(wanted))
    for res in found:
        name = _FROM_ZXING.get(getattr(res.format, "name", ""))
        if name in symbologies and res.valid:
            out.append(Symbol(name, bytes(res.bytes), _zxing_points(res.position), ZXING))
    return out


def _zxing_points(pos: Any) -> tuple[tuple[int, int], ...]:
    corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
    return tuple((int(p.x), int(p.y)) for p in corners)


@dataclass(frozen=True)
class Bars:
    """A patch of dense parallel edges: where a linear code probably is, and its angle."""

    angle: float  # gradient direction in degrees; bars stand upright after turning by it
    box: tuple[int, int, int, int]  # x, y, w, h in frame pixels

    def patch(self, gray: Image) -> tuple[int, int, Image]:
        """The box with a margin (quiet zones, bars the edge map missed): x0, y0, pixels."""
        x, y, w, h = self.box
        pad = max(w, h) // 3 + 8
        x0, y0 = max(0, x - pad), max(0, y - pad)
        return x0, y0, gray[y0 : y + h + pad, x0 : x + w + pad]


def find_bars(gray: Image) -> Bars | None:
    """The densest patch of parallel edges in a frame (a linear barcode's bars), if any."""
    factor = gray.shape[1] / 320
    small = cv2.resize(gray, (320, max(1, round(gray.shape[0] / factor))))
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = (cv2.blur(v, (9, 9)) for v in (gx * gx, gy * gy, gx * gy))
    energy = jxx + jyy
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy * jxy) / (energy + 1e-3)
    score = energy * coherence**2
    top = score > max(float(np.percentile(score, 97)), 1e-3)
    if top.sum() < 20:
        return None
    angles = np.rad2deg(0.5 * np.arctan2(2 * jxy, jxx - jyy))
    hist, edges = np.histogram(angles[top], bins=36, range=(-90, 90), weights=score[top])
    peak = int(np.argmax(hist))
    mine = top & (angles >= edges[peak] - 5) & (angles <= edges[peak + 1] + 5)
    x, y, w, h = cv2.boundingRect(mine.astype(np.uint8))
    box = (int(x * factor), int(y * factor), int(w * factor), int(h * factor))
    return Bars(float((edges[peak] + edges[peak + 1]) / 2), box)


def read_rotated(gray: Image, bars: Bars, decode: Callable[[Image], list[Symbol]]) -> list[Symbol]:
    """Codes ``decode`` finds in the bar patch after turning it so that bars stand upright."""
    if min(abs(bars.angle) % 90, 90 - abs(bars.angle) % 90) < 8:
        return []
    x0, y0, crop = bars.patch(gray)
    ch, cw = crop.shape
    side = int(np.hypot(ch, cw))
    matrix = cv2.getRotationMatrix2D((cw / 2, ch / 2), bars.angle, 1.0)
    matrix[:, 2] += ((side - cw) / 2, (side - ch) / 2)
    turned = cv2.warpAffine(crop, matrix, (side, side), borderMode=cv2.BORDER_REPLICATE)
    back = cv2.invertAffineTransform(matrix)
    back[:, 2] += (x0, y0)
    out = []
    for s in decode(turned):
        pts = cv2.transform(np.array([s.position], np.float32), back)[0]
        out.append(Symbol(s.symbology, s.data, tuple((int(p), int(q)) for p, q in pts), s.decoder))
    return out


@dataclass
class Deduper:
    """Passes a code the first time, then not again while it keeps being seen.

    A code is "still in view" if it was seen less than ``window`` seconds ago.
    """

    window: float = 2.0
    _last: dict[tuple[str, bytes], float] = field(default_factory=dict)

    def fresh(self, symbols: Iterable[Symbol], now: float) -> list[Symbol]:
        """The symbols not seen within the window; every sighting renews it."""
        for key in [k for k, t in self._last.items() if now - t > self.window]:
            del self._last[key]
        out = []
        for s in symbols:
            key = (s.symbology, s.data)
            if key not in self._last:
                out.append(s)
            self._last[key] = now
        return out
