"""The post's watchlist: a versioned SQLite file with name and identifier indexes.

One connection per thread (screening may run in an executor); writes are one
``BEGIN IMMEDIATE`` transaction each, so readers in WAL mode keep screening
against the previous list version until the new one commits.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import orjson

from edge.paths import restrict_database
from edge.watchlist.index import exact_keys, forms_keys, person_forms, person_keys
from edge.watchlist.model import Entry, Person, entry_from_json
from edge.watchlist.workers import in_order

T = TypeVar("T")
BULK_THRESHOLD = 20000
"""Above this many upserts, postings are staged and inserted in key order."""
FLUSH_EVERY = 2000
REBUILD_INLINE = 10
"""A list of at most this many pages of ``FLUSH_EVERY`` persons is rebuilt in this process;
a longer one in worker processes."""
LOOKUP_BATCH = 500
CACHE_KIB = 32768
WAL_KEEP_BYTES = 64 << 20
SORT_THREADS = min(4, os.cpu_count() or 1)
SORT_RUN_KIB = 8192
"""Page cache during the final sort: SQLite's sorter cuts its input into runs of this size
and sorts them on ``SORT_THREADS`` threads (1M+1M: 23 s in 256 MB runs, 13 s in 8 MB runs)."""
BULK_CACHE_KIB = 65536
"""Page cache of a bulk change while entries are written, back to ``CACHE_KIB`` after
(1M+1M: 256 MB gave the same time within this machine's noise and 200 MB more RSS)."""

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
  rid INTEGER PRIMARY KEY, entry_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
  list TEXT NOT NULL, record_version INTEGER NOT NULL, list_version INTEGER NOT NULL,
  birth_date TEXT, sex TEXT, nats TEXT, forms TEXT, data TEXT NOT NULL);
CREATE TABLE postings (key TEXT NOT NULL, rid INTEGER NOT NULL,
  PRIMARY KEY (key, rid)) WITHOUT ROWID;
CREATE TABLE exact (kind TEXT NOT NULL, key TEXT NOT NULL, rid INTEGER NOT NULL,
  PRIMARY KEY (kind, key, rid)) WITHOUT ROWID;
CREATE TABLE cleared (subject TEXT NOT NULL, entry_id TEXT NOT NULL,
  record_version INTEGER NOT NULL, at REAL NOT NULL,
  PRIMARY KEY (subject, entry_id)) WITHOUT ROWID;
CREATE TABLE versions (version INTEGER PRIMARY KEY, at REAL NOT NULL,
  upserts INTEGER NOT NULL, deletes INTEGER NOT NULL, note TEXT NOT NULL);
"""


def _reindex_names(conn: sqlite3.Connection) -> None:
    """Build the posting index again from the stored name forms and birth dates.

    Schema 2: names gained sound + whole birth date keys (``d``), so a traveller named
    by an initial or a truncated given name is found among many namesakes by the date.
    """
    conn.execute("DELETE FROM postings")
    _create_stage(conn)
    rows = conn.execute("SELECT rid, forms, birth_date FROM entries WHERE forms IS NOT NULL")
    for chunk in chunked(rows, FLUSH_EVERY):
        staged = [
            (rid, _postings_json(orjson.loads(f), stored_dates(dob))) for rid, f, dob in chunk
        ]
        conn.executemany("INSERT INTO stage(rid, keys) VALUES (?, ?)", staged)
    _unstage(conn)


def _rebuild_forms(conn: sqlite3.Connection) -> None:
    """Compute every person's name forms again from its stored record, then its postings.

    Schema 3 (names in every script, originals kept beside their renderings) and each later
    schema that changes how names are read or keyed; docs/watchlist.md lists them, with the
    part of issue 17 that made each ("Versions and updates").
    """
    conn.execute("DELETE FROM postings")
    _create_stage(conn)
    for page in in_order(_forms_and_keys, _person_pages(conn), REBUILD_INLINE, safe=True):
        conn.executemany("UPDATE entries SET forms=? WHERE rid=?", [(f, r) for r, f, _k in page])
        conn.executemany(
            "INSERT INTO stage(rid, keys) VALUES (?, ?)", [(r, k) for r, _f, k in page]
        )
    _unstage(conn)


def _person_pages(conn: sqlite3.Connection) -> Iterator[list[tuple[int, str]]]:
    """(rid, data) of the persons, ``FLUSH_EVERY`` at a time in rid order: a million records
    never sit in memory at once."""
    after = -1
    sql = "SELECT rid, data FROM entries WHERE forms IS NOT NULL AND rid > ? ORDER BY rid LIMIT ?"
    while page := conn.execute(sql, (after, FLUSH_EVERY)).fetchall():
        yield page
        after = page[-1][0]


def _forms_and_keys(page: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(rid, name forms, posting keys) of each person of a page (pure: runs in a worker)."""
    out = []
    for rid, data in page:
        person = entry_from_json(orjson.loads(data)).subject
        if isinstance(person, Person):
            forms = person_forms(person)
            out.append((rid, _json(forms), _postings_json(forms, person.birth_dates)))
    return out


MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    _V1,
    _reindex_names,
    *(_rebuild_forms,) * 41,  # schemas 3-43: each a change to the name forms or their keys
)
"""Forward migrations: ``MIGRATIONS[n]`` (SQL, or a function given the connection) takes the
schema from version n to n + 1, in one transaction."""


class WatchlistError(Exception):
    """The list cannot be opened or a change cannot be applied; nothing was changed."""


class Watchlist:
    """The local watchlist file; use :meth:`open`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._conns: list[sqlite3.Connection] = []

    @classmethod
    def open(cls, path: str | Path) -> Watchlist:
        """Open (creating and migrating when needed) the watchlist at ``path``."""
        wl = cls(Path(path))
        wl.path.parent.mkdir(parents=True, exist_ok=True)
        new = not wl.path.exists()
        wl._migrate(wl.conn())
        if new:
            restrict_database(wl.path)
        return wl

    def conn(self) -> sqlite3.Connection:
        """This thread's connection to the list."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute(f"PRAGMA journal_size_limit={WAL_KEEP_BYTES}")
            self._local.conn = conn
            self._conns.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this object opened."""
        for conn in self._conns:
            conn.close()
        self._conns.clear()
        self._local = threading.local()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if current > len(MIGRATIONS):
            raise WatchlistError(f"{self.path}: schema {current} is newer than this program")
        for step in range(current, len(MIGRATIONS)):
            with self._write_lock:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # another process opening the file may have taken this step meanwhile
                    if int(conn.execute("PRAGMA user_version").fetchone()[0]) == step:
                        _migrate_step(conn, step)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self.conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def version(self) -> int:
        """The list version in force (0 before the first import)."""
        return int(self._meta("list_version") or 0)

    @property
    def created_at(self) -> float | None:
        """Wall-clock time the list version in force was applied."""
        value = self._meta("updated_at")
        return float(value) if value else None

    def stats(self) -> dict[str, Any]:
        """Version, schema, counts per kind and per list, file size."""
        conn = self.conn()
        kinds = dict(conn.execute("SELECT kind, count(*) FROM entries GROUP BY kind").fetchall())
        lists = dict(conn.execute("SELECT list, count(*) FROM entries GROUP BY list").fetchall())
        return {
            "version": self.version,
            "schema": int(conn.execute("PRAGMA user_version").fetchone()[0]),
            "updated_at": self.created_at,
            "entries": sum(kinds.values()),
            "kinds": kinds,
            "lists": lists,
            "cleared": conn.execute("SELECT count(*) FROM cleared").fetchone()[0],
            "file_bytes": sum(_size(Path(f"{self.path}{suffix}")) for suffix in ("", "-wal")),
        }

    def apply(
        self,
        upserts: Iterable[Entry],
        deletes: Iterable[str] = (),
        *,
        version: int | None = None,
        note: str = "",
    ) -> dict[str, int]:
        """Apply upserts and deletes (entry ids) atomically as list ``version``.

        ``version`` must be greater than the version in force (None: the next one).
        Raises :class:`WatchlistError` and changes nothing on any failure.
        """
        upserts, deletes = list(upserts), list(deletes)
        ids = [e.entry_id for e in upserts]
        if len(set(ids)) != len(ids):
            raise WatchlistError("the same entry id appears twice in one change")
        with self.change(version=version, note=note, bulk=len(upserts) > BULK_THRESHOLD) as change:
            change.delete(deletes)
            change.upsert(upserts)
        return change.result

    @contextmanager
    def change(
        self, *, version: int | None = None, note: str = "", bulk: bool = False
    ) -> Iterator[Change]:
        """A new list version written in steps, committed when the block ends.

        An exception in the block, or :meth:`Change.rollback`, leaves the list as it was.
        ``bulk`` stages index rows and inserts them in key order at the end (large imports).
        """
        with self._write_lock, _cache_size(self.conn(), BULK_CACHE_KIB if bulk else CACHE_KIB):
            conn = self.conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                change = Change(conn, version, note, bulk)
                yield change
                if not change.rolled_back:
                    change.finish()
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("ROLLBACK" if change.rolled_back else "COMMIT")
            if bulk:  # every page went through the WAL: write them home, give the space back
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def entries_by_rid(self, rids: Sequence[int]) -> dict[int, Entry]:
        """Full entries for the given row ids."""
        if not rids:
            return {}
        marks = ",".join("?" * len(rids))
        sql = f"SELECT rid, data FROM entries WHERE rid IN ({marks})"
        rows = self.conn().execute(sql, list(rids)).fetchall()
        return {rid: entry_from_json(orjson.loads(data)) for rid, data in rows}

    def entry(self, entry_id: str) -> Entry | None:
        """One entry by its source identifier."""
        row = (
            self.conn().execute("SELECT data FROM entries WHERE entry_id=?", (entry_id,)).fetchone()
        )
        return None if row is None else entry_from_json(orjson.loads(row[0]))


@contextmanager
def _cache_size(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    conn.execute(f"PRAGMA cache_size=-{kib}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")


def _migrate_step(conn: sqlite3.Connection, step: int) -> None:
    migration = MIGRATIONS[step]
    if callable(migration):
        if not _superseded(step):
            with _cache_size(conn, BULK_CACHE_KIB):
                migration(conn)
    else:
        for statement in migration.split(";"):
            if statement.strip():
                conn.execute(statement)
    if step == 0:
        _init_meta(conn)
    conn.execute(f"PRAGMA user_version={step + 1}")


def _superseded(step: int) -> bool:
    """Whether migration ``step`` rebuilds what a later one rebuilds again from the records
    alone (the name forms and postings): a list several schemas behind is rebuilt once, at the
    last such step, not once per step (a million persons take minutes each time). The steps
    between still count up the schema, each in its transaction, so an upgrade cut short
    resumes and still ends with the rebuild."""
    return MIGRATIONS[step] in _REBUILDS and _rebuild_forms in MIGRATIONS[step + 1 :]


_REBUILDS = (_reindex_names, _rebuild_forms)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _init_meta(conn: sqlite3.Connection) -> None:
    now = str(time.time())
    conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)",
        [("list_version", "0"), ("created_at", now), ("updated_at", "")],
    )


class Change:
    """One list version being written inside a transaction; see :meth:`Watchlist.change`."""

    def __init__(
        self, conn: sqlite3.Connection, version: int | None, note: str, bulk: bool
    ) -> None:
        current = int(conn.execute("SELECT value FROM meta WHERE key='list_version'").fetchone()[0])
        self.version = current + 1 if version is None else int(version)
        if self.version <= current:
            raise WatchlistError(
                f"version {self.version} is not newer than the list in force ({current})"
            )
        self.conn, self.note, self.bulk = conn, note, bulk
        self.result = {"version": self.version, "upserted": 0, "deleted": 0, "replaced": 0}
        self.rolled_back = False
        self._next_rid = int(
            conn.execute("SELECT coalesce(max(rid), 0) + 1 FROM entries").fetchone()[0]
        )
        if bulk:
            _create_stage(conn)

    def seen(self, entry_id: str) -> bool:
        """True when ``entry_id`` was already written in this change."""
        sql = "SELECT 1 FROM entries WHERE entry_id=? AND list_version=?"
        return self.conn.execute(sql, (entry_id, self.version)).fetchone() is not None

    @property
    def next_rid(self) -> int:
        """The lowest row id free for a new entry (rows may be numbered from here on)."""
        return self._next_rid

    def upsert(
        self, entries: Iterable[Entry], on_duplicate: Callable[[Entry], None] | None = None
    ) -> None:
        """Insert or replace entries.

        An id written twice in one change raises :class:`WatchlistError`, or, with
        ``on_duplicate``, is passed to it and left out.
        """
        for chunk in chunked(entries, FLUSH_EVERY):
            rows = Rows()
            for rid, entry in enumerate(chunk, start=self._next_rid):
                rows.add(entry, rid, self.version)
            self.upsert_rows(rows, None if on_duplicate is None else _by_index(chunk, on_duplicate))

    def upsert_rows(self, rows: Rows, on_duplicate: Callable[[int], None] | None = None) -> None:
        """As :meth:`upsert` for rows made by :meth:`Rows.add` with this change's version and
        row ids from :attr:`next_rid` up (``on_duplicate`` gets the index of the entry row)."""
        ids = [row[1] for row in rows.entries]
        existing = _existing(self.conn, ids)
        if existing or len(set(ids)) != len(ids):
            rows = self._drop_duplicates(rows, ids, existing, on_duplicate)
        rows.write(self.conn, self.bulk)
        self.result["upserted"] += len(rows.entries)
        if rows.entries:
            self._next_rid = max(self._next_rid, rows.entries[-1][0] + 1)

    def _drop_duplicates(
        self,
        rows: Rows,
        ids: list[str],
        existing: dict[str, tuple[int, int, str]],
        on_duplicate: Callable[[int], None] | None,
    ) -> Rows:
        """Replace the entries stored before this change; leave out ids written in it."""
        seen: set[str] = set()
        dropped: set[int] = set()
        for i, entry_id in enumerate(ids):
            replaced = -1 if entry_id in seen else self._replace(existing.get(entry_id))
            seen.add(entry_id)
            if replaced < 0 and on_duplicate is None:
                raise WatchlistError(f"entry {entry_id!r} appears twice in one change")
            if replaced < 0 and on_duplicate is not None:
                on_duplicate(i)
                dropped.add(rows.entries[i][0])
            self.result["replaced"] += max(replaced, 0)
        return rows.without(dropped) if dropped else rows

    def _replace(self, found: tuple[int, int, str] | None) -> int:
        """Remove the entry found (rid, list version, data): 1, 0 when none, -1 when new here."""
        if found is None:
            return 0
        if found[1] == self.version:
            return -1
        _remove(self.conn, found[0], found[2])
        return 1

    def delete(self, entry_ids: Iterable[str]) -> None:
        """Remove entries by id (unknown ids are ignored)."""
        for entry_id in entry_ids:
            removed = _delete(self.conn, entry_id, self.version)
            if removed < 0:
                raise WatchlistError(
                    f"entry {entry_id!r} is both written and deleted in one change"
                )
            self.result["deleted"] += removed

    def rollback(self) -> None:
        """Abandon the change when the block ends."""
        self.rolled_back = True

    def finish(self) -> None:
        """Move staged index rows in key order and record the version (called on commit)."""
        if self.bulk:
            _unstage(self.conn)
        _set_version(
            self.conn, self.version, self.result["upserted"], self.result["deleted"], self.note
        )


def _create_stage(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS stage (rid INTEGER, keys TEXT)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS stage_exact (kind TEXT, key TEXT, rid INTEGER)")
    conn.execute("DELETE FROM temp.stage")
    conn.execute("DELETE FROM temp.stage_exact")
    conn.execute(f"PRAGMA temp.cache_size=-{BULK_CACHE_KIB}")  # its default is 2 MB


def _unstage(conn: sqlite3.Connection) -> None:
    """Index rows staged by a bulk change, inserted in key order (sequential B-tree appends).

    The sort may use helper threads: at this point the import's worker processes are done.
    """
    conn.execute(f"PRAGMA threads={SORT_THREADS}")
    conn.execute(f"PRAGMA cache_size=-{SORT_RUN_KIB}")
    conn.execute(
        "INSERT OR IGNORE INTO postings SELECT k.value, s.rid"
        " FROM stage s, json_each(s.keys) k ORDER BY 1, 2"
    )
    conn.execute(
        "INSERT OR IGNORE INTO exact SELECT kind, key, rid FROM stage_exact ORDER BY kind, key, rid"
    )
    conn.execute("PRAGMA threads=0")
    conn.execute("DROP TABLE temp.stage")
    conn.execute("DROP TABLE temp.stage_exact")
    conn.execute("PRAGMA temp.cache_size=-2000")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _set_version(conn: sqlite3.Connection, new: int, ups: int, dels: int, note: str) -> None:
    now = time.time()
    conn.execute("UPDATE meta SET value=? WHERE key='list_version'", (str(new),))
    conn.execute("UPDATE meta SET value=? WHERE key='updated_at'", (str(now),))
    conn.execute("INSERT INTO versions VALUES (?, ?, ?, ?, ?)", (new, now, ups, dels, note[:256]))


def _delete(conn: sqlite3.Connection, entry_id: str, version: int) -> int:
    """Remove an entry and its index rows: 1, 0 when absent, -1 when written in ``version``."""
    sql = "SELECT rid, list_version, data FROM entries WHERE entry_id=?"
    row = conn.execute(sql, (entry_id,)).fetchone()
    if row is None:
        return 0
    if row[1] == version:
        return -1
    _remove(conn, row[0], row[2])
    return 1


def _remove(conn: sqlite3.Connection, rid: int, data: str) -> None:
    """Delete entry ``rid`` (stored JSON ``data``) with its posting and exact rows."""
    entry = entry_from_json(orjson.loads(data))
    if isinstance(entry.subject, Person):
        conn.executemany(
            "DELETE FROM postings WHERE key=? AND rid=?",
            [(k, rid) for k in person_keys(entry.subject)],
        )
    conn.executemany(
        "DELETE FROM exact WHERE kind=? AND key=? AND rid=?", [(*k, rid) for k in exact_keys(entry)]
    )
    conn.execute("DELETE FROM entries WHERE rid=?", (rid,))


def _existing(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[int, int, str]]:
    """entry_id → (rid, list version, data) for those of ``ids`` already stored."""
    found: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(ids), LOOKUP_BATCH):
        part = ids[start : start + LOOKUP_BATCH]
        sql = "SELECT entry_id, rid, list_version, data FROM entries WHERE entry_id IN ({})"
        for entry_id, rid, version, data in conn.execute(
            sql.format(",".join("?" * len(part))), part
        ):
            found[entry_id] = (rid, version, data)
    return found


def _by_index(chunk: list[Entry], report: Callable[[Entry], None]) -> Callable[[int], None]:
    return lambda i: report(chunk[i])


def _json(value: Any) -> str:
    """Compact JSON text, UTF-8 kept (orjson: 3-4x the speed of ``json`` on import rows)."""
    return orjson.dumps(value).decode()


def _postings_json(forms: list[Any], birth_dates: Sequence[str]) -> str:
    """A person's posting keys as one sorted JSON array (as staged and as rebuilt)."""
    return _json(sorted(forms_keys(forms, birth_dates)))


def stored_dates(column: str | None) -> tuple[str, ...]:
    """A person's birth dates as the ``birth_date`` column holds them: apart by spaces (one
    date as before; a list of schema 12 or older holds only the first)."""
    return tuple(column.split()) if column else ()


@dataclass(slots=True)
class Rows:
    """Table rows of entries, written with one ``executemany`` per table.

    Plain tuples and strings: cheap to send from a worker process.
    """

    entries: list[tuple[Any, ...]] = field(default_factory=list)
    """rid, entry_id, kind, list, record_version, list_version, birth dates (apart by spaces),
    sex, nats, forms, data."""
    postings: list[tuple[int, str]] = field(default_factory=list)
    """rid and the posting keys as one JSON array (one value to bind instead of ~13)."""
    exact: list[tuple[str, str, int]] = field(default_factory=list)

    def add(self, entry: Entry, rid: int, version: int) -> None:
        """Queue the rows of ``entry`` as row ``rid`` of list ``version`` (pure: may run in
        another process)."""
        s = entry.subject
        person = s if isinstance(s, Person) else None
        forms = person_forms(person) if person else []
        self.entries.append((rid, entry.entry_id, entry.kind, entry.list, entry.record_version,
                             version, (" ".join(person.birth_dates) or None) if person else None,
                             person.sex if person else None,
                             " ".join(person.nationalities) if person else None,
                             _json(forms) if forms else None, _json(entry.to_json())))  # fmt: skip
        if person is not None:
            self.postings.append((rid, _postings_json(forms, person.birth_dates)))
        self.exact.extend((kind, key, rid) for kind, key in exact_keys(entry))

    def without(self, rids: set[int]) -> Rows:
        """These rows except those of the entries numbered ``rids``."""
        out = Rows()
        out.entries.extend(r for r in self.entries if r[0] not in rids)
        out.postings.extend(r for r in self.postings if r[0] not in rids)
        out.exact.extend(r for r in self.exact if r[2] not in rids)
        return out

    def write(self, conn: sqlite3.Connection, bulk: bool) -> None:
        """Insert the rows (index rows to the stage tables when ``bulk``)."""
        conn.executemany(f"INSERT INTO entries VALUES ({','.join('?' * 11)})", self.entries)
        if bulk:
            conn.executemany("INSERT INTO stage(rid, keys) VALUES (?, ?)", self.postings)
        else:
            sql = "INSERT OR IGNORE INTO postings SELECT k.value, ? FROM json_each(?) k"
            conn.executemany(sql, self.postings)
        exact = "stage_exact" if bulk else "exact"
        sql = f"INSERT OR IGNORE INTO {exact}(kind, key, rid) VALUES (?, ?, ?)"
        conn.executemany(sql, self.exact)
