"""Telling systemd how the daemon is doing (sd_notify), without libsystemd."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SEND_TIMEOUT_S = 1.0


def notify(message: str) -> bool:
    """Send ``READY=1``, ``STATUS=…``, ``WATCHDOG=1`` … to ``$NOTIFY_SOCKET``, if set."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        sock.settimeout(SEND_TIMEOUT_S)  # a full queue at the manager must not stall the daemon
        try:
            sock.connect(address)
            sock.sendall(message.encode())
        except OSError:
            return False
    return True


def watchdog_interval() -> float | None:
    """Half the watchdog period systemd expects pings in, or None when there is none."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return max(int(usec) / 2e6, 0.05)
    except ValueError:
        return None


@contextmanager
def extending_start(status: str, every_s: float = 20.0, extend_s: float = 60.0) -> Iterator[None]:
    """While the block runs, keep telling systemd that start-up goes on (``EXTEND_TIMEOUT_USEC``,
    every ``every_s``, each time ``extend_s`` more) with ``status``: opening a large watchlist
    that must be upgraded takes minutes, longer than the unit's start timeout, and a daemon
    killed there would roll the upgrade back and start it again at every restart."""
    stop = threading.Event()
    message = f"EXTEND_TIMEOUT_USEC={int(extend_s * 1e6)}\nSTATUS={status}"

    def beat() -> None:
        while not stop.is_set():
            if not notify(message) and not os.environ.get("NOTIFY_SOCKET"):
                return  # not under systemd: nothing to extend
            stop.wait(every_s)

    beating = threading.Thread(target=beat, name="systemd-extend", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()
