"""What screens and widgets may use of the console app, so they never import ``tui.app``.

``tui.app.BorderpostApp`` is the one :class:`Console`. Screens read its state
(link, status, officer, open alerts) and call the daemon through its backend;
what they want the app to do they say with a message (:class:`OfficerLoggedIn`,
:class:`AlertsStale`), which bubbles up to the app. What the app learns from
the daemon it posts to every open page as a message (:class:`EventPushed`,
:class:`OpenAlertsChanged`); a page that shows it handles it, the others let
it pass. So the app never calls a page's methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.message import Message

from tui.client import Backend


class Console(App[None]):
    """The console's state and its link to the daemon, as screens see them."""

    backend: Backend
    clock: Callable[[], dt.datetime]
    bundle_dir: Path
    link_up: bool
    answering: bool  # False: connected, but the daemon has not answered for a while
    unprotected: list[tuple[str, str]]  # portal lanes not protected, and why in words
    status: dict[str, Any]
    officer: dict[str, Any] | None
    open_alerts: list[dict[str, Any]]
    verdict_bell: bool  # ring once for a new CHECK, three times for a new STOP

    def ring(self, times: int) -> None:
        """Ring the bell ``times`` times, 0.4 s apart (a pattern the officer tells apart)."""
        for n in range(times):
            self.set_timer(0.01 + 0.4 * n, self.bell)


class OfficerLoggedIn(Message):
    """The daemon accepted an officer: subscribe and open their first page."""

    def __init__(self, officer: dict[str, Any]) -> None:
        super().__init__()
        self.officer = officer


class AlertsStale(Message):
    """The open alerts may have changed: reload them (the banner and pages follow)."""


class EventPushed(Message, bubble=False):
    """The daemon pushed an event (sent down to the pages; a page listing events shows it)."""

    def __init__(self, event: dict[str, Any]) -> None:
        super().__init__()
        self.event = event


class OpenAlertsChanged(Message, bubble=False):
    """The open alerts were reloaded (sent down to the pages; a page listing them redraws)."""

    def __init__(self, alerts: list[dict[str, Any]]) -> None:
        super().__init__()
        self.alerts = alerts
