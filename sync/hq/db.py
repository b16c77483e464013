"""HQ's database connection: SQLite by default, PostgreSQL for HQs that outgrow one machine.

Every statement is written once with PostgreSQL's own numbered placeholders
(``$1``, ``$2``…) and its values are always passed to the driver as
parameters; the SQL text is never rewritten. PostgreSQL binds them on the
server (psycopg's ``RawCursor``: the extended protocol, text sent as is);
SQLite reads ``$1`` as a parameter named ``1`` and ``SqliteDb`` hands the
values over by those names. Where the dialects really differ (column types,
partitioning) the schema is written per dialect (``sync/hq/migrations.py``,
run at open). ``connect("postgresql://…")`` needs the ``psycopg`` package;
anything else is a SQLite file path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

SCHEMA_LOCK: Final = 715517  # PostgreSQL advisory lock: one migrator at a time
MAX_PARAMS: Final = 30_000  # values in one statement (SQLite allows 32,766, PostgreSQL 65,535)


class Db:
    """One connection; ``execute`` takes ``$n`` placeholders; explicit transactions."""

    kind = "sqlite"
    for_update = ""
    target = ""

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """Run one statement with ``args`` bound to ``$1``, ``$2``…; return its cursor."""
        raise NotImplementedError

    def begin(self) -> None:
        """Start a write transaction."""
        self.execute("BEGIN")

    def commit(self) -> None:
        """Commit the transaction."""
        self.execute("COMMIT")

    def rollback(self) -> None:
        """Roll the transaction back."""
        self.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection."""
        raise NotImplementedError

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], tail: str = ""
    ) -> list[Any]:
        """Insert ``rows`` a few thousand to a statement (one round trip each, values bound);
        ``tail`` (ours, e.g. ``ON CONFLICT DO NOTHING RETURNING …``) ends each; the rows
        a ``RETURNING`` gave."""
        width, out = len(columns), []
        per = max(1, MAX_PARAMS // width)
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            marks = ", ".join(
                "(" + ", ".join(f"${k * width + j}" for j in range(1, width + 1)) + ")"
                for k in range(len(chunk))
            )
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {marks}{tail}"
            cur = self.execute(sql, [v for row in chunk for v in row])
            if "RETURNING" in tail:
                out.extend(cur.fetchall())
        return out

    @contextmanager
    def pipelined(self) -> Iterator[Db]:
        """One write transaction whose statements need not wait for each other's answers
        (PostgreSQL's pipeline mode; here a plain ``transaction``): only a fetch waits for
        the database, so a statement whose result is never read costs no round trip. Read
        results with ``fetchone``/``fetchall`` only (``rowcount`` is not known yet)."""
        with self.transaction() as db:
            yield db

    @contextmanager
    def transaction(self) -> Iterator[Db]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def columns(self, table: str) -> set[str]:
        """The column names of ``table`` (empty when it does not exist)."""
        return {str(r[0]) for r in self.execute(self.columns_sql, (table,)).fetchall()}

    columns_sql = "SELECT name FROM pragma_table_info($1)"


class SqliteDb(Db):
    """A SQLite file in WAL mode with ``synchronous=FULL``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.target = str(path)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=10000"):
            self._conn.execute(f"PRAGMA {pragma}")

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """Run one statement (``$n`` is SQLite's parameter named ``n``); return its cursor."""
        return self._conn.execute(sql, {str(i): v for i, v in enumerate(args, 1)})

    def begin(self) -> None:
        """Start a write transaction (taking the write lock now)."""
        self.execute("BEGIN IMMEDIATE")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class PostgresDb(Db):
    """A PostgreSQL database (``postgresql://user@host:port/db``) through psycopg 3."""

    kind = "postgresql"
    for_update = " FOR UPDATE"
    columns_sql = (
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = $1"
    )

    def __init__(self, url: str) -> None:
        import psycopg  # type: ignore[import-not-found]

        self.target = url
        self._conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.RawCursor)

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """Run one statement, its values bound by the server; return its cursor."""
        return self._conn.execute(sql, tuple(args))

    @contextmanager
    def pipelined(self) -> Iterator[Db]:
        """One write transaction in pipeline mode (see ``Db.pipelined``): under a busy
        machine each round trip to the server waits to be scheduled, and of a batch's
        seven statements two are waited for."""
        with self._conn.pipeline(), self._conn.transaction():
            yield self

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def rows(db: Db, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """A query's rows as dicts keyed by column name."""
    cur = db.execute(sql, list(args))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def is_url(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def connect(target: str | Path) -> Db:
    """A connection to ``target`` as it is (``sync.hq.migrations.open_db`` also migrates it)."""
    if is_url(target):
        return PostgresDb(str(target))
    return SqliteDb(Path(target))
