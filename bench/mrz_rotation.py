"""Camera MRZ under rotation: a sweep over synthetic frames (issue 16's locator floor).

Synthetic documents (Debian's OCR-B, our own generator) are placed in a
1280x720 frame turned by each angle of the sweep — tilts up to ±30°, the same
upside down, and quarter turns — and read by ``read_frame`` as ``mrz read``
does. Prints one JSON document: per angle, how many frames gave a valid read
with the right document number, and ms per frame. The frames are synthetic:
the figure says whether the locator handles the angle, not how well real
documents read (``bench/real_mrz.py`` does that).

    .venv/bin/python bench/mrz_rotation.py [--docs N] [--step DEG]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.camera import mrz_ocr, synth  # noqa: E402
from drivers.mrz import parse_mrz  # noqa: E402


def angles(step: int) -> list[int]:
    """Tilts within ±30°, the same upside down, and the two quarter turns."""
    tilts = list(range(-30, 31, step))
    return tilts + [180 + a for a in tilts] + [90, 270]


def frame_at(lines: list[str], seed: int, angle: float) -> Any:
    """One synthetic frame with the document turned by ``angle`` degrees, all of it in view."""
    rng = random.Random(seed)
    doc = synth.render_document(lines, pitch=rng.choice([16, 20, 24]), seed=seed)
    back = synth.background(seed=seed)
    (dh, dw), (fh, fw) = doc.shape[:2], back.shape[:2]
    cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
    scale = min(fw / dw, fh / dh)
    room = min(fw / (dw * cos + dh * sin), fh / (dw * sin + dh * cos)) / scale
    fill = min(rng.uniform(0.55, 0.75), 0.88 * room)
    return synth.place(doc, back, angle=angle, warp=rng.uniform(0, 0.03), fill=fill, seed=seed)


def sweep(docs: int, step: int, colour: bool) -> dict[str, Any]:
    """Valid, right reads and time per angle."""
    rng = random.Random(16)
    out: dict[str, Any] = {}
    for angle in angles(step):
        right, times = 0, []
        for i in range(docs):
            lines = synth.random_td3(rng)
            frame = frame_at(lines, 1_000 * (angle + 90) + i, angle)
            start = time.perf_counter()
            read = mrz_ocr.read_frame(frame, colour=colour)
            times.append((time.perf_counter() - start) * 1000)
            want = parse_mrz(lines).document_number
            right += bool(read and read.valid and read.result.document_number == want)
        out[str(angle)] = {"right": right, "frames": docs,
                           "ms_median": round(statistics.median(times), 1)}  # fmt: skip
    return out


def main(argv: Iterable[str] | None = None) -> int:
    """Print the sweep as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=6, help="documents per angle")
    parser.add_argument("--step", type=int, default=5, help="degrees between tilts")
    args = parser.parse_args(None if argv is None else list(argv))
    load = [round(x, 2) for x in os.getloadavg()]
    by_angle = sweep(args.docs, args.step, colour=True)
    total = sum(v["right"] for v in by_angle.values())
    frames = sum(v["frames"] for v in by_angle.values())
    print(json.dumps({"bench": "mrz_rotation", "data": "synthetic frames (OCR-B, our generator)",
                      "right": total, "frames": frames, "by_angle": by_angle,
                      "load_average": load}, indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
