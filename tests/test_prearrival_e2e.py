"""End to end (issue 21): HQ publishes a crew list with the CLI, the post's daemon applies it,
the crew arrives with one member missing and one unannounced, the window report reaches HQ."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from conftest import borderpost, start_daemon
from prearrival_kit import crew_list
from sync_testkit import broker, pki, wait_for  # noqa: F401
from wldist_kit import post_and_hq, post_events

from edge.api.client import ApiClient
from edge.store import Store, officers
from sync import ca
from sync.broker.run import Broker


def _read(client: ApiClient, number: str, surname: str, birth: str) -> dict[str, Any]:
    keys_ = [
        {"kind": "document", "number": number, "issuer": "UTO", "type": "P"},
        {"kind": "person", "surname": surname, "given_names": "ANNA", "birth_date": birth},
    ]
    payload = {"document_number": number, "surname": surname, "birth_date": birth}
    reply = client.call("inject", kind="mrz", payload=payload, keys=keys_, lane="1")
    return dict(reply["event"]["payload"].get("prearrival") or {})


def _lane_view_over_the_api(state: Path) -> None:
    """An officer's console asks for lane 1's pre-arrival view (the local API's request)."""
    store = Store.open(state / "events.db")
    officers.add(store, "anna", "Anna", "officer", "1234", "test")
    store.close()
    with ApiClient(state / "api.sock", timeout=5) as officer:
        officer.call("login", officer_id="anna", pin="1234")
        (view,) = officer.call("prearrival", lane="1")["lists"]
    assert view["list_id"] == "BUS-17" and len(view["arrived"]) == 4
    assert [i["document_number"] for i in view["expected"]] == ["X00000002"]
    assert [r["document_number"] for r in view["not_expected"]] == ["Q12345678"]


def test_crew_list_from_hq_to_the_window_report_at_hq(tmp_path: Path, broker: Broker) -> None:
    post = post_and_hq(tmp_path, broker)
    hq, state, config, hq_db, receiver = post.hq, post.state, post.config, post.hq_db, post.receiver
    lists = tmp_path / "bus.json"
    other = crew_list("OTHER-POST", posts=("post-02",))
    lists.write_text(json.dumps([crew_list(end=time.time() + 20), other]))
    daemon = start_daemon(state, "--config", str(config), "--allow-inject")
    try:
        client = ApiClient(state / "api.sock", timeout=5)
        out = borderpost(
            "hq", "prearrival", "publish", str(lists), "--hq-state-dir", str(hq.dir),
            *broker.client_args(ca.HQ_IDENTITY),
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        published = json.loads(out.stdout)["posts"]
        assert sorted(p["post"] for p in published) == ["post-01", "post-02"]
        wait_for(lambda: post_events(state, "prearrival.applied") != [], 30, "list applied")
        assert post_events(state, "prearrival.applied")[0]["lists"] == 1  # not post-02's
        wait_for(lambda: client.call("status")["prearrival"]["lists"] == 1, 10, "status")
        assert client.call("status")["prearrival"] == {"version": 1, "lists": 1, "items": 5}
        assert _read(client, "X00000000", "DRIVER0", "800101")["verdict"] == "expected"
        assert _read(client, "X00000001", "DRIVER1", "810102")["reference"] == "REF-BUS-17"
        plate = {"plate": "UT 123 AB", "country": "UTO"}
        reply = client.call("inject", kind="manual", payload=plate, lane="1")
        assert reply["event"]["payload"]["prearrival"]["item"] == "vehicle"
        box = [{"kind": "container", "number": "MSCU1234565"}]
        client.call("inject", kind="barcode", payload={"text": "MSCU1234565"}, keys=box, lane="1")
        unannounced = _read(client, "Q12345678", "STOWAWAY", "900101")
        assert unannounced["verdict"] == "not_expected" and unannounced["list_id"] == "BUS-17"
        _lane_view_over_the_api(state)

        def at_hq() -> list[dict[str, Any]]:
            rows = hq_db.events("post-01")
            return [
                json.loads(r["payload"]) for r in rows if r["kind"] == "prearrival.window_closed"
            ]

        wait_for(lambda: at_hq() != [], 60, "the window report at HQ")
        (report,) = at_hq()
        assert (report["list_id"], report["expected"], report["arrived"]) == ("BUS-17", 5, 4)
        assert [m["document_number"] for m in report["missing"]] == ["X00000002"]
        assert [u["document_number"] for u in report["unannounced"]] == ["Q12345678"]
    finally:
        daemon.stop()
        receiver.stop()
