"""Camera MRZ on real images: Borderpost beside PassportEye + Tesseract (issue 16).

Reads the labelled photos and scans of ``shared/testdata/mrz-photos`` (held-out
part of ``tests/data/mrz_real_split.json`` by default) and prints one JSON
document: per reader, the 8 fields right (document number, birth date, expiry
date, issuer, nationality, sex, surname, given names), documents with every
field right, documents whose lines are exact, claims and false accepts on the
negatives, ms per image (decode included) median and p95; and the RSS of a
process that has read them all. PassportEye runs in its own environment,
``bench/.peer-venv-mrz`` (made here when missing; Tesseract comes from the
Debian package ``tesseract-ocr``).

    .venv/bin/python bench/real_mrz.py [--part heldout|dev|all] [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "testdata" / "mrz-photos"
SPLIT = ROOT / "tests" / "data" / "mrz_real_split.json"
PEER_VENV = ROOT / "bench" / ".peer-venv-mrz"
FIELDS = ("document_number", "birth_date", "expiry_date", "issuing_state", "nationality", "sex",
          "surname", "given_names")  # fmt: skip
# Per format: field -> (line, start, end) on the printed lines; names split at the first "<<".
_TWO = {"issuing_state": (0, 2, 5), "names": (0, 5, None), "document_number": (1, 0, 9),
        "nationality": (1, 10, 13), "birth_date": (1, 13, 19), "sex": (1, 20, 21),
        "expiry_date": (1, 21, 27)}  # fmt: skip
_TD1 = {"issuing_state": (0, 2, 5), "document_number": (0, 5, 14), "birth_date": (1, 0, 6),
        "sex": (1, 7, 8), "expiry_date": (1, 8, 14), "nationality": (1, 15, 18),
        "names": (2, 0, 30)}  # fmt: skip
_FRA = {"issuing_state": (0, 2, 5), "surname": (0, 5, 30), "document_number": (1, 0, 12),
        "given_names": (1, 13, 27), "birth_date": (1, 27, 33), "sex": (1, 34, 35)}  # fmt: skip
Spans = dict[str, tuple[int, int, int | None]]
SPANS: dict[str, Spans] = {"TD1": _TD1, "TD2": _TWO, "TD3": _TWO, "MRV-A": _TWO, "MRV-B": _TWO,
                           "FRA-ID": _FRA}  # fmt: skip


def labels(part: str = "heldout") -> list[dict[str, Any]]:
    """The labelled images of one part of the split (``all`` for every image)."""
    split = json.loads(SPLIT.read_text())["images"]
    rows = [json.loads(x) for x in (DATA / "labels.jsonl").read_text().splitlines() if x]
    return [r for r in rows if part == "all" or split[Path(r["file"]).name] == part]


def _name(text: str) -> str:
    return " ".join(text.replace("<", " ").split())


def fields_of(lines: list[str], fmt: str) -> dict[str, str]:
    """The 8 scored fields cut from MRZ lines of format ``fmt`` (fillers and `<` runs normalised).

    A reader's lines of the wrong shape give no fields (every one counts as wrong).
    """
    want = {"TD1": (3, 30), "TD2": (2, 36), "MRV-B": (2, 36), "FRA-ID": (2, 36)}.get(fmt, (2, 44))
    lines = [x.replace("Ñ", "N") for x in lines]
    if len(lines) != want[0] or any(len(x) != want[1] for x in lines):
        return {}
    out = {k: lines[r][a:b].strip("<") for k, (r, a, b) in SPANS[fmt].items() if k != "names"}
    if "names" in SPANS[fmt]:
        r, a, b = SPANS[fmt]["names"]
        primary, _, secondary = lines[r][a:b].partition("<<")
        out["surname"], out["given_names"] = primary, secondary
    for key in ("surname", "given_names"):
        out[key] = _name(out[key])
    return out


def score(rows: list[dict[str, Any]], reads: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Fields right, documents right, claims on negatives and timing of one reader.

    ``reads`` maps an image file to ``{"lines": [...] or None, "valid": bool, "ms": float}``
    and, for a reader whose lines are not cut by position (PassportEye), ``"fields"``.
    """
    right = total = docs = exact = claims = false_accepts = 0
    pos_ms, neg_ms, misses = [], [], []
    for row in rows:
        got = reads[row["file"]]
        if row["format"] is None:
            neg_ms.append(got["ms"])
            claims += got["lines"] is not None
            false_accepts += bool(got["lines"] is not None and got["valid"])
            continue
        pos_ms.append(got["ms"])
        truth = fields_of(row["lines"], row["format"])
        mine = got.get("fields") or fields_of(got["lines"] or [], row["format"])
        ok = [k for k in truth if mine.get(k) == truth[k]]
        right, total = right + len(ok), total + len(truth)
        docs += len(ok) == len(truth)
        exact += got["lines"] == row["lines"]
        if len(ok) < len(truth):
            misses.append({"file": Path(row["file"]).name,
                           "wrong": sorted(set(truth) - set(ok))})  # fmt: skip
    return {"images_with_mrz": len(pos_ms), "negatives": len(neg_ms),
            "field_accuracy": round(right / max(total, 1), 4), "fields_right": right,
            "fields": total, "documents_all_fields_right": docs,
            "documents_exact_rate": round(docs / max(len(pos_ms), 1), 4),
            "documents_lines_exact": exact, "claims_on_negatives": claims,
            "false_accepts": false_accepts, **_times(pos_ms, neg_ms), "misses": misses}  # fmt: skip


def _times(pos: list[float], neg: list[float]) -> dict[str, Any]:
    def p95(xs: list[float]) -> float:
        return round(sorted(xs)[max(0, round(len(xs) * 0.95) - 1)], 1) if xs else 0.0

    return {"ms_per_image_median": round(statistics.median(pos), 1) if pos else 0.0,
            "ms_per_image_p95": p95(pos),
            "ms_per_negative_median": round(statistics.median(neg), 1) if neg else 0.0}  # fmt: skip


def ours(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Borderpost's reader on each image, as ``borderpost mrz read`` runs it (decode included)."""
    sys.path.insert(0, str(ROOT))
    from edge.cli.mrz_read import read_one

    out = {}
    for row in rows:
        start = time.perf_counter()
        res = read_one(str(DATA / row["file"]), 2)
        ms = (time.perf_counter() - start) * 1000
        lines = res.get("lines") if res["found"] else None
        out[row["file"]] = {"lines": lines, "valid": bool(res.get("valid")), "ms": ms}
    return out


_PE_SCRIPT = r"""
import json, sys, time
from passporteye import read_mrz
NAMES = {"document_number": "number", "birth_date": "date_of_birth",
         "expiry_date": "expiration_date", "issuing_state": "country",
         "nationality": "nationality", "sex": "sex", "surname": "surname",
         "given_names": "names"}
for path in sys.argv[1:]:
    t = time.perf_counter()
    try:
        mrz = read_mrz(path)
    except Exception:
        mrz = None
    ms = (time.perf_counter() - t) * 1000
    doc = {} if mrz is None else mrz.to_dict()
    lines = None if mrz is None else [x for x in doc.get("raw_text", "").splitlines() if x]
    fields = {ours: " ".join(str(doc.get(theirs, "")).replace("<", " ").split())
              for ours, theirs in NAMES.items()}
    valid = bool(mrz is not None and mrz.valid)
    print(json.dumps({"file": path, "ms": ms, "lines": lines, "valid": valid,
                      "fields": fields if lines else None}), flush=True)
"""


def peer_python() -> Path | str:
    """PassportEye's interpreter (its venv is made here when missing), or why there is none."""
    python = PEER_VENV / "bin" / "python"
    if shutil.which("tesseract") is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "tesseract-ocr"], capture_output=True)
    if shutil.which("tesseract") is None:
        return "tesseract not installed (Debian package tesseract-ocr)"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", "passporteye"],
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode:
            return f"pip install passporteye failed: {done.stderr[-300:]}"
    return python


def peer(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]] | str:
    """PassportEye on each image in its own process and environment, or why it did not run."""
    python = peer_python()
    if isinstance(python, str):
        return python
    files = [str(DATA / r["file"]) for r in rows]
    done = subprocess.run([str(python), "-c", _PE_SCRIPT, *files], capture_output=True,
                          text=True, timeout=3600)  # fmt: skip
    found = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    if len(found) != len(rows):
        return (done.stderr or "no output")[-400:]
    return {row["file"]: got for row, got in zip(rows, found, strict=True)}


def rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(part: str, with_peer: bool) -> dict[str, Any]:
    """The whole comparison as one JSON-ready dict."""
    rows = labels(part)
    report: dict[str, Any] = {"bench": "real_mrz", "data": "real images (third-party specimens)",
                              "part": part, "machine": machine()}  # fmt: skip
    report["borderpost"] = score(rows, ours(rows))
    report["borderpost"]["process_rss_mb"] = rss_mb()
    if with_peer:
        got = peer(rows)
        report["passporteye"] = got if isinstance(got, str) else score(rows, got)
        report["speedup_vs_passporteye"] = _speedup(report)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def _speedup(report: dict[str, Any]) -> float | None:
    pe, bp = report.get("passporteye"), report["borderpost"]
    if not isinstance(pe, dict) or not bp["ms_per_image_median"]:
        return None
    return round(pe["ms_per_image_median"] / bp["ms_per_image_median"], 1)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {"machine": platform.machine(), "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip


def main_report(part: str = "heldout") -> dict[str, Any]:
    """The report for ``bench/camera.py``: run when the real images are there."""
    if part == "skip" or not (DATA / "labels.jsonl").exists():
        return {"ran": False, "why": "skipped, or shared/testdata/mrz-photos is absent"}
    return run(part, with_peer=True)


def main(argv: Iterable[str] | None = None, out: Callable[[str], Any] = print) -> int:
    """Print the JSON report; exit 2 when the real images are absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("heldout", "dev", "all"), default="heldout")
    parser.add_argument("--no-peer", action="store_true", help="skip PassportEye")
    args = parser.parse_args(None if argv is None else list(argv))
    if not (DATA / "labels.jsonl").exists():
        sys.stderr.write(f"real_mrz: no labelled images at {DATA.name} beside the repo\n")
        return 2
    out(json.dumps(run(args.part, not args.no_peer), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
