"""The RPM driver inside a real daemon: a pty lane, an alarm occupancy and a tamper fault."""

from __future__ import annotations

import os
import tty
from pathlib import Path

from conftest import start_daemon

from edge.api.client import ApiClient
from edge.store import Store, officers


def rpm_client(state: Path, timeout: float = 10) -> ApiClient:
    """An officer logged in to the daemon of ``state``, subscribed to the RPM events."""
    store = Store.open(state / "events.db")
    officers.add(store, "rpmtest", "Rpm Test", "officer", "1234", "test")
    store.close()
    client = ApiClient(state / "api.sock", timeout=timeout)
    client.call("login", officer_id="rpmtest", pin="1234")
    client.call("subscribe", kinds=["rpm.occupancy", "rpm.fault"])
    return client


def test_alarm_occupancy_and_tamper_reach_the_api(tmp_path: Path) -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[devices]]\nname = "rpm1"\nkind = "rpm"\nurl = "{os.ttyname(slave)}"\nlane = "3"\n'
        "[devices.options]\nsetup_timeout_s = 0\n"
    )
    daemon = start_daemon(tmp_path / "state", "--config", str(config))
    try:
        client = rpm_client(daemon.state_dir)
        quiet, hot = b"GS,000076,000076,000076,000076\r\n", b"GA,000120,000120,000090,000090\r\n"
        os.write(master, b"GB,000380,000380,000380,000380\r\n" + quiet * 10)
        os.write(master, hot * 5 + quiet * 5 + b"GX,000042,006000,000000,000000\r\n")
        event = client.next_event()
        assert event["kind"] == "rpm.occupancy" and event["priority"] == 2
        payload = event["payload"]
        assert payload["occupancy"] == 42 and payload["gamma_alarm"] is True
        assert payload["device_gamma_alarm"] is True and payload["peak_group"] == "1+2"
        assert len(payload["gamma_series"]) == 20 and payload["gamma_threshold_1s"] > 1520
        window = payload["neutron_window_s"]
        assert 0 <= window <= 3 and isinstance(payload["neutron_window_counts"], int)  # shown
        os.write(master, b"TT\r\n")
        fault = client.next_event()
        assert fault["kind"] == "rpm.fault" and fault["payload"]["fault"] == "tamper"
        assert fault["priority"] == 2 and fault["lane"] == "3"
        client.close()
    finally:
        daemon.stop()
        os.close(master)
        os.close(slave)
