"""Where the daemon keeps its state: ``sync.paths``, kept under this name for edge's modules."""

from __future__ import annotations

from sync.paths import ENV_STATE_DIR, resolve_state_dir, restrict_database, state_dir_default

__all__ = ["ENV_STATE_DIR", "resolve_state_dir", "restrict_database", "state_dir_default"]
