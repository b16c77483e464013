"""How severe each kind of alert is: the one table the daemon grades every alert by.

An alert's ``severity`` travels in its payload (the ``alerts`` table, the local
API, the console and HQ): 4 critical, 3 high, 2 medium, 1 low. The console
orders and colours its alerts by it, names the newest most severe one in its
banner and rings the bell for it; HQ reads it from the payload. Alerts recorded
before this table read as medium (every kind was 2 then).

The outbox priority of the alert's event stays on the outbox's scale: an alert
of medium or worse is sent at once (``PRIORITY_ALERT``), a low one with the next
batch (``PRIORITY_NOTICE``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sync.outbox import PRIORITY_ALERT, PRIORITY_NOTICE

LOW, MEDIUM, HIGH, CRITICAL = 1, 2, 3, 4
SEVERITY_NAMES = {LOW: "low", MEDIUM: "medium", HIGH: "high", CRITICAL: "critical"}

KIND_SEVERITY = {
    "radiation": CRITICAL,  # a gamma or neutron alarm at the portal
    "rpm-fault": HIGH,  # the lane's radiation portal does not protect it
    "prearrival": MEDIUM,  # a crossing that does not match what was announced
    "chip": HIGH,  # the chip is not genuine, is a clone, or differs from the printed page
}
"""Kinds graded by their name alone; ``watchlist`` and ``rules`` depend on what matched."""

ACTION_SEVERITY = {
    "arrest": CRITICAL,
    "detain": CRITICAL,
    "seize": CRITICAL,
    "refer": HIGH,
    "inform": MEDIUM,
    "monitor": MEDIUM,
}
"""A watchlist hit by its entry's action; a person listed as ``wanted`` is critical."""

RULE_LANE_SEVERITY = {"red": HIGH, "yellow": LOW}
"""A risk rule's alert by the lane its rules chose (a random control is yellow). An expired
document raises no alert of its own (the console's verdict shows it): a yellow rule on
``document.expired`` makes it a low one."""


def severity_of(kind: str, hits: Sequence[Mapping[str, Any]]) -> int:
    """The severity of an alert of ``kind`` raised by ``hits`` (medium when unknown)."""
    if kind == "watchlist":
        return max((_hit_severity(h) for h in hits), default=MEDIUM)
    if kind == "rules":
        lanes = [RULE_LANE_SEVERITY.get(str(h.get("lane")), LOW) for h in hits if "lane" in h]
        return max(lanes, default=LOW)
    return KIND_SEVERITY.get(kind, MEDIUM)


def _hit_severity(hit: Mapping[str, Any]) -> int:
    """A watchlist hit: by action or ``wanted``; one step lower below the referral band."""
    if hit.get("source") == "prearrival":  # pre-arrival's verdict merged into the alert
        return KIND_SEVERITY["prearrival"]
    wanted = str(hit.get("category", "")).lower() == "wanted"
    level = CRITICAL if wanted else ACTION_SEVERITY.get(str(hit.get("action")), HIGH)
    return level if hit.get("band", "referral") == "referral" else max(level - 1, LOW)


def outbox_priority(severity: int) -> int:
    """The outbox priority of an alert's event: medium or worse goes to HQ at once."""
    return PRIORITY_ALERT if severity >= MEDIUM else PRIORITY_NOTICE


def severity_name(severity: object) -> str:
    """``critical``, ``high``, ``medium`` or ``low`` (``medium`` for anything else)."""
    return SEVERITY_NAMES.get(severity if isinstance(severity, int) else MEDIUM, "medium")
