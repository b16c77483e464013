"""A scanner on the real daemon: scans over TCP become `barcode` events on the local API."""

from __future__ import annotations

import socket
from pathlib import Path

from conftest import start_daemon

from edge.api.client import ApiClient
from edge.store import Store, officers


def test_scans_become_barcode_events(tmp_path: Path) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(60)
    port = server.getsockname()[1]
    config = tmp_path / "borderpost.toml"
    config.write_text(
        '[[devices]]\nname = "scanner-1"\nkind = "scanner"\n'
        f'url = "socket://127.0.0.1:{port}"\n[devices.options]\nsuffix = "crlf"\n'
    )
    daemon = start_daemon(tmp_path / "state", "--config", str(config))
    try:
        conn, _ = server.accept()
        store = Store.open(daemon.state_dir / "events.db")
        officers.add(store, "anna", "Anna", "officer", "1234", "test")
        store.close()
        with ApiClient(daemon.socket, timeout=30) as client:
            client.call("login", officer_id="anna", pin="1234")
            client.call("subscribe", kinds=["barcode"])
            conn.sendall(b"]C0CSQU3054383\r\n]C0CSQU3054384\r\n]C10109506000134352\x1d21X\r\n")
            events = [client.next_event() for _ in range(3)]
        conn.close()
    finally:
        daemon.stop()
        server.close()
    good, bad, gs1 = (e["payload"] for e in events)
    assert good["parsed"]["kind"] == "container" and good["parsed"]["valid"]
    assert good["parsed"]["keys"] == [{"kind": "container", "number": "CSQU3054383"}]
    assert not bad["parsed"]["valid"] and bad["parsed"]["keys"] == []
    assert events[1]["priority"] == 1
    assert gs1["symbology"] == "]C1" and gs1["parsed"]["fields"]["ai"]["21"] == "X"
