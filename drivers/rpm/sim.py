"""A simulated RPM speaking the line protocol: background, vehicles, sources, faults.

Physics, kept simple but honest: each gamma detector counts Poisson with its
own background rate, reported in GB as a 20 s average (as the recording
shows), neutron ones in NB (20 s, whole cps) and NB1 (2 min, decimals, drawn
apart so a seed gives the vehicles it gave before); a vehicle in the portal
shields part of the background (baseline suppression, 2–8 %); a point source
adds a rate with the response h²/(h² + x²) of a detector at lateral distance
h to a source at distance x along the lane, so its profile is about 2h/v
wide; a NORM load (ceramics, fertiliser) is the same response spread over the
whole vehicle length. A source's strength "S σ" means its counts in the best
1 s window of all four detectors are S·√B, B the 1 s background of all four.
Neutrons are Poisson per detector per second, plus an optional neutron source
in the vehicle.

``Simulator.lines()`` yields (simulated seconds, line bytes) without I/O;
``serve`` paces them onto a port.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from drivers.rpm import alarm, background

GAMMA_CPS = (380.0, 372.0, 408.0, 370.0)
NEUTRON_CPS = (1.7, 1.4, 1.6, 1.5)
BACKGROUND_EVERY_S = 5.0
# GB is a running average: in the shared recording consecutive GB values of one
# detector differ by 3.0 cps (sd) at 380 cps, which is √(2·380·5)/W for W ≈ 20 s.
BACKGROUND_AVERAGE_S = 20.0
SETUP_EVERY_S = 60.0
LATERAL_M = 2.0  # detector to lane centre
FAULTS = (
    "gamma-high", "gamma-low", "neutron-high", "tamper", "silence", "no-gx",
    "detector-zero", "detector-odd", "neutron-zero", "parse-errors", "setup-missing",
    "setup-changed",
)  # fmt: skip
FAULT_AFTER_S = 12.0  # simulated seconds before a commanded fault starts


@dataclass(frozen=True)
class SimConfig:
    """What to simulate."""

    vehicles_per_min: float = 2.0
    source_sigma: float = 0.0  # point source in every vehicle (0: none)
    norm_fraction: float = 0.0  # share of vehicles carrying a NORM load
    neutron_cps: float = 0.0  # extra neutron cps from a source in every vehicle
    fault: str | None = None
    sigma: float = alarm.DEFAULT_SIGMA
    seed: int | None = None
    source_fraction: float = 1.0  # share of vehicles carrying the point source


@dataclass(frozen=True)
class Vehicle:
    """One vehicle's pass: speed, length, shielding and what it carries."""

    speed_ms: float
    length_m: float
    suppression: float
    source_sigma: float = 0.0
    source_pos: float = 0.5  # along the vehicle, 0..1
    source_side: float = 0.5  # share seen by detectors 1+2
    norm_sigma: float = 0.0
    neutron_cps: float = 0.0

    @property
    def duration_s(self) -> float:
        """Seconds the vehicle occupies the portal (plus the detector span)."""
        return (self.length_m + 2.0) / self.speed_ms


def random_vehicle(rng: np.random.Generator, cfg: SimConfig) -> Vehicle:
    """A car, van or lorry at a realistic lane speed (5–15 km/h)."""
    length = float(rng.choice([4.5, 7.0, 12.0, 16.5], p=[0.5, 0.2, 0.15, 0.15]))
    speed = float(np.clip(rng.normal(8.0, 2.0), 5.0, 15.0)) / 3.6
    norm = float(rng.uniform(3.0, 8.0)) if rng.random() < cfg.norm_fraction else 0.0
    source = cfg.source_sigma
    if source and cfg.source_fraction < 1.0 and rng.random() >= cfg.source_fraction:
        source = 0.0
    return Vehicle(
        speed, length, float(rng.uniform(0.02, 0.08)), source,
        float(rng.uniform(0.1, 0.9)), float(rng.uniform(0.3, 0.7)), norm, cfg.neutron_cps,
    )  # fmt: skip


def _response(times: np.ndarray, t0: float, speed: float) -> np.ndarray:
    x = speed * (times - t0)
    result: np.ndarray = LATERAL_M**2 / (LATERAL_M**2 + x**2)
    return result


def _scale_to_sigma(profile: np.ndarray, sigma: float, b_all: float) -> np.ndarray:
    """Scale an all-detector excess per interval so its best 1 s sum is sigma·√B."""
    if sigma <= 0 or profile.max() <= 0:
        return np.zeros_like(profile)
    if len(profile) < alarm.WINDOW:
        best = float(profile.sum())
    else:
        best = float(np.convolve(profile, np.ones(alarm.WINDOW), mode="valid").max())
    scaled: np.ndarray = profile * (sigma * math.sqrt(b_all) / best)
    return scaled


def gamma_means(v: Vehicle, gamma_cps: tuple[float, ...] = GAMMA_CPS) -> np.ndarray:
    """Expected counts per 200 ms interval and detector, the pre-trigger second included."""
    dt = alarm.INTERVAL_S
    n = alarm.WINDOW + math.ceil(v.duration_s / dt)
    mids = (np.arange(n) - alarm.WINDOW + 0.5) * dt  # 0 = trigger
    base = np.array(gamma_cps) * dt
    inside = (mids > 0) & (mids < v.duration_s)
    means = np.tile(base, (n, 1)) * np.where(inside, 1 - v.suppression, 1.0)[:, None]
    b_all = sum(gamma_cps)
    t_src = (1.0 + v.source_pos * v.length_m) / v.speed_ms
    point = _scale_to_sigma(_response(mids, t_src, v.speed_ms), v.source_sigma, b_all)
    norm = _norm_profile(mids, v)
    norm = _scale_to_sigma(norm, v.norm_sigma, b_all)
    side = np.array([v.source_side, v.source_side, 1 - v.source_side, 1 - v.source_side]) / 2
    result: np.ndarray = means + np.outer(point, side) + np.outer(norm, np.full(4, 0.25))
    return result


def neutron_means(v: Vehicle, sigma: float, b_cps: float) -> np.ndarray:
    """Expected neutron counts per 1 s row (all detectors) with a point neutron source of
    ``sigma``: the gamma source's response, scaled so the best 1 s window holds sigma·√b."""
    dt = alarm.INTERVAL_S
    n = alarm.WINDOW * max(1, math.ceil(v.duration_s))
    mids = (np.arange(n) + 0.5) * dt
    t_src = (1.0 + v.source_pos * v.length_m) / v.speed_ms
    excess = _scale_to_sigma(_response(mids, t_src, v.speed_ms), sigma, b_cps)
    per_row: np.ndarray = (b_cps * dt + excess).reshape(-1, alarm.WINDOW).sum(axis=1)
    return per_row


def _norm_profile(mids: np.ndarray, v: Vehicle) -> np.ndarray:
    starts = (1.0 + np.linspace(0.0, v.length_m, 12)) / v.speed_ms
    total: np.ndarray = sum((_response(mids, s, v.speed_ms) for s in starts), np.zeros_like(mids))
    return total


def fmt(tag: str, values: list[int] | tuple[int, ...]) -> bytes:
    """One count line: tag and zero-padded six-digit fields, CRLF."""
    return (tag + "".join(f",{min(int(v), 999999):06d}" for v in values) + "\r\n").encode()


class Simulator:
    """Generates the line stream of one lane's RPM in simulated time."""

    def __init__(self, cfg: SimConfig) -> None:
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed)
        self.nb1_rng = np.random.default_rng(None if cfg.seed is None else cfg.seed + 1)
        self.number = 0
        self.t = 0.0
        self.next_bg = 0.0
        self.next_setup = 0.0
        gamma = list(GAMMA_CPS)
        if cfg.fault == "detector-odd":
            gamma[2] *= 6.0
        self.gamma_cps = tuple(gamma)

    def _fault_on(self, kind: str) -> bool:
        after = FAULT_AFTER_S * (5 if kind == "neutron-zero" else 1)  # let it count first
        return self.cfg.fault == kind and self.t >= after

    def lines(self) -> Iterator[tuple[float, bytes]]:
        """Endless (time, line) pairs."""
        rate = self.cfg.vehicles_per_min / 60.0
        next_vehicle = float(self.rng.exponential(1 / rate)) if rate > 0 else math.inf
        while True:
            if self.t >= next_vehicle:
                yield from self._occupancy(random_vehicle(self.rng, self.cfg))
                next_vehicle = self.t + 3.0 + (float(self.rng.exponential(1 / rate)))
                continue
            yield from self._idle_step()
            self.t += 1.0

    def _out(self, t: float, line: bytes) -> Iterator[tuple[float, bytes]]:
        if self._fault_on("silence") and FAULT_AFTER_S <= t < FAULT_AFTER_S + 20:
            return
        if self._fault_on("parse-errors") and self.rng.random() < 0.05:
            line = line[:3] + b"#garbage#" + line[3:]
        yield t, line

    def _idle_step(self) -> Iterator[tuple[float, bytes]]:
        if self.t >= self.next_setup:
            self.next_setup = self.t + SETUP_EVERY_S
            yield from self._setup()
        if self.t >= self.next_bg:
            self.next_bg = self.t + BACKGROUND_EVERY_S
            yield from self._background()
        if self._fault_on("tamper") and int(self.t) % 30 == int(FAULT_AFTER_S) % 30:
            yield from self._out(self.t, b"TT\r\n")

    def _setup(self) -> Iterator[tuple[float, bytes]]:
        if self.cfg.fault == "setup-missing":
            return
        sigma = self.cfg.sigma + (1.0 if self._fault_on("setup-changed") else 0.0)
        yield from self._out(self.t, f"SG1,002000,000068,05,10,{sigma:04.1f},P\r\n".encode())
        yield from self._out(self.t, b"SG2,000300,000800,010,010\r\n")
        yield from self._out(self.t, b"SN1,000050,0008.0,010\r\n")

    def _gamma_rates(self) -> tuple[float, ...]:
        rates = list(self.gamma_cps)
        if self._fault_on("detector-zero"):
            rates[1] = 0.0
        return tuple(rates)

    def _neutron_rates(self) -> list[float]:
        rates = list(NEUTRON_CPS)
        if self._fault_on("neutron-zero"):
            rates[0] = 0.0
        return rates

    def _background(self) -> Iterator[tuple[float, bytes]]:
        span = BACKGROUND_AVERAGE_S
        gb: np.ndarray = self.rng.poisson(np.array(self._gamma_rates()) * span) / span
        nb: np.ndarray = self.rng.poisson(np.array(self._neutron_rates()) * span) / span
        tag = (
            "GH" if self._fault_on("gamma-high") else "GL" if self._fault_on("gamma-low") else "GB"
        )
        if tag != "GB":
            gb = gb * (4.0 if tag == "GH" else 0.1)
        yield from self._out(self.t, fmt(tag, [round(x) for x in gb]))
        ntag = "NH" if self._fault_on("neutron-high") else "NB"
        yield from self._out(self.t, fmt(ntag, [int(x * (20 if ntag == "NH" else 1)) for x in nb]))
        if ntag == "NB":  # and the 2 min average per detector, as decimals (NB1)
            span = background.WINDOW_S
            nb1 = self.nb1_rng.poisson(np.array(self._neutron_rates()) * span) / span
            yield from self._out(
                self.t, ("NB1" + "".join(f",{x:.8f}" for x in nb1) + "\r\n").encode()
            )

    def _occupancy(self, v: Vehicle) -> Iterator[tuple[float, bytes]]:
        self.number += 1
        means = gamma_means(v, self._gamma_rates())
        counts = self.rng.poisson(means)
        b_all = sum(self._gamma_rates())
        flags = alarm.running_alarm(counts.sum(axis=1), b_all, self.cfg.sigma)
        neutron = self._neutron_counts(v)
        t0 = self.t
        w = alarm.WINDOW
        for i in range(w):  # the pre-trigger second, sent as a burst
            yield from self._out(t0, fmt("GS", counts[i]))
        n_alarm = self._neutron_alarm(neutron, round(v.speed_ms * 3.6, 2))
        for i in range(w, len(counts)):
            t = t0 + (i - w + 1) * alarm.INTERVAL_S
            if (i - w) % 5 == 0:
                row = neutron[(i - w) // 5]
                yield from self._out(t, fmt("NA" if n_alarm else "NS", row))
            if i - w == 3:
                yield from self._out(t, self._speed_line(v))
            tag = "GA" if flags[i] else "GS"
            yield from self._out(t, fmt(tag, counts[i]))
        self.t = t0 + (len(counts) - w) * alarm.INTERVAL_S + 0.2
        if not self._fault_on("no-gx"):
            nb = int(sum(self._neutron_rates()) * 1000)
            yield from self._out(self.t, fmt("GX", [self.number, nb, 0, 0]))
        self.next_bg = self.t + BACKGROUND_EVERY_S

    def _neutron_counts(self, v: Vehicle) -> np.ndarray:
        seconds = max(1, math.ceil(v.duration_s))
        rates = np.array(self._neutron_rates()) + v.neutron_cps / 4
        result: np.ndarray = self.rng.poisson(np.tile(rates, (seconds, 1)))
        return result

    def _neutron_alarm(self, counts: np.ndarray, speed_kmh: float) -> bool:
        series = [tuple(int(x) for x in row) for row in counts]
        b = sum(self._neutron_rates())
        return alarm.neutron_check(series, b, alarm.DEFAULT_NEUTRON_P, speed_kmh).alarm

    @staticmethod
    def _speed_line(v: Vehicle) -> bytes:
        kmh = v.speed_ms * 3.6
        mph = kmh / 1.609344
        s_per_ft = 0.3048 / v.speed_ms
        return f"SP,{s_per_ft:.4f},{mph:06.3f},{kmh:06.2f},000000\r\n".encode()


def serve(
    write: Callable[[bytes], object],
    sim: Simulator,
    rate: float = 1.0,
    duration: float | None = None,
    sleep: bool = True,
) -> int:
    """Write the simulator's lines through ``write(bytes)``, paced at ``rate``× real time.

    Stops after ``duration`` simulated seconds; returns the number of lines sent.
    """
    start = time.monotonic()
    sent = 0
    for t, line in sim.lines():
        if duration is not None and t > duration:
            break
        wait = start + t / rate - time.monotonic()
        if sleep and wait > 0:
            time.sleep(wait)
        write(line)
        sent += 1
    return sent
