"""The watchlist file: versions, atomic changes, upserts and deletes, threads, migrations."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from drivers.events import decode_key
from edge.watchlist.db import MIGRATIONS, Watchlist, WatchlistError
from edge.watchlist.model import EntryError, entry_from_json, vin_check_ok
from edge.watchlist.screen import Screener


def person(entry_id: str, surname: str, given: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": entry_id,
        "kind": "person",
        "names": [{"surname": surname, "given_names": given}],
        **extra,
    }


@pytest.fixture
def wl(tmp_path: Path) -> Watchlist:
    watchlist = Watchlist.open(tmp_path / "watchlist.db")
    yield watchlist
    watchlist.close()


def ids(hits: list[Any]) -> list[str]:
    return [h.entry_id for h in hits]


def test_empty_list_is_version_zero(wl: Watchlist) -> None:
    assert wl.version == 0
    stats = wl.stats()
    assert stats["entries"] == 0 and stats["schema"] == len(MIGRATIONS)
    assert Screener(wl).check([{"kind": "person", "surname": "X"}]) == []


def test_apply_makes_versions_and_refuses_rollback(wl: Watchlist) -> None:
    assert wl.apply([entry_from_json(person("p1", "ERIKSSON", "ANNA"))])["version"] == 1
    assert wl.apply([], ["p1"], version=7)["version"] == 7
    with pytest.raises(WatchlistError, match="not newer"):
        wl.apply([entry_from_json(person("p2", "X", "Y"))], version=7)
    assert wl.version == 7 and wl.stats()["entries"] == 0
    assert wl.created_at is not None


def test_failed_apply_changes_nothing(wl: Watchlist) -> None:
    wl.apply([entry_from_json(person("p1", "ERIKSSON", "ANNA"))])
    dup = [
        entry_from_json(person("p2", "SMITH", "JOHN")),
        entry_from_json(person("p2", "SMITH", "JO")),
    ]
    with pytest.raises(WatchlistError, match="twice"):
        wl.apply(dup, ["p1"])
    assert wl.version == 1
    assert ids(
        Screener(wl).check([{"kind": "person", "surname": "ERIKSSON", "given_names": "ANNA"}])
    ) == ["p1"]


def test_upsert_replaces_index_and_delete_removes(wl: Watchlist) -> None:
    screener = Screener(wl)
    wl.apply([entry_from_json(person("p1", "ERIKSSON", "ANNA"))])
    wl.apply([entry_from_json(person("p1", "LINDQVIST", "BRITT", record_version=2))])
    old = {"kind": "person", "surname": "ERIKSSON", "given_names": "ANNA"}
    new = {"kind": "person", "surname": "LINDQVIST", "given_names": "BRITT"}
    assert screener.check([old]) == []
    [hit] = screener.check([new])
    assert hit.explain["record_version"] == 2 and hit.explain["list_version"] == 2
    wl.apply([], ["p1"])
    assert screener.check([new]) == []
    assert wl.conn().execute("SELECT count(*) FROM postings").fetchone()[0] == 0


def test_bulk_apply_uses_the_staged_path(wl: Watchlist, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("edge.watchlist.db.BULK_THRESHOLD", 10)
    monkeypatch.setattr("edge.watchlist.db.FLUSH_EVERY", 7)
    names = ["ERIKSSON" if i == 5 else "X" * (3 + i % 7) for i in range(50)]
    wl.apply([entry_from_json(person(f"p{i}", n, f"NAME{i}")) for i, n in enumerate(names)])
    assert wl.stats()["entries"] == 50
    key = {"kind": "person", "surname": "ERIKSSON", "given_names": "NAME5"}
    assert ids(Screener(wl).check([key]))[:1] == ["p5"]
    assert "stage" not in str(wl.conn().execute("SELECT name FROM temp.sqlite_master").fetchall())


def test_check_from_another_thread(wl: Watchlist) -> None:
    wl.apply(
        [entry_from_json({"id": "d1", "kind": "document", "number": "L898902C3", "issuer": "UTO"})]
    )
    screener = Screener(wl)
    out: list[Any] = []
    worker = threading.Thread(
        target=lambda: out.append(screener.check([{"kind": "document", "number": "L898902C3"}]))
    )
    worker.start()
    worker.join()
    assert ids(out[0]) == ["d1"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.db"
    Watchlist.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=99")
    with pytest.raises(WatchlistError, match="newer"):
        Watchlist.open(path)


def test_a_schema_1_list_gets_the_posting_index_of_today(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.db"
    wl = Watchlist.open(path)
    wl.apply(
        [
            entry_from_json(person("p1", "Lê", "Yến", birth_date="2006-07-11")),
            entry_from_json(person("p2", "Eriksson", "Anna", birth_date="1974")),
            entry_from_json({"id": "d1", "kind": "document", "number": "L898902C3"}),
        ]
    )
    today = wl.conn().execute("SELECT * FROM postings ORDER BY key, rid").fetchall()
    wl.close()
    with sqlite3.connect(path) as conn:  # as schema 1 left it: no sound + whole date keys
        conn.execute("DELETE FROM postings WHERE key LIKE 'd%'")
        conn.execute("PRAGMA user_version=1")
    wl = Watchlist.open(path)
    assert wl.stats()["schema"] == len(MIGRATIONS) and wl.stats()["entries"] == 3
    assert wl.conn().execute("SELECT * FROM postings ORDER BY key, rid").fetchall() == today
    assert any(key.startswith("d") for key, _rid in today)
    query = {"kind": "person", "surname": "LE", "given_names": "Y", "birth_date": "2006-07-11"}
    assert ids(Screener(wl).check([query])) == ["p1"]


def test_cleared_is_remembered_per_document_and_record_version(wl: Watchlist) -> None:
    wl.apply([entry_from_json(person("p1", "ERIKSSON", "ANNA MARIA", birth_date="1974-08-12"))])
    screener = Screener(wl)
    keys = [
        {
            "kind": "person",
            "surname": "ERIKSSON",
            "given_names": "ANNA MARIA",
            "birth_date": "1974-08-12",
        },
        {"kind": "document", "number": "L898902C3", "issuer": "UTO", "type": "P"},
    ]
    [hit] = screener.check(keys)
    screener.remember_cleared(keys, hit.entry_id, hit.explain["record_version"])
    assert screener.check(keys) == []
    other_doc = [keys[0], {"kind": "document", "number": "X1234567", "issuer": "UTO"}]
    assert ids(screener.check(other_doc)) == ["p1"]
    wl.apply(
        [
            entry_from_json(
                person("p1", "ERIKSSON", "ANNA MARIA", birth_date="1974-08-12", record_version=2)
            )
        ]
    )
    assert ids(screener.check(keys)) == ["p1"]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"kind": "person", "names": [{"surname": "X"}]}, "id"),
        ({"id": "a", "kind": "ship"}, "kind"),
        ({"id": "a", "kind": "person"}, "names"),
        ({"id": "a", "kind": "person", "names": ["123", "- '"]}, "no name has any letters"),
        ({"id": "a", "kind": "person", "names": [{"surname": ""}]}, "empty"),
        ({"id": "a", "kind": "person", "names": ["A B"], "birth_date": "1974-13-01"}, "birth_date"),
        ({"id": "a", "kind": "person", "names": ["A B"], "sex": "Q"}, "sex"),
        (
            {"id": "a", "kind": "person", "names": ["A B"], "nationalities": ["1234"]},
            "nationalities",
        ),
        (
            {"id": "a", "kind": "person", "names": ["A B"], "nationalities": ["Germany"]},
            "nationalities",
        ),
        ({"id": "a", "kind": "document", "number": "X1234567", "issuer": "X" * 10**5}, "issuer"),
        ({"id": "a", "kind": "document", "number": "12"}, "number"),
        ({"id": "a", "kind": "vehicle"}, "plate or a VIN"),
        ({"id": "a", "kind": "vehicle", "vin": "1M8GDM9AXKP04278O"}, "vin"),
        ({"id": "a", "kind": "container", "number": "CSQU3054384"}, "check digit"),
        ({"id": "a", "kind": "consignment", "mrn": "short"}, "mrn"),
        ({"id": "a", "kind": "commodity", "hs_prefix": "9"}, "hs_prefix"),
        ({"id": "a", "kind": "document", "number": "X1234567", "action": "shoot"}, "action"),
        ({"id": "a", "kind": "document", "number": "X1234567", "priority": "high"}, "priority"),
    ],
)
def test_invalid_records_name_the_field(record: dict[str, Any], reason: str) -> None:
    with pytest.raises(EntryError, match=reason) as raised:
        entry_from_json(record)
    assert len(str(raised.value)) < 120  # a huge field is named, not copied into the reason


def test_vin_check_digit() -> None:
    assert vin_check_ok("1M8GDM9AXKP042788")
    assert not vin_check_ok("1M8GDM9A1KP042788")
    entry = entry_from_json({"id": "v", "kind": "vehicle", "vin": "WVWZZZ1JZ3W386752"})
    assert entry.subject.vin_check_ok is not None  # recorded; European VINs need not carry it


def test_round_trip_json(wl: Watchlist) -> None:
    record = person(
        "p1",
        "Müller",
        "Jörg",
        birth_date="1970",
        sex="M",
        nationalities=["DEU"],
        identifiers=[{"type": "passport", "number": "C01X00T47", "issuer": "D"}],
    )
    entry = entry_from_json(record)
    assert entry_from_json(entry.to_json()) == entry
    wl.apply([entry])
    assert wl.entry("p1") == entry


def test_change_in_steps_and_rollback(wl: Watchlist) -> None:
    with wl.change(note="delta") as change:
        change.upsert([entry_from_json(person("p1", "ERIKSSON", "ANNA"))])
        assert change.seen("p1") and not change.seen("p2")
        with pytest.raises(WatchlistError, match="both written and deleted"):
            change.delete(["p1"])
        change.rollback()
    assert wl.version == 0 and wl.stats()["entries"] == 0
    with pytest.raises(RuntimeError), wl.change() as change:
        change.upsert([entry_from_json(person("p1", "ERIKSSON", "ANNA"))])
        raise RuntimeError("boom")
    assert wl.version == 0 and wl.stats()["entries"] == 0
    with wl.change(version=3) as change:
        change.upsert([entry_from_json(person("p1", "ERIKSSON", "ANNA"))])
    assert change.result == {"version": 3, "upserted": 1, "deleted": 0, "replaced": 0}
    assert wl.version == 3


def test_screening_service_opens_the_list_again_once_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from edge.config import ScreeningSettings
    from edge.screening import ScreeningService

    monkeypatch.setattr("edge.screening.RETRY_OPEN_S", 0.05)
    path = tmp_path / "watchlist.db"
    wl = Watchlist.open(path)
    wl.apply([entry_from_json(person("p1", "ERIKSSON", "ANNA", birth_date="1974"))], version=4)
    wl.close()
    with sqlite3.connect(path) as conn:  # a file this program cannot open, for now
        conn.execute("PRAGMA user_version=99")
    service = ScreeningService(tmp_path, ScreeningSettings())
    keys = [decode_key({"kind": "person", "surname": "ERIKSSON", "given_names": "ANNA"})]
    assert "newer" in (service.fault or "") and service.version() is None
    assert service.alerts_for(keys) == []
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
    deadline = time.monotonic() + 10
    while service.fault is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert service.fault is None and service.version() == 4
    [alert] = service.alerts_for(keys)
    assert alert.hits[0]["entry_id"] == "p1"
    service.close()


def test_daemon_screening_service_contract(tmp_path: Path) -> None:
    """The daemon's ScreeningService opens watchlist.db, screens in an executor thread, clears."""
    import asyncio

    from edge.config import ScreeningSettings
    from edge.screening import ScreeningService

    wl = Watchlist.open(tmp_path / "watchlist.db")
    record = person("p1", "ERIKSSON", "ANNA MARIA", birth_date="1974-08-12", action="arrest")
    wl.apply([entry_from_json(record)], version=4)
    wl.close()
    service = ScreeningService(tmp_path, ScreeningSettings())
    assert service.fault is None and service.version() == 4 and service.age_s() is not None
    keys = [
        decode_key({"kind": "document", "number": "L898902C3", "issuer": "UTO", "type": "P"}),
        decode_key(
            {
                "kind": "person",
                "surname": "ERIKSSON",
                "given_names": "ANNA MARIA",
                "birth_date": "1974-08-12",
            }
        ),
    ]

    async def screen() -> list[Any]:
        return await asyncio.get_running_loop().run_in_executor(None, service.alerts_for, keys)

    [alert] = asyncio.run(screen())
    assert alert.severity == 2 and alert.hits[0]["entry_id"] == "p1"
    service.remember_cleared(keys, alert.hits)
    assert service.alerts_for(keys) == []
    service.close()
