"""Checked request parameters: the wrong type or range is a ``bad_request``."""

from __future__ import annotations

from typing import Any, Literal, overload

from edge.api.protocol import ApiError
from edge.sanitize import clean_text


@overload
def text(req: dict[str, Any], key: str, max_len: int, required: Literal[True] = True) -> str: ...
@overload
def text(req: dict[str, Any], key: str, max_len: int, required: bool) -> str | None: ...
def text(req: dict[str, Any], key: str, max_len: int, required: bool = True) -> str | None:
    """A string parameter of at most ``max_len`` characters."""
    value = req.get(key)
    if value is None:
        if required:
            raise ApiError("bad_request", f"{key} is required")
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise ApiError("bad_request", f"{key} must be text of at most {max_len} characters")
    return value


def integer(
    req: dict[str, Any], key: str, default: int | None, lo: int, hi: int, required: bool = False
) -> Any:
    """A whole-number parameter within ``lo``..``hi``."""
    value = req.get(key)
    if value is None:
        if required:
            raise ApiError("bad_request", f"{key} is required")
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ApiError("bad_request", f"{key} must be a whole number from {lo} to {hi}")
    return value


def label(req: dict[str, Any], key: str, max_len: int, required: bool = False) -> str | None:
    """A short text parameter stored as is (a lane, a device, a kind): control and format
    characters removed, so a client that need not log in cannot plant escape codes."""
    value = text(req, key, max_len, required)
    return clean_text(value, max_len) if value is not None else None
