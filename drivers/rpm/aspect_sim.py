"""A simulated Aspect portal: a pymodbus TCP server whose registers play a scripted lane.

The physics is the Rapiscan simulator's (``drivers/rpm/sim.py``: background,
vehicles, baseline suppression, point sources, NORM, neutron sources), summed
over the four gamma detectors because the Aspect monitor block has one gamma
channel. :class:`AspectScenario` is sans-IO: it yields the 21 monitor registers
every 200 ms of simulated time. :func:`serve` puts them behind a Modbus TCP
server on one unit id and, with the ``disconnect`` fault, drops the server for
``DISCONNECT_S`` seconds (connections reset, port closed) and brings it back.

The device's own alarm bits use the same thresholds as our check, so a
simulated lane agrees with us unless a fault is injected.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from drivers.rpm import alarm, sim
from drivers.rpm.aspect import (
    ALARM1,
    DESCRIPTION_ADDRESS,
    DIR01,
    DOOR_OPEN,
    ERROR,
    HIGH_COUNT,
    LOW_BATTERY,
    LOW_COUNT,
    MONITOR_ADDRESS,
    MONITOR_COUNT,
    OUT_ALARM,
    POWER_FAIL,
    READY,
    Channel,
    Sample,
    encode_monitor,
)
from drivers.rpm.aspect_monitor import DEFAULT_SPEED_KMH_PER_UNIT

POLL_S = alarm.INTERVAL_S
SIGNATURE = 0xA5EC  # any value: the known driver only logs it
DESCRIPTION = (SIGNATURE, 29, 1, MONITOR_ADDRESS, MONITOR_COUNT, 0, 0, 0)
DISCONNECT_S = 6.0
INPUT_FAULTS = {
    "power-fail": POWER_FAIL, "low-battery": LOW_BATTERY, "door-open": DOOR_OPEN,
    "device-error": ERROR,
}  # fmt: skip
CHANNEL_FAULTS = {
    "gamma-low": ("gamma", LOW_COUNT), "gamma-high": ("gamma", HIGH_COUNT),
    "neutron-low": ("neutron", LOW_COUNT), "neutron-high": ("neutron", HIGH_COUNT),
}  # fmt: skip
FAULTS = (*INPUT_FAULTS, *CHANNEL_FAULTS, "disconnect")


@dataclass(frozen=True)
class Poll:
    """What the simulated portal shows during one 200 ms slot."""

    t: float
    registers: tuple[int, ...]


class AspectScenario:
    """Background, vehicles and faults as monitor-block registers, one set per 200 ms."""

    def __init__(self, cfg: sim.SimConfig) -> None:
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed)
        self.t = 0.0
        self.counter = 0
        self.gamma_bg = sum(sim.GAMMA_CPS) * POLL_S  # counts per poll
        self.neutron_bg = sum(sim.NEUTRON_CPS) * POLL_S

    def polls(self) -> Iterator[Poll]:
        """Endless polls in simulated time."""
        rate = self.cfg.vehicles_per_min / 60.0
        next_vehicle = float(self.rng.exponential(1 / rate)) if rate > 0 else math.inf
        while True:
            if self.t >= next_vehicle:
                yield from self._vehicle(sim.random_vehicle(self.rng, self.cfg))
                next_vehicle = self.t + 3.0 + float(self.rng.exponential(1 / rate))
                continue
            counts = (int(self.rng.poisson(self.gamma_bg)), int(self.rng.poisson(self.neutron_bg)))
            yield self._poll(counts, 0, (False, False), 0)

    def _vehicle(self, v: sim.Vehicle) -> Iterator[Poll]:
        self.counter = (self.counter + 1) & 0xFFFF
        gamma = self.rng.poisson(sim.gamma_means(v).sum(axis=1)[alarm.WINDOW :])
        neutron = self.rng.poisson(self.neutron_bg + v.neutron_cps * POLL_S, size=len(gamma))
        flags = (*_gamma_flags(gamma, self.gamma_bg, self.cfg.sigma), False)
        rows = [tuple(int(x) for x in neutron[i : i + 5]) for i in range(0, len(neutron), 5)]
        speed = round(v.speed_ms * 1000)  # mm/s, as the monitor reads it
        kmh = round(speed * DEFAULT_SPEED_KMH_PER_UNIT, 2)
        n_alarm = alarm.neutron_check(rows, self.neutron_bg / POLL_S, speed_kmh=kmh).alarm
        for i, (g, n) in enumerate(zip(gamma, neutron, strict=True)):
            yield self._poll((int(g), int(n)), 0x3 | DIR01, (bool(flags[i]), n_alarm), speed)
        yield self._poll((int(self.rng.poisson(self.gamma_bg)), 0), 0, (False, False), 0)

    def _poll(self, counts: tuple[int, int], inputs: int, alarms: tuple[bool, bool],
              speed: int) -> Poll:  # fmt: skip
        inputs |= self._input_fault()
        gamma = Channel(self._status("gamma", alarms[0]), counts[0], self.gamma_bg, self.gamma_bg)
        neutron = Channel(
            self._status("neutron", alarms[1]), counts[1], self.neutron_bg, self.neutron_bg
        )
        outputs = OUT_ALARM if any(alarms) else 0
        sample = Sample(int(self.t), inputs, gamma, neutron, self.counter, 0, speed, outputs)
        poll = Poll(self.t, encode_monitor(sample))
        self.t += POLL_S
        return poll

    def _fault_on(self) -> str | None:
        return self.cfg.fault if self.t >= sim.FAULT_AFTER_S else None

    def _input_fault(self) -> int:
        return INPUT_FAULTS.get(self._fault_on() or "", 0)

    def _status(self, channel: str, alarmed: bool) -> int:
        status = READY | (ALARM1 if alarmed else 0)
        which, bit = CHANNEL_FAULTS.get(self._fault_on() or "", ("", 0))
        return status | (bit if which == channel else 0)


def _gamma_flags(gamma: np.ndarray, bg_per_poll: float, sigma: float) -> np.ndarray:
    """The device's Alarm1 per poll: a 1 s or 2 s running sum above B + n·√B (as our check)."""
    return alarm.running_alarm(gamma, bg_per_poll * alarm.WINDOW, sigma)


async def start_server(host: str, port: int, unit: int) -> object:
    """A pymodbus TCP server for one unit id: the description block and a zeroed monitor block."""
    from pymodbus.server import ModbusTcpServer
    from pymodbus.simulator import DataType, SimData, SimDevice

    blocks = [
        SimData(DESCRIPTION_ADDRESS, values=list(DESCRIPTION), datatype=DataType.REGISTERS),
        SimData(MONITOR_ADDRESS, values=[0] * MONITOR_COUNT, datatype=DataType.REGISTERS),
    ]
    server = ModbusTcpServer(SimDevice(unit, simdata=blocks), address=(host, port))
    await server.serve_forever(background=True)
    return server


async def serve(
    host: str, port: int, scenario: AspectScenario, unit: int = 1, duration: float | None = None
) -> int:
    """Serve the scenario in real time on ``host:port``, unit ``unit``; polls played.

    Once listening it prints ``{"port": "modbus://HOST:PORT"}`` (as the pty simulators
    print theirs), so a parent knows it can connect."""
    server = await start_server(host, port, unit)
    print(json.dumps({"port": f"modbus://{host}:{port}"}), flush=True)
    start, played = time.monotonic(), 0
    dropped = scenario.cfg.fault != "disconnect"
    for poll in scenario.polls():
        if duration is not None and poll.t > duration:
            break
        await asyncio.sleep(max(0.0, start + poll.t - time.monotonic()))
        if not dropped and poll.t >= sim.FAULT_AFTER_S:
            server, dropped = await _drop(server, host, port, unit), True
        await server.async_setValues(unit, 16, MONITOR_ADDRESS, list(poll.registers))  # type: ignore[attr-defined]
        played += 1
    await server.shutdown()  # type: ignore[attr-defined]
    return played


async def _drop(server: object, host: str, port: int, unit: int) -> object:
    """The ``disconnect`` fault: the portal is gone for DISCONNECT_S, then answers again."""
    await server.shutdown()  # type: ignore[attr-defined]
    await asyncio.sleep(DISCONNECT_S)
    return await start_server(host, port, unit)
