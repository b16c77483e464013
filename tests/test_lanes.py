"""Lanes in a real daemon: documents join the occupancy that follows; faults unprotect a lane."""

from __future__ import annotations

import os
import tty
from pathlib import Path

from conftest import eventually, start_daemon

from drivers.base import Reading
from edge.api.client import ApiClient
from edge.lanes import LaneTracker
from edge.store import Store, officers

QUIET = b"GS,000076,000076,000076,000076\r\n"


def test_tracker_joins_documents_and_follows_faults() -> None:
    lanes = LaneTracker(window_s=60)
    lanes.stored(Reading.of("mrz", {}), "1", "mrz-1", 10)
    lanes.stored(Reading.of("barcode", {}), "2", "scan-2", 11)
    occupancy = lanes.prepare(Reading.of("rpm.occupancy", {"occupancy": 5}), "1")
    assert occupancy.payload["crossing"] == {"lane": "1", "documents": [10]}
    assert lanes.prepare(Reading.of("rpm.occupancy", {}), "3").payload["crossing"] is None
    lanes.stored(Reading.of("rpm.fault", {"fault": "tamper", "cleared": False}), "1", "rpm-1", 12)
    lanes.stored(Reading.of("rpm.fault", {"fault": "disagreement"}), "1", "rpm-1", 13)
    assert lanes.rpm_state("rpm-1") == (False, ["tamper"])
    lanes.stored(Reading.of("rpm.fault", {"fault": "tamper", "cleared": True}), "1", "rpm-1", 14)
    assert lanes.rpm_state("rpm-1") == (True, [])
    lanes.stored(Reading.of("rpm.status", {"protected": False}), "1", "rpm-1", 15)
    assert lanes.rpm_state("rpm-1")[0] is False


def test_lane_protection_and_crossing_in_the_daemon(tmp_path: Path) -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[devices]]\nname = "rpm1"\nkind = "rpm"\nurl = "{os.ttyname(slave)}"\nlane = "3"\n'
        "[devices.options]\nsetup_timeout_s = 0\n"
    )
    state = tmp_path / "state"
    state.mkdir()
    officers.add(Store.open(state / "events.db"), "anna", "Anna", "officer", "1234", "test")
    daemon = start_daemon(state, "--config", str(config), "--allow-inject")
    try:
        client = ApiClient(daemon.socket, timeout=10)
        client.call("login", officer_id="anna", pin="1234")
        lane = lambda: client.call("status")["lanes"]["3"]  # noqa: E731
        os.write(master, b"GB,000380,000380,000380,000380\r\n")
        eventually(lambda: lane()["protected"])
        doc = client.call("inject", kind="mrz", payload={"document_number": "X1"}, lane="3")
        client.call("subscribe", kinds=["rpm.occupancy"])
        os.write(master, QUIET * 10 + b"GX,000007,006000,000000,000000\r\n")
        occupancy = client.next_event()
        assert occupancy["payload"]["crossing"]["documents"] == [doc["event"]["seq"]]
        os.write(master, b"TT\r\n")
        eventually(lambda: not lane()["protected"])
        assert lane()["faults"] == ["tamper"]
        os.write(master, b"TC\r\n")
        eventually(lambda: lane()["protected"])
    finally:
        daemon.stop()
        os.close(master)
        os.close(slave)
