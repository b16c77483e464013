"""A document reader on a pty, read by the real daemon: swipes become `mrz` events."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conftest import eventually, start_daemon

from drivers.mrz.framing import frame
from drivers.mrz.generate import make_td1
from edge.api.client import ApiClient

TD1 = make_td1("MÜLLER", "JÖRG", "C01X00T47", "D", "850101", "M", "351231", issuer="D")


def _events(state: Path) -> list[dict[str, Any]]:
    from edge.events import event_json
    from edge.store import Store

    store = Store.open(state / "events.db")
    try:
        return [event_json(e) for e in store.events(limit=50)]
    finally:
        store.close()


def test_swipes_over_a_pty_become_events(tmp_path: Path) -> None:
    master, slave = os.openpty()
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[devices]]\nname = "mrz-1"\nkind = "mrz"\nurl = "{os.ttyname(slave)}"\n'
        '[devices.options]\nframing = "stx"\n'
    )
    daemon = start_daemon(tmp_path / "state", "--config", str(config))
    try:
        client = ApiClient(daemon.socket)
        eventually(lambda: client.call("status")["devices"][0]["state"] == "ok")
        os.write(master, b"\x00\xff" + frame(TD1, "stx") + frame(["NOT", "AN MRZ"], "stx"))
        found = eventually(lambda: [e for e in _events(daemon.state_dir)
                               if e["kind"] in ("mrz", "mrz.unreadable")][:2])  # fmt: skip
        kinds = {e["kind"]: e for e in found}
        doc = kinds["mrz"]["payload"]
        assert doc["valid"] is True and doc["document_number"] == "C01X00T47"
        assert doc["surname"] == "MULLER" and doc["issuing_state"] == "D"
        assert kinds["mrz"]["device"] == "mrz-1"
        assert kinds["mrz.unreadable"]["payload"]["lines"] == ["NOT", "AN MRZ"]
    finally:
        daemon.stop()
        os.close(master)
        os.close(slave)
