"""The verdict on a document read from a chip, as ``borderpost chip verify`` and events report it.

:func:`read_folder` finds EF.COM, EF.SOD and the data groups in a folder (named as in the
BSI reference set, ``Datagroup1.bin``/``EF_SOD.bin``, or ``dg1.bin``/``sod.bin``);
:func:`verdict` runs passive authentication, parses what the chip says and compares DG1
with the printed MRZ when one is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from drivers.chip.active import verify_active
from drivers.chip.bac import mrz_information
from drivers.chip.compare import compare_mrz
from drivers.chip.lds import ChipFiles, parse_com, parse_dg1, parse_dg2, parse_dg15
from drivers.chip.passive import PassiveResult, TrustSet, passive_authentication
from drivers.chip.tlv import ChipFormatError
from drivers.mrz.parser import parse_mrz
from drivers.mrz.result import NotAnMrz
from edge.sanitize import clean_text

_DG_NAME = re.compile(r"(?i)^(?:datagroup|dg)[_ ]?0*(\d{1,2})(?:\.bin)?$")
_EF_NAME = re.compile(r"(?i)^(?:ef[_.]?)?(com|sod)(?:\.bin)?$")
MAX_FILE = 1 << 20
"""Largest file read as a data group (DG2/DG3 of real passports are tens of KB)."""


def read_folder(folder: Path) -> ChipFiles:
    """The chip files in ``folder``; other files are ignored."""
    found: dict[str, bytes] = {}
    dgs: dict[int, bytes] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.stat().st_size > MAX_FILE:
            continue
        if match := _DG_NAME.match(path.name):
            if 1 <= int(match[1]) <= 16:
                dgs[int(match[1])] = path.read_bytes()
        elif match := _EF_NAME.match(path.name):
            found[match[1].lower()] = path.read_bytes()
    return ChipFiles(found.get("com"), found.get("sod"), dgs)


def verdict(
    files: ChipFiles,
    trust: TrustSet,
    at: dt.datetime,
    printed: Sequence[str] | None = None,
    active: tuple[bytes, bytes] | None = None,
    chip_auth: str | None = None,
) -> dict[str, Any]:
    """Everything ``chip verify --json`` prints about one document; ``active`` is the
    (challenge, signature) of active authentication when a live chip answered one, and
    ``chip_auth`` the outcome of chip authentication when a live chip ran it."""
    chip_mrz = _dg1(files.data_groups)
    issuer = _issuer(chip_mrz)
    result = passive_authentication(files.sod, files.data_groups, trust, at, issuer)
    out = _passive_json(result)
    out.update(_protocols(result, files.data_groups, active, chip_auth))
    out.update(_contents(files, chip_mrz))
    if printed is not None:
        out["mrz_match"] = _mrz_match(chip_mrz, printed, out["reasons"])
    cloned = _cloned(out)
    out["reasons"] += cloned
    out["genuine"] = result.ok and not cloned and out.get("mrz_match", {}).get("match", True)
    return out


def _cloned(out: Mapping[str, Any]) -> list[str]:
    """A chip whose data is signed but which cannot prove it holds the document's key is a
    copy of the data on another chip: one sentence per failed proof."""
    return [
        f"the chip failed {name} authentication: it does not hold the key of {group}, "
        "so it is a copy of the signed data on another chip"
        for name, group in (("chip", "DG14"), ("active", "DG15"))
        if out[f"{name}_authentication"] == "failed"
    ]


def _dg1(dgs: Mapping[int, bytes]) -> tuple[str, ...] | None:
    try:
        return parse_dg1(dgs[1]) if 1 in dgs else None
    except ChipFormatError:
        return None


def _issuer(lines: Sequence[str] | None) -> str | None:
    try:
        return parse_mrz(lines).issuing_state if lines else None
    except NotAnMrz:
        return None


def _passive_json(result: PassiveResult) -> dict[str, Any]:
    return {
        "hashes_ok": result.hashes_ok,
        "sod_signature_ok": result.sod_signature_ok,
        "csca": result.csca,
        "passive_authentication": result.passive_authentication,
        "data_groups": {f"DG{n}": {"hash_ok": c.hash_ok, "signed": c.signed}
                        for n, c in sorted(result.data_groups.items())},
        "reasons": [clean_text(r) for r in result.reasons],
        "document_signer": clean_text(result.signer),
        "document_signer_country": clean_text(result.signer_country),
        "csca_subject": clean_text(result.csca_subject),
        "hash_algorithm": result.hash_algorithm,
    }  # fmt: skip


def _protocols(
    result: PassiveResult,
    dgs: Mapping[int, bytes],
    active: tuple[bytes, bytes] | None,
    chip_auth: str | None,
) -> dict[str, str]:
    """Chip (DG14) and active (DG15) authentication: they need the live chip to answer a
    challenge, so a folder of files can only say whether the document supports them; and
    they count only when passive authentication passed (a clone has its own keys)."""
    out = {}
    for name, number in (("chip_authentication", 14), ("active_authentication", 15)):
        if number not in dgs:
            out[name] = "not_supported"
        elif not result.ok:
            out[name] = "not_counted"
        elif number == 15 and active is not None:
            out[name] = _active_status(dgs[15], *active)
        elif number == 14 and chip_auth in ("ok", "failed"):
            out[name] = chip_auth
        else:
            out[name] = "not_performed"
    return out


def _active_status(dg15: bytes, challenge: bytes, signature: bytes) -> str:
    try:
        return "ok" if verify_active(parse_dg15(dg15), challenge, signature) else "failed"
    except ChipFormatError:
        return "failed"


def _contents(files: ChipFiles, chip_mrz: tuple[str, ...] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"mrz": [clean_text(line) for line in chip_mrz] if chip_mrz else None}
    try:
        out["com_data_groups"] = list(parse_com(files.com).data_groups) if files.com else None
    except ChipFormatError as exc:
        out["com_data_groups"] = None
        out["com_error"] = clean_text(str(exc))
    out["face"] = _face(files.data_groups.get(2))
    return out


def _face(raw: bytes | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        faces = parse_dg2(raw)
    except ChipFormatError as exc:
        return {"error": clean_text(str(exc))}
    return (
        {"format": faces[0].format, "width": faces[0].width, "height": faces[0].height}
        if faces
        else None
    )


def _mrz_match(
    chip: Sequence[str] | None, printed: Sequence[str], reasons: list[str]
) -> dict[str, Any]:
    if chip is None:
        reasons.append("DG1 was not read, so the chip cannot be compared with the page")
        return {"match": False, "mismatches": ["mrz"]}
    comparison = compare_mrz(chip, printed)
    if not comparison.match:
        reasons.append(comparison.reason)
    return {"match": comparison.match, "mismatches": list(comparison.mismatches)}


def add_deviations(out: dict[str, Any], deviations_for: Callable[[str, str], list[str]]) -> None:
    """Note in ``out`` when the document is on its issuer's deviation list (never a pass)."""
    number = _document_number(out.get("mrz"))
    country = out.get("document_signer_country", "")
    types = deviations_for(number, country) if number and country else []
    out["deviations"] = types
    if types:
        out["reasons"].append(
            f"document {clean_text(number)} is on the deviation list of '{clean_text(country)}' "
            f"({', '.join(types)}): its issuer declared a defect in this document"
        )


def _document_number(lines: Sequence[str] | None) -> str:
    try:
        return parse_mrz(lines).document_number if lines else ""
    except NotAnMrz:
        return ""


def printed_key(lines: Sequence[str]) -> bytes:
    """The chip's access key (BAC/PACE ``MRZ_information``) from the printed MRZ's lines;
    ``ValueError`` saying why when the zone cannot give one."""
    try:
        mrz = parse_mrz(lines)
    except NotAnMrz as exc:
        raise ValueError(str(exc)) from exc
    if not (mrz.document_number and mrz.birth_date and mrz.expiry_date):
        raise ValueError("the zone has no readable document number, birth or expiry date")
    return mrz_information(mrz.document_number, _yymmdd(mrz.birth_date), _yymmdd(mrz.expiry_date))


def _yymmdd(iso: str) -> str:
    return iso[2:4] + iso[5:7] + iso[8:10]
