"""The chip panel: the verdict on a document's chip in words, each check, and the chip's face
beside the holder's name, drawn with half-block characters.

The face comes from the daemon's ``chip.face`` request (a thumbnail it keeps in memory for
the last chips read; it is never in an event). In the 16-colour theme (TERM=linux) it is
drawn in the four grey shades every console has.
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from edge.api.protocol import ApiError
from tui.console import Console
from tui.display import clean
from tui.screens.base import Page

HALF = "\u2580"  # upper half block: foreground the top pixel, background the bottom one
GREYS = ("black", "bright_black", "white", "bright_white")
FACE_ROWS = 16  # character rows of the face: 32 pixels tall, fits 80x24 with the title
PROOF = {
    "ok": ("passed", "green"),
    "failed": ("FAILED: a copy of the data on another chip", "bold red"),
    "not_supported": ("not on this chip", "dim"),
    "not_counted": ("not counted (the signature is not proven)", "yellow"),
    "not_performed": ("not done", "dim"),
}
CHIP_KINDS = ("mrz", "manual")


class ChipScreen(Page):
    """The chip of one document: verdict, checks, reasons and the face (see the module)."""

    TITLE_TEXT = "Chip: is it genuine, does it match the page"
    DEFAULT_CSS = """
    #chip-row { height: 1fr; }
    #chip-face { width: auto; height: auto; margin: 0 2 0 0; }
    #chip-scroll { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="chip.back")]

    def __init__(self, event: dict[str, Any]) -> None:
        super().__init__()
        self.event = event

    def body(self) -> ComposeResult:
        """The face on the left, the verdict and the checks beside it."""
        with Horizontal(id="chip-row"):
            yield Static(Text("(face loading)", style="dim"), id="chip-face")
            with VerticalScroll(id="chip-scroll"):
                yield Static(verdict_text(_payload(self.event)), id="chip-text")

    def on_mount(self) -> None:
        """Fetch the face from the daemon."""
        self.query_one("#chip-scroll").focus()
        self.load_face()

    @work(exclusive=True, group="chip-face")
    async def load_face(self) -> None:
        """Ask for the face; say so plainly when the post no longer keeps it."""
        box = self.query_one("#chip-face", Static)
        if not _payload(self.event).get("face"):
            box.update(Text("no face on the chip", style="dim"))
            return
        try:
            face = await self.bp.backend.call("chip.face", seq=self.event.get("seq"))
        except (ApiError, TimeoutError, ConnectionError) as exc:
            why = exc.message if isinstance(exc, ApiError) else "the daemon did not answer"
            box.update(Text(clean(f"face not shown: {why}", 200), style="dim"))
            return
        box.update(face_text(face, FACE_ROWS, grey=self.app.current_theme.ansi))

    def action_back(self) -> None:
        """Back to the crossing."""
        self.app.pop_screen()


def face_text(face: dict[str, Any], rows: int, *, grey: bool) -> Text:
    """The face as ``rows`` lines of half blocks (two pixels a cell), in colour or in the four
    grey shades of a 16-colour console; a malformed face is a line saying so."""
    import numpy as np

    try:
        width, height = int(face["width"]), int(face["height"])
        pixels = np.frombuffer(base64.b64decode(face["rgb_b64"]), np.uint8)
        image = pixels.reshape(height, width, 3)
    except (KeyError, TypeError, ValueError):
        return Text("face not shown: the daemon sent no usable image", style="dim")
    tall = min(rows * 2, height)
    wide = max(1, round(width * tall / height))
    ys = (np.arange(tall) * height // tall).clip(0, height - 1)
    xs = (np.arange(wide) * width // wide).clip(0, width - 1)
    small = image[ys][:, xs]
    text = Text(no_wrap=True)
    for top, bottom in zip(small[0::2], small[1::2], strict=False):
        for upper, lower in zip(top, bottom, strict=True):
            text.append(HALF, Style(color=_colour(upper, grey), bgcolor=_colour(lower, grey)))
        text.append("\n")
    return text


def _colour(pixel: Any, grey: bool) -> Color:
    red, green, blue = (int(v) for v in pixel)
    if not grey:
        return Color.from_rgb(red, green, blue)
    luma = (299 * red + 587 * green + 114 * blue) // 1000
    return Color.parse(GREYS[min(3, luma * 4 // 256)])


def verdict_text(payload: dict[str, Any]) -> Text:
    """The holder, the verdict in one line, each check in words, then the reasons."""
    text = _holder(payload)
    genuine = payload.get("genuine") is True
    style = "bold green" if genuine else "bold yellow" if _unproven(payload) else "bold red"
    text.append(clean(payload.get("summary") or "chip not read", 200) + "\n\n", style)
    if payload.get("status") == "read":
        text.append_text(_checks(payload))
    reasons = [r for r in payload.get("reasons") or [] if isinstance(r, str)]
    if reasons:
        text.append("\nWhy\n", "bold")
        for reason in reasons[:12]:
            text.append(f"- {clean(reason, 300)}\n")
    return text + _how(payload)


def _unproven(payload: dict[str, Any]) -> bool:
    """Nothing is wrong but nothing is proven: no CSCA, or no MRZ to open the chip yet."""
    return payload.get("status") == "no_mrz" or (
        payload.get("passive_authentication") == "no_csca"
        and payload.get("dg1_matches_page") is not False
    )


def _holder(payload: dict[str, Any]) -> Text:
    surname, given = clean(payload.get("surname"), 40), clean(payload.get("given_names"), 40)
    text = Text()
    if surname or given:
        text.append(f"{surname}, {given}".strip(", ") + "\n", "bold")
    facts = [
        clean(payload.get("nationality"), 3),
        f"born {clean(payload.get('birth_date'), 10)}" if payload.get("birth_date") else "",
        f"document {clean(payload.get('document_number'), 20)}"
        if payload.get("document_number")
        else "",
    ]
    if any(facts):
        text.append("  ".join(f for f in facts if f) + "\n")
    return text + "\n"


def _checks(payload: dict[str, Any]) -> Text:
    country = clean(payload.get("document_signer_country"), 3) or "its issuer"
    signature = {
        "ok": (f"passed: signed by {country}, trusted CSCA", "green"),
        "failed": ("FAILED", "bold red"),
        "no_csca": (f"not proven: no CSCA of {country} here", "yellow"),
    }.get(str(payload.get("passive_authentication")), ("-", "dim"))
    mismatches = ", ".join(clean(m, 20) for m in payload.get("mismatches") or [])
    page = (
        ("same as the page", "green")
        if payload.get("dg1_matches_page")
        else (f"DIFFERS: {mismatches or 'not compared'}", "bold red")
    )
    rows = [
        ("opened with", (clean(payload.get("access"), 30) or "-", "")),
        ("signature", signature),
        ("chip auth", PROOF.get(str(payload.get("chip_authentication")), ("-", "dim"))),
        ("active auth", PROOF.get(str(payload.get("active_authentication")), ("-", "dim"))),
        ("chip data", page),
    ]
    text = Text()
    for label, (value, style) in rows:
        text.append(f"{label:<12} ")
        text.append(value + "\n", style)
    return text


def _how(payload: dict[str, Any]) -> Text:
    seconds, apdus = payload.get("seconds"), payload.get("apdus")
    reader = clean(payload.get("reader"), 40)
    if not isinstance(seconds, int | float) or not seconds:
        return Text(f"\nreader {reader}\n", "dim") if reader else Text()
    return Text(f"\nread in {seconds:.2f} s, {apdus} commands, reader {reader}\n", "dim")


def _payload(event: dict[str, Any]) -> dict[str, Any]:
    payload = event.get("payload")
    return payload if isinstance(payload, dict) else {}


async def chip_of(app: Console, events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The ``chip.read`` event of a crossing: one of its events, or the lane's newest one
    that was opened with one of its printed MRZs (None when there is none)."""
    for event in events:
        if event.get("kind") == "chip.read":
            return event
    documents = {e.get("seq") for e in events if e.get("kind") in CHIP_KINDS}
    lane = next((e.get("lane") for e in events if e.get("lane")), None)
    if not documents:
        return None
    params: dict[str, Any] = {"kind": "chip.read", "limit": 20}
    if lane is not None:
        params["lane"] = lane
    try:
        found = (await app.backend.call("events", **params)).get("events") or []
    except (ApiError, TimeoutError, ConnectionError):
        return None
    return next((e for e in found if _payload(e).get("mrz_seq") in documents), None)


def chip_box(widget_id: str) -> Static:
    """Where a crossing shows its chip line: hidden until a chip was read."""
    box = Static(Text(), id=widget_id)
    box.display = False
    return box


def show_chip(box: Static, event: dict[str, Any] | None) -> None:
    """Show the chip's line in ``box`` (or hide it: no chip was read for this crossing)."""
    box.display = event is not None
    if event is not None:
        box.update(chip_line(event))


def chip_line(event: dict[str, Any]) -> Text:
    """One line for the crossing: the chip's verdict and the key that opens the panel."""
    payload = _payload(event)
    style = "green" if payload.get("genuine") is True else "bold red"
    if _unproven(payload):
        style = "yellow"
    text = Text("Chip: ", "bold")
    text.append(clean(payload.get("summary") or "read", 120), style)
    return text + Text("  (h: chip panel)\n", "dim")
