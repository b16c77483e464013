"""Real glyph crops for the OCR-B recogniser, cut from labelled photos and scans.

Used by ``train_ocrb --real DIR`` only, never by the reader. ``DIR`` has the
layout of the shared ``mrz-photos`` test set (``labels.jsonl``, ``images/``).
Each image of the development part of the split whose source licence lets the
weights ship is searched the way the reader searches it; where a located zone
has exactly the label's line lengths, and the model in place already agrees
with the label on most cells (so the grid sits on the right characters), each cell
is paired with its labelled character. Nothing is written to disk: the crops
live only while the model is trained.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from drivers.camera import locate, ocrb

SPLIT = Path(__file__).resolve().parents[2] / "tests" / "data" / "mrz_real_split.json"
SHIPPABLE = ("MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause")  # never GPL into shipped weights
MIN_AGREEMENT = 0.6  # share of cells the current model must already read as labelled

Floats = np.ndarray[Any, Any]
Ints = np.ndarray[Any, Any]


@dataclass(frozen=True)
class RealGlyph:
    """One cell of a real MRZ, its labelled character and the image it came from."""

    glyph: ocrb.Glyph
    label: int  # index into ocrb.ALPHABET
    image: str  # file name in the test set
    group: str  # same_document_group, or the file name when it stands alone


def rows(folder: Path, split: Path, part: str = "dev") -> list[dict[str, Any]]:
    """Labelled positives of one part of the split from shippable sources."""
    parts = json.loads(split.read_text())["images"]
    out = []
    for text in (folder / "labels.jsonl").read_text().splitlines():
        row = json.loads(text) if text.strip() else {}
        name = Path(row.get("file", "")).name
        if row.get("lines") and parts.get(name) == part and row["licence"] in SHIPPABLE:
            out.append(row)
    return out


def harvest(folder: Path, split: Path, part: str = "dev") -> list[RealGlyph]:
    """Every labelled cell the reader's own locator and segmenter cut from the images."""
    found: list[RealGlyph] = []
    for row in rows(folder, split, part):
        image = cv2.imread(str(folder / row["file"]), cv2.IMREAD_COLOR)
        cells = _cells(image, row["lines"]) if image is not None else None
        name = Path(row["file"]).name
        group = row.get("same_document_group") or name
        for glyph, ch in cells or []:
            if glyph.rel_height > 0 and ch in ocrb.ALPHABET:
                found.append(RealGlyph(glyph, ocrb.ALPHABET.index(ch), name, group))
    return found


def _cells(image: Any, lines: list[str]) -> list[tuple[ocrb.Glyph, str]] | None:
    """The cells of the first zone (in the reader's order) that matches the label.

    A zone matches when its lines have the label's lengths and the model in
    place reads at least ``MIN_AGREEMENT`` of its cells as labelled (which also
    tells upright from upside down). Taking the first, not the best, keeps the
    harvest the same whichever model judges it.
    """
    from drivers.camera import mrz_ocr

    shape = [len(x) for x in lines]
    text = "".join(lines)
    for gray in mrz_ocr.inks(image, True):
        for cand in locate.candidates(gray, 6):
            zone = locate.rectify(cand.image, cand.group)
            for turned in (zone, mrz_ocr._turned(zone)):
                cells = locate.segment(turned)
                glyphs = [g for row in cells for g in row]
                if [len(c) for c in cells] == shape and _agreement(glyphs, text) >= MIN_AGREEMENT:
                    return list(zip(glyphs, text, strict=True))
    return None


def _agreement(glyphs: list[ocrb.Glyph], text: str) -> float:
    """Share of cells the model in place reads as labelled."""
    read = "".join(ch for ch, _ in ocrb.classify(glyphs))
    return sum(a == b for a, b in zip(read, text, strict=True)) / len(text)


def augmented(glyphs: list[RealGlyph], copies: int, seed: int) -> tuple[Floats, Ints]:
    """Features of each real glyph and of ``copies`` degraded versions of it."""
    rng = random.Random(seed)
    feats, labels = [], []
    for item in glyphs:
        for k in range(copies + 1):
            glyph = item.glyph if k == 0 else degrade(item.glyph, rng)
            feats.append(ocrb.features(glyph))
            labels.append(item.label)
    return np.stack(feats), np.array(labels, np.int64)


def degrade(glyph: ocrb.Glyph, rng: random.Random) -> ocrb.Glyph:
    """A copy blurred, rescaled, with less contrast, noise and a small shift (some of these)."""
    crop: Floats = glyph.crop.astype(np.float32)
    if rng.random() < 0.5:
        crop = cv2.GaussianBlur(crop, (0, 0), rng.uniform(0.4, 1.3))
    if rng.random() < 0.5:
        crop = _rescaled(crop, rng.uniform(0.35, 0.8))
    keep = rng.uniform(0.45, 1.0) if rng.random() < 0.5 else 1.0
    crop = glyph.paper - (glyph.paper - crop) * keep
    crop += _noise(crop.shape, rng)
    crop = _shifted(np.clip(crop, 0, 255).astype(np.uint8), rng, glyph.paper)
    ink = glyph.paper - (glyph.paper - glyph.ink) * keep * rng.uniform(0.85, 1.15)
    return replace(glyph, crop=crop, ink=ink, rel_height=glyph.rel_height * rng.uniform(0.94, 1.06),
                   rel_middle=glyph.rel_middle + rng.uniform(-0.04, 0.04))  # fmt: skip


def _noise(shape: tuple[int, ...], rng: random.Random) -> Floats:
    """Gaussian sensor noise of a random strength (0 to 8 grey levels)."""
    seeded = np.random.default_rng(rng.randrange(2**31))
    out: Floats = seeded.normal(0, rng.uniform(0, 8), shape)
    return out


def _rescaled(crop: Floats, factor: float) -> Floats:
    """Down to ``factor`` of its size and back: a lower-resolution capture."""
    h, w = crop.shape
    small = cv2.resize(crop, (max(2, round(w * factor)), max(2, round(h * factor))),
                       interpolation=cv2.INTER_AREA)  # fmt: skip
    out: Floats = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return out


def _shifted(crop: Any, rng: random.Random, paper: float) -> Any:
    """A pixel of paper added or a pixel row/column trimmed on one side (a loose ink box)."""
    side = rng.randrange(5)
    if side == 4 or min(crop.shape) < 6:
        return crop
    if rng.random() < 0.5:
        pad = [(0, 0), (0, 0)]
        pad[side // 2] = (1, 0) if side % 2 == 0 else (0, 1)
        return np.pad(crop, pad, constant_values=int(paper))
    cut = [slice(None), slice(None)]
    cut[side // 2] = slice(1, None) if side % 2 == 0 else slice(None, -1)
    return crop[tuple(cut)]
