"""The Borderpost console: an app that talks to the daemon only through its local API."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import NoColor
from textual.message import Message
from textual.screen import Screen

from edge.api.protocol import ApiError
from tui.client import LOGGED_OUT, Backend, DaemonClient
from tui.console import AlertsStale, Console, EventPushed, OfficerLoggedIn, OpenAlertsChanged
from tui.display import clean
from tui.screens.base import ask
from tui.theme import THEMES, use_console_glyphs
from tui.verdict import BELLS, by_severity, severity
from tui.widgets import remember_portal_fault, unprotected_lanes

ROLE_PAGES = {
    "officer": ("lane", "alerts", "search", "manual"),
    "supervisor": ("lane", "alerts", "search", "manual", "audit", "officers"),
    "technician": ("sensors", "config", "diagnostics", "sync", "system", "lane"),
}
PAGE_TITLES = {
    "lane": "Live lane",
    "alerts": "Alerts",
    "search": "Search crossings",
    "manual": "Manual entry",
    "sensors": "Sensors",
    "config": "Device configuration",
    "diagnostics": "Diagnostics",
    "sync": "Sync to HQ",
    "system": "System",
    "audit": "Audit log",
    "officers": "Officers",
}
ALERT_KINDS = frozenset({"alert", "adjudication"})
HEARTBEAT_S = 3.0  # no answer for this long (status is asked every second): not answering


class EventArrived(Message):
    """The daemon pushed an event."""

    def __init__(self, event: dict[str, Any]) -> None:
        super().__init__()
        self.event = event


class LinkChanged(Message):
    """The link to the daemon went up or down."""

    def __init__(self, up: bool, reason: str) -> None:
        super().__init__()
        self.up, self.reason = up, reason


def _page_binding(key: str, page: str, label: str) -> Binding:
    return Binding(key, f"go('{page}')", label, id=f"page.{page}")


class BorderpostApp(Console):
    """Officer, technician and supervisor console."""

    CSS_PATH = "app.tcss"
    TITLE = "Borderpost"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        _page_binding("f2", "lane", "Lane"),
        _page_binding("f3", "alerts", "Alerts"),
        _page_binding("f4", "search", "Search"),
        _page_binding("f5", "manual", "Manual"),
        _page_binding("f6", "sensors", "Sensors"),
        _page_binding("f7", "config", "Config"),
        _page_binding("f8", "diagnostics", "Diag"),
        _page_binding("f9", "sync", "Sync"),
        _page_binding("f10", "system", "System"),
        _page_binding("f11", "audit", "Audit"),
        _page_binding("f12", "officers", "Officers"),
        Binding("ctrl+p", "command_palette", "Palette", id="app.palette"),
        Binding("ctrl+l", "logout", "Log out", id="app.logout"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        theme: str = "dark",
        clock: Callable[[], dt.datetime] | None = None,
        bundle_dir: Path | None = None,
        auto_login: tuple[str, str] | None = None,
        verdict_bell: bool = False,
    ) -> None:
        super().__init__()
        self.auto_login = auto_login
        self.verdict_bell = verdict_bell
        self.backend = backend
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.bundle_dir = bundle_dir or Path.cwd()
        self.theme_key = theme if theme in THEMES else "dark"
        if self.theme_key == "mono" and not self.no_color:
            self.no_color = True  # what Textual does under NO_COLOR: every colour dropped
            self._filters.append(NoColor())
        self.link_up = False
        self.link_reason = "connecting"
        self.status: dict[str, Any] = {}
        self.officer: dict[str, Any] | None = None
        self.open_alerts: list[dict[str, Any]] = []
        self._seen_alerts: set[int] = set()
        self._pages: dict[str, Screen[Any]] = {}
        self.answering = True
        self._asking_since: float | None = None  # when the unanswered status request went out
        self.unprotected: list[tuple[str, str]] = []
        self._portal_words: dict[str, str] = {}  # portal device -> its last fault, in words

    def on_mount(self) -> None:
        """Apply the theme, start the link, show the log-in screen."""
        use_console_glyphs()
        for item in THEMES.values():
            self.register_theme(item)
        self.theme = THEMES[self.theme_key].name
        self.run_worker(self._link(), name="daemon-link", exclusive=True, group="link")
        self.set_interval(1.0, self._poll_status)
        self.set_interval(1.0, self._watch_heartbeat)
        from tui.screens.login import LoginScreen

        self.push_screen(LoginScreen(prefill=self.auto_login))

    async def _link(self) -> None:
        def on_event(event: dict[str, Any]) -> None:
            self.post_message(EventArrived(event))

        def on_link(up: bool, reason: str) -> None:
            self.post_message(LinkChanged(up, reason))

        await self.backend.run(on_event, on_link)

    # -- state from the daemon ---------------------------------------------------

    def on_link_changed(self, message: LinkChanged) -> None:
        """Say so when the link drops or comes back."""
        was_up, self.link_up, self.link_reason = self.link_up, message.up, message.reason
        if message.up and message.reason == LOGGED_OUT and self.officer:
            self.notify("Reconnected, but the log-in was refused: log in again", severity="error")
            self.run_worker(self.action_logout(), group="logout")
        if message.up and not was_up:
            self._answered()
            self.notify("Connected to the daemon", timeout=3)
            self.run_worker(self._poll_status(), group="status")
            self.run_worker(self.refresh_alerts(), group="alerts")
        elif not message.up and was_up:
            self.notify(
                f"Daemon link lost ({clean(message.reason, 80)}); reconnecting",
                markup=False,
                severity="error",
            )
        self._redraw_chrome()

    def on_event_arrived(self, message: EventArrived) -> None:
        """Tell the pages; refresh alerts when one is raised or decided."""
        self._answered()
        remember_portal_fault(self._portal_words, message.event)
        self._tell_pages(EventPushed(message.event))
        if message.event.get("kind") in ALERT_KINDS or message.event.get("alert_ids"):
            self.run_worker(self.refresh_alerts(), group="alerts")

    async def _poll_status(self) -> None:
        if not self.link_up:
            return
        if self._asking_since is None:
            self._asking_since = time.monotonic()
        try:
            self.status = await self.backend.call("status")
        except (ApiError, ConnectionError, TimeoutError):
            return
        finally:
            self._asking_since = None
        self._answered()
        self._check_lanes()
        self._redraw_chrome()

    def _answered(self) -> None:
        """The daemon answered: the heartbeat is fine (say so if it was not)."""
        if not self.answering:
            self.answering = True
            self.notify("The daemon answers again", timeout=3)
            self._redraw_chrome()

    def _watch_heartbeat(self) -> None:
        """A daemon that is connected but leaves a status request unanswered for
        ``HEARTBEAT_S`` (frozen, swapped out) is not answering. Only a request in flight
        counts, so a console that was itself held up does not blame the daemon."""
        asked = self._asking_since
        silent = asked is not None and time.monotonic() - asked > HEARTBEAT_S
        if self.link_up and self.answering and silent:
            self.answering = False
            self.bell()
            self.notify(
                "The daemon is not answering: readings may not be recorded. Call a technician.",
                severity="error",
                timeout=10,
            )
            self._redraw_chrome()

    def _check_lanes(self) -> None:
        """Ring and say so when a lane's radiation portal stops protecting it."""
        unprotected = unprotected_lanes(self.status, self._portal_words)
        fresh = {lane for lane, _ in unprotected} - {lane for lane, _ in self.unprotected}
        self.unprotected = unprotected
        if fresh:
            self.bell()

    async def refresh_alerts(self) -> None:
        """Reload open alerts (most severe first), ring for new ones (three times for a critical
        one, twice for a high one, else once); the banner follows."""
        if not self.officer or "alerts" not in ROLE_PAGES[self.officer["role"]]:
            self.open_alerts = []
            return
        result = await ask(self, "alerts", state="open", limit=500)
        if result is None:
            return
        alerts = by_severity([a for a in result.get("alerts", []) if isinstance(a, dict)])
        fresh = [a for a in alerts if _alert_id(a) not in self._seen_alerts]
        if fresh:
            self.ring(BELLS.get(severity(fresh[0]), 1))  # the most severe new one says how often
            self._seen_alerts |= {_alert_id(a) for a in fresh}
        self.open_alerts = alerts
        self._redraw_chrome()
        self._tell_pages(OpenAlertsChanged(alerts))

    def _tell_pages(self, message: EventPushed | OpenAlertsChanged) -> None:
        """Post what the daemon said to every open page; those that show it handle it."""
        for page in self._pages.values():
            page.post_message(message)

    def _redraw_chrome(self) -> None:
        from tui.widgets import AlertBanner, StatusLine

        if not self.screen_stack:
            return  # the console is closing: a late daemon answer has nothing to draw on
        for widget in self.screen.query(StatusLine):
            widget.render_state()
        for banner in self.screen.query(AlertBanner):
            banner.render_state()

    # -- log-in, pages -------------------------------------------------------------

    def on_officer_logged_in(self, message: OfficerLoggedIn) -> None:
        """The log-in screen says an officer is in."""
        self.run_worker(self.logged_in(message.officer), group="login")

    def on_alerts_stale(self, message: AlertsStale) -> None:
        """A screen says the open alerts may have changed."""
        self.run_worker(self.refresh_alerts(), group="alerts")

    async def logged_in(self, officer: dict[str, Any]) -> None:
        """Subscribe and open the officer's first page."""
        self.officer = officer
        await self.backend.subscribe()
        await self.refresh_alerts()
        await self._poll_status()
        self.action_go(ROLE_PAGES[officer["role"]][0])

    def page(self, name: str) -> Screen[Any]:
        """The installed screen for ``name`` (created on first use, kept until log-out)."""
        if name not in self._pages:
            self._pages[name] = _make_page(name)
            self.install_screen(self._pages[name], name)
        return self._pages[name]

    def action_go(self, name: str) -> None:
        """Show one of the role's pages (nothing once the console is closing: a log-in that
        completes after the last screen is gone would raise ScreenStackError)."""
        if not self.screen_stack or not self.officer:
            return
        if name not in ROLE_PAGES[self.officer["role"]]:
            return
        if name == "manual":
            from tui.screens.manual import ManualDialog

            self.push_screen(ManualDialog())
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.page(name)
        self.switch_screen(name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide pages the officer's role may not open."""
        if action == "go":
            role = self.officer["role"] if self.officer else None
            return bool(role) and parameters[0] in ROLE_PAGES.get(role or "", ())
        if action == "logout":
            return self.officer is not None
        return True

    async def action_logout(self) -> None:
        """Log out, drop every page, back to the log-in screen."""
        from tui.screens.login import LoginScreen

        with contextlib.suppress(ApiError, ConnectionError, TimeoutError):
            await self.backend.logout()
        self.officer, self.open_alerts, self._seen_alerts = None, [], set()
        if not self.screen_stack:
            return  # the console closed while the daemon answered: nothing to switch
        while len(self.screen_stack) > 2:
            self.pop_screen()
        await self.switch_screen(LoginScreen())
        for name in list(self._pages):
            self.uninstall_screen(name)
        self._pages.clear()

    def action_help(self) -> None:
        """The help screen: every key of this screen and the app."""
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.active_bindings))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: the role's pages, help, log out, quit. Not Textual's own
        commands: its screenshot would write traveller data to disk, its themes undo ours."""
        role = self.officer["role"] if self.officer else None
        for name in ROLE_PAGES.get(role or "", ()):
            yield SystemCommand(
                f"Open {PAGE_TITLES[name]}",
                f"Go to the {name} screen",
                lambda n=name: self.action_go(n),
            )
        yield SystemCommand("Help", "Show every key", self.action_help)
        if self.officer:
            yield SystemCommand("Log out", "End this officer's session", self.action_logout)
        yield SystemCommand("Quit", "Close the console (the post keeps running)", self.exit)


def _alert_id(alert: dict[str, Any]) -> int:
    value = alert.get("alert_id")
    return value if isinstance(value, int) else 0


def _make_page(name: str) -> Screen[Any]:
    from tui.screens import registry

    return registry.PAGES[name]()


def run(
    socket_path: Path,
    theme: str = "dark",
    bundle_dir: Path | None = None,
    auto_login: tuple[str, str] | None = None,
) -> None:
    """Run the console against the daemon listening on ``socket_path`` (with
    ``BORDERPOST_VERDICT_BELL=1`` the bell speaks each new verdict: once for CHECK, three
    times for STOP)."""
    app = BorderpostApp(
        DaemonClient(socket_path),
        theme=theme,
        bundle_dir=bundle_dir,
        auto_login=auto_login,
        verdict_bell=os.environ.get("BORDERPOST_VERDICT_BELL") == "1",
    )
    app.run()
