"""Serve a chip to ``vpcd`` (Debian's ``vsmartcard-vpcd``), the virtual reader of pcscd.

``vpcd`` listens (port 35963 for its first slot); a virtual card connects to it and is
then in the reader as far as every PC/SC program is concerned. Each message is a 2-byte
big-endian length and a payload: one byte is a control (0 power off, 1 power on, 2 reset,
4 ask for the ATR), anything longer is a command APDU to answer. This lets the simulated
chip stand behind the real PC/SC stack in the end-to-end tests and the demo.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

VPCD_PORT = 35963
ATR = bytes.fromhex("3B8880010000000000000000" + "09")
"""An ATR for a contactless T=1 card with eight zero historical bytes (TCK 09)."""
POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4


def _exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        part = sock.recv(n - len(data))
        if not part:
            raise ConnectionError("vpcd closed the connection")
        data += part
    return data


def serve(
    sock: socket.socket, transmit: Callable[[bytes], bytes], reset: Callable[[], None]
) -> None:
    """Answer vpcd on a connected socket until it closes (the card is 'removed')."""
    while True:
        try:
            size = int.from_bytes(_exact(sock, 2), "big")
            message = _exact(sock, size)
        except (ConnectionError, OSError):
            return
        if size == 1:
            if message[0] == GET_ATR:
                sock.sendall(len(ATR).to_bytes(2, "big") + ATR)
            elif message[0] in (POWER_OFF, RESET):
                reset()
            continue
        answer = transmit(message)
        sock.sendall(len(answer).to_bytes(2, "big") + answer)


def insert(host: str = "127.0.0.1", port: int = VPCD_PORT, timeout: float = 5.0) -> socket.socket:
    """Connect to vpcd: a card is now in the virtual reader."""
    return socket.create_connection((host, port), timeout=timeout)
