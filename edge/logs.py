"""Structured log lines on stderr: ``time level logger message key=value …``."""

from __future__ import annotations

import logging
import sys
import time


class LineFormatter(logging.Formatter):
    """One line per record, fields as ``key=value``; newlines in messages escaped."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        msg = record.getMessage().replace("\n", "\\n")
        line = f"{stamp}.{int(record.msecs):03d}Z {record.levelname.lower()} {record.name} {msg}"
        if record.exc_info:
            line += " exc=" + self.formatException(record.exc_info).replace("\n", "\\n")
        return line


def setup(level: str = "info") -> None:
    """Send every ``borderpost.*`` log record to stderr at ``level``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LineFormatter())
    root = logging.getLogger("borderpost")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False
