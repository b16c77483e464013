"""The pre-arrival view of a lane: who and what the lists announce for it in the coming hours,
who has arrived, who is overdue, and who came on a listed trip without being on its list.

The data is the daemon's ``prearrival`` request (docs/prearrival.md, "The lane view"); the
view asks again every ``REFRESH_S`` and on ``ctrl+r``. Opened with ``p`` from the live lane,
for the lane of the highlighted crossing. ``prearrival_line`` is the crossing detail's line
saying a read's pre-arrival verdict in words.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.display import clean, join, parse_time, short_time
from tui.screens.base import Page

AHEAD_H = 4  # the hours ahead the view covers
REFRESH_S = 10.0
SECTIONS = (
    ("overdue", "Overdue", "bold red"),
    ("expected", "Expected", "bold"),
    ("arrived", "Arrived", "green"),
    ("not_expected", "Not expected", "bold yellow"),
)


class PrearrivalScreen(Page):
    """One lane's expected lists, item by item (see the module docstring)."""

    TITLE_TEXT = "Pre-arrival: expected, arrived, overdue"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="prearrival.back"),
        Binding("ctrl+r", "reload", "Reload", id="prearrival.reload"),
    ]

    def __init__(self, lane: str | None) -> None:
        super().__init__()
        self.lane = lane

    def body(self) -> ComposeResult:
        """The lists, scrolling."""
        with VerticalScroll(id="prearrival-scroll"):
            yield Static(Text("loading ..."), id="prearrival-text")

    def on_mount(self) -> None:
        """Ask the daemon now and every ``REFRESH_S``."""
        self.query_one("#prearrival-scroll").focus()
        self.action_reload()
        self.set_interval(REFRESH_S, self.action_reload)

    @work(exclusive=True, group="prearrival")
    async def action_reload(self) -> None:
        """Ask the daemon for the lane's lists."""
        params: dict[str, Any] = {"hours": AHEAD_H}
        if self.lane is not None:
            params["lane"] = self.lane
        view = await self.ask("prearrival", **params)
        if view is not None:
            self.query_one("#prearrival-text", Static).update(view_text(view, self.lane))

    def action_back(self) -> None:
        """Back to the lane."""
        self.app.pop_screen()


def view_text(view: dict[str, Any], lane: str | None) -> Text:
    """The whole view as text: a heading per list, then its items by state."""
    where = f"lane {clean(lane, 16)}" if lane else "every lane"
    text = join((f"{where}, the next {AHEAD_H} hours, at {short_time(view.get('now'))}", "dim"))
    lists = [x for x in view.get("lists") or [] if isinstance(x, dict)]
    if not lists:
        text.append("\n\nNo pre-arrival list for this lane in the coming hours.")
    for x in lists:
        text.append("\n\n")
        text.append_text(_list_text(x))
    return text


def _list_text(x: dict[str, Any]) -> Text:
    raw = x.get("window")
    window: dict[str, Any] = raw if isinstance(raw, dict) else {}
    due = f"due {_hhmm(x.get('arrival'))}, " if x.get("arrival") else ""
    span = f"{due}window {_hhmm(window.get('from'))}-{_hhmm(window.get('to'))}"
    text = join((x.get("list_id"), "bold"), "  ref ", (x.get("reference"), ""), f"  {span}")
    for key, title, style in SECTIONS:
        items = [i for i in x.get(key) or [] if isinstance(i, dict)]
        if items or key != "not_expected":
            text.append(f"\n  {title} ({len(items)})", style=style if items else "dim")
        for item in items:
            text.append("\n    ")
            text.append_text(join((item_words(item), style if key != "expected" else "")))
    return text


def _hhmm(value: object) -> str:
    return short_time(value)[:5]


def item_words(item: dict[str, Any]) -> str:
    """One item (or an unannounced read) in a few words."""
    kind = item.get("item")
    if kind == "vehicle" or (kind is None and item.get("plate")):
        return "vehicle " + " ".join(
            clean(item.get(k), 20) for k in ("plate", "country") if item.get(k)
        )
    if kind == "consignment" or (kind is None and (item.get("mrn") or item.get("container"))):
        boxes = item.get("containers") or [item.get("container")]
        parts = [f"MRN {clean(item.get('mrn'), 40)}" if item.get("mrn") else ""]
        parts += [clean(b, 20) for b in boxes if b]
        return "consignment " + " ".join(p for p in parts if p)
    name = " ".join(clean(item.get(k), 40) for k in ("surname", "given_names") if item.get(k))
    doc = clean(item.get("document_number"), 40)
    role = clean(item.get("role"), 12)
    return "  ".join(p for p in (name or "(no name)", doc, role) if p)


def prearrival_line(events: list[dict[str, Any]]) -> Text | None:
    """The crossing detail's line: its reads' pre-arrival verdict in words, or None."""
    for event in events:
        payload = event.get("payload")
        verdict = payload.get("prearrival") if isinstance(payload, dict) else None
        if isinstance(verdict, dict):
            words = verdict_words(verdict, event.get("wall_time"))
            return join(("Pre-arrival: ", "bold"), words)
    return None


def verdict_words(v: dict[str, Any], read_at: object) -> tuple[str, str]:
    """(words, style) for a verdict: expected with how early or late, mismatch, not expected."""
    where = f"list {clean(v.get('list_id'), 64)} (ref {clean(v.get('reference'), 80)})"
    kind = v.get("verdict")
    if kind == "expected":
        return f"expected on {where}{_early_late(v.get('arrival'), read_at)}", "green"
    if kind == "mismatch":
        return f"mismatch on {where}: {clean(v.get('reason'), 160)}", "bold red"
    if kind == "not_expected":
        return f"not on any pre-arrival list; {where} covers this trip", "bold yellow"
    return clean(v.get("reason") or kind, 160), ""


def _early_late(arrival: object, read_at: object) -> str:
    due, seen = parse_time(arrival), parse_time(read_at)
    if not due or not seen:
        return ""
    minutes = round((seen - due) / 60)
    if minutes == 0:
        return ", arrived on time"
    return f", arrived {abs(minutes)} min {'early' if minutes < 0 else 'late'}"
