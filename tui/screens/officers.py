"""Officers: add, disable, reset a PIN (supervisors only, checked by the daemon)."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from edge.api.protocol import ROLES, ApiError
from tui.console import Console
from tui.display import clean, plain
from tui.screens.adjudicate import ConfirmDialog
from tui.screens.base import Page
from tui.tables import refill
from tui.widgets import KeyBar

COLUMNS = ("Officer", "Name", "Role", "Disabled", "Failures")
Field = tuple[str, str, bool]  # key, label, secret


class FormDialog(ModalScreen[dict[str, str] | None]):
    """A few labelled fields; Enter submits. With a ``request`` the dialog sends it itself and
    stays open, with what was typed, when the daemon refuses it (saying why)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        request: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.fields = title, fields
        self.request, self.extra = request, extra or {}

    def compose(self) -> ComposeResult:
        """Title, fields, error line."""
        with Vertical(id="dialog"):
            yield Static(plain(self.title_text + " (Enter submits)", 80, "bold"), id="dialog-title")
            for key, label, secret in self.fields:
                yield Label(label)
                yield Input(id=f"f-{key}", password=secret, max_length=80)
            yield Static("", id="dialog-error", markup=False)
        yield KeyBar(classes="dialog-keys")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        """Return (or send) the values when none is empty."""
        values = {k: self.query_one(f"#f-{k}", Input).value.strip() for k, _l, _s in self.fields}
        if not all(values.values()):
            self._error("Fill in every field.")
        elif self.request is None:
            self.dismiss(values)
        else:
            self._send(values)

    @work(exclusive=True, group="form")
    async def _send(self, values: dict[str, str]) -> None:
        assert self.request is not None
        try:
            await cast(Console, self.app).backend.call(self.request, **self.extra, **values)
        except ApiError as exc:
            self._error(f"Refused - {exc.code}: {exc.message}")
            return
        except (ConnectionError, TimeoutError):
            self._error("The daemon is not answering: try again, or call a technician.")
            return
        self.dismiss(values)

    def _error(self, message: str) -> None:
        self.query_one("#dialog-error", Static).update(plain(message, 200, "bold red"))

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(None)


class OfficersScreen(Page):
    """The officers who may log in to this post."""

    TITLE_TEXT = "Officers"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="officers.add"),
        Binding("d", "disable", "Disable", id="officers.disable"),
        Binding("p", "reset_pin", "Reset PIN", id="officers.reset_pin"),
        Binding("u", "refresh", "Refresh", id="officers.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.officers: list[dict[str, Any]] = []

    def body(self) -> ComposeResult:
        """One table."""
        table: DataTable[Any] = DataTable(id="officers-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table

    def on_mount(self) -> None:
        """Load the list."""
        self.run_worker(self.action_refresh(), group="officers")

    async def action_refresh(self) -> None:
        """Ask the daemon."""
        result = await self.ask("officers")
        if result is not None:
            self.show([o for o in result.get("officers", []) if isinstance(o, dict)])

    def show(self, officers: list[dict[str, Any]]) -> None:
        """Replace the rows."""
        self.officers = officers
        table = self.query_one("#officers-table", DataTable)
        refill(table, ((clean(o.get("officer_id"), 64), _cells(o)) for o in officers))

    def _selected_id(self) -> str | None:
        table = self.query_one("#officers-table", DataTable)
        if not self.officers:
            return None
        return str(self.officers[min(table.cursor_row, len(self.officers) - 1)].get("officer_id"))

    def action_add(self) -> None:
        """Ask for ID, name, role and PIN, then add."""
        fields = [
            ("officer_id", "Officer ID", False),
            ("name", "Name", False),
            ("role", "Role (" + " / ".join(ROLES) + ")", False),
            ("pin", "PIN", True),
        ]
        self.app.push_screen(FormDialog("Add an officer", fields, "officer.add"), self._done)

    def _done(self, values: dict[str, str] | None) -> None:
        """A form dialog sent its request: say so and reload the list."""
        if values:
            self.notify("Done.", timeout=3)
            self.run_worker(self.action_refresh(), group="officers")

    def action_disable(self) -> None:
        """Disable the selected officer after a confirmation."""
        officer_id = self._selected_id()
        if officer_id is None:
            return

        def answered(ok: bool | None) -> None:
            if ok:
                self.run_worker(
                    self._change("officer.disable", officer_id=officer_id), group="officers"
                )

        self.app.push_screen(ConfirmDialog(f"Disable officer {clean(officer_id, 32)}?"), answered)

    def action_reset_pin(self) -> None:
        """Set a new PIN for the selected officer."""
        officer_id = self._selected_id()
        if officer_id is None:
            return

        title = f"New PIN for {clean(officer_id, 32)}"
        form = FormDialog(title, [("pin", "New PIN", True)], "officer.reset_pin",
                          {"officer_id": officer_id})  # fmt: skip
        self.app.push_screen(form, self._done)

    async def _change(self, request: str, **params: Any) -> None:
        if await self.ask(request, **params) is not None:
            self.notify(f"Done: {request}", markup=False)
            await self.action_refresh()


def _cells(officer: dict[str, Any]) -> tuple[Text, ...]:
    disabled = bool(officer.get("disabled"))
    return (
        Text(clean(officer.get("officer_id"), 16)),
        Text(clean(officer.get("name"), 30)),
        Text(clean(officer.get("role"), 12)),
        Text("yes" if disabled else "no", "bold red" if disabled else ""),
        Text(clean(officer.get("failures"), 4)),
    )
