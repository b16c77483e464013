"""ICAO 9303 Part 13 visible digital seals and HC1 signed QR codes, signed with keys made here."""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.barcode import TrustError, TrustStore, c40, hc1, parse_payload, vds
from drivers.barcode import generate as gen
from drivers.barcode.scanner import ScanFramer
from drivers.barcode.trust import cose_kid


@pytest.fixture(scope="module")
def signer() -> tuple[ec.EllipticCurvePrivateKey, TrustStore]:
    key, cert = gen.make_signer("UT", 0x1A2B3)
    return key, TrustStore.of([cert])


def result(doc: dict[str, object], name: str) -> str:
    return {c["name"]: c["result"] for c in doc["checks"]}[name]  # type: ignore[attr-defined, index]


def test_c40_round_trip_and_padding() -> None:
    for text in ("UTO", "D<<", "UTTS1A2B3", "AB", "A", "L898902C3"):
        assert c40.decode(c40.encode(text)) == text
    assert c40.encode("A")[0] == 0xFE  # one character left: unlatch + ASCII + 1
    assert len(c40.encode("UTTS1A2B3")) == 6


def test_seal_date_encoding() -> None:
    day = dt.date(2026, 3, 25)
    assert vds.encode_date(day) == (3252026).to_bytes(3, "big")
    assert vds.decode_date(vds.encode_date(day)) == day


def test_visa_seal_verifies_and_maps_to_person(signer: tuple[object, TrustStore]) -> None:
    key, trust = signer
    seal = gen.make_visa_seal(key)  # type: ignore[arg-type]
    parsed = parse_payload(seal, "datamatrix", trust=trust)
    doc = parsed.to_json()
    assert doc["kind"] == "vds" and doc["valid"], doc
    assert result(doc, "signature") == "ok"
    assert doc["fields"]["profile"] == "visa"
    assert doc["fields"]["issuing_country"] == "UTO"
    assert doc["fields"]["signer"] == "UTTS" and doc["fields"]["certificate_reference"] == "1A2B3"
    person = next(k for k in doc["keys"] if k["kind"] == "person")
    assert person == {
        "kind": "person",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "birth_date": "1974-08-12",
        "nationality": "UTO",
        "sex": "F",
    }
    assert {"kind": "document", "number": "L898902C3", "issuer": "UTO", "type": "P"} in doc["keys"]


def test_seal_without_trust_store_is_not_checked(signer: tuple[object, TrustStore]) -> None:
    seal = gen.make_visa_seal(signer[0])  # type: ignore[arg-type]
    doc = parse_payload(seal).to_json()
    assert result(doc, "signature") == "not checked" and doc["valid"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_changed_byte_in_signed_data_fails(
    signer: tuple[object, TrustStore], data: st.DataObject
) -> None:
    seal = SEAL_CACHE.setdefault("seal", gen.make_visa_seal(signer[0]))  # type: ignore[arg-type]
    signed_len = len(vds.split(seal).signed_data)
    i = data.draw(st.integers(2, signed_len - 1))
    flip = data.draw(st.integers(1, 255))
    bad = seal[:i] + bytes([seal[i] ^ flip]) + seal[i + 1 :]
    parsed = parse_payload(bad, trust=signer[1])
    assert not parsed.valid and parsed.to_json()["keys"] == []


SEAL_CACHE: dict[str, bytes] = {}


def test_wrong_signer_key_fails(signer: tuple[object, TrustStore]) -> None:
    other_key, _ = gen.make_signer("UT", 0x1A2B3)
    doc = parse_payload(gen.make_visa_seal(other_key), trust=signer[1]).to_json()
    assert result(doc, "signature") == "failed" and not doc["valid"]


def test_unknown_certificate_reference_fails(signer: tuple[object, TrustStore]) -> None:
    seal = gen.make_visa_seal(signer[0], cert_ref="FFFFF")  # type: ignore[arg-type]
    doc = parse_payload(seal, trust=signer[1]).to_json()
    assert result(doc, "signature") == "failed"
    assert "no certificate" in next(c["detail"] for c in doc["checks"] if c["name"] == "signature")


def test_version_4_header_with_long_certificate_reference() -> None:
    key, cert = gen.make_signer("UT", 0x1234567890AB)
    seal = gen.make_visa_seal(key, version=4, cert_ref="1234567890AB")
    doc = parse_payload(seal, trust=TrustStore.of([cert])).to_json()
    assert doc["valid"] and doc["fields"]["version"] == 4
    assert doc["fields"]["certificate_reference"] == "1234567890AB"
    assert result(doc, "signature") == "ok"


def test_residence_permit_profile(signer: tuple[object, TrustStore]) -> None:
    seal = gen.make_permit_seal(signer[0])  # type: ignore[arg-type]
    doc = parse_payload(seal, trust=signer[1]).to_json()
    assert doc["valid"] and doc["fields"]["profile"] == "residence_permit", doc
    person = next(k for k in doc["keys"] if k["kind"] == "person")
    assert (person["surname"], person["given_names"], person["birth_date"]) == (
        "MUSTERMANN",
        "ERIKA",
        "1983-08-12",
    )
    assert doc["fields"]["passport_number"] == "C01X00T47"


def test_p384_signer() -> None:
    key, cert = gen.make_signer("UT", 0x1A2B3, ec.SECP384R1())
    doc = parse_payload(gen.make_visa_seal(key), trust=TrustStore.of([cert])).to_json()
    assert doc["valid"] and result(doc, "signature") == "ok"


def test_trust_folder_pem_and_der(tmp_path: Path) -> None:
    key, cert = gen.make_signer("UT", 0x1A2B3)
    (tmp_path / "signer.pem").write_bytes(cert.public_bytes(Encoding.PEM))
    (tmp_path / "signer.der").write_bytes(cert.public_bytes(Encoding.DER))
    (tmp_path / "README").write_text("not a certificate, ignored by suffix")
    trust = TrustStore.from_folder(tmp_path)
    assert len(trust.certificates) == 2
    assert parse_payload(gen.make_visa_seal(key), trust=trust).valid


def test_trust_folder_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(TrustError, match="does not exist"):
        TrustStore.from_folder(tmp_path / "missing")
    (tmp_path / "bad.pem").write_text("-----BEGIN CERTIFICATE-----\nxx\n")
    with pytest.raises(TrustError, match=r"bad\.pem"):
        TrustStore.from_folder(tmp_path)


def test_seal_with_cr_and_lf_bytes_survives_the_framer(signer: tuple[object, TrustStore]) -> None:
    key = signer[0]
    seal = b""
    for n in range(200):  # a signature with CR/LF bytes inside turns up quickly
        seal = gen.make_visa_seal(key, passport=f"L{n:08d}")  # type: ignore[arg-type]
        if b"\r" in seal[20:] or b"\n" in seal[20:]:
            break
    framer = ScanFramer("crlf")
    scans = framer.feed(b"]d1" + seal + b"\r\n" + b"CSQU3054383\r\n", 0.0)
    assert [s.data for s in scans] == [seal, b"CSQU3054383"]
    assert parse_payload(scans[0].data, trust=signer[1]).valid


def test_truncated_seal_reports_structure() -> None:
    key, _ = gen.make_signer()
    seal = gen.make_visa_seal(key)
    doc = parse_payload(seal[:-10]).to_json()
    assert doc["kind"] == "vds" and result(doc, "structure") == "failed"


# --- HC1 ---------------------------------------------------------------------------


def test_base45_rfc9285_examples() -> None:
    assert hc1.b45encode(b"AB") == "BB8"
    assert hc1.b45encode(b"Hello!!") == "%69 VD92EX0"
    assert hc1.b45encode(b"base-45") == "UJCLQE7W581"
    assert hc1.b45decode("QED8WEX0") == b"ietf!"
    with pytest.raises(ValueError):
        hc1.b45decode("GGW")  # 65535 < value: out of range


def test_hc1_verifies_with_kid(signer: tuple[object, TrustStore]) -> None:
    key, trust = signer
    kid = cose_kid(trust.certificates[0])
    doc = parse_payload(gen.make_hc1(key, kid), "qrcode", trust=trust).to_json()  # type: ignore[arg-type]
    assert doc["kind"] == "hc1" and doc["valid"], doc
    assert result(doc, "signature") == "ok"
    assert doc["fields"]["algorithm"] == "ES256" and doc["fields"]["kid"] == kid.hex()
    assert doc["keys"][0]["surname"] == "ERIKSSON" and doc["keys"][0]["given_names"] == "ANNA MARIA"


def test_hc1_wrong_key_unknown_kid_and_no_trust(signer: tuple[object, TrustStore]) -> None:
    key, trust = signer
    other, _ = gen.make_signer()
    kid = cose_kid(trust.certificates[0])
    assert result(parse_payload(gen.make_hc1(other, kid), trust=trust).to_json(), "signature") == (
        "failed"
    )
    unknown = parse_payload(gen.make_hc1(key, b"12345678"), trust=trust).to_json()  # type: ignore[arg-type]
    assert result(unknown, "signature") == "failed" and not unknown["valid"]
    plain = parse_payload(gen.make_hc1(key, kid)).to_json()  # type: ignore[arg-type]
    assert result(plain, "signature") == "not checked" and plain["valid"]


def test_hc1_expired_is_a_warning(signer: tuple[object, TrustStore]) -> None:
    key, trust = signer
    text = gen.make_hc1(key, cose_kid(trust.certificates[0]), expires=1_600_000_000)  # type: ignore[arg-type]
    parsed = parse_payload(text, trust=trust)
    assert parsed.valid and "certificate has expired" in parsed.warnings


@pytest.mark.parametrize("form", ["cwt", "sign1", "bare"])
def test_hc1_cwt_tag_forms_issuers_use(signer: tuple[object, TrustStore], form: str) -> None:
    key, trust = signer
    text = gen.make_hc1(key, cose_kid(trust.certificates[0]), form=form)  # type: ignore[arg-type]
    doc = parse_payload(text, trust=trust).to_json()
    assert doc["valid"] and result(doc, "signature") == "ok", doc


def test_hc1_algorithm_only_from_the_protected_header(signer: tuple[object, TrustStore]) -> None:
    key, trust = signer
    kid = cose_kid(trust.certificates[0])
    # attack: the algorithm moved to the unprotected header, which no signature covers
    moved = gen.make_hc1(key, kid, protected={4: kid}, unprotected={1: -7})  # type: ignore[arg-type]
    doc = parse_payload(moved, trust=trust).to_json()
    assert not doc["valid"] and result(doc, "signature") == "failed"
    assert "no algorithm in the protected header" in _detail(doc, "signature")
    # a contradicting unprotected algorithm is ignored (and said so)
    both = gen.make_hc1(key, kid, unprotected={1: -37})  # type: ignore[arg-type]
    parsed = parse_payload(both, trust=trust)
    assert parsed.valid and parsed.fields["algorithm"] == "ES256"
    assert "an algorithm in the unprotected header was ignored" in parsed.warnings


def test_hc1_expired_or_not_yet_valid_signer_is_refused() -> None:
    for days, why in (((-800, -30), "not valid now"), ((5, 900), "not valid now")):
        key, cert = gen.make_signer(valid_days=days)
        doc = parse_payload(
            gen.make_hc1(key, cose_kid(cert)), trust=TrustStore.of([cert])
        ).to_json()
        assert result(doc, "signature") == "ok" and not doc["valid"]
        assert result(doc, "signer certificate") == "failed"
        assert why in _detail(doc, "signer certificate")
    key, cert = gen.make_signer(valid_days=(-10, 900))  # issued before the certificate began
    old = int(dt.datetime.now(dt.UTC).timestamp()) - 40 * 86400
    doc = parse_payload(
        gen.make_hc1(key, cose_kid(cert), issued=old), trust=TrustStore.of([cert])
    ).to_json()
    assert not doc["valid"] and "not valid at issue (iat)" in _detail(doc, "signer certificate")


@pytest.mark.parametrize(
    ("usages", "ok"),
    [
        ((), True),  # no DCC usage named: may sign every type
        (("1.3.6.1.4.1.1847.2021.1.2",), True),  # vaccination
        (("1.3.6.1.4.1.0.1847.2021.1.2",), True),  # the spelling some issuers used
        (("1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.1847.2021.1.3"), False),  # test, recovery
        (("1.3.6.1.5.5.7.3.4",), True),  # e-mail protection only: no DCC usage named
    ],
)
def test_hc1_signer_extended_key_usage(usages: tuple[str, ...], ok: bool) -> None:
    key, cert = gen.make_signer(usages=usages)
    doc = parse_payload(gen.make_hc1(key, cose_kid(cert)), trust=TrustStore.of([cert])).to_json()
    assert doc["valid"] is ok and result(doc, "signature") == "ok"
    if not ok:
        detail = _detail(doc, "signer certificate")
        assert "may not sign vaccination (may sign: recovery, test)" in detail


def _detail(doc: dict[str, object], name: str) -> str:
    return {c["name"]: c["detail"] for c in doc["checks"]}[name]  # type: ignore[attr-defined, index]


def test_hc1_zip_bomb_is_refused() -> None:
    bomb = hc1.PREFIX + hc1.b45encode(zlib.compress(b"\x00" * 1_000_000, 9))
    assert len(bomb) < 8192
    doc = parse_payload(bomb).to_json()
    assert doc["kind"] == "hc1" and not doc["valid"]
    assert "inflates to more than" in doc["checks"][0]["detail"]


def test_hc1_not_cose() -> None:
    text = hc1.PREFIX + hc1.b45encode(zlib.compress(cbor2.dumps({"a": 1})))
    doc = parse_payload(text).to_json()
    assert doc["kind"] == "hc1" and result(doc, "structure") == "failed"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=hc1.ALPHABET, max_size=120))
def test_hc1_arbitrary_base45_never_raises(body: str) -> None:
    parse_payload(hc1.PREFIX + body).to_json()
