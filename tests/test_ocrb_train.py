"""The augmentation that turns real glyph crops into more training samples (``train_real``)."""

from __future__ import annotations

import random

import numpy as np

from drivers.camera import ocrb, train_real


def _glyph() -> ocrb.Glyph:
    crop = np.full((32, 22), 230, np.uint8)
    crop[2:30, 3:7] = 30  # a stroke
    crop[2:6, 3:19] = 30
    return ocrb.Glyph(crop, 1.0, 0.7, 0.5, 30.0, 230.0)


def test_degraded_copies_stay_glyphs_of_the_same_kind() -> None:
    rng = random.Random(3)
    glyph = _glyph()
    for _ in range(50):
        copy = train_real.degrade(glyph, rng)
        assert copy.crop.dtype == np.uint8 and min(copy.crop.shape) >= 20
        assert abs(copy.crop.shape[0] - 32) <= 1 and abs(copy.crop.shape[1] - 22) <= 1
        assert copy.paper == glyph.paper and copy.ink < copy.paper
        assert 0.9 < copy.rel_height < 1.1
        assert np.isfinite(ocrb.features(copy)).all()


def test_augmented_keeps_each_original_and_its_label() -> None:
    item = train_real.RealGlyph(_glyph(), ocrb.ALPHABET.index("F"), "x.png", "x.png")
    x, y = train_real.augmented([item, item], 3, seed=1)
    assert x.shape[0] == 8 and (y == ocrb.ALPHABET.index("F")).all()
    assert np.array_equal(x[0], ocrb.features(item.glyph))
    again, _ = train_real.augmented([item, item], 3, seed=1)
    assert np.array_equal(x, again)
