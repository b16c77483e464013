"""End to end: HQ publishes, the post's daemon applies, screening alerts; status; refusals."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from conftest import start_daemon
from sync_testkit import broker, pki, post_toml, wait_for  # noqa: F401
from wldist_kit import Hq, record

from edge.api.client import ApiClient
from sync import keys
from sync.broker.run import Broker
from sync.wldist import manifest as mf


def _config(tmp_path: Path, broker: Broker, root_pub: Path) -> Path:
    extra = f'\n[watchlist]\nroot_key_file = "{root_pub}"\nstale_after_h = 1\n'
    path = tmp_path / "post.toml"
    path.write_text(post_toml(broker, "post-01", extra))
    return path


def _kinds(state: Path) -> list[tuple[str, dict[str, Any]]]:
    with sqlite3.connect(state / "events.db") as db:
        rows = db.execute("SELECT kind, payload FROM events ORDER BY seq").fetchall()
    return [(k, json.loads(p)) for k, p in rows]


def test_published_list_screens_at_the_post(tmp_path: Path, broker: Broker) -> None:
    hq = Hq(tmp_path, broker)
    state = tmp_path / "state"
    keys.init_pair(state / "keys")
    config = _config(tmp_path, broker, hq.root_pub)
    daemon = start_daemon(state, "--config", str(config), "--allow-inject")
    try:
        client = ApiClient(state / "api.sock", timeout=5)
        assert client.call("status")["watchlist_stale"] is True  # no list yet
        hq.publish([record(i) for i in range(100)])
        wait_for(lambda: client.call("status")["watchlist_version"] == 1, 30, "list applied")
        status = client.call("status")
        assert status["watchlist_stale"] is False and status["watchlist_age_s"] < 3600
        doc = {"kind": "document", "number": "X00000042", "issuer": "UTO", "type": "P"}
        reply = client.call("inject", kind="mrz.read", payload={}, keys=[doc])
        assert reply["event"]["alert_ids"], "a newly listed document must alert"
        assert _has_alert(state)
        bad = json.loads(hq.plan([record(1)]).message)
        bad["manifest"]["entries"] = 5
        hq.send(mf.MANIFEST_TOPIC, json.dumps(bad).encode())
        wait_for(lambda: any(k == "watchlist.refused" for k, _ in _kinds(state)), 30, "refused")
        refused = [p for k, p in _kinds(state) if k == "watchlist.refused"]
        assert refused[0]["reason"] == "signature"
        assert client.call("status")["watchlist_version"] == 1
        assert client.call("status")["broker"]["connected"] is True
        # one MQTT session per post: the uplink and the watchlist updates share it
        clients = re.findall(r"New client connected from \S+ as (\S+)", broker.log_file.read_text())
        assert set(clients) >= {"post-01"} and "post-01-wl" not in clients
    finally:
        daemon.stop()


def _has_alert(state: Path) -> bool:
    with sqlite3.connect(state / "events.db") as db:
        return bool(db.execute("SELECT count(*) FROM alerts").fetchone()[0])


def _cli(*args: str) -> dict[str, Any]:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "edge", *args], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def test_cli_keys_and_publish(tmp_path: Path, broker: Broker) -> None:
    from sync import ca

    root = _cli("keys", "root-init", "--dir", str(tmp_path / "root"))
    hqdir = str(tmp_path / "hq")
    cert = _cli(
        "keys", "publisher-init", "--root-key", root["private_key"], "--hq-state-dir", hqdir
    )
    lst = tmp_path / "list.jsonl"
    lst.write_text("".join(json.dumps(record(i)) + "\n" for i in range(20)))
    common = ["--hq-state-dir", hqdir, *broker.client_args(ca.HQ_IDENTITY)]
    first = _cli("watchlist", "publish", str(lst), *common)
    assert first == {**first, "version": 1, "kind": "snapshot", "entries": 20, "published": True}
    second = _cli("watchlist", "publish", str(lst), "--delta", "--posts", "post-01", *common)
    assert second["version"] == 2 and second["kind"] == "delta" and second["entries"] == 0
    revoked = _cli(
        "keys",
        "publisher-revoke",
        "--root-key",
        root["private_key"],
        "--hq-state-dir",
        hqdir,
        "--key-id",
        cert["key_id"],
    )
    assert revoked == {"serial": 1, "revoked": [cert["key_id"]]}
