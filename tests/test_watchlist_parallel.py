"""The import's worker-process path gives the same list as the in-process path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edge.watchlist.db import Watchlist
from edge.watchlist.importers import import_file

ROWS = [
    {"id": "p1", "kind": "person", "names": [{"surname": "Эрикссон", "given_names": "Анна"}]},
    {"id": "d1", "kind": "document", "number": "L898902C3", "issuer": "UTO"},
    {"id": "p2", "kind": "person", "names": ["Müller Jürgen"], "birth_date": "1970"},
    {"id": "bad", "kind": "person", "names": []},
    {"id": "d1", "kind": "document", "number": "X1234567"},
    {"id": "v1", "kind": "vehicle", "plate": "AB-123-CD", "country": "FRA"},
] + [{"id": f"d{i}", "kind": "document", "number": f"N{i:07d}"} for i in range(2, 12)]


def _import(path: Path, db: Path) -> tuple[dict[str, object], list[tuple[object, ...]]]:
    wl = Watchlist.open(db)
    result = import_file(wl, path, "jsonl", skip_invalid=True).to_json()
    conn = wl.conn()
    rows = conn.execute("SELECT entry_id, kind, forms, data FROM entries ORDER BY rid").fetchall()
    rows += conn.execute("SELECT * FROM postings ORDER BY key, rid").fetchall()
    rows += conn.execute("SELECT * FROM exact ORDER BY kind, key, rid").fetchall()
    wl.close()
    return result, rows


def test_workers_give_the_same_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS) + "{\n")
    serial = _import(path, tmp_path / "a.db")
    monkeypatch.setattr("edge.watchlist.importers.CHUNK", 2)
    monkeypatch.setattr("edge.watchlist.importers.PARALLEL_AFTER", 1)
    parallel = _import(path, tmp_path / "b.db")
    assert parallel == serial
    assert serial[0]["rejected"] == 3 and serial[0]["accepted"] == 14
