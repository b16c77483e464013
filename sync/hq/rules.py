"""HQ's side of rule packs: publish a checked pack on the ``rules`` channel, never an older one.

The pack's own checks (syntax, lint) are the post's code and run in the
``borderpost hq rules publish`` command before this is called; here HQ
refuses a pack whose version is not above the last one published (a
rollback) or that has already expired, publishes it signed as the channel's
next snapshot (expiring with the pack) and keeps a copy of every published
pack under ``<hq>/rules/`` so HQ can recompute why a crossing was selected.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sync.hq.store import HqStore
from sync.wldist import publish as pub
from sync.wldist.channel import Channel
from sync.wldist.payload import publish_bytes

RULES_CHANNEL = Channel("rules")
RULES_DIR = "rules"


def last_published(hq_state_dir: Path) -> dict[str, Any]:
    """The last published pack's record (``{}`` before the first)."""
    path = hq_state_dir / RULES_DIR / "published.json"
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def check_publishable(hq_state_dir: Path, version: int, expires: float, now: float) -> None:
    """:class:`pub.PublishError` for an older or equal version, or a pack already expired."""
    last = int(last_published(hq_state_dir).get("pack_version", 0))
    if version <= last:
        raise pub.PublishError(
            f"pack version {version} is not newer than the last published ({last}):"
            " raise the pack's version"
        )
    if expires <= now:
        raise pub.PublishError("the pack has already expired: set a later 'expires'")


def publish_pack(
    hq_state_dir: Path,
    data: bytes,
    *,
    version: int,
    expires: float,
    rules: int,
    send: pub.Send,
    now: float | None = None,
) -> dict[str, Any]:
    """Sign and publish a pack; returns the channel's summary with the pack's version."""
    now = time.time() if now is None else now
    check_publishable(hq_state_dir, version, expires, now)
    summary = publish_bytes(
        hq_state_dir, RULES_CHANNEL, data, send, expires_s=expires - now, entries=rules
    )
    folder = hq_state_dir / RULES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    pub.atomic_write(folder / f"pack-{version}.txt", data)
    record = {"pack_version": version, "channel_version": summary["version"],
              "expires": expires, "published": now, "rules": rules}  # fmt: skip
    pub.atomic_write(folder / "published.json", json.dumps(record).encode())
    return {**summary, "pack_version": version}


def rule_stats(store: HqStore, page: int = 5000) -> list[dict[str, Any]]:
    """Per rule, over every post's events at HQ: crossings it hit (shown and shadow), alerts
    it raised, and the officers' decisions on those alerts (clear / refer / escalate)."""
    stats: dict[str, dict[str, Any]] = {}
    for post in store.posts():
        alerts: dict[int, list[str]] = {}
        for row in _all_events(store, str(post["post_id"]), page):
            _count(stats, alerts, _payload(row), row["kind"])
    return public_stats(sorted(stats.values(), key=lambda s: (-s["crossings"], s["rule"])))


def _all_events(store: HqStore, post_id: str, page: int) -> Iterator[dict[str, Any]]:
    after = 0
    while rows := store.events(post_id, after, page):
        yield from rows
        after = int(rows[-1]["seq"])


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(row["payload"])
    except (TypeError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _rule(stats: dict[str, dict[str, Any]], rule_id: str) -> dict[str, Any]:
    empty = {"rule": rule_id, "crossings": 0, "shadow_crossings": 0, "alerts": 0,
             "decisions": {}, "_seen": set()}  # fmt: skip
    return stats.setdefault(rule_id, empty)


def _count(
    stats: dict[str, dict[str, Any]], alerts: dict[int, list[str]], p: dict[str, Any], kind: str
) -> None:
    verdict = p.get("rules")
    if isinstance(verdict, dict):
        crossing = str(verdict.get("crossing"))
        for key, field in (("hits", "crossings"), ("shadow", "shadow_crossings")):
            for hit in verdict.get(key) or []:
                entry = _rule(stats, str(hit.get("id")))
                if (crossing, key) not in entry["_seen"]:
                    entry["_seen"].add((crossing, key))
                    entry[field] += 1
    if kind == "alert" and p.get("kind") == "rules":
        ids = [str(h["id"]) for h in p.get("hits", []) if isinstance(h, dict) and "id" in h]
        alerts[int(p.get("alert_id", 0))] = ids
        for rule_id in ids:
            _rule(stats, rule_id)["alerts"] += 1
    if kind == "adjudication":
        for rule_id in alerts.get(int(p.get("alert_id", 0)), []):
            decisions = _rule(stats, rule_id)["decisions"]
            decision = str(p.get("decision"))
            decisions[decision] = decisions.get(decision, 0) + 1


def public_stats(stats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rule_stats`` without its working set, for printing."""
    return [{k: v for k, v in s.items() if k != "_seen"} for s in stats]
