"""One event in full: the MRZ and its check digits, the screening explanation,
the RPM occupancy against its threshold, earlier crossings with the same document."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from edge.api.protocol import MrzRead
from tui.display import clean, field, short_time
from tui.plot import chart, profile_of
from tui.rows import badge, body_of, document_of, name_of
from tui.screens.base import Page

MRZ_FIELDS = (
    "format",
    "document_code",
    "issuing_state",
    "document_number",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "optional_data",
    "optional_data_2",
)
HIT_FIELDS = ("list", "entry_id", "category", "action", "score", "band", "matched")


class DetailScreen(Page):
    """Everything the daemon knows about one event."""

    TITLE_TEXT = "Event detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("a", "adjudicate", "Adjudicate", id="detail.adjudicate"),
        Binding("r", "reload", "Reload", id="detail.reload"),
    ]

    def __init__(self, seq: int) -> None:
        super().__init__()
        self.seq = seq
        self.result: dict[str, Any] = {}

    def body(self) -> ComposeResult:
        """A scrolling text."""
        with VerticalScroll(id="detail-scroll"):
            yield Static(Text("loading ..."), id="detail-text")

    def on_mount(self) -> None:
        """Ask the daemon for the event."""
        self.action_reload()

    @work(exclusive=True, group="detail")
    async def action_reload(self) -> None:
        """Load (again) from the daemon."""
        result = await self.ask("event", seq=self.seq)
        if result is not None:
            self.show(result)

    def show(self, result: dict[str, Any]) -> None:
        """Render an ``event`` result."""
        self.result = result
        self.query_one("#detail-text", Static).update(detail_text(result))

    def action_back(self) -> None:
        """Back to where the officer came from."""
        self.app.pop_screen()

    def action_adjudicate(self) -> None:
        """Decide this event's first open alert."""
        alerts = [a for a in self.result.get("alerts", []) if isinstance(a, dict)]
        alert = next((a for a in alerts if a.get("state") == "open"), None)
        if alert is None:
            self.notify("No open alert on this event.", severity="warning")
            return
        from tui.screens.adjudicate import adjudicate

        adjudicate(self.bp, alert)


def detail_text(result: dict[str, Any]) -> Text:
    """All sections as one text."""
    event = result.get("event") if isinstance(result.get("event"), dict) else {}
    assert isinstance(event, dict)
    payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
    assert isinstance(payload, dict)
    text = _header(event, payload)
    body = body_of(event)
    if isinstance(body, MrzRead) and not {"checks", "format", "document_code"} <= body.absent:
        text.append_text(_mrz(body))
    series, threshold = profile_of(payload)
    if series or event.get("kind") == "rpm.occupancy":
        text.append_text(_rpm(payload, series, threshold))
    for alert in result.get("alerts", []):
        if isinstance(alert, dict):
            text.append_text(_alert(alert))
    text.append_text(_related([e for e in result.get("related", []) if isinstance(e, dict)]))
    return text


def _section(title: str) -> Text:
    return Text("\n" + title + "\n", style="bold underline")


def _kv(label: str, value: object, style: str = "", limit: int = 60) -> Text:
    text = Text(f"  {label:<18} ", style="dim")
    text.append(clean(value, limit) or "-", style)
    return text + "\n"


def _header(event: dict[str, Any], payload: dict[str, Any]) -> Text:
    text = Text()
    text.append(f"#{clean(event.get('seq'), 12)} ", "bold")
    text.append(clean(event.get("kind"), 20).upper() + "  ", "bold")
    text.append_text(badge(event))
    text.append(
        f"  {short_time(event.get('wall_time'))}  lane {clean(event.get('lane') or '-', 4)}"
    )
    text.append(f"  device {clean(event.get('device') or '-', 16)}\n")
    document = field(payload, "document_number", "number", "container", "mrn", limit=60)
    for label, value in (
        ("document", document or document_of(payload)),
        ("name", name_of(payload)),
    ):
        if value:
            text.append_text(_kv(label, value))
    if not event.get("clock_synced", True):
        text.append("  (clock not synchronised when recorded)\n", "yellow")
    return text


def _mrz(body: MrzRead) -> Text:
    text = _section("MRZ")
    for key in MRZ_FIELDS:
        if getattr(body, key) not in (None, ""):
            text.append_text(_kv(key, getattr(body, key)))
    valid = body.valid
    text.append_text(_kv("valid", "yes" if valid else "NO", "green" if valid else "bold red"))
    for name, ok in list(body.checks.items())[:12]:
        label, style = {True: ("ok", "green"), False: ("BAD", "bold red")}.get(ok, ("n/a", "dim"))
        text.append_text(_kv("check " + clean(name, 20), label, style))
    for item in body.corrections[:20]:
        text.append_text(_kv("corrected", item, "yellow", 60))
    for item in body.warnings[:20]:
        text.append_text(_kv("warning", item, "yellow", 60))
    for line in body.raw[:20]:
        text.append_text(_kv("raw", line, "", 50))
    return text


def _items(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value[:20]
    return [value] if value not in (None, "", {}) else []


def _alert(alert: dict[str, Any]) -> Text:
    text = _section(f"Alert {clean(alert.get('alert_id'), 10)} - {clean(alert.get('kind'), 16)}")
    text.append_text(_kv("state", alert.get("state"), "bold"))
    text.append_text(_kv("summary", alert.get("summary"), "", 200))
    for key in ("decision", "reason", "note", "officer_id"):
        if alert.get(key):
            text.append_text(_kv(key, alert.get(key), "", 200))
    for hit in _items(alert.get("hits")):
        text.append_text(_hit(hit) if isinstance(hit, dict) else _kv("hit", hit))
    return text


def _hit(hit: dict[str, Any]) -> Text:
    text = Text("  hit\n", "bold")
    for key in HIT_FIELDS:
        if hit.get(key) not in (None, ""):
            text.append_text(_kv("  " + key, hit.get(key)))
    explain = hit.get("explain")
    pairs = explain.items() if isinstance(explain, dict) else [("explain", explain)]
    for key, value in list(pairs)[:16]:
        if value not in (None, ""):
            text.append_text(_kv("  " + clean(key, 14), value, "", 120))
    return text


def _rpm(payload: dict[str, Any], series: list[float], threshold: float | None) -> Text:
    text = _section("Radiation portal occupancy")
    text.append(f"  occupancy {clean(payload.get('occupancy'), 10) or '-'}")
    text.append(f"  speed {clean(payload.get('speed_kmh'), 8) or '-'} km/h")
    text.append(f"  peak {clean(payload.get('peak_sigma'), 8) or '-'} sigma")
    text.append(f"  background {clean(payload.get('gamma_background_cps'), 10) or '-'} cps\n")
    for key, label in (
        ("gamma_alarm", "gamma"),
        ("neutron_alarm", "neutron"),
        ("device_gamma_alarm", "device gamma"),
        ("norm_suspect", "NORM?"),
    ):
        if key in payload:
            on = bool(payload.get(key))
            text.append(f"  {label} ")
            text.append(
                "ALARM" if on and key != "norm_suspect" else "yes" if on else "no",
                "bold red" if on else "green",
            )
    text.append("\n")
    if series:
        text.append_text(chart(series, threshold))
        text.append("\n")
    return text


def _related(events: list[dict[str, Any]]) -> Text:
    text = _section(f"Earlier crossings with this document ({len(events)})")
    for event in events[:20]:
        payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
        assert isinstance(payload, dict)
        when, lane = clean(event.get("wall_time"), 24), clean(event.get("lane") or "-", 3)
        line = f"  {when:<24} lane {lane:<3} "
        text.append(line + field(payload, "surname", limit=20) + "  ")
        text.append_text(badge(event))
        text.append("\n")
    return text
