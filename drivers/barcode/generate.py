"""Valid (and deliberately broken) payloads for tests, the simulator and the demo."""

from __future__ import annotations

import datetime as dt
import random
import string
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from drivers.barcode import c40, hc1, iso6346, mrn, vds
from drivers.barcode.result import gs1_check, mod11_remainder, mrz_check

ALNUM = string.ascii_uppercase + string.digits
COUNTRIES = ("DE", "FR", "IT", "PL", "RO", "NL", "BE", "AT", "HU", "SK", "TR", "RS", "CH")
OWNERS = ("CSQ", "MSC", "MAE", "HLX", "CMA", "OOL", "TGH", "EIS")


def make_mrn(rng: random.Random, *, procedure: str | None = "J", country: str = "") -> str:
    """A valid MRN; ``procedure`` None gives the legacy layout."""
    head = f"{rng.randint(18, 26):02d}{country or rng.choice(COUNTRIES)}"
    if procedure:
        body = head + "".join(rng.choices(ALNUM, k=12)) + procedure
    else:
        body = head + "".join(rng.choices(ALNUM, k=12)) + rng.choice(string.digits)
    return body + mrn.check_char(body)


def make_container(rng: random.Random, category: str = "U") -> str:
    """A valid ISO 6346 container number (never one whose remainder is 10, as ISO 6346 advises)."""
    while True:
        first = rng.choice(OWNERS) + category + f"{rng.randrange(10**6):06d}"
        if mod11_remainder(first) != 10:
            return first + iso6346.check_digit(first)


def make_gtin(rng: random.Random) -> str:
    """A valid GTIN-14."""
    body = "0" + "".join(rng.choices(string.digits, k=12))
    return body + str(gs1_check(body))


def make_gs1(rng: random.Random) -> str:
    """A raw GS1 element string: GTIN, expiry, batch, serial (GS after variable fields)."""
    expiry = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(700))
    batch = "".join(rng.choices(ALNUM, k=rng.randint(3, 10)))
    serial = "".join(rng.choices(ALNUM, k=rng.randint(4, 12)))
    return f"01{make_gtin(rng)}17{expiry:%y%m%d}10{batch}\x1d21{serial}"


def make_tir(rng: random.Random) -> str:
    """A TIR carnet number."""
    return rng.choice(("XA", "XB", "XC", "XD", "XE", "XF")) + f"{rng.randrange(10**8):08d}"


def corrupt(text: str, rng: random.Random) -> str:
    """``text`` with one character changed to another of the same class."""
    i = rng.randrange(len(text))
    pool = string.digits if text[i].isdigit() else string.ascii_uppercase
    return text[:i] + rng.choice([c for c in pool if c != text[i]]) + text[i + 1 :]


def make_signer(
    country: str = "UT",
    serial: int = 0x1A2B3,
    curve: ec.EllipticCurve | None = None,
    *,
    valid_days: tuple[int, int] = (-1, 3650),
    usages: tuple[str, ...] = (),
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A test signing key and its self-signed certificate (serial = VDS cert reference),
    valid from/until ``valid_days`` days from now, with extended key usage ``usages`` (OIDs)."""
    key = ec.generate_private_key(curve or ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(x509.NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(x509.NameOID.COMMON_NAME, f"{country} test seal signer"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now + dt.timedelta(days=valid_days[0]))
        .not_valid_after(now + dt.timedelta(days=valid_days[1]))
    )
    if usages:
        eku = x509.ExtendedKeyUsage([x509.ObjectIdentifier(oid) for oid in usages])
        builder = builder.add_extension(eku, critical=False)
    return key, builder.sign(key, hashes.SHA256())


def visa_mrz(surname: str, given: str, number: str, birth: str, sex: str = "F") -> str:
    """The 72 MRZ characters of an MRV-A visa as a seal stores them (44 + 28)."""
    name = (surname + "<<" + given.replace(" ", "<")).ljust(39, "<")[:39]
    line1 = "VCUTO" + name
    num = number.ljust(9, "<")
    expiry = "301231"
    line2 = f"{num}{mrz_check(num)}UTO{birth}{mrz_check(birth)}{sex}{expiry}{mrz_check(expiry)}"
    return line1 + line2


def make_seal(
    key: ec.EllipticCurvePrivateKey,
    message: bytes,
    *,
    version: int = 3,
    signer: str = "UTTS",
    cert_ref: str = "1A2B3",
    profile: tuple[int, int] = (0x5D, 0x01),
) -> bytes:
    """A signed seal (version 3 or 4) around ``message`` TLVs, country UTO."""
    if version == 3:
        ident = c40.encode(signer + cert_ref)
    else:
        ident = c40.encode(f"{signer}{len(cert_ref):02X}{cert_ref}")
    header = (
        bytes([vds.MAGIC, version - 1])
        + c40.encode("UTO")
        + ident
        + vds.encode_date(dt.date(2026, 3, 1))
        + vds.encode_date(dt.date(2026, 3, 2))
        + bytes(profile)
    )
    signed = header + message
    der = key.sign(signed, ec.ECDSA(vds.curve_hash(key.curve.key_size)))
    r, s = decode_dss_signature(der)
    size = (key.curve.key_size + 7) // 8
    return signed + vds.encode_tlv(0xFF, r.to_bytes(size, "big") + s.to_bytes(size, "big"))


def make_visa_seal(
    key: ec.EllipticCurvePrivateKey,
    *,
    mrz: str | None = None,
    passport: str = "L898902C3",
    **header: Any,
) -> bytes:
    """A signed visa seal (feature 0x5D, category 0x01); ``header`` as :func:`make_seal`."""
    text = mrz or visa_mrz("ERIKSSON", "ANNA MARIA", "VX1234567", "740812")
    message = (
        vds.encode_tlv(0x01, c40.encode(text.replace("<", " ")))
        + vds.encode_tlv(0x03, b"\x01")
        + vds.encode_tlv(0x04, bytes([90, 0, 0]))
        + vds.encode_tlv(0x05, c40.encode(passport))
    )
    return make_seal(key, message, **header)


def permit_mrz(surname: str, given: str, number: str, birth: str, sex: str = "M") -> str:
    """The 72 MRZ characters of a TD2 residence permit (36 + 36)."""
    name = (surname + "<<" + given.replace(" ", "<")).ljust(31, "<")[:31]
    num, expiry = number.ljust(9, "<"), "301231"
    line2 = f"{num}{mrz_check(num)}UTO{birth}{mrz_check(birth)}{sex}{expiry}{mrz_check(expiry)}"
    line2 += "<" * 7
    return "ARUTO" + name + line2 + str(mrz_check(line2[:10] + line2[13:20] + line2[21:35]))


def make_permit_seal(key: ec.EllipticCurvePrivateKey, **header: Any) -> bytes:
    """A signed residence-permit seal (feature 0xFB, category 0x06)."""
    text = permit_mrz("MUSTERMANN", "ERIKA", "AB1234567", "830812", "F")
    message = vds.encode_tlv(0x02, c40.encode(text.replace("<", " "))) + vds.encode_tlv(
        0x03, c40.encode("C01X00T47")
    )
    return make_seal(key, message, profile=(0xFB, 0x06), **header)


def make_hc1(
    key: ec.EllipticCurvePrivateKey,
    kid: bytes,
    *,
    surname: str = "ERIKSSON",
    given: str = "ANNA MARIA",
    dob: str = "1974-08-12",
    expires: int | None = None,
    issued: int | None = None,
    protected: dict[int, Any] | None = None,
    unprotected: dict[int, Any] | None = None,
    form: str = "sign1",
) -> str:
    """A signed HC1 QR payload (ES256) for a vaccination certificate.

    ``protected`` / ``unprotected`` replace the headers (default: ES256 and ``kid``
    protected); ``form`` wraps the COSE_Sign1 as issuers do: ``cwt``
    (``Tag(61)[Tag(18)[…]]``), ``sign1`` (``Tag(18)[…]``) or ``bare`` (untagged).
    """
    now = int(dt.datetime.now(dt.UTC).timestamp())
    dcc = {
        "ver": "1.3.0",
        "nam": {"fn": surname.title(), "gn": given.title(), "fnt": surname,
                "gnt": given.replace(" ", "<")},
        "dob": dob,
        "v": [{"tg": "840539006", "dn": 2, "sd": 2, "ci": "URN:UVCI:01:UT:TEST#1"}],
    }  # fmt: skip
    claims = {1: "UT", 6: issued or now, 4: expires or now + 86400 * 365, -260: {1: dcc}}
    head = cbor2.dumps({1: -7, 4: kid} if protected is None else protected)
    payload = cbor2.dumps(claims)
    to_sign = cbor2.dumps(["Signature1", head, b"", payload])
    r, s = decode_dss_signature(key.sign(to_sign, ec.ECDSA(hashes.SHA256())))
    sign1: Any = [head, unprotected or {}, payload, r.to_bytes(32, "big") + s.to_bytes(32, "big")]
    if form in ("sign1", "cwt"):
        sign1 = cbor2.CBORTag(hc1.COSE_SIGN1_TAG, sign1)
    if form == "cwt":
        sign1 = cbor2.CBORTag(hc1.CWT_TAG, sign1)
    return hc1.PREFIX + hc1.b45encode(zlib.compress(cbor2.dumps(sign1), 9))


def traffic(rng: random.Random, bad_ratio: float = 0.1) -> Iterator[str]:
    """Endless border traffic: MRNs, containers, GS1 strings, TIR carnets; some corrupted."""
    makers: tuple[Callable[[], str], ...] = (
        lambda: make_mrn(rng),
        lambda: make_mrn(rng, procedure=None),
        lambda: make_container(rng),
        lambda: make_gs1(rng),
        lambda: make_tir(rng),
    )
    while True:
        maker = rng.choices(makers, weights=(4, 1, 4, 2, 1))[0]
        text = maker()
        if rng.random() < bad_ratio and "\x1d" not in text and not text.startswith("X"):
            text = corrupt(text, rng)
        yield text
