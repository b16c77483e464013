"""`borderpost chip verify` — passive authentication of a document read from an ePassport chip.

``chip verify DIR`` checks the files of one read document (EF.COM, EF.SOD, DG1…DG16)
against the CSCA certificates of the master lists, CSCA certificates and CRLs given, and
compares DG1 with the printed MRZ when ``--mrz`` gives it. Exit code 0 when the chip is
genuine (and matches the page), 1 when it is not or cannot be proven, 2 on bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from edge.cli._common import fail, print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `chip` command group (`verify`)."""
    group = sub.add_parser("chip", help="ePassport chips: verify a read document")
    chip_sub = group.add_subparsers(dest="chip_command", metavar="ACTION")
    group.set_defaults(func=lambda _a: _usage(group))
    verify = chip_sub.add_parser("verify", help="passive authentication of a folder of chip files")
    verify.add_argument(
        "folder", type=Path, help="folder with EF_COM/EF_SOD/DatagroupN or com/sod/dgN .bin files"
    )
    verify.add_argument(
        "--master-list",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="ICAO CSCA master list (CMS), checked on import; repeatable",
    )
    verify.add_argument(
        "--trust-root",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="CSCA of a list's publisher that must have issued its signer; repeatable",
    )
    verify.add_argument(
        "--csca",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a CSCA certificate to trust directly (PEM or DER); repeatable",
    )
    verify.add_argument(
        "--crl",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a CRL signed by one of the CSCAs; repeatable",
    )
    verify.add_argument(
        "--mrz",
        action="append",
        default=None,
        metavar="LINE",
        help="a printed MRZ line to compare DG1 with (give each line)",
    )
    verify.add_argument(
        "--at", help="check certificate validity at this date (YYYY-MM-DD) instead of now"
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(func=cmd_verify)  # fmt: skip


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def cmd_verify(args: argparse.Namespace) -> int:
    """Run ``chip verify``."""
    from edge.chip.verify import read_folder, verdict

    if not args.folder.is_dir():
        fail(f"{args.folder}: not a folder")
    store = _store(args)
    files = read_folder(args.folder)
    if files.sod is None and not files.data_groups:
        fail(f"{args.folder}: no EF.SOD or data group files (Datagroup1.bin, dg1.bin, EF_SOD.bin…)")
    out = verdict(files, store.trust_set(), _at(args.at), args.mrz)
    out["trust"] = store.sources
    if args.json:
        print_json(out)
    else:
        _print_text(out)
    return 0 if out["genuine"] else 1


def _store(args: argparse.Namespace) -> Any:
    from drivers.chip.pki import load_certificate
    from drivers.chip.tlv import ChipFormatError
    from edge.chip.store import CscaStore

    store = CscaStore()
    try:
        roots = [load_certificate(_read(p)) for p in args.trust_root]
        for path in args.master_list:
            store.import_master_list(_checked(path), roots)
        for path in args.csca:
            store.add_csca(_checked(path))
        for path in args.crl:
            store.add_crl(_checked(path))
    except ChipFormatError as exc:
        fail(str(exc))
    return store


def _checked(path: Path) -> Path:
    if not path.is_file():
        fail(f"{path}: no such file")
    return path


def _read(path: Path) -> bytes:
    return _checked(path).read_bytes()


def _at(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    except ValueError:
        fail(f"--at {text!r}: expected a date YYYY-MM-DD")


def _print_text(out: dict[str, Any]) -> None:
    verdict = "genuine chip" if out["genuine"] else "NOT proven genuine"
    print(f"{verdict}: passive authentication {out['passive_authentication']}, CSCA {out['csca']}")
    if "mrz_match" in out:
        print(
            "chip MRZ "
            + ("matches the page" if out["mrz_match"]["match"] else "DIFFERS from the page")
        )
    for name, check in out["data_groups"].items():
        print(f"  {name}: {'hash ok' if check['hash_ok'] else 'HASH WRONG or unsigned'}")
    for reason in out["reasons"]:
        print(f"  - {reason}")
