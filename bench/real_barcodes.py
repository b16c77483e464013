"""Barcodes on real photos: Borderpost's reader beside zxing-cpp's defaults and pyzbar (issue 18).

Reads the held-out part of ``../shared/testdata/barcode-photos`` (the split is
``tests/data/barcode_photos_split.json``; ``--part dev`` or ``all`` for the
others) and prints one JSON document: per symbology and per family, for each
reader, the decode rate, false decodes on the negatives and ms per image; the
overall figures; and Borderpost's reader median per synthetic 1280×720 frame.
Expected results are judged by the folder's own ``score.py`` (zxing-cpp plain
text, UPC-A/E as 13 digits, DataBar with its ``01``). The images are loaded as
``borderpost barcode read`` loads them; the peers get the grey image, as in the
folder's README.

    .venv/bin/python bench/real_barcodes.py [--part held_out|dev|all] [--frames 40]

``split`` writes the split rule's result (run once; the file is committed):

    .venv/bin/python bench/real_barcodes.py --write-split
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402

from drivers.camera import barcodes as bc  # noqa: E402

PHOTOS = ROOT.parent / "shared" / "testdata" / "barcode-photos"
if not PHOTOS.exists():  # a fresh clone: the held-out images and negatives copied for the tests
    PHOTOS = ROOT / "tests" / "data" / "barcode-photos"
SPLIT = ROOT / "tests" / "data" / "barcode_photos_split.json"
SPLIT_RULE = (
    "Development / held-out split of shared/testdata/barcode-photos (issue 18), made once: "
    "images grouped in strata by (manifest symbology, folder); in each stratum sorted by the "
    "SHA-256 of their path; the 2nd, 5th, 8th … (index % 3 == 1) held out, the rest development. "
    "Tune only on 'dev'; report figures on 'held_out'. File names only: the images stay in shared/."
)
FAMILIES = {
    "ean-upc": ("ean13", "ean8", "upca", "upce"),
    "databar": ("databar", "databar-expanded", "databar-expanded-stacked", "databar-limited"),
    "qr": ("qrcode", "microqr", "rmqr"),
    "matrix": ("datamatrix", "pdf417", "micropdf417", "aztec", "maxicode"),
    "linear": ("code128", "code39", "code93", "codabar", "itf", "telepen", "dxfilmedge"),
}
FAMILY_OF = {sym: fam for fam, syms in FAMILIES.items() for sym in syms}
Reader = Callable[[Any], list[tuple[str, bytes]]]
"""An image in, (text, payload bytes) per symbol out."""


def manifest(root: Path = PHOTOS) -> list[dict[str, Any]]:
    """The folder's image entries (path, symbology, negative, kind …)."""
    images: list[dict[str, Any]] = json.loads((root / "manifest.json").read_text())["images"]
    return images


def make_split(entries: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """The development and held-out image paths by ``SPLIT_RULE``."""
    strata: dict[tuple[str, str], list[str]] = {}
    for e in entries:
        strata.setdefault((e["symbology"], e["path"].rsplit("/", 1)[0]), []).append(e["path"])
    out: dict[str, list[str]] = {"dev": [], "held_out": []}
    for key in sorted(strata):
        paths = sorted(strata[key], key=lambda p: hashlib.sha256(p.encode()).hexdigest())
        for i, path in enumerate(paths):
            out["held_out" if i % 3 == 1 else "dev"].append(path)
    return {part: sorted(paths) for part, paths in out.items()}


def load_split(path: Path = SPLIT) -> dict[str, list[str]]:
    """The committed split: ``dev`` and ``held_out`` image paths."""
    doc = json.loads(path.read_text())
    return {"dev": doc["dev"], "held_out": doc["held_out"]}


def scorer(root: Path = PHOTOS) -> ModuleType:
    """The folder's ``score.py`` (its ``judge`` applies the expected-result rules)."""
    spec = importlib.util.spec_from_file_location("barcode_photos_score", root / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass
class Tally:
    """Hits, images, false decodes, negatives and times of one reader on one group."""

    hit: int = 0
    total: int = 0
    misread: int = 0
    false: int = 0
    negatives: int = 0
    ms: list[float] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Rates and times, rounded."""
        return {"decode_rate": round(self.hit / self.total, 3) if self.total else None,
                "read": self.hit, "images": self.total, "misread": self.misread,
                "false_decodes": self.false,
                "negatives": self.negatives,
                "ms_median": round(statistics.median(self.ms), 1) if self.ms else None,
                "ms_mean": round(statistics.fmean(self.ms), 1) if self.ms else None}  # fmt: skip


def readers() -> dict[str, Reader]:
    """Borderpost's default reader and the two peers, each image in, texts out."""
    import zxingcpp
    from pyzbar import pyzbar

    ours = bc.BarcodeReader()

    def grey(image: Any) -> Any:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)

    def zxing(image: Any) -> list[tuple[str, bytes]]:
        found = zxingcpp.read_barcodes(grey(image), text_mode=zxingcpp.TextMode.Plain)
        return [(r.text, bytes(r.bytes)) for r in found]

    return {
        "borderpost": lambda image: [(s.text, s.data) for s in ours.read(image)],
        "zxing-cpp": zxing,
        "pyzbar": lambda image: [
            (r.data.decode("utf-8", "replace"), bytes(r.data)) for r in pyzbar.decode(grey(image))
        ],
    }


def judge_all(
    paths: list[str], read: Reader, root: Path = PHOTOS
) -> list[tuple[str, str, float, list[str]]]:
    """(path, verdict, ms, texts) per image: ``score.py``'s verdict for what ``read`` gave
    (``ok``, ``miss``, ``misread``: only other codes, ``false``: any code on a negative,
    ``clean``)."""
    from edge.cli.mrz_read import load_image

    score = sys.modules.get("barcode_photos_score") or scorer(root)
    out = []
    for rel in paths:
        image = load_image(str(root / rel))
        start = time.perf_counter()
        symbols = read(image)
        elapsed = (time.perf_counter() - start) * 1000
        obj = {
            "symbols": [{"text": t, "bytes_b64": base64.b64encode(b).decode()} for t, b in symbols]
        }
        verdict, _ = score.judge(root / rel, rel, obj)
        out.append((rel, verdict, elapsed, [t for t, _ in symbols]))
    return out


def tally(
    results: list[tuple[str, str, float, list[str]]], symbology: dict[str, str]
) -> dict[str, Tally]:
    """Per symbology, per family (``family:…``), negatives and ``all``."""
    groups: dict[str, Tally] = {}
    for rel, verdict, ms, _ in results:
        if verdict == "skip":
            continue
        sym = "negatives" if verdict in ("false", "clean") else symbology[rel]
        keys = ["all", sym] + ([f"family:{FAMILY_OF[sym]}"] if sym in FAMILY_OF else [])
        for key in keys:
            t = groups.setdefault(key, Tally())
            t.ms.append(ms)
            t.hit += verdict == "ok"
            t.total += verdict in ("ok", "miss", "misread")
            t.misread += verdict == "misread"
            t.false += verdict == "false"
            t.negatives += verdict in ("false", "clean")
    return groups


def frame_median(frames: int) -> dict[str, Any]:
    """Borderpost's reader ms per synthetic 1280×720 frame with a code (median, p90), and
    the CPU time this process spent (all its threads; less swayed by other load)."""
    from drivers.camera import synth

    reader, times, cpu, read = bc.BarcodeReader(), [], [], 0
    kinds = ("qrcode", "code128", "ean13", "datamatrix", "pdf417", "aztec", "code39", "itf")
    for i in range(frames):
        sym = kinds[i % len(kinds)]
        payload = {"ean13": "590123412345", "itf": "12345678901231"}.get(sym, f"BP{i:05d}")
        frame = synth.barcode_frame(sym, payload, 40_000 + i, synth.DEFECTS[i % 6], (i * 7) % 45)
        start, start_cpu = time.perf_counter(), time.process_time()
        read += any(payload.encode() in s.data for s in reader.read(frame))
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {"frames": frames, "synthetic": True, "read": read,
            "ms_median": round(statistics.median(times), 1),
            "ms_p90": round(sorted(times)[int(0.9 * (len(times) - 1))], 1),
            "cpu_ms_median": round(statistics.median(cpu), 1)}  # fmt: skip


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was."""
    return {"machine": platform.machine(), "python": platform.python_version(),
            "cpus": os.cpu_count(), "opencv": cv2.__version__,
            "load_average": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip


def run(part: str, frames: int) -> dict[str, Any]:
    """The whole benchmark as one JSON-able document."""
    split = load_split()
    paths = split["dev"] + split["held_out"] if part == "all" else split[part]
    symbology = {e["path"]: e["symbology"] for e in manifest()}
    doc: dict[str, Any] = {"benchmark": "real_barcodes", "part": part, "images": len(paths),
                           "machine_at_start": machine(), "readers": {}}  # fmt: skip
    for name, read in readers().items():
        groups = tally(judge_all(paths, read), symbology)
        doc["readers"][name] = {k: v.to_json() for k, v in sorted(groups.items())}
    doc["frame_720p"] = frame_median(frames)
    doc["machine_at_end"] = machine()
    return doc


def main_report(part: str = "held_out", frames: int = 40) -> dict[str, Any]:
    """The benchmark's document, or why it was skipped (for ``bench/camera.py``)."""
    if not (PHOTOS / "manifest.json").exists():
        return {"skipped": "shared/testdata/barcode-photos is absent"}
    return run(part, frames)


def main() -> int:
    """Run the benchmark (or write the split) and print JSON."""
    parser = argparse.ArgumentParser(description="Barcode readers on real photos (issue 18)")
    parser.add_argument("--part", choices=("held_out", "dev", "all"), default="held_out")
    parser.add_argument("--frames", type=int, default=40, help="synthetic 720p frames timed")
    parser.add_argument("--write-split", action="store_true", help="write the split file")
    args = parser.parse_args()
    if not (PHOTOS / "manifest.json").exists():
        sys.stderr.write(f"real_barcodes: {PHOTOS} is absent (shared test data)\n")
        return 2
    if args.write_split:
        doc = {"about": SPLIT_RULE, **make_split(manifest())}
        SPLIT.write_text(json.dumps(doc, indent=1) + "\n")
        return 0
    print(json.dumps(run(args.part, args.frames), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
