"""Distribution channels: per-channel topics and state, signed channel names, per-post ACL."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sync_testkit import broker, pki, uplink_config, wait_for  # noqa: F401
from wldist_kit import Hq, target

from sync import keys
from sync.broker.run import Broker
from sync.session import Endpoint, Session
from sync.wldist import manifest as mf
from sync.wldist import publish as pub
from sync.wldist.channel import WATCHLIST, Channel, ChannelError
from sync.wldist.hq_client import Sender
from sync.wldist.payload import Channels, build_bytes, publish_bytes
from sync.wldist.trust import Refused


def test_the_watchlist_keeps_its_topics_and_format() -> None:
    assert WATCHLIST.manifest_topic == "bp/v1/wl/manifest" == mf.MANIFEST_TOPIC
    assert WATCHLIST.chunk_topic(3, 1) == "bp/v1/wl/c/3/1" == mf.chunk_topic(3, 1)
    assert WATCHLIST.state_name == "wldist" and WATCHLIST.body_fields() == {}
    pax = Channel("pax", "post-01")
    assert pax.manifest_topic == "bp/v1/pax/post-01/manifest"
    assert pax.chunk_of("bp/v1/pax/post-01/c/4/2") == (4, 2)
    assert pax.chunk_of("bp/v1/pax/post-02/c/4/2") is None
    for bad in (("PAX", ""), ("pax", "a/b"), ("pax", "#"), ("x", "")):
        with pytest.raises(ChannelError):
            Channel(*bad)


def _signed(tmp_path: Path, channel: Channel) -> tuple[bytes, Any]:
    root_key, root_pub = pub.root_init(tmp_path / "root")
    pub.publisher_init(root_key, tmp_path / "hq", 30)
    state = {"version": 0, "snapshot": 0, "published": {}}
    plan = build_bytes(channel, b"payload", state, pub.Signer.load(tmp_path / "hq"), expires_s=60)
    return plan.message, keys.load_public(root_pub)


@pytest.mark.parametrize(
    "reader", [Channel("pax", "post-02"), WATCHLIST, Channel("rules"), Channel("pax")]
)
def test_a_manifest_is_refused_on_another_channel_or_post(tmp_path: Path, reader: Channel) -> None:
    message, root = _signed(tmp_path, Channel("pax", "post-01"))
    m, _ = mf.parse_message(message, root, time.time(), None, Channel("pax", "post-01"))
    assert (m.channel, m.posts) == ("pax", ("post-01",))
    with pytest.raises(Refused) as exc:
        mf.parse_message(message, root, time.time(), None, reader)
    assert exc.value.code == "other_channel"


class Recorder:
    """An applier keeping what it was given."""

    def __init__(self) -> None:
        self.current = 0
        self.payloads: list[bytes] = []
        self.refusals: list[str] = []
        self.got = threading.Event()

    def version(self) -> int:
        return self.current

    def apply(self, m: mf.Manifest, data: bytes) -> None:
        self.current = m.version
        self.payloads.append(data)
        self.got.set()

    def refused(self, code: str, message: str, details: dict[str, Any]) -> None:
        self.refusals.append(code)


def _publish(hq: Hq, broker: Broker, channel: Channel, data: bytes) -> dict[str, Any]:
    with Sender(target(broker)) as s:
        return publish_bytes(hq.dir, channel, data, s.send, expires_s=600, entries=1)


def test_each_post_gets_its_own_payload_and_cannot_read_another(
    tmp_path: Path, broker: Broker
) -> None:
    hq = Hq(tmp_path, broker)
    big = bytes(range(256)) * 4000  # 1 MB, several chunks
    _publish(hq, broker, Channel("pax", "post-01"), b"for post-01 only")
    summary = _publish(hq, broker, Channel("pax", "post-01"), big)
    assert summary["version"] == 2 and summary["chunks"] > 1
    _publish(hq, broker, Channel("pax", "post-02"), b"for post-02")
    _publish(hq, broker, Channel("rules"), b"rules for all")
    post1, rules = Recorder(), Recorder()
    chans = Channels(
        uplink_config(broker, "post-01"), tmp_path / "p1", keys.load_public(hq.root_pub)
    )
    chans.register(Channel("pax", "post-01"), post1)
    chans.register(Channel("rules"), rules)
    seen: list[str] = []
    spy = Session(Endpoint.of(uplink_config(broker, "post-02")), "post-02")
    spy.route("bp/v1/#", lambda msg: seen.append(msg.topic))
    granted: list[bool] = []
    spy.when_connected(lambda: _spy_subscribe(spy, granted))
    chans.start()
    spy.start()
    try:
        wait_for(lambda: post1.current == 2 and rules.current == 1, 20, "payloads applied")
        assert post1.payloads[-1] == big and rules.payloads == [b"rules for all"]
        wait_for(lambda: len(granted) == 3, 10, "spy subscriptions answered")
        wait_for(lambda: any("post-02" in t for t in seen), 10, "post-02 reads its own")
        time.sleep(0.5)
        assert not [t for t in seen if "post-01" in t], seen
        assert post1.refusals == [] and rules.refusals == []
        assert (tmp_path / "hq" / "channels" / "pax" / "post-01" / "state.json").exists()
    finally:
        chans.stop()
        spy.stop()


def _spy_subscribe(spy: Session, granted: list[bool]) -> None:
    for topic in ("bp/v1/pax/post-01/#", "bp/v1/pax/#", "bp/v1/pax/post-02/#"):
        spy.subscribe(topic, granted=granted.append)


def test_a_post_cannot_publish_on_a_channel(tmp_path: Path, broker: Broker) -> None:
    hq = Hq(tmp_path, broker)
    _publish(hq, broker, Channel("pax", "post-02"), b"genuine")
    forger = Session(Endpoint.of(uplink_config(broker, "post-01")), "post-01")
    forger.connect(10)
    try:
        info = forger.publish("bp/v1/pax/post-02/manifest", b"{}", retain=True)
        info.wait_for_publish(5)
    finally:
        forger.stop()
    got: list[bytes] = []
    post2 = Recorder()
    chans = Channels(
        uplink_config(broker, "post-02"), tmp_path / "p2", keys.load_public(hq.root_pub)
    )
    chans.register(Channel("pax", "post-02"), post2)
    chans.start()
    try:
        wait_for(lambda: post2.current == 1, 20, "post-02 applied")
        got = post2.payloads
    finally:
        chans.stop()
    assert got == [b"genuine"] and post2.refusals == []
