"""`borderpost mrz parse` and its exit codes, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]  # fmt: skip


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edge", "mrz", "parse", *args], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip


def test_parse_json_fields() -> None:
    res = run("--json", "--today", "2010-01-01", *TD3)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    expected = {"format", "document_code", "issuing_state", "surname", "given_names",
                "document_number", "nationality", "birth_date", "sex", "expiry_date",
                "optional_data", "optional_data_2", "checks", "valid", "specimen", "warnings",
                "corrections", "raw"}  # fmt: skip
    assert expected <= set(doc)
    assert doc["valid"] is True and doc["specimen"] is True
    assert not any(w.startswith("expired") for w in doc["warnings"])


def test_parse_summary_and_invalid_is_still_exit_0() -> None:
    res = run(TD3[0], TD3[1].replace("7408122", "7408132"))
    assert res.returncode == 0
    assert "ERIKSSON, ANNA MARIA" in res.stdout and "INVALID" in res.stdout
    assert "birth_date FAILED" in res.stdout


def test_parse_stdin_with_correction() -> None:
    res = run("--json", "-", stdin="\n".join(TD1).replace("7408122", "74O8122") + "\n")
    doc = json.loads(res.stdout)
    assert doc["valid"] is True and doc["format"] == "TD1"
    assert doc["corrections"] == [{"line": 2, "position": 3, "from": "O", "to": "0",
                                   "reason": "digit-only field"}]  # fmt: skip


def test_max_corrections_zero_changes_nothing() -> None:
    doc = json.loads(
        run("--json", "--max-corrections", "0", TD3[0], TD3[1].replace("L8", "LB")).stdout
    )
    assert doc["valid"] is False and doc["corrections"] == []


def test_not_an_mrz_exits_2_with_message() -> None:
    res = run("hello", "world")
    assert res.returncode == 2 and "not an MRZ" in res.stderr and res.stdout == ""
    assert run().returncode == 2


def test_batch() -> None:
    stdin = json.dumps(TD3) + "\n" + json.dumps(TD1) + "\n"
    res = run("--batch", stdin=stdin)
    assert res.returncode == 0
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [d["format"] for d in out] == ["TD3", "TD1"]


def test_batch_bad_lines_are_reported_and_exit_2() -> None:
    stdin = "nonsense\n" + json.dumps(["x"]) + "\n" + json.dumps(TD3) + "\n"
    res = run("--batch", stdin=stdin)
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert res.returncode == 2
    assert "error" in out[0] and "not an MRZ" in out[1]["error"] and out[2]["valid"] is True


def test_hostile_text_never_reaches_the_terminal() -> None:
    res = run("P<UTO\x1b]0;x\x07ERIKSSON\u202e", "[/][@click=app.quit]")
    assert res.returncode == 2 and "\x1b" not in res.stderr and "\u202e" not in res.stderr
