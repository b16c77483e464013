"""AAMVA driver's licence / ID card PDF417 data (DL and ID subfiles, element IDs like DAQ)."""

from __future__ import annotations

import re
from typing import Any

from drivers.barcode.result import Check, ParsedPayload, build

HEADER_RE = re.compile(r"^@\n?\x1e?\r?(ANSI |AAMVA)(\d{6})(\d{2})")
ELEMENT_RE = re.compile(r"^(?:DL|ID)?(D[A-Z]{2}|Z[A-Z]{2})(.*)$")
MAX_ELEMENTS = 128
NAMES = {
    "DAQ": "licence_number",
    "DCS": "surname",
    "DAC": "first_name",
    "DAD": "middle_names",
    "DBB": "birth_date",
    "DBA": "expiry_date",
    "DBD": "issue_date",
    "DBC": "sex",
    "DAJ": "jurisdiction",
    "DCG": "country",
    "DCA": "vehicle_class",
}


def looks_like(text: str) -> bool:
    """True for text with the AAMVA compliance indicator and file type in front."""
    return text.startswith("@") and ("ANSI " in text[:12] or "AAMVA" in text[:12])


def parse(text: str) -> ParsedPayload:
    """Named elements, dates and person/document keys of an AAMVA licence."""
    header = HEADER_RE.match(text)
    elements = _elements(_subfile_text(text, header))
    fields: dict[str, Any] = {NAMES.get(k, k): v for k, v in elements.items()}
    if header:
        fields.update(iin=header.group(2), aamva_version=int(header.group(3)))
    for key in ("birth_date", "expiry_date", "issue_date"):
        if key in fields:
            fields[key] = _date(fields[key])
    fields["sex"] = {"1": "M", "2": "F", "9": "X"}.get(fields.get("sex", ""))
    missing = [k for k in ("DAQ", "DCS", "DBB") if k not in elements]
    checks = [
        Check("header", header is not None, "compliance indicator, IIN and version"),
        Check("mandatory elements", not missing, "missing " + ", ".join(missing)),
    ]
    return build("aamva", fields, checks, _keys(fields, header))


def _subfile_text(text: str, header: re.Match[str] | None) -> str:
    """The text with each subfile (located by the header's designators) on its own lines."""
    if header is None:
        return text
    pos = header.end() + (2 if int(header.group(3)) >= 2 else 0)
    count = text[pos : pos + 2]
    parts = []
    for i in range(int(count) if count.isdigit() else 0):
        entry = text[pos + 2 + 10 * i : pos + 12 + 10 * i]
        if len(entry) == 10 and entry[2:].isdigit():
            offset, length = int(entry[2:6]), int(entry[6:10])
            parts.append(text[offset + 2 : offset + length])
    return "\n".join(parts) if parts else text


def _elements(text: str) -> dict[str, str]:
    """Element ID → value for each line that holds one."""
    out: dict[str, str] = {}
    for line in re.split(r"[\n\r]", text)[:MAX_ELEMENTS]:
        match = ELEMENT_RE.match(line.strip("\x1e"))
        if match and match.group(1) not in out:
            out[match.group(1)] = match.group(2).strip()
    return out


def _date(text: str) -> str | None:
    """MMDDCCYY (US) or CCYYMMDD (Canada) as ISO text."""
    if len(text) != 8 or not text.isdigit():
        return None
    if text[:2] in ("19", "20") and int(text[4:6]) <= 31 and int(text[2:4]) > 12:
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if int(text[:2]) > 12:
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return f"{text[4:]}-{text[:2]}-{text[2:4]}"


def _keys(fields: dict[str, Any], header: re.Match[str] | None) -> list[dict[str, Any]]:
    keys: list[dict[str, Any]] = []
    if fields.get("licence_number"):
        issuer = fields.get("jurisdiction") or (header.group(2) if header else None)
        keys.append({"kind": "document", "number": fields["licence_number"],
                     "issuer": issuer, "type": "DL"})  # fmt: skip
    if fields.get("surname"):
        given = " ".join(x for x in (fields.get("first_name"), fields.get("middle_names")) if x)
        person = {"kind": "person", "surname": fields["surname"], "given_names": given,
                  "birth_date": fields.get("birth_date"), "nationality": None,
                  "sex": fields.get("sex")}  # fmt: skip
        cut = _cut_short(fields)
        if cut:
            person["cut_short"] = cut
        keys.append(person)
    return keys


def _cut_short(fields: dict[str, Any]) -> str | None:
    """The name fields the licence says it truncated (a person key's ``cut_short``): DDE, the
    family name, and the last of the given names, DDG for middle names or DDF for a first
    name alone, ``T`` (AAMVA DL/ID Card Design Standard 2013 on; N not truncated, U unknown)."""
    given = fields.get("DDG" if fields.get("middle_names") else "DDF") == "T"
    cut = [name for name, yes in (("surname", fields.get("DDE") == "T"), ("given_names", given))
           if yes]  # fmt: skip
    return " ".join(cut) or None
