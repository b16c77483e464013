"""End to end (issue 22): HQ publishes a rule pack, the post applies it, a crossing hits a
rule, and the alert with its explanation reaches HQ; forged, older and expired packs are
refused at the post and the last good one stays in force."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from conftest import start_daemon
from sync_testkit import broker, pki, wait_for  # noqa: F401
from wldist_kit import Hq, post_and_hq, post_events, target

from edge.api.client import ApiClient
from sync.broker.run import Broker
from sync.hq.rules import RULES_CHANNEL, publish_pack, rule_stats
from sync.wldist import publish as pub
from sync.wldist.hq_client import Sender
from sync.wldist.payload import build_bytes, publish_bytes


def _pack(version: int, expires: str = "2099-01-01T00:00:00Z") -> bytes:
    return json.dumps({
        "version": version, "expires": expires, "lists": {"risky": ["XXA"]},
        "rules": [
            {"id": "R-young", "title": "young traveller, listed nationality", "lane": "red",
             "when": "person.nationality in @risky and person.age < 30"},
            {"id": "S-trial", "when": "person.age < 99", "shadow": True, "lane": "red"},
        ],
    }).encode()  # fmt: skip


def test_hq_pack_reaches_the_post_and_its_alert_reaches_hq(tmp_path: Path, broker: Broker) -> None:
    post = post_and_hq(tmp_path, broker)
    hq, state, config, hq_db, receiver = post.hq, post.state, post.config, post.hq_db, post.receiver
    daemon = start_daemon(state, "--config", str(config), "--allow-inject")
    try:
        client = ApiClient(state / "api.sock", timeout=5)
        assert client.call("status")["rules_version"] is None
        with Sender(target(broker)) as sender:
            publish_pack(hq.dir, _pack(1), version=1, expires=4e9, rules=2, send=sender.send)
        wait_for(lambda: client.call("status")["rules_version"] == 1, 30, "pack applied")
        shown = subprocess.run(
            [sys.executable, "-m", "edge", "status", "--state-dir", str(state)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert "rules pack 1 (2 rules)" in shown.stdout
        # HQ sees the versions in force, the master lists' too (the HQ console's posts page)
        wait_for(lambda: _hq_status(hq_db).get("rules_version") == 1, 30, "pack version at HQ")
        assert _hq_status(hq_db)["csca"]["version"] == 0
        mrz = {"nationality": "XXA", "birth_date": "050101", "document_number": "X1"}
        reply = client.call("inject", kind="mrz", payload=mrz, lane="1")
        verdict = reply["event"]["payload"]["rules"]
        assert (verdict["lane"], verdict["action"], reply["event"]["alert_ids"] != []) == (
            "red", "alert", True,
        )  # fmt: skip
        assert "shadow" not in verdict  # never shown to the officer

        def hq_alert() -> dict[str, Any] | None:
            rows = [r for r in hq_db.events("post-01") if r["kind"] == "alert"]
            return json.loads(rows[0]["payload"]) if rows else None

        wait_for(lambda: hq_alert() is not None, 30, "the rule's alert at HQ")
        alert = hq_alert()
        assert alert is not None
        [mrz_at_hq] = [
            json.loads(r["payload"]) for r in hq_db.events("post-01") if r["kind"] == "mrz"
        ]
        assert [h["id"] for h in mrz_at_hq["rules"]["shadow"]] == ["S-trial"]  # HQ sees it
        stats = {s["rule"]: s for s in rule_stats(hq_db)}
        assert (stats["R-young"]["crossings"], stats["R-young"]["alerts"]) == (1, 1)
        assert (stats["S-trial"]["shadow_crossings"], stats["S-trial"]["alerts"]) == (1, 0)
        assert alert["kind"] == "rules" and alert["hits"][0]["id"] == "R-young"
        because = alert["hits"][0]["because"]
        assert because[0]["condition"] == "person.nationality in @risky"
        assert because[1]["values"] == {"person.age": time.gmtime().tm_year - 2005}
        _refusals(hq, broker, client, state)
    finally:
        daemon.stop()
        receiver.stop()


def _hq_status(hq_db: Any) -> dict[str, Any]:
    posts = hq_db.posts()
    return (posts[0]["status"] or {}) if posts else {}


def _refusals(hq: Hq, broker: Broker, client: ApiClient, state: Path) -> None:
    """An older pack, an expired pack and a forged manifest: refused, version 1 stays."""
    with Sender(target(broker)) as sender:
        publish_bytes(hq.dir, RULES_CHANNEL, _pack(1), sender.send)  # HQ's own check bypassed
        wait_for(lambda: len(post_events(state, "rules.refused")) >= 1, 30, "older refused")
        publish_bytes(hq.dir, RULES_CHANNEL, _pack(5, "2020-01-01T00:00:00Z"), sender.send)
        wait_for(lambda: len(post_events(state, "rules.refused")) >= 2, 30, "expired refused")
        state_now = pub.HqState(hq.dir, RULES_CHANNEL).load()
        plan = build_bytes(RULES_CHANNEL, _pack(9), state_now, pub.Signer.load(hq.dir),
                           expires_s=600)  # fmt: skip
        manifest = json.loads(plan.message)
        manifest["manifest"]["entries"] = 99  # the signature no longer holds
        sender.send(RULES_CHANNEL.manifest_topic, json.dumps(manifest).encode(), True)
        wait_for(lambda: len(post_events(state, "rules.refused")) >= 3, 30, "forged refused")
    reasons = [e["reason"] for e in post_events(state, "rules.refused")]
    assert reasons == ["rollback", "expired", "signature"]
    assert client.call("status")["rules_version"] == 1
    assert post_events(state, "rules.applied")[0]["version"] == 1
