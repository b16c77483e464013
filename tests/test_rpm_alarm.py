"""RPM occupancies, alarm check and fault rules: the shared recording and each rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from drivers.base import DriverError
from drivers.rpm import alarm, background
from drivers.rpm.device import RpmMonitor, Settings, make_decoder, to_reading
from drivers.rpm.faults import Fault
from drivers.rpm.occupancy import OccupancyRecord
from drivers.rpm.sim import SimConfig, Simulator
from tests.conftest import TESTDATA

RECORDING = TESTDATA / "rpm" / "rapiscanlabs_S2-C0-NONE.csv"  # MIT, copied with its licence
needs_data = pytest.mark.skipif(
    not RECORDING.exists(), reason=f"RPM recording {RECORDING} is missing from the checkout"
)


def replay(data: bytes, **settings: object) -> list[object]:
    m = RpmMonitor(Settings(**settings), recorded_time=True, status_every_s=None)  # type: ignore[arg-type]
    return m.feed(data, 0.0) + m.finish()


def live(lines: list[tuple[float, bytes]], **settings: object) -> tuple[RpmMonitor, list[object]]:
    m = RpmMonitor(Settings(**settings), status_every_s=None)  # type: ignore[arg-type]
    out: list[object] = []
    for t, line in lines:
        out += m.tick(t) + m.feed(line, t)
    return m, out


def faults(events: list[object], active: bool = True) -> list[str]:
    return [e.kind for e in events if isinstance(e, Fault) and e.active == active]


def occupancies(events: list[object]) -> list[OccupancyRecord]:
    return [e for e in events if isinstance(e, OccupancyRecord)]


@needs_data
def test_recording_gives_25_quiet_occupancies_we_agree_with() -> None:
    events = replay(RECORDING.read_bytes())
    occ = occupancies(events)
    assert [o.number for o in occ] == list(range(17, 42))
    assert not any(o.device_gamma_alarm or o.device_neutron_alarm for o in occ)
    assert not any(o.gamma_verdict.alarm or o.neutron_verdict.alarm for o in occ)
    assert not any(o.disagreement for o in occ)
    first = occ[0]
    assert first.speed_kmh == 8.21  # 99.999 mph readings discarded
    assert first.gamma_background_cps == (381.0, 378.0, 409.0, 388.0) or sum(
        first.gamma_background_cps
    ) == pytest.approx(1556)
    # the lane's own average of the NB1 sums two minutes apart (:30:00.918 and :32:05.914),
    # not the GX value 6.683; two windows, so a part of the budget
    assert first.neutron_verdict.background_cps == pytest.approx((6.23333406 + 6.45000027) / 2)
    two_windows = background.NeutronBackground()
    two_windows.add(6.0, 0.0)
    two_windows.add(6.0, background.WINDOW_S)
    assert first.neutron_verdict.false_alarm <= two_windows.budget(alarm.DEFAULT_NEUTRON_P)
    assert occ[-1].neutron_verdict.false_alarm > alarm.DEFAULT_NEUTRON_P * 0.8  # five: all of it
    # back-dated: the GS burst at :20.158 holds the second before the trigger
    assert first.start < 1464712339.907 and first.end == pytest.approx(1464712350.728)
    assert faults(events) == ["setup-missing"]  # the recording has no SG lines


def counts(rows: int, per: int = 76) -> list[tuple[int, int, int, int]]:
    return [(per, per, per, per)] * rows


def test_gamma_threshold_is_b_plus_n_root_b() -> None:
    bg = (380.0, 380.0, 380.0, 380.0)  # B(all, 1 s) = 1520
    quiet = alarm.gamma_check(counts(20), bg)
    assert not quiet.alarm and quiet.peak_sigma == pytest.approx(0.0)
    assert quiet.threshold_1s == pytest.approx(1520 + 5 * math.sqrt(1520), abs=1e-3)
    excess = 5.2 * math.sqrt(1520) / 5  # per interval, all detectors
    rows = counts(10) + [(76 + round(excess / 4),) * 4] * 5 + counts(10)  # type: ignore[list-item]
    hot = alarm.gamma_check(rows, bg)
    assert hot.alarm and hot.peak_sigma > 5 and hot.peak_group == "all"
    assert not hot.norm_suspect  # 1 s wide: a point source, not NORM
    assert not alarm.gamma_check(rows, bg, n=6).alarm


def test_one_side_alarms_in_its_pair_sum() -> None:
    bg = (380.0,) * 4
    side = 4.5 * math.sqrt(760) / 5 / 2  # 4.5 sigma of 1+2 but < 5 sigma overall ... then more
    rows = counts(10) + [(76 + round(side * 1.3), 76 + round(side * 1.3), 76, 76)] * 5
    v = alarm.gamma_check(rows, bg)
    assert v.alarm and v.peak_group == "1+2"


def test_a_slow_broad_source_below_the_1s_threshold_alarms_in_its_2s_sum() -> None:
    bg = (380.0,) * 4  # B = 1520 a second
    rows = counts(10) + [(84, 84, 84, 84)] * 10 + counts(10)  # +32 an interval for 2 s
    v = alarm.gamma_check(rows, bg)
    one_s, two_s = 5 * 32 / math.sqrt(1520), 10 * 32 / math.sqrt(2 * 1520)
    assert one_s < 5 < two_s
    assert v.alarm and v.peak_sigma == pytest.approx(two_s, abs=1e-3) and v.peak_group == "all"
    assert not alarm.gamma_check(rows, bg, windows=(alarm.WINDOW,)).alarm  # the rule before
    flags = alarm.running_alarm(np.array([sum(r) for r in rows], dtype=float), 1520.0, 5.0)
    assert flags.any() and not flags[:18].any()  # the simulators' device flags see it too


def test_norm_label_on_broad_weak_profile_never_suppresses() -> None:
    bg = (380.0,) * 4
    rows = counts(5) + [(87, 87, 87, 87)] * 40 + counts(5)
    v = alarm.gamma_check(rows, bg)
    assert v.alarm and v.norm_suspect


def test_neutron_poisson_threshold() -> None:
    assert alarm.poisson_threshold(6.0, 1e-4) == 18  # P(X>=18 | 6) = 6.5e-5; P(X>=17) = 1.8e-4
    assert not alarm.neutron_check([(2, 0, 2, 0)] * 10, 6.0).alarm
    # the neutron check itself: tests/test_rpm_neutron.py


def occupancy_lines(
    t0: float, gs: str = "GS", n: str = "NS", gx: bool = True
) -> list[tuple[float, bytes]]:
    lines = [(t0, b"GB,000380,000380,000380,000380\r\n")]
    lines += [(t0 + 5.0, f"{gs},000076,000076,000076,000076\r\n".encode())] * 5
    lines += [
        (t0 + 5.0 + 0.2 * i, f"{gs},000076,000076,000076,000076\r\n".encode()) for i in range(1, 20)
    ]
    lines += [(t0 + 5.1, f"{n},000002,000000,000002,000000\r\n".encode())]
    if gx:
        lines += [(t0 + 9.2, b"GX,000007,006000,000000,000000\r\n")]
    return lines


def test_device_alarm_without_ours_is_a_disagreement_and_an_alert() -> None:
    _m, events = live(occupancy_lines(100.0, gs="GA"), setup_timeout_s=0)
    occ = occupancies(events)
    assert len(occ) == 1 and occ[0].device_gamma_alarm and not occ[0].gamma_verdict.alarm
    assert occ[0].start == pytest.approx(104.0)  # five burst lines = one second back
    assert faults(events) == ["disagreement"]
    reading = to_reading(occ[0])
    assert reading.priority == 2 and reading.alert == "radiation"
    assert reading.payload["gamma_series"][0] == 304
    assert reading.payload["gamma_threshold_1s"] == pytest.approx(
        1520 + 5 * math.sqrt(1520), abs=1e-3
    )


def test_device_faults_raise_and_clear() -> None:
    lines = [
        (0.0, b"GH,001500,001500,001500,001500\r\n"),
        (1.0, b"NH,000090,000000,000000,000000\r\n"),
        (2.0, b"TT\r\n"),
        (3.0, b"GB,000380,000380,000380,000380\r\n"),
        (4.0, b"NB,000003,000000,000002,000000\r\n"),
        (5.0, b"TC\r\n"),
        (6.0, b"GL,000010,000010,000010,000010\r\n"),
    ]
    m, events = live(lines, setup_timeout_s=0)
    assert faults(events) == ["gamma-high", "neutron-high", "tamper", "gamma-low"]
    assert faults(events, active=False) == ["gamma-high", "neutron-high", "tamper"]
    assert not m.faults.protected and set(m.faults.active) == {"gamma-low"}
    r = to_reading(next(e for e in events if isinstance(e, Fault)))
    assert (r.kind, r.priority, r.alert) == ("rpm.fault", 2, "rpm-fault")


def test_silence_raises_and_lines_clear_it() -> None:
    m, _events = live([(0.0, b"GB,1,1,1,1\r\n")], setup_timeout_s=0)
    assert faults(m.tick(9.0)) == []
    assert faults(m.tick(10.5)) == ["silence"]
    assert faults(m.feed(b"GB,1,1,1,1\r\n", 11.0), active=False) == ["silence"]


def test_occupancy_without_gx_after_120_s() -> None:
    m, _events = live(occupancy_lines(0.0, gx=False), setup_timeout_s=0, silence_s=1000)
    after = m.tick(126.0)
    assert faults(after) == ["no-gx"]
    occ = occupancies(after)
    assert occ and occ[0].number is None and "no-gx" in occ[0].faults
    assert faults(m.feed(b"GX,000008,006000,000000,000000\r\n", 127.0), active=False) == ["no-gx"]


def test_stuck_and_odd_gamma_detectors() -> None:
    zero = [(float(i), b"GB,000380,000000,000380,000380\r\n") for i in range(3)]
    odd = [(float(i + 3), b"GB,000380,000380,002500,000380\r\n") for i in range(3)]
    _m, events = live(zero + odd, setup_timeout_s=0)
    assert faults(events) == ["detector-zero", "detector-odd"]
    details = [e.detail for e in events if isinstance(e, Fault) and e.active]
    assert details[0].endswith(": 2") and details[1].endswith(": 3")


def test_dead_neutron_detector_after_counting() -> None:
    lines = [(0.0, b"NS,000003,000000,000002,000000\r\n")]
    lines += [(1.0 + i, b"NS,000000,000000,000002,000000\r\n") for i in range(60)]
    _m, events = live(lines, setup_timeout_s=0, silence_s=1000, gx_timeout_s=3600)
    assert faults(events) == ["neutron-zero"]  # detectors 2 and 4 never counted: not fitted


def test_parse_error_rate_above_one_percent() -> None:
    good = [(0.01 * i, b"GB,000380,000380,000380,000380\r\n") for i in range(98)]
    bad = [(1.0, b"GB,junk\r\n"), (1.01, b"GB,junk\r\n")]
    _m, events = live(good + bad, setup_timeout_s=0)
    assert faults(events) == ["parse-errors"]
    _m, events = live(good + bad[:1] + good[:1], setup_timeout_s=0)
    assert faults(events) == []


def test_setup_missing_and_changed() -> None:
    m, events = live([(0.0, b"GB,1,1,1,1\r\n"), (301.0, b"GB,1,1,1,1\r\n")], silence_s=1000)
    assert faults(events) == ["setup-missing"]
    sg1 = b"SG1,002000,000068,05,10,05.0,P\r\n"
    assert faults(m.feed(sg1, 302.0), active=False) == ["setup-missing"]
    assert faults(m.feed(b"SG1,002000,000068,05,10,03.0,P\r\n", 303.0)) == ["setup-changed"]
    assert faults(m.feed(sg1, 304.0), active=False) == ["setup-changed"]
    _m, events = live([(0.0, sg1)], expect_sigma=6.0)
    assert faults(events) == ["setup-changed"]


def test_sg1_sigma_is_used_unless_configured() -> None:
    lines = [(0.0, b"SG1,002000,000068,05,10,03.0,P\r\n")]
    m, _ = live(lines)
    assert m.tracker.sigma == 3.0
    m, _ = live(lines, sigma=5.5)
    assert m.tracker.sigma == 5.5


def test_status_at_most_once_a_minute() -> None:
    m = RpmMonitor(Settings(setup_timeout_s=None))
    statuses = []
    for i in range(300):
        statuses += [
            e
            for e in m.tick(i * 0.5) + m.feed(b"GB,1,1,1,1\r\n", i * 0.5)
            if not isinstance(e, Fault)
        ]
    assert len(statuses) == 3
    reading = to_reading(statuses[0])  # type: ignore[arg-type]
    assert reading.kind == "rpm.status" and reading.payload["protected"] is True


def test_make_decoder_validates_options() -> None:
    make_decoder({"sigma": 4.5, "neutron_p": 1e-5, "setup_timeout_s": 0})
    for bad in ({"sigma": "five"}, {"sigma": 0.1}, {"colour": 1}, {"silence_s": True}):
        with pytest.raises(DriverError, match="rpm"):
            make_decoder(bad)


def test_simulated_sources_are_detected_and_background_is_quiet() -> None:
    def run(cfg: SimConfig) -> list[OccupancyRecord]:
        m = RpmMonitor(Settings(), status_every_s=None)
        out: list[object] = []
        for t, line in Simulator(cfg).lines():
            if t > 600:
                break
            out += m.feed(line, t)
        return occupancies(out)

    quiet = run(SimConfig(vehicles_per_min=6, seed=11))
    assert len(quiet) > 20 and not any(o.alarm for o in quiet)
    hot = run(SimConfig(vehicles_per_min=6, seed=12, source_sigma=12))
    assert all(o.gamma_verdict.alarm and not o.gamma_verdict.norm_suspect for o in hot)
    norm = run(SimConfig(vehicles_per_min=6, seed=13, norm_fraction=1.0))
    assert any(o.gamma_verdict.norm_suspect for o in norm)
    assert all(o.gamma_verdict.alarm for o in norm if o.gamma_verdict.norm_suspect)
    neutron = run(SimConfig(vehicles_per_min=6, seed=14, neutron_cps=30))
    assert all(o.neutron_verdict.alarm and o.device_neutron_alarm for o in neutron)


@pytest.mark.parametrize(
    "kind",
    ["gamma-high", "gamma-low", "neutron-high", "tamper", "silence", "detector-zero",
     "detector-odd", "parse-errors", "setup-missing", "setup-changed", "neutron-zero", "no-gx"],
)  # fmt: skip
def test_every_simulated_fault_is_detected(kind: str) -> None:
    m = RpmMonitor(Settings(setup_timeout_s=60), status_every_s=None)
    out: list[object] = []
    for t, line in Simulator(SimConfig(vehicles_per_min=10, seed=5, fault=kind)).lines():
        if t > 400:
            break
        out += m.tick(t) + m.feed(line, t)
    out += m.tick(401.0)
    assert kind in faults(out)


def test_lines_with_skipped_tags_keep_the_link_alive() -> None:
    m, events = live([(float(i), b"AS,000088,000110,000070,000045\r\n") for i in range(30)],
                     setup_timeout_s=0)  # fmt: skip
    assert faults(events) == []
    assert faults(m.tick(45.0)) == ["silence"]


def test_parse_error_fault_clears_when_bad_lines_leave_the_window() -> None:
    lines = [(0.001 * i, b"GB,000380,000380,000380,000380\r\n") for i in range(100)]
    lines += [(0.2, b"GB,junk\r\n")] * 3
    lines += [(0.3 + 0.001 * i, b"AS,1,2,3,4\r\n") for i in range(1000)]
    _m, events = live(lines, setup_timeout_s=0)
    assert faults(events) == ["parse-errors"]
    assert faults(events, active=False) == ["parse-errors"]
