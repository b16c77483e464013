"""The RPM fault rules: any active fault means "lane not protected".

Rules: GH/GL (gamma background high/low) and NH (neutron high), cleared by the
next normal GB/NB; TT tamper, cleared by TC; no line for ``silence_s``; an
occupancy without GX (raised by the occupancy tracker, cleared by the next GX);
a gamma detector at zero or far from its peers in three GB lines running; a
neutron detector that counted before and then stays at zero for 60 NS lines;
parse errors above 1 % of the last 1000 lines; setup (SG1) missing after
``setup_timeout_s`` or changed from the first one seen (or the expected sigma).
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass

from drivers.rpm.protocol import Message

GB_RUN = 3  # consecutive GB lines before a detector rule fires
ODD_FACTOR = 3.0  # a detector below median/3 or above 3·median is odd
NEUTRON_ZERO_RUN = 60  # NS lines (seconds of scanning) at zero for a neutron detector
PARSE_WINDOW = 1000
PARSE_MIN_LINES = 100
DEFAULT_SILENCE_S = 10.0
DEFAULT_SETUP_TIMEOUT_S = 300.0
SETUP_TAGS = ("SG1", "SG2", "SG3", "SN1", "SN2")

DEVICE_FAULTS = {"GH": "gamma-high", "GL": "gamma-low", "NH": "neutron-high"}
CLEARED_BY = {"GB": ("gamma-high", "gamma-low"), "NB": ("neutron-high",)}


@dataclass(frozen=True)
class Fault:
    """A fault raised (``active``) or cleared at time ``t`` (POSIX seconds)."""

    kind: str
    detail: str
    t: float
    active: bool = True


class FaultMonitor:
    """Applies the fault rules to messages, bad lines and the passing of time."""

    def __init__(
        self,
        silence_s: float = DEFAULT_SILENCE_S,
        setup_timeout_s: float | None = DEFAULT_SETUP_TIMEOUT_S,
        expect_sigma: float | None = None,
        parse_error_ratio: float = 0.01,
    ) -> None:
        self.silence_s = silence_s
        self.setup_timeout_s = setup_timeout_s
        self.expect_sigma = expect_sigma
        self.parse_error_ratio = parse_error_ratio
        self.active: dict[str, Fault] = {}
        self.first_t: float | None = None
        self.last_line_t: float | None = None
        self.setup: dict[str, tuple[str, ...]] = {}
        self.latest: dict[str, tuple[str, ...]] = {}
        self.outcomes: deque[bool] = deque(maxlen=PARSE_WINDOW)
        self.bad_in_window = 0
        self.zero_runs = [0, 0, 0, 0]
        self.odd_runs = [0, 0, 0, 0]
        self.neutron_seen: list[bool] = []
        self.neutron_zero: list[int] = []

    @property
    def protected(self) -> bool:
        """No fault is active."""
        return not self.active

    def raise_fault(self, kind: str, detail: str, t: float) -> list[Fault]:
        """Raise ``kind`` unless already active."""
        if kind in self.active:
            return []
        fault = Fault(kind, detail, t)
        self.active[kind] = fault
        return [fault]

    def clear(self, kind: str, t: float) -> list[Fault]:
        """Clear ``kind`` if active."""
        old = self.active.pop(kind, None)
        return [] if old is None else [Fault(kind, old.detail, t, active=False)]

    # -- inputs -----------------------------------------------------------------

    def on_line(self, t: float, ok: bool) -> list[Fault]:
        """Any line arrived (``ok`` False for a parse error)."""
        out = self.clear("silence", t)
        self.first_t = t if self.first_t is None else self.first_t
        self.last_line_t = t
        if len(self.outcomes) == PARSE_WINDOW and not self.outcomes[0]:
            self.bad_in_window -= 1
        self.outcomes.append(ok)
        self.bad_in_window += not ok
        return out + self._parse_rate(t)

    def on_message(self, msg: Message, t: float) -> list[Fault]:
        """Apply the per-message rules."""
        out: list[Fault] = []
        if msg.tag in DEVICE_FAULTS:
            out += self.raise_fault(DEVICE_FAULTS[msg.tag], f"{msg.tag} {msg.values}", t)
        for kind in CLEARED_BY.get(msg.tag, ()):
            out += self.clear(kind, t)
        if msg.tag == "TT":
            out += self.raise_fault("tamper", "TT", t)
        elif msg.tag == "TC":
            out += self.clear("tamper", t)
        elif msg.tag == "GB":
            out += self._gamma_detectors(msg.values, t)
        elif msg.tag in ("NS", "NA"):
            out += self._neutron_detectors(msg.values, t)
        elif msg.tag in SETUP_TAGS:
            out += self._setup(msg, t)
        elif msg.tag == "GX":
            out += self.clear("no-gx", t)
        return out

    def tick(self, t: float) -> list[Fault]:
        """Apply the time rules (silence, setup missing)."""
        if self.first_t is None:
            self.first_t = t
        out: list[Fault] = []
        last = self.last_line_t if self.last_line_t is not None else self.first_t
        if t - last > self.silence_s:
            out += self.raise_fault("silence", f"no line for {t - last:.1f} s", t)
        timeout = self.setup_timeout_s
        if timeout and "SG1" not in self.setup and t - self.first_t > timeout:
            out += self.raise_fault("setup-missing", f"no SG1 setup line in {timeout:g} s", t)
        return out

    # -- rules --------------------------------------------------------------------

    def _parse_rate(self, t: float) -> list[Fault]:
        n = len(self.outcomes)
        bad = self.bad_in_window
        if n >= PARSE_MIN_LINES and bad > self.parse_error_ratio * n:
            return self.raise_fault("parse-errors", f"{bad} of the last {n} lines unreadable", t)
        if bad <= self.parse_error_ratio * n:
            return self.clear("parse-errors", t)
        return []

    def _gamma_detectors(self, values: tuple[int, ...], t: float) -> list[Fault]:
        median = statistics.median(values)
        for i, v in enumerate(values):
            self.zero_runs[i] = self.zero_runs[i] + 1 if v == 0 else 0
            odd = median > 0 and v > 0 and not median / ODD_FACTOR <= v <= median * ODD_FACTOR
            self.odd_runs[i] = self.odd_runs[i] + 1 if odd else 0
        return self._run_rule("detector-zero", self.zero_runs, "gamma detector at zero", t) + (
            self._run_rule("detector-odd", self.odd_runs, "gamma detector far from its peers", t)
        )

    def _run_rule(self, kind: str, runs: list[int], what: str, t: float) -> list[Fault]:
        bad = [str(i + 1) for i, r in enumerate(runs) if r >= GB_RUN]
        if bad:
            return self.raise_fault(kind, f"{what}: {','.join(bad)}", t)
        return self.clear(kind, t)

    def _neutron_detectors(self, values: tuple[int, ...], t: float) -> list[Fault]:
        if len(self.neutron_seen) != len(values):
            self.neutron_seen, self.neutron_zero = [False] * len(values), [0] * len(values)
        for i, v in enumerate(values):
            self.neutron_seen[i] |= v > 0
            self.neutron_zero[i] = 0 if v > 0 else self.neutron_zero[i] + 1
        dead = [
            str(i + 1)
            for i, seen in enumerate(self.neutron_seen)
            if seen and self.neutron_zero[i] >= NEUTRON_ZERO_RUN
        ]
        if dead:
            return self.raise_fault(
                "neutron-zero", f"neutron detector at zero: {','.join(dead)}", t
            )
        return self.clear("neutron-zero", t)

    def _setup(self, msg: Message, t: float) -> list[Fault]:
        out = self.clear("setup-missing", t)
        sigma = msg.sigma
        if self.expect_sigma is not None and sigma is not None and sigma != self.expect_sigma:
            detail = f"SG1 sigma {sigma:g}, expected {self.expect_sigma:g}"
            return out + self.raise_fault("setup-changed", detail, t)
        first = self.setup.setdefault(msg.tag, msg.fields)
        self.latest[msg.tag] = msg.fields
        if first != msg.fields:
            detail = f"{msg.tag} changed from {','.join(first)} to {','.join(msg.fields)}"
            return out + self.raise_fault("setup-changed", detail, t)
        if self.latest == self.setup:
            out += self.clear("setup-changed", t)
        return out
