"""Which screen class each page name opens."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tui.screens.alerts import AlertsScreen
from tui.screens.audit import AuditScreen
from tui.screens.config import ConfigScreen
from tui.screens.diagnostics import DiagnosticsScreen
from tui.screens.lane import LaneScreen
from tui.screens.officers import OfficersScreen
from tui.screens.search import SearchScreen
from tui.screens.sensors import SensorsScreen
from tui.screens.sync import SyncScreen
from tui.screens.system import SystemScreen

PAGES: dict[str, type[Screen[Any]]] = {
    "lane": LaneScreen,
    "alerts": AlertsScreen,
    "search": SearchScreen,
    "sensors": SensorsScreen,
    "config": ConfigScreen,
    "diagnostics": DiagnosticsScreen,
    "sync": SyncScreen,
    "system": SystemScreen,
    "audit": AuditScreen,
    "officers": OfficersScreen,
}
