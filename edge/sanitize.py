"""Untrusted text made safe: ``sync.sanitize``, kept under this name for edge's modules."""

from __future__ import annotations

from sync.sanitize import MAX_DEPTH, MAX_ITEMS, MAX_TEXT, clean_payload, clean_text

__all__ = ["MAX_DEPTH", "MAX_ITEMS", "MAX_TEXT", "clean_payload", "clean_text"]
