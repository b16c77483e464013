"""Where the daemon keeps its state: ``common.paths``, kept under this name for edge's modules."""

from __future__ import annotations

from common.paths import ENV_STATE_DIR, resolve_state_dir, state_dir_default

__all__ = ["ENV_STATE_DIR", "resolve_state_dir", "state_dir_default"]
