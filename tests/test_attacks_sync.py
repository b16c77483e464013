"""Issue 25, part 1: the attacks on HQ, the broker and the post's database, replayed against
real processes — the daemon, Mosquitto with TLS and the ACL, the HQ receiver.

Each test reproduces one finding and fails without its fix:
1. a post database that comes back empty (or is replaced) loses everything it sends next;
2. a post's certificate joins HQ's shared subscription and steals batches;
3. a post's certificate takes another post's client id and kicks it off the broker;
10. a damaged database: raw tracebacks, and ``audit verify`` says ok.
"""
# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from conftest import RunningDaemon, borderpost, start_daemon
from paho.mqtt.enums import CallbackAPIVersion
from sync_testkit import (  # noqa: F401
    MemoryOutbox,
    broker,
    hq_store,
    make_uplink,
    pki,
    post_key,
    post_toml,
    receiver_for,
    wait_for,
)

from edge.api.client import ApiClient
from edge.store import NewEvent, Store, epoch
from sync import keys
from sync.broker.run import Broker, Pki
from sync.hq.store import HqStore


def _config(tmp_path: Path, broker: Broker, post_id: str = "post-01") -> Path:
    path = tmp_path / f"{post_id}.toml"
    sync = "\n[sync]\nbatch_max_delay_s = 0.02\nack_timeout_s = 1.0\n"
    path.write_text(post_toml(broker, post_id, sync))
    return path


def _post(tmp_path: Path, post_id: str = "post-01") -> tuple[Path, bytes]:
    state = tmp_path / post_id
    _priv, pub = keys.init_pair(state / keys.KEYS_DIR)
    return state, keys.raw_public(keys.load_public(pub))


def _alerts(daemon: RunningDaemon, n: int) -> None:
    client = ApiClient(daemon.socket, timeout=10)
    try:
        for i in range(n):
            client.call(
                "inject",
                kind="rpm.alarm",
                priority=2,
                payload={"gamma_cps": 900 + i, "state": "alarm"},
                lane="lane-1",
                device="rpm-1",
            )
    finally:
        client.close()


def _stored(hq: HqStore, post_id: str = "post-01") -> int:
    return sum(s["events"] for s in hq.stats() if s["post_id"] == post_id)


def _refused(state: Path, *extra: str) -> str:
    run = borderpost("run", "--state-dir", str(state), *extra, timeout=30)
    assert run.returncode != 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.stderr


def test_an_emptied_database_is_refused_and_its_new_epoch_loses_nothing(
    tmp_path: Path, broker: Broker
) -> None:
    """Finding 1: 20 alerts after the database came back empty were acknowledged and lost."""
    state, raw = _post(tmp_path)
    config = _config(tmp_path, broker)
    hq = hq_store(tmp_path, {"post-01": raw})
    rx = receiver_for(hq, broker)
    rx.start()
    try:
        daemon = start_daemon(state, "--config", str(config), "--allow-inject")
        _alerts(daemon, 5)
        wait_for(lambda: _stored(hq) == 5, what="the first 5 alerts at HQ")
        daemon.stop()
        (state / "events.db").write_bytes(b"")  # the database comes back empty
        for extra in ("events.db-wal", "events.db-shm"):
            (state / extra).unlink(missing_ok=True)
        assert "new-epoch" in _refused(state, "--config", str(config))
        renewed = borderpost("database", "new-epoch", "--state-dir", str(state))
        assert renewed.returncode == 0 and json.loads(renewed.stdout)["moved_aside"]
        daemon = start_daemon(state, "--config", str(config), "--allow-inject")
        _alerts(daemon, 20)  # sequences 1–20 again, in a new epoch
        wait_for(lambda: _stored(hq) == 25, what="all 25 alerts at HQ")
        daemon.stop()
    finally:
        rx.stop()
    assert len(hq.alerts(limit=100, post_id="post-01")) == 25
    kinds = [c["kind"] for c in hq.conflicts() if c["post_id"] == "post-01"]
    assert kinds == ["seq_backwards"]  # the reset is reported at HQ
    posts = borderpost("hq", "posts", "--json", "--db", str(hq.path))
    assert json.loads(posts.stdout)[0]["conflicts"] == 1


def test_a_foreign_or_missing_database_is_refused(tmp_path: Path) -> None:
    """Finding 1: a database restored from another copy starts silently at HQ's sequences."""
    first, other = tmp_path / "a", tmp_path / "b"
    for state in (first, other):
        epoch.check_state(state)  # what the daemon does at its first start
    shutil.copyfile(other / "events.db", first / "events.db")
    assert "another database" in _refused(first)
    (first / "events.db").unlink()
    assert "missing" in _refused(first)


def _filled(state: Path, n: int) -> None:
    """A post database with ``n`` events, as the daemon leaves it (marker written)."""
    epoch.check_state(state)
    store = Store.open(state / "events.db")
    for i in range(n):
        store.record(NewEvent("rpm.reading", {"gamma_cps": i, "pad": "x" * 200}))
    store.close()


def _damage(path: Path) -> None:
    """Overwrite a run of bytes in the middle of every page after the first."""
    with path.open("r+b") as f:
        size = f.seek(0, os.SEEK_END)
        for page in range(4096, size, 4096):
            f.seek(page + 100)
            f.write(b"\xa5" * 64)


def test_a_damaged_database_is_refused_with_a_recovery_path(tmp_path: Path) -> None:
    """Finding 10: a damaged events.db gave raw tracebacks, and audit verify said ok."""
    state = tmp_path / "state"
    _filled(state, 300)
    _damage(state / "events.db")
    assert "damaged" in _refused(state)
    verify = borderpost("audit", "verify", "--json", "--state-dir", str(state))
    assert verify.returncode == 1 and "Traceback" not in verify.stderr
    assert json.loads(verify.stdout)["database"] == "damaged"
    renewed = borderpost("database", "new-epoch", "--state-dir", str(state))
    assert renewed.returncode == 0, renewed.stderr
    assert list(state.glob("events.db.*.aside"))  # the damaged file is kept for investigation
    assert epoch.check_state(state).epoch == json.loads(renewed.stdout)["epoch"]


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state"
    _filled(state, 300)
    path = state / "events.db"
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)
    assert "damaged" in _refused(state)


def test_every_database_has_its_own_epoch(tmp_path: Path) -> None:
    ids = {epoch.check_state(tmp_path / name).epoch for name in ("a", "b")}
    with sqlite3.connect(tmp_path / "a" / "events.db") as db:
        (stored,) = db.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()
    marker = json.loads((tmp_path / "a" / "events.epoch").read_text())
    assert len(ids) == 2 and marker["epoch"] == stored and len(stored) == 32


def _raw(broker: Broker, cert_of: str, client_id: str, events: list[str]) -> mqtt.Client:
    """A hand-made MQTT v5 client with ``cert_of``'s certificate; ``events`` records what
    happens to it (connected, subscription results, messages, disconnects)."""
    cert, key = broker.pki.client(cert_of)
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    c.tls_set(ca_certs=str(broker.pki.ca_file), certfile=str(cert), keyfile=str(key))
    c.on_connect = lambda *_a: events.append("connected")
    c.on_disconnect = lambda *_a: events.append("disconnected")
    c.on_subscribe = lambda _c, _u, _m, codes, _p: events.extend(str(rc) for rc in codes)
    c.on_message = lambda _c, _u, msg: events.append(f"message {msg.topic}")
    c.connect(broker.host, broker.port, 10)
    c.loop_start()
    wait_for(lambda: "connected" in events, what=f"{cert_of} connected")
    return c


def test_a_post_cannot_join_hqs_shared_subscription(tmp_path: Path, broker: Broker) -> None:
    """Finding 2: post-02's certificate joined $share/hq/… and was handed every other batch
    (dropped at delivery), so HQ got them only when the post re-sent."""
    key, raw = post_key()
    store = hq_store(tmp_path, {"post-01": raw})
    rx = receiver_for(store, broker)
    rx.start()
    thief: list[str] = []
    client = _raw(broker, "post-02", "post-02", thief)
    for topic in ("$share/hq/bp/v1/+/batch", "bp/v1/+/batch", "bp/v1/post-01/ack", "#"):
        client.subscribe(topic, qos=1)
    wait_for(lambda: len(thief) >= 5, what="the broker's answers")
    outbox = MemoryOutbox()
    outbox.add(40, priority=2)
    up = make_uplink(broker, outbox, key, batch_max_events=1, ack_timeout_s=20.0)
    up.start()
    try:
        wait_for(lambda: outbox.backlog() == 0, timeout=15, what="every batch acknowledged")
        resent = up.state()["resent_batches"]
    finally:
        up.stop()
        rx.stop()
        client.loop_stop()
        client.disconnect()
    assert thief[1:5] == ["Not authorized"] * 4  # every subscription refused
    assert not [e for e in thief if e.startswith("message")]
    assert resent == 0 and store.stats()[0]["events"] == 40  # nothing waited for a re-send


def test_a_post_cannot_take_another_posts_client_id(broker: Broker) -> None:
    """Finding 3: post-02's certificate connected as 'post-01' and kicked post-01 off."""
    victim: list[str] = []
    post01 = _raw(broker, "post-01", "post-01", victim)
    intruder: list[str] = []
    post02 = _raw(broker, "post-02", "post-01", intruder)
    time.sleep(1.5)  # the broker would have closed post-01's session by now
    try:
        assert victim == ["connected"] and post01.is_connected()
        assert intruder == ["connected"]
    finally:
        for c in (post01, post02):
            c.loop_stop()
            c.disconnect()
    log = broker.log_file.read_text()
    assert "as post-02 " in log and "already connected" not in log


def test_broker_acl_names_each_registered_post(tmp_path: Path) -> None:
    _state, raw = _post(tmp_path, "kapitan-1")
    hq_store(tmp_path, {"kapitan-1": raw}).close()
    out = borderpost("hq", "broker-acl", "--db", str(tmp_path / "hq" / "hq.db"))
    acl = json.loads(out.stdout)
    assert [c["username"] for c in acl["clients"]] == ["borderpost-hq", "kapitan-1"]
    post = next(r for r in acl["roles"] if r["rolename"] == "post-kapitan-1")
    subscribe = {a["topic"] for a in post["acls"] if a["acltype"].startswith("subscribe")}
    channels = {"bp/v1/wl/#", "bp/v1/rules/#", "bp/v1/csca/#", "bp/v1/pax/kapitan-1/#"}
    assert subscribe == {"bp/v1/kapitan-1/ack", *channels}
    assert acl["defaultACLAccess"]["subscribe"] is False


def _broker_toml(pki: Pki, post_id: str, cert_of: str, key_of: str, extra: str = "") -> str:
    cert, key = pki.client(cert_of)[0], pki.client(key_of)[1]
    return (
        f'[post]\nid = "{post_id}"\n{extra}\n[broker]\nhost = "127.0.0.1"\n'
        f'ca_file = "{pki.ca_file}"\ncert_file = "{cert}"\nkey_file = "{key}"\n'
    )


@pytest.mark.parametrize(
    ("cert_of", "key_of", "says"),
    [("post-02", "post-02", "its name (CN) is 'post-02'"), ("post-01", "post-02", "not belong")],
)
def test_config_check_refuses_what_the_broker_would(
    tmp_path: Path, pki: Pki, cert_of: str, key_of: str, says: str
) -> None:
    """Finding 9: a certificate of another post passed `config check`; the broker then
    dropped every publish while status said connected."""
    state, _raw = _post(tmp_path)
    config = tmp_path / "post.toml"
    config.write_text(_broker_toml(pki, "post-01", cert_of, key_of))
    check = borderpost("config", "check", str(config), "--state-dir", str(state))
    assert check.returncode == 2 and says in check.stderr, check.stderr
    assert says in _refused(state, "--config", str(config))


def test_run_refuses_what_it_cannot_do_without_a_traceback(tmp_path: Path, pki: Pki) -> None:
    """Finding 9: no signing key, a missing socket group or a socket path over 107 bytes
    ended `run` in a raw traceback."""
    config = tmp_path / "post.toml"
    config.write_text(
        _broker_toml(pki, "post-01", "post-01", "post-01", '[api]\nsocket_group = "no-such-grp"\n')
    )
    check = borderpost("config", "check", str(config), "--state-dir", str(tmp_path / "s"))
    assert check.returncode == 0 and "warning: [api] socket_group" in check.stderr
    said = _refused(tmp_path / "s", "--config", str(config))
    assert "no-such-grp" in said and "keys init" in said
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    assert "at most 107" in _refused(deep)


def test_a_database_restored_from_its_own_old_copy_loses_nothing(
    tmp_path: Path, broker: Broker
) -> None:
    """Finding 1: a database put back from an older copy of itself keeps its epoch and hands
    out sequences HQ holds; HQ took the new events for duplicates and acknowledged them."""
    state, raw = _post(tmp_path)
    config = _config(tmp_path, broker)
    hq = hq_store(tmp_path, {"post-01": raw})
    rx = receiver_for(hq, broker)
    rx.start()
    run = ("--config", str(config), "--allow-inject")
    try:
        daemon = start_daemon(state, *run)
        _alerts(daemon, 3)
        wait_for(lambda: _stored(hq) == 3, what="3 alerts at HQ")
        daemon.stop()
        shutil.copyfile(state / "events.db", tmp_path / "old-copy.db")
        daemon = start_daemon(state, *run)
        _alerts(daemon, 3)  # sequences 4–6
        wait_for(lambda: _stored(hq) == 6, what="6 alerts at HQ")
        daemon.stop()
        shutil.copyfile(tmp_path / "old-copy.db", state / "events.db")  # the old image
        daemon = start_daemon(state, *run)
        _alerts(daemon, 3)  # sequences 4–6 again, other events
        wait_for(lambda: any(c["kind"] == "seq_reused" for c in hq.conflicts()), what="conflict")
        assert _stored(hq) == 6  # not stored as duplicates, and not acknowledged either
        daemon.stop()
        renewed = borderpost("database", "new-epoch", "--state-dir", str(state))
        assert renewed.returncode == 0 and not json.loads(renewed.stdout)["moved_aside"]
        daemon = start_daemon(state, *run)  # the same events go again, in a new epoch
        wait_for(lambda: _stored(hq) == 9, what="the 3 conflicting alerts stored")
        daemon.stop()
    finally:
        rx.stop()
    assert len(hq.alerts(limit=100, post_id="post-01")) == 9


def test_audit_verify_finds_flipped_bytes_that_quick_check_does_not(tmp_path: Path) -> None:
    """Finding 10: a few flipped bytes gave `internal` on reads while audit verify said ok."""
    state = tmp_path / "state"
    store = Store.open(state / "events.db")
    for i in range(20):
        store.record(NewEvent("rpm.reading", {"note": f"MARKER{i:02d}" + "x" * 40}))
    store.close()
    with sqlite3.connect(state / "events.db") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (state / "events.db").read_bytes()
    at = raw.index(b"MARKER07")
    (state / "events.db").write_bytes(raw[:at] + b"\xff\xfe\xff" + raw[at + 3 :])
    assert epoch.damage(state / "events.db") == []  # the file's structure is intact
    verify = borderpost("audit", "verify", "--json", "--state-dir", str(state))
    assert verify.returncode == 1, verify.stdout
    assert json.loads(verify.stdout)["problems"] == ["unreadable event, sequence 8"]


def test_a_damaged_marker_is_refused_and_new_epoch_replaces_it(tmp_path: Path) -> None:
    epoch.check_state(tmp_path)
    (tmp_path / epoch.MARKER_NAME).write_text("garbage")
    with pytest.raises(epoch.DatabaseRefused, match="unreadable"):
        epoch.check_state(tmp_path)
    renewed = epoch.new_epoch(tmp_path)
    assert renewed["previous"] == "unreadable" and renewed["moved_aside"] == []
    assert epoch.check_state(tmp_path).epoch == renewed["epoch"]
