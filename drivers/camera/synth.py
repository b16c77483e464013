"""Synthetic OCR-B documents and glyphs for training, tests and benchmarks.

Needs Pillow (the ``test`` extra) to draw the OpenType OCR-B font from
Debian's ``fonts-ocr-b``; nothing at run time imports this module.
"""

from __future__ import annotations

import random
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
_FONT_DIRS = ("/usr/share/fonts/opentype/ocr-b", "/usr/share/fonts/truetype/ocr-b")
_WEIGHTS = (7, 3, 1)

Image = np.ndarray[Any, Any]


def ocrb_font_path() -> Path:
    """The regular OCR-B font file (Debian ``fonts-ocr-b``)."""
    for folder in _FONT_DIRS:
        path = Path(folder) / "OCRB.otf"
        if path.is_file():
            return path
    out = subprocess.run(
        ["fc-match", "-f", "%{file}", "OCR B:style=Regular"], capture_output=True, text=True
    )
    if out.returncode == 0 and "ocr" in out.stdout.lower():
        return Path(out.stdout.strip())
    raise FileNotFoundError("OCR-B font not found: install the Debian package fonts-ocr-b")


@lru_cache(maxsize=16)
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(ocrb_font_path()), size)


def check_digit(text: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1; ``<`` counts 0, A=10 … Z=35)."""
    total = 0
    for i, ch in enumerate(text):
        value = int(ch) if ch.isdigit() else (ord(ch) - 55 if ch.isalpha() else 0)
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


def _name_field(surname: str, given: str, width: int) -> str:
    return f"{surname}<<{given.replace(' ', '<')}".ljust(width, "<")[:width]


def td3_lines(
    number: str, surname: str, given: str, *, issuer: str = "UTO", birth: str = "740812"
) -> list[str]:
    """Two valid 44-character passport lines (ICAO 9303 TD3)."""
    line1 = ("P<" + issuer + _name_field(surname, given, 39))[:44]
    doc = number.ljust(9, "<")[:9]
    expiry, personal = "330415", "ZE184226B<<<<<"
    body = doc + check_digit(doc) + issuer + birth + check_digit(birth) + "F"
    body += expiry + check_digit(expiry) + personal + check_digit(personal)
    composite = doc + check_digit(doc) + birth + check_digit(birth)
    composite += expiry + check_digit(expiry) + personal + check_digit(personal)
    return [line1, body + check_digit(composite)]


def td1_lines(number: str, surname: str, given: str, *, issuer: str = "UTO") -> list[str]:
    """Three valid 30-character identity-card lines (ICAO 9303 TD1)."""
    doc, birth, expiry = number.ljust(9, "<")[:9], "740812", "330415"
    line1 = ("I<" + issuer + doc + check_digit(doc)).ljust(30, "<")
    line2 = birth + check_digit(birth) + "M" + expiry + check_digit(expiry) + issuer
    line2 = line2.ljust(29, "<")
    upper = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(upper)
    return [line1, line2, _name_field(surname, given, 30)]


def random_td3(rng: random.Random) -> list[str]:
    """A random valid passport MRZ."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    number = "".join(rng.choice(letters + "0123456789") for _ in range(rng.randint(7, 9)))
    surname = "".join(rng.choice(letters) for _ in range(rng.randint(3, 12)))
    given = "".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))
    birth = f"{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return td3_lines(number, surname, given, issuer=rng.choice(["UTO", "D<<", "FRA"]), birth=birth)


def render_glyph(ch: str, size: int) -> Image:
    """One OCR-B character, black on white, in a square canvas ``2*size`` wide."""
    from PIL import Image as PilImage
    from PIL import ImageDraw

    canvas = PilImage.new("L", (size * 2, size * 2), 255)
    ImageDraw.Draw(canvas).text((size // 2, size // 3), ch, font=_font(size), fill=0)
    return np.asarray(canvas, dtype=np.uint8).copy()


def render_mrz(lines: Sequence[str], pitch: int = 20, margin: int = 30) -> Image:
    """The MRZ block alone: fixed 10 cpi pitch, line spacing 1.7 pitch, white paper."""
    from PIL import Image as PilImage
    from PIL import ImageDraw

    size = int(pitch * 1.38)
    width = pitch * max(len(x) for x in lines) + 2 * margin
    height = int(pitch * 1.7 * len(lines)) + 2 * margin
    canvas = PilImage.new("L", (width, height), 255)
    draw = ImageDraw.Draw(canvas)
    for row, line in enumerate(lines):
        y = margin + int(row * pitch * 1.7)
        for col, ch in enumerate(line):
            draw.text((margin + col * pitch, y), ch, font=_font(size), fill=20)
    return np.asarray(canvas, dtype=np.uint8).copy()


def render_document(lines: Sequence[str], pitch: int = 20, seed: int = 0) -> Image:
    """A plain data page: header text, a photo box, printed fields and the MRZ at the foot."""
    rng = np.random.default_rng(seed)
    mrz = render_mrz(lines, pitch, margin=pitch)
    h, w = mrz.shape
    page_h = h + int(w * 0.45)
    page = np.full((page_h, w), 235, np.uint8)
    page += rng.integers(0, 12, page.shape, dtype=np.uint8)
    cv2.rectangle(page, (pitch, pitch), (pitch + w // 4, page_h - h - pitch), 140, -1)
    for i in range(6):
        y = pitch * 2 + i * int(pitch * 1.6)
        cv2.putText(
            page,
            f"FIELD {i} VALUE",
            (w // 3, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            pitch / 30,
            60,
            1,
            cv2.LINE_AA,
        )
    page[page_h - h :, :] = np.minimum(page[page_h - h :, :], mrz)
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)


def background(width: int = 1280, height: int = 720, seed: int = 0) -> Image:
    """A cluttered desk: gradients, boxes and stray printed text, no MRZ."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(60, 160, width, dtype=np.float32)[None, :].repeat(height, 0)
    frame = cv2.cvtColor(ramp.astype(np.uint8), cv2.COLOR_GRAY2BGR)
    for _ in range(8):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.rectangle(frame, (x, y), (x + int(rng.integers(20, 300)), y + 40), colour, -1)
    for i in range(int(rng.integers(0, 6))):
        y = int(rng.integers(30, height - 10))
        text = "".join(chr(int(c)) for c in rng.integers(65, 91, int(rng.integers(5, 40))))
        cv2.putText(
            frame,
            text,
            (int(rng.integers(0, width // 2)), y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5 + i * 0.1,
            (20, 20, 20),
            1,
            cv2.LINE_AA,
        )
    return frame


def place(
    doc: Image,
    frame: Image,
    *,
    angle: float = 0.0,
    warp: float = 0.0,
    fill: float = 0.8,
    seed: int = 0,
) -> Image:
    """Put ``doc`` into ``frame`` rotated by ``angle`` degrees with perspective ``warp``."""
    rng = np.random.default_rng(seed)
    fh, fw = frame.shape[:2]
    dh, dw = doc.shape[:2]
    scale = fill * min(fw / dw, fh / dh)
    cx, cy = fw / 2 + rng.uniform(-0.05, 0.05) * fw, fh / 2 + rng.uniform(-0.05, 0.05) * fh
    corners = np.array([[-dw, -dh], [dw, -dh], [dw, dh], [-dw, dh]], np.float32) * scale / 2
    corners += rng.uniform(-warp, warp, corners.shape).astype(np.float32) * dw * scale
    rad = np.deg2rad(angle)
    rot = np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]], np.float32)
    dst = (corners @ rot.T + np.array([cx, cy], np.float32)).astype(np.float32)
    src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(doc, matrix, (fw, fh), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((dh, dw), 255, np.uint8), matrix, (fw, fh))
    out = frame.copy()
    out[mask > 127] = warped[mask > 127]
    return out


def degrade(frame: Image, kind: str, seed: int = 0) -> Image:
    """One camera defect: ``blur``, ``noise``, ``glare``, ``contrast``, ``jpeg`` or ``none``."""
    rng = np.random.default_rng(seed)
    if kind == "blur":
        return cv2.GaussianBlur(frame, (0, 0), 1.2)
    if kind == "noise":
        noise = np.asarray(rng.normal(0, 14, size=frame.shape)).astype(np.int16)
        out: Image = np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8)
        return out
    if kind == "glare":
        h, w = frame.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)  # type: ignore[attr-defined]
        cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
        spot = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * (0.12 * w) ** 2)) * 110
        lit: Image = np.clip(frame.astype(np.float32) + spot[..., None], 0, 255)
        return lit.astype(np.uint8)
    if kind == "contrast":
        flat: Image = frame.astype(np.float32) * 0.35 + 110
        return flat.astype(np.uint8)
    if kind == "jpeg":
        ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 35])
        back = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
        return frame if back is None else back
    return frame


DEFECTS = ("none", "blur", "noise", "glare", "contrast", "jpeg")


def mrz_frame(lines: Sequence[str], seed: int, defect: str = "none") -> Image:
    """A 1280×720 frame holding a document with ``lines`` as its MRZ, slightly skewed."""
    rng = random.Random(seed)
    doc = render_document(lines, pitch=rng.choice([16, 20, 24]), seed=seed)
    frame = place(
        doc,
        background(seed=seed),
        angle=rng.uniform(-8, 8),
        warp=rng.uniform(0, 0.04),
        fill=rng.uniform(0.6, 0.85),
        seed=seed,
    )
    return degrade(frame, defect, seed)


_PYBARCODE = {"code128": "code128", "code39": "code39", "ean13": "ean13", "ean8": "ean8",
              "upca": "upca", "itf": "itf", "codabar": "codabar"}  # fmt: skip
_ZXING_WRITE = {"datamatrix": "DataMatrix", "pdf417": "PDF417", "aztec": "Aztec",
                "code93": "Code93", "upce": "UPCE"}  # fmt: skip


def barcode_image(symbology: str, payload: str | bytes, module: int = 3) -> Image:
    """A clean barcode (grey, quiet zone included) made by a third-party encoder."""
    if symbology == "qrcode":
        return _png(_segno_png(payload, module))
    if symbology in _PYBARCODE:
        return _python_barcode(symbology, str(payload if isinstance(payload, str) else
                                              payload.decode()), module)  # fmt: skip
    import zxingcpp

    fmt = getattr(zxingcpp.BarcodeFormat, _ZXING_WRITE[symbology])
    img = np.asarray(zxingcpp.create_barcode(payload, fmt).to_image(scale=module), np.uint8)
    pad = module * 4
    return cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def _segno_png(payload: str | bytes, module: int) -> bytes:
    import io

    import segno

    buf = io.BytesIO()
    segno.make(payload, micro=False, error="m").save(buf, kind="png", scale=module, border=4)
    return buf.getvalue()


def _python_barcode(symbology: str, payload: str, module: int) -> Image:
    import io

    import barcode
    from barcode.writer import ImageWriter

    code = barcode.get(_PYBARCODE[symbology], payload, writer=ImageWriter())
    buf = io.BytesIO()
    opts = {"module_width": 0.1 * module, "module_height": 12.0, "write_text": False,
            "quiet_zone": 4.0, "dpi": 254}  # fmt: skip
    code.write(buf, options=opts)
    return _png(buf.getvalue())


def _png(data: bytes) -> Image:
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise ValueError("encoder produced no image")
    out: Image = img
    return out


def barcode_frame(
    symbology: str, payload: str | bytes, seed: int, defect: str = "none", angle: float = 0.0
) -> Image:
    """A 1280×720 frame with one barcode on a label, placed, turned and degraded."""
    rng = random.Random(seed)
    label = cv2.cvtColor(barcode_image(symbology, payload, rng.choice([2, 3, 4])),
                         cv2.COLOR_GRAY2BGR)  # fmt: skip
    frame = place(label, background(seed=seed), angle=angle, warp=rng.uniform(0, 0.03),
                  fill=rng.uniform(0.3, 0.6), seed=seed)  # fmt: skip
    return degrade(frame, defect, seed)
