"""A simulated handheld scanner: writes scans to a pty, a TCP client or a serial URL.

Scans come from a file (one payload per line; ``<GS>`` stands for the group
separator, a line ``hex:…`` or ``b64:…`` is binary) or from generated border
traffic (MRNs, containers, GS1 strings, TIR carnets, some with bad check digits).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import random
import socket
import sys
import termios
import time
import tty
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from drivers.barcode import generate
from drivers.barcode.scanner import SUFFIXES

MAX_FILE = 4 * 1024 * 1024
GS1_AIM = b"]C1"
TEXT_AIM = b"]C0"
SEAL_AIM = b"]d1"


class SimError(ValueError):
    """The simulator cannot start: bad file, bad port."""


class Port(Protocol):
    """Where scans are written."""

    def write(self, data: bytes) -> None:
        """Send bytes."""

    def close(self) -> None:
        """Release the port."""


def file_payloads(path: str | Path) -> list[bytes]:
    """The payloads in a scan file; SimError naming the line for a bad one."""
    source = Path(path)
    try:
        text = source.read_bytes()[:MAX_FILE].decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SimError(f"{source}: cannot read scan file ({exc})") from exc
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            out.append(_line_payload(line))
        except ValueError as exc:
            raise SimError(f"{source}:{number}: {exc}") from exc
    if not out:
        raise SimError(f"{source}: no scans in file")
    return out


def _line_payload(line: str) -> bytes:
    if line.startswith("hex:"):
        return bytes.fromhex(line[4:].strip())
    if line.startswith("b64:"):
        return base64.b64decode(line[4:].strip(), validate=True)
    return line.replace("<GS>", "\x1d").encode("utf-8")


def generated(seed: int | None, bad_ratio: float = 0.1) -> Iterator[bytes]:
    """Endless generated border traffic as payload bytes."""
    for text in generate.traffic(random.Random(seed), bad_ratio):
        yield text.encode("ascii")


def frame(payload: bytes, suffix: str, aim: bool) -> bytes:
    """One scan as the scanner sends it: optional AIM identifier, payload, suffix."""
    prefix = b""
    if aim:
        prefix = SEAL_AIM if payload[:1] == b"\xdc" else GS1_AIM if b"\x1d" in payload else TEXT_AIM
    if aim and prefix == GS1_AIM and payload[:1] == b"\x1d":
        payload = payload[1:]
    return prefix + payload + SUFFIXES[suffix]


def run(
    port: Port,
    payloads: Iterable[bytes],
    *,
    suffix: str = "cr",
    aim: bool = False,
    interval: float = 1.0,
    count: int | None = None,
    delay: float = 0.0,
) -> int:
    """Write ``count`` scans (all when None) ``interval`` seconds apart; returns scans sent.

    ``delay`` is a wait before the first scan, so that a reader can open the port
    (pyserial discards what was buffered before it opened).
    """
    sent = 0
    time.sleep(delay)
    for payload in payloads:
        if count is not None and sent >= count:
            break
        if sent:
            time.sleep(interval)
        port.write(frame(payload, suffix, aim))
        sent += 1
    return sent


def cycle(payloads: list[bytes]) -> Iterator[bytes]:
    """File payloads repeated for ever."""
    while True:
        yield from payloads


# --- ports --------------------------------------------------------------------


class FdPort:
    """The master side of a pty pair."""

    def __init__(self, master: int, slave: int) -> None:
        self.master, self.slave = master, slave

    def write(self, data: bytes) -> None:
        """Write all of ``data``."""
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view) :]

    def close(self, drain_timeout: float = 5.0) -> None:
        """Close both sides once the reader has taken what was written (or on timeout)."""
        deadline = time.monotonic() + drain_timeout
        quiet_since = time.monotonic()
        while (now := time.monotonic()) < deadline and now - quiet_since < 0.25:
            if _pending(self.slave):  # the kernel moves master → slave lazily: watch a while
                quiet_since = now
            time.sleep(0.01)
        for fd in (self.master, self.slave):
            os.close(fd)


def _pending(fd: int) -> int:
    """Bytes waiting in a terminal's input queue."""
    buf = fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0")
    return int.from_bytes(buf, sys.byteorder)


class TcpServerPort:
    """A TCP server that writes to the one client connected (waits for it)."""

    def __init__(self, host: str, port: int) -> None:
        self.server = socket.create_server((host, port))
        self.client: socket.socket | None = None

    def write(self, data: bytes) -> None:
        """Send to the client, accepting a new one if it went away."""
        for _ in range(2):
            if self.client is None:
                self.client, _addr = self.server.accept()
            try:
                self.client.sendall(data)
                return
            except OSError:
                self.client.close()
                self.client = None

    def close(self) -> None:
        """Close client and server sockets."""
        if self.client is not None:
            self.client.close()
        self.server.close()


class SerialPort:
    """Any pyserial URL (a device path, ``rfc2217://``, ``loop://``)."""

    def __init__(self, url: str) -> None:
        import serial

        try:
            self.serial = serial.serial_for_url(url, baudrate=9600, timeout=1)
        except (serial.SerialException, ValueError) as exc:
            raise SimError(f"cannot open port {url!r}: {exc}") from exc

    def write(self, data: bytes) -> None:
        """Write and flush."""
        self.serial.write(data)
        self.serial.flush()

    def close(self) -> None:
        """Close the serial port."""
        self.serial.close()


def open_port(url: str) -> Port:
    """Open ``pty`` (announced as JSON on stdout), ``socket://HOST:PORT`` or a serial URL."""
    if url == "pty":
        master, slave = os.openpty()
        tty.setraw(slave)
        sys.stdout.write(json.dumps({"port": os.ttyname(slave)}) + "\n")
        sys.stdout.flush()
        return FdPort(master, slave)
    if url.startswith("socket://"):
        host, _, port = url[len("socket://") :].rpartition(":")
        if not port.isdigit() or not 0 < int(port) <= 65535:
            raise SimError(f"port URL {url!r} must be socket://HOST:PORT (port 1 to 65535)")
        try:
            return TcpServerPort(host or "127.0.0.1", int(port))
        except OSError as exc:
            raise SimError(f"cannot listen on {url!r}: {exc}") from exc
    return SerialPort(url)
