"""ICAO deviation lists (9303-12 §9.2, CMS content type 2.23.136.1.1.7): documents a state
declares defective, e.g. a series issued with a known encoding error.

:func:`parse_deviation_list` checks the list's CMS signature and its signer against the
trusted CSCAs (at the list's own signing time when ``at`` is given: signers are short-lived)
and returns the document numbers with the deviation types declared for them. The verdict
reports a listed document; it does not turn a failure into a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import cms, core, x509

from drivers.chip.pki import embedded_certificates, issued_by, signed_data_ok, signer_certificate
from drivers.chip.tlv import ChipFormatError, TlvError, encode, expect, iter_tlv

DEVIATION_LIST = "2.23.136.1.1.7"


class DeviationListError(ChipFormatError):
    """A deviation list that is malformed or whose signature does not check out."""


@dataclass(frozen=True)
class DeviationList:
    """Document numbers → the deviation types (OIDs) declared for them, and the signer."""

    documents: dict[str, tuple[str, ...]]
    signer: x509.Certificate
    other_criteria: int
    """Deviations selected by something other than document numbers (not matched here)."""

    @property
    def country(self) -> str:
        """The state that published the list (its signer's ``C=``)."""
        return str(self.signer.subject.native.get("country_name", "?"))


def parse_deviation_list(data: bytes, cscas: Sequence[x509.Certificate]) -> DeviationList:
    """Check and unpack a deviation list; :class:`DeviationListError` says why one is refused."""
    try:
        signed = cms.ContentInfo.load(data, strict=True)["content"]
        if signed["encap_content_info"]["content_type"].dotted != DEVIATION_LIST:
            raise DeviationListError("not a deviation list (content type is not 2.23.136.1.1.7)")
        content = bytes(signed["encap_content_info"]["content"].contents)
        signer_info = signed["signer_infos"][0]
        signer = signer_certificate(embedded_certificates(signed), signer_info)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise DeviationListError(f"not a CMS deviation list: {exc}") from exc
    if signer is None:
        raise DeviationListError("the deviation list does not carry its signer's certificate")
    why = signed_data_ok(signed, signer_info, signer)
    if why is not None:
        raise DeviationListError(f"deviation list signature: {why}")
    if not any(issued_by(signer, c) for c in cscas if c.subject == signer.issuer):
        issuer = signer.issuer.human_friendly
        raise DeviationListError(
            f"the deviation list signer was not issued by a trusted CSCA ({issuer})"
        )
    documents, other = _deviations(content)
    return DeviationList(documents, signer, other)


def _deviations(content: bytes) -> tuple[dict[str, tuple[str, ...]], int]:
    try:
        items = list(iter_tlv(expect(content, 0x30)))
        deviations = next(i.value for i in items if i.tag == 0x31)
        out: dict[str, tuple[str, ...]] = {}
        other = 0
        for deviation in iter_tlv(deviations):
            if deviation.tag != 0x30:
                raise DeviationListError(f"a deviation has tag {deviation.tag:X}, not a sequence")
            numbers, types = _deviation(deviation.value)
            other += not numbers
            for number in numbers:
                out[number] = out.get(number, ()) + types
        return out, other
    except (TlvError, StopIteration) as exc:
        raise DeviationListError(f"deviation list content: {exc}") from exc


def _deviation(body: bytes) -> tuple[list[str], tuple[str, ...]]:
    parts = list(iter_tlv(body))
    if len(parts) != 2:
        raise DeviationListError("a deviation is not (documents, descriptions)")
    numbers = [n.value.decode("ascii", "replace") for d in iter_tlv(parts[0].value) if d.tag == 0xA5
               for n in iter_tlv(d.value)]  # fmt: skip
    types = tuple(_oid(next(iter_tlv(desc.value)).value) for desc in iter_tlv(parts[1].value))
    return numbers, types


def _oid(raw: bytes) -> str:
    return str(core.ObjectIdentifier.load(encode(0x06, raw)).dotted)
