"""Log lines: journald priorities under ``JOURNAL_STREAM`` (a real daemon), one line per event
of interest, and a message repeated in a loop logged a few times a minute, not each time."""

from __future__ import annotations

import io
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import eventually, start_daemon

from sync import logs


@pytest.fixture(autouse=True)
def loggers_restored() -> Iterator[None]:
    """``logs.setup`` changes process-wide loggers: put them back for the other tests."""
    saved = [
        (lg, lg.handlers[:], lg.level, lg.propagate) for lg in map(logging.getLogger, logs.LOGGERS)
    ]
    yield
    for lg, handlers, level, propagate in saved:
        lg.handlers[:], lg.level, lg.propagate = handlers, level, propagate


def test_a_daemon_under_journald_prefixes_priorities(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    log_file = state / "daemon.log"  # start_daemon reopens this same inode for stderr
    log_file.touch()
    st = log_file.stat()
    config = tmp_path / "c.toml"
    config.write_text('[[devices]]\nname = "gone"\nkind = "scanner"\nurl = "/dev/ttyNOPE9"\n')
    env = {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}
    daemon = start_daemon(state, "--config", str(config), env=env)
    fault = eventually(lambda: re.search(r"^<3>borderpost\.events device\.fault .*$",
                                         daemon.log_text(), re.M))  # fmt: skip
    assert "device=gone" in fault[0] and "ttyNOPE9" in fault[0]
    daemon.stop()
    lines = daemon.log_text().splitlines()
    assert any(line.startswith("<6>borderpost.daemon serving post=") for line in lines)
    assert all(re.match(r"<[0-7]>\S+ ", line) for line in lines), lines  # no time stamps
    faults = [line for line in lines if line.startswith("<3>borderpost.events device.fault")]
    assert len(faults) == 1  # retried every few seconds, one fault event: one line


def test_without_journald_lines_carry_time_and_level(tmp_path: Path) -> None:
    out = io.StringIO()
    logs.setup("info", out)
    logging.getLogger("sync.hq").warning("batch %s refused", "ab12")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warning sync.hq batch ab12 "
                        r"refused\n", out.getvalue())  # fmt: skip


def test_a_stream_that_is_not_the_journal_gets_no_prefix(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.touch()
    st = other.stat()
    os.environ["JOURNAL_STREAM"] = f"{st.st_dev}:{st.st_ino}"
    try:
        with (tmp_path / "stderr").open("w") as stream:
            assert not logs.journal_stream(stream)
        with other.open("w") as stream:
            assert logs.journal_stream(stream)
    finally:
        del os.environ["JOURNAL_STREAM"]


def test_repeats_are_limited_and_counted() -> None:
    out = io.StringIO()
    logs.setup("info", out)
    handler = logging.getLogger("borderpost").handlers[0]
    handler.filters[:] = [logs.RepeatLimit(burst=3, window_s=0.2)]
    log = logging.getLogger("borderpost.devices")
    for i in range(100):
        log.error("device %s failed: %s", "scan1", i)
    log.warning("another message")
    assert out.getvalue().count("device scan1 failed") == 3
    time.sleep(0.25)
    log.error("device %s failed: %s", "scan1", "again")
    last = out.getvalue().splitlines()[-1]
    assert last.endswith("device scan1 failed: again (and 97 more like it, not logged)")
    assert logs.priority(logging.ERROR) == 3 and logs.priority(25) == 4
