"""`borderpost sim …` — the simulated devices' commands, beside the simulators they run.

Each simulator speaks a real device protocol on a pty pair (``pty``), a TCP
port (``socket://HOST:PORT``) or a serial URL: ``sim mrz`` a document reader
(``drivers/mrz/sim.py``), ``sim scanner`` a handheld barcode scanner
(``drivers/barcode/sim.py``), ``sim rpm`` a radiation portal monitor
(``drivers/rpm/sim.py``; ``--vendor aspect``: a Modbus TCP server,
``drivers/rpm/aspect_sim.py``). ``edge.cli`` only dispatches here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import NoReturn

from drivers.barcode.scanner import SUFFIXES
from drivers.mrz.framing import FRAMINGS
from drivers.rpm.aspect_sim import FAULTS as ASPECT_FAULTS
from drivers.rpm.sim import FAULTS

PORT_HELP = "pty, socket://HOST:PORT or a serial URL"


def fail(message: str) -> NoReturn:
    """A bad simulator option: ``borderpost: message`` on stderr, exit code 2 (a usage
    error, as every ``borderpost`` command gives; drivers may not import the CLI helpers
    of ``sync``)."""
    sys.stderr.write(f"borderpost: {message}\n")
    raise SystemExit(2)


def register_sim(sim_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `borderpost sim mrz`, `sim scanner` and `sim rpm`."""
    _register_mrz(sim_sub)
    _register_scanner(sim_sub)
    _register_rpm(sim_sub)


def _start_delay(args: argparse.Namespace) -> float:
    """``--delay``, else 1 s on a fresh pty (time to open the other end), else none."""
    delay: float = args.delay if args.delay is not None else (1.0 if args.port == "pty" else 0.0)
    return delay


def _add_start_after(sim: argparse.ArgumentParser) -> None:
    sim.add_argument("--start-after", metavar="FILE",
                     help="send nothing until FILE exists (e.g. the daemon's api.sock), "
                          "then wait --delay: a reader on a pty drops what came before it "
                          "opened the port")  # fmt: skip


def _wait_to_start(args: argparse.Namespace) -> None:
    """Hold the traffic until ``--start-after`` names a file that exists (the port is
    already open and announced, so whoever reads it can start meanwhile)."""
    while args.start_after and not Path(args.start_after).exists():
        time.sleep(0.1)


def _check_paced(args: argparse.Namespace, delay: float) -> None:
    if min(args.interval, delay, 0 if args.count is None else args.count) < 0:
        fail("--interval, --delay and --count must not be negative")


# -- document reader ----------------------------------------------------------------


def _register_mrz(sim_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = sim_sub.add_parser("mrz", help="a serial passport / ID card reader")
    sim.add_argument("--port", required=True, help=PORT_HELP)
    sim.add_argument("--framing", choices=FRAMINGS, default="line", help="wire framing")
    sim.add_argument("--file", help="MRZ blocks to play, blank line between documents")
    sim.add_argument("--count", type=int, help="stop after N documents (default: for ever)")
    sim.add_argument("--interval", type=float, default=2.0, help="seconds between documents")
    sim.add_argument("--noise", type=float, default=0.0,
                     help="chance per byte of a stray byte (half of it: a look-alike)")  # fmt: skip
    sim.add_argument("--seed", type=int, help="random seed (travellers and noise)")
    sim.add_argument("--delay", type=float,
                     help="seconds before the first block (default 1 for pty, else 0)")  # fmt: skip
    _add_start_after(sim)
    sim.set_defaults(func=cmd_sim_mrz)


def cmd_sim_mrz(args: argparse.Namespace) -> int:
    """`sim mrz`: play documents from a file or generated travellers to a port."""
    from drivers.mrz import sim as reader_sim

    delay = _start_delay(args)
    _check_paced(args, delay)
    if not 0 <= args.noise <= 1:
        fail("--noise must be between 0 and 1")
    try:
        blocks = (reader_sim.cycle(reader_sim.file_blocks(args.file)) if args.file
                  else reader_sim.generated(args.seed))  # fmt: skip
        port = reader_sim.open_port(args.port)
    except reader_sim.SimError as exc:
        fail(str(exc))
    try:
        _wait_to_start(args)
        reader_sim.run(port, blocks, framing=args.framing, interval=args.interval,
                       count=args.count, noise=args.noise, seed=args.seed, delay=delay)  # fmt: skip
    finally:
        port.close()
    return 0


# -- barcode scanner ----------------------------------------------------------------


def _register_scanner(sim_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = sim_sub.add_parser("scanner", help="a handheld barcode scanner (serial)")
    sim.add_argument("--port", required=True, help=PORT_HELP)
    sim.add_argument("--file", help="scans to send, one per line (else generated traffic)")
    sim.add_argument("--suffix", choices=sorted(SUFFIXES), default="cr")
    sim.add_argument("--aim", action="store_true", help="prefix AIM symbology identifiers")
    sim.add_argument("--interval", type=float, default=1.0, help="seconds between scans")
    sim.add_argument("--count", type=int, help="stop after N scans (default: run for ever)")
    sim.add_argument("--seed", type=int, help="random seed for generated traffic")
    sim.add_argument(
        "--delay", type=float, help="seconds before the first scan (default 1 for pty, else 0)"
    )
    sim.add_argument("--bad-ratio", type=float, default=0.1, help="share with bad check digits")
    _add_start_after(sim)
    sim.set_defaults(func=cmd_sim_scanner)


def cmd_sim_scanner(args: argparse.Namespace) -> int:
    """`sim scanner`: send scans from a file or generated traffic to a port."""
    from drivers.barcode import sim as scanner_sim

    delay = _start_delay(args)
    _check_paced(args, delay)
    if not 0 <= args.bad_ratio <= 1:
        fail("--bad-ratio must be between 0 and 1")
    try:
        payloads = (
            scanner_sim.cycle(scanner_sim.file_payloads(args.file))
            if args.file
            else scanner_sim.generated(args.seed, args.bad_ratio)
        )
        port = scanner_sim.open_port(args.port)
    except scanner_sim.SimError as exc:
        fail(str(exc))
    try:
        _wait_to_start(args)
        scanner_sim.run(port, payloads, suffix=args.suffix, aim=args.aim,
                        interval=args.interval, count=args.count, delay=delay)  # fmt: skip
    finally:
        port.close()
    return 0


# -- radiation portal monitor -------------------------------------------------------


def _register_rpm(sim_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = sim_sub.add_parser("rpm", help="a radiation portal monitor (serial, TCP or Modbus TCP)")
    sim.add_argument("--port", required=True,
                     help=PORT_HELP + " (--vendor aspect: modbus://HOST:PORT)")  # fmt: skip
    sim.add_argument("--vendor", choices=("rapiscan", "aspect"), default="rapiscan",
                     help="line protocol (rapiscan) or Modbus TCP registers (aspect)")  # fmt: skip
    sim.add_argument("--unit", type=int, default=1, help="aspect: the Modbus unit id (1-247)")
    sim.add_argument("--rate", type=float, default=1.0, help="simulated seconds per second")
    sim.add_argument("--vehicles-per-min", type=float, default=2.0, help="mean traffic")
    sim.add_argument("--source-sigma", type=float, default=0.0, help="point source in each vehicle")
    sim.add_argument("--norm-fraction", type=float, default=0.0, help="share with NORM cargo")
    sim.add_argument(
        "--source-fraction",
        type=float,
        default=1.0,
        help="share of vehicles carrying the --source-sigma source (default: all)",
    )
    sim.add_argument(
        "--neutron-cps", type=float, default=0.0, help="neutron source in each vehicle"
    )
    sim.add_argument("--fault", choices=sorted({*FAULTS, *ASPECT_FAULTS}),
                     help="inject a fault after 12 simulated s (of the vendor)")  # fmt: skip
    sim.add_argument("--sigma", type=float, default=5.0, help="the device's SG1 sigma")
    sim.add_argument("--seed", type=int, help="random seed")
    sim.add_argument("--duration", type=float, help="stop after S simulated seconds")
    sim.add_argument("--delay", type=float, help="seconds before the first line (pty: 1)")
    _add_start_after(sim)
    sim.set_defaults(func=cmd_sim_rpm)


def _check_rpm(args: argparse.Namespace) -> None:
    if args.rate <= 0 or args.rate > 1000:
        fail("--rate must be above 0 and at most 1000")
    if args.vehicles_per_min < 0 or args.vehicles_per_min > 60:
        fail("--vehicles-per-min must be between 0 and 60")
    if not 0 <= args.norm_fraction <= 1 or not 0 <= args.source_fraction <= 1:
        fail("--norm-fraction and --source-fraction must be between 0 and 1")
    if not 0 <= args.source_sigma <= 1000 or not 0 <= args.neutron_cps <= 1e5:
        fail("--source-sigma and --neutron-cps must not be negative")
    if not 1 <= args.sigma <= 20:
        fail("--sigma must be between 1 and 20")
    if args.duration is not None and args.duration <= 0:
        fail("--duration must be positive")
    vendor_faults = ASPECT_FAULTS if args.vendor == "aspect" else FAULTS
    if args.fault is not None and args.fault not in vendor_faults:
        fail(f"--fault {args.fault} is not a {args.vendor} fault; choose from "
             + ", ".join(vendor_faults))  # fmt: skip


def cmd_sim_rpm(args: argparse.Namespace) -> int:
    """`sim rpm`: serve simulated RPM lines on a pty, a TCP port or a serial URL."""
    from drivers.barcode import sim as port_sim
    from drivers.rpm.sim import SimConfig, Simulator, serve

    _check_rpm(args)
    cfg = SimConfig(
        args.vehicles_per_min, args.source_sigma, args.norm_fraction, args.neutron_cps,
        args.fault, args.sigma, args.seed, args.source_fraction,
    )  # fmt: skip
    if args.vendor == "aspect":
        return _serve_aspect(args, cfg)
    delay = _start_delay(args)
    try:
        port = port_sim.open_port(args.port)
    except port_sim.SimError as exc:
        fail(str(exc))
    try:
        _wait_to_start(args)
        time.sleep(max(delay, 0.0))
        serve(port.write, Simulator(cfg), rate=args.rate, duration=args.duration)
    finally:
        port.close()
    return 0


def _port(url: str) -> int | None:
    """The port of ``url``, or None when it has none or it is not from 1 to 65535."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).port or None
    except ValueError:
        return None


def _serve_aspect(args: argparse.Namespace, cfg: object) -> int:
    """`sim rpm --vendor aspect`: a Modbus TCP server in real time (``--rate`` must be 1)."""
    import asyncio
    import logging
    from urllib.parse import urlsplit

    from drivers.rpm import aspect_sim
    from drivers.rpm.sim import SimConfig

    assert isinstance(cfg, SimConfig)
    parts = urlsplit(args.port)
    if parts.scheme not in ("modbus", "socket") or not parts.hostname or not _port(args.port):
        fail("--vendor aspect needs --port modbus://HOST:PORT (port 1 to 65535)")
    if args.rate != 1.0 or not 1 <= args.unit <= 247:
        fail("--vendor aspect plays in real time (--rate 1) on a unit id from 1 to 247")
    if args.start_after:
        fail("--start-after is for line protocols: an Aspect monitor is polled, it loses nothing")
    time.sleep(max(args.delay or 0.0, 0.0))
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)  # unit-id scans of absent ids
    scenario = aspect_sim.AspectScenario(cfg)
    coro = aspect_sim.serve(parts.hostname, parts.port, scenario, args.unit, args.duration)
    try:
        asyncio.run(coro)
    except OSError as exc:
        fail(f"cannot serve on {args.port}: {exc.strerror or exc}")
    except RuntimeError:  # pymodbus' words for a port in use or an address not this machine's
        fail(f"cannot serve on {args.port}: the port is in use or the host is not this machine")
    except KeyboardInterrupt:
        pass
    return 0
