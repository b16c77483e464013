"""PC/SC readers through the system's ``libpcsclite`` (pcsc-lite, Debian's ``pcscd``), via ctypes.

:class:`PcscContext` lists readers and waits for card changes; :class:`PcscCard` is a
connected card whose :meth:`~PcscCard.transmit` is what :func:`drivers.chip.reader.read_document`
needs. Only the handful of calls a reader needs are bound, so no compiled binding (pyscard)
is required; the library is the one ``pcscd`` ships.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from dataclasses import dataclass
from typing import Any

SCARD_SCOPE_USER = 0
SCARD_SHARE_SHARED = 2
SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1 = 1, 2
SCARD_LEAVE_CARD = 0
SCARD_STATE_UNAWARE, SCARD_STATE_CHANGED, SCARD_STATE_UNKNOWN = 0, 2, 4
SCARD_STATE_UNAVAILABLE, SCARD_STATE_EMPTY, SCARD_STATE_PRESENT = 8, 0x10, 0x20
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E
MAX_ATR = 33
DWORD = ctypes.c_ulong
"""pcsc-lite's DWORD is an unsigned long (8 bytes on 64-bit Linux)."""
_ERRORS = {
    0x80100002: "the operation was cancelled", 0x80100006: "out of memory",
    0x80100009: "unknown reader", 0x8010000A: "timed out",
    0x8010000C: "no card in the reader", 0x8010000F: "the card's protocol is not supported",
    0x80100016: "the PC/SC service is not ready", 0x80100017: "the reader is not available",
    0x8010001D: "the PC/SC service (pcscd) is not running",
    0x8010002E: "no reader is connected", 0x80100066: "the card does not answer",
    0x80100068: "the card was reset", 0x80100069: "the card was removed",
}  # fmt: skip


class PcscError(OSError):
    """A PC/SC call failed; ``code`` is the SCARD_E_/SCARD_W_ value."""

    def __init__(self, call: str, code: int) -> None:
        text = _ERRORS.get(code, "PC/SC error")
        super().__init__(f"{call}: {text} (0x{code:08X})")
        self.code = code


class _ReaderState(ctypes.Structure):
    _fields_ = [
        ("reader", ctypes.c_char_p), ("user", ctypes.c_void_p), ("current", DWORD),
        ("event", DWORD), ("atr_len", DWORD), ("atr", ctypes.c_ubyte * MAX_ATR),
    ]  # fmt: skip


class _IoRequest(ctypes.Structure):
    _fields_ = [("protocol", DWORD), ("pci_length", DWORD)]


def _library() -> Any:
    name = ctypes.util.find_library("pcsclite") or "libpcsclite.so.1"
    try:
        return ctypes.CDLL(name)
    except OSError as exc:
        raise PcscError(f"load {name}", 0x8010001D) from exc


def _check(call: str, result: int) -> None:
    code = result & 0xFFFFFFFF
    if code:
        raise PcscError(call, code)


@dataclass(frozen=True)
class ReaderStatus:
    """One reader's state: whether a card is in it, and the card's ATR."""

    reader: str
    present: bool
    atr: bytes


class PcscContext:
    """A connection to the PC/SC service (``pcscd``)."""

    def __init__(self) -> None:
        self.lib = _library()
        self.handle = ctypes.c_long()
        _check("establish context", self.lib.SCardEstablishContext(
            DWORD(SCARD_SCOPE_USER), None, None, ctypes.byref(self.handle)))  # fmt: skip

    def readers(self) -> list[str]:
        """The names of the connected readers (empty when there are none)."""
        size = DWORD()
        result = self.lib.SCardListReaders(self.handle, None, None, ctypes.byref(size))
        if result & 0xFFFFFFFF == SCARD_E_NO_READERS_AVAILABLE:
            return []
        _check("list readers", result)
        buf = ctypes.create_string_buffer(size.value)
        _check(
            "list readers", self.lib.SCardListReaders(self.handle, None, buf, ctypes.byref(size))
        )
        return [n.decode("utf-8", "replace") for n in buf.raw[: size.value].split(b"\0") if n]

    def status(
        self, reader: str, known: int = SCARD_STATE_UNAWARE, timeout_ms: int = 0
    ) -> tuple[ReaderStatus, int] | None:
        """The reader's state once it differs from ``known`` (None when ``timeout_ms`` passed).
        Returns the status and the state word to pass as ``known`` next time."""
        state = _ReaderState(reader.encode(), None, DWORD(known), DWORD(0), DWORD(0))
        result = self.lib.SCardGetStatusChange(
            self.handle, DWORD(timeout_ms), ctypes.byref(state), DWORD(1)
        )
        if result & 0xFFFFFFFF == SCARD_E_TIMEOUT:
            return None
        _check("get status", result)
        event = int(state.event) & ~SCARD_STATE_CHANGED
        if event & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE):
            raise PcscError(f"get status of {reader!r}", 0x80100017)
        atr = bytes(state.atr[: int(state.atr_len)])
        return ReaderStatus(reader, bool(event & SCARD_STATE_PRESENT), atr), event

    def connect(self, reader: str) -> PcscCard:
        """Connect to the card in ``reader`` (T=0 or T=1)."""
        card, protocol = ctypes.c_long(), DWORD()
        protocols = DWORD(SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
        share = DWORD(SCARD_SHARE_SHARED)
        out = ctypes.byref(card), ctypes.byref(protocol)
        result = self.lib.SCardConnect(self.handle, reader.encode(), share, protocols, *out)
        _check(f"connect to {reader!r}", result)
        return PcscCard(self.lib, card, int(protocol.value))

    def close(self) -> None:
        """Release the context."""
        self.lib.SCardReleaseContext(self.handle)


class PcscCard:
    """A card connected through a reader."""

    def __init__(self, lib: Any, handle: ctypes.c_long, protocol: int) -> None:
        self.lib, self.handle = lib, handle
        self.pci = _IoRequest(DWORD(protocol), DWORD(ctypes.sizeof(_IoRequest)))

    def transmit(self, command: bytes) -> bytes:
        """Send one command APDU, return the response with its status word."""
        out = (ctypes.c_ubyte * 65538)()
        size = DWORD(len(out))
        data = (ctypes.c_ubyte * len(command)).from_buffer_copy(command)
        pci, length = ctypes.byref(self.pci), DWORD(len(command))
        result = self.lib.SCardTransmit(
            self.handle, pci, data, length, None, out, ctypes.byref(size)
        )
        _check("transmit", result)
        return bytes(out[: size.value])

    def disconnect(self) -> None:
        """Leave the card as it is and drop the connection."""
        self.lib.SCardDisconnect(self.handle, DWORD(SCARD_LEAVE_CARD))


def wait_for_card(context: PcscContext, reader: str, timeout: float) -> ReaderStatus:
    """Block until a card is in ``reader`` (or raise :class:`PcscError` after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    known = SCARD_STATE_UNAWARE
    while (left := deadline - time.monotonic()) > 0:
        seen = context.status(reader, known, int(min(left, 0.5) * 1000))
        if seen is None:
            continue
        status, known = seen
        if status.present:
            return status
    raise PcscError(f"wait for a card in {reader!r}", SCARD_E_TIMEOUT)


def pick_reader(context: PcscContext, name: str) -> str:
    """The reader whose name is ``name`` or starts with it (``""``: the first one)."""
    readers = context.readers()
    match = [r for r in readers if r == name] or [r for r in readers if r.startswith(name)]
    if not match:
        raise PcscError(f"find reader {name!r} among {readers}", 0x80100009)
    return match[0]
