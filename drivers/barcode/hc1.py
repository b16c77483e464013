"""Signed health-certificate QR codes (EU DCC): ``HC1:`` + Base45 → zlib → COSE_Sign1 / CWT.

Decode with every step bounded, verify as the EU DCC specification (eHealth
Network, "Technical Specifications for EU Digital COVID Certificates", Volume 1)
asks, and map the holder to a person key:

- the COSE_Sign1 may come as ``Tag(61)[Tag(18)[…]]`` (a tagged CWT), ``Tag(18)[…]``
  or untagged;
- the algorithm is taken from the protected header only: the unprotected header is
  covered by no signature, so an algorithm there is ignored and none in the
  protected header is a refusal;
- the key is looked up by ``kid`` (protected header first, then unprotected);
- the signer certificate must be valid at the time of signing (``iat``) and now,
  and when it names the DCC extended key usages it must allow every certificate
  type the DCC holds (test, vaccination, recovery).

Every refusal says why in its check's detail.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from drivers.barcode.result import Check, ParsedPayload, PayloadError, build
from drivers.barcode.trust import PublicKey, TrustStore

PREFIX = "HC1:"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
MAX_INFLATED = 16 * 1024
COSE_SIGN1_TAG = 18
CWT_TAG = 61
ALGORITHMS = {-7: "ES256", -35: "ES384", -36: "ES512", -37: "PS256"}
DCC_EKU = {"t": "1.3.6.1.4.1.1847.2021.1.1", "v": "1.3.6.1.4.1.1847.2021.1.2",
           "r": "1.3.6.1.4.1.1847.2021.1.3"}  # fmt: skip
"""Extended key usages a DCC signer certificate may carry, by certificate type; the
``1.3.6.1.4.1.0.1847.2021.1.x`` spelling some issuers used counts the same."""
TYPE_NAMES = {"t": "test", "v": "vaccination", "r": "recovery"}


def looks_like(text: str) -> bool:
    """True for a text starting ``HC1:``."""
    return text.startswith(PREFIX)


def b45decode(text: str) -> bytes:
    """Base45 (RFC 9285) to bytes; PayloadError on a bad character or group."""
    values = [ALPHABET.find(ch) for ch in text]
    if any(v < 0 for v in values) or len(values) % 3 == 1:
        raise PayloadError("not Base45")
    out = bytearray()
    for i in range(0, len(values), 3):
        group = values[i : i + 3]
        n = sum(v * 45**j for j, v in enumerate(group))
        if n >= (65536 if len(group) == 3 else 256):
            raise PayloadError("Base45 group out of range")
        out += n.to_bytes(2 if len(group) == 3 else 1, "big")
    return bytes(out)


def b45encode(data: bytes) -> str:
    """Bytes to Base45 (RFC 9285)."""
    out: list[str] = []
    for i in range(0, len(data), 2):
        n = int.from_bytes(data[i : i + 2], "big")
        digits = 3 if len(data[i : i + 2]) == 2 else 2
        out.extend(ALPHABET[n // 45**j % 45] for j in range(digits))
    return "".join(out)


def inflate(data: bytes) -> bytes:
    """zlib-inflate at most MAX_INFLATED bytes (data not starting 0x78 is taken as is)."""
    if data[:1] != b"\x78":
        return data
    try:
        inflator = zlib.decompressobj()
        out = inflator.decompress(data, MAX_INFLATED)
    except zlib.error as exc:
        raise PayloadError(f"zlib: {exc}") from exc
    if inflator.unconsumed_tail:
        raise PayloadError(f"inflates to more than {MAX_INFLATED} bytes")
    return out


def unpack(text: str) -> tuple[bytes, Mapping[Any, Any], Mapping[Any, Any], bytes, bytes]:
    """(protected bstr, protected map, unprotected map, payload, signature) of a COSE_Sign1."""
    obj = untag(cbor2.loads(inflate(b45decode(text[len(PREFIX) :].strip()))))
    if not (isinstance(obj, list | tuple) and len(obj) == 4):
        raise PayloadError("COSE_Sign1 must be an array of four items")
    protected_raw, unprotected, payload, signature = obj
    if not all(isinstance(x, bytes) for x in (protected_raw, payload, signature)):
        raise PayloadError("COSE_Sign1 items have the wrong types")
    protected = cbor2.loads(protected_raw) if protected_raw else {}
    if not isinstance(protected, Mapping) or not isinstance(unprotected, Mapping):
        raise PayloadError("COSE headers must be maps")
    return protected_raw, protected, unprotected, payload, signature


def untag(obj: Any) -> Any:
    """The COSE_Sign1 array inside ``Tag(61)[Tag(18)[…]]``, ``Tag(18)[…]`` or none."""
    if isinstance(obj, cbor2.CBORTag) and obj.tag == CWT_TAG:
        obj = obj.value
    if isinstance(obj, cbor2.CBORTag):
        if obj.tag != COSE_SIGN1_TAG:
            raise PayloadError(f"CBOR tag {obj.tag} is not a CWT (61) or COSE_Sign1 (18)")
        obj = obj.value
    return obj


def parse(text: str, trust: TrustStore | None) -> ParsedPayload:
    """Decode an HC1 QR payload, verify it, and map its holder to a person key."""
    try:
        raw_p, protected, unprotected, payload, signature = unpack(text)
        claims = cbor2.loads(payload)
        if not isinstance(claims, Mapping):
            raise PayloadError("CWT payload is not a map")
    except (PayloadError, ValueError, cbor2.CBORDecodeError) as exc:
        return build("hc1", {"length": len(text)}, [Check("structure", False, str(exc))])
    alg = protected.get(1)  # never the unprotected header's: no signature covers it
    kid = protected.get(4, unprotected.get(4, b""))
    kid = kid if isinstance(kid, bytes) else b""
    fields, keys, warnings = _claims(claims)
    name = ALGORITHMS.get(alg, str(alg)) if isinstance(alg, int) else str(alg)
    fields.update(algorithm=name, kid=kid.hex())
    if 1 in unprotected and unprotected.get(1) != alg:
        warnings.append("an algorithm in the unprotected header was ignored")
    signed = Signed(alg, kid, _sig_structure(raw_p, payload), signature)
    checks = [Check("structure", True, "COSE_Sign1 with CWT payload")]
    checks.extend(_verify(signed, claims, fields["certificate_types"], trust))
    return build("hc1", fields, checks, keys, warnings)


def _claims(claims: Mapping[Any, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """Fields, a person key and warnings from the CWT claims."""
    hcert = claims.get(-260, {})
    dcc = hcert.get(1, {}) if isinstance(hcert, Mapping) else {}
    dcc = dcc if isinstance(dcc, Mapping) else {}
    name = dcc.get("nam", {}) if isinstance(dcc.get("nam"), Mapping) else {}
    fields: dict[str, Any] = {
        "issuer": _text(claims.get(1)),
        "issued_at": _time(claims.get(6)),
        "expires_at": _time(claims.get(4)),
        "surname": _text(name.get("fn")),
        "given_names": _text(name.get("gn")),
        "birth_date": _text(dcc.get("dob")),
        "certificate_types": [k for k in ("v", "t", "r") if k in dcc],
        "schema_version": _text(dcc.get("ver")),
    }
    warnings = []
    exp = claims.get(4)
    if isinstance(exp, int) and exp < dt.datetime.now(dt.UTC).timestamp():
        warnings.append("certificate has expired")
    keys = _person(name, fields["birth_date"])
    return fields, keys, warnings


def _person(name: Mapping[Any, Any], birth_date: str | None) -> list[dict[str, Any]]:
    """The holder as a person key, from the ICAO-transliterated names."""
    surname = (_text(name.get("fnt")) or "").replace("<", " ").strip()
    given = (_text(name.get("gnt")) or "").replace("<", " ").strip()
    if not surname:
        return []
    return [{"kind": "person", "surname": surname, "given_names": given,
             "birth_date": birth_date or None, "nationality": None, "sex": None}]  # fmt: skip


def _sig_structure(protected_raw: bytes, payload: bytes) -> bytes:
    """The bytes a COSE_Sign1 signature covers."""
    return bytes(cbor2.dumps(["Signature1", protected_raw, b"", payload]))


@dataclass(frozen=True)
class Signed:
    """What a COSE_Sign1 signature is checked with: algorithm, key id, signed bytes, signature."""

    alg: Any
    kid: bytes
    data: bytes
    signature: bytes


def _verify(
    signed: Signed, claims: Mapping[Any, Any], types: list[str], trust: TrustStore | None
) -> list[Check]:
    """The signature check and, for a key from a certificate, the certificate checks."""
    if trust is None or not (trust.certificates or trust.cose_keys):
        return [Check("signature", None, "not checked: no keys configured")]
    if signed.alg not in ALGORITHMS:
        why = "no algorithm" if signed.alg is None else f"algorithm {signed.alg!r} not supported"
        return [Check("signature", False, f"{why} in the protected header")]
    candidates = trust.cose_signers(signed.kid)
    if not candidates:
        return [Check("signature", False, f"no key for kid {signed.kid.hex() or '(none)'}")]
    for key, cert in candidates:
        if _key_ok(key, signed.alg, signed.data, signed.signature):
            found = Check("signature", True, f"kid {signed.kid.hex()}")
            return [found] if cert is None else [found, _signer_ok(cert, claims, types)]
    return [Check("signature", False, "signature does not verify")]


def _signer_ok(cert: x509.Certificate, claims: Mapping[Any, Any], types: list[str]) -> Check:
    """The signer certificate was valid when the DCC was issued and is now, and may sign
    every certificate type the DCC holds."""
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    now = dt.datetime.now(dt.UTC)
    issued = claims.get(6)
    for label, when in (("now", now), ("at issue (iat)", _instant(issued))):
        if when is not None and not start <= when <= end:
            span = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
            return Check("signer certificate", False, f"not valid {label}: valid {span}")
    allowed = _dcc_usages(cert)
    refused = [t for t in types if allowed is not None and t not in allowed]
    if refused:
        names = ", ".join(TYPE_NAMES[t] for t in refused)
        mays = ", ".join(TYPE_NAMES[t] for t in sorted(allowed or ())) or "none"
        return Check("signer certificate", False, f"may not sign {names} (may sign: {mays})")
    return Check("signer certificate", True, f"valid until {end:%Y-%m-%d}")


def _dcc_usages(cert: x509.Certificate) -> frozenset[str] | None:
    """The DCC types the certificate's extended key usage allows; None when it names none
    of the DCC usages (then it may sign every type)."""
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None
    oids = {o.dotted_string.replace(".4.1.0.1847.", ".4.1.1847.") for o in eku}
    allowed = frozenset(t for t, oid in DCC_EKU.items() if oid in oids)
    return allowed or None


def _instant(value: Any) -> dt.datetime | None:
    """A CWT NumericDate as an aware datetime (None when absent or out of range)."""
    if not isinstance(value, int) or not 0 <= value < 2**33:
        return None
    return dt.datetime.fromtimestamp(value, dt.UTC)


def _key_ok(key: PublicKey, alg: Any, data: bytes, signature: bytes) -> bool:
    """One verification attempt with one key."""
    try:
        if isinstance(key, ec.EllipticCurvePublicKey) and alg in (-7, -35, -36):
            half = len(signature) // 2
            r, s = int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
            algo = {-7: hashes.SHA256(), -35: hashes.SHA384(), -36: hashes.SHA512()}[alg]
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(algo))
            return True
        if isinstance(key, rsa.RSAPublicKey) and alg == -37:
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            key.verify(signature, data, pss, hashes.SHA256())
            return True
    except (InvalidSignature, ValueError):
        return False
    return False


def _text(value: Any) -> str | None:
    return value[:256] if isinstance(value, str) else None


def _time(value: Any) -> str | None:
    found = _instant(value)
    return found.isoformat() if found else None
