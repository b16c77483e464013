"""Watchlist screening benchmark: a million persons and a million documents.

Builds the list as a JSON Lines file (names from Faker's locales, Cyrillic kept
in its script), imports it, then in a fresh process measures person and
document check latency, RSS with the list loaded, candidate recall on
perturbed MRZ-style queries, and recall/precision beside a brute-force
rapidfuzz scan (``--brute-queries`` queries over every listed name).

    .venv/bin/python bench/screening.py [--persons 1000000] [--documents 1000000]
        [--every-script]   # people of 13 more locales under names in their own scripts

Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edge.watchlist.normalize import to_mrz

LOCALES = {
    "en_US": "USA",
    "en_GB": "GBR",
    "de_DE": "DEU",
    "fr_FR": "FRA",
    "es_ES": "ESP",
    "it_IT": "ITA",
    "pl_PL": "POL",
    "ru_RU": "RUS",
    "uk_UA": "UKR",
    "tr_TR": "TUR",
    "nl_NL": "NLD",
    "sv_SE": "SWE",
    "cs_CZ": "CZE",
    "hu_HU": "HUN",
    "pt_BR": "BRA",
    "ro_RO": "ROU",
    "fi_FI": "FIN",
    "da_DK": "DNK",
    "no_NO": "NOR",
    "hr_HR": "HRV",
    "sk_SK": "SVK",
    "bg_BG": "BGR",
    "vi_VN": "VNM",
    "id_ID": "IDN",
    "en_IN": "IND",
    "az_AZ": "AZE",
    "lv_LV": "LVA",
    "lt_LT": "LTU",
    "sl_SI": "SVN",
    "et_EE": "EST",
}
IN_THEIR_SCRIPTS = {
    "zh_CN": "CHN",
    "zh_TW": "TWN",
    "ja_JP": "JPN",
    "ko_KR": "KOR",
    "ar_AA": "EGY",
    "fa_IR": "IRN",
    "he_IL": "ISR",
    "el_GR": "GRC",
    "ka_GE": "GEO",
    "hy_AM": "ARM",
    "th_TH": "THA",
    "hi_IN": "IND",
    "bn_BD": "BGD",
}
"""Locales whose names Faker writes in their own scripts (Han, kanji, Hangul, Arabic, Hebrew,
Greek, Georgian, Armenian, Thai, Devanagari, Bengali), added by ``--every-script``: lists
from real sources carry such names, and a name in Chinese characters or kana makes a process
load the readers of Japanese and Cantonese."""
POOL = 400


def name_pools(seed: int, locales: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """Given names and surnames per locale and sex, drawn from Faker."""
    from faker import Faker

    pools: dict[str, dict[str, list[str]]] = {}
    for loc in locales:
        fake = Faker(loc)
        fake.seed_instance(seed)
        pools[loc] = {
            "gM": sorted({fake.first_name_male() for _ in range(POOL)}),
            "gF": sorted({fake.first_name_female() for _ in range(POOL)}),
            "sM": sorted({fake.last_name_male() for _ in range(POOL)}),
            "sF": sorted({fake.last_name_female() for _ in range(POOL)}),
        }
    return pools


def make_person(
    rng: random.Random, pools: dict[str, dict[str, list[str]]], i: int, locales: dict[str, str]
) -> dict[str, Any]:
    """One listed person record (JSON Lines format)."""
    loc = rng.choice(list(locales))
    sex = rng.choice("MF")
    pool = pools[loc]
    given = [rng.choice(pool["g" + sex]) for _ in range(1 if rng.random() < 0.6 else 2)]
    surname = rng.choice(pool["s" + sex])
    if rng.random() < 0.08:
        surname += "-" + rng.choice(pool["s" + sex])
    year = rng.randint(1940, 2006)
    dob = (
        str(year)
        if rng.random() < 0.1
        else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    )
    names = [{"surname": surname, "given_names": " ".join(given)}]
    if rng.random() < 0.15:
        names.append({"surname": rng.choice(pool["s" + sex]), "given_names": given[0]})
    return {
        "id": f"P{i}",
        "kind": "person",
        "names": names,
        "birth_date": dob,
        "sex": sex,
        "nationalities": [locales[loc]],
        "action": rng.choice(("arrest", "refer", "monitor")),
    }


def make_document(rng: random.Random, i: int) -> dict[str, Any]:
    """One lost/stolen document record."""
    number = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(9))
    return {
        "id": f"D{i}",
        "kind": "document",
        "number": number,
        "issuer": rng.choice(list(LOCALES.values())),
        "doc_type": "P",
    }


def perturb(rng: random.Random, person: dict[str, Any]) -> dict[str, Any]:
    """A person key as a reader would yield it: MRZ rendering with a realistic error."""
    name = person["names"][0]
    surname, given = to_mrz(name["surname"]), to_mrz(name["given_names"])
    kind = rng.choice(("typo", "swap", "drop", "truncate", "partial_dob", "exact", "transpose"))
    if kind == "typo":
        surname = _typo(rng, surname)
    elif kind == "transpose" and len(given) > 3:
        j = rng.randrange(len(given) - 1)
        given = given[:j] + given[j + 1] + given[j] + given[j + 2 :]
    elif kind == "swap":
        surname, given = given, surname
    elif kind == "drop":
        given = given.split()[0]
    elif kind == "truncate":
        given = given[: max(1, len(given) - rng.randint(1, 4))]
    dob = person["birth_date"][:4] if kind == "partial_dob" else person["birth_date"]
    key = {"kind": "person", "surname": surname, "given_names": given, "birth_date": dob}
    key.update(nationality=person["nationalities"][0], sex=person["sex"])
    return key


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    j = rng.randrange(1, len(text) - 1)
    return text[:j] + rng.choice(string.ascii_uppercase) + text[j + 1 :]


def build(
    args: argparse.Namespace, path: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Write the list file; return a sample of persons and documents for queries."""
    rng = random.Random(args.seed)
    pools = name_pools(args.seed, args.locales)
    persons, docs = [], []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(args.persons):
            rec = make_person(rng, pools, i, args.locales)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if i % max(1, args.persons // args.queries) == 0:
                persons.append(rec)
        for i in range(args.documents):
            rec = make_document(rng, i)
            fh.write(json.dumps(rec) + "\n")
            if i % max(1, args.documents // args.queries) == 0:
                docs.append(rec)
    return persons, docs


def child(state: Path, what: str, payload: Any) -> dict[str, Any]:
    """Run a phase in a fresh interpreter so its RSS is its own."""
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); import bench.screening as b; "
        "print(json.dumps(getattr(b, 'phase_' + sys.argv[2])(sys.argv[3], json.load(sys.stdin))))"
    )
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", code, root, what, str(state)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def phase_import(state: str, payload: Any) -> dict[str, Any]:
    """Import the list file; time and peak RSS."""
    from edge.watchlist.db import Watchlist
    from edge.watchlist.importers import import_file

    wl = Watchlist.open(Path(state) / "watchlist.db")
    with DiskPeak([Path(state), _sqlite_temp_dir()]) as disk:
        start = time.perf_counter()
        result = import_file(wl, payload["file"], "jsonl")
        seconds = time.perf_counter() - start
    stats = wl.stats()
    return {
        "import_s": round(seconds, 1),
        "import_cpu_s": round(time.process_time(), 1),  # this process: reading, SQLite
        "import_worker_cpu_s": round(_children_cpu(), 1),  # parsing, validating, index keys
        "accepted": result.accepted,
        "rejected": len(result.rejects),
        "file_mb": round(stats["file_bytes"] / 1e6, 1),
        "import_peak_rss_mb": _rss_mb(),
        "import_worker_peak_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),  # the largest
        "import_peak_disk_mb": round(disk.peak / 1e6, 1),  # list, WAL, SQLite's temp files
    }


class DiskPeak:
    """Most disk space taken at once, beyond the start, on the filesystems of ``dirs``
    (sampled every 0.2 s; catches SQLite's unlinked temporary files too)."""

    def __init__(self, dirs: list[Path]) -> None:
        by_device = {d.stat().st_dev: d for d in dirs if d.is_dir()}
        self.dirs = list(by_device.values())
        self.start = [shutil.disk_usage(d).free for d in self.dirs]
        self.least = list(self.start)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> DiskPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = sum(s - low for s, low in zip(self.start, self.least, strict=True))

    def _sample(self) -> None:
        while True:
            for i, d in enumerate(self.dirs):
                self.least[i] = min(self.least[i], shutil.disk_usage(d).free)
            if self._stop.wait(0.2):
                return


def _sqlite_temp_dir() -> Path:
    """Where SQLite puts its temporary files on Unix (its documented search order)."""
    for candidate in (os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR"),
                      "/var/tmp", "/usr/tmp", "/tmp"):  # fmt: skip
        if candidate and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return Path.cwd()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def phase_query(state: str, payload: Any) -> dict[str, Any]:
    """Open the list as the daemon does, screen the queries; latencies, recall, RSS."""
    from edge.watchlist.db import Watchlist
    from edge.watchlist.screen import Screener, person_query

    wl = Watchlist.open(Path(state) / "watchlist.db")
    screener = Screener(wl)
    sql = "SELECT rid FROM entries WHERE entry_id=?"
    rid_of = {t: wl.conn().execute(sql, (t,)).fetchone()[0] for t in payload["targets"]}
    person_ms, person_cpu, found, cand = [], [], [], 0
    for key, target in zip(payload["persons"], payload["targets"], strict=True):
        start, cpu = time.perf_counter(), time.thread_time()
        hits = screener.check([key])
        person_ms.append((time.perf_counter() - start) * 1000)
        person_cpu.append((time.thread_time() - cpu) * 1000)
        found.append([h.entry_id for h in hits])
        query = person_query(key)
        cand += int(query is not None and rid_of.get(target) in screener.candidates(query))
    negatives = [[h.entry_id for h in screener.check([key])] for key in payload["negatives"]]
    doc_ms, doc_cpu = [], []
    for key in payload["documents"]:
        start, cpu = time.perf_counter(), time.thread_time()
        screener.check([key])
        doc_ms.append((time.perf_counter() - start) * 1000)
        doc_cpu.append((time.thread_time() - cpu) * 1000)
    rss_mrz = _rss_mb()
    written_ms, written_found = [], 0
    for key, target in payload["written"]:
        start = time.perf_counter()
        written_found += target in {h.entry_id for h in screener.check([key])}
        written_ms.append((time.perf_counter() - start) * 1000)
    return {
        "written": {
            "ms": _pct(written_ms) if written_ms else None,
            "recall": round(written_found / max(1, len(written_ms)), 4),
            "rss_after_mb": _rss_mb(),
        },
        "person_ms": _pct(person_ms),
        "person_cpu_ms": _pct(person_cpu),
        "document_ms": _pct(doc_ms),
        "document_cpu_ms": _pct(doc_cpu),
        "load_avg_1m": os.getloadavg()[0],
        "found": found,
        "negatives": negatives,
        "candidate_recall": cand / max(1, len(person_ms)),
        "rss_mb": rss_mrz,
    }


def _pct(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    pick = lambda p: round(values[min(len(values) - 1, int(p * len(values)))], 3)  # noqa: E731
    return {"p50": pick(0.50), "p99": pick(0.99), "max": round(values[-1], 3), "n": len(values)}


def _log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def brute_force(path: Path, queries: list[dict[str, Any]], cutoff: float) -> list[list[str]]:
    """Reference: rapidfuzz over every listed name rendering (token_sort_ratio ≥ cutoff)."""
    from rapidfuzz import fuzz, process

    ids, names = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for name in rec.get("names", []):
                ids.append(rec["id"])
                names.append(to_mrz(f"{name['given_names']} {name['surname']}"))
    out = []
    for key in queries:
        text = f"{key['given_names']} {key['surname']}"
        res = process.extract(
            text, names, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff * 100, limit=10
        )
        out.append(list(dict.fromkeys(ids[i] for _n, _s, i in res)))
    return out


def quality(
    found: list[list[str]], negatives: list[list[str]], targets: list[str]
) -> dict[str, float]:
    """Recall on listed people, precision over every alerted query."""
    tp = sum(t in f for f, t in zip(found, targets, strict=True))
    fp_pos = sum(bool(f) and t not in f for f, t in zip(found, targets, strict=True))
    fp_neg = sum(bool(n) for n in negatives)
    alerted = tp + fp_pos + fp_neg
    return {
        "recall": round(tp / max(1, len(targets)), 4),
        "precision": round(tp / max(1, alerted), 4),
        "negatives_alerted": fp_neg,
        "negatives": len(negatives),
    }


def main() -> None:
    """Build, import, query, compare; print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--brute-queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--every-script",
        action="store_true",
        help="people of locales written in their own scripts too (Han, Hangul, Arabic, …)",
    )
    args = parser.parse_args()
    args.locales = LOCALES | (IN_THEIR_SCRIPTS if args.every_script else {})
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run(args, Path(tmp)), indent=2))


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """The whole benchmark in ``tmp``."""
    file = tmp / "list.jsonl"
    start = time.perf_counter()
    persons, docs = build(args, file)
    build_s = time.perf_counter() - start
    _log(f"built {file.stat().st_size / 1e6:.0f} MB in {build_s:.0f} s; importing")
    imported = child(tmp, "import", {"file": str(file)})
    _log(f"imported: {imported}")
    rng = random.Random(args.seed + 1)
    queries = [perturb(rng, p) for p in persons]
    targets = [p["id"] for p in persons]
    negatives = _negatives(args.seed + 2, len(queries), args.locales)
    doc_keys = [_doc_key(rng, d) for d in docs]
    payload = {
        "persons": queries,
        "targets": targets,
        "negatives": negatives,
        "documents": doc_keys,
        "written": [(_written_key(p), p["id"]) for p in persons if not _latin(p)],
    }
    measured = child(tmp, "query", payload)
    _log("queried; brute force next")
    screened = quality(measured.pop("found"), measured.pop("negatives"), targets)
    n = min(args.brute_queries, len(queries))
    brute = _brute(file, queries[:n], negatives[:n], targets[:n])
    return {
        "machine": {
            "platform": platform.platform(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "list": {
            "locales": len(args.locales),
            "in_their_scripts": sum(not _latin(p) for p in persons),
            "persons": args.persons,
            "documents": args.documents,
            "build_s": round(build_s, 1),
        },
        **imported,
        "person_check_ms": measured["person_ms"],
        "person_check_cpu_ms": measured["person_cpu_ms"],
        "document_check_ms": measured["document_ms"],
        "document_check_cpu_ms": measured["document_cpu_ms"],
        "load_avg_1m_during_queries": measured["load_avg_1m"],
        "rss_loaded_mb": measured["rss_mb"],
        "written_queries": measured["written"],
        "candidate_recall": round(measured["candidate_recall"], 4),
        "screener": screened,
        "brute_force": brute,
        "targets": {
            "person_p50_ms": 5,
            "person_p99_ms": 25,
            "document_p99_ms": 1,
            "rss_mb": 300,
            "import_s": 120,
            "candidate_recall": 0.99,
        },
    }


def _brute(
    file: Path, queries: list[Any], negatives: list[Any], targets: list[str]
) -> dict[str, Any]:
    start = time.perf_counter()
    found = brute_force(file, queries, 0.85)
    negs = brute_force(file, negatives, 0.85)
    per_query = (time.perf_counter() - start) / max(1, len(queries) + len(negatives))
    return {
        **quality(found, negs, targets),
        "queries": len(queries),
        "ms_per_query": round(per_query * 1000, 1),
        "scorer": "rapidfuzz token_sort_ratio >= 85 over all listed names (no DOB)",
    }


def _latin(person: dict[str, Any]) -> bool:
    """Whether a listed person's name is written in Latin letters."""
    from edge.watchlist.scripts import script_of

    name = person["names"][0]
    return bool(script_of(f"{name['surname']} {name['given_names']}") == "Latn")


def _written_key(person: dict[str, Any]) -> dict[str, Any]:
    """A person key with the listed name as written in its script (a console search, a batch
    check), and the listed date of birth."""
    name = person["names"][0]
    key = {"kind": "person", "surname": name["surname"], "given_names": name["given_names"]}
    return key | {"birth_date": person["birth_date"]}


def _negatives(seed: int, n: int, locales: dict[str, str]) -> list[dict[str, Any]]:
    """Travellers not on the list: fresh Faker people from the same locales."""
    from faker import Faker

    rng, out = random.Random(seed), []
    fakes = {loc: Faker(loc) for loc in locales}
    for fake in fakes.values():
        fake.seed_instance(seed)
    for _ in range(n):
        loc = rng.choice(list(locales))
        fake = fakes[loc]
        year = rng.randint(1940, 2006)
        out.append(
            {
                "kind": "person",
                "surname": to_mrz(fake.last_name()),
                "given_names": to_mrz(fake.first_name()),
                "birth_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "nationality": locales[loc],
            }
        )
    return out


def _doc_key(rng: random.Random, doc: dict[str, Any]) -> dict[str, Any]:
    number = doc["number"]
    if rng.random() < 0.3:
        number = number.replace("0", "O").replace("1", "I")
    return {"kind": "document", "number": number, "issuer": doc["issuer"], "type": "P"}


if __name__ == "__main__":
    main()
