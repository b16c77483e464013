"""`borderpost rpm replay|export` and `borderpost sim rpm`, end to end over a pty and TCP."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.base import Reading
from drivers.rpm.device import make_decoder
from edge.cli import main
from tests.conftest import TESTDATA

REPO = Path(__file__).resolve().parents[1]
RECORDING = TESTDATA / "rpm" / "rapiscanlabs_S2-C0-NONE.csv"  # MIT, copied with its licence
needs_data = pytest.mark.skipif(
    not RECORDING.exists(), reason=f"RPM recording {RECORDING} is missing from the checkout"
)
N42 = "{http://physics.nist.gov/N42/2011/N42}"


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


@needs_data
def test_replay_json_prints_25_occupancies_and_the_setup_fault(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["rpm", "replay", str(RECORDING), "--json"])
    docs = json_lines(capsys.readouterr().out)
    occ = [d for d in docs if "occupancy" in d]
    assert len(occ) == 25 and code == 1  # 1: a fault (no setup lines in the recording)
    assert [d["fault"] for d in docs if "fault" in d] == ["setup-missing"]
    keys = {"occupancy", "start", "end", "device_gamma_alarm", "device_neutron_alarm",
            "gamma_alarm", "neutron_alarm", "peak_sigma", "speed_kmh", "gamma_background_cps",
            "neutron_background_cps", "norm_suspect", "faults"}  # fmt: skip
    assert keys <= set(occ[0])
    assert not any(d["gamma_alarm"] or d["device_gamma_alarm"] or d["neutron_alarm"] for d in occ)
    assert occ[0]["start"] == "2016-05-31T16:32:18.558Z"


@needs_data
def test_replay_from_stdin_and_sigma(tmp_path: Path) -> None:
    lines = RECORDING.read_bytes().splitlines(keepends=True)[:600]
    proc = subprocess.run(
        [sys.executable, "-m", "edge", "rpm", "replay", "-", "--json", "--sigma", "1"],
        input=b"".join(lines), capture_output=True, timeout=60,
    )  # fmt: skip
    docs = json_lines(proc.stdout.decode())
    assert docs[0]["occupancy"] == 17 and docs[0]["gamma_alarm"] is True  # peak 1.16 > 1
    assert proc.returncode == 1


def test_replay_plain_text_and_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = tmp_path / "lane.txt"
    body = ["SG1,002000,000068,05,10,05.0,P", "GB,000380,000380,000380,000380"]
    body += ["GA,000076,000076,000076,000076"] * 10 + ["GX,000003,006000,000000,000000", "junk"]
    rec.write_text("\r\n".join(body) + "\r\n")
    assert main(["rpm", "replay", str(rec)]) == 1
    out = capsys.readouterr().out
    assert "ALARM    occupancy 3" in out and "disagreement" in out
    with pytest.raises(SystemExit) as exc:
        main(["rpm", "replay", str(tmp_path / "missing")])
    assert exc.value.code == 2 and "cannot read" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["rpm", "replay", str(rec), "--sigma", "0"])


@needs_data
def test_export_n42(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "occ.n42"
    assert main(["rpm", "export", str(RECORDING), "--occupancy", "20", "-o", str(out)]) == 0
    root = ET.parse(out).getroot()
    assert root.tag == f"{N42}RadInstrumentData"
    measurements = root.findall(f"{N42}RadMeasurement")
    assert measurements[0].findtext(f"{N42}MeasurementClassCode") == "Background"
    assert len(measurements) == 1 + 63  # background + one per 200 ms interval
    assert {m.findtext(f"{N42}OccupancyIndicator") for m in measurements[1:]} == {"true"}
    desc = root.findtext(f"{N42}AnalysisResults/{N42}AnalysisResultDescription") or ""
    assert "occupancy 20" in desc and root.find(f".//{N42}RadAlarm") is None
    with pytest.raises(SystemExit) as exc:
        main(["rpm", "export", str(RECORDING), "--occupancy", "2"])
    assert exc.value.code == 2 and "no occupancy 2" in capsys.readouterr().err


def test_sim_rejects_bad_flags(capsys: pytest.CaptureFixture[str]) -> None:
    for flags in (["--rate", "0"], ["--norm-fraction", "2"], ["--duration", "-1"]):
        with pytest.raises(SystemExit):
            main(["sim", "rpm", "--port", "pty", *flags])
    with pytest.raises(SystemExit):
        main(["sim", "rpm", "--port", "pty", "--fault", "gremlins"])


def test_sim_refuses_a_port_it_cannot_serve_in_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Port 99999 gave an OverflowError traceback (line protocol) or a ValueError one
    (Aspect), and a port in use pymodbus' RuntimeError traceback."""
    taken = socket.create_server(("127.0.0.1", 0))
    busy = f"modbus://127.0.0.1:{taken.getsockname()[1]}"
    cases = [
        (["--port", "socket://127.0.0.1:99999"], "(port 1 to 65535)"),
        (["--vendor", "aspect", "--port", "modbus://127.0.0.1:99999"], "(port 1 to 65535)"),
        (["--vendor", "aspect", "--port", busy], "the port is in use"),
    ]
    with taken:
        for flags, expected in cases:
            with pytest.raises(SystemExit) as exit_:
                main(["sim", "rpm", *flags])
            assert exit_.value.code == 2 and expected in capsys.readouterr().err


def collect(
    fd_or_sock: int | socket.socket, seconds: float, until: Callable[[list[Reading]], bool]
) -> list[Reading]:
    decoder = make_decoder({"setup_timeout_s": 30})
    readings: list[Reading] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd_or_sock], [], [], 0.1)
        now = time.monotonic()
        if ready:
            data = (
                fd_or_sock.recv(65536)
                if isinstance(fd_or_sock, socket.socket)
                else os.read(fd_or_sock, 65536)
            )
            if not data:
                break
            readings += decoder.feed(data, now)
        readings += decoder.tick(now)
        if until(readings):
            break
    return readings


def sim(*flags: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "edge", "sim", "rpm", *flags],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_simulator_over_a_pty_to_the_decoder() -> None:
    proc = sim("--port", "pty", "--rate", "10", "--vehicles-per-min", "20", "--seed", "3",
               "--source-sigma", "15", "--duration", "60", "--delay", "0.5")  # fmt: skip
    try:
        assert proc.stdout is not None
        port = json.loads(proc.stdout.readline())["port"]
        fd = os.open(port, os.O_RDONLY | os.O_NOCTTY)
        try:
            readings = collect(fd, 30.0, lambda rs: sum(r.kind == "rpm.occupancy" for r in rs) >= 5)
        finally:
            os.close(fd)
    finally:
        proc.kill()
        proc.wait()
    occ = [r for r in readings if r.kind == "rpm.occupancy"]
    assert len(occ) >= 5
    assert all(r.priority == 2 and r.alert == "radiation" for r in occ)
    assert all(r.payload["gamma_alarm"] and r.payload["device_gamma_alarm"] for r in occ)
    status = [r for r in readings if r.kind == "rpm.status"]
    assert status and status[0].payload["protected"] is True
    assert not [r for r in readings if r.kind == "rpm.fault"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_simulator_as_tcp_server_with_a_fault() -> None:
    port = free_port()
    proc = sim("--port", f"socket://127.0.0.1:{port}", "--rate", "10", "--fault", "tamper",
               "--vehicles-per-min", "0", "--duration", "40", "--seed", "1")  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline, "simulator did not listen"
                time.sleep(0.05)
        with conn:
            readings = collect(conn, 20.0, lambda rs: any(r.kind == "rpm.fault" for r in rs))
    finally:
        proc.kill()
        proc.wait()
    faults = [r for r in readings if r.kind == "rpm.fault"]
    assert faults and faults[0].payload["fault"] == "tamper"
    assert faults[0].priority == 2 and faults[0].alert == "rpm-fault"


def test_source_fraction_puts_the_source_in_some_vehicles_only() -> None:
    import numpy as np

    from drivers.rpm.sim import SimConfig, random_vehicle

    rng = np.random.default_rng(5)
    cfg = SimConfig(source_sigma=9.0, source_fraction=0.25)
    carried = [random_vehicle(rng, cfg).source_sigma for _ in range(2000)]
    share = sum(1 for s in carried if s == 9.0) / len(carried)
    assert set(carried) == {0.0, 9.0} and 0.2 < share < 0.3
