"""Rule evaluation cost: N rules on one crossing, pack apply, and CEL (cel-python) as the peer.

    .venv/bin/python bench/rules.py [--crossings 2000]
    VENV_WITH_CELPY/bin/python bench/rules.py --cel-only     # the peer, same crossings

Prints JSON: p50/p99 per crossing for 500 and 5,000 rules (target 500 ≤ 5 ms
p99), the time to check and put a 5,000-rule pack in force (target ≤ 2 s),
and, when ``celpy`` (cel-python) is importable, the same 500 conditions
compiled and run by it on the same crossings. The load average is printed:
figures on a busy machine are not final.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from edge.rules.engine import evaluate
from edge.rules.pack import load_pack

COUNTRIES = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH", "XXA", "XXB"]


def make_rules(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` rules of the kinds analysts write (lists, ranges, HS codes, portal, history)."""
    rng = random.Random(seed)
    shapes: list[Callable[[], str]] = [
        lambda: (
            f"person.nationality in @risk{rng.randrange(5)}"
            f" and person.age < {rng.randrange(18, 60)}"
        ),
        lambda: f"hs_codes in @hs{rng.randrange(5)}",
        lambda: (
            f'vehicle.country == "{rng.choice(COUNTRIES)}" and time.hour >= {rng.randrange(24)}'
        ),
        lambda: 'rpm.gamma_alarm and declared.goods contains "tiles"',
        lambda: f'mrn.country in ["{rng.choice(COUNTRIES)[:2]}", "ZZ"] and not document.valid',
        lambda: f'containers startswith "{rng.choice(["MSC", "MAE", "CMA"])}U"',
        lambda: f"person_crossings({rng.choice([7, 30])}) >= {rng.randrange(2, 9)}",
    ]
    return [
        {"id": f"R{i}", "when": rng.choice(shapes)(), "lane": rng.choice(["yellow", "red"])}
        for i in range(n)
    ]


def make_pack(n: int, version: int = 1) -> bytes:
    """A pack file of ``n`` rules with the lists they name."""
    rng = random.Random(n)
    lists: dict[str, Any] = {f"risk{i}": rng.sample(COUNTRIES, 3) for i in range(5)}
    for i in range(5):
        lists[f"hs{i}"] = {
            "kind": "hs",
            "items": [f"{rng.randrange(10, 97)}{rng.randrange(10):02d}"],
        }
    pack = {
        "format": "borderpost-rules/1", "version": version, "expires": "2099-01-01T00:00:00Z",
        "random": {"rate": 0.02, "seed": "bench-seed-0123456789"}, "lists": lists,
        "rules": make_rules(n),
    }  # fmt: skip
    return json.dumps(pack).encode()


def make_crossings(n: int) -> list[dict[str, Any]]:
    """Crossings' facts: a person, sometimes a consignment and a portal result."""
    rng = random.Random(7)
    out = []
    for _ in range(n):
        facts: dict[str, Any] = {
            "kind": "mrz", "lane": "L1", "time.hour": rng.randrange(24), "time.weekday": 3,
            "person.nationality": rng.choice(COUNTRIES), "person.age": rng.randrange(18, 80),
            "document.number": f"D{rng.randrange(10**6)}", "document.valid": rng.random() > 0.05,
            "vehicle.country": rng.choice(COUNTRIES),
        }  # fmt: skip
        if rng.random() < 0.5:
            hs = f"{rng.randrange(10, 97)}{rng.randrange(10**4):04d}"
            facts.update({"mrn": "x", "mrn.country": rng.choice(COUNTRIES)[:2], "hs_codes": [hs],
                          "containers": ["MSCU1234565"], "declared.goods": "tiles"})  # fmt: skip
        if rng.random() < 0.3:
            facts.update({"rpm.gamma_alarm": rng.random() < 0.1, "rpm.alarm": False})
        out.append(facts)
    return out


def _pcts(samples: list[float]) -> dict[str, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50_ms": round(q[49] * 1e3, 3), "p99_ms": round(q[98] * 1e3, 3),
            "max_ms": round(max(samples) * 1e3, 3)}  # fmt: skip


def bench_ours(n: int, crossings: list[dict[str, Any]]) -> dict[str, Any]:
    """Our evaluator: the pack's verdict (with explanations) per crossing."""
    pack = load_pack(make_pack(n))
    times, cpu, hits = [], [], 0
    for i, facts in enumerate(crossings):
        t0, c0 = time.perf_counter(), time.thread_time()
        verdict = evaluate(pack, facts, f"c{i}", lambda _s, _d: 2)
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        hits += len(verdict.hits)
    on_cpu = {f"cpu_{k}": v for k, v in _pcts(cpu).items()}  # without time others took
    return {"rules": n, **_pcts(times), **on_cpu,
            "hits_per_crossing": round(hits / len(crossings), 2)}  # fmt: skip


def bench_apply(n: int) -> dict[str, Any]:
    """Lint, load and write a pack of ``n`` rules as the post's applier does."""
    from edge.rules.service import RulesService

    with tempfile.TemporaryDirectory() as tmp:
        service = RulesService(Path(tmp))
        data = make_pack(n)
        t0 = time.perf_counter()
        service.apply(data)
        return {"rules": n, "apply_s": round(time.perf_counter() - t0, 3), "bytes": len(data)}


def bench_daemon(n_rules: int, swipes: int = 300) -> dict[str, Any]:
    """Swipe → verdict through a real daemon (an MRZ read injected on the local API, its
    event with the rules verdict back once on disk), with ``n_rules`` rules in force (0: none)."""
    import subprocess

    from edge.api.client import ApiClient

    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        if n_rules:
            (state / "rules").mkdir()
            (state / "rules" / "pack.json").write_bytes(make_pack(n_rules))
        cmd = [sys.executable, "-m", "edge", "run", "--state-dir", tmp, "--allow-inject"]
        log = (state / "daemon.log").open("wb")
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
        try:
            client = _client(state / "api.sock", ApiClient, proc)
            return {"rules": n_rules, **_pcts(_swipes(client, swipes, bool(n_rules)))}
        finally:
            proc.terminate()
            proc.wait(10)


def _client(sock: Path, cls: Any, proc: Any) -> Any:
    for _ in range(1200):
        try:
            return cls(sock, timeout=10)
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    log = (sock.parent / "daemon.log").read_text()[-2000:]
    raise RuntimeError(f"the daemon did not start: {log}")


def _swipes(client: Any, n: int, judged: bool) -> list[float]:
    rng, times = random.Random(3), []
    for i in range(n):
        mrz = {"nationality": rng.choice(COUNTRIES), "birth_date": f"{rng.randrange(40, 99)}0101",
               "document_number": f"D{i}"}  # fmt: skip
        t0 = time.perf_counter()
        reply = client.call("inject", kind="mrz", payload=mrz, lane="1")
        times.append(time.perf_counter() - t0)
        assert ("rules" in reply["event"]["payload"]) is judged, "the pack was not in force"
        time.sleep(0.01)
    return times


def bench_cel(n: int, crossings: list[dict[str, Any]]) -> dict[str, Any]:
    """The same conditions through cel-python, lists inlined, history as a constant."""
    try:
        import celpy  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {"skipped": "cel-python (celpy) is not installed in this interpreter"}
    pack = json.loads(make_pack(n))
    env = celpy.Environment()
    programs = []
    for rule in pack["rules"]:
        text = _to_cel(rule["when"], pack["lists"])
        programs.append(env.program(env.compile(text)))
    times = []
    for facts in crossings[:200]:
        activation = {"f": celpy.json_to_cel(_cel_facts(facts))}
        t0 = time.perf_counter()
        for program in programs:
            with contextlib.suppress(Exception):  # a missing key: CEL's error value
                program.evaluate(activation)
        times.append(time.perf_counter() - t0)
    return {"rules": n, "crossings": len(times), **_pcts(times), "version": celpy.__name__}


def _cel_facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k.replace(".", "_"): v for k, v in facts.items()} | {"crossings": 2}


def _to_cel(when: str, lists: dict[str, Any]) -> str:
    """Our bench conditions in CEL (field names with _; HS prefixes as startsWith)."""
    import re

    text = when
    for name, spec in lists.items():
        items = spec["items"] if isinstance(spec, dict) else spec
        prefixes = " || ".join(f'h.startsWith("{i}")' for i in items)
        text = text.replace(f"hs_codes in @{name}", f"f.hs_codes.exists(h, {prefixes})")
        text = text.replace(f"@{name}", json.dumps(items))
    text = re.sub(r"person_crossings\(\d+\)", "f.crossings", text)
    text = re.sub(
        r'containers startswith ("\w+")', r"f.containers.exists(c, c.startsWith(\1))", text
    )
    text = re.sub(r'(\w+)\.(\w+) contains ("\w+")', r"f.\1_\2.contains(\3)", text)
    text = re.sub(r"\b(person|vehicle|time|mrn|document|rpm)\.(\w+)", r"f.\1_\2", text)
    return text.replace(" and ", " && ").replace("not ", "!").replace(" or ", " || ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crossings", type=int, default=2000)
    parser.add_argument(
        "--cel-only", action="store_true",
        help="only ours and cel-python on 500 rules (for a venv holding celpy, not the project)",
    )  # fmt: skip
    args = parser.parse_args()
    crossings = make_crossings(args.crossings)
    if args.cel_only:
        few = crossings[:200]
        load = os.getloadavg()
        ours, cel = bench_ours(500, few), bench_cel(500, few)
        print(json.dumps({"load": load, "ours_500": ours, "cel_python_500": cel,
                          "load_after": os.getloadavg()}, indent=2))  # fmt: skip
        return 0
    result = {
        "machine": {"python": platform.python_version(), "arch": platform.machine(),
                    "cpus": os.cpu_count(), "load": os.getloadavg()},
        "ours_500": bench_ours(500, crossings),
        "ours_5000": bench_ours(5000, crossings[:500]),
        "apply_500": bench_apply(500),
        "apply_5000": bench_apply(5000),
        "daemon_swipe_no_rules": bench_daemon(0),
        "daemon_swipe_500_rules": bench_daemon(500),
        "cel_python_500": bench_cel(500, crossings),
        "targets": {"p99_500_ms": 5.0, "apply_s": 2.0, "swipe_p99_ms": 100.0},
        "load_after": os.getloadavg(),
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
