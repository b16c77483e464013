"""Signature checks for passive authentication: keys, certificate and CMS signatures.

Certificates are parsed with ``asn1crypto`` (which tolerates what real master lists
contain: negative serial numbers, NULL parameters in ECDSA algorithms) and only their
public keys go to ``cryptography``. Keys with explicit EC parameters, as many CSCAs and
document signers have, are mapped back to the named curve they describe.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from asn1crypto import algos, cms, crl, keys, pem, x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.serialization import load_der_public_key

from drivers.chip.domain import curve_by_params
from drivers.chip.tlv import ChipFormatError

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
    "sha384": hashes.SHA384, "sha512": hashes.SHA512,
}  # fmt: skip
_NAMED = {"secp224r1": "secp224r1", "secp256r1": "secp256r1", "secp384r1": "secp384r1",
          "secp521r1": "secp521r1", "brainpoolP256r1": "brainpoolp256r1",
          "brainpoolP384r1": "brainpoolp384r1", "brainpoolP512r1": "brainpoolp512r1"}  # fmt: skip
_PLAIN_ECDSA = {"0.4.0.127.0.7.1.1.4.1." + str(i): h for i, h in
                enumerate(("sha1", "sha224", "sha256", "sha384", "sha512"), start=1)}  # fmt: skip
"""BSI TR-03111 ecdsa-plain-SHA*: r || s instead of a DER sequence."""


class SignatureError(ChipFormatError):
    """A signature that cannot be checked: unknown algorithm, curve or key encoding."""


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from DER or PEM bytes."""
    try:
        if pem.detect(data):
            _, _, data = pem.unarmor(data)
        cert = x509.Certificate.load(data, strict=True)
        _ = cert.subject.native, cert.public_key.native  # force the lazy parse
        return cert
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipFormatError(f"not an X.509 certificate: {exc}") from exc


def public_key(info: keys.PublicKeyInfo) -> PublicKey:
    """The ``cryptography`` key of a SubjectPublicKeyInfo (explicit EC curves mapped to named)."""
    params = info["algorithm"]["parameters"]
    if info["algorithm"]["algorithm"].native == "ec" and params.name == "specified":
        info = _named(info, params.chosen)
    try:
        key = load_der_public_key(info.dump())
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SignatureError(f"public key cannot be used: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise SignatureError(f"unsupported public key type {type(key).__name__}")
    return key


def _named(info: keys.PublicKeyInfo, spec: keys.SpecifiedECDomain) -> keys.PublicKeyInfo:
    base = spec["base"].native
    size = (len(base) - 1) // 2
    curve = curve_by_params(
        spec["field_id"]["parameters"].native,
        int.from_bytes(spec["curve"]["a"].native, "big"),
        int.from_bytes(spec["curve"]["b"].native, "big"),
        int.from_bytes(base[1 : 1 + size], "big"),
        int.from_bytes(base[1 + size :], "big"),
    )
    if curve is None or curve.name not in _NAMED:
        raise SignatureError("EC key with explicit parameters of an unsupported curve")
    algorithm = {"algorithm": "ec", "parameters": ("named", _NAMED[curve.name])}
    return keys.PublicKeyInfo({"algorithm": algorithm, "public_key": info["public_key"]})


def verify(
    key: PublicKey,
    algorithm: algos.SignedDigestAlgorithm,
    signature: bytes,
    data: bytes,
    digest: str | None = None,
) -> bool:
    """Whether ``signature`` over ``data`` verifies (``digest`` names the hash when the
    algorithm does not, as in CMS signer infos with plain ``rsassa_pkcs1v15``)."""
    try:
        _verify(key, algorithm, signature, data, digest)
    except InvalidSignature:
        return False
    return True


def _hash_of(algorithm: algos.SignedDigestAlgorithm, digest: str | None) -> hashes.HashAlgorithm:
    oid = algorithm["algorithm"].dotted
    try:
        name = _PLAIN_ECDSA.get(oid) or algorithm.hash_algo
    except ValueError:
        name = digest or ""
    if name not in _HASHES:
        raise SignatureError(f"unsupported hash in signature algorithm {oid}")
    return _HASHES[name]()


def _verify(
    key: PublicKey,
    algorithm: algos.SignedDigestAlgorithm,
    sig: bytes,
    data: bytes,
    digest: str | None,
) -> None:
    oid, name = algorithm["algorithm"].dotted, algorithm["algorithm"].native
    if isinstance(key, ec.EllipticCurvePublicKey):
        if oid in _PLAIN_ECDSA:
            half = len(sig) // 2
            sig = utils.encode_dss_signature(
                int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big")
            )
        key.verify(sig, data, ec.ECDSA(_hash_of(algorithm, digest)))
    elif name == "rsassa_pss":
        params = algorithm["parameters"]
        pss_hash = _HASHES[params["hash_algorithm"]["algorithm"].native]()
        mgf = padding.MGF1(
            _HASHES[params["mask_gen_algorithm"]["parameters"]["algorithm"].native]()
        )
        key.verify(sig, data, padding.PSS(mgf, params["salt_length"].native), pss_hash)
    else:
        key.verify(sig, data, padding.PKCS1v15(), _hash_of(algorithm, digest))


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key verifies ``cert``'s signature."""
    signature = cert["signature_value"].native
    return _signed_by(issuer, cert["signature_algorithm"], signature, cert["tbs_certificate"])


def issued_by_crl(revocations: crl.CertificateList, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key verifies the CRL's signature."""
    signature = revocations["signature"].native
    return _signed_by(
        issuer, revocations["signature_algorithm"], signature, revocations["tbs_cert_list"]
    )


def _signed_by(
    issuer: x509.Certificate, algorithm: algos.SignedDigestAlgorithm, signature: bytes, tbs: Any
) -> bool:
    try:
        return verify(public_key(issuer.public_key), algorithm, signature, tbs.dump())
    except (SignatureError, ValueError, TypeError, KeyError):
        return False


def candidates(cert: x509.Certificate, pool: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """The certificates in ``pool`` that may have issued ``cert`` (key identifier, else name)."""
    aki = cert.authority_key_identifier
    pool = list(pool)
    if aki is not None:
        by_key = [c for c in pool if c.key_identifier == aki]
        if by_key:
            return by_key
    return [c for c in pool if c.subject == cert.issuer]


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, hex (the store's key)."""
    return hashlib.sha256(cert.dump()).hexdigest()


def signed_data_ok(
    signed: cms.SignedData, signer: cms.SignerInfo, cert: x509.Certificate
) -> str | None:
    """None if the CMS signature by ``signer`` over the content verifies, else why not."""
    digest_name = signer["digest_algorithm"]["algorithm"].native
    content = bytes(signed["encap_content_info"]["content"].contents)
    data = content
    attrs = signer["signed_attrs"]
    if attrs:
        if digest_name not in _HASHES:
            return f"unsupported digest algorithm {digest_name}"
        wanted = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
        if wanted != [hashlib.new(digest_name, content).digest()]:
            return "the signed message digest does not match the content"
        data = b"\x31" + attrs.dump()[1:]
    try:
        key = public_key(cert.public_key)
        ok = verify(
            key, signer["signature_algorithm"], signer["signature"].native, data, digest_name
        )
    except (SignatureError, ValueError, TypeError, KeyError) as exc:
        return f"signature cannot be checked: {exc}"
    return None if ok else "the signature does not verify with the signer's key"


def embedded_certificates(signed: cms.SignedData) -> tuple[x509.Certificate, ...]:
    """The X.509 certificates a CMS SignedData carries."""
    return tuple(c.chosen for c in signed["certificates"] or [] if c.name == "certificate")


def signer_certificate(
    certs: Iterable[x509.Certificate], signer: cms.SignerInfo
) -> x509.Certificate | None:
    """The certificate among ``certs`` that the signer info names (issuer+serial or SKI)."""
    sid = signer["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            isn = sid.chosen
            if cert.issuer == isn["issuer"] and cert.serial_number == isn["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None
