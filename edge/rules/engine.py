"""Evaluating a pack on a crossing: hits with their reasons, lane colour, action, random control.

:func:`evaluate` is pure: a pack, a crossing's facts and id in, a
:class:`Verdict` out. Rules run in pack order; a matched ``final`` rule
(not shadow) stops the rest. The lane colour is the reddest of the
matched, non-shadow rules and the random control; green when nothing
matched. Shadow rules are evaluated and reported (``shadow``) but change
neither colour nor action, and the console must not show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from edge.rules.evaluate import Context, History
from edge.rules.pack import LANES, Pack, Rule


@dataclass(frozen=True)
class Hit:
    """A matched rule and the conditions that made it true."""

    rule: Rule
    because: tuple[dict[str, Any], ...]

    def as_json(self) -> dict[str, Any]:
        """As the event carries it."""
        r = self.rule
        return {"id": r.id, "title": r.title, "lane": r.lane, "alert": r.alert,
                "because": list(self.because)}  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """What a pack says about one crossing."""

    pack: int
    crossing: str
    lane: str
    hits: tuple[Hit, ...] = ()
    shadow: tuple[Hit, ...] = ()
    selected: bool = False
    draw: float | None = None
    errors: tuple[str, ...] = field(default=())

    @property
    def action(self) -> str:
        """``alert`` when a shown hit (or the random control) asks for one, else ``none``."""
        return "alert" if self.alerting() else "none"

    def alerting(self) -> list[Hit]:
        """The shown hits that ask for an alert."""
        return [h for h in self.hits if h.rule.alert]

    def as_json(self, rate: float = 0.0) -> dict[str, Any]:
        """The ``rules`` object of the reading's event (``shadow`` is for HQ only)."""
        out: dict[str, Any] = {
            "pack": self.pack, "crossing": self.crossing, "lane": self.lane,
            "action": self.action, "hits": [h.as_json() for h in self.hits],
            "shadow": [h.as_json() for h in self.shadow],
            "random": {"selected": self.selected, "draw": self.draw, "rate": rate},
        }  # fmt: skip
        if self.errors:
            out["errors"] = list(self.errors)
        return out


def evaluate(
    pack: Pack, facts: Mapping[str, Any], crossing: str, history: History | None = None
) -> Verdict:
    """The pack's verdict on a crossing with these facts."""
    ctx = Context(facts, pack.lists, history) if history else Context(facts, pack.lists)
    hits: list[Hit] = []
    shadow: list[Hit] = []
    errors: list[str] = []
    present = facts.keys()
    for rule in pack.rules:
        if not rule.needs <= present:  # an attribute it needs is absent: it cannot match
            continue
        try:
            matched = rule.test(ctx) is True
        except Exception as exc:  # a history look-up that failed: the rule is skipped, said
            errors.append(f"{rule.id}: {type(exc).__name__}")
            continue
        if matched:
            hit = Hit(rule, tuple(rule.explain(ctx)))
            (shadow if rule.shadow else hits).append(hit)
            if rule.final and not rule.shadow:
                break
    selected = pack.random.selected(crossing)
    colours = [h.rule.lane for h in hits] + ([pack.random.lane] if selected else [])
    lane = max(colours, key=LANES.index, default="green")
    draw = round(pack.random.draw(crossing), 6) if pack.random.rate else None
    return Verdict(pack.version, crossing, lane, tuple(hits), tuple(shadow), selected, draw,
                   tuple(errors))  # fmt: skip


def officer_view(event: dict[str, Any]) -> dict[str, Any]:
    """An EVENT object as the local API serves it: the ``rules`` verdict without its shadow
    hits, which go to HQ in the stored event but are never shown to the officer."""
    payload = event.get("payload")
    rules = payload.get("rules") if isinstance(payload, dict) else None
    if not isinstance(payload, dict) or not isinstance(rules, dict) or "shadow" not in rules:
        return event
    shown = {k: v for k, v in rules.items() if k != "shadow"}
    return {**event, "payload": {**payload, "rules": shown}}
