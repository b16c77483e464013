"""`borderpost rpm` — replay and export RPM recordings (`borderpost sim rpm` is drivers.sim_cli).

``rpm replay FILE|-`` prints one line per occupancy (``--json``: one JSON
object per occupancy and per fault outside occupancies); a ``.n42``/``.xml``
file is read as ANSI N42.42-2011 (``drivers/rpm/n42_import.py``). ``rpm export FILE
--occupancy N`` writes the ANSI N42.42 XML of occupancy N. Exit codes: 0 no
alarm, 1 an alarm or a fault in the recording (replay), 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from drivers.rpm import n42, n42_import
from drivers.rpm.device import RpmMonitor, Settings, fault_json
from drivers.rpm.faults import Fault
from drivers.rpm.occupancy import OccupancyRecord
from edge.cli._common import command_group, fail, print_json

MAX_RECORDING = 512 * 2**20
CHUNK = 65536


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `rpm` command group (`replay`, `export`)."""
    _, rpm_sub = command_group(
        sub, "rpm", "radiation portal monitor: replay and export recordings", dest="rpm_command"
    )
    replay = rpm_sub.add_parser("replay", help="run the occupancy and alarm logic on a recording")
    replay.add_argument("file", help="recorded line file, an N42.42 file (.n42), or - for stdin")
    replay.add_argument("--json", action="store_true", help="one JSON object per line")
    replay.add_argument("--sigma", type=float, help="gamma threshold n (default: SG1's, else 5)")
    replay.set_defaults(func=cmd_replay)
    export = rpm_sub.add_parser("export", help="N42.42 XML of one occupancy of a recording")
    export.add_argument("file", help="recorded line file, or - for standard input")
    export.add_argument("--occupancy", type=int, required=True, help="GX occupancy number")
    export.add_argument("-o", "--output", help="output file (default: standard output)")
    export.add_argument("--sigma", type=float, help="gamma threshold n (default: SG1's, else 5)")
    export.set_defaults(func=cmd_export)


# -- replay -------------------------------------------------------------------------


def _open(name: str) -> BinaryIO:
    if name == "-":
        return sys.stdin.buffer
    try:
        return Path(name).open("rb")
    except OSError as exc:
        fail(f"{name}: cannot read recording ({exc.strerror or exc})")


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    total = 0
    for line in stream:
        total += len(line)
        if total > MAX_RECORDING:
            fail(f"recording larger than {MAX_RECORDING // 2**20} MiB")
        yield line


def _sigma(value: float | None) -> float | None:
    if value is not None and not 1 <= value <= 20:
        fail("--sigma must be between 1 and 20")
    return value


N42_SUFFIXES = (".n42", ".xml")


def _n42_records(name: str, sigma: float | None) -> list[OccupancyRecord]:
    """The occupancies of an N42.42 file; exit 2 with the reason when it cannot be replayed."""
    try:
        return n42_import.read(Path(name).read_bytes(), sigma)
    except OSError as exc:
        fail(f"{name}: cannot read ({exc.strerror or exc})")
    except n42_import.N42Error as exc:
        fail(f"{name}: {exc}")


def events_of(name: str, sigma: float | None) -> Iterator[OccupancyRecord | Fault]:
    """The replay events of a line recording or an N42.42 file (by its suffix)."""
    if name.lower().endswith(N42_SUFFIXES):
        yield from _n42_records(name, sigma)
        return
    yield from replay_events(_open(name), sigma)


def replay_events(stream: BinaryIO, sigma: float | None) -> Iterator[OccupancyRecord | Fault]:
    """Occupancies and the faults outside occupancies of a recording, in order."""
    monitor = RpmMonitor(Settings(sigma=sigma), recorded_time=True, status_every_s=None)
    for line in _lines(stream):
        busy = monitor.tracker.busy
        events = monitor.feed(line, time.time())
        inside = busy or monitor.tracker.busy
        for e in events:
            if _shown(e, inside):
                yield e  # type: ignore[misc]
    for e in monitor.finish():
        if isinstance(e, OccupancyRecord | Fault):
            yield e
    if monitor.parser.buffer:
        yield from (e for e in monitor.feed(b"\n", time.time()) if isinstance(e, Fault))


def _shown(event: object, inside: bool) -> bool:
    if isinstance(event, Fault):
        return not inside or event.kind == "disagreement"
    return isinstance(event, OccupancyRecord)


def _human(event: OccupancyRecord | Fault) -> str:
    if isinstance(event, Fault):
        state = "cleared" if not event.active else "FAULT"
        return f"{state:8} {event.kind}: {event.detail}"
    s = event.summary()
    verdict = "ALARM" if event.alarm else "clear"
    norm = " NORM?" if s["norm_suspect"] else ""
    extra = " faults " + ",".join(s["faults"]) if s["faults"] else ""
    return (
        f"{verdict:8} occupancy {s['occupancy']} {s['start']} speed {s['speed_kmh']} km/h "
        f"peak {s['peak_sigma']} sigma gamma {s['gamma_alarm']} neutron {s['neutron_alarm']}"
        f"{norm}{extra}"
    )


def cmd_replay(args: argparse.Namespace) -> int:
    """`rpm replay`: print each occupancy's verdict and the faults."""
    sigma = _sigma(args.sigma)
    bad = False
    for event in events_of(args.file, sigma):
        bad |= event.alarm if isinstance(event, OccupancyRecord) else event.active
        if args.json:
            print_json(event.summary() if isinstance(event, OccupancyRecord) else fault_json(event))
        else:
            sys.stdout.write(_human(event) + "\n")
    return 1 if bad else 0


def cmd_export(args: argparse.Namespace) -> int:
    """`rpm export`: the N42.42 XML of one occupancy."""
    sigma = _sigma(args.sigma)
    found: list[Any] = []
    for event in events_of(args.file, sigma):
        if isinstance(event, OccupancyRecord):
            found.append(event.number)
            if event.number == args.occupancy:
                return _write(n42.export(event), args.output)
    shown = ", ".join(str(n) for n in found[:20]) or "none"
    fail(f"{args.file}: no occupancy {args.occupancy} (occupancies: {shown})")


def _write(body: bytes, output: str | None) -> int:
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return 0
    try:
        Path(output).write_bytes(body)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    return 0
