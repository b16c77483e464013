"""System: version, disk, clock sync; a support bundle without personal data."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui.display import age_text, clean
from tui.screens.base import Page

PERSONAL_KEYS = frozenset(
    {
        "officer",
        "officer_id",
        "officers",
        "surname",
        "given_names",
        "pin",
        "birth_date",
        "document_number",
        "payload",
        "keys",
        "hits",
        "note",
    }
)


class SystemScreen(Page):
    """The appliance itself."""

    TITLE_TEXT = "System"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "bundle", "Support bundle", id="system.bundle"),
        Binding("u", "refresh", "Refresh", id="system.refresh"),
    ]

    def body(self) -> ComposeResult:
        """One text block."""
        yield Static("", id="system-text", markup=False)

    def on_mount(self) -> None:
        """Load once."""
        self.action_refresh()

    @work(exclusive=True, group="system")
    async def action_refresh(self) -> None:
        """Ask the daemon."""
        result = await self.ask("system")
        if result is not None:
            self.query_one("#system-text", Static).update(system_text(result, self.bp.status))

    @work(exclusive=True, group="bundle")
    async def action_bundle(self) -> None:
        """Write status, system, configuration and devices to a file, personal data left out."""
        parts = {
            name: await self.ask(name) for name in ("status", "system", "config.get", "devices")
        }
        bundle = scrub({k: v for k, v in parts.items() if v is not None})
        stamp = self.bp.clock().strftime("%Y%m%dT%H%M%SZ")
        path = self.bp.bundle_dir / f"borderpost-support-{stamp}.json"
        try:
            await asyncio.to_thread(_write, path, bundle)
        except OSError as exc:
            self.notify(f"Could not write the bundle: {exc}", severity="error", markup=False)
            return
        self.notify(f"Support bundle written to {path}", markup=False, timeout=8)


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write the bundle, making its folder when it is not there yet (``--bundle-dir``);
    the file is created 0600, never readable by others even for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(text)
    path.chmod(0o600)


def scrub(value: Any) -> Any:
    """A copy with personal fields (officers, travellers, payloads) removed."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in PERSONAL_KEYS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def system_text(system: dict[str, Any], status: dict[str, Any]) -> Text:
    """Version, disk, database, clock, uptime, services."""
    text = Text()
    synced = system.get("clock_synced")
    rows = [
        ("version", system.get("version")),
        ("post", status.get("post_id")),
        ("disk free (MB)", system.get("disk_free_mb")),
        ("database (MB)", system.get("db_size_mb")),
        ("uptime", age_text(system.get("uptime_s"))),
    ]
    for label, value in rows:
        text.append(f"{label:<22}{clean(value, 40)}\n")
    text.append(f"{'clock':<22}")
    text.append(
        "synchronised\n" if synced else "NOT synchronised\n", "green" if synced else "bold yellow"
    )
    broker = status.get("broker") if isinstance(status.get("broker"), dict) else {}
    uplink = "running" if isinstance(broker, dict) and broker.get("mode") != "offline" else "off"
    text.append(f"{'services':<22}daemon running, uplink {uplink}\n")
    return text
