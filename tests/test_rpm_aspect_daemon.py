"""Aspect portals (pymodbus simulators) in a real daemon: occupancy, alarm, fault, reconnect."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from conftest import start_daemon
from test_rpm_daemon import rpm_client

from edge.api.client import ApiClient


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def portal(port: int, unit: int, *flags: str) -> subprocess.Popen[bytes]:
    """``borderpost sim rpm --vendor aspect`` on 127.0.0.1:port."""
    return subprocess.Popen(
        [sys.executable, "-m", "edge", "sim", "rpm", "--vendor", "aspect", "--port",
         f"modbus://127.0.0.1:{port}", "--unit", str(unit), "--seed", "4", *flags],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def device(name: str, lane: str, port: int) -> str:
    return (f'[[devices]]\nname = "{name}"\nkind = "rpm"\nurl = "modbus://127.0.0.1:{port}"\n'
            f'lane = "{lane}"\n')  # fmt: skip


def events_until(client: ApiClient, done: Any, seconds: float) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while not done(seen):
        assert time.monotonic() < deadline, f"gave up after {seconds} s; saw {seen}"
        seen.append(client.next_event())
    return seen


def fault_seen(seen: list[dict[str, Any]], lane: str, kind: str, cleared: bool) -> bool:
    return any(
        e["kind"] == "rpm.fault" and e["lane"] == lane and e["payload"]["fault"] == kind
        and e["payload"]["cleared"] is cleared for e in seen
    )  # fmt: skip


def test_two_aspect_lanes_alarm_fault_and_reconnect(tmp_path: Path) -> None:
    hot_port, door_port = free_port(), free_port()
    hot = portal(hot_port, 5, "--vehicles-per-min", "30", "--source-sigma", "15",
                 "--fault", "disconnect", "--duration", "60")  # fmt: skip
    door = portal(door_port, 1, "--vehicles-per-min", "0", "--fault", "door-open",
                  "--duration", "60")  # fmt: skip
    config = tmp_path / "c.toml"
    config.write_text(device("portal-a", "1", hot_port) + device("portal-b", "2", door_port))
    daemon = start_daemon(tmp_path / "state", "--config", str(config))
    try:
        client = rpm_client(daemon.state_dir, timeout=50)
        seen = events_until(client, lambda s: fault_seen(s, "1", "silence", True), 50)
        client.close()
    finally:
        daemon.stop()
        for proc in (hot, door):
            proc.kill()
            proc.wait()
    occ = [e for e in seen if e["kind"] == "rpm.occupancy"]
    assert occ and all(e["lane"] == "1" and e["priority"] == 2 for e in occ)
    assert all(e["payload"]["gamma_alarm"] and e["payload"]["device_gamma_alarm"] for e in occ)
    assert not any(e["payload"]["disagreement"] for e in occ)
    assert fault_seen(seen, "2", "door-open", False)  # a status bit, lane 2
    assert fault_seen(seen, "1", "silence", False)  # the portal went away ...
    silence = [e for e in seen if e["payload"].get("fault") == "silence"]
    back = _seconds(silence[-1]["payload"]["time"]) - _seconds(silence[0]["payload"]["time"])
    assert back <= 6 - 3 + 5  # read again within 5 s of the end of its 6 s outage (silence_s 3)


def _seconds(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
