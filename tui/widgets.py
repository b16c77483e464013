"""Widgets every screen shares: the status line and the alert banner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from rich.text import Text
from textual.widgets import Static

from edge.api.protocol import severity_name
from tui.console import Console
from tui.display import age_text, clean, clock_text
from tui.verdict import most_severe, severity

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
        clock = clock_text(app.clock())
        answering = getattr(app, "answering", True)
        self.update(status_text(app.link_up, app.status, app.officer, clock, answering=answering))


def status_text(
    link_up: bool,
    status: dict[str, Any],
    officer: dict[str, Any] | None,
    clock: str,
    *,
    answering: bool = True,
) -> Text:
    """The status line as styled plain text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    storage = status.get("storage")
    if isinstance(storage, dict) and storage.get("full"):  # first: the line may be cut
        text.append("STORAGE FULL — readings not recorded", "bold white on red")
        text.append(SEP)
    text.append_text(_daemon(link_up, answering))
    text.append(SEP)
    text.append_text(_sync(status))
    text.append(SEP)
    text.append_text(_watchlist(status))
    text.append(SEP)
    text.append_text(_sensors(status))
    text.append(SEP)
    text.append_text(_lanes(status))
    text.append(SEP + (clean(officer.get("officer_id"), 16) if officer else "-"))
    text.append(" " + clock)
    return text


def _daemon(link_up: bool, answering: bool) -> Text:
    """The console's link to the post's daemon (not the HQ link: that is SYNC)."""
    if not link_up:
        return Text("DAEMON DOWN", "bold reverse red")
    if not answering:
        return Text("DAEMON NOT ANSWERING", "bold reverse red")
    return Text("DAEMON ok", "bold green")


def _sync(status: dict[str, Any]) -> Text:
    broker = status.get("broker") if isinstance(status.get("broker"), dict) else {}
    online = bool(broker and broker.get("connected"))
    backlog = status.get("backlog", "-")
    label = f"SYNC {'on' if online else 'off'} {clean(backlog, 8)}"
    return Text(label, style="green" if online else "yellow")


def _watchlist(status: dict[str, Any]) -> Text:
    """The list in force and its age; STALE when older than ``[watchlist] stale_after_h``."""
    version = status.get("watchlist_version")
    if version in (None, "", 0):
        return Text("WL none")
    label = f"WL v{clean(version, 12)} {age_text(status.get('watchlist_age_s'))}"
    if status.get("watchlist_stale") is True:
        return Text(label + " STALE", style="bold yellow")
    return Text(label)


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
    return Text("LANE ok", style="green")


def _protected(lane: object) -> bool:
    return isinstance(lane, dict) and bool(lane.get("protected"))


class AlertBanner(Static):
    """A banner while a lane is not protected or any alert is open; F3 to handle alerts."""

    def on_mount(self) -> None:
        """Follow the app's lanes and open alerts."""
        self.render_state()
        self.set_interval(1.0, self.render_state)

    def render_state(self) -> None:
        """Show what needs the officer most, or hide when nothing does."""
        app = cast(Console, self.app)
        alerts, lanes = app.open_alerts, getattr(app, "unprotected", [])
        self.display = bool(alerts or lanes)
        if self.display:
            self.update(banner_text(alerts, lanes, self.size.width or 80))


def banner_text(
    alerts: list[dict[str, Any]],
    unprotected: Sequence[tuple[str, str]] = (),
    width: int = 80,
) -> Text:
    """``LANE 1 NOT PROTECTED: why`` first, else ``N OPEN ALERTS  CRITICAL KIND: summary  F3``
    naming the newest of the most severe alerts, cut to ``width`` so the key always shows."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if unprotected:
        lane, why = unprotected[0]
        head = f" LANE {clean(lane, 4)} NOT PROTECTED "
        text.append(head, "bold reverse")
        text.append(" " + clean(why, max(width - len(head) - 2, 1)))
        return text
    newest = most_severe(alerts)
    head = f" {len(alerts)} OPEN ALERT{'S' if len(alerts) > 1 else ''} "
    kind = f" {severity_name(severity(newest)).upper()} {clean(newest.get('kind'), 12).upper()}: "
    tail = "  F3"
    room = max(width - len(head) - len(kind) - len(tail), 4)
    text.append(head, "bold reverse")
    text.append(kind, "bold")
    text.append(clean(newest.get("summary"), room))
    text.append(tail, "bold")
    return text


def unprotected_lanes(status: dict[str, Any], words: dict[str, str]) -> list[tuple[str, str]]:
    """The lanes whose radiation portal does not protect them, each with the reason in words."""
    lanes = status.get("lanes") if isinstance(status.get("lanes"), dict) else {}
    assert isinstance(lanes, dict)
    out = []
    for name, lane in lanes.items():
        if isinstance(lane, dict) and lane.get("rpm") and not lane.get("protected"):
            portal = clean(lane.get("rpm"), 20)
            faults = ", ".join(clean(f, 20) for f in lane.get("faults") or [])
            why = words.get(portal) or faults or "the portal says the lane is not protected"
            out.append((clean(name, 4), f"{portal}: {why}"))
    return out


def remember_portal_fault(words: dict[str, str], event: dict[str, Any]) -> None:
    """Keep a portal's last fault in words (``silence - no line for 58.2 s``); cleared: gone."""
    if event.get("kind") != "rpm.fault" or not event.get("device"):
        return
    payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
    assert isinstance(payload, dict)
    device = clean(event.get("device"), 20)
    if payload.get("cleared"):
        words.pop(device, None)
        return
    fault, detail = clean(payload.get("fault"), 30), clean(payload.get("detail"), 80)
    words[device] = f"{fault} - {detail}" if fault and detail else fault or detail


class KeyBar(Static):
    """The keys in force, on one line (a light footer: one widget, redrawn, never recomposed)."""

    def on_mount(self) -> None:
        """Draw now and whenever focus or the screen changes (and once a second, to be sure)."""
        self.call_after_refresh(self.render_keys)
        self.set_interval(1.0, self.render_keys)

    def render_keys(self) -> None:
        """Rebuild the line from the app's active bindings."""
        if not self.app.screen_stack or self.app.screen is not self.screen:
            return  # not the screen in front, or the console is closing
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
