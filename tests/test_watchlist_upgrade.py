"""A schema upgrade that rebuilds every person's name forms and keys: page by page, on
worker processes for a large list, with the same result as an import at the new schema."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from edge.watchlist import db
from edge.watchlist.db import MIGRATIONS, Watchlist
from edge.watchlist.model import entry_from_json

NAMES = ["Anna Kowalska", "عمر الحسن", "Иван Петров", "Abdurrahim Saleh", "Li Wei", "Ömer Çelik"]


def _listed(path: Path) -> tuple[list[tuple[object, ...]], ...]:
    wl = Watchlist.open(path)
    wl.apply(
        [entry_from_json({"id": f"p{i}", "kind": "person", "names": [NAMES[i % len(NAMES)]],
                          "birth_date": f"19{50 + i % 40}-01-0{1 + i % 9}"})
         for i in range(60)]
        + [entry_from_json({"id": "d1", "kind": "document", "number": "L898902C3"})]
    )  # fmt: skip
    tables = tuple(
        wl.conn().execute(sql).fetchall()
        for sql in (
            "SELECT rid, forms FROM entries ORDER BY rid",
            "SELECT * FROM postings ORDER BY key, rid",
            "SELECT * FROM exact ORDER BY kind, key, rid",
        )
    )
    wl.close()
    return tables


@pytest.mark.parametrize("workers", [False, True])
def test_a_rebuild_gives_what_an_import_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    path = tmp_path / "wl.db"
    imported = _listed(path)
    with sqlite3.connect(path) as conn:  # as an older schema left it: other forms, no keys
        conn.execute("""UPDATE entries SET forms='[["X","X"]]' WHERE forms IS NOT NULL""")
        conn.execute("DELETE FROM postings")
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS) - 1}")
    if workers:  # pages of 7 persons, all but the first on worker processes
        monkeypatch.setattr(db, "FLUSH_EVERY", 7)
        monkeypatch.setattr(db, "REBUILD_INLINE", 1)
    wl = Watchlist.open(path)
    assert wl.stats()["schema"] == len(MIGRATIONS)
    wl.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=0")  # so that _listed's open does not migrate again
    rebuilt = tuple(
        sqlite3.connect(path).execute(sql).fetchall()
        for sql in (
            "SELECT rid, forms FROM entries ORDER BY rid",
            "SELECT * FROM postings ORDER BY key, rid",
            "SELECT * FROM exact ORDER BY kind, key, rid",
        )
    )
    assert rebuilt == imported
    assert len(imported[1]) > 60 and all(forms != '[["X","X"]]' for _, forms in rebuilt[0])


def test_a_list_several_schemas_behind_is_rebuilt_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five schemas behind, each a rebuild of the name forms: the persons are read once, at the
    last step, and the list is what an import at the new schema gives."""
    path = tmp_path / "wl.db"
    imported = _listed(path)
    with sqlite3.connect(path) as conn:
        conn.execute("""UPDATE entries SET forms='[["X","X"]]' WHERE forms IS NOT NULL""")
        conn.execute("DELETE FROM postings")
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS) - 5}")
    pages: list[int] = []
    work = db._forms_and_keys
    monkeypatch.setattr(db, "_forms_and_keys", lambda page: pages.append(len(page)) or work(page))
    wl = Watchlist.open(path)
    assert wl.stats()["schema"] == len(MIGRATIONS)
    wl.close()
    assert pages == [60]
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=0")
        rebuilt = conn.execute("SELECT rid, forms FROM entries ORDER BY rid").fetchall()
        postings = conn.execute("SELECT * FROM postings ORDER BY key, rid").fetchall()
    assert (rebuilt, postings) == imported[:2]


def test_person_pages_cover_every_person_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "wl.db"
    _listed(path)
    monkeypatch.setattr(db, "FLUSH_EVERY", 8)
    conn = sqlite3.connect(path)
    pages = list(db._person_pages(conn))
    rids = [rid for page in pages for rid, _data in page]
    assert len(pages) == 8 and all(len(p) <= 8 for p in pages)
    assert rids == sorted(set(rids)) and len(rids) == 60  # the document has no name forms


PARENT = os.getpid()


def _doubled_here_only(x: int) -> int:
    """Doubles ``x`` in this process; a worker process running it dies at once."""
    if os.getpid() != PARENT:
        os._exit(3)
    return 2 * x


def _pid(_x: int) -> int:
    return os.getpid()


def test_a_short_stream_runs_here_a_longer_one_wholly_in_workers() -> None:
    """Read ahead: no chunk of a long stream waits for the pool behind the first ones done
    here (an import of 1M persons spent ~3 s on one core so), and a short one starts none."""
    from edge.watchlist import workers

    assert set(workers.in_order(_pid, iter(range(3)), 3)) == {PARENT}
    done = list(workers.in_order(_pid, iter(range(5)), 3))
    assert len(done) == 5 and PARENT not in done


def test_workers_that_die_or_cannot_start_cost_time_not_the_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from edge.watchlist import workers

    assert list(workers.in_order(_doubled_here_only, iter(range(40)), 3)) == [
        2 * x for x in range(40)
    ]

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError("no processes here")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", refused)
    assert list(workers.in_order(_doubled_here_only, iter(range(9)), 1, safe=True)) == [
        2 * x for x in range(9)
    ]
