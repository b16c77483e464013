"""`borderpost barcode` — parse barcode payloads (`borderpost sim scanner` is drivers.sim_cli).

``barcode parse TEXT`` (``<GS>`` or ``\\x1d`` in TEXT stand for the group
separator), ``--hex HEX`` or ``--b64 B64`` for binary payloads. Exit code 0
when the payload is recognised and valid, 1 otherwise, 2 on bad input.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import sys
from typing import Any

from drivers.barcode import ParsedPayload, TrustError, TrustStore, parse_payload
from edge.cli import barcode_read
from edge.cli._common import command_group, fail, print_json
from edge.sanitize import clean_text

MAX_ARG = 16384


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `barcode` command group (`parse`, and `read` from the camera module)."""
    _, barcode_sub = command_group(
        sub, "barcode", "barcode payloads: parse, read from a camera", dest="barcode_command"
    )
    parse = barcode_sub.add_parser("parse", help="parse one payload and show its checks")
    source = parse.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="payload text (<GS> or \\x1d = group separator)")
    source.add_argument("--hex", help="binary payload as hex")
    source.add_argument("--b64", help="binary payload as Base64")
    parse.add_argument("--symbology", help="symbology or AIM identifier (e.g. qrcode, ]d2)")
    parse.add_argument("--trust-dir", help="folder of signer certificates (PEM/DER)")
    parse.add_argument("--json", action="store_true", help="print the result as JSON")
    parse.set_defaults(func=cmd_parse)
    barcode_read.register_read(barcode_sub)


def payload_from_args(args: argparse.Namespace) -> bytes | str:
    """The payload named by TEXT, --hex or --b64; exits with a clear message when bad."""
    if args.hex is not None:
        try:
            return bytes.fromhex(_bounded(args.hex))
        except ValueError:
            fail("--hex: not a hexadecimal string")
    if args.b64 is not None:
        try:
            return base64.b64decode(_bounded(args.b64), validate=True)
        except (binascii.Error, ValueError):
            fail("--b64: not Base64")
    return _bounded(args.text).replace("<GS>", "\x1d").replace("\\x1d", "\x1d")


def _bounded(text: str) -> str:
    if len(text) > MAX_ARG:
        fail(f"payload longer than {MAX_ARG} characters")
    return text


def cmd_parse(args: argparse.Namespace) -> int:
    """`barcode parse`: print kind, validity, fields, checks, keys and warnings."""
    trust = None
    if args.trust_dir:
        try:
            trust = TrustStore.from_folder(args.trust_dir)
        except TrustError as exc:
            fail(f"--trust-dir: {exc}")
    parsed = parse_payload(payload_from_args(args), args.symbology, trust=trust)
    if args.json:
        print_json(parsed.to_json())
    else:
        sys.stdout.write(render(parsed))
    return 0 if parsed.valid else 1


def render(parsed: ParsedPayload) -> str:
    """A plain-text report of a parsed payload, safe for a terminal."""
    doc = parsed.to_json()
    lines = [f"kind: {doc['kind']}   valid: {'yes' if doc['valid'] else 'NO'}"]
    lines += [f"  {k}: {_show(v)}" for k, v in doc["fields"].items()]
    lines += [f"check {c['result']:>11}: {c['name']} ({c['detail']})" for c in doc["checks"]]
    lines += [f"key: {_show(k)}" for k in doc["keys"]]
    lines += [f"warning: {w}" for w in doc["warnings"]]
    return "\n".join(clean_text(line, 1024) for line in lines) + "\n"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_show(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value)
    return str(value)
