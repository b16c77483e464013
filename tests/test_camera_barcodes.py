"""Barcodes from camera frames: real encoders (segno, python-barcode, zxing-cpp writer),
frames degraded with OpenCV, read through pyzbar and zxing-cpp."""

from __future__ import annotations

import base64

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("PIL")

from drivers.camera import barcodes as bc
from drivers.camera import synth

CASES = [
    ("qrcode", "TIR CARNET XY12345678", "noise"),
    ("code128", "CSQU3054383", "none"),
    ("code39", "ABC1234", "contrast"),
    ("ean13", "590123412345", "blur"),
    ("itf", "12345678901231", "none"),
    ("datamatrix", "DC03 VISA SEAL 0001", "jpeg"),
    ("pdf417", "MRN 24FR0000012345678", "none"),
    ("aztec", "BOARDING PASS M1TEST", "glare"),
]


@pytest.fixture(scope="module")
def reader() -> bc.BarcodeReader:
    return bc.BarcodeReader()


@pytest.mark.parametrize(("symbology", "payload", "defect"), CASES)
def test_each_symbology_read_from_degraded_frame(
    reader: bc.BarcodeReader, symbology: str, payload: str, defect: str
) -> None:
    frame = synth.barcode_frame(symbology, payload, 7, defect, angle=4)
    found = [s for s in reader.read(frame) if s.symbology == symbology]
    assert found, f"{symbology} not read"
    assert payload.encode() in found[0].data
    assert found[0].decoder == bc.DEFAULT_DECODER[symbology]
    assert len(found[0].position) >= 2


def test_binary_payload_stays_bytes(reader: bc.BarcodeReader) -> None:
    data = bytes([0xDC, 0x03, 0x00, 0xFF, 0x1B]) + b"binary\x00seal"
    frame = synth.barcode_frame("datamatrix", data, 3)
    (symbol,) = [s for s in reader.read(frame) if s.symbology == "datamatrix"]
    assert symbol.data == data
    assert base64.b64decode(base64.b64encode(symbol.data)) == data
    assert "\x1b" not in symbol.text and "\x00" not in symbol.text


def test_rotated_linear_code_is_deskewed(reader: bc.BarcodeReader) -> None:
    frame = synth.barcode_frame("code128", "MSKU1234565", 5, angle=38)
    found = [s for s in reader.read(frame) if s.symbology == "code128"]
    assert [s.data for s in found] == [b"MSKU1234565"]


def test_zbar_fallback_reads_the_bar_patch_in_frame_coordinates() -> None:
    frame = synth.barcode_frame("ean13", "590123412345", 9, angle=3)
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    bars = bc.find_bars(gray)
    assert bars is not None
    x0, y0, patch = bars.patch(gray)
    assert patch.size < gray.size / 3  # zbar gets a fraction of the frame
    (ours,) = bc.BarcodeReader(retry=False).rescue(gray, bars, [])
    (whole,) = bc.read_zxing(gray, frozenset({"ean13"}))
    assert ours.decoder == bc.ZBAR and ours.data == whole.data
    centre = np.mean(ours.position, axis=0)
    assert np.linalg.norm(centre - np.mean(whole.position, axis=0)) < 40
    assert x0 <= centre[0] <= x0 + patch.shape[1] and y0 <= centre[1] <= y0 + patch.shape[0]
    # an EAN/UPC code already read: zbar is not asked again
    assert bc.BarcodeReader(retry=False).rescue(gray, bars, [whole]) == []


def _sym(name: str, data: bytes, decoder: str = bc.ZXING) -> bc.Symbol:
    return bc.Symbol(name, data, ((0, 0), (1, 0), (1, 1), (0, 1)), decoder)


def test_a_linear_code_counts_when_two_passes_agree() -> None:
    votes = bc.Votes()
    right, wrong = _sym("ean13", b"0075720003259"), _sym("ean13", b"1077778003259")
    votes.add([wrong])  # one pass alone: not yet
    votes.add([right, right])  # a code counts once per pass
    assert votes.agreed() == [] and votes.pending()
    votes.add([_sym("upca", b"0075720003259", bc.ZBAR)])  # UPC-A = EAN-13
    assert votes.agreed() == [right] and votes.pending()  # the wrong read is still single


def test_zbar_settles_only_without_a_conflicting_zxing_read() -> None:
    zbar = [_sym("ean13", b"9780804816632", bc.ZBAR)]
    assert bc.Votes().settle(zbar) == zbar  # zxing-cpp read no EAN/UPC: zbar alone
    single = bc.Votes()
    single.add([_sym("ean13", b"9780804816632")])
    assert [s.decoder for s in single.settle(zbar)] == [bc.ZXING]  # agreement
    other = bc.Votes()
    other.add([_sym("ean13", b"6918837000879")])
    assert other.settle(zbar) == [] and other.settle([]) == []  # disagreement, or alone


def test_a_small_photo_with_a_qr_code_keeps_its_linear_code() -> None:
    # the QR code is sure at once; the passes go on until the EAN-13 is read twice
    qr = cv2.resize(synth.barcode_frame("qrcode", "TIR XY123", 1), (300, 169))
    ean = cv2.resize(synth.barcode_frame("ean13", "590123412345", 9, angle=3), (600, 338))
    photo = cv2.hconcat([cv2.copyMakeBorder(qr, 0, 169, 0, 0, cv2.BORDER_REPLICATE), ean])
    found = {(s.symbology, s.data) for s in bc.BarcodeReader().read(photo)}
    assert found == {("qrcode", b"TIR XY123"), ("ean13", b"5901234123457")}


def test_upc_a_keeps_its_name_beside_ean13() -> None:
    frame = synth.barcode_frame("upca", "01234567890", 30_001, "none", 3)
    (both,) = bc.BarcodeReader().read(frame)
    assert (both.symbology, both.data) == ("upca", b"0012345678905")
    (ean,) = bc.BarcodeReader(symbologies=frozenset({"ean13"})).read(frame)
    assert (ean.symbology, ean.data) == ("ean13", b"0012345678905")


def test_a_upce_beside_an_ean13_is_taken_for_a_piece_of_it() -> None:
    # zxing-cpp reads this turned, glared EAN-13 as UPC-E 0119000000658; zbar reads the EAN-13
    frame = synth.barcode_frame("ean13", "819065061780", 30_003, "glare", 40.95)
    found = bc.BarcodeReader().read(frame)
    assert [(s.symbology, s.data) for s in found] == [("ean13", b"8190650617801")]


def test_a_small_photo_reads_through_the_passes() -> None:
    frame = synth.barcode_frame("ean13", "590123412345", 9, angle=3)
    small = cv2.resize(frame, (400, 225), interpolation=cv2.INTER_AREA)
    found = bc.BarcodeReader().read(small)
    assert [s.data for s in found if s.symbology == "ean13"] == [b"5901234123457"]


def test_a_camera_runs_one_pass_on_small_frames_unless_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An empty 640x480 camera frame must stay cheap: no enhanced-copy passes by default."""
    from drivers.camera.device import parse_options

    passes: list[float] = []
    real = bc.read_scaled
    monkeypatch.setattr(bc, "read_scaled", lambda *a: passes.append(a[-1]) or real(*a))
    empty = np.full((480, 640), 200, np.uint8)
    assert parse_options({}).reader.read(empty) == []
    assert passes == []
    assert parse_options({"barcode_passes": True}).reader.read(empty) == []
    assert len(passes) >= 3


def test_a_camera_barcode_event_carries_the_frames_decode_time() -> None:
    """The camera's barcode events say how long decoding their frame took, as its MRZ reads
    do: the post's metrics take it as borderpost_barcode_decode_seconds (issue 26)."""
    from drivers.camera.device import FrameProcessor, parse_options

    frame = synth.barcode_frame("code128", "CSQU3054383", 7, "none", angle=4)
    (reading,) = FrameProcessor(parse_options({"mrz": False})).process(frame, now=0.0)
    assert reading.kind == "barcode" and reading.payload["text"] == "CSQU3054383"
    assert 0 < reading.payload["elapsed_ms"] < 60_000
    assert reading.body.text == "CSQU3054383"  # still the typed body of a barcode


NEW_SYMBOLOGIES = [
    ("DataBarExp", "(01)09501101530003(17)250704(10)AB-123", "]e0"),
    ("DataBar", "0950110153000", "]e0"),
    ("DataBarStk", "0950110153000", "]e0"),
    ("DataBarLtd", "0950110153000", "]e0"),
    ("MicroQRCode", "BP123", "]Q1"),
    ("RMQRCode", "BORDERPOST", "]Q1"),
]


@pytest.mark.parametrize(("fmt", "payload", "aim"), NEW_SYMBOLOGIES)
def test_new_symbologies_carry_zxing_names(fmt: str, payload: str, aim: str) -> None:
    import zxingcpp

    code = zxingcpp.create_barcode(payload, getattr(zxingcpp.BarcodeFormat, fmt))
    image = np.pad(np.asarray(code.to_image(scale=4), np.uint8), 40, constant_values=255)
    (symbol,) = bc.BarcodeReader().read(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
    assert symbol.symbology in bc.SYMBOLOGIES and symbol.symbology.startswith(fmt)
    assert symbol.aim == aim and symbol.decoder == bc.ZXING
    assert symbol.payload_hint == (aim if aim == "]e0" else symbol.symbology)
    if aim == "]e0":  # GS1 element string: plain text, AIs run together
        assert symbol.text.startswith("0109501101530003")


def test_zbar_upc_reads_take_zxing_form() -> None:
    assert bc.upce_to_upca("01234565") == "012345000065"
    assert bc.upce_to_upca("04965802") == "049000006582"
    assert bc.upce_to_upca("01234133") == "012300000413"
    assert bc.upce_to_upca("01234444") == "012340000044"
    assert bc.upce_to_upca("01234576") == "012345000076"


def test_short_interleaved_2_of_5_is_dropped() -> None:
    frame = synth.barcode_frame("itf", "1234", 2)
    assert bc.BarcodeReader(frozenset({"itf"})).read(frame) == []
    relaxed = bc.BarcodeReader(frozenset({"itf"}), min_itf_length=4).read(frame)
    assert [s.data for s in relaxed if s.symbology == "itf"] == [b"1234"]


def test_disabled_symbology_is_not_reported() -> None:
    frame = synth.barcode_frame("qrcode", "HELLO", 1)
    assert bc.BarcodeReader(frozenset({"code128"})).read(frame) == []


@pytest.mark.parametrize("seed", range(6))
def test_frames_without_codes_yield_nothing(reader: bc.BarcodeReader, seed: int) -> None:
    frame = synth.degrade(synth.background(seed=seed), synth.DEFECTS[seed], seed)
    assert reader.read(frame) == []


def test_mrz_document_is_not_a_barcode(reader: bc.BarcodeReader) -> None:
    frame = synth.mrz_frame(synth.td3_lines("L898902C3", "ERIKSSON", "ANNA"), 4, "noise")
    assert reader.read(frame) == []


def test_decoder_override_and_bad_options() -> None:
    frame = synth.barcode_frame("qrcode", "OVERRIDE", 2)
    chosen = {**bc.DEFAULT_DECODER, "qrcode": bc.ZBAR}
    (symbol,) = bc.BarcodeReader(decoders=chosen).read(frame)
    assert symbol.decoder == bc.ZBAR
    with pytest.raises(bc.BarcodeError, match="unknown symbology"):
        bc.BarcodeReader(frozenset({"qr-code"}))
    with pytest.raises(bc.BarcodeError, match="cannot use decoder"):
        bc.BarcodeReader(decoders={**bc.DEFAULT_DECODER, "datamatrix": bc.ZBAR})


def test_same_code_on_consecutive_frames_reported_once() -> None:
    dedup = bc.Deduper(window=1.0)
    sym = bc.Symbol("qrcode", b"X", ((0, 0),), bc.ZXING)
    other = bc.Symbol("qrcode", b"Y", ((0, 0),), bc.ZXING)
    assert dedup.fresh([sym], 0.0) == [sym]
    assert dedup.fresh([sym], 0.5) == []
    assert dedup.fresh([sym, other], 1.2) == [other]  # seen 0.7 s ago: still in view
    assert dedup.fresh([], 2.0) == []
    assert dedup.fresh([sym], 3.0) == [sym]  # gone for longer than the window


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 160),
    st.integers(1, 160),
    st.sampled_from([1, 3]),
    st.binary(min_size=0, max_size=64),
)
def test_arbitrary_images_never_raise(h: int, w: int, channels: int, seed: bytes) -> None:
    rng = np.random.default_rng(list(seed) or [0])
    shape = (h, w) if channels == 1 else (h, w, 3)
    image = rng.integers(0, 256, shape, dtype=np.uint8)
    for s in bc.BarcodeReader().read(image):
        assert isinstance(s.data, bytes)
    bc.find_bars(cv2.resize(image, (max(w, 2), max(h, 2))) if channels == 1 else image[..., 0])
