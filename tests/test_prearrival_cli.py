"""`borderpost prearrival parse|check` and `hq prearrival publish --dry-run` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SHARED_TESTDATA, borderpost
from prearrival_kit import crew_list
from test_paxlst import needs_samples

PAXLST = SHARED_TESTDATA / "paxlst"
FIELDS = ["surname", "given_names", "birth_date", "sex", "nationality", "document_type",
          "document_number", "document_issuer", "role"]  # fmt: skip


@needs_samples
def test_parse_prints_the_issue_fields_per_message() -> None:
    out = borderpost("prearrival", "parse", "--json", str(PAXLST / "gtas_loader_Test1.txt"))
    assert out.returncode == 0, out.stderr
    (obj,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert list(obj) == ["message_type", "reference", "transport", "travellers"]
    assert list(obj["transport"]) == ["mode", "carrier", "vehicle", "departure", "arrival"]
    assert list(obj["travellers"][0]) == FIELDS
    assert obj["travellers"][0]["role"] == "crew"


def test_parse_exits_non_zero_with_reason_and_position(tmp_path: Path) -> None:
    f = tmp_path / "cut.edi"
    f.write_text("UNH+1+PAXLST'NAD+FL+++A:B'UNT+3+1'\nUNH+2+PAXLST'\nNAD+FL+++C:D'\n")
    out = borderpost("prearrival", "parse", "--json", str(f))
    assert out.returncode == 1
    good, bad = [json.loads(line) for line in out.stdout.splitlines()]
    assert good["travellers"][0]["surname"] == "A"
    assert bad["position"]["line"] == 2 and "cut short" in bad["error"]
    assert "line 2, column 1" in out.stderr


def test_a_file_without_a_message_is_an_error_not_silence(tmp_path: Path) -> None:
    """An empty file, plain text, bytes or an interchange with no message: parse and check
    exit 1 and say so (they printed nothing and parse exited 0)."""
    files = {"empty.edi": b"", "text.edi": b"hello world\n", "bytes.edi": b"\xff\xfe\x00\x01",
             "envelope.edi": b"UNB+UNOC:4+A+B+260101:0000+1'UNZ+0+1'"}  # fmt: skip
    for name, data in files.items():
        (f := tmp_path / name).write_bytes(data)
        out = borderpost("prearrival", "parse", "--json", str(f))
        assert out.returncode == 1, name
        (obj,) = [json.loads(line) for line in out.stdout.splitlines()]
        assert obj["error"].startswith("no message in the file"), name
        assert f"{f}: line 1, column 1" in out.stderr, name
    out = borderpost("prearrival", "check", "--json", "--posts", "post-01", str(f))
    assert out.returncode == 1
    assert json.loads(out.stdout) == {"lists": [], "errors": ["no expected lists in the file"]}
    assert "no expected lists in the file" in out.stderr


def test_window_options_that_would_be_ignored_or_make_no_sense_are_refused(tmp_path: Path) -> None:
    """--window-from without --window-to was ignored (the window set around the arrival);
    negative hours made a window that opens after the arrival."""
    (f := tmp_path / "bus.edi").write_text(
        "UNH+1+PAXLST'TDT+20+X+3'LOC+87+P'DTM+232:202612041200:203'NAD+FL+++A'DOC+P+X1'UNT+7+1'"
    )
    one = ["--window-from", "2026-12-05T10:00Z"]
    out = borderpost("prearrival", "check", "--posts", "post-01", *one, str(f))
    assert out.returncode == 2 and "--window-from and --window-to go together" in out.stderr
    for flag in ("--before-h", "--after-h"):
        out = borderpost("prearrival", "check", "--posts", "post-01", flag, "-3", str(f))
        assert out.returncode == 2 and "'-3' is not a number of hours" in out.stderr
    out = borderpost("prearrival", "check", "--posts", "post-01", "--before-h", "0", str(f))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["lists"][0]["window"]["from"] == "2026-12-04T12:00:00+00:00"


def test_check_reads_json_csv_and_paxlst(tmp_path: Path) -> None:
    j = tmp_path / "bus.json"
    j.write_text(json.dumps({"lists": [crew_list()]}))
    out = borderpost("prearrival", "check", "--json", str(j))
    assert out.returncode == 0, out.stderr
    (lst,) = json.loads(out.stdout)["lists"]
    assert (lst["travellers"], lst["vehicles"], lst["consignments"]) == (3, 1, 1)
    c = tmp_path / "truck.csv"
    head = "T1,post-01,2026-12-04T10:00Z,2026-12-04T12:00Z"
    c.write_text(
        "list_id,posts,window_from,window_to,kind,surname,document_number,plate,mrn,containers\n"
        f"{head},traveller,DOE,X1,,,\n"
        f"{head},vehicle,,,AB-123,,\n"
        f"{head},consignment,,,,26UT1,MSCU1234565 TGHU0000001\n"
    )
    out = borderpost("prearrival", "check", "--json", str(c))
    assert out.returncode == 0, out.stderr
    (lst,) = json.loads(out.stdout)["lists"]
    assert (lst["list_id"], lst["travellers"], lst["vehicles"], lst["consignments"]) == (
        "T1",
        1,
        1,
        1,
    )
    c.write_text("list_id,window_from,window_to,kind,surname\nT1,2026-12-04T10:00Z,x,traveller,D\n")
    out = borderpost("prearrival", "check", "--json", str(c))
    assert out.returncode == 1 and "window.to" in out.stderr


@needs_samples
def test_publish_dry_run_windows_a_paxlst_message_around_its_arrival(tmp_path: Path) -> None:
    f = str(PAXLST / "gtas_loader_multiple_flight_leg_apis.txt")
    args = ["hq", "prearrival", "publish", f, "--dry-run", "--hq-state-dir", str(tmp_path)]
    out = borderpost(*args)
    assert out.returncode == 1 and "no posts named" in out.stderr
    out = borderpost(*args, "--posts", "post-01")
    assert out.returncode == 2 and "already expired" in out.stderr  # a 2008 flight
    out = borderpost(*args, "--posts", "post-01", "--retention-h", str(24 * 365 * 40))
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    (lst,) = obj["lists"]
    assert lst["window"] == {"from": "2008-08-11T04:30:00+00:00", "to": "2008-08-11T10:30:00+00:00"}
    assert obj["published"] is False and list(obj["posts"]) == ["post-01"]


def test_publish_sends_nothing_when_part_of_the_file_cannot_be_used(tmp_path: Path) -> None:
    f = tmp_path / "two.edi"
    f.write_text(
        "UNH+1+PAXLST'NAD+FL+++A:B'DTM+329:800101'UNT+4+1'\n"
        "UNH+2+PAXLST'NAD+FL+++C:D'\n"  # cut short
    )
    hq = tmp_path / "hq"
    out = borderpost(
        "hq", "prearrival", "publish", str(f), "--posts", "post-01", "--window-from",
        "2030-01-01T00:00Z", "--window-to", "2030-01-01T06:00Z", "--hq-state-dir", str(hq),
        "--broker", "127.0.0.1:9", "--no-tls",
    )  # fmt: skip
    assert out.returncode == 1 and "line 2, column 1" in out.stderr and "cut short" in out.stderr
    assert not (hq / "prearrival").exists() and not (hq / "channels").exists()
