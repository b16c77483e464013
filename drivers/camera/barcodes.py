"""Barcodes in frames and photos: zxing-cpp for every symbology it reads, zbar where it adds.

What runs was chosen by measurement on real photos (``bench/real_barcodes.py``,
development part of ``../shared/testdata/barcode-photos``; ``docs/camera.md``).

An image up to ``WHOLE_PIXELS`` (a photo, crop or scan) goes through ``PASSES``:
zxing-cpp with its default options, then on enhanced copies (darkened 2×,
sharpened 2× and 1×, 2× with the global-histogram binarizer, strongly sharpened
2×, equalised 2×). A matrix code (Reed-Solomon checked) is sure at once, a linear
code (a single check character, or none: one pass alone misreads blurred EAN/UPC
photos) when two passes agree; the passes stop once something is sure and nothing
is read once only. When nothing is sure, zbar reads the image (else its equalised
2× copy) for EAN-13/UPC: its read counts when it agrees with a zxing-cpp read, or
alone when zxing-cpp read no EAN/UPC code at all.

A larger frame (a camera's 720p) is read once by zxing-cpp; when that finds no
EAN-13/UPC-A code, zbar reads the bar patch ``find_bars`` locates (no patch, no
fallback). In both, a linear code still not read is retried after turning its
bar patch upright (deskew).

Short Interleaved 2 of 5 reads and a UPC-E beside an EAN-13/UPC-A (a piece of
it) are dropped; an EAN-13 starting with 0 is named ``upca`` when UPC-A is
enabled (the same bars); payloads stay bytes, and ``Deduper``
reports a code once while it stays in view. Symbologies Borderpost named before
keep their names (``qrcode``, ``ean13`` …); the others carry zxing-cpp's format
names (``DataBarExp``, ``MicroQRCode``, ``MaxiCode`` …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from drivers.barcode.aim import GS1_IDENTIFIERS
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
    "DataBarOmni": ("DATABAR", "DataBarOmni"),
    "DataBarStk": (None, "DataBarStk"),
    "DataBarStkOmni": (None, "DataBarStkOmni"),
    "DataBarExp": ("DATABAR_EXP", "DataBarExp"),
    "DataBarExpStk": (None, "DataBarExpStk"),
    "DataBarLtd": (None, "DataBarLtd"),
    "MicroQRCode": (None, "MicroQRCode"),
    "RMQRCode": (None, "RMQRCode"),
    "MicroPDF417": (None, "MicroPDF417"),
    "MaxiCode": (None, "MaxiCode"),
    "TelepenAlpha": (None, "TelepenAlpha"),
    "TelepenNumeric": (None, "TelepenNumeric"),
    "DXFilmEdge": (None, "DXFilmEdge"),
    "Code32": (None, "Code32"),
    "PZN": (None, "PZN"),
}
MATRIX = frozenset({"qrcode", "datamatrix", "pdf417", "aztec", "MicroQRCode", "RMQRCode",
                    "MicroPDF417", "MaxiCode"})  # fmt: skip
LINEAR = frozenset(SYMBOLOGIES) - MATRIX
RETAIL = frozenset({"ean13", "ean8", "upca", "upce"})
LONG_RETAIL = frozenset({"ean13", "upca"})

# zxing-cpp reads as many or more of every symbology on the real photos (docs/camera.md);
# zbar is the fallback for EAN-13/UPC (ZBAR_FALLBACK), where it reads some zxing-cpp misses
DEFAULT_DECODER: dict[str, str] = {name: ZXING for name in SYMBOLOGIES}
ZBAR_FALLBACK = frozenset({"ean13", "upca", "upce"})

# zxing-cpp variants reported under a name Borderpost already used
_VARIANTS = {"QRCodeModel1": "qrcode", "QRCodeModel2": "qrcode", "Code39Std": "code39",
             "Code39Ext": "code39", "ISBN": "ean13", "ITF14": "itf", "CompactPDF417": "pdf417",
             "AztecCode": "aztec", "AztecRune": "aztec"}  # fmt: skip
_FROM_ZBAR = {"EAN13": "ean13", "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce", "I25": "itf",
              "ISBN13": "ean13", "ISBN10": "ean13", "QRCODE": "qrcode", "CODE128": "code128",
              "CODE39": "code39", "CODE93": "code93", "CODABAR": "codabar",
              "DATABAR": "DataBarOmni", "DATABAR_EXP": "DataBarExp"}  # fmt: skip
_FROM_ZXING = {zx: name for name, (_, zx) in SYMBOLOGIES.items()} | _VARIANTS
MAX_TEXT = 8192
WHOLE_PIXELS = 800 * 600
"""Images up to this size go through ``PASSES``; larger frames get one pass, zbar on the bars."""


@dataclass(frozen=True)
class Symbol:
    """One decoded barcode: payload bytes, printable text and where it was.

    ``aim`` is the AIM symbology identifier zxing-cpp reports (``]e0``, ``]Q3`` …;
    empty from zbar); ``decoded`` is zxing-cpp's text of the payload (its ECI and
    character-set handling), used for ``text`` when present.
    """

    symbology: str
    data: bytes
    position: tuple[tuple[int, int], ...]
    decoder: str
    aim: str = ""
    decoded: str | None = None

    @property
    def text(self) -> str:
        """The payload as text, bounded and free of control characters."""
        raw = self.decoded if self.decoded is not None else self.data.decode("utf-8", "replace")
        return clean(raw, MAX_TEXT)

    @property
    def payload_hint(self) -> str:
        """What to tell the payload parser: the AIM identifier for GS1 data, else the name."""
        return self.aim if self.aim in GS1_IDENTIFIERS else self.symbology

    def moved(self, points: Iterable[tuple[float, float]]) -> Symbol:
        """The same symbol with its corners in other (frame) coordinates."""
        pts = tuple((int(x), int(y)) for x, y in points)
        return Symbol(self.symbology, self.data, pts, self.decoder, self.aim, self.decoded)


class BarcodeError(ValueError):
    """A barcode option is not known (names the option and what is allowed)."""


def canonical(name: str) -> str:
    """A symbology name as ``SYMBOLOGIES`` spells it, in any letter case (else unchanged)."""
    wanted = name.strip().lower()
    return next((known for known in SYMBOLOGIES if known.lower() == wanted), name.strip())


@dataclass(frozen=True)
class BarcodeReader:
    """Reads the enabled symbologies from frames, each with its chosen decoder."""

    symbologies: frozenset[str] = frozenset(SYMBOLOGIES)
    decoders: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_DECODER))
    min_itf_length: int = 6
    deskew: bool = True
    zbar_fallback: frozenset[str] = ZBAR_FALLBACK
    retry: bool = True

    def __post_init__(self) -> None:
        for name in self.symbologies:
            if name not in SYMBOLOGIES:
                raise BarcodeError(f"unknown symbology {name!r}; known: {sorted(SYMBOLOGIES)}")
        for name, dec in self.decoders.items():
            if dec not in DECODERS or (dec == ZBAR and SYMBOLOGIES.get(name, (None,))[0] is None):
                raise BarcodeError(f"symbology {name!r} cannot use decoder {dec!r}")

    def assigned(self, decoder: str) -> frozenset[str]:
        """The enabled symbologies this decoder is responsible for."""
        return frozenset(s for s in self.symbologies if self.decoders.get(s, ZXING) == decoder)

    def read(self, frame: Image) -> list[Symbol]:
        """Every accepted symbol in one frame or photo (BGR or grey)."""
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        bars = find_bars(gray) if self.symbologies & LINEAR else None
        if self.retry and gray.size <= WHOLE_PIXELS:
            found = self.agreed(gray)
        else:
            found = self.decode(gray, self.symbologies)
            found += self.rescue(gray, bars, found)
        if self.deskew and bars is not None and not any(s.symbology in LINEAR for s in found):
            found += read_rotated(
                gray, bars, lambda img: self.decode(img, self.symbologies & LINEAR)
            )
        unique = _unique(found)
        return [s for s in unique if self.accept(s) and not _partial(s, unique)]

    def rescue(self, gray: Image, bars: Bars | None, found: list[Symbol]) -> list[Symbol]:
        """zbar on the region (frame coordinates) when no EAN-13/UPC-A code was found (a
        UPC-E alone may be a misread piece of one): the fallback of a large frame (its bar
        patch) or of a reader without retries."""
        origin, region = _region(gray, bars)
        fallback = self.symbologies & self.zbar_fallback & RETAIL
        if region is None or not fallback or any(s.symbology in LONG_RETAIL for s in found):
            return []
        return _shifted(read_zbar(region, fallback), origin)

    def decode(self, gray: Image, wanted: frozenset[str]) -> list[Symbol]:
        """Run each decoder on the symbologies it is responsible for."""
        zbar, zxing = self.assigned(ZBAR) & wanted, self.assigned(ZXING) & wanted
        return read_zbar(gray, zbar) + read_zxing(gray, zxing)

    def agreed(self, gray: Image) -> list[Symbol]:
        """A small image's symbols: passes over ``PASSES`` until something is sure and
        nothing is pending. A matrix code (Reed-Solomon checked) is sure at once, a linear
        code (one check character at most: one pass alone can misread it) when two passes
        agree; with nothing sure after the last pass, zbar decides (``Votes.settle``)."""
        votes, matrix = Votes(), []
        for n, (enhance, binarizer, scale) in enumerate(PASSES):
            if n == 0:
                found = self.decode(gray, self.symbologies)
            else:
                found = read_scaled(enhance(gray, scale), self.assigned(ZXING), binarizer, scale)
            matrix += [s for s in found if s.symbology in MATRIX]
            votes.add([s for s in found if s.symbology not in MATRIX])
            if (matrix or votes.agreed()) and not votes.pending():
                break
        if matrix or votes.agreed():
            return _unique(matrix) + votes.agreed()
        return votes.settle(self.zbar_reads(gray))

    def zbar_reads(self, gray: Image) -> list[Symbol]:
        """zbar's EAN-13/UPC reads of a small image: as it is, else its ``equalised`` 2× copy."""
        fallback = self.symbologies & self.zbar_fallback & RETAIL
        if not fallback:
            return []
        return read_zbar(gray, fallback) or read_scaled(equalised(gray, 2.0), fallback, ZBAR, 2.0)

    def accept(self, symbol: Symbol) -> bool:
        """False for reads known to be false (short Interleaved 2 of 5)."""
        if symbol.symbology == "itf":
            return len(symbol.data) >= self.min_itf_length and len(symbol.data) % 2 == 0
        return bool(symbol.data)


def sharpened(gray: Image, scale: float = 1.0) -> Image:
    """An unsharp-masked copy (amount 0.8, radius 2), enlarged by ``scale`` first (cubic)."""
    return _unsharp(enlarged(gray, scale), 0.8, 2.0)


def crisp(gray: Image, scale: float = 1.0) -> Image:
    """A strongly unsharp-masked copy (amount 2, radius 3), enlarged by ``scale`` first:
    bars blurred into each other on a soft phone photo."""
    return _unsharp(enlarged(gray, scale), 2.0, 3.0)


def _unsharp(gray: Image, amount: float, sigma: float) -> Image:
    return cv2.addWeighted(gray, 1 + amount, cv2.GaussianBlur(gray, (0, 0), sigma), -amount, 0)


def enlarged(gray: Image, scale: float = 1.0) -> Image:
    """The image enlarged by ``scale`` (cubic); itself at 1."""
    if scale == 1.0:
        return gray
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def darkened(gray: Image, scale: float = 1.0) -> Image:
    """A copy with its mid-tones darkened (gamma 2), enlarged by ``scale`` first: washed-out
    bars and glare regain contrast."""
    big = enlarged(gray, scale)
    return cv2.LUT(big, _GAMMA2)


def equalised(gray: Image, scale: float = 1.0) -> Image:
    """A copy with its contrast equalised tile by tile (CLAHE, clip 2, 8×8 tiles), enlarged
    by ``scale`` first: uneven light, shadows across the bars."""
    return cv2.createCLAHE(2.0, (8, 8)).apply(enlarged(gray, scale))


_GAMMA2 = np.round((np.arange(256) / 255.0) ** 2.0 * 255.0).astype(np.uint8)
Enhance = Callable[[Image, float], Image]
PASSES: tuple[tuple[Enhance, str, float], ...] = (
    (enlarged, "LocalAverage", 1.0),
    (darkened, "LocalAverage", 2.0),
    (sharpened, "LocalAverage", 2.0),
    (sharpened, "LocalAverage", 1.0),
    (enlarged, "GlobalHistogram", 2.0),
    (crisp, "LocalAverage", 2.0),
    (equalised, "LocalAverage", 2.0),
)
"""What zxing-cpp reads a small image through, in order (enhance, binarizer, scale): the
image itself with zxing-cpp's defaults, then enhanced copies; each copy added reads on the
development photos that the ones before missed or left unconfirmed (docs/camera.md)."""


class Votes:
    """Linear codes read by the passes over one image, and by how many passes."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, bytes], list[Symbol]] = {}

    def add(self, found: list[Symbol]) -> None:
        """Count one pass's reads (a code once per pass)."""
        for s in _unique(found):
            self._seen.setdefault(_vote_key(s), []).append(s)

    def agreed(self) -> list[Symbol]:
        """The codes two passes or more have read (the first sighting of each)."""
        return [reads[0] for reads in self._seen.values() if len(reads) >= 2]

    def pending(self) -> bool:
        """Whether some code has been read by one pass only."""
        return any(len(reads) == 1 for reads in self._seen.values())

    def settle(self, zbar: list[Symbol]) -> list[Symbol]:
        """After the last pass: zbar's reads that agree with a single zxing-cpp read, else
        zbar's reads when zxing-cpp read no EAN/UPC code at all (zbar alone); else nothing."""
        agree = [self._seen[k][0] for k in dict.fromkeys(map(_vote_key, zbar)) if k in self._seen]
        if agree:
            return agree
        if any(reads[0].symbology in RETAIL for reads in self._seen.values()):
            return []
        return zbar


def _vote_key(symbol: Symbol) -> tuple[str, bytes]:
    """What two reads must share to agree: the payload, and the symbology (EAN-13/UPC as
    one: both decoders give UPC codes as 13 digits)."""
    return ("retail" if symbol.symbology in RETAIL else symbol.symbology, symbol.data)


def read_scaled(image: Image, wanted: frozenset[str], decoder: str, scale: float) -> list[Symbol]:
    """Symbols a decoder (zbar, or zxing-cpp with that binarizer) finds in a copy enlarged by
    ``scale``, with corners in the original's coordinates."""
    found = read_zbar(image, wanted) if decoder == ZBAR else read_zxing(image, wanted, decoder)
    if scale == 1.0:
        return found
    return [s.moved((x / scale, y / scale) for x, y in s.position) for s in found]


def _region(gray: Image, bars: Bars | None) -> tuple[tuple[int, int], Image | None]:
    """Where fallbacks look: the whole image when small, else the bar patch (or nowhere)."""
    if gray.size <= WHOLE_PIXELS:
        return (0, 0), gray
    if bars is None:
        return (0, 0), None
    x0, y0, patch = bars.patch(gray)
    return (x0, y0), patch


def _shifted(symbols: list[Symbol], origin: tuple[int, int]) -> list[Symbol]:
    """Symbols read in a region, with corners in frame coordinates."""
    if origin == (0, 0):
        return symbols
    return [s.moved((x + origin[0], y + origin[1]) for x, y in s.position) for s in symbols]


def _partial(symbol: Symbol, others: list[Symbol]) -> bool:
    """An Interleaved 2 of 5 read that is a piece of a longer one in the same frame, or a
    UPC-E read beside an EAN-13/UPC-A (zxing-cpp reads a piece of a turned, glared EAN-13
    as a UPC-E with a valid check digit; synthetic benchmark, docs/camera.md)."""
    if symbol.symbology == "upce":
        return any(s.symbology in LONG_RETAIL for s in others)
    return symbol.symbology == "itf" and any(
        s.symbology == "itf" and len(s.data) > len(symbol.data) and symbol.data in s.data
        for s in others
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
    names = {zbar for s in symbologies if (zbar := SYMBOLOGIES[s][0]) is not None}
    if not names:
        return []
    from pyzbar import pyzbar

    out = []
    for res in pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol[n] for n in sorted(names)]):
        name = _FROM_ZBAR.get(str(res.type))
        if name in symbologies:
            pts = tuple((int(p.x), int(p.y)) for p in res.polygon)
            out.append(Symbol(name, _as_zxing(name, bytes(res.data)), pts, ZBAR))
    return out


def _as_zxing(name: str, data: bytes) -> bytes:
    """A zbar UPC read in zxing-cpp's form: UPC-A as 13 digits, UPC-E expanded to 13."""
    if name == "upca" and len(data) == 12 and data.isdigit():
        return b"0" + data
    if name == "upce" and len(data) == 8 and data.isdigit():
        return b"0" + upce_to_upca(data.decode()).encode()
    return data


def upce_to_upca(upce: str) -> str:
    """The 12-digit UPC-A a UPC-E code (number system, six digits, check) stands for."""
    ns, d, check = upce[0], upce[1:7], upce[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return ns + body + check


def read_zxing(
    gray: Image, symbologies: frozenset[str], binarizer: str = "LocalAverage"
) -> list[Symbol]:
    """Symbols zxing-cpp finds (only the given symbologies), its default options otherwise."""
    if not symbologies:
        return []
    import zxingcpp

    wanted = [getattr(zxingcpp.BarcodeFormat, SYMBOLOGIES[s][1]) for s in sorted(symbologies)]
    found = zxingcpp.read_barcodes(
        gray,
        formats=zxingcpp.BarcodeFormats(wanted),
        text_mode=zxingcpp.TextMode.Plain,
        binarizer=getattr(zxingcpp.Binarizer, binarizer),
    )
    out = []
    for res in found:
        name = _upc_named(_FROM_ZXING.get(res.format.name), bytes(res.bytes), symbologies)
        if name in symbologies and res.valid:
            pts = _zxing_points(res.position)
            out.append(
                Symbol(name, bytes(res.bytes), pts, ZXING, res.symbology_identifier, res.text)
            )
    return out


def _upc_named(name: str | None, data: bytes, symbologies: frozenset[str]) -> str | None:
    """``upca`` for an EAN-13 read with a leading 0 when UPC-A is wanted: the same bars (a
    UPC-A is an EAN-13 starting with 0), which zxing-cpp 3 reports as EAN-13 when both are
    enabled."""
    if name == "ean13" and "upca" in symbologies and data[:1] == b"0" and len(data) == 13:
        return "upca"
    return name


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
        out.append(s.moved((p, q) for p, q in pts))
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
