"""Reader framers, the device decoder, and `sim mrz` through a real pty pair and TCP."""

from __future__ import annotations

import json
import os
import random
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.base import DriverError, Reading
from drivers.events import DocumentKey, PersonKey
from drivers.mrz.device import make_decoder
from drivers.mrz.framing import MAX_LINE, LineFramer, SohFramer, StxFramer, frame, soh_packet
from drivers.mrz.generate import random_mrz
from drivers.mrz.sim import noisy

REPO = Path(__file__).resolve().parents[1]
BORDERPOST = [sys.executable, "-m", "edge"]
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]  # fmt: skip


def decode(framing: str, data: bytes, step: int = 5) -> list[Reading]:
    d = make_decoder({"framing": framing})
    out: list[Reading] = []
    for i in range(0, len(data), step):
        out += d.feed(data[i : i + step], i * 1e-4)
        out += d.tick(i * 1e-4)
    return out + d.tick(100.0)


@pytest.mark.parametrize("framing", ["line", "stx", "soh"])
def test_each_framing_carries_two_and_three_line_blocks(framing: str) -> None:
    readings = decode(framing, frame(TD3, framing) + frame(TD1, framing))
    assert [(r.kind, r.payload["format"], r.payload["valid"]) for r in readings] == [
        ("mrz", "TD3", True), ("mrz", "TD1", True)]  # fmt: skip
    doc, person = readings[0].keys
    assert doc == DocumentKey("L898902C3", "UTO", "P")
    assert isinstance(person, PersonKey)
    assert person.surname == "ERIKSSON" and person.birth_date == "1974-08-12"


@pytest.mark.parametrize("end", [b"\r", b"\n", b"\r\n"])
def test_line_terminators(end: bytes) -> None:
    readings = decode("line", frame(TD3, "line", end) + frame(TD1, "line", end))
    assert [r.payload["format"] for r in readings] == ["TD3", "TD1"]


def test_line_without_terminator_ends_on_timeout() -> None:
    f = LineFramer(timeout=0.2)
    data = "\r".join(TD3).encode()
    assert f.feed(data, 1.0) == [] and f.tick(1.1) == []
    (block,) = f.tick(1.25)
    assert block.lines == tuple(TD3)


def test_not_an_mrz_is_unreadable_with_clean_text() -> None:
    (r,) = decode("stx", b"\x02HELLO\x1b]0;x\rWORLD \xe2\x80\xae\x03")
    assert r.kind == "mrz.unreadable" and r.priority == 1
    assert r.payload["text"] == "HELLO]0;x | WORLD"
    assert r.payload["lines"] == ["HELLO]0;x", "WORLD"]


def test_invalid_document_has_priority_one() -> None:
    bad = [TD3[0], TD3[1].replace("7408122", "7408132")]
    (r,) = decode("line", frame(bad, "line"))
    assert r.kind == "mrz" and r.payload["valid"] is False and r.priority == 1


def test_stx_garbage_is_skipped_and_counted() -> None:
    f = StxFramer()
    blocks = f.feed(b"xx\x03" + frame(TD3, "stx") + b"\x02abc\x02" + frame(TD1, "stx")[1:], 0)
    assert [b.lines for b in blocks] == [tuple(TD3), tuple(TD1)]
    assert f.skipped == 3 + 4 and blocks[0].skipped == 3  # the lost STX+abc


def test_stx_overlong_block_is_dropped_and_resyncs() -> None:
    f = StxFramer(max_block=200)
    blocks = f.feed(b"\x02" + b"A" * 500 + b"\x03" + frame(TD3, "stx"), 0)
    assert [b.lines for b in blocks] == [(), tuple(TD3)] and f.skipped >= 500
    assert blocks[0].error == "STX block longer than 200 bytes" and blocks[0].data == b"A" * 64


def test_soh_bad_checksum_and_length_resync() -> None:
    good = soh_packet("\r".join(TD3).encode())
    bad_bcc = good[:-1] + bytes([good[-1] ^ 0xFF])
    huge = b"\x01\xff\xff\x02"
    f = SohFramer()
    blocks = f.feed(b"noise" + bad_bcc + huge + good, 0)
    assert [b.lines for b in blocks] == [(), tuple(TD3)]
    assert blocks[0].error is not None and "checksum" in blocks[0].error
    assert f.skipped >= len(bad_bcc) + len(huge) + 5


def test_broken_frame_is_an_unreadable_reading() -> None:
    good = soh_packet("\r".join(TD3).encode())
    (r,) = decode("soh", good[:-1] + bytes([good[-1] ^ 1]))
    assert r.kind == "mrz.unreadable" and r.priority == 1
    assert "checksum" in r.payload["error"] and r.payload["hex"].startswith(
        "01005902"
    )  # SOH, 89 bytes, STX


def test_line_is_bounded() -> None:
    f = LineFramer()
    assert f.feed(b"A" * 10000, 0) == []
    assert len(f._line) == MAX_LINE and f.skipped == 10000 - MAX_LINE


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["line", "stx", "soh"]), st.integers(0, 2**32), st.integers(1, 64))
def test_any_chunking_gives_the_same_readings(framing: str, seed: int, step: int) -> None:
    rng = random.Random(seed)
    docs = [random_mrz(rng) for _ in range(3)]
    data = b"".join(frame(d, framing) for d in docs)
    readings = decode(framing, data, step)
    assert [r.payload["lines"] for r in readings] == docs


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["line", "stx", "soh"]), st.lists(st.binary(max_size=300), max_size=20))
def test_arbitrary_bytes_never_raise_and_stay_bounded(framing: str, chunks: list[bytes]) -> None:
    d = make_decoder({"framing": framing, "max_block": 256})
    for i, chunk in enumerate(chunks):
        for r in d.feed(chunk, i * 0.05) + d.tick(i * 0.05):
            json.dumps(r.payload)
            assert r.kind in ("mrz", "mrz.unreadable")
    framer = d.framer  # type: ignore[attr-defined]
    held = getattr(framer, "_buf", None) or getattr(framer, "_line", b"")
    assert len(held) <= 256 + 6


def test_noise_bytes_are_skipped() -> None:
    rng = random.Random(5)
    docs = [random_mrz(rng) for _ in range(20)]
    data = b"".join(noisy(frame(d, "stx"), 0.05, rng) for d in docs)
    readings = decode("stx", data)
    assert len(readings) == 20 and all(r.kind == "mrz" for r in readings)
    assert sum(r.payload["valid"] for r in readings) >= 15


@pytest.mark.parametrize(
    ("options", "message"),
    [({"framing": "xml"}, "framing"), ({"timeout": 0}, "timeout"), ({"speed": 1}, "unknown"),
     ({"max_corrections": 9}, "max_corrections"), ({"max_block": "big"}, "max_block"),
     ({"timeout": True}, "timeout")],
)  # fmt: skip
def test_bad_options_are_named(options: dict[str, object], message: str) -> None:
    with pytest.raises(DriverError, match=message):
        make_decoder(options)


def read_readings(fd: int, framing: str, wanted: int, limit: float = 60.0) -> list[Reading]:
    """Feed what arrives on ``fd`` into a decoder until ``wanted`` readings came."""
    d = make_decoder({"framing": framing})
    out: list[Reading] = []
    deadline = time.monotonic() + limit
    while len(out) < wanted and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        now = time.monotonic()
        if ready:
            data = os.read(fd, 4096)
            if not data:
                break
            out += d.feed(data, now)
        out += d.tick(now)
    return out


@pytest.mark.parametrize("framing", ["line", "soh"])
def test_sim_over_pty_pair(tmp_path: Path, framing: str) -> None:
    docs = tmp_path / "docs.mrz"
    docs.write_text("# two documents\n" + "\n".join(TD3) + "\n\n" + "\n".join(TD1) + "\n")
    proc = subprocess.Popen(
        [*BORDERPOST, "sim", "mrz", "--port", "pty", "--file", str(docs), "--framing", framing,
         "--count", "4", "--interval", "0.05", "--delay", "0"],
        stdout=subprocess.PIPE, cwd=REPO,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        port = json.loads(proc.stdout.readline())["port"]
        fd = os.open(port, os.O_RDWR | os.O_NOCTTY)  # raw already; no pyserial flush
        readings = read_readings(fd, framing, 4)
        os.close(fd)
    finally:
        proc.wait(timeout=20)
    assert [r.payload["format"] for r in readings] == ["TD3", "TD1", "TD3", "TD1"]
    assert all(r.payload["valid"] for r in readings)


def test_sim_generated_travellers_over_tcp_with_noise() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [*BORDERPOST, "sim", "mrz", "--port", f"socket://127.0.0.1:{port}", "--seed", "3",
         "--framing", "stx", "--interval", "0", "--count", "15", "--noise", "0.01"],
        cwd=REPO,
    )  # fmt: skip
    try:
        conn = _connect(port)
        readings = read_readings(conn.fileno(), "stx", 15)
        conn.close()
    finally:
        proc.wait(timeout=20)
    assert len(readings) == 15
    assert {r.payload.get("format") for r in readings} > {"TD1", "TD3"}


def _connect(port: int) -> socket.socket:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            time.sleep(0.05)
    raise AssertionError("simulator did not listen within 60 s")


def test_sim_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mrz"
    empty.write_text("# nothing\n")
    run = subprocess.run([*BORDERPOST, "sim", "mrz", "--port", "pty", "--file", str(empty)],
                         capture_output=True, text=True, cwd=REPO)  # fmt: skip
    assert run.returncode == 2 and "no MRZ blocks" in run.stderr
