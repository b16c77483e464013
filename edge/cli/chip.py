"""`borderpost chip verify`, `chip read` and `chip publish` — ePassport chips.

``chip verify DIR`` checks the files of one read document (EF.COM, EF.SOD, DG1…DG16)
against the CSCA certificates of the master lists, CSCA certificates and CRLs given, and
compares DG1 with the printed MRZ when ``--mrz`` gives it. ``chip read`` opens a chip with
the MRZ as key (BAC or PACE), reads it and gives the same verdict; for now the chip is a
simulated one serving a folder (``--sim DIR``). Exit code 0 when the chip is genuine (and
matches the page), 1 when it is not, cannot be proven or refuses the key, 2 on bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import sys
import time
from pathlib import Path
from typing import Any, TypeAlias

from edge.cli._common import command_group, fail, print_json

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Sub) -> None:
    """Add the `chip` command group (`verify`, `read`, `publish`)."""
    _, chip_sub = command_group(
        sub, "chip", "ePassport chips: read a chip, verify a read document", dest="chip_command"
    )
    verify = chip_sub.add_parser("verify", help="passive authentication of a folder of chip files")
    verify.add_argument(
        "folder", type=Path, help="folder with EF_COM/EF_SOD/DatagroupN or com/sod/dgN .bin files"
    )
    verify.add_argument(
        "--mrz",
        action="append",
        default=None,
        metavar="LINE",
        help="a printed MRZ line to compare DG1 with (give each line)",
    )
    _trust_arguments(verify)
    verify.set_defaults(func=cmd_verify)
    _read_parser(chip_sub)
    _publish_parser(chip_sub)  # fmt: skip


def _trust_files(parser: argparse.ArgumentParser) -> None:
    """The repeatable files of a trust set: master lists, roots, CSCAs, CRLs, deviation lists."""
    for flag, text in (
        ("--master-list", "ICAO CSCA master list (CMS), checked on import"),
        ("--trust-root", "CSCA of a list's publisher that must have issued its signer"),
        ("--csca", "a CSCA certificate to trust directly (PEM or DER)"),
        ("--crl", "a CRL signed by one of the CSCAs"),
        ("--deviation-list", "an ICAO deviation list signed under one of the CSCAs"),
    ):
        parser.add_argument(flag, action="append", type=Path, default=[], metavar="FILE",
                            help=text + "; repeatable")  # fmt: skip


def _trust_arguments(parser: argparse.ArgumentParser) -> None:
    _trust_files(parser)
    parser.add_argument(
        "--at", help="check certificate validity on this date (YYYY-MM-DD), not today"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--csca-store", type=Path, metavar="DIR",
                        help="start from this CSCA store (the post's <state>/csca)")  # fmt: skip


def _read_parser(chip_sub: Sub) -> None:
    read = chip_sub.add_parser("read", help="read a chip with the MRZ as key, then verify it")
    source = read.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--reader",
        metavar="NAME",
        help="a PC/SC reader (its name or the start of it; '' = the first)",
    )
    source.add_argument(
        "--sim", type=Path, metavar="DIR", help="read a simulated chip serving the files in DIR"
    )
    read.add_argument(
        "--wait",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="with --reader: how long to wait for a card (default 10)",
    )
    read.add_argument("--sim-pace", action="store_true", help="the simulated chip offers PACE")
    read.add_argument(
        "--sim-cam",
        action="store_true",
        help="it offers PACE with chip-authentication mapping (needs --sim-ca-key)",
    )
    read.add_argument(
        "--sim-ca-key",
        type=Path,
        metavar="FILE",
        help="PKCS#8 EC key (DG14's) with which the simulated chip answers chip authentication",
    )
    read.add_argument(
        "--sim-aa-key",
        type=Path,
        metavar="FILE",
        help="PKCS#8 RSA key with which the simulated chip answers active authentication",
    )
    read.add_argument(
        "--mrz",
        action="append",
        default=None,
        metavar="LINE",
        help="the printed MRZ lines: the key to the chip and what DG1 is compared with",
    )
    read.add_argument("--document-number", help="instead of --mrz: the document number")
    read.add_argument("--birth", help="instead of --mrz: date of birth YYMMDD")
    read.add_argument("--expiry", help="instead of --mrz: date of expiry YYMMDD")
    read.add_argument("--short", action="store_true", help="never send extended-length commands")
    read.add_argument(
        "--out", type=Path, metavar="DIR", help="save the files read (com.bin, sod.bin, dgN.bin)"
    )
    _trust_arguments(read)
    read.set_defaults(func=cmd_read)  # fmt: skip


def register_sim(sim_sub: Sub) -> None:
    """Add `borderpost sim chip`: a simulated chip in vpcd's virtual reader."""
    sim = sim_sub.add_parser("chip", help="a simulated ePassport chip in vpcd's virtual reader")
    sim.add_argument("sim", type=Path, metavar="DIR", help="the chip's files (as for chip verify)")
    sim.add_argument("--mrz", action="append", default=None, metavar="LINE", help="MRZ: the key")
    sim.add_argument("--document-number", help="instead of --mrz: the document number")
    sim.add_argument("--birth", help="instead of --mrz: date of birth YYMMDD")
    sim.add_argument("--expiry", help="instead of --mrz: date of expiry YYMMDD")
    sim.add_argument("--pace", dest="sim_pace", action="store_true", help="offer PACE")
    sim.add_argument(
        "--cam",
        dest="sim_cam",
        action="store_true",
        help="offer PACE with chip-authentication mapping (needs --ca-key)",
    )
    sim.add_argument(
        "--aa-key",
        dest="sim_aa_key",
        type=Path,
        metavar="FILE",
        help="PKCS#8 RSA key: answer active authentication",
    )
    sim.add_argument(
        "--ca-key",
        dest="sim_ca_key",
        type=Path,
        metavar="FILE",
        help="PKCS#8 EC key: answer chip authentication",
    )
    sim.add_argument(
        "--vpcd",
        default="127.0.0.1:35963",
        metavar="HOST:PORT",
        help="vpcd's slot to connect to (default 127.0.0.1:35963, its first)",
    )
    sim.set_defaults(func=cmd_sim)  # fmt: skip


def cmd_sim(args: argparse.Namespace) -> int:
    """Run ``sim chip``: insert the chip into vpcd's reader and answer until vpcd closes."""
    from drivers.chip import vicc
    from sync.cliutil import broker_address

    chip = _sim_chip(args, _mrz_key(args))
    host, port = broker_address(args.vpcd)
    deadline = time.monotonic() + 10
    while True:
        try:
            sock = vicc.insert(host, port)
            break
        except OSError as exc:
            if time.monotonic() > deadline:
                fail(f"vpcd at {args.vpcd}: {exc} (is pcscd running with vsmartcard-vpcd?)", 1)
            time.sleep(0.2)
    sock.settimeout(None)
    sys.stderr.write(f"borderpost: chip inserted into vpcd at {args.vpcd}\n")
    with sock:
        vicc.serve(sock, chip.transmit, lambda: None)
    return 0


def _publish_parser(chip_sub: Sub) -> None:
    from edge.cli.watchlist_publish import add_broker_flags

    publish = chip_sub.add_parser(
        "publish", help="HQ: publish master lists, CSCAs, CRLs to the posts"
    )
    _trust_files(publish)
    publish.add_argument(
        "--expires-days", type=float, default=30.0, help="manifest lifetime (default 30)"
    )
    publish.add_argument("--dry-run", action="store_true", help="check and print, publish nothing")
    add_broker_flags(publish)
    publish.set_defaults(func=cmd_publish)


def cmd_publish(args: argparse.Namespace) -> int:
    """Run ``chip publish``: bundle the files, check them, sign and publish on ``csca``."""
    from edge.chip.channel import make_bundle
    from edge.cli.watchlist_publish import broker_target
    from sync.hq.cli import hq_state_dir
    from sync.wldist.channel import Channel
    from sync.wldist.hq_client import BrokerError, Sender
    from sync.wldist.payload import publish_bytes
    from sync.wldist.publish import PublishError
    from sync.wldist.trust import Refused

    kinds = {"trust_roots": args.trust_root, "master_lists": args.master_list, "cscas": args.csca,
             "crls": args.crl, "deviation_lists": args.deviation_list}  # fmt: skip
    for path in (p for paths in kinds.values() for p in paths):
        _checked(path)
    try:
        data = make_bundle(kinds)
    except Refused as exc:
        fail(f"not published: {exc}")
    entries = sum(len(v) for v in kinds.values())
    if args.dry_run:
        print_json({"channel": "csca", "bytes": len(data), "entries": entries, "published": False})
        return 0
    try:
        with Sender(broker_target(args)) as sender:
            hq, expires = hq_state_dir(args.hq_state_dir), int(args.expires_days * 86400)
            summary = publish_bytes(
                hq, Channel("csca"), data, sender.send, expires_s=expires, entries=entries
            )
    except (PublishError, BrokerError) as exc:
        fail(str(exc))
    print_json({**summary, "published": True})
    return 0


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
    return _report(args, out, store)


def _report(args: argparse.Namespace, out: dict[str, Any], store: Any) -> int:
    from edge.chip.verify import add_deviations

    add_deviations(out, store.deviations_for)
    out["trust"] = store.sources
    if args.json:
        print_json(out)
    else:
        _print_text(out)
    return 0 if out["genuine"] else 1


def cmd_read(args: argparse.Namespace) -> int:
    """Run ``chip read``: open the chip with the MRZ, read it, verify what was read."""
    from drivers.chip.reader import AccessDenied, read_document
    from drivers.chip.tlv import ChipFormatError
    from edge.chip.verify import verdict

    mrz_info = _mrz_key(args)
    store = _store(args)
    transmit, done = (
        _reader(args) if args.reader is not None else (_sim_chip(args, mrz_info).transmit, None)
    )
    try:
        read = read_document(transmit, mrz_info, extended=not args.short)
    except AccessDenied as exc:
        fail(f"the chip refused access: {exc}", 1)
    except (ChipFormatError, OSError) as exc:
        fail(f"reading the chip failed: {exc}", 1)
    finally:
        if done is not None:
            done()
    if args.out is not None:
        _save(args.out, read.files)
    trust, at = store.trust_set(), _at(args.at)
    out = verdict(read.files, trust, at, args.mrz, read.active, read.chip_authentication)
    out["access"] = read.access
    out["apdus"], out["seconds"] = read.apdus, round(read.seconds, 3)
    return _report(args, out, store)


def _mrz_key(args: argparse.Namespace) -> bytes:
    from drivers.chip.bac import mrz_information
    from edge.chip.verify import printed_key

    if args.mrz:
        try:
            return printed_key(args.mrz)
        except ValueError as exc:
            fail(f"--mrz: {exc}")
    if not (args.document_number and args.birth and args.expiry):
        fail("give the printed MRZ (--mrz LINE...) or --document-number, --birth and --expiry")
    for name in ("birth", "expiry"):
        if not re.fullmatch(r"\d{6}", getattr(args, name)):
            fail(f"--{name} {getattr(args, name)!r}: expected YYMMDD")
    return mrz_information(args.document_number, args.birth, args.expiry)


def _reader(args: argparse.Namespace) -> tuple[Any, Any]:
    """A PC/SC card's transmit function and what closes it; exit 1 with the reason when
    there is no reader, no card or no PC/SC service."""
    from drivers.chip.pcsc import PcscContext, PcscError, pick_reader, wait_for_card

    try:
        context = PcscContext()
        name = pick_reader(context, args.reader)
        wait_for_card(context, name, args.wait)
        card = context.connect(name)
    except PcscError as exc:
        fail(f"PC/SC: {exc}", 1)

    def done() -> None:
        card.disconnect()
        context.close()

    return card.transmit, done


def _sim_chip(args: argparse.Namespace, mrz_info: bytes) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    from drivers.chip.lds import FID_COM, FID_OF_DG, FID_SOD
    from drivers.chip.sim import ECDH_GM_AES128, SimulatedChip
    from edge.chip.verify import read_folder

    if not args.sim.is_dir():
        fail(f"{args.sim}: not a folder")
    files = read_folder(args.sim)
    served = {FID_OF_DG[n]: raw for n, raw in files.data_groups.items()}
    served |= {fid: raw for fid, raw in ((FID_COM, files.com), (FID_SOD, files.sod)) if raw}
    key = None
    if args.sim_aa_key is not None:
        loaded = load_der_private_key(_read(args.sim_aa_key), None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            fail(f"{args.sim_aa_key}: not an RSA private key")
        key = loaded
    pace = ECDH_GM_AES128 if args.sim_pace else None
    ca_key = _ec_scalar(args.sim_ca_key) if args.sim_ca_key is not None else None
    if args.sim_cam:
        pace = _cam_option(files.data_groups.get(14), ca_key)
    return SimulatedChip(served, mrz_info, pace=pace, aa_key=key, ca_key=ca_key)


def _cam_option(dg14: bytes | None, ca_key: int | None) -> Any:
    """PACE-CAM on the curve of DG14's key (the chip proves that key during PACE)."""
    from drivers.chip.chipauth import chip_auth_key
    from drivers.chip.domain import Curve
    from drivers.chip.sim import ECDH_CAM_AES128
    from drivers.chip.tlv import ChipFormatError

    if ca_key is None:
        fail("--sim-cam/--cam needs DG14's private key (--sim-ca-key/--ca-key)")
    try:
        key = chip_auth_key(dg14) if dg14 else None
    except ChipFormatError as exc:
        fail(f"--sim-cam/--cam: {exc}")
    if key is None or not isinstance(key.group, Curve):
        fail("--sim-cam/--cam: DG14 has no EC chip-authentication key")
    return dataclasses.replace(ECDH_CAM_AES128, param_id=key.group.param_id)


def _ec_scalar(path: Path) -> int:
    """The private scalar of a PKCS#8 EC key (any curve, explicit parameters too)."""
    from asn1crypto import keys

    try:
        info = keys.PrivateKeyInfo.load(_read(path), strict=True)
        return int(info["private_key"].parsed["private_key"].native)
    except (ValueError, TypeError, KeyError) as exc:
        fail(f"{path}: not a PKCS#8 EC private key ({exc})")


def _save(folder: Path, files: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in (("com.bin", files.com), ("sod.bin", files.sod)):
        if raw is not None:
            (folder / name).write_bytes(raw)
    for number, raw in files.data_groups.items():
        (folder / f"dg{number}.bin").write_bytes(raw)


def _store(args: argparse.Namespace) -> Any:
    from drivers.chip.pki import load_certificate
    from drivers.chip.tlv import ChipFormatError
    from edge.chip.store import CscaStore

    store = CscaStore.load(args.csca_store) if args.csca_store else CscaStore()
    try:
        roots = [load_certificate(_read(p)) for p in args.trust_root]
        for path in args.master_list:
            store.import_master_list(path.name, _read(path), roots)
        for path in args.csca:
            store.add_csca(path.name, _read(path))
        for path in args.crl:
            store.add_crl(path.name, _read(path))
        for path in args.deviation_list:
            store.add_deviation_list(path.name, _read(path))
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
