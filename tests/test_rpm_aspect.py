"""The Aspect portal: register decoding (golden values of the register map) and the lane monitor."""

from __future__ import annotations

import logging
import struct

import pytest

from drivers.base import DriverError
from drivers.registry import ASPECT_RPM, check_options, spec_for
from drivers.rpm import aspect, neutron
from drivers.rpm.aspect import Channel, Sample, decode_monitor, encode_monitor
from drivers.rpm.aspect_device import settings_from
from drivers.rpm.aspect_monitor import AspectMonitor, AspectSettings
from drivers.rpm.device import to_reading
from drivers.rpm.faults import Fault
from drivers.rpm.occupancy import OccupancyRecord

# Check values of ../shared/testdata/n42/ASPECT-MODBUS.md: (value, reg[n] low, reg[n+1] high).
FLOATS = [(10.0, 0x0000, 0x4120), (1234.5, 0x5000, 0x449A), (0.25, 0x0000, 0x3E80)]
INTS = [(100000, 0x86A0, 0x0001), (70000, 0x1170, 0x0001), (-1, 0xFFFF, 0xFFFF)]


@pytest.mark.parametrize(("value", "low", "high"), FLOATS)
def test_floats_are_low_word_first(value: float, low: int, high: int) -> None:
    assert aspect.f32([low, high], 0) == value
    assert aspect.words_f32(value) == (low, high)


@pytest.mark.parametrize(("value", "low", "high"), INTS)
def test_integers_are_low_word_first_and_signed(value: int, low: int, high: int) -> None:
    assert aspect.i32([low, high], 0) == value
    assert aspect.words_i32(value) == (low, high)


def test_swapped_word_order_gives_the_map_s_wrong_values() -> None:
    assert aspect.f32([0x4120, 0x0000], 0) == pytest.approx(1.4e-40, rel=0.05)
    assert aspect.i32([0x0001, 0x86A0], 0) != 100000  # 100000's registers the wrong way round
    assert aspect.i32([0x0000, 0x4120], 0) == 1092616192  # 10.0's pattern read as an integer


def block(**over: int) -> list[int]:
    """A monitor block as the portal would send it, registers set one by one."""
    regs = [0] * 21
    regs[0:2] = [0x86A0, 0x0001]  # time 100000
    regs[2] = 0x0041  # Occup0 + Dir01
    regs[3] = 0x0081  # gamma Ready + Alarm1
    regs[4:6] = [0x1170, 0x0001]  # gamma count 70000
    regs[6:8] = [0x5000, 0x449A]  # gamma background 1234.5
    regs[8:10] = [0x0000, 0x4120]  # gamma variance 10.0
    regs[10] = 0x0090  # neutron Ready + LowCount
    regs[11:13] = [0x0007, 0x0000]  # neutron count 7
    regs[13:15] = [0x0000, 0x3E80]  # neutron background 0.25
    regs[15:17] = [0x0000, 0x3E80]
    regs[17], regs[18], regs[19], regs[20] = 42, 3, 2222, 0x0101  # counter, mark, speed, outputs
    for key, value in over.items():
        regs[int(key[1:])] = value
    return regs


def test_monitor_block_golden() -> None:
    s = decode_monitor(block())
    assert s.elapsed == 100000 and s.occupied and s.direction == "01"
    assert (s.gamma.count, s.gamma.background, s.gamma.variance) == (70000, 1234.5, 10.0)
    assert s.gamma.alarm and not s.gamma.low and not s.neutron.alarm and s.neutron.low
    assert (s.neutron.count, s.neutron.background) == (7, 0.25)
    assert (s.object_counter, s.object_mark, s.speed, s.outputs) == (42, 3, 2222, 0x0101)
    assert aspect.unknown_bits(s) == {}
    assert list(encode_monitor(s)) == block()
    assert decode_monitor(block(r2=0x00C0)).direction is None  # both direction bits


def test_unknown_bits_are_reported_not_interpreted() -> None:
    s = decode_monitor(block(r2=0x1041, r3=0x0104, r20=0x8081))
    assert aspect.unknown_bits(s) == {"inputs": 0x1000, "gamma_status": 0x0104,
                                      "outputs": 0x8080}  # fmt: skip


def test_bad_blocks_are_refused() -> None:
    with pytest.raises(aspect.RegisterError, match="want 21"):
        decode_monitor([0] * 20)
    with pytest.raises(aspect.RegisterError, match="outside"):
        decode_monitor([70000] + [0] * 20)


def test_description_block_and_a_moved_monitor_block() -> None:
    d = aspect.decode_description([0xA5EC, 29, 1, 100, 21, 5, 6, 7])
    assert d.mismatch() is None and d.spare == (5, 6, 7)
    moved = aspect.decode_description([0xA5EC, 29, 1, 200, 30, 0, 0, 0])
    assert "200" in (moved.mismatch() or "")


def test_a_modbus_url_is_an_aspect_portal_and_bad_options_are_named() -> None:
    assert spec_for("rpm", "modbus://10.0.0.5:502") is ASPECT_RPM
    assert spec_for("rpm", "socket://10.0.0.5:1600") is not ASPECT_RPM
    link, lane = settings_from("modbus://portal", {"unit": 3, "sigma": 4.5})
    assert (link.host, link.port, link.units, lane.sigma) == ("portal", 502, (3,), 4.5)
    assert settings_from("modbus://portal:1502", {})[0].units == tuple(range(1, 32))
    with pytest.raises(DriverError, match="unit_to"):
        check_options("rpm", "modbus://portal", {"unit_from": 9, "unit_to": 2})
    with pytest.raises(DriverError, match="gremlins"):
        check_options("rpm", "modbus://portal", {"gremlins": 1})
    with pytest.raises(DriverError, match=r"unit = 1.5; must be a whole number from 0 to 247"):
        check_options("rpm", "modbus://portal", {"unit": 1.5})  # was polled as unit 1
    with pytest.raises(DriverError, match="modbus://HOST"):
        settings_from("modbus://:0", {})


# -- the lane monitor -------------------------------------------------------------


def sample(count: int = 306, occupied: bool = False, counter: int = 1, inputs: int = 0,
           gamma_alarm: bool = False, neutron: int = 1) -> Sample:  # fmt: skip
    gamma = Channel(0x81 if gamma_alarm else 0x80, count, 306.0, 306.0)
    n = Channel(0x80, neutron, 1.24, 1.24)
    return Sample(0, inputs | (0x41 if occupied else 0), gamma, n, counter, 0, 2222, 0)


def run(monitor: AspectMonitor, samples: list[Sample], t0: float = 0.0) -> list[object]:
    out: list[object] = []
    for i, s in enumerate(samples):
        out += monitor.poll(s, t0 + 0.2 * i)
    return out


def test_an_occupancy_with_a_hot_second_alarms_like_the_device() -> None:
    m = AspectMonitor(AspectSettings(), status_every_s=None)
    hot = [sample(306 + 60, True, 2, gamma_alarm=True)] * 5
    quiet = [sample(306, True, 2)] * 10
    events = run(m, [sample()] * 10 + quiet + hot + quiet + [sample(counter=2)] * 3)
    occ = [e for e in events if isinstance(e, OccupancyRecord)]
    assert len(occ) == 1 and not [e for e in events if isinstance(e, Fault)]
    rec = occ[0]
    assert rec.number == 2 and rec.gamma_verdict.alarm and rec.device_gamma_alarm
    assert not rec.disagreement and len(rec.gamma) == 25 and len(rec.neutron) == 5
    assert rec.gamma_background_cps == (1530.0,) and rec.speed_kmh == 8.0
    assert rec.neutron_verdict.background_cps == pytest.approx(6.2)
    reading = to_reading(rec)
    assert reading.priority == 2 and reading.alert == "radiation"
    assert rec.start == pytest.approx(2.0)  # no back-dating: the poll that saw the sensor


def test_the_poll_that_sees_the_end_finds_the_neutron_threshold_computed() -> None:
    m = AspectMonitor(AspectSettings(), status_every_s=None)
    neutron.calibrate.cache_clear()
    for start, polls in ((0.0, 12), (20.0, 15)):  # ends with a part second, and on a whole one
        run(m, [sample()] * 5 + [sample(306, True, polls)] * polls, t0=start)
        computed = neutron.calibrate.cache_info().misses
        events = run(m, [sample(counter=polls)] * 2, t0=start + 10.0)
        rec = next(e for e in events if isinstance(e, OccupancyRecord))
        assert len(rec.neutron) == -(-polls // 5) and rec.neutron_verdict.statistic_threshold
        assert neutron.calibrate.cache_info().misses == computed  # nothing left for the close


def test_quiet_occupancy_is_clear_and_a_vehicle_already_inside_at_start_is_skipped() -> None:
    m = AspectMonitor(AspectSettings(), status_every_s=None)
    events = run(m, [sample(occupied=True)] * 5 + [sample()] * 5 + [sample(occupied=True)] * 10
                 + [sample()])  # fmt: skip
    occ = [e for e in events if isinstance(e, OccupancyRecord)]
    assert len(occ) == 1 and not occ[0].alarm and not occ[0].disagreement
    assert len(occ[0].gamma) == 10


def test_a_new_object_counter_while_occupied_is_the_next_vehicle() -> None:
    m = AspectMonitor(AspectSettings(), status_every_s=None)
    events = run(m, [sample()] * 3 + [sample(occupied=True, counter=8)] * 10
                 + [sample(occupied=True, counter=9)] * 10 + [sample(counter=9)])  # fmt: skip
    occ = [e for e in events if isinstance(e, OccupancyRecord)]
    assert [(o.number, len(o.gamma)) for o in occ] == [(8, 10), (9, 10)]


def test_status_bits_raise_and_clear_faults_and_silence_means_not_protected(
    caplog: pytest.LogCaptureFixture,
) -> None:
    m = AspectMonitor(AspectSettings(silence_s=3.0), status_every_s=None)
    run(m, [sample()] * 3)
    with caplog.at_level(logging.WARNING):
        raised = m.poll(sample(inputs=0x0400 | 0x2000), 1.0)
    assert [(f.kind, f.active) for f in raised if isinstance(f, Fault)] == [("door-open", True)]
    assert "0x2000" in caplog.text and not m.faults.protected
    cleared = m.poll(sample(), 1.2)
    assert [(f.kind, f.active) for f in cleared if isinstance(f, Fault)] == [("door-open", False)]
    silent = [e for t in range(2, 8) for e in m.miss(float(t))]
    assert [f.kind for f in silent if isinstance(f, Fault)] == ["silence"]
    assert m.status(8.0).faults == ("silence",) and m.missed == 6
    back = m.poll(sample(), 8.2)
    assert [(f.kind, f.active) for f in back if isinstance(f, Fault)] == [("silence", False)]


def test_device_neutron_flag_without_ours_is_a_disagreement() -> None:
    m = AspectMonitor(AspectSettings(), status_every_s=None)
    flagged = Sample(0, 0x41, Channel(0x80, 306, 306.0, 306.0), Channel(0x82, 1, 1.24, 1.24),
                     5, 0, 0, 1)  # fmt: skip
    events = run(m, [sample()] * 3 + [flagged] * 10 + [sample(counter=5)])
    kinds = [e.kind for e in events if isinstance(e, Fault)]
    occ = [e for e in events if isinstance(e, OccupancyRecord)]
    assert occ[0].device_neutron_alarm and not occ[0].neutron_verdict.alarm
    assert kinds == ["disagreement"]


def test_struct_agrees_with_our_decoder_on_random_patterns() -> None:
    import random

    rng = random.Random(4)
    for _ in range(200):
        bits = rng.getrandbits(32)
        low, high = bits & 0xFFFF, bits >> 16
        assert aspect.i32([low, high], 0) == struct.unpack("<i", struct.pack("<I", bits))[0]
