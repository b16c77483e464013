"""Reading a simulated chip: BAC and PACE, secure messaging both ways, the short-read
fallback, active authentication counted only after passive authentication, `chip read`."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.chip.apdu import CommandApdu, ResponseApdu
from drivers.chip.bac import AccessDenied, mrz_information
from drivers.chip.crypto import CipherKind
from drivers.chip.lds import FID_COM, FID_OF_DG, FID_SOD
from drivers.chip.passive import TrustSet
from drivers.chip.personalise import DAY, make_csca, make_signer, make_sod
from drivers.chip.reader import read_document
from drivers.chip.sim import ECDH_GM_AES128, SimulatedChip
from drivers.chip.sm import SecureChannel, SessionKeys
from drivers.chip.tlv import encode
from edge.chip.verify import verdict
from edge.cli import main
from tests.conftest import SHARED_TESTDATA

LINES = (
    "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<",
    "SPECI20142NLD6503101F2401151999999990<<<<<82",
)
KEY = mrz_information("SPECI2014", "650310", "240115")
NOW = dt.datetime.now(dt.UTC)
BSI = SHARED_TESTDATA / "emrtd" / "bsi-tr03105-dataset"


@pytest.fixture(scope="module")
def issued() -> dict[str, Any]:
    """Our own document with DG1, a 15 KB DG2, DG15 (RSA-1024 AA key), signed by our CSCA."""
    aa = rsa.generate_private_key(65537, 1024)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    dg15 = encode(0x6F, aa.public_key().public_bytes(serialization.Encoding.DER, spki))
    dgs = {1: encode(0x61, encode(0x5F1F, "".join(LINES).encode())),
           2: encode(0x75, bytes(range(256)) * 60), 15: dg15}  # fmt: skip
    csca = make_csca("NL", NOW - 800 * DAY)
    sod = make_sod(dgs, make_signer(csca, "NL", NOW - DAY, NOW + 3650 * DAY))
    com = encode(0x60, encode(0x5F01, b"0107") + encode(0x5C, b"\x61\x75\x6f"))
    files = {FID_COM: com, FID_SOD: sod} | {FID_OF_DG[n]: raw for n, raw in dgs.items()}
    return {"files": files, "aa": aa, "csca": csca, "dgs": dgs}


def test_bac_read_gives_the_files(issued: dict[str, Any]) -> None:
    chip = SimulatedChip(issued["files"], KEY, aa_key=issued["aa"])
    read = read_document(chip.transmit, KEY)
    assert read.access == "BAC" and read.files.data_groups == issued["dgs"]
    assert read.files.sod == issued["files"][FID_SOD]


def test_pace_read_and_the_short_read_fallback(issued: dict[str, Any]) -> None:
    chip = SimulatedChip(issued["files"], KEY, pace=ECDH_GM_AES128, short_only=True)
    read = read_document(chip.transmit, KEY)
    assert read.access == "PACE ECDH-GM AES" and read.files.data_groups == issued["dgs"]
    extended = read_document(SimulatedChip(issued["files"], KEY, pace=ECDH_GM_AES128).transmit, KEY)
    assert extended.apdus < read.apdus  # 15 KB in one or two extended reads instead of 70 short


@pytest.mark.parametrize("pace", [None, ECDH_GM_AES128])
def test_wrong_mrz_is_refused(issued: dict[str, Any], pace: Any) -> None:
    chip = SimulatedChip(issued["files"], KEY, pace=pace)
    with pytest.raises(AccessDenied):
        read_document(chip.transmit, mrz_information("SPECI2014", "650310", "240116"))


def test_active_authentication_counts_only_after_passive(issued: dict[str, Any]) -> None:
    trust = TrustSet((issued["csca"].cert,))
    genuine = read_document(SimulatedChip(issued["files"], KEY, aa_key=issued["aa"]).transmit, KEY)
    assert (
        verdict(genuine.files, trust, NOW, LINES, genuine.active)["active_authentication"] == "ok"
    )
    clone = SimulatedChip(issued["files"], KEY, aa_key=rsa.generate_private_key(65537, 1024))
    cloned = read_document(clone.transmit, KEY)
    out = verdict(cloned.files, trust, NOW, LINES, cloned.active)
    assert out["passive_authentication"] == "ok" and out["active_authentication"] == "failed"
    unproven = verdict(genuine.files, TrustSet(), NOW, LINES, genuine.active)
    assert unproven["active_authentication"] == "not_counted"


@pytest.mark.skipif(not BSI.exists(), reason="BSI reference data set not in ../shared/testdata")
def test_chip_read_command(tmp_path: Path) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["chip", "read", "--json", "--sim", str(BSI), "--sim-pace",
                     "--at", "2014-06-01",
                     "--document-number", "C11T002JM", "--birth", "960812", "--expiry", "231031",
                     "--out", str(tmp_path / "read")])  # fmt: skip
    result = json.loads(out.getvalue())
    assert code == 1 and result["access"] == "PACE ECDH-GM AES"
    assert (result["hashes_ok"], result["sod_signature_ok"], result["csca"]) == (
        True,
        True,
        "unknown",
    )
    assert sorted(result["data_groups"]) == [
        "DG1",
        "DG14",
        "DG2",
    ]  # EF.COM lists no DG15; DG3/4 need EAC
    assert (tmp_path / "read" / "dg2.bin").read_bytes() == (BSI / "Datagroup2.bin").read_bytes()


KEYS = SessionKeys(CipherKind.TDES, bytes(range(16)), bytes(range(16, 32)), 0x1122334455667788)


@settings(max_examples=50)
@given(st.binary(max_size=300), st.sampled_from([None, 4, 256, 1000]), st.integers(0, 0xFFFF))
def test_secure_messaging_both_ways(data: bytes, ne: int | None, sw: int) -> None:
    terminal, chip = SecureChannel(KEYS), SecureChannel(KEYS)
    cmd = CommandApdu(0x00, 0xB0, 1, 2, data, ne)
    assert chip.unprotect_command(terminal.protect(cmd).to_bytes()) == cmd
    assert terminal.unprotect(chip.protect_response(ResponseApdu(data, sw))) == ResponseApdu(
        data, sw
    )


@settings(max_examples=100)
@given(st.lists(st.binary(max_size=60), max_size=6))
def test_simulated_chip_answers_garbage(commands: list[bytes]) -> None:
    chip = SimulatedChip({FID_COM: encode(0x60, b"")}, KEY, pace=ECDH_GM_AES128)
    for raw in commands:
        assert len(chip.transmit(raw)) >= 2


def bsi_ca_key() -> int:
    from asn1crypto import keys

    info = keys.PrivateKeyInfo.load((BSI / "DG14_sk.pkcs8").read_bytes())
    return int(info["private_key"].parsed["private_key"].native)


@pytest.mark.skipif(not BSI.exists(), reason="BSI reference data set not in ../shared/testdata")
@pytest.mark.parametrize("pace", [None, ECDH_GM_AES128])
def test_chip_authentication_with_the_dg14_key(pace: Any) -> None:
    files = {FID_COM: (BSI / "EF_COM.bin").read_bytes(), FID_SOD: (BSI / "EF_SOD.bin").read_bytes()}
    files |= {FID_OF_DG[n]: (BSI / f"Datagroup{n}.bin").read_bytes() for n in (1, 14)}
    key = mrz_information("C11T002JM", "960812", "231031")
    genuine = read_document(SimulatedChip(files, key, pace=pace, ca_key=bsi_ca_key()).transmit, key)
    assert genuine.chip_authentication == "ok"
    clone = read_document(
        SimulatedChip(files, key, pace=pace, ca_key=bsi_ca_key() + 1).transmit, key
    )
    assert clone.chip_authentication == "failed"


@pytest.mark.skipif(not BSI.exists(), reason="BSI reference data set not in ../shared/testdata")
def test_chip_authentication_counts_only_after_passive() -> None:
    dgs = {1: encode(0x61, encode(0x5F1F, "".join(LINES).encode())),
           14: (BSI / "Datagroup14.bin").read_bytes()}  # fmt: skip
    csca = make_csca("NL", NOW - 800 * DAY)
    sod = make_sod(dgs, make_signer(csca, "NL", NOW - DAY, NOW + 3650 * DAY))
    com = encode(0x60, encode(0x5F01, b"0107") + encode(0x5C, b"\x61\x6e"))
    files = {FID_COM: com, FID_SOD: sod} | {FID_OF_DG[n]: raw for n, raw in dgs.items()}
    read = read_document(SimulatedChip(files, KEY, ca_key=bsi_ca_key()).transmit, KEY)
    out = verdict(read.files, TrustSet((csca.cert,)), NOW, LINES, None, read.chip_authentication)
    assert out["passive_authentication"] == "ok" and out["chip_authentication"] == "ok"
    unproven = verdict(read.files, TrustSet(), NOW, LINES, None, read.chip_authentication)
    assert unproven["chip_authentication"] == "not_counted"
