"""``borderpost barcode read IMAGE... [--json]``: barcodes in photos (camera issue)."""

from __future__ import annotations

import argparse
import base64
import sys
import time
from typing import Any

from edge.cli._common import CliError, print_json
from edge.cli.mrz_read import load_image
from edge.sanitize import clean_text

NONE_FOUND = 3


def register_read(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``read`` under ``borderpost barcode``."""
    p = sub.add_parser("read", help="read the barcodes in images (zxing-cpp, pyzbar fallback)")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG/JPEG photo or scan")
    p.add_argument("--json", action="store_true", help="one JSON object per image")
    p.add_argument("--symbology", action="append", metavar="NAME",
                   help="only these symbologies (repeatable; default all)")  # fmt: skip
    p.add_argument("--decoder", action="append", metavar="SYMBOLOGY=DECODER",
                   help="override the decoder for a symbology: pyzbar or zxing-cpp")  # fmt: skip
    p.set_defaults(func=run_read)


def make_reader(args: argparse.Namespace) -> Any:
    """The barcode reader the flags ask for; CliError on a bad name."""
    from drivers.camera import barcodes as bc

    chosen = dict(bc.DEFAULT_DECODER)
    for item in args.decoder or []:
        name, sep, decoder = item.partition("=")
        if not sep:
            raise CliError(f"--decoder {item!r}: expected SYMBOLOGY=DECODER, e.g. qrcode=zxing-cpp")
        chosen[bc.canonical(name)] = decoder.strip()
    enabled = frozenset(bc.canonical(s) for s in args.symbology) if args.symbology else None
    try:
        return bc.BarcodeReader(enabled or frozenset(bc.SYMBOLOGIES), chosen)
    except bc.BarcodeError as exc:
        raise CliError(str(exc)) from exc


def symbol_json(symbol: Any) -> dict[str, Any]:
    """One symbol as JSON: text, bytes (base64), corners, decoder, parsed payload."""
    from drivers.barcode import parse_payload

    return {
        "symbology": symbol.symbology,
        "text": symbol.text,
        "bytes_b64": base64.b64encode(symbol.data).decode("ascii"),
        "position": [list(p) for p in symbol.position],
        "decoder": symbol.decoder,
        "parsed": parse_payload(symbol.data, symbol.payload_hint).to_json(),
    }


def read_one(reader: Any, path: str) -> dict[str, Any]:
    """Every symbol in one image, with the time the decoding took."""
    image = load_image(path)
    start = time.perf_counter()
    symbols = reader.read(image)
    elapsed = round((time.perf_counter() - start) * 1000, 1)
    return {"image": path, "symbols": [symbol_json(s) for s in symbols], "elapsed_ms": elapsed}


def run_read(args: argparse.Namespace) -> int:
    """Read every image; exit 3 when no image held a barcode."""
    try:
        reader = make_reader(args)
        results = [read_one(reader, p) for p in args.images]
    except CliError as exc:
        sys.stderr.write(f"borderpost: {exc}\n")
        return exc.code
    for res in results:
        print_json(res) if args.json else _print_text(res)
    return 0 if any(r["symbols"] for r in results) else NONE_FOUND


def _print_text(res: dict[str, Any]) -> None:
    sys.stdout.write(f"{res['image']}: {len(res['symbols'])} symbol(s), {res['elapsed_ms']} ms\n")
    for s in res["symbols"]:
        text = clean_text(f"  {s['symbology']} ({s['decoder']}): {s['text']}", 300)
        sys.stdout.write(text + "\n")
