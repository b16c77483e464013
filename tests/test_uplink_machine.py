"""The uplink's decisions without a broker or an outbox (sans-IO): inputs in, actions out."""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from sync import keys, topics, wire
from sync.outbox import PRIORITY_ALERT, OutboundEvent
from sync.uplink_config import UplinkConfig
from sync.uplink_machine import Acknowledge, Publish, UplinkMachine, offline_status

KEY = keys.generate()
POST = "post-07"


def _cfg(**sync: Any) -> UplinkConfig:
    section = {"batch_max_delay_s": 0.5, "ack_timeout_s": 2.0, "max_in_flight": 2, **sync}
    return UplinkConfig.from_mapping(POST, {"host": "hq.invalid", "tls": False}, section)


def _event(seq: int, priority: int = 0, size: int = 10) -> OutboundEvent:
    return OutboundEvent(
        seq,
        str(uuid.UUID(int=seq)),
        "mrz",
        priority,
        1.0e9,
        5.0,
        True,
        "1",
        "mrz-1",
        {"x": random.Random(seq).randbytes(size // 2).hex()},
    )


def _ack(p: Publish, ok: bool = True) -> bytes:
    assert p.correlation is not None
    return json.dumps({"v": 1, "batch": p.correlation.hex(), "ok": ok, "hwm": 3}).encode()


def _online(**sync: Any) -> UplinkMachine:
    m = UplinkMachine(_cfg(**sync), KEY)
    assert m.connected(0.0) == []  # nothing in flight yet
    return m


def _seqs(p: Publish) -> list[int]:
    batch = wire.decode_batch(p.payload, KEY.public_key(), POST)
    return [e.seq for e in batch.events]


def test_routine_rows_wait_for_the_batch_delay_then_go_as_one_signed_batch() -> None:
    m = _online()
    assert m.rows([_event(1), _event(2)], now=0.0, wall=1.0e9) == []  # held
    assert m.next_wakeup(0.1) <= 0.4
    (p,) = m.rows([_event(1), _event(2)], now=0.6, wall=1.0e9)
    assert isinstance(p, Publish) and p.topic == topics.batch(POST)
    assert p.response_topic == topics.ack(POST) and _seqs(p) == [1, 2]
    assert m.want() is not None and m.want().exclude == (1, 2)  # type: ignore[union-attr]


def test_an_alert_goes_at_once_and_only_an_ok_ack_empties_the_outbox() -> None:
    m = _online()
    (p,) = m.rows([_event(5, PRIORITY_ALERT)], now=0.0, wall=1.0e9)
    assert m.ack(_ack(p, ok=False)) == [] and m.stats["nacks"] == 1
    assert m.ack(_ack(p)) == [Acknowledge((5,))]
    assert m.ack(_ack(p)) == []  # a late duplicate ack changes nothing
    assert m.ack(b"{not json") == [] and m.flights == {}
    assert m.state()["acked_events"] == 1 and m.state()["last_ack_seq"] == 5


def test_an_unacknowledged_batch_is_resent_with_the_same_bytes_backing_off() -> None:
    m = _online()
    (p,) = m.rows([_event(1, PRIORITY_ALERT)], now=0.0, wall=1.0e9)
    assert m.tick(1.9) == []
    assert m.tick(2.0) == [p]  # the same batch id and bytes: HQ stores it once
    assert m.tick(5.9) == []  # the second wait is twice as long
    assert m.tick(6.0) == [p]


def test_by_default_routine_batches_wait_a_minute_for_their_ack_and_alerts_ten_seconds() -> None:
    # HQ merely behind must not be sent every routine batch again (it doubled HQ's work),
    # nor every minute while it stays behind;
    # an alert lost with a receiver that died is sent again soon; a routine batch held for
    # the batch delay leaves at once with an alert.
    m = UplinkMachine(
        UplinkConfig.from_mapping(POST, {"host": "hq.invalid", "tls": False}, {}), KEY
    )
    m.connected(0.0)
    assert m.cfg.ack_timeout_s == 60.0
    assert m.rows([_event(1)], now=0.0, wall=1.0e9) == []  # held
    (routine,) = m.rows([_event(1)], now=0.5, wall=1.0e9)
    assert m.rows([_event(2)], now=1.0, wall=1.0e9) == []  # held
    (alert,) = m.rows([_event(3, PRIORITY_ALERT), _event(2)], now=1.2, wall=1.0e9)
    assert _seqs(alert) == [3, 2]
    sent: dict[bytes | None, list[float]] = {alert.correlation: [], routine.correlation: []}
    for step in range(13, 14000):  # every 0.1 s for 23 minutes
        for p in m.tick(step / 10):
            assert isinstance(p, Publish) and p in (alert, routine)
            sent[p.correlation].append(step / 10)
    alert_times = [11.2, 31.2, 71.2, 131.2, 191.2, 251.2]  # a minute apart at most
    assert sent[alert.correlation][:6] == alert_times
    assert sent[routine.correlation] == [60.5, 180.5, 420.5, 660.5, 900.5, 1140.5, 1380.5]  # 4 min


def test_a_reconnect_resends_everything_in_flight_alerts_first() -> None:
    m = _online(max_in_flight=4)
    assert m.rows([_event(1)], now=1.0, wall=1.0e9) == []  # held for the batch delay
    (routine,) = m.rows([_event(1)], now=2.0, wall=1.0e9)
    (alert,) = m.rows([_event(2, PRIORITY_ALERT)], now=3.0, wall=1.0e9)
    m.disconnected()
    assert m.tick(100.0) == [] and m.want() is None  # nothing is sent while offline
    assert m.connected(101.0) == [alert, routine]


def test_a_full_window_takes_only_alerts_and_two_more_alert_batches() -> None:
    m = _online(max_in_flight=1)
    m.rows([_event(1, PRIORITY_ALERT)], now=0.0, wall=1.0e9)
    want = m.want()
    assert want is not None and want.alerts_only
    assert m.rows([_event(2)], now=9.0, wall=1.0e9) == []  # routine waits for a free slot
    assert len(m.rows([_event(3, PRIORITY_ALERT), _event(2)], now=9.0, wall=1.0e9)) == 1
    assert len(m.rows([_event(4, PRIORITY_ALERT)], now=9.0, wall=1.0e9)) == 1
    assert m.want() is None


def test_a_batch_over_the_wire_limit_is_split() -> None:
    m = _online(batch_max_events=5000, batch_max_bytes=400_000)
    big = [_event(i, PRIORITY_ALERT, size=400_000) for i in range(1, 5)]
    sent = m.rows(big, now=0.0, wall=1.0e9)
    assert len(sent) > 1
    assert sorted(s for p in sent if isinstance(p, Publish) for s in _seqs(p)) == [1, 2, 3, 4]


def test_status_is_retained_and_carries_the_outbox_counters() -> None:
    m = _online()
    assert m.status_due(0.0) and m.counters_due(0.0)
    m.counters(backlog=12, evicted=3, now=0.0)
    p = m.status({"watchlist_version": 7}, now=0.0, wall=1.0e9)
    body = json.loads(p.payload)
    assert p.retain and p.topic == topics.status(POST)
    assert body["online"] and body["backlog"] == 12 and body["evicted"] == 3
    assert body["watchlist_version"] == 7 and not m.status_due(1.0)
    assert json.loads(offline_status(POST))["online"] is False


def test_a_batch_over_the_brokers_packet_limit_is_sent_again_in_batches_that_fit() -> None:
    """A broker with a smaller maximum packet size than the batch in flight: re-sending it
    would have the broker cut the connection on every reconnect, for ever (issue 25, 12)."""
    m = _online(batch_max_events=40)
    events = [_event(seq, PRIORITY_ALERT, size=3000) for seq in range(1, 21)]
    (big,) = m.rows(events, now=0.0, wall=1.0e9)
    m.disconnected()
    assert m.connected(1.0, max_packet=20_000) == []  # not re-sent whole
    assert m.want() is not None and m.want().exclude == ()  # type: ignore[union-attr]
    sent = m.rows(events, now=1.0, wall=1.0e9)
    assert len(sent) > 1 and all(len(p.payload) <= 18_000 for p in sent)  # type: ignore[union-attr]
    assert sorted(s for p in sent for s in _seqs(p)) == list(range(1, 21))  # type: ignore[arg-type]
    assert m.stats["split_batches"] >= 2 and len(big.payload) > 20_000  # type: ignore[union-attr]


def test_an_event_alone_over_the_limit_goes_with_a_note_instead_of_its_payload() -> None:
    m = _online()
    m.connected(0.0, max_packet=4_000)
    (p,) = m.rows([_event(1, PRIORITY_ALERT, size=20_000)], now=0.0, wall=1.0e9)
    (event,) = wire.decode_batch(p.payload, KEY.public_key(), POST).events  # type: ignore[union-attr]
    assert event.payload == {"truncated": True, "kind": "mrz"} and m.stats["truncated_events"] == 1
