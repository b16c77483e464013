"""Log lines for people and for journald: one line per record, a priority journald files it
under, and no storms of the same message.

Under systemd, stderr is a journal stream: ``JOURNAL_STREAM`` names its device and inode.
Then each line starts with a ``<N>`` syslog priority (``<3>`` error … ``<7>`` debug), which
journald strips and stores, so ``journalctl -p warning`` filters; the time stamp is left to
journald. Elsewhere (a terminal, a test, a pipe) lines carry their own UTC time stamp and the
level as a word. The post (``edge/logs.py``) and the HQ receiver share this module.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Final, TextIO

PRIORITY: Final = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}
"""Python levels as syslog priorities (crit, err, warning, info, debug); notice (5) unused."""
LOGGERS: Final = ("borderpost", "sync", "drivers")
"""The roots of every logger of the project (the post's, the sync layer's, the drivers')."""
BURST: Final = 5
WINDOW_S: Final = 60.0
MAX_KEYS: Final = 512


def priority(levelno: int) -> int:
    """The syslog priority of a Python level (an odd level takes the next more severe one)."""
    return next((p for lvl, p in sorted(PRIORITY.items()) if levelno <= lvl), 2)


class LineFormatter(logging.Formatter):
    """``time level logger message`` on one line: newlines in messages and tracebacks escaped."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{_stamp(record)} {record.levelname.lower()} {_body(self, record)}"


class JournalFormatter(logging.Formatter):
    """``<N>logger message`` on one line: journald reads the priority and adds the time."""

    def format(self, record: logging.LogRecord) -> str:
        return f"<{priority(record.levelno)}>{_body(self, record)}"


def _stamp(record: logging.LogRecord) -> str:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
    return f"{stamp}.{int(record.msecs):03d}Z"


def _body(fmt: logging.Formatter, record: logging.LogRecord) -> str:
    line = f"{record.name} {record.getMessage()}".replace("\n", "\\n")
    suppressed = getattr(record, "suppressed", 0)
    if suppressed:
        line += f" (and {suppressed} more like it, not logged)"
    if record.exc_info:
        line += " exc=" + fmt.formatException(record.exc_info).replace("\n", "\\n")
    return line


class RepeatLimit(logging.Filter):
    """At most ``burst`` lines per ``window_s`` for one message (same logger, level and
    format string, whatever its arguments); the first line after a quiet spell says how many
    were left out. A failing device retried every second logs a few lines a minute, not 60."""

    def __init__(self, burst: int = BURST, window_s: float = WINDOW_S) -> None:
        super().__init__()
        self.burst, self.window_s = burst, window_s
        self._seen: dict[tuple[str, int, str], list[float]] = {}  # [window start, count, left]

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = time.monotonic()
        seen = self._seen.get(key)
        if seen is None or now - seen[0] >= self.window_s:
            left_out = int(seen[2]) if seen is not None else 0
            if len(self._seen) >= MAX_KEYS:
                self._seen.clear()
            self._seen[key] = [now, 1, 0]
            record.suppressed = left_out
            return True
        seen[1] += 1
        if seen[1] <= self.burst:
            return True
        seen[2] += 1
        return False


def journal_stream(stream: TextIO) -> bool:
    """True when ``stream`` is the journal stream systemd connected (``JOURNAL_STREAM``)."""
    want = os.environ.get("JOURNAL_STREAM", "")
    try:
        st = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return want == f"{st.st_dev}:{st.st_ino}"


def setup(level: str = "info", stream: TextIO | None = None) -> logging.Handler:
    """Send every project logger's records at ``level`` to ``stream`` (stderr): journald
    priorities when it is the journal stream, time-stamped lines otherwise; repeats limited."""
    out = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(out)
    handler.setFormatter(JournalFormatter() if journal_stream(out) else LineFormatter())
    handler.addFilter(RepeatLimit())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level.upper())
        logger.propagate = False
    return handler
