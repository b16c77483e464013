"""USB HID (keyboard-wedge) scanners read from a Linux input device.

:class:`KeyDecoder` is sans-IO: key events (code, value) in, scans out, with
a configurable keyboard layout (us, de, fr), Caps Lock, Ctrl+] and
Alt+keypad ``029`` for the GS separator, and Enter / Tab / timeout as the
end of a scan. :class:`HidSource` is the thin adapter: python-evdev (imported
only when used) with an exclusive grab so scans never reach the console.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from drivers.barcode.keymaps import KEYPAD, LAYOUTS, Keymap
from drivers.barcode.scanner import Scan
from drivers.base import DriverError, Reading
from drivers.options import Options

KEY_ENTER, KEY_KPENTER, KEY_TAB = 28, 96, 15
SHIFTS, CTRLS, ALTS, ALTGR, CAPSLOCK = {42, 54}, {29, 97}, {56}, {100}, 58
KEY_RIGHTBRACE = 27
EV_KEY = 1
MAX_SCAN = 8192
ENDINGS = ("enter", "tab", "none")


@dataclass
class _Mods:
    shift: bool = False
    ctrl: bool = False
    alt: bool = False
    altgr: bool = False
    caps: bool = False


class KeyDecoder:
    """Turns key presses into scans for one keyboard layout."""

    def __init__(self, layout: str = "us", ending: str = "enter", timeout: float = 0.1) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
        if ending not in ENDINGS:
            raise ValueError(f"ending {ending!r} is not one of {', '.join(ENDINGS)}")
        self.keymap: Keymap = LAYOUTS[layout]
        self.ending = ending
        self.timeout = timeout
        self.unknown = 0
        self._mods = _Mods()
        self._alt_code = ""
        self._text: list[str] = []
        self._last = 0.0

    def feed(self, code: int, value: int, now: float) -> list[Scan]:
        """One key event (value 1 press, 0 release, 2 repeat); returns completed scans."""
        if self._modifier(code, value) or value == 0:
            return []
        self._last = now
        if code in (KEY_ENTER, KEY_KPENTER) and self.ending == "enter":
            return self._end()
        if code == KEY_TAB and self.ending == "tab":
            return self._end()
        self._type(self._char(code))
        return []

    def tick(self, now: float) -> list[Scan]:
        """With ending ``none``, end a scan after ``timeout`` seconds without keys."""
        if self.ending == "none" and self._text and now - self._last >= self.timeout:
            return self._end()
        return []

    def _modifier(self, code: int, value: int) -> bool:
        """Track Shift, Ctrl, Alt (with its keypad code), AltGr and Caps Lock."""
        down = value != 0
        mods = self._mods
        if code in SHIFTS:
            mods.shift = down
        elif code in CTRLS:
            mods.ctrl = down
        elif code in ALTGR:
            mods.altgr = down
        elif code in ALTS:
            mods.alt = down
            if not down and self._alt_code:
                self._type(chr(int(self._alt_code) % 256))
                self._alt_code = ""
        elif code == CAPSLOCK:
            mods.caps ^= value == 1
        else:
            return False
        return True

    def _char(self, code: int) -> str:
        """The character a key gives in the current shift state ('' for none)."""
        mods = self._mods
        if mods.alt and code in KEYPAD and KEYPAD[code].isdigit():
            self._alt_code = (self._alt_code + KEYPAD[code])[-3:]
            return ""
        if mods.ctrl and code == KEY_RIGHTBRACE:
            return "\x1d"
        if code in KEYPAD:
            return KEYPAD[code]
        entry = self.keymap.get(code)
        if entry is None:
            self.unknown += 1
            return ""
        plain, shifted, altgr = entry
        if mods.altgr:
            return altgr
        upper = mods.shift != (mods.caps and plain.isalpha())
        return shifted if upper else plain

    def _type(self, ch: str) -> None:
        if ch and len(self._text) < MAX_SCAN:
            self._text.append(ch)

    def _end(self) -> list[Scan]:
        text, self._text = "".join(self._text), []
        return [Scan(text.encode("utf-8"))] if text else []


def key_events(text: str, layout: str = "us") -> Iterator[tuple[int, int]]:
    """Key events that type ``text`` then Enter on ``layout`` (for tests and simulators)."""
    reverse: dict[str, tuple[int, str]] = {}
    for code, (plain, shifted, altgr) in sorted(LAYOUTS[layout].items()):
        for char, state in ((altgr, "altgr"), (shifted, "shift"), (plain, "")):
            if char:
                reverse[char] = (code, state)
    for ch in text:
        if ch == "\x1d":
            yield from ((29, 1), (KEY_RIGHTBRACE, 1), (KEY_RIGHTBRACE, 0), (29, 0))
            continue
        code, state = reverse[ch]
        mod = {"shift": 42, "altgr": 100}.get(state)
        if mod:
            yield mod, 1
        yield from ((code, 1), (code, 0))
        if mod:
            yield mod, 0
    yield from ((KEY_ENTER, 1), (KEY_ENTER, 0))


# --- the evdev adapter ----------------------------------------------------------------


def load_evdev() -> Any:
    """The evdev module, or DriverError saying how to get it."""
    try:
        import evdev
    except ImportError as exc:
        raise DriverError("HID scanners need python-evdev (Linux only): pip install evdev") from exc
    return evdev


HID_OPTIONS = ("layout", "ending", "timeout", "grab", "symbology", "trust_dir")


def hid_settings(options: Mapping[str, Any]) -> tuple[KeyDecoder, bool]:
    """The key decoder and the grab flag a HID scanner's options ask for, checked without
    opening the device (``config check`` refuses ``layout = "uk"`` or a serial-only
    ``suffix``); DriverError names the bad option."""
    opts = Options("barcode hid", options, HID_OPTIONS)
    decoder = KeyDecoder(
        opts.choice("layout", "us", tuple(LAYOUTS)),
        opts.choice("ending", "enter", ENDINGS),
        opts.number("timeout", 0.1, 0.005, 10.0),
    )
    return decoder, opts.flag("grab", True)


class HidSource:
    """Reads a HID scanner in a thread and delivers one reading per scan.

    ``url`` is the input device (``/dev/input/event3`` or
    ``/dev/input/by-id/…-event-kbd``); options: ``layout`` (us|de|fr),
    ``ending`` (enter|tab|none), ``timeout``, ``grab`` (default true),
    ``symbology``, ``trust_dir``.
    """

    def __init__(
        self, url: str, options: Mapping[str, Any], deliver: Callable[[Reading], None]
    ) -> None:
        from drivers.barcode.device import load_trust

        self.decoder, self.grab = hid_settings(options)
        self.url = url
        self.symbology = options.get("symbology")
        self.trust = load_trust(options)
        self.deliver = deliver
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._device: Any = None

    def start(self) -> None:
        """Open and grab the device, then read it in a background thread."""
        evdev = load_evdev()
        try:
            self._device = evdev.InputDevice(self.url)
            if self.grab:
                self._device.grab()
        except OSError as exc:
            raise DriverError(f"barcode hid: cannot open {self.url!r}: {exc}") from exc
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"hid:{self.url}")
        self._thread.start()

    def stop(self) -> None:
        """Release the grab and close the device."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        if self._device is not None:
            try:
                if self.grab:
                    self._device.ungrab()
            except OSError:
                pass
            self._device.close()

    def _run(self) -> None:
        import select

        from drivers.barcode.device import scan_reading

        while not self._stop.is_set():
            ready, _, _ = select.select([self._device.fd], [], [], 0.05)
            scans = self.decoder.tick(time.monotonic())
            if ready:
                for event in self._device.read():
                    if event.type == EV_KEY:
                        scans += self.decoder.feed(event.code, event.value, time.monotonic())
            for scan in scans:
                sym = str(self.symbology) if self.symbology else None
                self.deliver(scan_reading(scan.data, sym, self.trust))
