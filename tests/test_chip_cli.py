"""`borderpost chip verify` as documented in docs/chip.md, run as a real process."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from drivers.chip.personalise import DAY, make_csca, make_signer, make_sod
from drivers.chip.tlv import encode
from edge.cli import main
from tests.conftest import SHARED_TESTDATA, borderpost

EMRTD = SHARED_TESTDATA / "emrtd"
needs_emrtd = pytest.mark.skipif(not EMRTD.exists(), reason="../shared/testdata/emrtd not found")
LINES = (
    "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<",
    "SPECI20142NLD6503101F2401151999999990<<<<<82",
)
FIELDS = {"hashes_ok", "sod_signature_ok", "csca", "passive_authentication", "data_groups",
          "chip_authentication", "active_authentication", "reasons"}  # fmt: skip


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder in dg1.bin style, signed by our own CSCA, with that CSCA beside it."""
    folder = tmp_path_factory.mktemp("doc")
    now = dt.datetime.now(dt.UTC)
    csca = make_csca("NL", now - 800 * DAY)
    signer = make_signer(csca, "NL", now - DAY, now + 3650 * DAY)
    dgs = {1: encode(0x61, encode(0x5F1F, "".join(LINES).encode())), 15: encode(0x6F, b"\x30\x00")}
    (folder / "dg1.bin").write_bytes(dgs[1])
    (folder / "dg15.bin").write_bytes(dgs[15])
    (folder / "sod.bin").write_bytes(make_sod(dgs, signer))
    (folder.parent / "csca.der").write_bytes(csca.certificate)
    return folder


def verify(*args: str) -> tuple[int, dict[str, Any]]:
    """In-process for speed; the first test runs the real command."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["chip", "verify", "--json", *args])
    return code, json.loads(out.getvalue())


def test_genuine_document_matching_the_page(document: Path) -> None:
    csca = str(document.parent / "csca.der")
    proc = borderpost(
        "chip",
        "verify",
        "--json",
        str(document),
        "--csca",
        csca,
        "--mrz",
        LINES[0],
        "--mrz",
        LINES[1],
    )
    code, out = proc.returncode, json.loads(proc.stdout)
    assert code == 0 and set(out) >= FIELDS
    assert out["passive_authentication"] == "ok" and out["csca"] == "ok" and out["reasons"] == []
    assert out["data_groups"] == {
        "DG1": {"hash_ok": True, "signed": True},
        "DG15": {"hash_ok": True, "signed": True},
    }
    assert (out["chip_authentication"], out["active_authentication"]) == (
        "not_supported",
        "not_performed",
    )
    assert out["mrz_match"] == {"match": True, "mismatches": []} and out["genuine"] is True


def test_page_that_differs_from_the_chip(document: Path) -> None:
    altered = LINES[1].replace("6503101F", "6503101M")
    code, out = verify(
        str(document),
        "--csca",
        str(document.parent / "csca.der"),
        "--mrz",
        LINES[0],
        "--mrz",
        altered,
    )
    assert code == 1 and out["passive_authentication"] == "ok"
    assert out["mrz_match"]["mismatches"] == ["sex"]
    assert out["reasons"] == ["the chip's MRZ differs from the page in sex"]


def test_unknown_csca_is_not_genuine(document: Path) -> None:
    code, out = verify(str(document))
    assert code == 1 and (out["csca"], out["passive_authentication"]) == ("unknown", "no_csca")
    assert out["active_authentication"] == "not_counted"


@needs_emrtd
def test_reference_passport_with_a_master_list() -> None:
    ml = EMRTD / "master-lists"
    code, out = verify(
        str(EMRTD / "bsi-tr03105-dataset"), "--at", "2014-06-01",
        "--master-list", str(ml / "DE_ML_2026-05-28-08-28-45.ml"),
        "--trust-root", str(ml / "DE_ROOT_CA_CSCA07.cer"),
    )  # fmt: skip
    assert code == 1 and out["csca"] == "unknown" and out["sod_signature_ok"] is True
    assert out["data_groups"]["DG15"] == {"hash_ok": False, "signed": False}
    assert out["face"] == {"format": "jpeg2000", "width": 337, "height": 449}
    assert out["trust"][0]["certificates"] == 588 and out["trust"][0]["anchored"] is True


@needs_emrtd
def test_master_list_with_the_wrong_root_is_refused(document: Path) -> None:
    ml = EMRTD / "master-lists"
    proc = borderpost(
        "chip", "verify", str(document), "--master-list", str(ml / "DE_ML_2024-08-07-07-38-24.ml"),
        "--trust-root", str(ml / "DE_ROOT_CA_CSCA07.cer"),
    )  # fmt: skip
    assert proc.returncode == 2 and "not issued by any of the trust roots" in proc.stderr
