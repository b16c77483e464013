"""``borderpost mrz read IMAGE... [--json]``: the MRZ in photos or scans (camera issue)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from edge.cli._common import CliError, print_json
from edge.sanitize import clean_text

MAX_IMAGE_BYTES = 64 * 1024 * 1024
NO_MRZ = 3


def register_read(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``read`` under ``borderpost mrz``."""
    p = sub.add_parser("read", help="read the MRZ in images (camera OCR, offline)")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG/JPEG photo or scan")
    p.add_argument("--json", action="store_true", help="one JSON object per image")
    p.add_argument("--max-corrections", type=int, default=2, choices=range(0, 5),
                   metavar="N", help="OCR corrections allowed per field (default 2)")  # fmt: skip
    p.set_defaults(func=run_read)


def load_image(path: str) -> Any:
    """A BGR image from a file; CliError (exit 2) when it is not a readable image."""
    import cv2
    import numpy as np

    file = Path(path)
    try:
        if file.stat().st_size > MAX_IMAGE_BYTES:
            raise CliError(f"{path}: larger than {MAX_IMAGE_BYTES // 2**20} MiB")
        data = np.frombuffer(file.read_bytes(), np.uint8)
    except OSError as exc:
        raise CliError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if image is None:
        raise CliError(f"{path}: not an image OpenCV can decode (PNG, JPEG, BMP, TIFF…)")
    return image


def read_one(path: str, max_corrections: int) -> dict[str, Any]:
    """The ``mrz parse`` fields plus confidence and timing for one image."""
    from drivers.camera import mrz_ocr

    image = load_image(path)
    start = time.perf_counter()
    read = mrz_ocr.read_frame(image, max_corrections=max_corrections, colour=True)
    elapsed = round((time.perf_counter() - start) * 1000, 1)
    if read is None:
        return {"image": path, "found": False, "confidence": 0.0, "elapsed_ms": elapsed}
    doc = dict(read.result.to_json())
    extra = {"confidence": round(read.overall(), 3), "field_confidence": read.field_confidence(),
             "elapsed_ms": elapsed}  # fmt: skip
    return {"image": path, "found": True, **doc, **extra}


def run_read(args: argparse.Namespace) -> int:
    """Read every image; exit 3 when no image held an MRZ."""
    try:
        results = [read_one(p, args.max_corrections) for p in args.images]
    except CliError as exc:
        sys.stderr.write(f"borderpost: {exc}\n")
        return exc.code
    for res in results:
        print_json(res) if args.json else _print_text(res)
    return 0 if any(r["found"] for r in results) else NO_MRZ


def _print_text(res: dict[str, Any]) -> None:
    if not res["found"]:
        sys.stdout.write(f"{res['image']}: no MRZ ({res['elapsed_ms']} ms)\n")
        return
    state = "valid" if res.get("valid") else "INVALID"
    line = (f"{res['image']}: {res.get('format')} {res.get('document_number')} "
            f"{res.get('surname')}, {res.get('given_names')} — {state}, "
            f"confidence {res['confidence']}, {res['elapsed_ms']} ms")  # fmt: skip
    sys.stdout.write(clean_text(line, 400) + "\n")
