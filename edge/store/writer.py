"""The one thread that writes ``events.db``: queued write jobs, committed in groups.

Every change to the event database is a *job*: a function of a ``Tx`` (the
write connection and the events the job wrote), run by the writer thread
inside a savepoint. The thread takes
every job waiting in its queue, runs them in one ``BEGIN IMMEDIATE`` …
``COMMIT`` and only then resolves their futures (group commit). With
``synchronous=FULL`` one fsync then makes a whole group durable, and a caller
is resumed only once its own transaction is on disk. A job that raises is
rolled back to its savepoint alone; the rest of its group still commits.
After each commit the listeners get every event of the group, in commit
order, on the writer thread: that is how an event reaches the console and
the uplink, whoever wrote it. Work that serves a whole group (the name search
index) runs once per group, after its jobs and before its commit.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
MAX_GROUP = 512
log = logging.getLogger("borderpost.store")


class WriterClosed(RuntimeError):
    """A write was submitted after the store was closed."""


@dataclass
class Tx:
    """What a write job gets: the write connection, and where it lists the events it wrote."""

    conn: sqlite3.Connection
    written: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class _Job:
    run: Callable[[Tx], Any]
    future: Future[Any]


@dataclass
class WriterStats:
    """How many groups and jobs the writer has committed (for benchmarks and status)."""

    groups: int = 0
    jobs: int = 0


class Writer:
    """Owns the one write connection; runs submitted jobs in group commits."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        max_group: int = MAX_GROUP,
        before_commit: Sequence[Callable[[sqlite3.Connection], None]] = (),
    ) -> None:
        self._conn = conn
        self._max_group = max_group
        self._before_commit = tuple(before_commit)
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = threading.Event()
        self.stats = WriterStats()
        self.listeners: list[Callable[[list[Any]], None]] = []
        self._thread = threading.Thread(target=self._serve, name="events-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[Tx], T]) -> Future[T]:
        """Queue ``job``; the future resolves once its group is committed (or it failed)."""
        if self._closed.is_set():
            raise WriterClosed("the event store is closed; no more writes are taken")
        future: Future[T] = Future()
        self._queue.put(_Job(job, future))
        return future

    def run(self, job: Callable[[Tx], T]) -> T:
        """Run ``job`` and wait until it is on disk; return its result or raise its error."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("a write job must not wait for another write job")
        return self.submit(job).result()

    def close(self) -> None:
        """Commit what is queued, stop the thread and close the write connection."""
        self.stop()
        self._thread.join()
        self._conn.close()

    def stop(self) -> None:
        """Ask the thread to finish the queued jobs and exit (does not wait)."""
        if not self._closed.is_set():
            self._closed.set()
            self._queue.put(None)

    def _serve(self) -> None:
        while True:
            first = self._queue.get()
            group, done = self._gather(first)
            if group:
                self._commit(group)
            if done:
                return

    def _gather(self, first: _Job | None) -> tuple[list[_Job], bool]:
        """The first job and every job queued behind it (up to the group cap)."""
        group: list[_Job] = []
        job = first
        while job is not None:
            if job.future.set_running_or_notify_cancel():
                group.append(job)
            if len(group) >= self._max_group:
                return group, False
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return group, False
        return group, True

    def _commit(self, group: list[_Job]) -> None:
        outcomes: list[tuple[bool, Any, list[Any]]] = []
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            outcomes = [self._attempt(job) for job in group]
            for hook in self._before_commit:
                hook(self._conn)
            self._conn.execute("COMMIT")
        except BaseException as exc:  # the group as a whole failed: nothing of it is on disk
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            for job in group:
                job.future.set_exception(exc)
            return
        self.stats.groups += 1
        self.stats.jobs += len(group)
        self._tell([w for ok, _, written in outcomes if ok for w in written])
        for job, (ok, value, _) in zip(group, outcomes, strict=True):
            if ok:
                job.future.set_result(value)
            else:
                job.future.set_exception(value)

    def _attempt(self, job: _Job) -> tuple[bool, Any, list[Any]]:
        """Run one job in a savepoint: (True, result, written), or (False, error, []) undone."""
        tx = Tx(self._conn)
        self._conn.execute("SAVEPOINT job")
        try:
            value = job.run(tx)
        except Exception as exc:
            self._conn.execute("ROLLBACK TO job")
            self._conn.execute("RELEASE job")
            return False, exc, []
        self._conn.execute("RELEASE job")
        return True, value, tx.written

    def _tell(self, written: list[Any]) -> None:
        """Give the listeners what the group wrote; a failing listener is logged, not fatal."""
        if not written:
            return
        for listener in self.listeners:
            try:
                listener(written)
            except Exception:
                log.exception("an event listener failed")
