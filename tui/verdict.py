"""One verdict per crossing — GO, CHECK or STOP — and the findings behind it, in words.

A finding is one thing the officer must act on: a watchlist hit, a radiation
alarm, an expired or damaged document, a portal fault. The worst finding makes
the verdict; an alert an officer cleared no longer counts. The verdict is a
word and a colour (reverse video for CHECK and STOP), so it reads in 16
colours and in monochrome alike.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from edge.api.protocol import CRITICAL, HIGH, LOW, MEDIUM, severity_name
from tui.crossing import Crossing, seq_of
from tui.display import clean, short_time
from tui.rows import document_of, name_of

KEY_WORDS = {
    "mrn": "transit declaration MRN",
    "container": "container",
    "passport": "passport",
    "document": "document",
    "id_card": "identity card",
    "plate": "number plate",
    "hs": "commodity code",
}
ACTION_WORDS = {
    "refer": "refer to secondary",
    "detain": "detain the person and call a supervisor",
    "seize": "stop the vehicle, seize the goods and call a supervisor",
    "arrest": "detain the person and call a supervisor",
}
STOP_ACTIONS = frozenset({"detain", "seize", "arrest"})


class Level(enum.IntEnum):
    """How much a crossing needs the officer: GO < CHECK < STOP."""

    GO = 0
    CHECK = 1
    STOP = 2


VERDICT_STYLE = {Level.GO: "bold green", Level.CHECK: "bold reverse yellow",
                 Level.STOP: "bold reverse red"}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One reason for a verdict: its level, a few words for the row, a sentence for the detail."""

    level: Level
    short: str
    sentence: str


def verdict_word(level: Level) -> Text:
    """``GO``, ``CHECK`` or ``STOP`` in its colour (a word first, the colour second)."""
    return Text(level.name, VERDICT_STYLE[level])


SEVERITY_STYLE = {CRITICAL: "bold reverse red", HIGH: "bold red", MEDIUM: "bold yellow",
                  LOW: "default"}  # fmt: skip
BELLS = {CRITICAL: 3, HIGH: 2}  # rings for a new alert of this severity (else one)


def severity(alert: dict[str, Any]) -> int:
    """The daemon's severity of an alert (1 low .. 4 critical; medium when missing)."""
    value = alert.get("severity")
    return value if isinstance(value, int) and LOW <= value <= CRITICAL else MEDIUM


def severity_word(alert: dict[str, Any]) -> Text:
    """``CRITICAL``, ``HIGH``, ``MEDIUM`` or ``LOW`` in its colour (the word reads in mono)."""
    level = severity(alert)
    return Text(severity_name(level).upper(), SEVERITY_STYLE[level])


def by_severity(alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most severe first, oldest first within a severity: the order to handle them in."""
    return sorted(alerts, key=lambda a: (-severity(a), _int(a.get("alert_id"))))


def most_severe(alerts: list[dict[str, Any]]) -> dict[str, Any]:
    """The newest of the most severe alerts (the banner names it)."""
    return max(alerts, key=lambda a: (severity(a), _int(a.get("alert_id"))))


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def findings(crossing: Crossing, today: dt.date) -> list[Finding]:
    """Everything in the crossing that needs the officer, worst first."""
    decided = decisions(crossing)
    readings = [e for e in crossing.events if e.get("kind") != "alert"]
    found = [f for e in readings for f in _of_event(e, today)]
    alerts = [_payload(e) for e in crossing.of_kind("alert")]
    cleared = {i for i, d in decided.items() if d.get("decision") == "clear"}
    live = [a for a in alerts if a.get("alert_id") not in cleared]
    return _ranked(found, live, readings)


def _ranked(
    found: list[Finding], alerts: list[dict[str, Any]], readings: list[dict[str, Any]]
) -> list[Finding]:
    """Worst first; at one level the alerts' findings first. A radiation alert is left out
    when its occupancy is there: the occupancy's own finding says more."""
    portal = any(e.get("kind") == "rpm.occupancy" for e in readings)
    mine = [alert_finding(a) for a in alerts if not (portal and a.get("kind") == "radiation")]
    unique = list(dict.fromkeys(mine + found))  # each reading of a crossing carries its rules
    return sorted(unique, key=lambda f: -f.level)


def findings_of(
    events: list[dict[str, Any]], alerts: list[dict[str, Any]], today: dt.date
) -> list[Finding]:
    """The findings of readings and of their alerts as the daemon keeps them (cleared ones
    left out), worst first."""
    readings = [e for e in events if e.get("kind") not in ("alert", "adjudication")]
    found = [f for e in readings for f in _of_event(e, today)]
    return _ranked(found, [a for a in alerts if a.get("state") != "cleared"], readings)


def verdict(crossing: Crossing, today: dt.date) -> tuple[Level, list[Finding]]:
    """The crossing's verdict and its findings (GO when there are none)."""
    found = findings(crossing, today)
    return (found[0].level if found else Level.GO), found


def decisions(crossing: Crossing) -> dict[int, dict[str, Any]]:
    """The decisions taken on the crossing's alerts, by alert id."""
    out: dict[int, dict[str, Any]] = {}
    for event in crossing.of_kind("adjudication"):
        payload = _payload(event)
        if isinstance(payload.get("alert_id"), int):
            out[payload["alert_id"]] = payload
    return out


def _of_event(event: dict[str, Any], today: dt.date) -> list[Finding]:
    return _of_reading(event, today) + rules_findings(_payload(event).get("rules"))


def _of_reading(event: dict[str, Any], today: dt.date) -> list[Finding]:
    kind, payload = event.get("kind"), _payload(event)
    if kind == "mrz":
        return document_findings(payload, today)
    if kind == "mrz.unreadable":
        return [Finding(Level.CHECK, "MRZ unreadable", "The document's MRZ could not be read: "
                        "check the document by hand or enter it (F5).")]  # fmt: skip
    if kind == "barcode":
        return _barcode_findings(payload)
    if kind == "rpm.occupancy":
        return radiation_findings(payload)
    if kind in ("rpm.fault", "device.fault"):
        return [_fault_finding(payload)]
    return []


# -- alerts ---------------------------------------------------------------------


def alert_finding(alert: dict[str, Any]) -> Finding:
    """The finding of an alert: a hit's sentence, or the alert's own summary. A critical
    alert (``edge/severity.py``) or a hit whose list says detain or seize is STOP."""
    kind = clean(alert.get("kind"), 16)
    hits = [h for h in alert.get("hits") or [] if isinstance(h, dict)]
    if kind == "watchlist" and hits:
        best = max(hits, key=lambda h: h.get("score", 0) if _number(h.get("score")) else 0)
        stop = best.get("action") in STOP_ACTIONS or severity(alert) >= CRITICAL
        level = Level.STOP if stop else Level.CHECK
        return Finding(level, "listed: " + clean(best.get("category"), 12), hit_sentence(best))
    if kind == "radiation":
        return Finding(Level.STOP, "radiation alarm", _summary(alert, "Radiation alarm"))
    if kind == "rules" and hits:
        return rule_finding(hits[0])
    level = Level.STOP if severity(alert) >= CRITICAL else Level.CHECK
    return Finding(level, clean(kind, 16), _summary(alert, kind))


def _summary(alert: dict[str, Any], fallback: str) -> str:
    return clean(alert.get("summary"), 300) or fallback


def hit_sentence(hit: dict[str, Any]) -> str:
    """``Listed for smuggling: the transit declaration MRN 21AT… is on list demo, exact match —
    refer to secondary``."""
    explain = hit.get("explain") if isinstance(hit.get("explain"), dict) else {}
    assert isinstance(explain, dict)
    category = clean(hit.get("category"), 30) or "a reason not given"
    listed = clean(hit.get("list"), 40) or "?"
    action = ACTION_WORDS.get(str(hit.get("action")), "refer to secondary")
    if explain.get("key") and explain.get("query"):
        what = KEY_WORDS.get(str(explain["key"]), clean(explain["key"], 20))
        how = "matched after correcting OCR confusions" if explain.get("ocr_folded") else "exact"
        whose = listed_person(explain)
        return (f"Listed for {category}: the {what} {clean(explain['query'], 40)} is on list "
                f"{listed}{': ' + whose if whose else ''}, {how} match - {action}.")  # fmt: skip
    score = hit.get("score")
    how = f"name match {score:.0%}" if _number(score) else "name match"
    return (f"Listed for {category}: {clean(hit.get('matched'), 60)} is on list {listed}, "
            f"{how}{_cut_words(explain)} - {action}.")  # fmt: skip


def _cut_words(explain: dict[str, Any]) -> str:
    """`` (the document cut the name: KONSTANTIN read as KONSTANTINOVICH)`` when screening
    read a word the document's field cut short as the listed word it starts; else ''."""
    cut = explain.get("cut_short")
    if not isinstance(cut, dict) or not cut:
        return ""
    said = ", ".join(f"{clean(k, 30)} read as {clean(v, 40)}" for k, v in list(cut.items())[:2])
    return f" (the document cut the name: {said})"


def listed_person(explain: dict[str, Any]) -> str:
    """``IVANOV, Ivan, born 1970-01-02``: whom a listed document belongs to ('' if unknown);
    every birth date the list gives (``born 1969; 1970``)."""
    name = clean(explain.get("listed_name"), 60)
    born = clean(explain.get("birth_date"), 40)
    return f"{name}, born {born}" if name and born else name


# -- risk rules -----------------------------------------------------------------

RULE_LANES = {"red": Level.STOP, "yellow": Level.CHECK}


def rules_findings(rules: object) -> list[Finding]:
    """The rule pack's verdict on the crossing: each shown rule that matched, a random control."""
    if not isinstance(rules, dict):
        return []
    hits = [h for h in rules.get("hits") or [] if isinstance(h, dict)][:8]
    found = [rule_finding(h) for h in hits if h.get("lane") in RULE_LANES]
    draw = rules.get("random") if isinstance(rules.get("random"), dict) else {}
    if isinstance(draw, dict) and draw.get("selected"):
        found.append(Finding(Level.CHECK, "random control", "Selected at random for a control "
                             "(the rule pack's random draw): check the crossing."))  # fmt: skip
    return found


def rule_finding(hit: dict[str, Any]) -> Finding:
    """``Risk rule P-001 (young traveller from a listed country): person.age < 25 - check``."""
    level = RULE_LANES.get(str(hit.get("lane")), Level.CHECK)
    because = [c for c in hit.get("because") or [] if isinstance(c, dict)][:4]
    why = " and ".join(clean(c.get("condition"), 60) for c in because) or "no reason given"
    title = clean(hit.get("title"), 60)
    act = "stop and check" if level is Level.STOP else "check"
    sentence = f"Risk rule {clean(hit.get('id'), 16)} ({title}): {why} - {act}."
    return Finding(level, "rule: " + (title or clean(hit.get("id"), 16)), sentence)


# -- documents ------------------------------------------------------------------


def expiry_of(payload: dict[str, Any]) -> dt.date | None:
    """The document's expiry date, if it has a readable one."""
    try:
        return dt.date.fromisoformat(clean(payload.get("expiry_date"), 10))
    except ValueError:
        return None


def bad_checks(payload: dict[str, Any]) -> list[str]:
    """The check digits that failed, in words (``expiry date``)."""
    checks = payload.get("checks") if isinstance(payload.get("checks"), dict) else {}
    assert isinstance(checks, dict)
    return [clean(name, 30).replace("_", " ") for name, ok in checks.items() if ok is False][:8]


def document_findings(payload: dict[str, Any], today: dt.date) -> list[Finding]:
    """An expired document, wrong check digits, a specimen."""
    out = []
    expiry = expiry_of(payload)
    if expiry is not None and expiry < today:
        out.append(Finding(Level.CHECK, "doc expired",
                           f"The document expired on {expiry.isoformat()}: check it."))  # fmt: skip
    bad = bad_checks(payload)
    if bad or payload.get("valid") is False:
        which = ", ".join(bad) or "the MRZ"
        out.append(Finding(Level.CHECK, "check digit",
                           f"The MRZ's check digits do not add up ({which}): the document may "
                           "be damaged, misread or forged - check it by hand."))  # fmt: skip
    if payload.get("specimen"):
        out.append(Finding(Level.CHECK, "specimen", "This is a specimen document, not a real one."))
    return out


def _barcode_findings(payload: dict[str, Any]) -> list[Finding]:
    parsed = payload.get("parsed") if isinstance(payload.get("parsed"), dict) else {}
    assert isinstance(parsed, dict)
    if parsed.get("kind") and parsed.get("valid") is False:
        what = clean(parsed.get("kind"), 20)
        words = f"The {what} number's check digit is wrong: misread or mistyped - scan again."
        return [Finding(Level.CHECK, f"{what} check", words)]
    return []


# -- radiation ------------------------------------------------------------------


def radiation_findings(payload: dict[str, Any]) -> list[Finding]:
    """Gamma and neutron alarms (a gamma alarm on NORM cargo is CHECK), portal faults."""
    out = []
    sigma = _sigma(payload)
    if payload.get("neutron_alarm"):
        out.append(
            Finding(
                Level.STOP,
                "neutron alarm",
                "Neutron alarm: neutrons point to "
                "nuclear material - stop the vehicle, keep clear, call a supervisor.",
            )
        )
    if payload.get("gamma_alarm") and payload.get("norm_suspect"):
        out.append(
            Finding(
                Level.CHECK,
                "gamma: NORM?",
                f"Gamma alarm at {sigma}, with the "
                "pattern of natural radioactivity in the cargo (NORM: ceramics, "
                "fertiliser, granite) - check the papers match the cargo.",
            )
        )
    elif payload.get("gamma_alarm"):
        out.append(
            Finding(
                Level.STOP,
                "gamma alarm",
                f"Gamma alarm at {sigma}: radioactive "
                "material - stop the vehicle, keep clear, call a supervisor.",
            )
        )
    faults = [clean(f, 30) for f in payload.get("faults") or []][:4]
    if faults or payload.get("disagreement"):
        what = ", ".join(faults) or "the detectors disagree"
        out.append(
            Finding(
                Level.CHECK,
                "portal fault",
                f"The portal reported a fault during "
                f"this crossing ({what}): its measurement may be wrong.",
            )
        )
    return out


def _sigma(payload: dict[str, Any]) -> str:
    peak = payload.get("peak_sigma")
    return f"{peak:.1f} sigma" if _number(peak) else "an unknown level"


def _fault_finding(payload: dict[str, Any]) -> Finding:
    what = clean(payload.get("detail") or payload.get("error") or payload.get("fault"), 120)
    return Finding(Level.CHECK, "device fault", f"Device fault: {what or 'no detail given'}.")


# -- the row --------------------------------------------------------------------

# title, width: 76 cells with the gaps between them, so a row fits 80 columns; the document
# column holds a whole MRN (18)
COLUMNS = (("Time", 8), ("Ln", 2), ("Verdict", 7), ("Document", 18), ("Name", 16), ("Why", 15))


def crossing_row(crossing: Crossing, today: dt.date) -> tuple[Text, ...]:
    """The six cells of a crossing: time, lane, verdict, document, name, why."""
    level, found = verdict(crossing, today)
    main = _main_event(crossing)
    payload = _payload(main)
    why = _why(crossing, found)
    return (
        Text(short_time(crossing.events[0].get("wall_time"))),
        Text(clean(crossing.lane, 2)),
        verdict_word(level) if crossing.is_crossing else _note(crossing),
        Text(document_of(payload, limit=40)),
        Text(name_of(payload)),
        Text(why),
    )


def _note(crossing: Crossing) -> Text:
    """What a row that is not a crossing is: a FAULT, or a NOTE (a device back, a decision)."""
    if crossing.of_kind("device.fault", "rpm.fault"):
        return Text("FAULT", "bold yellow")
    return Text("NOTE", "bold")


def _main_event(crossing: Crossing) -> dict[str, Any]:
    """The event that names the crossing: its first document, else its first event."""
    for kinds in (("mrz", "manual"), ("barcode", "mrz.unreadable"), ("rpm.occupancy",)):
        events = crossing.of_kind(*kinds)
        if events:
            return events[0]
    return crossing.events[0]


def _why(crossing: Crossing, found: list[Finding]) -> str:
    if found:
        more = f" +{len(found) - 1}" if len(found) > 1 else ""
        return found[0].short + more
    if not crossing.is_crossing:
        return clean(crossing.events[0].get("kind"), 17)
    decided = decisions(crossing)
    if decided:
        return "cleared"
    if crossing.of_kind("rpm.occupancy"):
        return "all checks ok"
    return "documents ok"


def main_seq(crossing: Crossing) -> int:
    """The sequence number of the event that names the crossing."""
    return seq_of(_main_event(crossing))


def _payload(event: dict[str, Any]) -> dict[str, Any]:
    payload = event.get("payload")
    return payload if isinstance(payload, dict) else {}


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
