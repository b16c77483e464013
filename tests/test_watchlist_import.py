"""Importers (JSON Lines, FollowTheMoney, CSV mapping) and the `borderpost watchlist` commands."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edge.cli import main
from edge.watchlist.db import Watchlist
from edge.watchlist.importers import ImportError_, import_file, import_stream
from edge.watchlist.screen import Screener

GOOD = [
    {
        "id": "P-1",
        "kind": "person",
        "names": [{"surname": "Eriksson", "given_names": "Anna Maria"}],
        "birth_date": "1974-08-12",
        "sex": "F",
        "nationalities": ["SWE"],
        "action": "arrest",
        "category": "wanted",
        "list": "national",
    },
    {"id": "D-1", "kind": "document", "number": "L898902C3", "issuer": "UTO", "doc_type": "P"},
    {
        "id": "V-1",
        "kind": "vehicle",
        "plate": "AB-123-CD",
        "country": "FRA",
        "vin": "1M8GDM9AXKP042788",
    },
    {"id": "C-1", "kind": "container", "number": "CSQU3054383"},
    {"id": "H-1", "kind": "commodity", "hs_prefix": "9302", "description": "revolvers and pistols"},
]

FTM = [
    {
        "id": "NK-abc",
        "schema": "Person",
        "datasets": ["un_sc_sanctions"],
        "properties": {
            "name": ["Иван Петров"],
            "alias": ["Ivan Petrov", "Vanya Petrov", "إيفان بيتروف"],
            "firstName": ["Ivan"],
            "lastName": ["Petrov"],
            "birthDate": ["1961-05"],
            "nationality": ["ru"],
            "gender": ["male"],
            "passportNumber": ["721234567"],
            "topics": ["sanction"],
        },
    },
    {"id": "NK-org", "schema": "Company", "properties": {"name": ["Acme Ltd"]}},
    {
        "id": "NK-pp",
        "schema": "Passport",
        "properties": {"number": ["XK1234567"], "country": ["ua"]},
    },
    {
        "id": "NK-car",
        "schema": "Vehicle",
        "properties": {"registrationNumber": ["A777AA77"], "country": ["ru"]},
    },
]


def write_lines(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ),
        "utf-8",
    )
    return path


@pytest.fixture
def wl(tmp_path: Path) -> Watchlist:
    watchlist = Watchlist.open(tmp_path / "state" / "watchlist.db")
    yield watchlist
    watchlist.close()


def test_jsonl_imports_every_kind(wl: Watchlist, tmp_path: Path) -> None:
    result = import_file(wl, write_lines(tmp_path / "l.jsonl", GOOD), "jsonl")
    assert result.applied and result.accepted == 5 and result.version == 1
    assert wl.stats()["kinds"] == {
        "person": 1,
        "document": 1,
        "vehicle": 1,
        "container": 1,
        "commodity": 1,
    }
    hits = Screener(wl).check(
        [{"kind": "vin", "vin": "1M8GDM9AXKP042788"}, {"kind": "commodity", "hs_code": "930200"}]
    )
    assert sorted(h.entry_id for h in hits) == ["H-1", "V-1"]


def test_import_gives_the_wal_space_back(wl: Watchlist, tmp_path: Path) -> None:
    """Every page of a bulk import passes through the WAL; it must not stay on the SD card."""
    reader = Watchlist.open(wl.path)  # the daemon's connection, open across the import
    assert reader.version == 0
    docs = [{"id": f"d{i}", "kind": "document", "number": f"X{i:07d}"} for i in range(3000)]
    import_file(wl, write_lines(tmp_path / "l.jsonl", docs), "jsonl")
    wal = Path(f"{wl.path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert wl.stats()["file_bytes"] == wl.path.stat().st_size
    assert reader.version == 1 and reader.entry("d2999") is not None
    reader.close()


def test_rejects_carry_line_numbers_and_change_nothing(wl: Watchlist, tmp_path: Path) -> None:
    lines: list[Any] = [
        GOOD[0],
        "",
        "{not json",
        {"id": "x", "kind": "ship"},
        GOOD[1],
        GOOD[1],
        [1, 2],
    ]
    result = import_file(wl, write_lines(tmp_path / "bad.jsonl", lines), "jsonl")
    rejects = dict(result.rejects)
    assert sorted(rejects) == [3, 4, 6, 7]
    assert "not JSON" in rejects[3] and "kind" in rejects[4] and "earlier" in rejects[6]
    assert not result.applied and wl.version == 0 and wl.stats()["entries"] == 0


def test_skip_invalid_applies_the_rest_atomically(wl: Watchlist, tmp_path: Path) -> None:
    lines: list[Any] = [*GOOD, {"id": "bad", "kind": "container", "number": "CSQU3054384"}]
    result = import_file(wl, write_lines(tmp_path / "l.jsonl", lines), "jsonl", skip_invalid=True)
    assert result.applied and result.rejects == [
        (6, "number: CSQU3054384 fails the ISO 6346 check digit")
    ]
    assert wl.version == 1 and wl.stats()["entries"] == 5


def test_ftm_entities(wl: Watchlist, tmp_path: Path) -> None:
    result = import_file(wl, write_lines(tmp_path / "e.ftm.json", FTM), "ftm")
    assert result.applied and result.accepted == 3 and result.skipped == 1
    entry = wl.entry("NK-abc")
    assert entry is not None and entry.list == "un_sc_sanctions" and entry.category == "sanction"
    assert entry.subject.nationalities == ("RUS",) and entry.subject.sex == "M"
    screener = Screener(wl)
    key = {"kind": "person", "surname": "PETROV", "given_names": "IVAN", "birth_date": "1961-05-03"}
    assert [h.entry_id for h in screener.check([key])] == ["NK-abc"]
    passport = screener.check([{"kind": "document", "number": "721234567", "issuer": "RUS"}])
    assert [h.entry_id for h in passport] == ["NK-abc"]
    assert [h.entry_id for h in screener.check([{"kind": "document", "number": "XK1234567"}])] == [
        "NK-pp"
    ]
    assert [h.entry_id for h in screener.check([{"kind": "vehicle", "plate": "A777AA77"}])] == [
        "NK-car"
    ]


def test_csv_with_mapping(wl: Watchlist, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        "ref,last,first,dob,other names,nat\n"
        "R1,Dubois,Jean-Luc,1966-02-01,Jean Dubois; J. L. Dubois,FRA;BEL\n"
        "\n"
        "R2,Novak,,19xx,,CZE\n"
        'R3,"Kowalski",Jan\n',
        "utf-8",
    )
    mapping = {
        "ref": "id",
        "last": "surname",
        "first": "given_names",
        "dob": "birth_date",
        "other names": "aliases",
        "nat": "nationalities",
    }
    result = import_file(wl, path, "csv", mapping=mapping, list_name="interpol", skip_invalid=True)
    assert [line for line, _ in result.rejects] == [4, 5]
    assert result.accepted == 1
    entry = wl.entry("R1")
    assert entry is not None and entry.list == "interpol" and len(entry.subject.names) == 3
    assert entry.subject.nationalities == ("FRA", "BEL")
    with pytest.raises(ImportError_, match="unknown field"):
        import_file(wl, path, "csv", mapping={"ref": "shoe_size"})
    with pytest.raises(ImportError_, match="not in the header"):
        import_file(wl, path, "csv", mapping={"nope": "id"})


def test_unreadable_files(wl: Watchlist, tmp_path: Path) -> None:
    (tmp_path / "bin").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ImportError_, match="UTF-8"):
        import_file(wl, tmp_path / "bin", "jsonl")
    with pytest.raises(ImportError_):
        import_file(wl, tmp_path / "missing", "jsonl")


# the command line -----------------------------------------------------------------------


@dataclass
class Ran:
    """One in-process ``borderpost watchlist`` run."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    def run(state: Path, *args: str, stdin: str = "") -> Ran:
        monkeypatch.setenv("BORDERPOST_STATE_DIR", str(state))
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = main(["watchlist", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


def test_entry_point_runs(tmp_path: Path) -> None:
    env = {**os.environ, "BORDERPOST_STATE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "edge", "watchlist", "stats", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2 and "no watchlist" in done.stderr


def test_cli_import_check_stats(tmp_path: Path, cli: Callable[..., Ran]) -> None:
    state = tmp_path / "state"
    listing = write_lines(tmp_path / "l.jsonl", GOOD)
    assert "no watchlist" in cli(state, "stats", "--json").stderr
    done = cli(state, "import", str(listing), "--format", "jsonl", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == 1
    check = cli(
        state,
        "check",
        "--json",
        "--surname",
        "ERIKSON",
        "--given-names",
        "ANNA MARIA",
        "--dob",
        "1974-08-12",
    )
    result = json.loads(check.stdout)
    assert [h["entry_id"] for h in result["hits"]] == ["P-1"] and result["elapsed_ms"] >= 0
    hit = result["hits"][0]
    assert set(hit) == {
        "entry_id",
        "list",
        "category",
        "action",
        "score",
        "band",
        "matched",
        "explain",
    }
    assert (
        hit["band"] == "referral" and hit["action"] == "arrest" and hit["explain"]["dob"] == "exact"
    )
    by_flags = cli(
        state,
        "check",
        "--json",
        "--doc-number",
        "L8989O2C3",
        "--doc-issuer",
        "UTO",
        "--container",
        "CSQU3054383",
    )
    assert sorted(h["entry_id"] for h in json.loads(by_flags.stdout)["hits"]) == ["C-1", "D-1"]
    stats = json.loads(cli(state, "stats", "--json").stdout)
    assert stats["version"] == 1 and stats["entries"] == 5


def test_cli_batch_and_errors(tmp_path: Path, cli: Callable[..., Ran]) -> None:
    state = tmp_path / "state"
    cli(state, "import", str(write_lines(tmp_path / "l.jsonl", GOOD)), "--format", "jsonl")
    queries = ['{"surname": "ERIKSSON", "given_names": "ANNA"}', "[1]", '{"plate": "AB123CD"}']
    stdin = "\n".join([*queries, '{"surname": "NOBODY"}', ""])
    done = cli(state, "check", "--batch", stdin=stdin)
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [h["entry_id"] for h in results[0]["hits"]] == ["P-1"]
    assert results[1]["line"] == 2 and "error" in results[1]
    assert [h["entry_id"] for h in results[2]["hits"]] == ["V-1"]
    assert results[3]["hits"] == [] and done.returncode == 1
    bad = cli(
        state, "import", str(write_lines(tmp_path / "b.jsonl", ['{"id": 1}'])), "--format", "jsonl"
    )
    assert bad.returncode == 1 and "line 1:" in bad.stderr
    assert "nothing imported: 1 rejected row (" in bad.stdout
    assert cli(state, "check", "--json").returncode == 2
    assert cli(state, "import", str(tmp_path / "nope"), "--format", "jsonl").returncode == 2


def test_cli_check_mrz(tmp_path: Path, cli: Callable[..., Ran]) -> None:
    state = tmp_path / "state"
    cli(state, "import", str(write_lines(tmp_path / "l.jsonl", GOOD)), "--format", "jsonl")
    lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    done = cli(state, "check", "--json", "--mrz", *lines)
    hits = {h["entry_id"]: h for h in json.loads(done.stdout)["hits"]}
    assert set(hits) == {"P-1", "D-1"} and hits["P-1"]["explain"]["dob"] == "exact"
    assert hits["D-1"]["score"] == 1.0
    batch = cli(state, "check", "--batch", stdin=json.dumps({"mrz": ["garbage"]}) + "\n")
    assert "error" in json.loads(batch.stdout) and batch.returncode == 1


def test_duplicates_across_chunks_and_streaming(
    wl: Watchlist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("edge.watchlist.importers.CHUNK", 3)
    lines = [{"id": f"d{i}", "kind": "document", "number": f"X{i:07d}"} for i in range(10)]
    lines.insert(7, {"id": "d1", "kind": "document", "number": "Y1234567"})
    result = import_file(wl, write_lines(tmp_path / "l.jsonl", lines), "jsonl", skip_invalid=True)
    assert result.rejects == [(8, "id: 'd1' appears earlier in the file")]
    assert result.accepted == 10 and wl.stats()["entries"] == 10


def test_import_over_a_list_replaces_and_drops_duplicates_with_their_index_rows(
    wl: Watchlist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("edge.watchlist.importers.CHUNK", 4)
    old = [
        {"id": "p1", "kind": "person", "names": ["Anna Eriksson"]},
        {"id": "d1", "kind": "document", "number": "OLD00001", "issuer": "UTO"},
    ]
    import_file(wl, write_lines(tmp_path / "a.jsonl", old), "jsonl")
    new = [
        {"id": "p1", "kind": "person", "names": ["Jurgen Muller"]},
        {"id": "d1", "kind": "document", "number": "NEW00001", "issuer": "UTO"},
        {"id": "d1", "kind": "document", "number": "DUP00001", "issuer": "UTO"},  # same chunk
        {"id": "d2", "kind": "document", "number": "NEW00002", "issuer": "UTO"},
        {"id": "d3", "kind": "document", "number": "NEW00003", "issuer": "UTO"},
        {"id": "p1", "kind": "person", "names": ["Olga Petrova"]},  # a later chunk
    ]
    result = import_file(wl, write_lines(tmp_path / "b.jsonl", new), "jsonl", skip_invalid=True)
    assert result.rejects == [
        (3, "id: 'd1' appears earlier in the file"),
        (6, "id: 'p1' appears earlier in the file"),
    ]
    assert result.accepted == 4 and wl.stats()["entries"] == 4
    screener = Screener(wl)
    doc = lambda n: [{"kind": "document", "number": n, "issuer": "UTO"}]  # noqa: E731
    assert [h.entry_id for h in screener.check(doc("NEW00001"))] == ["d1"]
    assert screener.check(doc("OLD00001")) == [] and screener.check(doc("DUP00001")) == []
    person = lambda n: [{"kind": "person", "name": n}]  # noqa: E731
    assert [h.entry_id for h in screener.check(person("JURGEN MULLER"))] == ["p1"]
    assert screener.check(person("ANNA ERIKSSON")) == []
    assert screener.check(person("OLGA PETROVA")) == []
    conn = wl.conn()
    assert conn.execute("SELECT count(DISTINCT rid) FROM postings").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM exact").fetchone()[0] == 3


def test_blank_and_overlong_lines_keep_line_numbers_across_chunks(
    wl: Watchlist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("edge.watchlist.importers.CHUNK", 2)
    monkeypatch.setattr("edge.watchlist.importers.MAX_LINE", 200)
    doc = lambda i: json.dumps({"id": f"d{i}", "kind": "document", "number": f"X{i:07d}"})  # noqa: E731
    text = "\n".join([doc(1), "", "   ", doc(2), "x" * 500, doc(3), "{bad", doc(4)]) + "\n"
    path = tmp_path / "l.jsonl"
    path.write_text(text)
    result = import_file(wl, path, "jsonl", skip_invalid=True)
    assert [line for line, _ in result.rejects] == [5, 7]
    assert "longer than 200" in result.rejects[0][1] and "not JSON" in result.rejects[1][1]
    assert result.accepted == 4 and {wl.entry(f"d{i}") is not None for i in (1, 2, 3, 4)} == {True}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400), fmt=st.sampled_from(["jsonl", "ftm", "csv"]))
def test_any_file_never_raises_unexpectedly(tmp_path: Path, text: str, fmt: str) -> None:
    wl = Watchlist.open(tmp_path / "h.db")
    before = wl.version
    try:
        result = import_stream(wl, io.StringIO(text), fmt)
    except ImportError_:
        assert wl.version == before
    else:
        assert result.applied == (wl.version == before + 1)
        assert all(isinstance(line, int) and reason for line, reason in result.rejects)
    wl.close()


def test_csv_control_characters_and_oversized_fields(wl: Watchlist) -> None:
    huge = "X" * 200_000
    data = f"id,surname,given_names\nA1,Sm\x00ith,Jo\u202ehn\nA2,{huge},Jo\nA3,Doe,Jane\n"
    result = import_stream(wl, io.StringIO(data), "csv", skip_invalid=True)
    assert [line for line, _ in result.rejects] == [3] and "CSV" in result.rejects[0][1]
    assert result.accepted == 2
    entry = wl.entry("A1")
    assert entry is not None and entry.subject.names[0].full == "John Smith"
