"""Serial scanner framing, the device decoder, and the simulator through real ptys and TCP."""

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

from drivers.barcode import aim
from drivers.barcode import generate as gen
from drivers.barcode import sim as scanner_sim
from drivers.barcode.device import make_decoder
from drivers.barcode.scanner import ScanFramer
from drivers.base import DriverError, Reading
from drivers.events import ContainerKey

REPO = Path(__file__).resolve().parents[1]
BORDERPOST = [sys.executable, "-m", "edge"]


def test_aim_identifiers() -> None:
    ident, rest = aim.parse_prefix(b"]d2010950600013435")
    assert ident is not None and ident.gs1 and ident.symbology == "datamatrix"
    assert rest == b"010950600013435"
    assert aim.parse_prefix(b"]Q1hello")[0].symbology == "qrcode"  # type: ignore[union-attr]
    assert aim.parse_prefix(b"hello") == (None, b"hello")
    assert aim.normalise("QR_CODE") == "qrcode" and aim.normalise("EAN-13") == "ean"


@pytest.mark.parametrize(("suffix", "end"), [("cr", b"\r"), ("lf", b"\n"), ("crlf", b"\r\n")])
def test_suffixes(suffix: str, end: bytes) -> None:
    framer = ScanFramer(suffix)
    scans = framer.feed(b"CSQU3054383" + end + b"]C1" + b"0109506000134352" + end + b"XE1", 0.0)
    assert [s.data for s in scans] == [b"CSQU3054383", b"0109506000134352"]
    assert scans[1].aim is not None and scans[1].aim.identifier == "]C1"
    assert framer.tick(0.01) == []
    late = framer.tick(1.0)
    assert [s.data for s in late] == [b"XE1"] and not late[0].terminated


def test_no_suffix_ends_on_timeout_and_keeps_gs() -> None:
    framer = ScanFramer("none", timeout=0.1)
    assert framer.feed(b"]C10109506000134352", 0.0) == []
    assert framer.feed(b"10AB\x1d21X", 0.05) == []
    assert framer.tick(0.1) == []
    scans = framer.tick(0.16)
    assert scans[0].data == b"0109506000134352" + b"10AB\x1d21X"


def test_cr_suffix_with_crlf_scanner_leaves_no_empty_scans() -> None:
    framer = ScanFramer("cr")
    scans = framer.feed(b"A1\r\nB2\r\n", 0.0)
    assert [s.data for s in scans] == [b"A1", b"B2"]


def test_overflow_is_bounded_reported_and_resyncs() -> None:
    framer = ScanFramer("cr", max_frame=64)
    out = framer.feed(b"X" * 100, 0.0)
    assert out and out[0].error and framer.dropped == 1
    out = framer.feed(b"Y" * 10 + b"\rCSQU3054383\r", 0.1)
    assert [s.data for s in out if not s.error][-1] == b"CSQU3054383"


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32), cuts=st.lists(st.integers(1, 40), max_size=30))
def test_any_chunking_gives_the_same_scans(seed: int, cuts: list[int]) -> None:
    rng = random.Random(seed)
    payloads = [next(gen.traffic(rng)).encode() for _ in range(5)]
    stream = b"".join(scanner_sim.frame(p, "crlf", aim=True) for p in payloads)
    framer, got, pos = ScanFramer("crlf"), [], 0
    for cut in [*cuts, len(stream)]:
        got += framer.feed(stream[pos : pos + cut], 0.0)
        pos += cut
    got += framer.tick(10.0)
    assert [s.data for s in got] == [p.removeprefix(b"\x1d") for p in payloads]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=100), max_size=10))
def test_arbitrary_bytes_never_raise_and_stay_bounded(chunks: list[bytes]) -> None:
    decoder = make_decoder({"suffix": "lf", "max_length": 256})
    now = 0.0
    for chunk in chunks:
        now += 0.01
        for reading in decoder.feed(chunk, now):
            json.dumps(reading.payload)
    decoder.tick(now + 1)
    assert len(decoder.framer._buf) <= 256 + 100  # type: ignore[attr-defined]


def test_decoder_readings_and_priorities() -> None:
    decoder = make_decoder({"suffix": "cr"})
    readings = decoder.feed(b"]C0CSQU3054383\rCSQU3054384\rhello\r", 0.0)
    good, bad, text = readings
    assert good.kind == "barcode" and good.priority == 0
    assert good.keys == (ContainerKey("CSQU3054383"),)
    assert good.payload["symbology"] == "]C0" and good.payload["parsed"]["valid"]
    assert good.payload["bytes_b64"] == "Q1NRVTMwNTQzODM="
    assert bad.priority == 1 and bad.keys == () and not bad.payload["parsed"]["valid"]
    assert text.payload["parsed"]["kind"] == "text" and text.priority == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"suffix": "tab"}, "suffix"),
        ({"timeout": -1}, "timeout"),
        ({"aim": "yes"}, "aim"),
        ({"bogus": 1}, "unknown option"),
        ({"trust_dir": "/nonexistent/certs"}, "trust_dir"),
    ],
)
def test_bad_options_are_named(options: dict[str, object], message: str) -> None:
    with pytest.raises(DriverError, match=message):
        make_decoder(options)


# --- the simulator through real ports ------------------------------------------------


def read_readings(fd: int, want: int, timeout: float = 30.0) -> list[Reading]:
    decoder = make_decoder({"suffix": "cr"})
    readings: list[Reading] = []
    deadline = time.monotonic() + timeout
    while len(readings) < want and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        now = time.monotonic()
        if ready:
            readings += decoder.feed(os.read(fd, 4096), now)
        readings += decoder.tick(now)
    return readings


def test_sim_over_pty_pair_into_decoder(tmp_path: Path) -> None:
    scans = tmp_path / "scans.txt"
    scans.write_text("# border traffic\nCSQU3054383\n10NL5663962BE1E825\n0109506000134352<GS>\n")
    proc = subprocess.Popen(
        [*BORDERPOST, "sim", "scanner", "--port", "pty", "--file", str(scans), "--aim",
         "--interval", "0.01", "--count", "6", "--delay", "0"],
        stdout=subprocess.PIPE, cwd=REPO,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        port = json.loads(proc.stdout.readline())["port"]
        # Opened without pyserial, which would flush what a busy machine let the
        # simulator write before this line ran: the test stays deterministic.
        fd = os.open(port, os.O_RDWR | os.O_NOCTTY)  # the simulator made it raw already
        readings = read_readings(fd, 6)
        os.close(fd)
    finally:
        proc.wait(timeout=10)
    kinds = [r.payload["parsed"]["kind"] for r in readings]
    assert kinds == ["container", "mrn", "gs1"] * 2
    assert all(r.payload["parsed"]["valid"] for r in readings)
    assert readings[2].payload["symbology"] == "]C1"


def test_sim_generated_traffic_over_tcp() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [*BORDERPOST, "sim", "scanner", "--port", f"socket://127.0.0.1:{port}", "--seed", "7",
         "--interval", "0", "--count", "20", "--bad-ratio", "0.5"],
        cwd=REPO,
    )  # fmt: skip
    try:
        conn = _connect(port)
        readings = read_readings(conn.fileno(), 20)
        conn.close()
    finally:
        proc.wait(timeout=10)
    assert len(readings) == 20
    valid = [r.payload["parsed"]["valid"] for r in readings]
    assert any(valid) and not all(valid)
    assert all(r.keys == () for r, ok in zip(readings, valid, strict=True) if not ok)


def _connect(port: int) -> socket.socket:
    deadline = time.monotonic() + 60  # a loaded CI machine takes a while to start Python
    while time.monotonic() < deadline:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            time.sleep(0.05)
    raise AssertionError("simulator did not listen within 60 s")


def test_sim_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("hex:zz\n")
    run = subprocess.run(
        [*BORDERPOST, "sim", "scanner", "--port", "pty", "--file", str(bad)],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 2 and "bad.txt:1" in run.stderr
