"""Retrain the OCR-B recogniser: ``python -m drivers.camera.train_ocrb [--frames N] [--real DIR]``.

Renders random MRZ-like blocks with Debian's ``fonts-ocr-b`` (needs Pillow),
puts them into camera-like frames with the defects of ``synth.degrade``, cuts
them with the very code the reader uses, and fits a one-hidden-layer network
with numpy. ``--real DIR`` adds glyphs cut from labelled real images (see
``train_real``): only the development part of the split, only sources whose
licence lets the weights ship. Writes ``ocrb_model.npz`` and prints its SHA-256
to pin in ``ocrb.MODEL_SHA256``. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from drivers.camera import locate, ocrb, synth

Floats = np.ndarray[Any, Any]
Ints = np.ndarray[Any, Any]


def random_lines(rng: random.Random) -> list[str]:
    """2 or 3 lines of random MRZ characters with runs of fillers."""
    rows, width = rng.choice([(2, 44), (2, 44), (2, 36), (3, 30)])
    out = []
    for _ in range(rows):
        chars = [rng.choice(ocrb.ALPHABET) for _ in range(width)]
        start = rng.randint(0, width - 1)
        for k in range(start, min(width, start + rng.randint(0, 12))):
            chars[k] = "<"
        out.append("".join(chars))
    return out


def samples(seed: int) -> tuple[list[ocrb.Glyph], list[int]]:
    """The labelled glyphs of one synthetic frame (none if the cut went wrong)."""
    rng = random.Random(seed)
    lines = random_lines(rng)
    frame = synth.mrz_frame(lines, seed, rng.choice(synth.DEFECTS))
    gray = frame[..., 1].copy()
    for group in locate.group_lines(locate.find_lines(gray))[:1]:
        cells = locate.segment(locate.rectify(gray, group))
        if [len(c) for c in cells] == [len(x) for x in lines]:
            glyphs = [g for row in cells for g in row]
            labels = [ocrb.ALPHABET.index(ch) for line in lines for ch in line]
            keep = [i for i, g in enumerate(glyphs) if g.rel_height > 0]
            return [glyphs[i] for i in keep], [labels[i] for i in keep]
    return [], []


def dataset(frames: int, seed: int) -> tuple[Floats, Ints]:
    """Feature matrix and labels from ``frames`` synthetic frames."""
    feats: list[Floats] = []
    labels: list[int] = []
    for k in range(frames):
        glyphs, ys = samples(seed + k)
        feats.extend(ocrb.features(g) for g in glyphs)
        labels.extend(ys)
    return np.stack(feats), np.array(labels, np.int64)


def train(x: Floats, y: Ints, hidden: int = 128, epochs: int = 40, seed: int = 0) -> ocrb.Model:
    """Fit the network with mini-batch Adam on softmax cross-entropy."""
    rng = np.random.default_rng(seed)
    mean, scale = x.mean(axis=0), 1.0 / (x.std(axis=0) + 1e-3)
    z = (x - mean) * scale
    classes = len(ocrb.ALPHABET)
    params = [
        rng.normal(0, np.sqrt(2 / z.shape[1]), (z.shape[1], hidden)).astype(np.float32),
        np.zeros(hidden, np.float32),
        rng.normal(0, np.sqrt(1 / hidden), (hidden, classes)).astype(np.float32),
        np.zeros(classes, np.float32),
    ]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    step = 0
    for epoch in range(epochs):
        lr = 0.003 * (0.93**epoch)
        order = rng.permutation(len(z))
        for start in range(0, len(z), 128):
            step += 1
            batch = order[start : start + 128]
            grads = _gradients(params, z[batch], y[batch])
            _adam(params, grads, moments, lr, step)
    return ocrb.Model(mean, scale.astype(np.float32), *params)


def _gradients(params: list[Floats], z: Floats, y: Ints) -> list[Floats]:
    w1, b1, w2, b2 = params
    pre = z @ w1 + b1
    hidden = np.maximum(pre, 0.0)
    logits = hidden @ w2 + b2
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    p /= len(y)
    dh = (p @ w2.T) * (pre > 0)
    return [z.T @ dh + 1e-4 * w1, dh.sum(axis=0), hidden.T @ p + 1e-4 * w2, p.sum(axis=0)]


def _adam(
    params: list[Floats],
    grads: list[Floats],
    moments: list[tuple[Floats, Floats]],
    lr: float,
    step: int,
) -> None:
    for p, g, (m, v) in zip(params, grads, moments, strict=True):
        m *= 0.9
        m += 0.1 * g
        v *= 0.999
        v += 0.001 * g * g
        p -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)


def accuracy(model: ocrb.Model, x: Floats, y: Ints) -> float:
    """Share of glyphs classified right."""
    return float((model.probabilities(x).argmax(axis=1) == y).mean())


def main() -> int:
    """Build the training set, fit, report held-out accuracy, write the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--out", default=str(ocrb.MODEL_PATH))
    parser.add_argument("--real", metavar="DIR", help="labelled real images (mrz-photos layout)")
    parser.add_argument("--copies", type=int, default=6, help="augmented copies per real glyph")
    args = parser.parse_args()
    t0 = time.perf_counter()
    x, y = dataset(args.frames, args.seed)
    xt, yt = dataset(max(args.frames // 6, 20), args.seed + 10**6)
    real: dict[str, Any] = {}
    if args.real:
        from drivers.camera import train_real

        harvest = train_real.harvest(Path(args.real), train_real.SPLIT)
        xr, yr = train_real.augmented(harvest, args.copies, args.seed)
        x, y = np.concatenate([x, xr]), np.concatenate([y, yr])
        real = {"real_images": sorted({h.image for h in harvest}), "real_glyphs": len(harvest)}
    model = train(x, y)
    digest = model.save(Path(args.out))
    report = {
        **real,
        "train_glyphs": len(y),
        "test_glyphs": len(yt),
        "test_accuracy": round(accuracy(model, xt, yt), 5),
        "sha256": digest,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
