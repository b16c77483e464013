"""Sans-IO decoding of the Aspect portal's Modbus registers (see docs/rpm.md, "Aspect").

The portal answers Modbus function 3 (read holding registers). Two blocks:

- the device description, 8 registers from address 0: signature, register
  count, monitor-block identifier, its base address and register count (the
  last three registers are read and logged, their meaning is not known);
- the monitor block, 21 registers from address 100: time, input signals,
  gamma and neutron channel status, counts, backgrounds and variances, the
  object counter, mark and speed, output signals.

32-bit values are **low word first**: bits = (reg[n+1] << 16) | reg[n];
integers are signed. Bits we have no meaning for are reported by
:func:`unknown_bits` so the caller can log them; nothing is guessed.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

DESCRIPTION_ADDRESS = 0
DESCRIPTION_COUNT = 8
MONITOR_ADDRESS = 100
MONITOR_COUNT = 21

# Channel status (registers 103 and 110).
ALARM1, ALARM2, LOW_COUNT, HIGH_COUNT, OVERLOAD, READY = 0x1, 0x2, 0x10, 0x20, 0x40, 0x80
CHANNEL_KNOWN = ALARM1 | ALARM2 | LOW_COUNT | HIGH_COUNT | OVERLOAD | READY
# Input signals (register 102).
OCCUPANCY_MASK, BUTTON, SENSOR, DIR01, DIR10 = 0x000F, 0x0010, 0x0020, 0x0040, 0x0080
POWER_FAIL, LOW_BATTERY, DOOR_OPEN, ERROR, RESET = 0x0100, 0x0200, 0x0400, 0x0800, 0x8000
INPUTS_KNOWN = 0x8FFF
# Output signals (register 120).
OUT_ALARM = 0x0001
OUTPUTS_KNOWN = 0x0F7F


class RegisterError(ValueError):
    """A register block that cannot be what the portal sends (wrong length, out of range)."""


def _check(regs: Sequence[int], count: int, what: str) -> None:
    if len(regs) != count:
        raise RegisterError(f"{what}: want {count} registers, got {len(regs)}")
    if any(not 0 <= r <= 0xFFFF for r in regs):
        raise RegisterError(f"{what}: a register outside 0..65535")


def u32(regs: Sequence[int], n: int) -> int:
    """The unsigned 32-bit value of registers n (low word) and n+1 (high word)."""
    return (regs[n + 1] << 16) | regs[n]


def i32(regs: Sequence[int], n: int) -> int:
    """The signed 32-bit integer of registers n, n+1 (low word first)."""
    value = u32(regs, n)
    return value - (1 << 32) if value & 0x80000000 else value


def f32(regs: Sequence[int], n: int) -> float:
    """The IEEE-754 single of registers n, n+1 (low word first)."""
    value: float = struct.unpack("<f", struct.pack("<I", u32(regs, n)))[0]
    return value


def words_i32(value: int) -> tuple[int, int]:
    """(low, high) registers of a signed 32-bit integer (the encoder of :func:`i32`)."""
    bits = value & 0xFFFFFFFF
    return bits & 0xFFFF, bits >> 16


def words_f32(value: float) -> tuple[int, int]:
    """(low, high) registers of an IEEE-754 single (the encoder of :func:`f32`)."""
    bits: int = struct.unpack("<I", struct.pack("<f", value))[0]
    return bits & 0xFFFF, bits >> 16


@dataclass(frozen=True)
class Description:
    """The device description block (registers 0–7)."""

    signature: int
    registers: int
    monitor_id: int
    monitor_base: int
    monitor_count: int
    spare: tuple[int, int, int]

    def mismatch(self) -> str | None:
        """Why the advertised monitor block differs from the one we read (100, 21), or None."""
        if (self.monitor_base, self.monitor_count) == (MONITOR_ADDRESS, MONITOR_COUNT):
            return None
        return (
            f"portal advertises the monitor block at {self.monitor_base} ({self.monitor_count} "
            f"registers); reading {MONITOR_ADDRESS} ({MONITOR_COUNT}) as the known driver does"
        )


def decode_description(regs: Sequence[int]) -> Description:
    """Decode registers 0–7."""
    _check(regs, DESCRIPTION_COUNT, "description block")
    return Description(regs[0], regs[1], regs[2], regs[3], regs[4], (regs[5], regs[6], regs[7]))


@dataclass(frozen=True)
class Channel:
    """One channel (gamma or neutron): status bits, count, background, variance."""

    status: int
    count: int
    background: float
    variance: float

    @property
    def alarm(self) -> bool:
        """Alarm1 or Alarm2 is set."""
        return bool(self.status & (ALARM1 | ALARM2))

    @property
    def low(self) -> bool:
        """The channel reports a low count (fault)."""
        return bool(self.status & LOW_COUNT)

    @property
    def high(self) -> bool:
        """The channel reports a high count (fault)."""
        return bool(self.status & HIGH_COUNT)


@dataclass(frozen=True)
class Sample:
    """One read of the monitor block (registers 100–120)."""

    elapsed: int
    inputs: int
    gamma: Channel
    neutron: Channel
    object_counter: int
    object_mark: int
    speed: int
    outputs: int

    @property
    def occupied(self) -> bool:
        """Any of the four occupancy sensors is on."""
        return bool(self.inputs & OCCUPANCY_MASK)

    @property
    def direction(self) -> str | None:
        """ "01" / "10" from the direction bits; None when neither or both are set."""
        bits = self.inputs & (DIR01 | DIR10)
        return {DIR01: "01", DIR10: "10"}.get(bits)


def decode_monitor(regs: Sequence[int]) -> Sample:
    """Decode the 21 registers from address 100."""
    _check(regs, MONITOR_COUNT, "monitor block")
    gamma = Channel(regs[3], i32(regs, 4), f32(regs, 6), f32(regs, 8))
    neutron = Channel(regs[10], i32(regs, 11), f32(regs, 13), f32(regs, 15))
    return Sample(i32(regs, 0), regs[2], gamma, neutron, regs[17], regs[18], regs[19], regs[20])


def encode_monitor(s: Sample) -> tuple[int, ...]:
    """The 21 registers of a sample (the simulator's side of :func:`decode_monitor`)."""
    g, n = s.gamma, s.neutron
    return (
        *words_i32(s.elapsed), s.inputs, g.status, *words_i32(g.count),
        *words_f32(g.background), *words_f32(g.variance), n.status, *words_i32(n.count),
        *words_f32(n.background), *words_f32(n.variance), s.object_counter, s.object_mark,
        s.speed, s.outputs,
    )  # fmt: skip


def unknown_bits(s: Sample) -> dict[str, int]:
    """Status bits set that the register map gives no meaning for, by register (0 omitted)."""
    found = {
        "inputs": s.inputs & ~INPUTS_KNOWN,
        "gamma_status": s.gamma.status & ~CHANNEL_KNOWN,
        "neutron_status": s.neutron.status & ~CHANNEL_KNOWN,
        "outputs": s.outputs & ~OUTPUTS_KNOWN,
    }
    return {name: bits & 0xFFFF for name, bits in found.items() if bits & 0xFFFF}
