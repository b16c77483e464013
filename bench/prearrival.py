"""Pre-arrival costs: a read matched against the lists in force, a big list applied, PAXLST read.

    .venv/bin/python bench/prearrival.py [--reads 20000] [--messages 2000]

Prints one JSON document:

* ``match``: p50/p99 (ms) of one read judged (``PrearrivalService.judge``: look-up,
  verdict, arrival noted) against 20,000 expected travellers and 5,000 vehicles in
  100 lists; reads are 60 % expected, 20 % mismatch, 20 % on no list (target p99 ≤ 5 ms);
* ``apply``: a 20,000-traveller list applied (payload parsed and validated, written to
  ``prearrival.db`` in one transaction, index rebuilt; target ≤ 5 s), and the judge's
  p99 for reads at 50/s while it runs in another thread, beside idle;
* ``paxlst``: messages read per second (target ≥ 2,000/s), for generated bus lists of
  40 travellers (``parse``: the extractor, which reads these; beside the tokenizer and
  reader without it, the careful path, plain ``str.split`` into segments and elements
  as the floor, and pydifact's reader of segments and elements). ``parse`` and the floor
  take turns over five rounds and ``parse_to_floor`` is the one over the other: on a
  busy machine both slow down alike, so that ratio times the floor of a quiet machine
  predicts the quiet figure (``parse_to_floor_cpu_time``: the same by the process's CPU
  time, which being put off the CPU does not count, so steadier at high load)
  and, when ``../shared/testdata/paxlst`` is there, its GTAS samples. pydifact runs in
  its own environment, never the product's: ``python -m venv bench/.peer-venv-paxlst &&
  bench/.peer-venv-paxlst/bin/pip install pydifact==0.2.3`` (left out when missing).

The load average before and after is printed: figures on a busy machine are not final.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drivers.base import Reading
from drivers.events import DocumentKey, PersonKey, WatchlistKey
from edge.prearrival.service import PrearrivalService
from sync.hq.prearrival import payload
from sync.paxlst.edifact import Tokenizer
from sync.paxlst.expected import ExpectedList, expected_list
from sync.paxlst.extract import extract
from sync.paxlst.model import Document, Message, Place, Transport, Traveller
from sync.paxlst.parse import messages as read_messages
from sync.paxlst.parse import parse
from sync.paxlst.write import write
from sync.wldist.manifest import Manifest

TODAY = datetime.date(2026, 12, 4)
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "paxlst"


def pct(ms: list[float]) -> dict[str, float]:
    """p50, p99 and max in milliseconds."""
    s = sorted(ms)
    return {
        "p50_ms": round(s[len(s) // 2], 4),
        "p99_ms": round(s[min(len(s) - 1, int(len(s) * 0.99))], 4),
        "max_ms": round(s[-1], 4),
        "n": len(s),
    }


def make_lists(people: int, vehicles: int, lists: int, now: float) -> list[ExpectedList]:
    """``lists`` lists sharing ``people`` travellers and ``vehicles`` vehicles."""
    out = []
    for n in range(lists):
        travellers = [
            {"surname": f"SURNAME{i}", "given_names": "ANNA MARIA", "birth_date": "1980-01-01",
             "nationality": "UTO", "document_type": "P", "document_number": f"P{i:08d}",
             "document_issuer": "UTO", "role": "passenger"}
            for i in range(n, people, lists)
        ]  # fmt: skip
        cars = [{"plate": f"UT{i:06d}", "country": "UTO"} for i in range(n, vehicles, lists)]
        obj = {
            "list_id": f"L{n}",
            "posts": ["post-01"],
            "window": {"from": _iso(now - 600), "to": _iso(now + 86400)},
            "travellers": travellers,
            "vehicles": cars,
        }
        out.append(expected_list(obj))
    return out


def _iso(ts: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def _manifest(version: int) -> Manifest:
    return Manifest(version, 0, "snapshot", 0, 2**40, ("post-01",), (), 0, "", 0, "k", "pax")


def _read(rng: random.Random, people: int) -> Reading:
    """60 % expected, 20 % mismatch (other surname), 20 % on no list."""
    i, r = rng.randrange(people), rng.random()
    number = f"P{i:08d}" if r < 0.8 else f"Z{i:08d}"
    surname = "SOMEONE" if 0.6 <= r < 0.8 else f"SURNAME{i}"
    keys: list[WatchlistKey] = [
        DocumentKey(number, "UTO", "P"),
        PersonKey(surname, "ANNA", "800101", "UTO"),
    ]
    return Reading.of("mrz", {"document_number": number}, 0, keys)


def bench_match(svc: PrearrivalService, reads: int, people: int) -> dict[str, Any]:
    rng = random.Random(7)
    batch = [_read(rng, people) for _ in range(reads)]
    ms = []
    for i, reading in enumerate(batch):
        t = time.perf_counter()
        svc.judge(reading, reading.body, [], f"L{i % 8}")
        ms.append((time.perf_counter() - t) * 1000)
    return pct(ms)


def _paced(svc: PrearrivalService, stop: threading.Event, ms: list[float], people: int) -> None:
    rng = random.Random(9)
    while not stop.is_set():
        reading = _read(rng, people)
        t = time.perf_counter()
        svc.judge(reading, reading.body, [], "L1")
        ms.append((time.perf_counter() - t) * 1000)
        time.sleep(0.02)  # 50 reads/s


def bench_apply(state: Path, people: int) -> dict[str, Any]:
    now = time.time()
    (state / "apply").mkdir()
    svc = PrearrivalService(state / "apply", "post-01")
    svc.apply(_manifest(1), payload("post-01", make_lists(2000, 500, 10, now), now))
    idle: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=_paced, args=(svc, stop, idle, 2000))
    thread.start()
    time.sleep(2.0)
    stop.set()
    thread.join()
    data = payload("post-01", make_lists(people, 0, 1, now), now)
    during: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=_paced, args=(svc, stop, during, 2000))
    thread.start()
    t = time.perf_counter()
    svc.apply(_manifest(2), data)
    seconds = time.perf_counter() - t
    stop.set()
    thread.join()
    svc.close()
    return {
        "travellers": people,
        "payload_bytes": len(data),
        "seconds": round(seconds, 3),
        "judge_idle": pct(idle),
        "judge_during_apply": pct(during),
    }


def _bus(n: int, rng: random.Random) -> Message:
    def doc() -> Document:
        return Document("P", f"P{rng.randrange(10**8):08d}", "UTO", "2030-01-01")

    people = tuple(
        Traveller(f"SURNAME{rng.randrange(10**6)}", "ANNA MARIA", "1980-01-01", "F", "UTO",
                  "passenger", (doc(),))
        for _ in range(40)
    )  # fmt: skip
    where = Transport("road", "BUSCO", f"UT{n:06d}", Place("AAA", "2026-12-04T10:00"),
                      Place("BBB", "2026-12-04T12:00"))  # fmt: skip
    return Message("passenger_list", f"R{n}", where, people, None)  # type: ignore[arg-type]


def _rate(fn: Any, messages: int) -> int:
    """Messages per second for ``fn()`` (the best of three runs)."""
    return _rates([fn], messages, 3)[0][0]


def _rates(fns: list[Any], messages: int, rounds: int) -> tuple[list[int], list[int]]:
    """Messages per second for each of ``fns`` (the best of ``rounds`` runs each), by the
    clock and by the process's CPU time, the functions taking turns in every round, so a
    busy moment falls on them alike."""
    wall, cpu = [float("inf")] * len(fns), [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            t, c = time.perf_counter(), time.process_time()
            fn()
            cpu[i] = min(cpu[i], time.process_time() - c)
            wall[i] = min(wall[i], time.perf_counter() - t)
    return [round(messages / b) for b in wall], [round(messages / b) for b in cpu]


PEER_PYTHON = Path(__file__).resolve().parent / ".peer-venv-paxlst" / "bin" / "python"
PEER_CODE = """
import sys, time, warnings
warnings.simplefilter("ignore")  # pydifact warns once per segment type it cannot validate
from pydifact.segmentcollection import Interchange
text = open(sys.argv[1], encoding="utf-8").read()
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    n = sum(1 for seg in Interchange.from_str(text).segments if seg.tag == "UNH")
    best = min(best, time.perf_counter() - t)
print(n, best)
"""


def _pydifact(text: str) -> dict[str, Any] | str:
    """The peer: pydifact reading the same text into segments and elements (not PAXLST
    fields), in its own environment ``bench/.peer-venv-paxlst`` (see the module docstring)."""
    if not PEER_PYTHON.exists():
        return "not installed (bench/.peer-venv-paxlst)"
    with tempfile.NamedTemporaryFile("w", suffix=".edi", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        run = subprocess.run(
            [str(PEER_PYTHON), "-c", PEER_CODE, f.name], capture_output=True, text=True
        )
    if run.returncode != 0:
        return f"failed: {run.stderr.strip()[-200:]}"
    n, seconds = run.stdout.split()
    version = (
        subprocess.run(
            [str(PEER_PYTHON), "-m", "pip", "show", "pydifact"], capture_output=True, text=True
        )
        .stdout.split("Version: ")[-1]
        .split()[0]
    )
    return {
        "version": version,
        "messages": int(n),
        "messages_per_s": round(int(n) / float(seconds)),
    }


def bench_paxlst(messages: int) -> dict[str, Any]:
    rng = random.Random(3)
    text = write([_bus(i, rng) for i in range(messages)])
    n = len(parse(text))
    (parse_rate, floor), (parse_cpu, floor_cpu) = _rates(
        [lambda: parse(text, TODAY), lambda: [s.split("+") for s in text.split("'")]], n, 5
    )
    out: dict[str, Any] = {
        "generated": {
            "messages": n,
            "travellers_each": 40,
            "segments": text.count("'"),
            "bytes": len(text),
            "extractor_taken": extract(text, TODAY) is not None,
            "messages_per_s": parse_rate,
            "floor_str_split_segments_elements_per_s": floor,
            "parse_to_floor": round(parse_rate / floor, 3),
            "parse_to_floor_cpu_time": round(parse_cpu / floor_cpu, 3),
            "without_extractor_messages_per_s": _rate(
                lambda: list(read_messages(Tokenizer(text).segments(), TODAY)), n
            ),
            "careful_path_messages_per_s": _rate(lambda: parse(text, TODAY, fast=False), n),
            "peer_pydifact_segments_only": _pydifact(text),
        }
    }
    if SAMPLES.is_dir():
        files = [p.read_bytes() for p in sorted(SAMPLES.glob("gtas_*"))]
        count = sum(len(parse(data)) for data in files) * 20
        out["gtas_samples"] = {
            "messages": count,
            "messages_per_s": _rate(lambda: [parse(d) for _ in range(20) for d in files], count),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reads", type=int, default=20000)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--paxlst-only", action="store_true", help="only the PAXLST reading figures")
    args = ap.parse_args()
    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "arch": platform.machine(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
        }
    }
    if not args.paxlst_only:
        result.update(bench_lists(args.reads))
    result["paxlst"] = {**bench_paxlst(args.messages), "target_messages_per_s": 2000}
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=1))


def bench_lists(reads: int) -> dict[str, Any]:
    """The ``match`` and ``apply`` figures."""
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        now = time.time()
        svc = PrearrivalService(state, "post-01")
        svc.apply(_manifest(1), payload("post-01", make_lists(20000, 5000, 100, now), now))
        match = bench_match(svc, reads, 20000)
        svc.close()
        apply = bench_apply(state, 20000)
    return {
        "match": {"travellers": 20000, "vehicles": 5000, "lists": 100, **match,
                  "target_p99_ms": 5.0},
        "apply": {**apply, "target_s": 5.0},
    }  # fmt: skip


if __name__ == "__main__":
    main()
