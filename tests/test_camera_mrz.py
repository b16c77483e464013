"""MRZ from camera frames: OCR-B documents rendered with Debian's fonts-ocr-b,
distorted (perspective, rotation, blur, noise, glare, low contrast, JPEG) and read
back through the locator, the OCR-B recogniser and ``parse_mrz``."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("PIL")

from drivers.camera import mrz_ocr, ocrb, synth
from drivers.camera.device import FrameProcessor, mrz_reading, parse_options
from drivers.events import DocumentKey, PersonKey
from drivers.mrz import parse_mrz
from drivers.mrz.generate import random_mrz

FORMATS = ["TD3", "TD1", "TD2", "MRVA", "MRVB", "TD3", "TD1"]


def _truth(lines: list[str]) -> dict[str, object]:
    doc = parse_mrz(lines).to_json()
    return {k: doc[k] for k in mrz_ocr.IDENTITY}


@pytest.mark.parametrize(("i", "defect"), list(enumerate((*synth.DEFECTS, "noise"))))
def test_degraded_document_read_exactly(i: int, defect: str) -> None:
    lines = random_mrz(random.Random(i), FORMATS[i])
    read = mrz_ocr.read_frame(synth.mrz_frame(lines, 500 + i, defect))
    assert read is not None, "no MRZ found"
    assert read.valid
    got = read.result.to_json()
    assert {k: got[k] for k in mrz_ocr.IDENTITY} == _truth(lines)
    conf = read.field_confidence()
    assert {"document_number", "birth_date", "surname"} <= set(conf)
    assert all(0.0 <= v <= 1.0 for v in conf.values())


def test_upside_down_and_strongly_tilted_document() -> None:
    lines = synth.td3_lines("L898902C3", "ERIKSSON", "ANNA MARIA")
    frame = cv2.rotate(synth.mrz_frame(lines, 11), cv2.ROTATE_180)
    read = mrz_ocr.read_frame(frame)
    assert read is not None and read.valid
    assert read.result.document_number == "L898902C3"
    doc = synth.render_document(lines, pitch=20, seed=2)
    tilted = synth.place(doc, synth.background(seed=2), angle=22, warp=0.03, fill=0.5)
    read = mrz_ocr.read_frame(tilted)
    assert read is not None and read.valid


def _sideways_beside_a_caption(seed: int) -> tuple[list[str], np.ndarray]:
    """A document turned a quarter on a page whose upright two-line caption looks like an MRZ."""
    lines = synth.random_td3(random.Random(seed))
    doc = cv2.rotate(synth.render_document(lines, pitch=20, seed=seed), cv2.ROTATE_90_CLOCKWISE)
    frame = np.full((max(900, doc.shape[0] + 40), 1500, 3), 245, np.uint8)
    frame[20 : 20 + doc.shape[0], 800 : 800 + doc.shape[1]] = doc
    rng = random.Random(seed)
    for y in (40, 75):
        text = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ ") for _ in range(48))
        cv2.putText(frame, text, (20, y), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (30, 30, 30), 2)
    return lines, frame


def test_still_image_searches_a_quarter_turn_though_upright_lines_were_found() -> None:
    lines, frame = _sideways_beside_a_caption(3)
    read = mrz_ocr.read_frame(frame, colour=True)
    assert read is not None and read.valid
    assert read.result.document_number == parse_mrz(lines).document_number


def _with_tildes(lines: list[str], row: int, cols: list[int], pitch: int = 20) -> np.ndarray:
    """The MRZ block with a tilde drawn onto the letters at ``cols`` (Ñ as printed in names)."""
    img = synth.render_mrz(lines, pitch, 30)
    y = 30 + int(row * pitch * 1.7)
    for col in cols:
        x0 = 30 + col * pitch
        ys, xs = np.nonzero(img[y : y + int(pitch * 1.7), x0 : x0 + pitch] < 128)
        t = np.linspace(0, 1, 20)
        wave = y + ys.min() - pitch * 0.12 - np.sin(t * 2 * np.pi) * pitch * 0.1
        pts = np.stack([x0 + xs.min() + t * (xs.max() - xs.min()), wave], 1).astype(np.int32)
        cv2.polylines(img, [pts], False, 20, max(2, pitch // 9), cv2.LINE_AA)
    return img


def test_a_tilde_touching_a_letter_of_a_name_is_cut_off() -> None:
    lines = synth.td1_lines("AAA100001", "ESPANOLA", "ESPANOLA<CARMEN", issuer="ESP")
    block = _with_tildes(lines, 2, [i for i, ch in enumerate(lines[2]) if ch == "N"][:2])
    frame = synth.place(cv2.cvtColor(block, cv2.COLOR_GRAY2BGR), synth.background(seed=1),
                        angle=2.0, fill=0.8, seed=1)  # fmt: skip
    read = mrz_ocr.read_frame(frame, colour=True)
    assert read is not None and read.valid
    assert (read.result.surname, read.result.given_names) == ("ESPANOLA", "ESPANOLA CARMEN")


def _negative(i: int) -> np.ndarray:
    rng = random.Random(i)
    if i % 3 == 0:
        return synth.degrade(synth.background(seed=i), synth.DEFECTS[i % 6], i)
    if i % 3 == 1:
        page = synth.render_document(["<" * 44, "<" * 44], seed=i)[:-60]
        return synth.place(page, synth.background(seed=i), angle=rng.uniform(-8, 8))
    junk = ["".join(rng.choice(ocrb.ALPHABET) for _ in range(44)) for _ in range(2)]
    return synth.mrz_frame(junk, i, synth.DEFECTS[i % 6])


@pytest.mark.parametrize("i", range(9))
def test_frames_without_an_mrz_give_no_valid_read(i: int) -> None:
    read = mrz_ocr.read_frame(_negative(i))
    assert read is None or not read.valid


def test_voter_needs_agreeing_frames_and_reports_once() -> None:
    lines = synth.td3_lines("X1234567", "DOE", "JANE")
    read = mrz_ocr.read_frame(synth.mrz_frame(lines, 3))
    assert read is not None and read.valid
    voter = mrz_ocr.MrzVoter(frames=2, window=5.0)
    assert voter.add(read, 0.0) is None
    assert voter.add(None, 0.1) is None
    assert voter.add(read, 0.2) is read
    assert voter.add(read, 0.3) is None  # still in view: not again
    assert voter.add(read, 4.0) is None
    assert voter.add(read, 20.0) is None  # gone for longer than the window: votes anew
    assert voter.add(read, 20.1) is read


def test_voter_never_accepts_an_invalid_read() -> None:
    lines = synth.td3_lines("X1234567", "DOE", "JANE")
    broken = [lines[0], lines[1][:9] + ("1" if lines[1][9] != "1" else "2") + lines[1][10:]]
    read = mrz_ocr.read_frame(synth.mrz_frame(broken, 3), max_corrections=0)
    assert read is not None and not read.valid
    voter = mrz_ocr.MrzVoter(frames=1)
    assert voter.add(read, 0.0) is None


def test_check_digits_choose_the_recognisers_runner_up() -> None:
    lines = synth.td3_lines("X1234567", "DOE", "JANE")
    col = 15  # inside the birth date, which its check digit covers
    wrong = "7" if lines[1][col] != "7" else "3"
    read = [lines[0], lines[1][:col] + wrong + lines[1][col + 1 :]]
    rows = [[[(ch, 0.99), ("<", 0.001)] for ch in line] for line in read]
    rows[1][col] = [(wrong, 0.55), (lines[1][col], 0.4)]
    conf = [[alts[0][1] for alts in row] for row in rows]
    result = mrz_ocr.second_choices(rows, tuple(read), 2, conf)
    assert result is not None and result.valid and list(result.lines) == lines
    fix = result.corrections[0]
    assert (fix.line, fix.position, fix.old, fix.new) == (2, col + 1, wrong, lines[1][col])
    assert fix.reason == "recogniser's runner-up, checked" and conf[1][col] == 0.4


def _nationality_read(
    lines: list[str], alts: list[tuple[str, float]], monkeypatch: pytest.MonkeyPatch
) -> mrz_ocr.MrzRead:
    """The reader's answer when the recogniser ranks the nationality's last cell as ``alts``."""
    read = [lines[0], lines[1][:12] + alts[0][0] + lines[1][13:]]
    rows = [[[(ch, 0.99), ("<", 0.001)] for ch in line] for line in read]
    rows[1][12] = alts
    monkeypatch.setattr(mrz_ocr, "recognise_ranked", lambda zone, model: rows)
    zone = mrz_ocr.locate.Zone(np.zeros((8, 8), np.uint8), 2, np.zeros((4, 2), np.float32))
    got = mrz_ocr._attempt(zone, None, 2)
    assert got is not None
    return got


def test_the_recognisers_alternatives_give_a_known_state_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = synth.td3_lines("X1234567", "DOE", "JANE", issuer="FRA")
    read = _nationality_read(lines, [("R", 0.6), ("A", 0.35), ("<", 0.01)], monkeypatch)
    assert read.result.nationality == "FRA" and read.valid
    assert list(read.result.raw) == [lines[0], lines[1][:12] + "R" + lines[1][13:]]
    fix = read.result.corrections[-1]
    assert (fix.line, fix.position, fix.old, fix.new) == (2, 13, "R", "A")
    assert fix.reason == mrz_ocr.STATE_FIX and read.confidence[1][12] == 0.35
    # two known codes one change away (FRA, FRO): the read stays as it was, flagged
    read = _nationality_read(lines, [("R", 0.6), ("A", 0.2), ("O", 0.15)], monkeypatch)
    assert read.result.nationality == "FRR" and not read.valid


def test_an_unknown_state_code_is_not_accepted_even_when_check_digits_pass() -> None:
    lines = synth.td3_lines("X1234567", "DOE", "JANE")
    odd = [lines[0], lines[1][:10] + "MLD" + lines[1][13:]]  # no check digit covers it
    read = mrz_ocr.read_frame(synth.mrz_frame(odd, 3))
    assert read is not None and read.result.valid and not read.valid
    assert dict(read.result.known_codes)["nationality"] is False
    assert any(w.startswith("unknown_code: nationality") for w in read.result.warnings)


def test_frame_processor_emits_mrz_reading_with_keys() -> None:
    lines = synth.td3_lines("L898902C3", "ERIKSSON", "ANNA MARIA")
    frame = synth.mrz_frame(lines, 8, "blur")
    proc = FrameProcessor(parse_options({"barcodes": False}))
    assert proc.process(frame, 0.0) == []
    (reading,) = proc.process(frame, 0.1)
    assert reading.kind == "mrz" and reading.payload["valid"]
    assert reading.payload["source"] == "camera"
    assert 0.5 < reading.payload["confidence"] <= 1.0
    doc, person = reading.keys
    assert doc == DocumentKey("L898902C3", "UTO", "P")
    assert isinstance(person, PersonKey)
    assert person.surname == "ERIKSSON" and person.given_names == "ANNA MARIA"
    assert mrz_reading(mrz_ocr.read_frame(frame)).payload["document_number"] == "L898902C3"  # type: ignore[arg-type]


def test_model_checksum_is_enforced(tmp_path: Path) -> None:
    copy = tmp_path / "model.npz"
    shutil.copy(ocrb.MODEL_PATH, copy)
    assert ocrb.load_model(copy).w1.shape[1] > 0
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(ocrb.ModelError, match="SHA-256"):
        ocrb.load_model(copy)
    with pytest.raises(ocrb.ModelError, match="unreadable"):
        ocrb.load_model(tmp_path / "missing.npz")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 400), st.integers(1, 400), st.sampled_from([1, 3, 4]), st.integers(0, 99))
def test_arbitrary_images_never_raise(h: int, w: int, channels: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = (h, w) if channels == 1 else (h, w, channels)
    image = rng.integers(0, 256, shape, dtype=np.uint8)
    if seed % 2:
        image[h // 3 : h // 3 + 3, :] = 0  # line-like marks
    read = mrz_ocr.read_frame(image)
    assert read is None or not read.valid
