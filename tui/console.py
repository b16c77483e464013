"""What screens and widgets may use of the console app, so they never import ``tui.app``.

``tui.app.BorderpostApp`` is the one :class:`Console`. Screens read its state
(link, status, officer, open alerts) and call the daemon through its backend;
the app pushes changes to them with Textual messages and redraws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from tui.client import Backend


class Console(App[None]):
    """The console's state and its link to the daemon, as screens see them."""

    backend: Backend
    clock: Callable[[], dt.datetime]
    bundle_dir: Path
    link_up: bool
    status: dict[str, Any]
    officer: dict[str, Any] | None
    open_alerts: list[dict[str, Any]]

    async def refresh_alerts(self) -> None:
        """Reload the open alerts; the banner and the alerts page follow."""
        raise NotImplementedError

    async def logged_in(self, officer: dict[str, Any]) -> None:
        """An officer logged in: subscribe and open their first page."""
        raise NotImplementedError
