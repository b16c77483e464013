"""`borderpost rules check|eval|attributes` and `hq rules publish`'s refusals, as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_rules import R, pack


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "edge", *args], input=stdin, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_check_json_and_exit_codes(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_bytes(pack([R]))
    bad.write_bytes(pack([R, {"id": "x", "when": "person.height > 2"}]))
    ok = _run("rules", "check", "--json", str(good))
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    out = _run("rules", "check", "--json", str(bad))
    found = json.loads(out.stdout)
    assert out.returncode == 1 and found["ok"] is False
    assert {"severity": "error", "rule": "x", "kind": "unknown_attribute"}.items() <= found[
        "findings"
    ][0].items()


def test_eval_a_crossing_from_readings(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    path.write_bytes(pack([R], random={"rate": 1.0, "seed": "audit-seed-0123456789"}))
    crossing = {"crossing": "c-1", "time": "2027-01-10T03:00:00Z",
                "readings": [{"kind": "mrz", "payload": {"nationality": "XXB"}}]}  # fmt: skip
    out = _run("rules", "eval", str(path), "-", stdin=json.dumps(crossing))
    verdict = json.loads(out.stdout)
    assert (verdict["lane"], verdict["hits"][0]["id"], verdict["random"]["selected"]) == (
        "red", "ok", True,
    )  # fmt: skip
    bad = _run("rules", "eval", str(path), "-", stdin="[1]")
    assert bad.returncode == 2 and "JSON object" in bad.stderr


def test_attributes_lists_every_attribute() -> None:
    out = json.loads(_run("rules", "attributes", "--json").stdout)
    assert out["attributes"]["person.age"]["type"] == "number"
    assert "person_crossings" in out["functions"]


def test_hq_publish_refuses_broken_older_or_expired_packs(tmp_path: Path) -> None:
    hq = tmp_path / "hq"
    (hq / "rules").mkdir(parents=True)
    (hq / "rules" / "published.json").write_text(json.dumps({"pack_version": 5}))
    cases = [
        (pack([{"id": "x", "when": "nope <"}], 9), "rules check lists all"),
        (pack([R], 5), "not newer than the last published (5)"),
        (pack([R], 6, expires="2020-01-01T00:00:00Z"), "already expired"),
    ]
    for i, (data, message) in enumerate(cases):
        path = tmp_path / f"p{i}.json"
        path.write_bytes(data)
        out = _run("hq", "rules", "publish", str(path), "--hq-state-dir", str(hq), "--no-tls")
        assert out.returncode == 1 and message in out.stderr, out.stderr
