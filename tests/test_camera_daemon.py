"""A camera in the daemon: a folder of frames becomes MRZ and barcode events on the API."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
from conftest import start_daemon

from edge.api.client import ApiClient
from edge.store import Store, officers


def test_camera_frames_become_events(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    from drivers.camera import synth

    frames_dir = tmp_path / "frames"
    frames_dir.mkdir()
    lines = synth.td3_lines("L898902C3", "ERIKSSON", "ANNA MARIA")
    frames = [
        synth.mrz_frame(lines, 1),
        synth.mrz_frame(lines, 2, "noise"),
        synth.mrz_frame(lines, 3, "blur"),
        synth.barcode_frame("qrcode", "CSQU3054383", 1),
        synth.background(seed=5),
    ]
    for i, frame in enumerate(frames):
        cv2.imwrite(str(frames_dir / f"{i:03d}.png"), frame)
    with camera_daemon(tmp_path, frames_dir, "2", "fps = 30") as client:
        deadline, kinds = time.monotonic() + 60, {}
        while time.monotonic() < deadline and not {"mrz", "barcode"} <= set(kinds):
            kinds = {e["kind"]: e for e in client.call("events", limit=20)["events"]}
            time.sleep(0.2)
        assert kinds["mrz"]["payload"]["document_number"] == "L898902C3"
        assert kinds["mrz"]["device"] == "cam1" and kinds["mrz"]["lane"] == "2"
        assert kinds["barcode"]["payload"]["parsed"]["kind"] == "container"
        assert client.call("devices")["devices"][0]["state"] == "ok"


@contextlib.contextmanager
def camera_daemon(tmp_path: Path, frames: Path, lane: str, options: str) -> Iterator[ApiClient]:
    """A daemon whose one camera reads the folder ``frames``; a logged-in API client."""
    config = tmp_path / "c.toml"
    config.write_text(f'[[devices]]\nname = "cam1"\nkind = "camera"\nurl = "{frames}"\n'
                      f'lane = "{lane}"\noptions = {{ {options} }}\n')  # fmt: skip
    state = tmp_path / "state"
    state.mkdir()
    officers.add(Store.open(state / "events.db"), "anna", "Anna", "officer", "1234", "test")
    daemon = start_daemon(state, "--config", str(config))
    try:
        client = ApiClient(daemon.socket, timeout=10)
        client.call("login", officer_id="anna", pin="1234")
        yield client
    finally:
        daemon.stop()
