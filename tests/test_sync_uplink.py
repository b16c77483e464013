"""Uplink settings, and an uplink with no broker: never raises, keeps everything queued."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sync_testkit import MemoryOutbox

from sync import keys, topics
from sync.broker.run import free_port
from sync.uplink import Uplink, UplinkConfig
from sync.uplink_machine import parse_ack


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "ca.crt").write_text("x")
    cfg = UplinkConfig.from_mapping(
        "post-01",
        {"host": "hq.example", "ca_file": "ca.crt"},
        {"compression": "zlib"},
        base_dir=tmp_path,
    )
    assert (cfg.port, cfg.tls, cfg.compression, cfg.batch_max_events) == (8883, True, "zlib", 500)
    assert cfg.ca_file == tmp_path / "ca.crt" and cfg.broker == "hq.example:8883"
    plain = UplinkConfig.from_mapping("post-01", {"host": "127.0.0.1", "tls": False}, None)
    assert plain.port == 1883


@pytest.mark.parametrize(
    ("broker", "sync", "message"),
    [
        ({}, {}, "[broker] host: missing"),
        (
            {"host": "h", "port": 0},
            {},
            "[broker] port = 0: allowed: a whole number from 1 to 65535",
        ),
        ({"host": "h", "tls": "yes"}, {}, "[broker] tls = 'yes': allowed: true or false"),
        ({"host": "h", "ca_file": "/nonexistent/ca.crt"}, {}, "[broker] ca_file"),
        ({"host": "h", "pasword": "x"}, {}, "[broker] pasword: unknown key; allowed keys:"),
        ({"host": "h"}, {"compression": "lz4"}, '"zlib" or "zstd"'),
        ({"host": "h"}, {"batch_max_events": 0}, "[sync] batch_max_events = 0"),
        ({"host": "h"}, {"ack_timeout_s": True}, "[sync] ack_timeout_s = True"),
        ({"host": "bad host!"}, {}, "[broker] host = 'bad host!'"),
    ],
)
def test_bad_settings_name_the_key_and_what_is_allowed(
    broker: dict[str, object], sync: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError) as err:
        UplinkConfig.from_mapping("post-01", broker, sync)
    assert message in str(err.value)


def test_bad_post_id_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\[post\] id"):
        UplinkConfig.from_mapping("../x", {"host": "h"}, {})


def test_no_broker_never_raises_and_keeps_the_outbox() -> None:
    outbox = MemoryOutbox()
    outbox.add(50)
    cfg = UplinkConfig.from_mapping(
        "post-01", {"host": "127.0.0.1", "port": free_port(), "tls": False}, {}
    )
    up = Uplink(cfg, outbox=outbox, signing_key=keys.private_pem(keys.generate()))
    up.start()
    for _ in range(5):
        up.notify()
        time.sleep(0.05)
    state = up.state()
    t0 = time.monotonic()
    up.stop(timeout=1.5)
    assert time.monotonic() - t0 < 5  # a bound against hanging, not a speed check
    assert not state["connected"] and state["in_flight"] == 0 and outbox.backlog() == 50
    assert state["broker"] == cfg.broker and state["last_ack_seq"] is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_ack_parser_never_raises(data: bytes) -> None:
    ack = parse_ack(data)
    assert ack is None or isinstance(ack["ok"], bool)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_topic_parser_never_raises(topic: str) -> None:
    post = topics.post_of(topic)
    assert post is None or topic == f"bp/v1/{post}/{topic.rsplit('/', 1)[1]}"


@pytest.mark.parametrize("post_id", sorted(topics.CHANNEL_NAMES))
def test_a_post_cannot_be_named_after_a_distribution_channel(post_id: str, tmp_path: Path) -> None:
    """bp/v1/<post>/… would sit inside the channel's bp/v1/<channel>/… topics."""
    from sync.wldist.channel import PER_POST_CHANNELS, SHARED_CHANNELS

    assert set(SHARED_CHANNELS) | set(PER_POST_CHANNELS) == topics.CHANNEL_NAMES
    with pytest.raises(ValueError, match="not a channel name"):
        UplinkConfig.from_mapping(post_id, {"host": "h"}, {})
    from edge.config import ConfigError, load

    config = tmp_path / "post.toml"
    config.write_text(f'[post]\nid = "{post_id}"\n')
    with pytest.raises(ConfigError, match="not a channel name"):
        load(config)
