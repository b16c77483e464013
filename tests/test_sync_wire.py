"""The batch wire format: round trip, size, strict refusal of forged/malformed/oversized input."""

from __future__ import annotations

import contextlib
import zlib

import cbor2
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_testkit import make_event

from sync import keys, wire

KEY = keys.generate()
PUB = KEY.public_key()
OTHER = keys.generate()


def _batch(n: int = 10, priority: int = 0, post: str = "post-01") -> wire.Batch:
    events = tuple(make_event(s, priority) for s in range(1, n + 1))
    return wire.Batch(post, wire.new_batch_id(), 1_764_000_000.5, 42, 3, events)


@pytest.mark.parametrize("codec", ["none", "zlib", "zstd"])
def test_round_trip_keeps_every_field(codec: str) -> None:
    batch = _batch(50)
    back = wire.decode_batch(wire.encode_batch(batch, KEY, codec), PUB, "post-01")
    assert back.batch_id == batch.batch_id and back.backlog == 42 and back.evicted == 3
    for a, b in zip(batch.events, back.events, strict=True):
        assert (a.seq, a.uuid, a.kind, a.priority, a.clock_synced, a.lane, a.device, a.payload) == (
            b.seq,
            b.uuid,
            b.kind,
            b.priority,
            b.clock_synced,
            b.lane,
            b.device,
            b.payload,
        )
        assert abs(a.wall_time - b.wall_time) < 1e-6 and abs(a.mono_time - b.mono_time) < 1e-6


def test_routine_events_are_small_and_an_alert_fits() -> None:
    routine = wire.encode_batch(_batch(500), KEY, "zstd")
    alert = wire.encode_batch(_batch(1, priority=2), KEY, "zstd")
    assert len(routine) / 500 <= 80
    assert len(alert) <= 400


def test_wrong_key_is_forged() -> None:
    data = wire.encode_batch(_batch(), OTHER, "zstd")
    with pytest.raises(wire.WireError) as err:
        wire.decode_batch(data, PUB, "post-01")
    assert err.value.reason == "forged"


def test_a_flipped_byte_is_forged() -> None:
    data = bytearray(wire.encode_batch(_batch(), KEY, "zlib"))
    data[20] ^= 0x01
    with pytest.raises(wire.WireError) as err:
        wire.decode_batch(bytes(data), PUB, "post-01")
    assert err.value.reason == "forged"


def test_batch_of_another_post_on_this_topic_is_forged() -> None:
    data = wire.encode_batch(_batch(post="post-02"), KEY, "zstd")
    with pytest.raises(wire.WireError) as err:
        wire.decode_batch(data, PUB, "post-01")
    assert err.value.reason == "forged"


def test_oversized_wire_and_body_are_refused() -> None:
    with pytest.raises(wire.WireError) as err:
        wire.decode_batch(b"BP\x01\x02" + b"\0" * wire.MAX_WIRE_BYTES, PUB, "post-01")
    assert err.value.reason == "oversized"
    bomb = zlib.compress(cbor2.dumps(["x" * (wire.MAX_BODY_BYTES + 10)]), 9)
    signed = wire.MAGIC + b"\x01" + bomb
    with pytest.raises(wire.WireError) as err:
        wire.decode_batch(signed + KEY.sign(signed), PUB, "post-01")
    assert err.value.reason == "oversized"


def _signed(body: object, codec: int = 2) -> bytes:
    raw = cbor2.dumps(body)
    comp = zstandard.ZstdCompressor().compress(raw) if codec == 2 else raw
    signed = wire.MAGIC + bytes([codec]) + comp
    return signed + KEY.sign(signed)


@pytest.mark.parametrize(
    "body",
    [
        "not a list",
        ["post-01", b"x" * 12, 1.0, 0, 0, 1, 0, 0],
        ["post-01", b"short", 1.0, 0, 0, 1, 0, 0, []],
        ["post-01", b"x" * 12, 1.0, -1, 0, 1, 0, 0, []],
        [
            "post-01",
            b"x" * 12,
            1.0,
            0,
            0,
            1,
            0,
            0,
            [[0, b"u" * 16, "k", 0, 0, 0, 1, None, None, {}]],
        ],
        [
            "post-01",
            b"x" * 12,
            1.0,
            0,
            0,
            0,
            0,
            0,
            [[0, b"u" * 16, "k", 0, 0, 0, True, None, None, {}]],
        ],
        ["post-01", b"x" * 12, float("nan"), 0, 0, 1, 0, 0, []],
        [
            "post-01",
            b"x" * 12,
            1.0,
            0,
            0,
            1,
            0,
            0,
            [[0, b"u" * 16, "k", 0, 0, 0, True, None, None, {"t": cbor2.CBORTag(1, 5)}]],
        ],
    ],
)
def test_signed_but_malformed_bodies_are_refused(body: object) -> None:
    with pytest.raises(wire.WireError) as err:
        wire.decode_batch(_signed(body), PUB, "post-01")
    assert err.value.reason == "malformed"


def test_duplicate_events_inside_one_batch_are_refused() -> None:
    row = [0, b"u" * 16, "k", 0, 0, 0, True, None, None, {}]
    body = ["post-01", b"x" * 12, 1.0, 0, 0, 1, 0, 0, [row, row]]
    with pytest.raises(wire.WireError):
        wire.decode_batch(_signed(body), PUB, "post-01")


def test_unknown_version_and_codec_are_unsupported() -> None:
    good = wire.encode_batch(_batch(), KEY, "zstd")
    for bad in (good[:2] + b"\x09" + good[3:], good[:3] + b"\x07" + good[4:]):
        with pytest.raises(wire.WireError) as err:
            wire.decode_batch(bad, PUB, "post-01")
        assert err.value.reason == "unsupported"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_only_raise_wire_error(data: bytes) -> None:
    with pytest.raises(wire.WireError):
        wire.decode_batch(data, PUB, "post-01")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_signed_bodies_only_raise_wire_error(body: bytes) -> None:
    signed = wire.MAGIC + b"\x00" + body
    with contextlib.suppress(wire.WireError):
        wire.decode_batch(signed + KEY.sign(signed), PUB, "post-01")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_arbitrary_cbor_values_only_raise_wire_error(data: st.DataObject) -> None:
    leaf = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=8)
        | st.binary(max_size=20)
    )
    value = data.draw(
        st.recursive(
            leaf,
            lambda c: (
                st.lists(c, max_size=10) | st.dictionaries(st.text(max_size=5), c, max_size=5)
            ),
            max_leaves=40,
        )
    )
    with contextlib.suppress(wire.WireError):
        wire.decode_batch(_signed(value, codec=0), PUB, "post-01")


def test_odd_events_are_clamped_not_refused() -> None:
    from dataclasses import replace

    odd = replace(make_event(1), kind="k" * 300, lane="", device="d" * 99, priority=7)
    deep: dict[str, object] = {"v": 1}
    for _ in range(12):
        deep = {"n": deep}
    nested = replace(make_event(2), payload=deep)
    batch = wire.Batch("post-01", wire.new_batch_id(), 1.0, 0, 0, (odd, nested))
    back = wire.decode_batch(wire.encode_batch(batch, KEY), PUB, "post-01")
    assert back.events[0].kind == "k" * 64 and back.events[0].lane == ""
    assert back.events[1].payload == deep


def test_numbers_beyond_what_a_database_holds_are_malformed() -> None:
    row = [0, b"u" * 16, "k", 0, 0, 0, True, None, None, {}]
    for body in (
        ["post-01", b"x" * 12, 1.0, 2**64 - 1, 0, 1, 0, 0, []],
        ["post-01", b"x" * 12, 1.0, 0, 0, 2**60, 0, 0, [row]],
    ):
        with pytest.raises(wire.WireError) as err:
            wire.decode_batch(_signed(body), PUB, "post-01")
        assert err.value.reason == "malformed"
