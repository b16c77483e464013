"""AIM symbology identifiers (``]C1``, ``]d2``, ``]Q3`` …) that scanners put before data.

A scanner set to send the AIM identifier prefixes each scan with ``]``, a code
character naming the symbology and a modifier character. The modifier tells,
among other things, whether the symbol carried GS1 data (FNC1 in first
position), which decides how the payload is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AIM_RE = re.compile(rb"^\][A-Za-z][0-9A-Za-z]")

SYMBOLOGIES: dict[str, str] = {
    "A": "code39",
    "C": "code128",
    "d": "datamatrix",
    "E": "ean",
    "e": "databar",
    "F": "codabar",
    "G": "code93",
    "H": "code11",
    "I": "itf",
    "J": "dotcode",
    "L": "pdf417",
    "M": "msi",
    "Q": "qrcode",
    "z": "aztec",
    "X": "other",
}
"""AIM code character → the symbology name used across Borderpost."""

GS1_IDENTIFIERS = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1", "]z1"})
"""Identifiers saying the data is a GS1 element string (FNC1 in first position)."""


@dataclass(frozen=True)
class AimId:
    """A parsed AIM identifier."""

    identifier: str  # e.g. "]d2"
    symbology: str  # e.g. "datamatrix"
    modifier: str

    @property
    def gs1(self) -> bool:
        """True when the identifier announces GS1 data."""
        return self.identifier in GS1_IDENTIFIERS


def parse_prefix(data: bytes) -> tuple[AimId | None, bytes]:
    """The AIM identifier at the start of ``data`` (if any) and the data after it."""
    if not AIM_RE.match(data):
        return None, data
    ident = data[:3].decode("ascii")
    name = SYMBOLOGIES.get(ident[1], "unknown")
    return AimId(ident, name, ident[2]), data[3:]


def from_symbology(symbology: str | None) -> AimId | None:
    """An AIM identifier given as a symbology string (``"]d2"``), else None."""
    if symbology and AIM_RE.match(symbology.encode("latin-1", "replace")):
        return parse_prefix(symbology.encode("latin-1"))[0]
    return None


def normalise(symbology: str | None) -> str | None:
    """A library's symbology name in Borderpost's spelling (``QR_CODE`` → ``qrcode``)."""
    if not symbology:
        return None
    aim = from_symbology(symbology)
    if aim is not None:
        return aim.symbology
    name = re.sub(r"[^a-z0-9]", "", symbology.lower())
    aliases = {"qr": "qrcode", "i25": "itf", "ean13": "ean", "ean8": "ean", "upca": "ean",
               "upce": "ean", "gs1128": "code128", "dm": "datamatrix"}  # fmt: skip
    return aliases.get(name, name)
