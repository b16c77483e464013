"""The daemon process: starts with no config, answers status, survives devices, stops fast."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from pathlib import Path
from typing import Any

from conftest import borderpost, eventually, start_daemon

from edge.api.client import ApiClient


def test_starts_without_config_answers_status_and_stops_within_2s(tmp_path: Path) -> None:
    daemon = start_daemon(tmp_path / "state")
    result = borderpost("status", "--json", "--state-dir", str(daemon.state_dir))
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert list(status)[:8] == [
        "post_id",
        "version",
        "uptime_s",
        "devices",
        "last_seq",
        "backlog",
        "watchlist_version",
        "broker",
    ]
    assert status["post_id"] == "post-01" and status["broker"]["connected"] is False
    shown = borderpost("status", "--state-dir", str(daemon.state_dir)).stdout
    assert "broker offline (no [broker] configured" in shown and "{" not in shown, shown
    assert daemon.stop() < 2.0
    assert daemon.proc.returncode == 0
    assert not daemon.socket.exists()


def test_status_says_the_broker_link_in_words() -> None:
    from edge.cli.status import broker_text

    link = {"connected": True, "broker": "hq:8883", "last_ack_seq": 41, "last_error": None}
    assert broker_text(link) == "hq:8883 connected, HQ has events up to 41"
    down = link | {"connected": False, "last_ack_seq": None, "last_error": "refused\x1b[2J"}
    assert broker_text(down) == "hq:8883 NOT connected, HQ has no event yet, last error: refused[2J"


def test_status_names_a_lane_that_is_not_protected() -> None:
    """An RPM whose TCP link is up shows state ``ok``; a silent or garbled one leaves its
    lane unprotected, and the text status said nothing of it (only ``--json`` did)."""
    from edge.cli.status import device_lines

    rpm = {"name": "rpm-1", "kind": "rpm", "lane": "1", "state": "ok", "fault": None}
    mrz = rpm | {"name": "mrz-2", "kind": "mrz", "lane": "2", "fault": "gone\x1b[2J"}
    lanes = {
        "1": {"protected": False, "rpm": "rpm-1", "faults": ["silence", "tamper"]},
        "2": {"protected": False, "rpm": None, "faults": []},
        "3": {"protected": True, "rpm": "rpm-3", "faults": []},
    }
    lines = device_lines({"devices": [rpm, mrz], "lanes": lanes})
    assert lines[2:] == ["lane 1 NOT PROTECTED (rpm rpm-1: silence, tamper)", "lane 2 no RPM"]
    assert lines[1].endswith("gone[2J")


def test_status_reports_a_dead_daemon(tmp_path: Path) -> None:
    result = borderpost("status", "--json", "--state-dir", str(tmp_path))
    assert result.returncode == 1 and "does not answer" in result.stderr
    assert "is it running (systemctl status borderpost" in result.stderr  # what to look at


def test_state_dir_from_environment(tmp_path: Path) -> None:
    env = {"BORDERPOST_STATE_DIR": str(tmp_path / "envstate")}
    result = borderpost("officer", "list", "--json", env={**os.environ, **env})
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert (tmp_path / "envstate" / "events.db").exists()


def test_missing_device_is_a_fault_not_a_crash(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[[devices]]\nname = "gone"\nkind = "scanner"\nurl = "/dev/ttyNOPE9"\nlane = "2"\n'
    )
    daemon = start_daemon(tmp_path / "state", "--config", str(config))
    client = ApiClient(daemon.socket)
    dev = eventually(lambda: [d for d in client.call("status")["devices"] if d["state"] == "fault"])
    assert dev[0]["name"] == "gone" and "ttyNOPE9" in dev[0]["fault"]
    assert client.call("status")["lanes"]["2"]["protected"] is False
    assert daemon.stop() < 2.0


def test_scanner_over_a_pty_becomes_an_event(tmp_path: Path) -> None:
    master, slave = os.openpty()
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[devices]]\nname = "scan1"\nkind = "scanner"\nurl = "{os.ttyname(slave)}"\n'
    )
    daemon = start_daemon(tmp_path / "state", "--config", str(config), "--allow-inject")
    client = ApiClient(daemon.socket)
    eventually(lambda: client.call("status")["devices"][0]["state"] == "ok")
    os.write(master, b"CSQU3054383\r")
    events = eventually(lambda: client.call("status")["last_seq"] >= 2 and _events(daemon))
    barcode = [e for e in events if e["kind"] == "barcode"]
    assert barcode and barcode[0]["payload"]["text"] == "CSQU3054383"
    assert barcode[0]["device"] == "scan1"
    assert daemon.stop() < 2.0
    os.close(master)
    os.close(slave)


def _events(daemon) -> list[dict]:  # type: ignore[no-untyped-def]
    from edge.store import Store

    store = Store.open(daemon.state_dir / "events.db")
    from edge.events import event_json

    return [event_json(e) for e in store.events(limit=50)]


def test_tells_systemd_ready_and_watchdog(tmp_path: Path) -> None:
    notify = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify))
    sock.settimeout(10)
    daemon = start_daemon(
        tmp_path / "state", env={"NOTIFY_SOCKET": str(notify), "WATCHDOG_USEC": "400000"}
    )
    messages = set()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not {"READY=1", "WATCHDOG=1"} <= messages:
        messages.update(sock.recv(4096).decode().split("\n"))
    assert "READY=1" in messages and "WATCHDOG=1" in messages
    daemon.stop()
    sock.close()


def _notices(sock: socket.socket, until: str, within_s: float = 20) -> list[str]:
    """The sd_notify lines a daemon sent, in order, up to the first equal to ``until``."""
    lines: list[str] = []
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline and until not in lines:
        lines += sock.recv(4096).decode().split("\n")
    return lines


def test_start_up_is_extended_while_the_watchlist_is_opened_and_upgraded(tmp_path: Path) -> None:
    """A million-entry list's upgrade takes minutes, beyond the unit's start timeout: the
    daemon keeps asking systemd for more time until the list is open, then says READY."""
    import sqlite3

    from edge.watchlist.db import MIGRATIONS, Watchlist

    state = tmp_path / "state"
    Watchlist.open(state / "watchlist.db").close()
    with sqlite3.connect(state / "watchlist.db") as conn:
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS) - 1}")  # one step to take
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    sock.settimeout(10)
    daemon = start_daemon(state, env={"NOTIFY_SOCKET": str(tmp_path / "notify.sock")})
    lines = _notices(sock, "READY=1")
    daemon.stop()
    sock.close()
    extend = [i for i, line in enumerate(lines) if line.startswith("EXTEND_TIMEOUT_USEC=")]
    assert extend and extend[0] < lines.index("READY=1"), lines
    assert "STATUS=opening the watchlist" in lines[extend[0] + 1]
    with sqlite3.connect(state / "watchlist.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_extending_start_beats_until_the_block_ends(tmp_path: Path, monkeypatch: Any) -> None:
    from edge import systemd

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "n.sock"))
    sock.settimeout(0.5)
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "n.sock"))
    with systemd.extending_start("busy", every_s=0.05, extend_s=7):
        time.sleep(0.6)  # about 12 beats; 3 even on a loaded machine
    got = []
    with contextlib.suppress(TimeoutError):
        while True:
            got.append(sock.recv(4096).decode())
    assert len(got) >= 3 and set(got) == {"EXTEND_TIMEOUT_USEC=7000000\nSTATUS=busy"}
    time.sleep(0.2)
    sock.setblocking(False)
    with contextlib.suppress(BlockingIOError):
        assert not sock.recv(4096), "still beating after the block"
    sock.close()


def test_a_full_notify_queue_does_not_stall_the_daemon(tmp_path: Path, monkeypatch: Any) -> None:
    """A manager that reads nothing fills the socket's queue (ten datagrams by default): a
    notice then fails after SEND_TIMEOUT_S instead of blocking its caller for good."""
    from edge import systemd

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "n.sock"))
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "n.sock"))
    monkeypatch.setattr(systemd, "SEND_TIMEOUT_S", 0.05)
    start = time.monotonic()
    sent = [systemd.notify("WATCHDOG=1") for _ in range(40)]
    assert sent[0] and not sent[-1] and time.monotonic() - start < 10
    sock.close()


def test_technician_changes_a_device_setting_safely(tmp_path: Path) -> None:
    from edge.store import Store, officers

    master, slave = os.openpty()
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[devices]]\nname = "scan1"\nkind = "scanner"\nurl = "{os.ttyname(slave)}"\n'
    )
    state = tmp_path / "state"
    state.mkdir()
    officers.add(Store.open(state / "events.db"), "tom", "Tom", "technician", "1234", "test")
    daemon = start_daemon(state, "--config", str(config))
    tech = ApiClient(daemon.socket)
    tech.call("login", officer_id="tom", pin="1234")
    eventually(lambda: tech.call("devices")["devices"][0]["state"] == "ok")
    from edge.api.protocol import ApiError

    for key, value in [("baudrate", 12345), ("options", {"suffix": "tab"}), ("name", "x")]:
        try:
            tech.call("config.set", device="scan1", key=key, value=value)
            raise AssertionError("accepted a bad value")
        except ApiError as err:
            assert err.code == "bad_request"
    assert tech.call("config.get")["devices"][0]["baudrate"] == 9600
    changed = tech.call("config.set", device="scan1", key="options", value={"suffix": "lf"})
    assert changed["device"]["name"] == "scan1"
    eventually(lambda: tech.call("devices")["devices"][0]["state"] == "ok")
    os.write(master, b"CSQU3054383\n")
    eventually(lambda: [e for e in _events(daemon) if e["kind"] == "barcode"])
    frames = tech.call("device.raw", name="scan1")["frames"]
    assert bytes.fromhex("".join(f["hex"] for f in frames)) == b"CSQU3054383\n"
    assert daemon.stop() < 2.0
    # the override survives a restart and is in the audit log
    daemon = start_daemon(state, "--config", str(config))
    tech = ApiClient(daemon.socket)
    tech.call("login", officer_id="tom", pin="1234")
    assert tech.call("config.get")["devices"][0]["options"] == {"suffix": "lf"}
    daemon.stop()
    os.close(master)
    os.close(slave)


def test_an_override_that_no_longer_fits_costs_only_itself(tmp_path: Path) -> None:
    """A technician's stored override that this version refuses (a URL no driver can open)
    stopped the whole post at start: 'configuration refused (with technician overrides)'."""
    from edge.store import Store

    config = tmp_path / "borderpost.toml"
    config.write_text('[[devices]]\nname = "rpm-1"\nkind = "rpm"\nurl = "socket://127.0.0.1:9"\n')
    state = tmp_path / "state"
    start_daemon(state, "--config", str(config)).stop()
    store = Store.open(state / "events.db")
    overrides = {"devices": {"rpm-1": {"url": "socket://127.0.0.1:99999"}}}
    store.set_setting("overrides", overrides, "test")
    store.close()
    daemon = start_daemon(state, "--config", str(config))
    try:
        status = json.loads(borderpost("status", "--json", "--state-dir", str(state)).stdout)
        assert status["devices"][0]["url"] == "socket://127.0.0.1:9"
        assert "technician overrides not applied" in daemon.log_text()
    finally:
        daemon.stop()
