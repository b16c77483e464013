"""A crossing's evidence, top to bottom: the verdict sentence, who or what crossed, each check
in plain words. The technical fields come after, folded (``tui/screens/detail.py``).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from rich.text import Text

from tui.display import clean, field, long_time
from tui.plot import chart, numbers, profile_of
from tui.verdict import (
    ACTION_WORDS,
    RULE_LANES,
    Finding,
    Level,
    bad_checks,
    expiry_of,
    findings_of,
    hit_sentence,
    rules_findings,
    verdict_word,
)

LABEL = 14  # the width of a check's name
WIDTH = 76  # the detail's text width at 80 columns (the scroll bar and margins take the rest)
HANG = LABEL + 10  # where a check's words start
DOCUMENT_NAMES = {"P": "passport", "I": "identity card", "A": "identity card", "C": "identity card",
                  "V": "visa"}  # fmt: skip


def wrap(words: str, indent: int) -> str:
    """Words wrapped to the detail's width, lines after the first indented (a hanging indent)."""
    lines = textwrap.wrap(words, WIDTH - indent, break_long_words=True) or [""]
    return ("\n" + " " * indent).join(lines) + "\n"


def verdict_text(found: list[Finding]) -> Text:
    """The verdict word and the sentence of each finding, worst first."""
    level = found[0].level if found else Level.GO
    text = Text(" ")
    text.append_text(verdict_word(level))
    text.append(" " * (7 - len(level.name)))
    if not found:
        text.append(wrap("No finding: every check passed. Let the crossing go.", 8))
        return text
    text.append(wrap(found[0].sentence, 8))
    for more in found[1:6]:
        text.append(f" {more.level.name:<7}", "bold")
        text.append(wrap(more.sentence, 8))
    return text


def person_text(events: list[dict[str, Any]], today: dt.date) -> Text:
    """Name, document, nationality, age and sex of each person read; the vehicle and cargo."""
    text = Text()
    for event in events:
        payload = _payload(event)
        if event.get("kind") in ("mrz", "manual") and (payload.get("surname") or _number(payload)):
            text.append_text(_person(payload, today))
    cargo = [e for e in events if e.get("kind") in ("barcode", "rpm.occupancy")]
    for event in cargo:
        text.append_text(_cargo(event))
    return text


def _number(payload: dict[str, Any]) -> str:
    return field(payload, "document_number", "number", limit=40)


def _person(payload: dict[str, Any], today: dt.date) -> Text:
    text = Text("\n Person\n", "bold")
    surname, given = field(payload, "surname", limit=40), field(payload, "given_names", limit=40)
    name = f"{surname}, {given}" if given else surname
    text.append("  " + (name or "(no name read)") + "\n", "bold")
    code = clean(payload.get("document_code"), 2)[:1]
    what = DOCUMENT_NAMES.get(code, "document")
    issuer = field(payload, "issuing_state", "issuer", limit=3)
    text.append(f"  {what} {_number(payload) or '-'}" + (f", issued by {issuer}" if issuer else ""))
    born = field(payload, "birth_date", limit=10)
    nationality = field(payload, "nationality", limit=3)
    parts = [f"born {born}{_age(born, today)}" if born else "",
             f"nationality {nationality}" if nationality else "",
             f"sex {field(payload, 'sex', limit=1)}" if payload.get("sex") else ""]  # fmt: skip
    text.append("\n  " + ", ".join(p for p in parts if p) + "\n")
    return text


def _age(born: str, today: dt.date) -> str:
    try:
        birth = dt.date.fromisoformat(born)
    except ValueError:
        return ""
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return f" (age {years})" if 0 <= years < 130 else ""


def _cargo(event: dict[str, Any]) -> Text:
    payload = _payload(event)
    if event.get("kind") == "barcode":
        parsed = payload.get("parsed") if isinstance(payload.get("parsed"), dict) else {}
        assert isinstance(parsed, dict)
        what = clean(parsed.get("kind"), 20) or "scan"
        return Text(f"\n Cargo\n  {what} {field(payload, 'text', 'number', limit=60)}\n")
    speed = payload.get("speed_kmh")
    speed_text = f" at {speed:.1f} km/h" if isinstance(speed, int | float) else ""
    occupancy = clean(payload.get("occupancy"), 12) or "-"
    return Text(f"\n Vehicle\n  portal occupancy {occupancy}{speed_text}\n")


# -- checks ---------------------------------------------------------------------


def checks_text(
    events: list[dict[str, Any]], alerts: list[dict[str, Any]], today: dt.date, *, portal: bool
) -> Text:
    """Each check with its result in words: watchlist, document, radiation."""
    text = Text("\n Checks\n", "bold")
    text.append_text(_watchlist(events, alerts))
    for event in events:
        if event.get("kind") in ("mrz", "manual"):
            text.append_text(_document(_payload(event), today))
        elif event.get("kind") == "mrz.unreadable":
            text.append_text(_check("Document", "UNREAD", Level.CHECK, "the MRZ could not be read"))
        elif event.get("kind") == "barcode":
            text.append_text(barcode_text(_payload(event)))
    text.append_text(_rules(events))
    occupancies = [e for e in events if e.get("kind") == "rpm.occupancy"]
    for event in occupancies:
        text.append_text(radiation_text(_payload(event)))
    if not occupancies:
        words = "not measured yet: the vehicle has not passed the portal" if portal else (
            "no portal on this lane")  # fmt: skip
        text.append_text(_check("Radiation", "-", None, words))
    return text


BARCODE_WORDS = {"mrn": "transit declaration MRN", "container": "freight container",
                 "aamva": "driving licence", "bcbp": "boarding pass", "gs1": "GS1 product code",
                 "hc1": "health certificate", "tir": "TIR carnet", "vds": "visible digital seal",
                 "mrz": "MRZ line"}  # fmt: skip
HIDDEN_FIELDS = frozenset({"number", "mrn", "text", "check_digit", "unique", "layout"})


def barcode_text(payload: dict[str, Any]) -> Text:
    """A scanned code in words: what it is and says, and each of its checks with its result."""
    parsed = payload.get("parsed") if isinstance(payload.get("parsed"), dict) else {}
    assert isinstance(parsed, dict)
    kind = clean(parsed.get("kind"), 20)
    fields = parsed.get("fields") if isinstance(parsed.get("fields"), dict) else {}
    assert isinstance(fields, dict)
    number = field(fields, "number", "mrn", limit=40) or field(payload, "text", limit=60)
    what = BARCODE_WORDS.get(kind, kind or "code not understood")
    symbology = clean(payload.get("symbology"), 16)
    said = [f"{clean(k, 20)} {clean(v, 40)}" for k, v in fields.items()
            if k not in HIDDEN_FIELDS and not isinstance(v, dict | list)][:5]  # fmt: skip
    words = f"{what} {number}" + (f" ({symbology})" if symbology else "")
    words += (": " + ", ".join(said)) if said else ""
    valid = parsed.get("valid")
    result, level = ("OK", Level.GO) if valid else ("CHECK", Level.CHECK) if kind else ("-", None)
    text = _check("Barcode", result, level, words)
    for check in [c for c in parsed.get("checks") or [] if isinstance(c, dict)][:6]:
        text.append(" " * HANG + wrap(_check_words(check), HANG))
    return text


def _check_words(check: dict[str, Any]) -> str:
    """``check digit: FAILED (expected 6, got 9) - misread or mistyped, scan again``."""
    name, result = clean(check.get("name"), 30), clean(check.get("result"), 12)
    detail = clean(check.get("detail"), 60)
    if result == "failed":
        return f"{name}: FAILED ({detail}) - misread, mistyped or forged: scan again, check by hand"
    return f"{name}: {result or '?'}"


def _rules(events: list[dict[str, Any]]) -> Text:
    """The rule pack's lane for the crossing and the rules that matched (none: no line)."""
    verdicts = [_payload(e).get("rules") for e in events]
    rules = next((r for r in reversed(verdicts) if isinstance(r, dict)), None)
    if rules is None:
        return Text()
    lane = clean(rules.get("lane"), 8) or "green"
    level = RULE_LANES.get(lane, Level.GO)
    found = rules_findings(rules)
    words = "; ".join(f.sentence for f in found) or f"no rule of pack {clean(rules.get('pack'), 8)}"
    return _check("Risk rules", lane.upper(), level, words)


def _check(label: str, result: str, level: Level | None, words: str) -> Text:
    text = Text(f"  {label:<{LABEL}}")
    style = {None: "bold", Level.GO: "bold green", Level.CHECK: "bold reverse yellow",
             Level.STOP: "bold reverse red"}[level]  # fmt: skip
    text.append(f"{result:<7}", style)
    text.append(" " + wrap(words, HANG))
    return text


def _watchlist(events: list[dict[str, Any]], alerts: list[dict[str, Any]]) -> Text:
    listed = [a for a in alerts if a.get("kind") == "watchlist"]
    if not listed:
        screened = any(e.get("kind") in ("mrz", "manual", "barcode") for e in events)
        return _check("Watchlist", "OK" if screened else "-", Level.GO if screened else None,
                      "no match on the list" if screened else "nothing to screen")  # fmt: skip
    text = Text()
    for alert in listed:
        hits = [h for h in alert.get("hits") or [] if isinstance(h, dict)][:4]
        state = clean(alert.get("state"), 12)
        level = Level.GO if state == "cleared" else Level.CHECK
        words = hit_sentence(hits[0]) if hits else clean(alert.get("summary"), 200)
        text.append_text(_check("Watchlist", "HIT", level, words))
        for hit in hits:
            text.append_text(_listed(hit))
            text.append_text(_on_the_page(hit, events))
        text.append_text(_decision_line(alert))
    return text


def _on_the_page(hit: dict[str, Any], events: list[dict[str, Any]]) -> Text:
    """Beside a listed document's holder, the traveller the document names (same name or not)."""
    explain = hit.get("explain") if isinstance(hit.get("explain"), dict) else {}
    assert isinstance(explain, dict)
    people = [_payload(e) for e in events if e.get("kind") in ("mrz", "manual")]
    page = next((p for p in people if p.get("surname")), None)
    if not explain.get("listed_name") or page is None:
        return Text()
    surname, given = field(page, "surname", limit=40), field(page, "given_names", limit=40)
    born = field(page, "birth_date", limit=10)
    name = f"{surname}, {given}" if given else surname
    same = f" {_fold(surname)} " in f" {_fold(str(explain['listed_name']))} "
    words = f"the traveller on the page is {name}" + (f", born {born}" if born else "")
    words += " - the same name" if same else " - NOT the listed holder's name: who is this?"
    return Text(" " * HANG + wrap(words, HANG), "" if same else "bold")


def _fold(name: str) -> str:
    return " ".join(name.upper().replace(",", " ").split())


def _listed(hit: dict[str, Any]) -> Text:
    """Who or what is listed: the name and birth date beside the matched key."""
    explain = hit.get("explain") if isinstance(hit.get("explain"), dict) else {}
    assert isinstance(explain, dict)
    parts = [clean(hit.get("matched"), 60)]
    for key, label in (("listed_name", "name"), ("name", "name"), ("birth_date", "born"),
                       ("dob", "birth date")):  # fmt: skip
        if explain.get(key) not in (None, ""):
            parts.append(f"{label} {clean(explain[key], 40)}")
    action = ACTION_WORDS.get(str(hit.get("action")), clean(hit.get("action"), 20))
    line = f"list {clean(hit.get('list'), 30)}: " + "; ".join(parts)
    line += f" ({action})" if action else ""
    return Text(" " * HANG + wrap(line, HANG))


def _decision_line(alert: dict[str, Any]) -> Text:
    if alert.get("state") in (None, "open"):
        return Text(" " * HANG + "open: not decided yet\n", "bold")
    words = f"{clean(alert.get('state'), 12)} {_decided_words(alert)}"
    return Text(" " * HANG + wrap(words, HANG))


def _document(payload: dict[str, Any], today: dt.date) -> Text:
    expiry = expiry_of(payload)
    if expiry is None:
        text = _check("Document", "-", None, "no expiry date read")
    elif expiry < today:
        days = (today - expiry).days
        text = _check("Document", "EXPIRED", Level.CHECK,
                      f"expired on {expiry.isoformat()}, {days} days ago")  # fmt: skip
    else:
        text = _check("Document", "VALID", Level.GO, f"valid until {expiry.isoformat()}")
    bad = bad_checks(payload)
    if bad or payload.get("valid") is False:
        text.append_text(_check("Check digits", "WRONG", Level.CHECK, ", ".join(bad) or "MRZ"))
    elif payload.get("checks"):
        text.append_text(_check("Check digits", "OK", Level.GO, "every check digit adds up"))
    return text


def radiation_text(payload: dict[str, Any]) -> Text:
    """Gamma against its threshold, neutrons against theirs, the NORM label, the profile."""
    gamma_on, neutron_on = bool(payload.get("gamma_alarm")), bool(payload.get("neutron_alarm"))
    text = _check("Gamma", "ALARM" if gamma_on else "OK", Level.STOP if gamma_on else Level.GO,
                  _gamma_words(payload))  # fmt: skip
    text.append_text(
        _check(
            "Neutron",
            "ALARM" if neutron_on else "OK",
            Level.STOP if neutron_on else Level.GO,
            _neutron_words(payload),
        )
    )
    if payload.get("norm_suspect"):
        text.append_text(
            _check(
                "NORM",
                "LIKELY",
                Level.CHECK,
                "the gamma pattern of natural "
                "radioactivity in the cargo (ceramics, fertiliser, granite)",
            )
        )
    else:
        text.append_text(_check("NORM", "no", None, "not the pattern of natural radioactivity"))
    profile = profile_of(payload)
    if profile.series and (gamma_on or neutron_on or payload.get("norm_suspect")):
        text.append_text(chart(profile))
        text.append("\n")
    return text


def _gamma_words(payload: dict[str, Any]) -> str:
    peak, sigma = payload.get("peak_sigma"), payload.get("sigma")
    words = f"peak {peak:.1f} sigma" if isinstance(peak, int | float) else "peak not given"
    if isinstance(sigma, int | float):
        words += f" (alarm at {sigma:.1f} sigma)"
    background = payload.get("gamma_background_cps")
    if isinstance(background, int | float):
        words += f", background {background:.0f} cps"
    return words


def _neutron_words(payload: dict[str, Any]) -> str:
    counts = numbers(payload.get("neutron_series"))
    threshold = payload.get("neutron_threshold")
    if not counts:
        return "no neutron counts given"
    window, in_window = payload.get("neutron_window_s"), payload.get("neutron_window_counts")
    if isinstance(window, int | float) and isinstance(in_window, int | float):
        # the threshold is for the best window (shaped like a passing source), not one second
        words = f"{in_window:.0f} counts in the best {window:.0f} s"
        if isinstance(threshold, int | float):
            words += f" (alarm at {threshold:.0f})"
        return words
    return f"most {max(counts):.0f} counts in 1 s"  # recorded before the window was kept


def earlier_text(decided: list[dict[str, Any]]) -> Text:
    """Decisions taken on this document's earlier crossings: who, when, what and why."""
    text = Text()
    for alert in decided[:5]:
        words = f"{clean(alert.get('kind'), 16)} alert {_decided_words(alert)}"
        text.append_text(_check("Earlier", clean(alert.get("state"), 9).upper(), None, words))
    return text


def _decided_words(alert: dict[str, Any]) -> str:
    who = clean(alert.get("officer_id"), 16) or "?"
    reason = clean(alert.get("reason"), 80)
    note = clean(alert.get("note"), 80)
    words = f"by {who} {long_time(alert.get('decided'))}: {reason}"
    return words + (f" ({note})" if note else "")


def evidence_text(
    events: list[dict[str, Any]], alerts: list[dict[str, Any]], today: dt.date, *, portal: bool
) -> Text:
    """The verdict, the person or vehicle, the checks: the detail screen's first part."""
    text = verdict_text(findings_of(events, alerts, today))
    text.append_text(person_text(events, today))
    text.append_text(checks_text(events, alerts, today, portal=portal))
    return text


def _payload(event: dict[str, Any]) -> dict[str, Any]:
    payload = event.get("payload")
    return payload if isinstance(payload, dict) else {}
