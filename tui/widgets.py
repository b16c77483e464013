"""Widgets every screen shares: the status line and the alert banner."""

from __future__ import annotations

from typing import Any, cast

from rich.text import Text
from textual.widgets import Static

from tui.console import Console
from tui.display import age_text, clean, clock_text

SEP = " | "


class StatusLine(Static):
    """Daemon link, sync, watchlist, sensors, lane protection, officer and clock."""

    def on_mount(self) -> None:
        """Redraw every second and whenever the app's state changes."""
        self.render_state()
        self.set_interval(1.0, self.render_state)

    def render_state(self) -> None:
        """Rebuild the line from the app's last known state."""
        app = cast(Console, self.app)
        self.update(status_text(app.link_up, app.status, app.officer, clock_text(app.clock())))


def status_text(
    link_up: bool, status: dict[str, Any], officer: dict[str, Any] | None, clock: str
) -> Text:
    """The status line as styled plain text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    storage = status.get("storage")
    if isinstance(storage, dict) and storage.get("full"):  # first: the line may be cut
        text.append("STORAGE FULL — readings not recorded", "bold white on red")
        text.append(SEP)
    text.append("LINK up" if link_up else "LINK DOWN", "bold green" if link_up else "bold red")
    text.append(SEP)
    text.append_text(_sync(status))
    text.append(SEP + "WL " + _watchlist(status))
    text.append(SEP)
    text.append_text(_sensors(status))
    text.append(SEP)
    text.append_text(_lanes(status))
    text.append(SEP + (clean(officer.get("officer_id"), 16) if officer else "-"))
    text.append(SEP + clock)
    return text


def _sync(status: dict[str, Any]) -> Text:
    broker = status.get("broker") if isinstance(status.get("broker"), dict) else {}
    online = bool(broker and broker.get("connected"))
    backlog = status.get("backlog", "-")
    label = f"SYNC {'on' if online else 'off'} {clean(backlog, 8)}"
    return Text(label, style="green" if online else "yellow")


def _watchlist(status: dict[str, Any]) -> str:
    version = status.get("watchlist_version")
    if version in (None, "", 0):
        return "none"
    return f"v{clean(version, 12)} {age_text(status.get('watchlist_age_s'))}"


def _sensors(status: dict[str, Any]) -> Text:
    devices = status.get("devices") if isinstance(status.get("devices"), list) else []
    assert isinstance(devices, list)
    ok = sum(1 for d in devices if isinstance(d, dict) and d.get("state") == "ok")
    style = "yellow" if not devices else "green" if ok == len(devices) else "bold red"
    return Text(f"SENS {ok}/{len(devices)}", style=style)


def _lanes(status: dict[str, Any]) -> Text:
    lanes = status.get("lanes") if isinstance(status.get("lanes"), dict) else {}
    assert isinstance(lanes, dict)
    if not lanes:
        return Text("LANE no RPM", style="yellow")
    bad = [clean(name, 4) for name, lane in lanes.items() if not _protected(lane)]
    if bad:
        return Text("UNPROTECTED " + ",".join(bad), style="bold red")
    return Text("LANE protected", style="green")


def _protected(lane: object) -> bool:
    return isinstance(lane, dict) and bool(lane.get("protected"))


class AlertBanner(Static):
    """A banner that stays while any alert is open; press F3 to handle them."""

    def on_mount(self) -> None:
        """Follow the app's list of open alerts."""
        self.render_state()
        self.set_interval(1.0, self.render_state)

    def render_state(self) -> None:
        """Show the count and the oldest open alert, or hide when there is none."""
        alerts = cast(Console, self.app).open_alerts
        self.display = bool(alerts)
        if alerts:
            self.update(banner_text(alerts))


def banner_text(alerts: list[dict[str, Any]]) -> Text:
    """``N OPEN ALERT(S): oldest summary  [F3]``."""
    oldest = alerts[0]
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {len(alerts)} OPEN ALERT{'S' if len(alerts) > 1 else ''} ", "bold reverse")
    text.append(" " + clean(oldest.get("kind"), 12).upper() + ": ", "bold")
    text.append(clean(oldest.get("summary"), 120))
    text.append("  F3 to handle")
    return text


class KeyBar(Static):
    """The keys in force, on one line (a light footer: one widget, redrawn, never recomposed)."""

    def on_mount(self) -> None:
        """Draw now and whenever focus or the screen changes (and once a second, to be sure)."""
        self.call_after_refresh(self.render_keys)
        self.set_interval(1.0, self.render_keys)

    def render_keys(self) -> None:
        """Rebuild the line from the app's active bindings."""
        if self.app.screen is not self.screen:
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        actives = list(self.app.active_bindings.values())
        actives.sort(key=lambda a: a.binding.key != "f1")  # help first: it lists the rest
        for active in actives:
            binding = active.binding
            if not binding.show or not binding.description or not active.enabled:
                continue
            if binding.description in seen:
                continue
            seen.add(binding.description)
            text.append(self.app.get_key_display(binding), "bold reverse")
            text.append(" " + binding.description + "  ")
        self.update(text)
