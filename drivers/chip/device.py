"""A PC/SC chip reader as a device of the post: reader hot-plug and card present/removed.

``url`` is ``pcsc:NAME`` (a reader whose name is or starts with NAME; ``pcsc:`` takes the
first). The source watches the reader in a thread: a reader that is not there
is a device fault (at start, the runner's, retried with back-off; later a ``device.fault``
event, and ``device.ok`` on its return); a card put in or taken out is a
``chip.card`` event with its ATR. The daemon then reads the chip with the lane's printed
MRZ and the CSCA store in force (``edge/chip/booth.py``, docs/chip.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from drivers.base import DriverError, Reading
from drivers.chip.pcsc import SCARD_STATE_UNAWARE, PcscContext, PcscError, pick_reader
from drivers.events import ChipCard, DeviceFault

PREFIX = "pcsc:"
POLL_S = 1.0


class ChipSource:
    """Watches one PC/SC reader and delivers its events (see the module docstring)."""

    def __init__(
        self, url: str, options: Mapping[str, Any], deliver: Callable[[Reading], None]
    ) -> None:
        if not url.startswith(PREFIX):
            raise DriverError(
                f"chip: url {url!r} must be pcsc:READER (e.g. 'pcsc:Virtual PCD 00 00')"
            )
        self.name, self.deliver = url[len(PREFIX) :], deliver
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._context: PcscContext | None = None

    def start(self) -> None:
        """Connect to pcscd and find the reader (a fault, retried, when either is missing:
        a reader plugged in later is found then), and watch it in a thread."""
        try:
            self._context = PcscContext()
            pick_reader(self._context, self.name)
        except PcscError as exc:
            if self._context is not None:
                self._context.close()
            raise DriverError(f"chip: {exc}") from exc
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"chip:{self.name}")
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and release the PC/SC context."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3.0)
        if self._context is not None:
            self._context.close()

    def _run(self) -> None:
        assert self._context is not None
        missing: str | None = None
        while not self._stop.is_set():
            try:
                reader = pick_reader(self._context, self.name)
            except PcscError as exc:
                missing = self._fault(missing, str(exc))
                self._stop.wait(POLL_S)
                continue
            if missing is not None:
                self.deliver(Reading("device.ok", DeviceFault(name=reader, state="ok")))
                missing = None
            missing = self._watch(reader)

    def _watch(self, reader: str) -> str | None:
        """Card events until the reader goes away (then the fault's text) or we stop."""
        assert self._context is not None
        known, present = SCARD_STATE_UNAWARE, False
        while not self._stop.is_set():
            try:
                seen = self._context.status(reader, known, int(POLL_S * 1000))
            except PcscError as exc:
                return self._fault(None, f"reader {reader!r}: {exc}")
            if seen is None:
                continue
            status, known = seen
            if status.present != present:
                present = status.present
                self.deliver(Reading("chip.card", ChipCard(reader, present, status.atr.hex())))
        return None

    def _fault(self, already: str | None, text: str) -> str:
        if already is None:
            self.deliver(
                Reading("device.fault", DeviceFault(name=self.name, state="fault", error=text), 1)
            )
        return text
