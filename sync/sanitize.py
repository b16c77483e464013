"""Untrusted text made safe to store and show: bounded, no control or format characters."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

MAX_TEXT = 4096
MAX_ITEMS = 20000
MAX_DEPTH = 12


def clean_text(text: str, max_len: int = MAX_TEXT) -> str:
    """Drop C0/C1 controls (but tab) and Unicode format characters; cut to ``max_len``."""
    if len(text) <= max_len and text.isascii() and text.isprintable():
        return text  # the common case, checked in C: nothing to drop
    out = [
        ch
        for ch in text[: max_len * 2]
        if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    ]
    return "".join(out)[:max_len]


def clean_payload(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of ``value`` with every string cleaned and every container bounded."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        items = list(value.items())[:MAX_ITEMS]
        return {clean_text(str(k), 128): clean_payload(v, depth + 1) for k, v in items}
    if isinstance(value, list | tuple):
        return [clean_payload(v, depth + 1) for v in list(value)[:MAX_ITEMS]]
    if isinstance(value, bytes):
        return value.hex()[:MAX_TEXT]
    return clean_text(str(value))
