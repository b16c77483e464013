"""ICAO CSCA master lists (9303-12 §9): CMS-signed sets of CSCA certificates, checked on import.

A list is accepted only when its CMS signature verifies with its signer certificate and
that signer was issued by one of the trust roots given (the publishing state's CSCA,
obtained separately). Without roots the signer is checked against the list's own CSCA
entries, and the result says it is not anchored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import cms, core, x509

from drivers.chip.pki import (
    embedded_certificates,
    fingerprint,
    issued_by,
    signed_data_ok,
    signer_certificate,
)
from drivers.chip.tlv import ChipFormatError

CSCA_MASTER_LIST = "2.23.136.1.1.2"


class MasterListError(ChipFormatError):
    """A master list that is malformed or whose signature does not check out."""


class _CertSet(core.SetOf):  # type: ignore[misc]
    _child_spec = x509.Certificate


class _CscaMasterList(core.Sequence):  # type: ignore[misc]
    _fields = [("version", core.Integer), ("certs", _CertSet)]  # noqa: RUF012


@dataclass(frozen=True)
class MasterList:
    """An imported list: its CSCA certificates, who signed it, and whether a root anchors it."""

    certificates: tuple[x509.Certificate, ...]
    signer: x509.Certificate
    anchored: bool
    skipped: int
    """Entries that were not parseable certificates and were left out."""

    @property
    def country(self) -> str:
        """The publishing state (the signer's ``C=``)."""
        return str(self.signer.subject.native.get("country_name", "?"))


def parse_master_list(data: bytes, roots: Sequence[x509.Certificate] = ()) -> MasterList:
    """Check and unpack a master list; :class:`MasterListError` says why one is refused."""
    try:
        info = cms.ContentInfo.load(data, strict=True)
        signed = info["content"]
        if signed["encap_content_info"]["content_type"].dotted != CSCA_MASTER_LIST:
            raise MasterListError("not a CSCA master list (content type is not 2.23.136.1.1.2)")
        content = bytes(signed["encap_content_info"]["content"].contents)
        entries = list(_CscaMasterList.load(content)["certs"])
        signer_info = signed["signer_infos"][0]
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise MasterListError(f"not a CMS master list: {exc}") from exc
    certs, skipped = _usable(entries)
    signer = signer_certificate(embedded_certificates(signed), signer_info)
    if signer is None:
        raise MasterListError("the master list does not carry its signer's certificate")
    why = signed_data_ok(signed, signer_info, signer)
    if why is not None:
        raise MasterListError(f"master list signature: {why}")
    return MasterList(certs, signer, _anchor(signer, roots, certs), skipped)


def _usable(entries: list[x509.Certificate]) -> tuple[tuple[x509.Certificate, ...], int]:
    out: dict[str, x509.Certificate] = {}
    skipped = 0
    for cert in entries:
        try:
            _ = cert.subject.native, cert.public_key.native
            out.setdefault(fingerprint(cert), cert)
        except (ValueError, TypeError, KeyError):
            skipped += 1
    return tuple(out.values()), skipped


def _anchor(
    signer: x509.Certificate, roots: Sequence[x509.Certificate], certs: Sequence[x509.Certificate]
) -> bool:
    if roots:
        if not any(issued_by(signer, root) for root in roots):
            raise MasterListError(
                f"master list signer '{signer.subject.human_friendly}' was not issued by any "
                "of the trust roots given"
            )
        return True
    if not any(issued_by(signer, c) for c in certs if c.subject == signer.issuer):
        raise MasterListError("master list signer was not issued by any CSCA in the list itself")
    return False
