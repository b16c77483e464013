"""Issue 25, part 2: the attacks of a hostile test on the daemon, its API and its officers,
each against a real ``borderpost run`` process (or real processes) on a real socket."""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RunningDaemon, borderpost, eventually, start_daemon

from edge.api.client import ApiClient
from edge.api.protocol import ApiError
from edge.store import Store, officers

PIN = "2468"
Spawn = Callable[..., RunningDaemon]


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """``start_daemon``, with every daemon it started killed after the test, pass or fail."""
    started: list[RunningDaemon] = []

    def start(state_dir: Path, *extra: str) -> RunningDaemon:
        started.append(running := start_daemon(state_dir, *extra))
        return running

    yield start
    for running in started:
        if running.proc.poll() is None:
            running.proc.kill()
            running.proc.wait()


def _add_officer(state_dir: Path, officer_id: str, role: str = "officer") -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(state_dir / "events.db")
    officers.add(store, officer_id, officer_id.title(), role, PIN, "test")
    store.close()


def _code(call: object) -> str:
    """The error code a call ends with ("ok" when it succeeds)."""
    try:
        call()  # type: ignore[operator]
    except ApiError as exc:
        return exc.code
    return "ok"


# -- 6. lock-out races -------------------------------------------------------------------


def test_a_burst_of_wrong_pins_never_exceeds_the_limit(tmp_path: Path, spawn: Spawn) -> None:
    """16 log-ins at once (one Unix user's share of the connections), over 16 real
    connections: at most 5 PINs are ever checked (the limit), and the right PIN after the
    lock-out is refused."""
    _add_officer(tmp_path / "state", "anna")
    daemon = spawn(tmp_path / "state")
    clients = [ApiClient(daemon.socket, timeout=60) for _ in range(16)]
    start = threading.Barrier(len(clients))
    codes: list[str] = []

    def attempt(client: ApiClient, pin: str) -> None:
        start.wait()
        codes.append(_code(lambda: client.call("login", officer_id="anna", pin=pin)))

    pins = ["0000"] * 15 + [PIN]
    threads = [threading.Thread(target=attempt, args=cp) for cp in zip(clients, pins, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = codes.count("bad_credentials") + codes.count("ok")
    assert checked <= 5 and codes.count("locked_out") >= 11, codes
    if "ok" not in codes:  # the right PIN came too late: it must be refused now as well
        late = ApiClient(daemon.socket)
        assert _code(lambda: late.call("login", officer_id="anna", pin=PIN)) == "locked_out"
    daemon.stop()


def test_a_disabled_officers_sessions_end_at_once(tmp_path: Path, spawn: Spawn) -> None:
    """Disabled over the API or from the command line, the officer's open sessions end."""
    for officer_id, role in (("sup", "supervisor"), ("bob", "officer"), ("eve", "officer")):
        _add_officer(tmp_path / "state", officer_id, role)
    daemon = spawn(tmp_path / "state")
    sessions = {}
    for officer_id in ("sup", "bob", "eve"):
        sessions[officer_id] = client = ApiClient(daemon.socket)
        client.call("login", officer_id=officer_id, pin=PIN)
        client.call("subscribe")
    assert sessions["sup"].call("officer.disable", officer_id="bob") == {"sessions_ended": 1}
    assert (
        borderpost("officer", "disable", "eve", "--state-dir", str(daemon.state_dir)).returncode
        == 0
    )
    for client in (sessions["bob"], sessions["eve"]):
        ended = eventually(functools.partial(_ended, client), timeout=5)
        assert ended in ("unauthenticated", "closed"), ended
    assert sessions["sup"].call("events", limit=1)["events"]
    daemon.stop()


def _ended(client: ApiClient) -> str | None:
    """How a session ended: the error code it was told, or "closed"; None while it lasts."""
    try:
        client.call("events", limit=1)
    except ApiError as exc:
        return exc.code
    except (ConnectionError, OSError):
        return "closed"
    return None


# -- 7. API starvation -------------------------------------------------------------------


def test_forty_idle_sockets_do_not_lock_the_console_out(tmp_path: Path, spawn: Spawn) -> None:
    """40 clients that said hello and then nothing; then the console logs in, and stays
    logged in through a second wave of 40."""
    _add_officer(tmp_path / "state", "anna")
    daemon = spawn(tmp_path / "state")
    idle = [_idle_client(daemon) for _ in range(40)]
    console = ApiClient(daemon.socket)
    console.call("login", officer_id="anna", pin=PIN)
    console.call("subscribe")
    idle += [_idle_client(daemon) for _ in range(40)]
    assert console.call("status")["officer"]["officer_id"] == "anna"
    for s in idle:
        s.close()
    daemon.stop()


def _idle_client(daemon: RunningDaemon) -> socket.socket:
    """A connection that says hello, reads the answer, and then stays silent."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(str(daemon.socket))
    s.sendall(b'{"id":1,"type":"hello","protocol":1}\n')
    s.recv(4096)
    return s


def test_a_client_that_never_asks_is_dropped_after_the_idle_timeout(tmp_path: Path) -> None:
    import asyncio

    from edge.api.server import ApiServer

    async def scenario() -> bytes:
        server = ApiServer(tmp_path / "api.sock", {}, idle_timeout=0.5)
        await server.start()
        reader, writer = await asyncio.open_unix_connection(str(server.path))
        line = await asyncio.wait_for(reader.readline(), 5)
        closed = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        await server.stop()
        return line + closed

    told = json.loads(asyncio.run(scenario()))
    assert told["error"]["code"] == "idle"


# -- 8. two daemons on one state folder ----------------------------------------------------


def test_a_second_daemon_on_the_same_folder_is_refused_and_touches_nothing(
    tmp_path: Path, spawn: Spawn
) -> None:
    first = spawn(tmp_path / "state")
    inode = first.socket.stat().st_ino
    second = borderpost("run", "--state-dir", str(first.state_dir), timeout=30)
    assert second.returncode != 0
    assert "already running on this state folder" in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    assert first.socket.stat().st_ino == inode  # not re-bound, not deleted
    with ApiClient(first.socket) as client:
        assert client.call("status")["post_id"]
    assert first.stop() < 2.0


# -- 12. the smaller list ------------------------------------------------------------------


def test_a_deeply_nested_request_is_refused_plainly(daemon: RunningDaemon) -> None:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(str(daemon.socket))
        s.sendall(b"[" * 5000 + b"]" * 5000 + b"\n" + b'{"id":2,"type":"hello","protocol":1}\n')
        replies = s.makefile("rb")
        first, second = json.loads(replies.readline()), json.loads(replies.readline())
    assert first["error"]["code"] == "bad_json" and "nested" in first["error"]["message"]
    assert second["ok"] is True
    assert "RecursionError" not in daemon.log_text()


def test_inject_without_log_in_strips_control_characters(daemon: RunningDaemon) -> None:
    with ApiClient(daemon.socket) as client:
        client.call(
            "inject",
            kind="barcode",
            payload={"text": "ABC"},
            lane="1\x1b]0;x\x07",
            device="\u202escan\x9b",
        )
    with sqlite3.connect(daemon.state_dir / "events.db") as db:
        lane, device = db.execute(
            "SELECT lane, device FROM events WHERE kind = 'barcode'"
        ).fetchone()
    assert (lane, device) == ("1]0;x", "scan")


def test_sigterm_with_a_client_connected_exits_cleanly(tmp_path: Path, spawn: Spawn) -> None:
    daemon = spawn(tmp_path / "state")
    client = ApiClient(daemon.socket)
    client.call("status")
    assert daemon.stop() < 2.0
    assert daemon.proc.returncode == 0
    assert "Traceback" not in daemon.log_text() and "CancelledError" not in daemon.log_text()
    client.close()


def test_databases_are_not_world_readable(tmp_path: Path, spawn: Spawn) -> None:
    os.umask(old := os.umask(0o022))
    try:
        daemon = spawn(tmp_path / "state")
        daemon.stop()
    finally:
        os.umask(old)
    for name in ("events.db", "watchlist.db"):
        path = daemon.state_dir / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o640, name


def test_databases_made_by_commands_without_the_daemon_are_not_world_readable(
    tmp_path: Path,
) -> None:
    """`borderpost officer add` or `watchlist import` before the daemon ever ran create the
    databases under the caller's umask (022 here): they are 0640 all the same."""
    from edge.watchlist.db import Watchlist

    old = os.umask(0o022)
    try:
        Store.open(tmp_path / "events.db").close()
        Watchlist.open(tmp_path / "watchlist.db").close()
    finally:
        os.umask(old)
    for name in ("events.db", "watchlist.db"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640, name


def test_officer_list_prints_names_without_escape_codes(tmp_path: Path) -> None:
    _add_officer(tmp_path / "state", "eve")
    with sqlite3.connect(tmp_path / "state" / "events.db") as db:  # as an older version kept it
        db.execute(
            "UPDATE officers SET name = ? WHERE officer_id = 'eve'", ("\x1b]0;pwned\x07Eve\u202e",)
        )
    listed = borderpost("officer", "list", "--state-dir", str(tmp_path / "state"))
    assert listed.returncode == 0 and "]0;pwnedEve" in listed.stdout
    assert (
        "\x1b" not in listed.stdout
        and "\u202e" not in listed.stdout
        and "\x07" not in listed.stdout
    )


def test_a_client_too_slow_is_logged_once(daemon: RunningDaemon) -> None:
    slow = socket.socket(socket.AF_UNIX)
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(str(daemon.socket))
    _add_officer(daemon.state_dir, "anna")
    slow.sendall(
        b'{"id":1,"type":"hello","protocol":1}\n'
        + json.dumps({"id": 2, "type": "login", "officer_id": "anna", "pin": PIN}).encode()
        + b'\n{"id":3,"type":"subscribe"}\n'
    )
    time.sleep(0.5)
    _flood(daemon, 2400)
    eventually(lambda: "client too slow" in daemon.log_text(), timeout=10)
    _flood(daemon, 200)
    assert daemon.log_text().count("client too slow") == 1
    slow.close()


def _flood(daemon: RunningDaemon, count: int) -> None:
    """``count`` injected events, pipelined over four connections."""
    line = json.dumps({"type": "inject", "kind": "barcode", "payload": {"text": "X" * 200}})

    def one(n: int) -> None:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(daemon.socket))
            s.sendall(b'{"type":"hello","protocol":1}\n' + (line.encode() + b"\n") * n)
            s.shutdown(socket.SHUT_WR)
            replies = s.makefile("rb")
            for _ in range(n + 1):
                replies.readline()

    threads = [threading.Thread(target=one, args=(count // 4,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# -- 4. and 5. a device fault on a full disk; the officer told ----------------------------------


class _TcpDevice:
    """A TCP "scanner" the daemon connects to: counts connections, sends lines, can hang up."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"socket://127.0.0.1:{self.server.getsockname()[1]}"
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.conns.append(self.server.accept()[0])

    def hang_up(self) -> None:
        for conn in self.conns:
            conn.close()

    def send(self, line: bytes) -> None:
        self.conns[-1].sendall(line)


@contextlib.contextmanager
def _small_disk(where: Path, size: str = "4m") -> Iterator[Path]:
    """A real, small filesystem (tmpfs) to fill; the test is skipped where it cannot be mounted."""
    where.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
        ).returncode
    ):
        pytest.skip("needs root to mount a small tmpfs to fill")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    return filler


def test_full_disk_the_officer_is_told_the_device_stays_supervised(
    tmp_path: Path, spawn: Spawn
) -> None:
    device = _TcpDevice()
    config = tmp_path / "c.toml"
    config.write_text(f'[[devices]]\nname = "scan"\nkind = "scanner"\nurl = "{device.url}"\n')
    with _small_disk(tmp_path / "disk") as disk:
        for officer_id, role in (("anna", "officer"), ("tom", "technician")):
            _add_officer(disk / "state", officer_id, role)
        daemon = spawn(disk / "state", "--config", str(config), "--allow-inject")
        console, tech = ApiClient(daemon.socket), ApiClient(daemon.socket)
        console.call("login", officer_id="anna", pin=PIN)
        tech.call("login", officer_id="tom", pin=PIN)
        console.call("subscribe")
        eventually(lambda: device.conns and tech.call("devices")["devices"][0]["state"] == "ok")
        filler = _fill(disk)
        told = _inject_until_refused(tech)
        assert told["error"]["code"] == "storage_full", told
        assert told["error"]["alerts"][0]["summary"] == "gamma alarm"
        pushed = [console.next_event() for _ in range(2)]  # the verdict, though not recorded
        assert [e["seq"] for e in pushed] == [0, 0] and pushed[1]["kind"] == "alert"
        storage = console.call("status")["storage"]
        assert storage["full"] and storage["message"] == "storage full — readings not recorded"
        shown = borderpost("status", "--state-dir", str(daemon.state_dir)).stdout
        assert shown.startswith("STORAGE FULL — readings not recorded"), shown
        _hang_up_and_reconnect(device, tech)
        filler.unlink()
        eventually(lambda: not console.call("status")["storage"]["full"], timeout=10)
        device.send(b"CSQU3054383\r")
        daemon.stop()
        with sqlite3.connect(daemon.state_dir / "events.db") as db:
            kinds = [r[0] for r in db.execute("SELECT kind || ':' || device FROM events")]
        assert "device.fault:storage" in kinds and "barcode:scan" in kinds, kinds
        assert "Traceback" not in daemon.log_text().split("storage full")[0]


def _inject_until_refused(client: ApiClient) -> dict[str, Any]:
    """Inject alarming readings until one is refused; the refusal."""
    for n in range(5000):
        payload = {"summary": "gamma alarm", "x": "y" * 500}
        client.send({"id": n, "type": "inject", "kind": "rpm.alarm", "payload": payload,
                     "alert": "radiation", "priority": 2})  # fmt: skip
        reply = client.read()
        while reply.get("type") == "event":
            reply = client.read()
        if not reply["ok"]:
            return reply
    raise AssertionError("the full disk never refused a write")


def _hang_up_and_reconnect(device: _TcpDevice, tech: ApiClient) -> None:
    """The device drops (a fault on a full disk), comes back by itself, and reconnects when
    told to: supervision survived."""
    before = len(device.conns)
    device.hang_up()
    eventually(lambda: len(device.conns) > before, timeout=10)
    before = len(device.conns)
    tech.call("device.reconnect", name="scan")
    eventually(lambda: len(device.conns) > before, timeout=10)


def test_supervision_survives_a_state_callback_that_raises() -> None:
    """The state callback refuses (as a full disk makes the store do): the device is still
    supervised, and reconnects when its peer comes back."""
    import asyncio

    from edge.config import DeviceSettings
    from edge.devices import DeviceRunner

    device = _TcpDevice()

    def refuse(runner: DeviceRunner, state: str, fault: str | None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async def scenario() -> int:
        settings = DeviceSettings(name="scan", kind="scanner", url=device.url)
        runner = DeviceRunner(settings, lambda r, reading: None, refuse, backoff_max=0.2)
        runner.start()
        for _ in range(3):  # hang up three times: each time it comes back
            await asyncio.sleep(0.5)
            await _until(functools.partial(_comes_back, device, len(device.conns)))
        await runner.stop()
        return runner.restarts

    assert asyncio.run(scenario()) >= 3


def _comes_back(device: _TcpDevice, connections: int) -> bool:
    """Hang up the first time, then: has the daemon connected again?"""
    if len(device.conns) == connections:
        device.hang_up()
    return len(device.conns) > connections


async def _until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    import asyncio

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.05)


# -- 11. closing the demo's terminal ---------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGKILL])
def test_closing_the_demos_terminal_stops_every_child(tmp_path: Path, sig: int) -> None:
    """The demo leads its own session (as in a terminal); SIGHUP to it leaves no child
    running: broker, HQ, simulators and daemon all stop. SIGKILL gives the demo no chance
    to stop them: the kernel does (PR_SET_PDEATHSIG), the broker included."""
    demo, tree = _start_demo(tmp_path)
    try:
        os.kill(demo.pid, sig)
        assert demo.wait(30) == (1 if sig == signal.SIGHUP else -signal.SIGKILL)
        eventually(lambda: not [p for p in tree if _alive(p)], timeout=15)
    finally:
        _kill_all([demo.pid, *tree])


def test_a_demo_whose_daemon_died_ends_with_a_message(tmp_path: Path) -> None:
    demo, tree = _start_demo(tmp_path)
    try:
        daemon = next(p for p in tree if "run" in _cmdline(p) and "--allow-inject" in _cmdline(p))
        os.kill(daemon, signal.SIGKILL)
        assert demo.wait(30) == 1
        told = demo.stderr.read().decode() if demo.stderr else ""
        assert "the post's daemon stopped (exit code -9)" in told and "Traceback" not in told
        eventually(lambda: not [p for p in tree if _alive(p)], timeout=15)
    finally:
        _kill_all([demo.pid, *tree])


def _start_demo(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A headless demo in a session of its own, once its daemon serves; its process tree."""
    folder = tmp_path / "demo"
    demo = subprocess.Popen(
        [sys.executable, "-m", "edge", "demo", "--headless", "--duration", "600",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        eventually(lambda: _serving(folder / "post" / "api.sock") or demo.poll() is not None, 240)
        assert demo.poll() is None, demo.stderr.read() if demo.stderr else ""
        tree = _descendants(demo.pid)
        assert len(tree) >= 6, tree  # mosquitto, HQ, three simulators, the daemon
    except BaseException:
        _kill_all([demo.pid, *_descendants(demo.pid)])
        raise
    return demo, tree


def _serving(sock: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        return probe.connect_ex(str(sock)) == 0


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has stopped)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _cmdline(pid: int) -> list[str]:
    with contextlib.suppress(OSError):
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode().split("\0")
    return []


def _kill_all(pids: list[int]) -> None:
    """Clean up after a failed check: SIGKILL what this test started and still runs."""
    for pid in pids:
        with contextlib.suppress(OSError):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# -- 12. a batch over the broker's size limit ------------------------------------------------------


def test_batches_are_sized_in_bytes_so_non_ascii_text_cannot_overfill_one(tmp_path: Path) -> None:
    """Three events of 30,000 four-byte characters (120 KB each): a 256 KB batch takes two,
    not three (sized in characters they looked like 30 KB each); one event too big in bytes is
    refused when it is recorded, never left to be re-sent."""
    from edge.store import NewEvent, StoreError
    from edge.store.outbox import StoreOutbox

    store = Store.open(tmp_path / "events.db")
    for n in range(3):
        store.record(NewEvent("note", {"n": n, "text": "\U0001f600" * 30_000}))
    batch = StoreOutbox(store).pending(limit=100, max_bytes=256 * 1024)
    assert len(batch) == 2
    with pytest.raises(StoreError, match="bytes exceeds"):
        store.record(NewEvent("note", {"text": "\U0001f600" * 70_000}))
    store.close()


def test_the_console_status_line_says_storage_full_first() -> None:
    from tui.widgets import status_text

    full = {"storage": {"full": True, "message": "storage full — readings not recorded"}}
    line = status_text(True, full, None, "12:00").plain
    assert line.startswith("STORAGE FULL — readings not recorded")
    assert "STORAGE" not in status_text(True, {"storage": {"full": False}}, None, "12:00").plain


def test_the_console_status_line_says_a_stale_watchlist() -> None:
    """The daemon flags a list older than [watchlist] stale_after_h; the officer must see it."""
    from tui.widgets import status_text

    status = {"watchlist_version": 42, "watchlist_age_s": 200_000, "watchlist_stale": True}
    assert "WL v42 2d STALE" in status_text(True, status, None, "12:00").plain
    fresh = {**status, "watchlist_age_s": 7300, "watchlist_stale": False}
    assert "STALE" not in status_text(True, fresh, None, "12:00").plain
    assert "WL none" in status_text(True, {"watchlist_stale": True}, None, "12:00").plain
