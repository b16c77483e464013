"""Officers: add, disable, reset a PIN (supervisors only, checked by the daemon)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from edge.api.protocol import ROLES
from tui.display import clean, plain
from tui.screens.adjudicate import ConfirmDialog
from tui.screens.base import Page
from tui.tables import refill
from tui.widgets import KeyBar

COLUMNS = ("Officer", "Name", "Role", "Disabled", "Failures")
Field = tuple[str, str, bool]  # key, label, secret


class FormDialog(ModalScreen[dict[str, str] | None]):
    """A few labelled fields; Enter on the last one submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "submit", "Submit", id="form.submit"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, title: str, fields: list[Field]) -> None:
        super().__init__()
        self.title_text, self.fields = title, fields

    def compose(self) -> ComposeResult:
        """Title, fields, error line."""
        with Vertical(id="dialog"):
            yield Static(plain(self.title_text, 80, "bold"), id="dialog-title")
            for key, label, secret in self.fields:
                yield Label(label)
                yield Input(id=f"f-{key}", password=secret, max_length=80)
            yield Static("", id="dialog-error", markup=False)
        yield KeyBar(classes="dialog-keys")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        """Return the values when none is empty."""
        values = {k: self.query_one(f"#f-{k}", Input).value.strip() for k, _l, _s in self.fields}
        if not all(values.values()):
            self.query_one("#dialog-error", Static).update(
                plain("Fill in every field.", 40, "bold red")
            )
            return
        self.dismiss(values)

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
        self.app.push_screen(FormDialog("Add an officer", fields), self._after_add)

    def _after_add(self, values: dict[str, str] | None) -> None:
        if values:
            self.run_worker(self._change("officer.add", **values), group="officers")

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

        def entered(values: dict[str, str] | None) -> None:
            if values:
                self.run_worker(
                    self._change("officer.reset_pin", officer_id=officer_id, pin=values["pin"])
                )

        title = f"New PIN for {clean(officer_id, 32)}"
        self.app.push_screen(FormDialog(title, [("pin", "New PIN", True)]), entered)

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
