"""Barcode benchmark: payloads parsed per second per kind, and scan-to-event latency.

Prints one JSON document. Parsing: each kind of payload (generated, valid)
through ``parse_payload`` for about ``--seconds`` each, next to the bare
check-digit function as the peer (the floor any parser pays). Latency: a
simulated serial scanner (a TCP server the daemon connects to as
``socket://``) sends scans one at a time to a real ``borderpost run``; the
time from writing a scan to its ``barcode`` event arriving on the local API
(``subscribe``) is measured, next to the API's own ``inject`` → event time as
the peer. Target: scan-to-event p99 ≤ 50 ms.

    .venv/bin/python bench/barcode_payloads.py [--seconds 0.5] [--scans 200] [--no-daemon]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.common import free_port, login, percentiles  # noqa: E402
from drivers.barcode import TrustStore, parse_payload  # noqa: E402
from drivers.barcode import generate as gen  # noqa: E402
from drivers.barcode.result import mod11_check  # noqa: E402
from drivers.barcode.trust import cose_kid  # noqa: E402

TARGET_P99_MS = 50.0


def samples() -> dict[str, tuple[list[bytes | str], TrustStore | None]]:
    """Payloads per kind (a few hundred distinct ones each) and the trust they need."""
    rng = random.Random(1)
    key, cert = gen.make_signer()
    trust = TrustStore.of([cert])
    aamva = (
        "@\n\x1e\rANSI 636014090102DL00410280ZC03210024DLDAQD1234562\nDCSPUBLIC\n"
        "DACJOHN\nDADQUINCY\nDBB07041976\nDBA07042030\nDBC1\nDAJCA\nDCGUSA\n"
    )
    bcbp = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"
    return {
        "mrn": ([gen.make_mrn(rng) for _ in range(300)], None),
        "container": ([gen.make_container(rng) for _ in range(300)], None),
        "gs1": ([gen.make_gs1(rng) for _ in range(300)], None),
        "tir": ([gen.make_tir(rng) for _ in range(300)], None),
        "vds_verified": ([gen.make_visa_seal(key, passport=f"L{i:08d}") for i in range(50)], trust),
        "vds_unchecked": ([gen.make_visa_seal(key, passport=f"L{i:08d}") for i in range(50)], None),
        "hc1_verified": (
            [gen.make_hc1(key, cose_kid(cert), surname=f"A{i}") for i in range(50)],
            trust,
        ),
        "bcbp": ([bcbp], None),
        "aamva": ([aamva], None),
        "text": (["https://example.org/some/url"], None),
        "binary": ([bytes(range(256))], None),
    }


def rate(func: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``func`` over about ``seconds``."""
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(50):
            func()
        n += 50
    return n / elapsed


def _parser(items: Iterator[bytes | str], trust: TrustStore | None) -> Callable[[], object]:
    return lambda: parse_payload(next(items), trust=trust)


def parse_rates(seconds: float) -> dict[str, Any]:
    """Payloads per second per kind, and the bare check-digit peer."""
    out: dict[str, Any] = {}
    for kind, (payloads, trust) in samples().items():
        items = itertools.cycle(payloads)
        first = parse_payload(payloads[0], trust=trust)
        assert first.kind != "text" or kind == "text", (kind, first.to_json())
        out[kind] = round(rate(_parser(items, trust), seconds))
    mrn = gen.make_mrn(random.Random(2))
    out["peer_mod11_check_only"] = round(rate(lambda: mod11_check(mrn[:17]), seconds))
    return out


# --- scan to event through the daemon --------------------------------------------------


def start_daemon(state: Path, port: int) -> subprocess.Popen[bytes]:
    """``borderpost run`` with one scanner on ``socket://127.0.0.1:port``."""
    device = (
        'name = "scanner-1"\nkind = "scanner"\n'
        f'url = "socket://127.0.0.1:{port}"\n[devices.options]\nsuffix = "cr"\n'
    )
    return common.start_daemon(state, device, "--allow-inject")


def scan_latency(scans: int) -> dict[str, Any]:
    """Write scans one at a time; time each until its event is pushed on the API."""
    rng = random.Random(3)
    port = free_port()
    server = socket.create_server(("127.0.0.1", port))
    server.settimeout(20)
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        proc = start_daemon(state, port)
        try:
            conn, _ = server.accept()
            client = login(state, ["barcode", "manual"])
            scan_ms, inject_ms = [], []
            for _ in range(scans):
                text = gen.make_container(rng)
                start = time.perf_counter()
                conn.sendall(text.encode() + b"\r")
                while client.next_event()["payload"].get("text") != text:
                    pass
                scan_ms.append((time.perf_counter() - start) * 1000)
            for i in range(min(scans, 100)):
                start = time.perf_counter()
                client.call("inject", kind="barcode", payload={"text": f"peer{i}"}, priority=0)
                while client.next_event()["payload"].get("text") != f"peer{i}":
                    pass
                inject_ms.append((time.perf_counter() - start) * 1000)
            client.close()
            conn.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return {
        "scan_to_event": percentiles(scan_ms),
        "peer_api_inject_to_event": percentiles(inject_ms),
        "target_p99_ms": TARGET_P99_MS,
        "meets_target": percentiles(scan_ms)["p99_ms"] <= TARGET_P99_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="per kind")
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--no-daemon", action="store_true", help="skip the latency part")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "benchmark": "barcode_payloads",
        "machine": {
            "platform": platform.platform(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "payloads_per_second": parse_rates(args.seconds),
    }
    if not args.no_daemon:
        try:
            result["latency"] = scan_latency(args.scans)
        except Exception as exc:  # the daemon is someone else's part: report, don't hide
            result["latency"] = {"error": f"{type(exc).__name__}: {exc}"}
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
