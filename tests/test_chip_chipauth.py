"""Chip authentication with DG14's DH key (``id-PK-DH``, X9.42 parameters): the simulated chip
proves it holds the key after BAC or PACE, in both versions (3DES and AES); a clone with its
own key fails, and that makes the document not genuine even though its data is signed.
PACE with chip-authentication mapping: the chip proves DG14's EC key during PACE itself.
The ICAO worked examples have no values for either, so these are round trips against our
simulated chip."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from drivers.chip.chipauth import ID_CA_DH, chip_auth_key, session_keys
from drivers.chip.crypto import CipherKind
from drivers.chip.domain import DhGroup, domain
from drivers.chip.lds import FID_COM, FID_OF_DG, FID_SOD
from drivers.chip.passive import TrustSet
from drivers.chip.personalise import DAY, make_csca, make_dg14, make_signer, make_sod
from drivers.chip.reader import read_document
from drivers.chip.sim import ECDH_CAM_AES128, ECDH_GM_AES128, SimulatedChip
from drivers.chip.tlv import ChipFormatError, encode
from edge.chip.verify import verdict
from tests.conftest import borderpost
from tests.test_chip_sim import KEY, LINES

NOW = dt.datetime.now(dt.UTC)
GROUP = domain(0)  # RFC 5114 1024-bit MODP group, 160-bit subgroup
assert isinstance(GROUP, DhGroup)
PRIVATE = secrets.randbelow(GROUP.q - 2) + 1


def _document(version: int, dg14: bytes | None = None) -> dict[str, Any]:
    dgs = {1: encode(0x61, encode(0x5F1F, "".join(LINES).encode())),
           14: dg14 or make_dg14(GROUP, PRIVATE, version)}  # fmt: skip
    csca = make_csca("NL", NOW - 800 * DAY)
    sod = make_sod(dgs, make_signer(csca, "NL", NOW - DAY, NOW + 3650 * DAY))
    com = encode(0x60, encode(0x5F01, b"0107") + encode(0x5C, b"\x61\x6e"))
    files = {FID_COM: com, FID_SOD: sod} | {FID_OF_DG[n]: raw for n, raw in dgs.items()}
    return {"files": files, "trust": TrustSet((csca.cert,)), "csca": csca.certificate}


def test_dg14_dh_key_is_read() -> None:
    key = chip_auth_key(make_dg14(GROUP, PRIVATE, 2))
    assert key is not None and key.protocol == ID_CA_DH + ".2" and key.kind is CipherKind.AES128
    assert key.group == DhGroup(-1, GROUP.p, GROUP.g, GROUP.q)
    assert int.from_bytes(key.public, "big") == pow(GROUP.g, PRIVATE, GROUP.p)
    old = chip_auth_key(make_dg14(GROUP, PRIVATE, 1))
    assert old is not None and old.kind is CipherKind.TDES


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("pace", [None, ECDH_GM_AES128], ids=["BAC", "PACE"])
def test_dh_chip_authentication_genuine_and_clone(version: int, pace: Any) -> None:
    doc = _document(version)
    genuine = read_document(
        SimulatedChip(doc["files"], KEY, pace=pace, ca_key=PRIVATE).transmit, KEY
    )
    clone = read_document(
        SimulatedChip(doc["files"], KEY, pace=pace, ca_key=PRIVATE + 1).transmit, KEY
    )
    assert genuine.chip_authentication == "ok" and clone.chip_authentication == "failed"
    ok = verdict(genuine.files, doc["trust"], NOW, LINES, None, genuine.chip_authentication)
    assert ok["passive_authentication"] == "ok" and ok["chip_authentication"] == "ok"
    assert ok["genuine"] and not ok["reasons"]
    copied = verdict(clone.files, doc["trust"], NOW, LINES, None, clone.chip_authentication)
    assert copied["passive_authentication"] == "ok" and not copied["genuine"]
    assert copied["reasons"] == [
        "the chip failed chip authentication: it does not hold the key of DG14, "
        "so it is a copy of the signed data on another chip"
    ]


def test_dh_peer_value_out_of_range_is_refused() -> None:
    for bad in (b"\x00" * GROUP.size, (GROUP.p - 1).to_bytes(GROUP.size, "big")):
        with pytest.raises(ChipFormatError, match="out of range"):
            session_keys(CipherKind.AES128, GROUP, PRIVATE, bad)


def test_pace_cam_proves_the_chip_during_pace() -> None:
    curve = domain(ECDH_CAM_AES128.param_id)  # the PACE curve carries DG14's key
    assert not isinstance(curve, DhGroup)
    private = secrets.randbelow(curve.n - 2) + 1
    doc = _document(2, make_dg14(curve, private))
    chip = SimulatedChip(doc["files"], KEY, pace=ECDH_CAM_AES128, ca_key=private)
    genuine = read_document(chip.transmit, KEY)
    assert genuine.access == "PACE ECDH-CAM AES" and genuine.chip_authentication == "ok"
    plain_gm = read_document(
        SimulatedChip(doc["files"], KEY, pace=ECDH_GM_AES128, ca_key=private).transmit, KEY
    )
    assert genuine.apdus < plain_gm.apdus  # no second protocol run after PACE
    clone = SimulatedChip(doc["files"], KEY, pace=ECDH_CAM_AES128, ca_key=private + 1)
    copied = read_document(clone.transmit, KEY)
    assert copied.chip_authentication == "failed"
    out = verdict(copied.files, doc["trust"], NOW, LINES, None, copied.chip_authentication)
    assert out["passive_authentication"] == "ok" and not out["genuine"]


def test_chip_read_sim_cam_command(tmp_path: Path) -> None:
    """`chip read --sim DIR --sim-cam --sim-ca-key FILE`, a real process, our own PKI."""
    key = ec.generate_private_key(ec.BrainpoolP256R1())
    (tmp_path / "ca.pkcs8").write_bytes(
        key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    )
    curve = domain(13)
    assert not isinstance(curve, DhGroup)
    doc = _document(2, make_dg14(curve, key.private_numbers().private_value))
    folder = tmp_path / "doc"
    folder.mkdir()
    names = {
        FID_COM: "com.bin",
        FID_SOD: "sod.bin",
        FID_OF_DG[1]: "dg1.bin",
        FID_OF_DG[14]: "dg14.bin",
    }
    for fid, name in names.items():
        (folder / name).write_bytes(doc["files"][fid])
    (tmp_path / "csca.der").write_bytes(doc["csca"])
    proc = borderpost("chip", "read", "--json", "--sim", str(folder), "--sim-cam", "--sim-ca-key",
                      str(tmp_path / "ca.pkcs8"), "--mrz", LINES[0], "--mrz", LINES[1],
                      "--csca", str(tmp_path / "csca.der"))  # fmt: skip
    out = json.loads(proc.stdout)
    assert proc.returncode == 0, (out["reasons"], proc.stderr)
    assert out["access"] == "PACE ECDH-CAM AES" and out["chip_authentication"] == "ok"
    refused = borderpost("chip", "read", "--sim", str(folder), "--sim-cam", "--mrz", LINES[0],
                         "--mrz", LINES[1])  # fmt: skip
    assert refused.returncode == 2 and "needs DG14's private key" in refused.stderr
