"""Where the daemon keeps its state when nobody says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

ENV_STATE_DIR = "BORDERPOST_STATE_DIR"


def state_dir_default() -> Path:
    """``$BORDERPOST_STATE_DIR``, else ``/var/lib/borderpost`` for root, else the XDG state dir."""
    env = os.environ.get(ENV_STATE_DIR)
    if env:
        return Path(env)
    if os.geteuid() == 0:
        return Path("/var/lib/borderpost")
    xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(xdg) / "borderpost"


def resolve_state_dir(arg: str | os.PathLike[str] | None) -> Path:
    """The state folder from a ``--state-dir`` argument or the default."""
    return Path(arg) if arg else state_dir_default()


def restrict_database(path: Path) -> None:
    """Mode 0640 on a database and its WAL and shared-memory files: readable by the service's
    group (the console's), never by everybody, whatever the umask of whoever made it."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        try:
            (path.parent / name).chmod(0o640)
        except FileNotFoundError:
            continue
