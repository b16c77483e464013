"""Camera capture: URL kinds, the grabber thread (newest frame wins, recordings
without loss, reconnect with backoff and faults) and the CameraSource adapter."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from drivers.base import DriverError, Reading
from drivers.camera import capture
from drivers.camera.device import CameraSource, parse_options


def _numbered(n: int) -> np.ndarray[Any, Any]:
    return np.full((8, 8, 3), n % 256, np.uint8)


def test_parse_url_kinds(tmp_path: Path) -> None:
    video = tmp_path / "clip.avi"
    video.write_bytes(b"x")
    assert capture.parse_url("v4l2:0") == capture.CameraUrl("v4l2", 0)
    assert capture.parse_url("/dev/video2").kind == "v4l2"
    # the udev rules' link (docs/technician-guide.md): was refused as "not v4l2:N, …"
    assert capture.parse_url("/dev/borderpost-camera").kind == "v4l2"
    assert capture.parse_url("rtsp://10.0.0.5/stream").kind == "stream"
    assert capture.parse_url("https://cam.local/mjpg").live
    assert capture.parse_url(str(tmp_path)).kind == "folder"
    assert capture.parse_url(str(video)).kind == "file"
    for bad in ("", "v4l2:x", str(tmp_path / "missing.avi"), "rtsp://a\x1b[2J", "x" * 2000):
        with pytest.raises(capture.CaptureError):
            capture.parse_url(bad)


def test_folder_replayed_in_order_without_loss(tmp_path: Path) -> None:
    for i in range(6):
        cv2.imwrite(str(tmp_path / f"{i:02d}.png"), _numbered(i * 10))
    (tmp_path / "notes.txt").write_text("not an image")
    grabber = capture.Grabber(str(tmp_path), fps=0)
    grabber.start()
    seen, seq = [], 0
    while (frame := grabber.latest(seq, timeout=2.0)) is not None:
        seq = frame.seq
        seen.append(int(frame.image[0, 0, 0]))
        time.sleep(0.01)  # a slow consumer still gets every frame of a recording
    assert seen == [0, 10, 20, 30, 40, 50]
    assert grabber.ended.is_set()
    grabber.stop()


def test_video_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    if not writer.isOpened():
        pytest.skip("this OpenCV build writes no MJPG AVI")
    for i in range(5):
        writer.write(np.full((48, 64, 3), 40 * i, np.uint8))
    writer.release()
    grabber = capture.Grabber(str(path), fps=0)
    grabber.start()
    count, seq = 0, 0
    while (frame := grabber.latest(seq, timeout=2.0)) is not None:
        seq, count = frame.seq, count + 1
    assert count == 5
    grabber.stop()


class CountingCamera:
    """A live source that makes numbered frames as fast as it is asked (a stand-in
    for a camera, which this machine does not have)."""

    def __init__(self, limit: int = 10**9) -> None:
        self.n = 0
        self.limit = limit

    def read(self) -> np.ndarray[Any, Any] | None:
        self.n += 1
        return None if self.n > self.limit else _numbered(self.n)

    def close(self) -> None:
        pass


def test_live_camera_newest_frame_wins_and_fps_cap() -> None:
    cam = CountingCamera()
    grabber = capture.Grabber("rtsp://camera/x", fps=50, opener=lambda _u, _l: cam)
    grabber.start()
    first = grabber.latest(0, timeout=2.0)
    assert first is not None
    time.sleep(0.3)  # consumer busy: frames pile up at the grabber, only the last is kept
    later = grabber.latest(first.seq, timeout=2.0)
    grabber.stop()
    assert later is not None and later.seq > first.seq + 3
    assert cam.n < 40  # 50 fps cap over ~0.3 s, not thousands of frames


def test_lost_camera_reports_faults_and_reconnects_with_backoff() -> None:
    faults: list[capture.Fault] = []
    attempts = {"n": 0}

    def opener(_url: capture.CameraUrl, _loop: bool) -> capture.FrameSource:
        attempts["n"] += 1
        if attempts["n"] <= 3:
            raise OSError("cannot open camera /dev/video0")
        return CountingCamera(limit=3)  # then it gives 3 frames and drops out

    grabber = capture.Grabber("/dev/video0", fps=0, backoff=(0.02, 0.08), opener=opener,
                              on_fault=faults.append)  # fmt: skip
    grabber.start()
    frame = grabber.latest(0, timeout=3.0)
    deadline = time.monotonic() + 3
    while len(faults) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    grabber.stop()
    assert frame is not None
    assert [f.retry_in for f in faults[:3]] == [0.02, 0.04, 0.08]
    assert faults[3].message == "camera stopped sending frames"
    assert faults[3].retry_in == 0.02  # it worked for a while: backoff starts again


def test_camera_source_options_are_checked() -> None:
    assert parse_options({}).frames == 2
    for bad, word in [({"fps": 0}, "fps"), ({"frames": "two"}, "frames"),
                      ({"mrz": "yes"}, "mrz"), ({"zoom": 2}, "unknown"),
                      ({"symbologies": ["qr"]}, "symbology"),
                      ({"decoders": {"aztec": "pyzbar"}}, "decoder")]:  # fmt: skip
        with pytest.raises(DriverError, match=word):
            parse_options(bad)
    with pytest.raises(DriverError, match="camera URL"):
        CameraSource("/nonexistent/camera")


def test_camera_source_reports_missing_camera_as_fault() -> None:
    got: list[Reading] = []
    lock = threading.Lock()

    def on_reading(r: Reading) -> None:
        with lock:
            got.append(r)

    source = CameraSource("v4l2:63", {"fps": 5}, on_reading)
    source.grabber.backoff = (0.05, 0.1)
    source.start()
    deadline = time.monotonic() + 3
    while not got and time.monotonic() < deadline:
        time.sleep(0.02)
    source.stop()
    assert got and got[0].kind == "device.fault" and got[0].priority == 1
    assert got[0].payload["device"] == "camera"


def test_camera_source_reads_a_folder_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    from drivers.camera import synth

    lines = synth.td3_lines("L898902C3", "ERIKSSON", "ANNA MARIA")
    frames = [synth.mrz_frame(lines, 1), synth.mrz_frame(lines, 2, "noise"),
              synth.mrz_frame(lines, 3, "blur"),
              synth.barcode_frame("qrcode", "TIR XY123", 1),
              synth.barcode_frame("qrcode", "TIR XY123", 2),
              synth.background(seed=5)]  # fmt: skip
    for i, frame in enumerate(frames):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), frame)
    got: list[Reading] = []
    source = CameraSource(str(tmp_path), {"fps": 60}, got.append)
    source.start()
    deadline = time.monotonic() + 60
    while not source.done and time.monotonic() < deadline:
        time.sleep(0.05)
    source.stop()
    assert source.frames == len(frames)
    kinds = [r.kind for r in got]
    assert kinds.count("mrz") == 1 and kinds.count("barcode") == 1, kinds
    mrz = next(r for r in got if r.kind == "mrz")
    assert mrz.payload["document_number"] == "L898902C3"
    assert getattr(mrz.keys[0], "number", None) == "L898902C3"
    code = next(r for r in got if r.kind == "barcode")
    assert code.payload["text"] == "TIR XY123" and code.payload["symbology"] == "qrcode"
