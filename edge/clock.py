"""Is the wall clock synchronised? A Pi has no battery clock, so it often is not."""

from __future__ import annotations

import ctypes
import ctypes.util
import time

TIME_ERROR = 5  # adjtimex(2): the clock is not synchronised
_CACHE_S = 30.0
_cache: tuple[float, bool] | None = None


def _adjtimex_state() -> int | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name, use_errno=True)
    buf = ctypes.create_string_buffer(512)  # struct timex with modes = 0: read only
    try:
        return int(libc.adjtimex(buf))
    except AttributeError:
        return None


def clock_synced() -> bool:
    """True when the kernel says NTP (or PTP, GPS…) keeps the clock synchronised."""
    global _cache
    now = time.monotonic()
    if _cache is not None and now - _cache[0] < _CACHE_S:
        return _cache[1]
    state = _adjtimex_state()
    synced = state is not None and 0 <= state < TIME_ERROR
    _cache = (now, synced)
    return synced
