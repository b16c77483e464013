"""EF.COM, the data groups and EF.SOD of the BSI reference passport; mutated files fail cleanly."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.chip.face import decode_face
from drivers.chip.lds import (
    FaceImage,
    dg_number,
    parse_com,
    parse_dg1,
    parse_dg2,
    parse_dg14,
    parse_dg15,
    parse_text_dg,
)
from drivers.chip.sod import parse_sod
from drivers.chip.tlv import ChipFormatError, encode
from drivers.mrz.parser import parse_mrz
from tests.conftest import SHARED_TESTDATA

BSI = SHARED_TESTDATA / "emrtd" / "bsi-tr03105-dataset"
needs_bsi = pytest.mark.skipif(
    not BSI.exists(), reason="BSI TR-03105 reference data set not found in ../shared/testdata/emrtd"
)


def bsi(name: str) -> bytes:
    return (BSI / name).read_bytes()


@needs_bsi
def test_ef_com() -> None:
    com = parse_com(bsi("EF_COM.bin"))
    assert (com.lds_version, com.unicode_version, com.data_groups) == (
        "0107",
        "040000",
        (1, 2, 3, 4, 14),
    )


@needs_bsi
def test_dg1_is_the_erika_mustermann_mrz() -> None:
    lines = parse_dg1(bsi("Datagroup1.bin"))
    mrz = parse_mrz(lines)
    assert (mrz.surname, mrz.document_number, mrz.birth_date) == (
        "MUSTERMANN",
        "C11T002JM",
        "1996-08-12",
    )


@needs_bsi
def test_dg2_face_decodes_from_jpeg2000() -> None:
    (face,) = parse_dg2(bsi("Datagroup2.bin"))
    assert face.format == "jpeg2000" and face.data[:8].hex() == "0000000c6a502020"
    image = decode_face(face)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 300


def test_dg2_face_decodes_from_jpeg(tmp_path: Path) -> None:
    import cv2
    import numpy as np

    ok, jpeg = cv2.imencode(".jpg", np.full((40, 30, 3), 128, np.uint8))
    assert ok
    face = FaceImage("jpeg", 30, 40, jpeg.tobytes())
    assert decode_face(face).shape == (40, 30, 3)
    with pytest.raises(ChipFormatError, match="does not decode"):
        decode_face(FaceImage("jpeg", 30, 40, jpeg.tobytes()[:20]))


@needs_bsi
def test_dg14_and_dg15() -> None:
    security = parse_dg14(bsi("Datagroup14.bin"))
    assert "0.4.0.127.0.7.2.2.3.2.1" in security.protocols  # id-CA-ECDH-3DES-CBC-CBC
    assert len(security.public_keys) == 1
    assert parse_dg15(bsi("Datagroup15.bin"))["algorithm"]["algorithm"].native == "rsa"


def test_dg11_and_dg12_text_fields() -> None:
    dg11 = encode(
        0x6B,
        encode(0x5C, b"\x5f\x0e\x5f\x11")
        + encode(0x5F0E, "ÖZ<<ÄLİ".encode())
        + encode(0x5F11, b"BERLIN"),
    )
    assert parse_text_dg(dg11) == {"full_name": "ÖZ<<ÄLİ", "place_of_birth": "BERLIN"}
    dg12 = encode(0x6C, encode(0x5F19, b"STADT KOELN") + encode(0x5F26, b"20200101"))
    assert parse_text_dg(dg12)["issuing_authority"] == "STADT KOELN"
    with pytest.raises(ChipFormatError, match="not a text data group"):
        parse_text_dg(encode(0x61, b""))


@needs_bsi
def test_sod_hashes_match_the_files() -> None:
    sod = parse_sod(bsi("EF_SOD.bin"))
    assert sod.hash_algorithm == "sha256" and sorted(sod.hashes) == [1, 2, 3, 4, 14]
    for number, name in ((1, "Datagroup1.bin"), (2, "Datagroup2.bin"), (14, "Datagroup14.bin")):
        assert hashlib.sha256(bsi(name)).digest() == sod.hashes[number]
    assert 15 not in sod.hashes
    cert = sod.signer_certificate
    assert cert is not None and cert.subject.native["common_name"] == "HJP PB DS"


PARSERS = {
    "EF_COM.bin": parse_com,
    "Datagroup1.bin": parse_dg1,
    "Datagroup2.bin": parse_dg2,
    "Datagroup14.bin": parse_dg14,
    "Datagroup15.bin": parse_dg15,
    "EF_SOD.bin": parse_sod,
}


@needs_bsi
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(PARSERS)), st.data())
def test_mutated_files_fail_cleanly(name: str, data: st.DataObject) -> None:
    raw = bytearray(bsi(name))
    cut = data.draw(st.integers(0, len(raw)), label="truncate at")
    flips = data.draw(st.lists(st.integers(0, len(raw) - 1), max_size=3), label="flipped bytes")
    for pos in flips:
        raw[pos] ^= data.draw(st.integers(1, 255))
    with contextlib.suppress(ChipFormatError):
        PARSERS[name](bytes(raw[:cut] if data.draw(st.booleans()) else raw))


@given(st.binary(max_size=60))
def test_random_bytes_fail_cleanly(raw: bytes) -> None:
    for parser in (*PARSERS.values(), parse_text_dg, dg_number):
        with contextlib.suppress(ChipFormatError):
            parser(raw)
