"""The one way untrusted text reaches the screen: stripped, bounded, never markup."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any

from rich.text import Text

ELLIPSIS = "..."
_SPACES = {ord(c): " " for c in "\t\n\r\x0b\x0c\x85\u2028\u2029"}


def clean(value: object, limit: int = 200) -> str:
    """Text without C0/C1 controls or Unicode format characters, at most ``limit`` long."""
    raw = value if isinstance(value, str) else _to_str(value)
    spaced = raw[: limit * 4].translate(_SPACES)
    kept = "".join(ch for ch in spaced if unicodedata.category(ch) not in ("Cc", "Cf"))
    if len(kept) > limit:
        if limit <= len(ELLIPSIS):
            return kept[:limit]
        return kept[: limit - len(ELLIPSIS)] + ELLIPSIS
    return kept


def _to_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def plain(value: object, limit: int = 200, style: str = "") -> Text:
    """A ``Text`` (never parsed as markup) of the cleaned value."""
    return Text(clean(value, limit), style=style, no_wrap=False)


def join(*parts: tuple[object, str] | str) -> Text:
    """Several cleaned pieces, each with its own style, as one ``Text``."""
    text = Text()
    for part in parts:
        value, style = (part, "") if isinstance(part, str) else part
        text.append(clean(value, 400), style=style)
    return text


def clock_text(moment: dt.datetime) -> str:
    """The wall clock as the status line shows it (UTC)."""
    return moment.astimezone(dt.UTC).strftime("%H:%M:%SZ")


def short_time(iso: object) -> str:
    """``HH:MM:SS`` (UTC) of an ISO 8601 or UNIX time from the daemon."""
    if isinstance(iso, int | float) and not isinstance(iso, bool):
        return _from_unix(iso, "%H:%M:%S")
    text = clean(iso, 40)
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).strftime("%H:%M:%S")
    except ValueError:
        return text[:8]


def long_time(value: object) -> str:
    """``YYYY-MM-DD HH:MM:SS`` (UTC) of an ISO 8601 or UNIX time."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_unix(value, "%Y-%m-%d %H:%M:%S")
    text = clean(value, 40)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text[:19]
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def parse_time(value: object) -> float:
    """UNIX seconds of an ISO 8601 or UNIX time from the daemon (0.0 when unreadable)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        moment = dt.datetime.fromisoformat(clean(value, 40).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return moment.replace(tzinfo=moment.tzinfo or dt.UTC).timestamp()


def _from_unix(value: float, fmt: str) -> str:
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC).strftime(fmt)
    except (ValueError, OverflowError, OSError):
        return "?"


def age_text(seconds: Any) -> str:
    """A compact age: ``45s``, ``12m``, ``5h``, ``3d``; ``-`` when unknown."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        return "-"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def field(payload: dict[str, Any], *keys: str, limit: int = 40) -> str:
    """The first non-empty of ``keys`` in a payload, cleaned."""
    for key in keys:
        value = payload.get(key)
        if value not in (None, "", [], {}):
            return clean(value, limit)
    return ""
