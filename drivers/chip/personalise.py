"""Issue documents of our own: a CSCA, document signers and SODs over chosen data groups.

What a state's personalisation system does, in miniature, for the simulated chip, the
demo, the tests and the benchmark: every passive-authentication outcome can be produced
with keys we hold. Nothing here is used to check a real document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from asn1crypto import cms, core, keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from drivers.chip.chipauth import ID_CA_DH, ID_CA_ECDH, ID_PK_DH, ID_PK_ECDH
from drivers.chip.domain import Curve, DhGroup
from drivers.chip.sod import LDS_SECURITY_OBJECT, LdsSecurityObject
from drivers.chip.tlv import encode

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Issuer:
    """A signing key and its certificate (DER)."""

    key: ec.EllipticCurvePrivateKey
    certificate: bytes

    @property
    def cert(self) -> x509.Certificate:
        """The certificate, parsed."""
        return x509.Certificate.load(self.certificate)


def _name(country: str, cn: str) -> cx509.Name:
    return cx509.Name(
        [
            cx509.NameAttribute(NameOID.COUNTRY_NAME, country),
            cx509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def make_csca(country: str, start: dt.datetime, years: int = 15, cn: str = "Test CSCA") -> Issuer:
    """A self-signed CSCA certificate (ECDSA P-256) valid from ``start``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(country, cn)
    builder = _builder(name, name, key.public_key(), start, start + years * 365 * DAY)
    builder = builder.add_extension(cx509.BasicConstraints(ca=True, path_length=0), critical=True)
    builder = builder.add_extension(
        cx509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
    )
    cert = builder.sign(key, hashes.SHA256())
    return Issuer(key, cert.public_bytes(serialization.Encoding.DER))


def make_signer(
    csca: Issuer, country: str, start: dt.datetime, end: dt.datetime, cn: str = "Test DS"
) -> Issuer:
    """A document signer certificate issued by ``csca``."""
    key = ec.generate_private_key(ec.SECP256R1())
    issuer = cx509.load_der_x509_certificate(csca.certificate)
    builder = _builder(_name(country, cn), issuer.subject, key.public_key(), start, end)
    ski = issuer.extensions.get_extension_for_class(cx509.SubjectKeyIdentifier).value
    aki = cx509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    builder = builder.add_extension(aki, critical=False)
    cert = builder.sign(csca.key, hashes.SHA256())
    return Issuer(key, cert.public_bytes(serialization.Encoding.DER))


def _builder(
    subject: cx509.Name, issuer: cx509.Name, key: ec.EllipticCurvePublicKey,
    start: dt.datetime, end: dt.datetime,
) -> cx509.CertificateBuilder:  # fmt: skip
    return (
        cx509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key)
        .serial_number(cx509.random_serial_number()).not_valid_before(start).not_valid_after(end)
    )  # fmt: skip


def make_crl(csca: Issuer, revoked: list[int], at: dt.datetime) -> bytes:
    """A CRL by ``csca`` revoking the given certificate serial numbers (DER)."""
    issuer = cx509.load_der_x509_certificate(csca.certificate)
    builder = cx509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
    builder = builder.last_update(at).next_update(at + 90 * DAY)
    for serial in revoked:
        entry = cx509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build()
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(csca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def make_sod(data_groups: Mapping[int, bytes], signer: Issuer, algorithm: str = "sha256") -> bytes:
    """EF.SOD signing the hashes of ``data_groups`` with ``signer`` (ECDSA, signed attributes)."""
    hashes_ = [
        {"number": n, "hash": hashlib.new(algorithm, raw).digest()}
        for n, raw in sorted(data_groups.items())
    ]
    lso = LdsSecurityObject(
        {"version": 0, "hash_algorithm": {"algorithm": algorithm}, "hashes": hashes_}
    ).dump()
    return encode(0x77, sign_content(lso, LDS_SECURITY_OBJECT, signer, algorithm))


def make_deviation_list(
    numbers: list[str], signer: Issuer, deviation: str = "2.23.136.1.1.7.2.3"
) -> bytes:
    """An ICAO deviation list naming ``numbers`` with one deviation type, signed by ``signer``."""
    docs = encode(0x30, encode(0xA5, b"".join(encode(0x13, n.encode()) for n in numbers)))
    description = encode(0x31, encode(0x30, core.ObjectIdentifier(deviation).dump()))
    content = encode(0x30, core.Integer(0).dump() + encode(0x31, encode(0x30, docs + description)))
    return sign_content(content, "2.23.136.1.1.7", signer)


def sign_content(
    content: bytes, content_type: str, signer: Issuer, algorithm: str = "sha256"
) -> bytes:
    """CMS SignedData (DER) over ``content`` with signed attributes, by ``signer`` (ECDSA)."""
    attrs = cms.CMSAttributes([
        {"type": "content_type", "values": [content_type]},
        {"type": "message_digest", "values": [hashlib.new(algorithm, content).digest()]},
    ])  # fmt: skip
    signature = signer.key.sign(attrs.dump(), ec.ECDSA(_HASH[algorithm]()))
    return bytes(
        _signed_data(content, content_type, attrs, signature, signer.cert, algorithm).dump()
    )


_HASH: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def _signed_data(
    content: bytes, content_type: str, attrs: cms.CMSAttributes, signature: bytes,
    cert: x509.Certificate, algorithm: str,
) -> cms.ContentInfo:  # fmt: skip
    sid = cms.SignerIdentifier(
        {"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}
    )
    signer = cms.SignerInfo({
        "version": "v1", "sid": sid, "digest_algorithm": {"algorithm": algorithm},
        "signed_attrs": attrs, "signature_algorithm": {"algorithm": f"{algorithm}_ecdsa"},
        "signature": signature,
    })  # fmt: skip
    signed = cms.SignedData({
        "version": "v3", "digest_algorithms": [{"algorithm": algorithm}],
        "encap_content_info": {"content_type": content_type, "content": content},
        "certificates": [cert], "signer_infos": [signer],
    })  # fmt: skip
    return cms.ContentInfo({"content_type": "signed_data", "content": signed})


def make_dg2(image: bytes, width: int, height: int, kind: str = "jpeg") -> bytes:
    """DG2 holding one ISO/IEC 19794-5 face record of an encoded image (``jpeg`` or
    ``jpeg2000``), as a chip carries the holder's photo."""
    info = bytes([0, {"jpeg": 0, "jpeg2000": 1}[kind]])
    info += width.to_bytes(2, "big") + height.to_bytes(2, "big") + bytes(6)
    record = bytes(16) + info + image  # no feature points: 20-byte information block
    record = (len(record) + 4).to_bytes(4, "big") + record
    block = b"FAC\x00010\x00" + (14 + len(record)).to_bytes(4, "big") + b"\x00\x01" + record
    template = encode(0x7F60, encode(0xA1, encode(0x80, b"\x01\x01")) + encode(0x5F2E, block))
    return encode(0x75, encode(0x7F61, encode(0x02, b"\x01") + template))


def make_dg14(group: Curve | DhGroup, private: int, version: int = 2) -> bytes:
    """DG14 offering chip authentication with the key ``private`` on ``group`` (an EC key
    with explicit curve parameters, as issuers write them, or an X9.42 DH key): version 2
    (AES-128, ``id-CA-(EC)DH-AES-CBC-CMAC-128``) or 1 (3DES, ``id-CA-(EC)DH-3DES-CBC-CBC``)."""
    dh = isinstance(group, DhGroup)
    pk_oid, ca_oid = (ID_PK_DH, ID_CA_DH) if dh else (ID_PK_ECDH, ID_CA_ECDH)
    info = _dh_key(group, private) if isinstance(group, DhGroup) else _ec_key(group, private)
    public = encode(0x30, core.ObjectIdentifier(pk_oid).dump() + info.dump())
    protocol = core.ObjectIdentifier(f"{ca_oid}.{2 if version == 2 else 1}").dump()
    chip_auth = encode(0x30, protocol + core.Integer(version).dump())
    return encode(0x6E, encode(0x31, public + chip_auth))


def _dh_key(group: DhGroup, private: int) -> keys.PublicKeyInfo:
    params = keys.DomainParameters({"p": group.p, "g": group.g, "q": group.q})
    return keys.PublicKeyInfo({
        "algorithm": {"algorithm": "dh", "parameters": params},
        "public_key": core.Integer(pow(group.g, private, group.p)),
    })  # fmt: skip


def _ec_key(curve: Curve, private: int) -> keys.PublicKeyInfo:
    size = curve.size
    specified = keys.SpecifiedECDomain({
        "version": 1,
        "field_id": {"field_type": "prime_field", "parameters": curve.p},
        "curve": {"a": curve.a.to_bytes(size, "big"), "b": curve.b.to_bytes(size, "big")},
        "base": curve.encode(curve.generator), "order": curve.n, "cofactor": curve.h,
    })  # fmt: skip
    params = keys.ECDomainParameters(("specified", specified))
    return keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec", "parameters": params},
        "public_key": curve.encode(curve.mul(private, curve.generator)),
    })  # fmt: skip
