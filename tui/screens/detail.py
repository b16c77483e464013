"""One crossing in full: the verdict sentence, the person or vehicle, each check in words
(``tui/evidence.py``), earlier crossings with the same document, and only then the
technical fields — the MRZ and its check digits, the raw hits, the occupancy — folded."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Collapsible, Input, Static

from edge.api.protocol import MrzRead
from tui.console import Console
from tui.crossing import ABOUT_KINDS, Crossing, CrossingBook, portal_lanes, seq_of
from tui.display import clean, field, long_time, short_time
from tui.evidence import earlier_text, evidence_text
from tui.plot import Profile, chart, profile_of
from tui.rows import badge, body_of, document_of, name_of
from tui.screens.adjudicate import ConfirmDialog, Decision, send
from tui.screens.base import Page
from tui.screens.chip import ChipScreen, chip_box, chip_of, show_chip
from tui.screens.decide import DecisionForm
from tui.screens.prearrival import prearrival_line

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
EARLIER_LOOKUPS = 5  # earlier crossings whose decisions are looked up
HIT_FIELDS = ("list", "entry_id", "category", "action", "score", "band", "matched")


class DetailScreen(Page):
    """One crossing (or one event): the verdict, the evidence, then the technical fields."""

    TITLE_TEXT = "Crossing: verdict and evidence"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail.back"),
        *[
            Binding(
                str(n),
                f"choose({n})",
                "Reason",
                show=n == 1,
                key_display="1-9",
                id=f"detail.reason_{n}",
            )
            for n in range(1, 10)
        ],
        Binding("c", "decide('clear')", "Clear", id="detail.clear"),
        Binding("r", "decide('refer')", "Refer", id="detail.refer"),
        Binding("e", "decide('escalate')", "Escalate", id="detail.escalate"),
        Binding("n", "note", "Note", id="detail.note"),
        Binding("t", "technical", "Technical", id="detail.technical"),
        Binding("h", "chip", "Chip", id="detail.chip"),
        Binding("ctrl+r", "reload", "Reload", id="detail.reload"),
    ]

    def __init__(self, seq: int, crossing: Crossing | None = None) -> None:
        super().__init__()
        self.seq = seq
        self.seqs = _reading_seqs(crossing) if crossing is not None else [seq]
        if seq not in self.seqs:
            self.seqs.insert(0, seq)
        self.result: dict[str, Any] = {}
        self.chip: dict[str, Any] | None = None  # the document's chip.read (tui/screens/chip.py)

    def body(self) -> ComposeResult:
        """The evidence, earlier crossings, the technical fields folded; all scrolling."""
        with VerticalScroll(id="detail-scroll"):
            yield chip_box("detail-chip")
            yield Static(Text("loading ..."), id="detail-text")
            yield Static(Text(), id="detail-related")
            with Collapsible(
                title="Technical fields (t)",
                collapsed=True,
                collapsed_symbol="+",
                expanded_symbol="-",
                id="detail-technical",
            ):
                yield Static(Text(), id="detail-tech")
        yield DecisionForm(id="decide")

    def on_mount(self) -> None:
        """Ask the daemon for the crossing's readings."""
        self.query_one("#decide", DecisionForm).display = False
        self.query_one("#detail-scroll").focus()
        self.action_reload()

    @work(exclusive=True, group="detail")
    async def action_reload(self) -> None:
        """Load (again) from the daemon: every reading of the crossing, its alerts."""
        results = []
        for seq in self.seqs:
            result = await self.ask("event", seq=seq)
            if result is not None:
                results.append(result)
        if results:
            merged = merge_results(results)
            merged["earlier"] = await self._earlier_decisions(merged["related"])
            self.show(merged)
            self.chip = await chip_of(self.bp, merged["events"])
            show_chip(self.query_one("#detail-chip", Static), self.chip)
            self.refresh_keys()

    async def _earlier_decisions(self, related: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The decided alerts of the newest earlier crossings with the same document (a cleared
        document then shows who cleared it, when and why)."""
        decided: list[dict[str, Any]] = []
        for event in sorted(related, key=seq_of, reverse=True)[:EARLIER_LOOKUPS]:
            if not event.get("alert_ids"):
                continue
            result = await self.ask("event", seq=seq_of(event))
            alerts = (result or {}).get("alerts") or []
            decided += [a for a in alerts if isinstance(a, dict) and a.get("state") != "open"]
        return decided

    def show(self, result: dict[str, Any]) -> None:
        """Render merged ``event`` results: events, alerts, related."""
        self.result = result
        events, alerts = result["events"], result["alerts"]
        lane = next((e.get("lane") for e in events if e.get("lane")), None)
        portal = lane in portal_lanes(self.bp.status)
        today = self.bp.clock().date()
        evidence = evidence_text(events, alerts, today, portal=portal)
        if (said := prearrival_line(events)) is not None:  # tui/screens/prearrival.py
            evidence.append_text(Text("\n").append_text(said))
        evidence.append_text(earlier_text(result.get("earlier") or []))
        self.query_one("#detail-text", Static).update(evidence)
        self.query_one("#detail-related", Static).update(_related(result["related"]))
        self.query_one("#detail-tech", Static).update(technical_text(events, alerts))
        reasons = [str(r) for r in self.bp.backend.hello.get("reasons", []) if isinstance(r, str)]
        self.query_one("#decide", DecisionForm).show_alert(self.open_alert(), reasons)

    def open_alert(self) -> dict[str, Any] | None:
        """The crossing's first open alert (the one the form decides)."""
        alerts = [a for a in self.result.get("alerts", []) if isinstance(a, dict)]
        return next((a for a in alerts if a.get("state") == "open"), None)

    def action_back(self) -> None:
        """Back to where the officer came from."""
        self.app.pop_screen()

    def action_technical(self) -> None:
        """Unfold or fold the technical fields."""
        box = self.query_one("#detail-technical", Collapsible)
        box.collapsed = not box.collapsed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The decision keys only while there is an open alert."""
        if action in ("choose", "decide", "note"):
            return self.open_alert() is not None
        if action == "chip":
            return self.chip is not None
        return True

    def action_chip(self) -> None:
        """Open the chip panel: verdict, checks and the chip's face."""
        if self.chip is not None:
            self.app.push_screen(ChipScreen(self.chip))

    def action_choose(self, number: int) -> None:
        """Pick a reason by its number."""
        self.query_one("#decide", DecisionForm).choose(number)

    def action_note(self) -> None:
        """Type a note (Enter goes back to the keys)."""
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _note_done(self) -> None:
        self.query_one("#detail-scroll").focus()

    def action_decide(self, decision: str) -> None:
        """Send the decision (escalate after a confirmation), then the next open alert."""
        alert = self.open_alert()
        chosen = self.query_one("#decide", DecisionForm).decision(decision)
        if alert is None or chosen is None:
            return
        if decision != "escalate":
            self.run_worker(self._send(alert, chosen), group="adjudicate")
            return
        question = f"Escalate alert {clean(alert.get('alert_id'), 10)}? This calls in a supervisor."

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.run_worker(self._send(alert, chosen, confirm=True), group="adjudicate")

        self.app.push_screen(ConfirmDialog(question), confirmed)

    async def _send(self, alert: dict[str, Any], chosen: Decision, confirm: bool = False) -> None:
        if await send(self.bp, alert, chosen, confirm=confirm):
            self.next_alert(alert.get("alert_id"))

    def next_alert(self, decided: object) -> None:
        """Open the next open alert's crossing, or go back when none is left."""
        rest = [a for a in self.bp.open_alerts if a.get("alert_id") != decided]
        seq = rest[0].get("event_seq") if rest else None
        if not isinstance(seq, int):
            self.app.pop_screen()
            self.notify("No open alert left.", timeout=3)
            return
        self.app.switch_screen(DetailScreen(seq, crossing_of(self.bp, seq)))


def crossing_of(app: Console, seq: int) -> Crossing | None:
    """The crossing the live lane filed event ``seq`` in, if the lane has it."""
    try:
        lane = app.get_screen("lane")
    except KeyError:
        return None
    book = getattr(lane, "book", None)
    return book.of(seq) if isinstance(book, CrossingBook) else None


def _reading_seqs(crossing: Crossing) -> list[int]:
    """The readings to load: everything but the alerts and decisions (they come with them)."""
    return [seq_of(e) for e in crossing.events if e.get("kind") not in ABOUT_KINDS]


def merge_results(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several ``event`` results as one: events, alerts (once each), related (once each)."""
    events = [r["event"] for r in results if isinstance(r.get("event"), dict)]
    alerts: dict[object, dict[str, Any]] = {}
    related: dict[object, dict[str, Any]] = {}
    mine = {seq_of(e) for e in events}
    for result in results:
        for alert in result.get("alerts") or []:
            if isinstance(alert, dict):
                alerts.setdefault(alert.get("alert_id"), alert)
        for event in result.get("related") or []:
            if isinstance(event, dict) and seq_of(event) not in mine:
                related.setdefault(seq_of(event), event)
    return {"events": events, "alerts": list(alerts.values()), "related": list(related.values())}


def detail_text(result: dict[str, Any], today: dt.date, *, portal: bool = False) -> Text:
    """One ``event`` result as plain text: evidence, earlier crossings, technical fields."""
    merged = merge_results([result])
    text = evidence_text(merged["events"], merged["alerts"], today, portal=portal)
    text.append_text(_related(merged["related"]))
    return text + technical_text(merged["events"], merged["alerts"])


def technical_text(events: list[dict[str, Any]], alerts: list[dict[str, Any]]) -> Text:
    """Every field the daemon keeps, reading by reading, then the alerts' raw hits."""
    text = Text()
    for event in events:
        payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
        assert isinstance(payload, dict)
        text.append_text(_header(event, payload))
        body = body_of(event)
        if isinstance(body, MrzRead) and not {"checks", "format", "document_code"} <= body.absent:
            text.append_text(_mrz(body))
        profile = profile_of(payload)
        if profile.series or event.get("kind") == "rpm.occupancy":
            text.append_text(_rpm(payload, profile))
    for alert in alerts:
        text.append_text(_alert(alert))
    return text


def _section(title: str) -> Text:
    return Text("\n" + title + "\n", style="bold")


def _kv(label: str, value: object, style: str = "", limit: int = 60) -> Text:
    text = Text(f"  {label:<18} ")
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


def _rpm(payload: dict[str, Any], profile: Profile) -> Text:
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
    if profile.series:
        text.append_text(chart(profile))
        text.append("\n")
    return text


def _related(events: list[dict[str, Any]]) -> Text:
    text = _section(f"Earlier crossings with this document ({len(events)})")
    for event in events[:20]:
        payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
        assert isinstance(payload, dict)
        when, lane = long_time(event.get("wall_time")), clean(event.get("lane") or "-", 3)
        line = f"  {when:<19} lane {lane:<3} "
        text.append(line + field(payload, "surname", limit=20) + "  ")
        text.append_text(badge(event))
        text.append("\n")
    return text
