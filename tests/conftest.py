"""Shared fixtures: a real daemon process on a temporary state folder."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from edge.watchlist.screen import Screener

REPO = Path(__file__).resolve().parents[1]
SHARED_TESTDATA = REPO.parent / "shared" / "testdata"
"""The team's third-party test data (``../shared/testdata``): tests that need a GPL or
non-commercial file from it skip, with the reason, when it is not beside the checkout."""
# Property tests run without Hypothesis's deadline per example (200 ms): the example that
# first reads a table of names loads it, a second or more, and so fails when its test runs
# alone or first (test_any_mix_of_scripts_gets_readings_in_latin_capitals). Speed is
# measured in bench/, not in tests.
settings.register_profile("borderpost", deadline=None)
settings.load_profile("borderpost")
TESTDATA = REPO / "tests" / "data"
"""Copies of permissively licensed third-party files (each with its licence file), so that a
fresh clone runs the tests that need only those."""


@contextlib.contextmanager
def names_screener(path: Path, listed: Mapping[str, str]) -> Iterator[Screener]:
    """A screener over a new watchlist file at ``path`` listing one person per id, under the
    name given (closed after)."""
    from edge.watchlist.db import Watchlist
    from edge.watchlist.model import entry_from_json
    from edge.watchlist.screen import Screener

    wl = Watchlist.open(path)
    try:
        wl.apply(
            [entry_from_json({"id": k, "kind": "person", "names": [n]}) for k, n in listed.items()]
        )
        yield Screener(wl)
    finally:
        wl.close()


def screened_ids(
    path: Path, listed: Mapping[str, str], names: Iterable[str]
) -> dict[str, set[str]]:
    """Per name, the ids of the persons that a screener over ``listed`` (:func:`names_screener`)
    hits when a person of that name is checked."""
    with names_screener(path, listed) as screener:
        check = screener.check
        return {n: {h.entry_id for h in check([{"kind": "person", "name": n}])} for n in names}


def found_without(
    monkeypatch: pytest.MonkeyPatch, taken: Sequence[tuple[Any, str, Any]], written: str, latin: str
) -> tuple[bool, bool]:
    """Whether ``written`` and ``latin`` find each other either way (:func:`scores_both_ways`)
    with each (module, name, stand-in) of ``taken`` patched in — a reading taken away — and
    whether they find each other both ways with it back: (False, True) when the reading is
    what finds the name."""
    from edge.watchlist import normalize
    from edge.watchlist.screen import DECIDE

    with monkeypatch.context() as m:
        for module, name, stand_in in taken:
            m.setattr(module, name, stand_in)
        normalize.renderings.cache_clear()
        without = max(scores_both_ways(written, latin)) >= DECIDE
    normalize.renderings.cache_clear()
    return without, min(scores_both_ways(written, latin)) >= DECIDE


def found_for_another(names: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(written, Latin) pairs of ``names`` (each a name in its script and the Latin spelling
    its bearer uses) where the written name and another's Latin one find each other either
    way at the decide band: a list of public figures' names must give none."""
    from edge.watchlist.screen import DECIDE

    return [
        (written, other)
        for written, latin in names
        for _, other in names
        if other != latin and max(scores_both_ways(written, other)) >= DECIDE
    ]


def scores_both_ways(written: str, latin: str) -> tuple[float, float]:
    """The name score of ``written`` checked against ``latin`` listed, and of ``latin`` in a
    passport's capitals against ``written`` listed: a public figure's name in its script and
    the Latin spelling the bearer uses must find each other both ways."""
    from edge.watchlist.screen import name_similarity

    return (
        name_similarity({"name": written}, [latin])[0],
        name_similarity({"name": latin.upper()}, [written])[0],
    )


@dataclass
class RunningDaemon:
    """A ``borderpost run`` child process and where to reach it."""

    proc: subprocess.Popen[bytes]
    state_dir: Path
    socket: Path
    log: Path

    def stop(self, timeout: float = 5.0) -> float:
        """SIGTERM it; return how long it took to exit."""
        start = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout)
        return time.monotonic() - start

    def log_text(self) -> str:
        """What the daemon wrote to stderr."""
        return self.log.read_text(errors="replace")


def borderpost(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess, as a user would."""
    kwargs.setdefault("timeout", 60)
    return subprocess.run(
        [sys.executable, "-m", "edge", *args], capture_output=True, text=True, **kwargs
    )  # type: ignore[call-overload]


def start_daemon(
    state_dir: Path, *extra: str, env: dict[str, str] | None = None, wait: float = 15.0
) -> RunningDaemon:
    """Start ``borderpost run`` and wait until its socket accepts connections."""
    state_dir.mkdir(parents=True, exist_ok=True)
    log = state_dir / "daemon.log"
    sock = state_dir / "api.sock"
    proc = subprocess.Popen(
        [sys.executable, "-m", "edge", "run", "--state-dir", str(state_dir), *extra],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if _accepts(sock):
            return RunningDaemon(proc, state_dir, sock, log)
        if proc.poll() is not None:
            raise RuntimeError(f"daemon exited: {log.read_text()}")
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"daemon did not start: {log.read_text()}")


def _accepts(sock: Path) -> bool:
    """True once a Unix socket exists and a connection to it is accepted (not merely bound)."""
    import socket

    if not sock.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(sock))
        except OSError:
            return False
    return True


def fork_and_kill(write: Callable[[int], None], rng: random.Random, delay: float) -> str:
    """Run ``write(fd)`` in a forked child, SIGKILL it at a random moment within ``delay``
    seconds after its first byte (its first commit), and return what it wrote after that byte
    (the writes it reported as committed)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            write(write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    os.read(read_fd, 1)
    time.sleep(rng.uniform(0, delay))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    reported = b""
    while chunk := os.read(read_fd, 65536):
        reported += chunk
    os.close(read_fd)
    return reported.decode()


def eventually(predicate: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll ``predicate`` until it returns something true (returned), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[RunningDaemon]:
    """A real daemon with no configuration and ``--allow-inject``."""
    running = start_daemon(tmp_path / "state", "--allow-inject")
    yield running
    running.stop()
    if running.proc.poll() is None:
        running.proc.kill()
