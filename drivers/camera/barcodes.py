"""Barcodes in camera frames: one interface over pyzbar (zbar) and zxing-cpp.

Each symbology is read by one decoder, chosen by measurement
(``bench/camera.py``; see ``docs/camera.md``): ``DEFAULT_DECODER``. Short
Interleaved 2 of 5 reads are dropped (false reads on text and edges), a 1D code
that zbar misses is retried after turning the frame to the code's angle, and
payloads stay bytes. ``Deduper`` reports a code once while it stays in view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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

# chosen by bench/camera.py on degraded 720p frames (docs/camera.md has the figures)
DEFAULT_DECODER: dict[str, str] = {
    name: (ZBAR if zbar else ZXING) for name, (zbar, _) in SYMBOLOGIES.items()
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
        """Every accepted symbol in one frame (BGR or grey)."""
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        found = read_zbar(gray, self.assigned(ZBAR)) + read_zxing(gray, self.assigned(ZXING))
        linear = self.assigned(ZBAR) & LINEAR
        if self.deskew and linear and not any(s.symbology in LINEAR for s in found):
            found += read_rotated(gray, linear)
        return [s for s in _unique(found) if self.accept(s)]

    def accept(self, symbol: Symbol) -> bool:
        """False for reads known to be false (short Interleaved 2 of 5)."""
        if symbol.symbology == "itf":
            return len(symbol.data) >= self.min_itf_length and len(symbol.data) % 2 == 0
        return bool(symbol.data)


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


def dominant_angle(gray: Image) -> float | None:
    """The gradient angle (degrees) of the densest patch of parallel edges: a code's bars."""
    small = cv2.resize(gray, (320, max(1, 320 * gray.shape[0] // gray.shape[1])))
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = (cv2.blur(v, (9, 9)) for v in (gx * gx, gy * gy, gx * gy))
    energy = jxx + jyy
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy * jxy) / (energy + 1e-3)
    score = energy * coherence**2
    top = score > max(float(np.percentile(score, 97)), 1e-3)
    if top.sum() < 20:
        return None
    angles = np.rad2deg(0.5 * np.arctan2(2 * jxy[top], jxx[top] - jyy[top]))
    hist, edges = np.histogram(angles, bins=36, range=(-90, 90), weights=score[top])
    peak = int(np.argmax(hist))
    return float((edges[peak] + edges[peak + 1]) / 2)


def read_rotated(gray: Image, symbologies: frozenset[str]) -> list[Symbol]:
    """Linear codes read after turning the frame so the bars stand upright."""
    angle = dominant_angle(gray)
    if angle is None or min(abs(angle) % 90, 90 - abs(angle) % 90) < 8:
        return []
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(gray, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)
    back = cv2.invertAffineTransform(matrix)
    out = []
    for s in read_zbar(turned, symbologies):
        pts = cv2.transform(np.array([s.position], np.float32), back)[0]
        out.append(Symbol(s.symbology, s.data, tuple((int(x), int(y)) for x, y in pts), s.decoder))
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
