"""Smoke test in a real terminal: tmux at 80x24 under TERM=linux, a real daemon behind it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from conftest import RunningDaemon

from edge.api.client import ApiClient
from edge.store import Store, officers

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One tmux server of our own, with one 80x24 window."""

    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.name, *args], capture_output=True, text=True)
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", *keys)

    def wait(self, check: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"waited for {what}; the screen shows:\n{self.screen()}")

    def alive(self) -> bool:
        return (
            subprocess.run(["tmux", "-L", self.name, "has-session"], capture_output=True).returncode
            == 0
        )


def _not_cut(screen: str) -> bool:
    """At 80 columns the banner keeps its key and the status line its clock (issue 27; a
    notification may cover the line's end for a few seconds)."""
    lines = screen.splitlines()
    banner = [line.rstrip() for line in lines if "OPEN ALERT" in line]
    status = [line.rstrip() for line in lines if line.startswith("DAEMON")]
    return bool(banner and status) and banner[0].endswith("F3") and status[0].endswith("Z")


def test_log_in_see_a_scan_adjudicate_and_quit(daemon: RunningDaemon) -> None:
    store = Store.open(daemon.state_dir / "events.db")
    officers.add(store, "anna", "Anna", "officer", "1234", "test")
    store.close()
    tmux = Tmux(f"bp-tui-{os.getpid()}")
    command = f"TERM=linux {sys.executable} -m edge tui --socket {daemon.socket}"
    tmux.run("new-session", "-d", "-x", "80", "-y", "24", "-e", "TERM=linux", command)
    try:
        _scenario(tmux, daemon)
    finally:
        tmux.run("kill-server")


def _scenario(tmux: Tmux, daemon: RunningDaemon) -> None:
    tmux.wait(lambda s: "Officer ID" in s and "DAEMON ok" in s, "the log-in screen")
    tmux.keys("anna", "Enter")
    time.sleep(0.5)
    tmux.keys("1234", "Enter")
    tmux.wait(lambda s: "Live lane" in s, "the live lane")
    payload = {"document_number": "L898902C3", "surname": "ERIKSSON", "given_names": "ANNA"}
    with ApiClient(daemon.socket) as client:
        client.call("inject", kind="mrz", payload=payload, priority=2, alert="watchlist", lane="1")
    tmux.wait(lambda s: "L898902C3" in s and "OPEN ALERT" in s, "the scan and its alert")
    tmux.wait(_not_cut, "the banner with its key and the status line with its clock, at 80 columns")
    tmux.keys("Up", "a")
    tmux.wait(lambda s: "Decide alert" in s and "false match" in s, "the decision form")
    tmux.keys("1")
    tmux.wait(lambda s: ">1 false match" in s, "a reason")
    tmux.keys("c")
    tmux.wait(lambda s: "OPEN ALERT" not in s and "clear" in s, "the alert cleared")
    with ApiClient(daemon.socket) as client:
        client.call("login", officer_id="anna", pin="1234")
        assert [a["state"] for a in client.call("alerts", state="all")["alerts"]] == ["cleared"]
    tmux.keys("C-q")
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not tmux.alive(), "the console did not quit"
    assert daemon.proc.poll() is None, "quitting the console must not stop the daemon"
