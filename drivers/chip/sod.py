"""EF.SOD, the document security object: the signed hashes of the data groups (9303-10 §4.6.2).

:func:`parse_sod` unpacks the CMS SignedData into what passive authentication checks:
the LDS security object (hash algorithm, one hash per data group), the signed bytes and
signature, and the document signer certificate(s) it carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import cms, core, x509

from drivers.chip.pki import embedded_certificates, signer_certificate
from drivers.chip.tlv import ChipFormatError, TlvError, expect

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"


class _DataGroupHash(core.Sequence):  # type: ignore[misc]
    _fields = [("number", core.Integer), ("hash", core.OctetString)]  # noqa: RUF012


class _DataGroupHashes(core.SequenceOf):  # type: ignore[misc]
    _child_spec = _DataGroupHash


class LdsSecurityObject(core.Sequence):  # type: ignore[misc]
    """``LDSSecurityObject`` (version 0 or 1)."""

    _fields = [  # noqa: RUF012
        ("version", core.Integer),
        ("hash_algorithm", cms.DigestAlgorithm),
        ("hashes", _DataGroupHashes),
        ("lds_version_info", core.Any, {"optional": True}),
    ]


@dataclass(frozen=True)
class Sod:
    """What the SOD says and who signed it."""

    hash_algorithm: str
    hashes: dict[int, bytes]
    signed: cms.SignedData
    signer: cms.SignerInfo
    certificates: tuple[x509.Certificate, ...]
    content: bytes
    """The encapsulated LDS security object, as signed (DER)."""

    @property
    def signer_certificate(self) -> x509.Certificate | None:
        """The document signer certificate the signer info names, if the SOD carries it."""
        return signer_certificate(self.certificates, self.signer)


def parse_sod(data: bytes) -> Sod:
    """EF.SOD (tag 77) → :class:`Sod`; anything malformed raises :class:`ChipFormatError`."""
    try:
        info = cms.ContentInfo.load(expect(data, 0x77), strict=True)
        return _sod(info)
    except TlvError as exc:
        raise ChipFormatError(f"EF.SOD: {exc}") from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ChipFormatError(f"EF.SOD is not a CMS SignedData security object: {exc}") from exc


def _sod(info: cms.ContentInfo) -> Sod:
    if info["content_type"].native != "signed_data":
        raise ChipFormatError("EF.SOD does not hold CMS SignedData")
    signed = info["content"]
    encap = signed["encap_content_info"]
    if encap["content_type"].dotted != LDS_SECURITY_OBJECT:
        raise ChipFormatError(
            f"EF.SOD content type {encap['content_type'].dotted} is not an LDS security object"
        )
    content = bytes(encap["content"].contents)
    lso = LdsSecurityObject.load(content, strict=True)
    hashes = {int(h["number"].native): bytes(h["hash"].native) for h in lso["hashes"]}
    if len(signed["signer_infos"]) != 1:
        raise ChipFormatError(f"EF.SOD has {len(signed['signer_infos'])} signer infos, expected 1")
    certs = embedded_certificates(signed)
    algorithm = lso["hash_algorithm"]["algorithm"].native
    return Sod(algorithm, hashes, signed, signed["signer_infos"][0], certs, content)
