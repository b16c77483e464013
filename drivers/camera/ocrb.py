"""The OCR-B character recogniser: glyph features and a small numpy network.

The model (``ocrb_model.npz``) is trained by ``python -m drivers.camera.train_ocrb``
from glyphs of Debian's ``fonts-ocr-b`` plus, with ``--real``, augmented glyph
crops of real MIT/Apache-licensed development images; its SHA-256 is pinned
here and checked on load, so a corrupted or swapped file is refused rather than
misread.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
GLYPH = 16
MODEL_PATH = Path(__file__).with_name("ocrb_model.npz")
MODEL_SHA256 = "f52faa01fb254ec02545c46ebce28db0593cefa81960a2e2db855813635248cb"

Gray = np.ndarray[Any, Any]
Floats = np.ndarray[Any, Any]

BINS = 8


class ModelError(RuntimeError):
    """The recogniser's model file is missing, corrupt or not the pinned one."""


@dataclass(frozen=True)
class Glyph:
    """One segmented character cell: its ink crop and where it sat in the line."""

    crop: Gray  # grey pixels of the ink bounding box, ink dark
    rel_height: float  # ink height / line cap height
    rel_width: float  # ink width / pitch
    rel_middle: float  # vertical centre of ink relative to the line's cap band (0..1)
    ink: float  # grey level of the ink around this cell
    paper: float  # grey level of the paper around this cell


def features(glyph: Glyph) -> Floats:
    """The feature vector of one glyph: normalised pixels, HOG and its geometry."""
    span = max(glyph.paper - glyph.ink, 8.0)
    norm = np.clip((glyph.paper - glyph.crop.astype(np.float32)) / span, 0.0, 1.0)
    h, w = norm.shape
    side = max(h, w)
    square = np.zeros((side, side), np.float32)
    square[(side - h) // 2 : (side - h) // 2 + h, (side - w) // 2 : (side - w) // 2 + w] = norm
    small = cv2.resize(square, (GLYPH, GLYPH), interpolation=cv2.INTER_AREA)
    hog = _orientations(small)
    geometry = np.array([glyph.rel_height, glyph.rel_width, glyph.rel_middle], np.float32)
    return np.concatenate([small.ravel(), hog, geometry * 2.0]).astype(np.float32)


def _orientations(img: Floats) -> Floats:
    """Gradient-orientation histograms over a 4×4 grid of cells (a small HOG)."""
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy)
    bins = ((np.arctan2(gy, gx) + np.pi) / (2 * np.pi) * BINS).astype(np.int32) % BINS
    cell = GLYPH // 4
    onehot = np.zeros((GLYPH, GLYPH, BINS), np.float32)
    np.put_along_axis(onehot, bins[..., None], mag[..., None], axis=2)
    hist = onehot.reshape(4, cell, 4, cell, BINS).sum(axis=(1, 3)).ravel()
    out: Floats = (hist / (np.linalg.norm(hist) + 1e-3)).astype(np.float32)
    return out


@dataclass(frozen=True)
class Model:
    """A one-hidden-layer network over glyph features."""

    mean: Floats
    scale: Floats
    w1: Floats
    b1: Floats
    w2: Floats
    b2: Floats

    def probabilities(self, x: Floats) -> Floats:
        """Class probabilities (rows sum to 1) for a batch of feature vectors."""
        z = (x - self.mean) * self.scale
        # einsum, not @: BLAS spreads a product this small over threads, which on a
        # busy 2-core box cost 10-25 ms a call instead of about 1
        hidden = np.maximum(np.einsum("ij,jk->ik", z, self.w1) + self.b1, 0.0)
        logits = hidden @ self.w2 + self.b2
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        out: Floats = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def save(self, path: Path) -> str:
        """Write the model and return its SHA-256."""
        arrays = {k: getattr(self, k).astype(np.float16) for k in _FIELDS}
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
        return hashlib.sha256(path.read_bytes()).hexdigest()


_FIELDS = ("mean", "scale", "w1", "b1", "w2", "b2")


def load_model(path: Path = MODEL_PATH, sha256: str | None = None) -> Model:
    """Load a model, refusing it unless its SHA-256 is the pinned one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"OCR-B model {path.name} unreadable: {exc}") from exc
    want = MODEL_SHA256 if sha256 is None else sha256
    got = hashlib.sha256(data).hexdigest()
    if got != want:
        raise ModelError(f"OCR-B model {path.name} has SHA-256 {got}, expected {want}")
    with np.load(path) as arrays:
        parts = {k: arrays[k].astype(np.float32) for k in _FIELDS}
    return Model(**parts)


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped model, loaded and checked once."""
    return load_model()


def classify(glyphs: list[Glyph], model: Model | None = None) -> list[tuple[str, float]]:
    """The best character and its probability for each glyph."""
    return [row[0] for row in ranked(glyphs, model)]


def ranked(
    glyphs: list[Glyph], model: Model | None = None, top: int = 2
) -> list[list[tuple[str, float]]]:
    """The ``top`` likeliest characters and their probabilities for each glyph, best first."""
    if not glyphs:
        return []
    net = model or default_model()
    probs = net.probabilities(np.stack([features(g) for g in glyphs]))
    order = np.argsort(-probs, axis=1)[:, :top]
    return [[(ALPHABET[i], float(probs[k, i])) for i in row] for k, row in enumerate(order)]
