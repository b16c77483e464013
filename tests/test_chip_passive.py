"""Passive authentication: our own test PKI for every outcome, and the published master lists."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.chip.deviation import DeviationListError, parse_deviation_list
from drivers.chip.masterlist import MasterListError, parse_master_list
from drivers.chip.passive import PassiveResult, TrustSet, passive_authentication
from drivers.chip.personalise import (
    DAY,
    Issuer,
    make_crl,
    make_csca,
    make_deviation_list,
    make_signer,
    make_sod,
)
from drivers.chip.pki import load_certificate
from drivers.chip.tlv import ChipFormatError, encode
from edge.chip.store import CscaStore
from tests.conftest import SHARED_TESTDATA

EMRTD = SHARED_TESTDATA / "emrtd"
ML = EMRTD / "master-lists"
needs_emrtd = pytest.mark.skipif(not EMRTD.exists(), reason="../shared/testdata/emrtd not found")
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
MRZ = "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<SPECI20142NLD6503101F2401151999999990<<<<<82"
DGS = {
    1: encode(0x61, encode(0x5F1F, MRZ.encode())),
    2: encode(0x75, b"\x7f\x61\x00"),
    14: encode(0x6E, b"\x31\x00"),
}


@pytest.fixture(scope="module")
def csca() -> Issuer:
    return make_csca("NL", NOW - 800 * DAY)


@pytest.fixture(scope="module")
def signer(csca: Issuer) -> Issuer:
    return make_signer(csca, "NL", NOW - 100 * DAY, NOW + 3650 * DAY)


def check(
    sod: bytes, trust: TrustSet, dgs: dict[int, bytes] = DGS, issuer: str = "NLD"
) -> PassiveResult:
    return passive_authentication(sod, dgs, trust, NOW, issuer)


def test_genuine_document_passes(csca: Issuer, signer: Issuer) -> None:
    result = check(make_sod(DGS, signer), TrustSet((csca.cert,)))
    assert (result.hashes_ok, result.sod_signature_ok, result.csca) == (True, True, "ok")
    assert result.passive_authentication == "ok" and result.reasons == ()
    assert all(c.hash_ok for c in result.data_groups.values())


def test_tampered_data_group_is_refused(csca: Issuer, signer: Issuer) -> None:
    sod = make_sod(DGS, signer)
    tampered = {**DGS, 1: DGS[1].replace(b"WILLEKE", b"WILLEMS")}
    result = check(sod, TrustSet((csca.cert,)), tampered)
    assert result.passive_authentication == "failed" and not result.hashes_ok
    assert not result.data_groups[1].hash_ok and result.data_groups[2].hash_ok
    assert result.reasons == ("DG1 does not match its hash in the SOD: the data was altered",)


def test_unsigned_data_group_is_flagged(csca: Issuer, signer: Issuer) -> None:
    sod = make_sod({1: DGS[1]}, signer)
    result = check(sod, TrustSet((csca.cert,)), {1: DGS[1], 15: encode(0x6F, b"")})
    assert result.passive_authentication == "failed"
    assert "DG15 is present but not signed" in result.reasons[0]


def test_wrong_signature_is_refused(csca: Issuer, signer: Issuer) -> None:
    sod = bytearray(make_sod(DGS, signer))
    sod[-10] ^= 0x40  # inside the ECDSA signature value
    result = check(bytes(sod), TrustSet((csca.cert,)))
    assert not result.sod_signature_ok and result.passive_authentication == "failed"
    assert any("SOD signature is not valid" in r for r in result.reasons)


def test_signer_with_a_foreign_key_is_refused(csca: Issuer) -> None:
    impostor_csca = make_csca("NL", NOW - 800 * DAY)  # same name, other key
    forged = make_signer(impostor_csca, "NL", NOW - DAY, NOW + 100 * DAY)
    result = check(make_sod(DGS, forged), TrustSet((csca.cert,)))
    assert result.csca == "failed" and result.passive_authentication == "failed"
    assert "does not verify with its CSCA's key" in result.reasons[0]


def test_unknown_csca(signer: Issuer) -> None:
    other = make_csca("BE", NOW - 800 * DAY, cn="Other CSCA")
    result = check(make_sod(DGS, signer), TrustSet((other.cert,)))
    assert (result.csca, result.passive_authentication) == ("unknown", "no_csca")
    assert result.hashes_ok and result.sod_signature_ok
    assert "no CSCA certificate" in result.reasons[0]


def test_expired_signer_is_refused(csca: Issuer) -> None:
    old = make_signer(csca, "NL", NOW - 400 * DAY, NOW - DAY)
    result = check(make_sod(DGS, old), TrustSet((csca.cert,)))
    assert result.passive_authentication == "failed"
    assert result.reasons == (f"the document signer certificate expired on {(NOW - DAY):%Y-%m-%d}",)


def test_revoked_signer_is_refused(csca: Issuer, signer: Issuer, tmp_path: Path) -> None:
    (tmp_path / "csca.der").write_bytes(csca.certificate)
    (tmp_path / "csca.crl").write_bytes(make_crl(csca, [signer.cert.serial_number], NOW - DAY))
    store = CscaStore()
    store.add_csca(*_file(tmp_path / "csca.der"))
    store.add_crl(*_file(tmp_path / "csca.crl"))
    result = check(make_sod(DGS, signer), store.trust_set())
    assert result.passive_authentication == "failed"
    assert "is revoked by its CSCA's CRL" in result.reasons[0]


def test_crl_by_someone_else_does_not_revoke(csca: Issuer, signer: Issuer, tmp_path: Path) -> None:
    impostor = make_csca("NL", NOW - 800 * DAY)
    (tmp_path / "bad.crl").write_bytes(make_crl(impostor, [signer.cert.serial_number], NOW))
    (tmp_path / "csca.der").write_bytes(csca.certificate)
    store = CscaStore()
    store.add_csca(*_file(tmp_path / "csca.der"))
    with pytest.raises(ValueError, match="no CSCA in the store signed this CRL"):
        store.add_crl(*_file(tmp_path / "bad.crl"))
    assert check(make_sod(DGS, signer), store.trust_set()).passive_authentication == "ok"


def test_signer_country_must_match_the_mrz(csca: Issuer, signer: Issuer) -> None:
    result = check(make_sod(DGS, signer), TrustSet((csca.cert,)), issuer="BEL")
    assert result.passive_authentication == "failed"
    assert "MRZ names issuing state 'BEL'" in result.reasons[0]


def test_unreadable_sod() -> None:
    result = check(b"\x77\x03\x30\x01\x00", TrustSet())
    assert (
        result.passive_authentication == "failed" and "EF.SOD cannot be read" in result.reasons[0]
    )


def test_store_round_trip(csca: Issuer, tmp_path: Path) -> None:
    (tmp_path / "c.der").write_bytes(csca.certificate)
    store = CscaStore(tmp_path / "store")
    store.add_csca(*_file(tmp_path / "c.der"))
    store.save()
    again = CscaStore.load(tmp_path / "store")
    assert list(again.cscas) == list(store.cscas) and again.sources[0]["kind"] == "csca"


@needs_emrtd
def test_bsi_document_has_no_public_csca() -> None:
    bsi = EMRTD / "bsi-tr03105-dataset"
    dgs = {n: (bsi / f"Datagroup{n}.bin").read_bytes() for n in (1, 2, 14)}
    at = dt.datetime(2014, 6, 1, tzinfo=dt.UTC)
    result = passive_authentication((bsi / "EF_SOD.bin").read_bytes(), dgs, TrustSet(), at, "D<<")
    assert (result.hashes_ok, result.sod_signature_ok) == (True, True)  # RSASSA-PSS
    assert (result.csca, result.passive_authentication) == ("unknown", "no_csca")


@needs_emrtd
@pytest.mark.parametrize(
    ("name", "root", "count"),
    [
        ("DE_ML_2026-05-28-08-28-45.ml", "DE_ROOT_CA_CSCA07.cer", 588),
        ("NL_ML_2026-07-22.ml", "NL_ROOT_CA.cer", 411),
        ("DE_ML_2024-08-07-07-38-24.ml", "DE_CSCA_2021_serial048B_from_DE_ML_2024-08-07.cer", 541),
    ],
)
def test_published_master_lists_import(name: str, root: str, count: int) -> None:
    ml = parse_master_list((ML / name).read_bytes(), [load_certificate((ML / root).read_bytes())])
    assert len(ml.certificates) == count and ml.anchored


@needs_emrtd
def test_master_list_against_the_wrong_root_is_refused() -> None:
    root = load_certificate((ML / "DE_ROOT_CA_CSCA07.cer").read_bytes())
    with pytest.raises(MasterListError, match="not issued by any of the trust roots"):
        parse_master_list((ML / "DE_ML_2024-08-07-07-38-24.ml").read_bytes(), [root])


@needs_emrtd
def test_tampered_master_list_is_refused() -> None:
    raw = bytearray((ML / "NL_ML_2026-07-22.ml").read_bytes())
    raw[len(raw) // 2] ^= 1
    with pytest.raises(MasterListError):
        parse_master_list(bytes(raw), [load_certificate((ML / "NL_ROOT_CA.cer").read_bytes())])


@needs_emrtd
def test_estonian_csca_and_crl(tmp_path: Path) -> None:
    store = CscaStore()
    for name in ("csca_Estonia_2007.cer", "csca_Estonia_2020.der"):  # PEM and DER
        store.add_csca(*_file(EMRTD / "estonia" / name))
    revocations = store.add_crl(*_file(EMRTD / "estonia" / "csca.crl"))
    assert len(revocations["tbs_cert_list"]["revoked_certificates"]) == 7


@needs_emrtd
def test_estonian_deviation_list() -> None:
    est = EMRTD / "estonia"
    cscas = [
        load_certificate((est / f).read_bytes())
        for f in ("csca_Estonia_2016.cer", "csca_Estonia_2020.der")
    ]
    raw = (est / "erpdeviationlist.bin").read_bytes()
    listed = parse_deviation_list(raw, cscas)
    assert len(listed.documents) == 169_422 and listed.country == "EE"
    assert listed.documents["BB0000001"] == ("2.23.136.1.1.7.2.3",)
    with pytest.raises(DeviationListError, match="not issued by a trusted CSCA"):
        parse_deviation_list(raw, cscas[1:])
    flipped = bytearray(raw)
    flipped[100_000] ^= 1
    with pytest.raises(DeviationListError, match="digest does not match"):
        parse_deviation_list(bytes(flipped), cscas)


@needs_emrtd
def test_store_keeps_deviation_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Estonia's list saved with the store is checked again and applies after loading; one
    altered on disk is left out; the same list twice is kept once; the size is bounded."""
    est = EMRTD / "estonia"
    store = CscaStore(tmp_path / "csca")
    for name in ("csca_Estonia_2016.cer", "csca_Estonia_2020.der"):
        store.add_csca(*_file(est / name))
    for _ in range(2):
        store.add_deviation_list(*_file(est / "erpdeviationlist.bin"))
    store.save()
    loaded = CscaStore.load(tmp_path / "csca")
    assert len(loaded.deviations) == 1
    assert loaded.deviations_for("BB0000001", "EE") == ["2.23.136.1.1.7.2.3"]
    (saved,) = (tmp_path / "csca" / "deviation").glob("*.der")
    flipped = bytearray(saved.read_bytes())
    flipped[100_000] ^= 1
    saved.write_bytes(bytes(flipped))
    assert CscaStore.load(tmp_path / "csca").deviations == []
    monkeypatch.setattr("edge.chip.store.MAX_DEVIATION_LIST", 1 << 20)
    with pytest.raises(ChipFormatError, match="too large"):
        CscaStore().add_deviation_list(*_file(est / "erpdeviationlist.bin"))


def test_listed_document_is_reported_not_passed(
    csca: Issuer, signer: Issuer, tmp_path: Path
) -> None:
    from edge.chip.verify import add_deviations

    (tmp_path / "csca.der").write_bytes(csca.certificate)
    list_signer = make_signer(csca, "NL", NOW - DAY, NOW + 30 * DAY, cn="Deviation List Signer")
    (tmp_path / "dl.bin").write_bytes(make_deviation_list(["SPECI2014", "SPECI2015"], list_signer))
    store = CscaStore()
    store.add_csca(*_file(tmp_path / "csca.der"))
    store.add_deviation_list(*_file(tmp_path / "dl.bin"))
    out = {"mrz": [MRZ[:44], MRZ[44:]], "document_signer_country": "NL", "reasons": []}
    add_deviations(out, store.deviations_for)
    assert out["deviations"] == ["2.23.136.1.1.7.2.3"]
    assert out["reasons"] == [
        "document SPECI2014 is on the deviation list of 'NL' (2.23.136.1.1.7.2.3): "
        "its issuer declared a defect in this document"
    ]
    other = {"mrz": [MRZ[:44], MRZ[44:]], "document_signer_country": "BE", "reasons": []}
    add_deviations(other, store.deviations_for)
    assert other["deviations"] == [] and other["reasons"] == []


def _file(path: Path) -> tuple[str, bytes]:
    return path.name, path.read_bytes()


@settings(max_examples=40, deadline=None)
@given(st.booleans(), st.data())
def test_mutated_signed_lists_are_refused_or_read(deviation: bool, data: st.DataObject) -> None:
    """Byte flips and truncation of a deviation list and a CRL: a typed error, never a crash."""
    from edge.chip.store import load_crl

    raw = bytearray(_DEVIATION if deviation else _CRL)
    for pos in data.draw(st.lists(st.integers(0, len(raw) - 1), max_size=3)):
        raw[pos] ^= data.draw(st.integers(1, 255))
    mutated = bytes(raw[: data.draw(st.integers(0, len(raw)))])
    with contextlib.suppress(ChipFormatError):
        if deviation:
            parse_deviation_list(mutated, [_CSCA.cert])
        else:
            load_crl(mutated)


_CSCA = make_csca("NL", NOW - 800 * DAY)
_DEVIATION = make_deviation_list(["X1"], make_signer(_CSCA, "NL", NOW - DAY, NOW + DAY))
_CRL = make_crl(_CSCA, [1, 2], NOW)
