"""Typed readings: every producer's reading carries a typed body and typed keys whose JSON is
the same bytes it wrote before readings were typed; the daemon cleans a typed body as it
cleaned its JSON."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from test_events_codec import bodies

from drivers.barcode.device import make_decoder as barcode_decoder
from drivers.barcode.device import scan_reading
from drivers.barcode.payload import parse_payload
from drivers.base import Reading
from drivers.events import (
    BarcodeScan,
    Body,
    ContainerKey,
    DeviceFault,
    DocumentKey,
    MrzRead,
    MrzUnreadable,
    PersonKey,
    RpmFault,
    RpmOccupancy,
    RpmStatus,
    Unknown,
    decode_body,
    encode_body,
    encode_key,
)
from drivers.mrz import parse_mrz
from drivers.mrz.device import make_decoder as mrz_decoder
from drivers.mrz.framing import frame
from drivers.rpm.device import RpmMonitor, Settings, to_reading
from edge.api.manual import manual_reading
from edge.events import clean_body
from edge.sanitize import clean_payload

BEFORE = Path(__file__).parent / "data" / "rpm_readings_before_typed.jsonl"
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
QUIET = b"GS,000076,000076,000076,000076\r\n"
HOT = b"GS,000400,000390,000410,000380\r\n"
BACKGROUND = b"GB,000380,000380,000380,000380\r\n"


def _json(payload: dict[str, Any]) -> str:
    """The bytes the store keeps (edge/store/store.py encode_new)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _typed(reading: Reading, cls: type[Body]) -> str:
    """The reading's JSON, after checking its body is ``cls`` and decodes back to itself."""
    assert type(reading.body) is cls, (reading.kind, type(reading.body))
    assert decode_body(reading.kind, reading.payload) == reading.body
    return _json(reading.payload)


def _rpm_lines() -> Iterator[tuple[float, bytes]]:
    """A quiet occupancy, an alarming one (our check alone: a disagreement), a tamper."""
    lines = [BACKGROUND] * 3 + [QUIET] * 10 + [b"GX,000007,006000,000000,000000\r\n", BACKGROUND]
    lines += [QUIET] * 3 + [HOT] * 5 + [QUIET] * 3 + [b"GX,000008,006000,000000,000000\r\n"]
    lines += [b"TT\r\n", b"TC\r\n"]
    for n, line in enumerate(lines, 1):
        yield n * 0.2, line


def test_rpm_readings_are_typed_and_the_bytes_they_were() -> None:
    monitor = RpmMonitor(Settings(setup_timeout_s=None), wall_offset=1_700_000_000.0)
    events = []
    for t, line in _rpm_lines():
        events += monitor.tick(t) + monitor.feed(line, t)
    events += [*monitor.tick(30.0), monitor.status(31.0)]
    classes = {"rpm.occupancy": RpmOccupancy, "rpm.status": RpmStatus, "rpm.fault": RpmFault}
    got = [to_reading(e) for e in events]
    now = [[r.kind, r.priority, r.alert, _typed(r, classes[r.kind])] for r in got]
    before = [json.loads(line) for line in BEFORE.read_text().splitlines()]
    assert now == before
    kinds = {(r.kind, r.priority) for r in got}
    assert {("rpm.occupancy", 0), ("rpm.occupancy", 2), ("rpm.fault", 1), ("rpm.fault", 2),
            ("rpm.fault", 0), ("rpm.status", 0)} <= kinds  # fmt: skip


def test_mrz_reader_readings_are_typed_and_the_bytes_they_were() -> None:
    decoder = mrz_decoder({"framing": "line"})
    bad = [TD3[0], TD3[1][:-1] + "1"]
    data = frame(TD3, "line") + frame(bad, "line") + b"HELLO\x1b]0;x\x07\r\nWORLD\r\n\r\n"
    good, invalid, unreadable = decoder.feed(data, 0.0) + decoder.tick(100.0)
    for reading, lines in ((good, TD3), (invalid, bad)):
        result = parse_mrz(lines)
        assert _typed(reading, MrzRead) == _json(result.to_json())
        assert [encode_key(k) for k in reading.keys] == [dict(k) for k in result.keys]
    doc, person = good.keys
    assert doc == DocumentKey("L898902C3", "UTO", "P")
    assert isinstance(person, PersonKey) and person.birth_date == "1974-08-12"
    assert isinstance(unreadable.body, MrzUnreadable) and unreadable.body.lines[0] == "HELLO]0;x"
    assert _typed(unreadable, MrzUnreadable) == _json(
        {
            "text": "HELLO]0;x | WORLD",
            "lines": ["HELLO]0;x", "WORLD"],
            "error": unreadable.payload["error"],
            "skipped_bytes": 2,
        }
    )


@pytest.mark.parametrize("data", [b"CSQU3054383", b"CSQU3054384", b"hello", b"TIR XY123"])
def test_barcode_readings_are_typed_and_the_bytes_they_were(data: bytes) -> None:
    reading = scan_reading(data, "]C0", None)
    parsed = parse_payload(data, "]C0")
    before = {"symbology": "]C0", "text": data.decode(), "parsed": parsed.to_json(),
              "bytes_b64": base64.b64encode(data).decode("ascii")}  # fmt: skip
    before = {k: before[k] for k in ("symbology", "text", "bytes_b64", "parsed")}
    assert _typed(reading, BarcodeScan) == _json(before)
    assert [encode_key(k) for k in reading.keys] == [dict(k) for k in parsed.keys]


def test_a_container_scan_yields_a_typed_container_key_and_a_dropped_scan_a_fault() -> None:
    good, bad = barcode_decoder({"suffix": "cr"}).feed(b"]C0CSQU3054383\rCSQU3054384\r", 0.0)
    assert good.keys == (ContainerKey("CSQU3054383"),) and bad.keys == ()
    assert isinstance(good.body, BarcodeScan) and good.body.parsed["valid"] is True


def test_camera_readings_are_typed_and_the_bytes_they_were() -> None:
    pytest.importorskip("cv2")
    from drivers.camera import mrz_ocr, synth
    from drivers.camera.capture import Fault
    from drivers.camera.device import fault_reading, mrz_reading

    fault = fault_reading(Fault("camera gone \x1b[31m", 2.0))
    assert _typed(fault, DeviceFault) == _json(
        {"device": "camera", "error": "camera gone [31m", "retry_in": 2.0}
    )
    lines = synth.td3_lines("L898902C3", "ERIKSSON", "ANNA MARIA")
    read = mrz_ocr.read_frame(synth.mrz_frame(lines, 8, "blur"))
    assert read is not None
    reading = mrz_reading(read)
    before = {**read.result.to_json(), "source": "camera", "confidence": round(read.overall(), 3),
              "field_confidence": read.field_confidence(),
              "elapsed_ms": read.elapsed_ms}  # fmt: skip
    assert _typed(reading, MrzRead) == _json(before)
    assert reading.keys[0] == DocumentKey("L898902C3", "UTO", "P")


def test_a_manual_entry_is_typed() -> None:
    reading = manual_reading({"document_number": " x123 ", "issuer": "uto"}, "anna")
    assert reading.keys == (DocumentKey("X123", "UTO"),)
    assert _typed(reading, MrzRead) == _json(
        {
            "source": "manual",
            "officer_id": "anna",
            "document_number": "X123",
            "issuing_state": "UTO",
        }
    )


def test_json_the_codec_refuses_stays_whole() -> None:
    reading = Reading.of("mrz", {"surname": 7, "x": "y"})
    assert isinstance(reading.body, Unknown) and reading.payload == {"surname": 7, "x": "y"}


@given(bodies())
@settings(max_examples=200, deadline=None)
def test_cleaning_a_typed_body_cleans_its_json_the_same(kind_body: tuple[str, Body]) -> None:
    _, body = kind_body
    hostile = {"t": "a\x1b]0;x\x07b\u202e", "n": float("nan"), "l": ["\x00z", {"k\x01": "v"}]}
    body = dataclasses.replace(body, extra={**body.extra, **hostile})
    assert _json(encode_body(clean_body(body))) == _json(clean_payload(encode_body(body)))
