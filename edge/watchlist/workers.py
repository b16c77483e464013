"""Chunks of work spread over worker processes, results in input order, a bounded read-ahead.

The import (``importers.py``) and the rebuild of the name index on a schema upgrade
(``db.py``) both turn a long stream of chunks into rows on worker processes while the
calling process writes them: the first chunks run here (a small list never starts a
pool), then at most ``IN_FLIGHT`` chunks are in the workers at a time, so memory stays
bounded however long the stream.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import TypeVar

C = TypeVar("C")
R = TypeVar("R")
WORKERS = min(8, os.cpu_count() or 2)
IN_FLIGHT = 2 * WORKERS


def in_order(
    work: Callable[[C], R], chunks: Iterator[C], inline_first: int, safe: bool = False
) -> Iterator[R]:
    """``work`` of each chunk, in order: the first ``inline_first`` here, the rest in workers.

    ``safe``: start the workers from a clean server process (forkserver) instead of forking
    this one — for a process that has other threads running (the daemon), whose locks a
    forked child could inherit held.
    """
    for _ in range(inline_first):
        chunk = next(chunks, None)
        if chunk is None:
            return
        yield work(chunk)
    context: BaseContext | None = multiprocessing.get_context("forkserver") if safe else None
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        pending: deque[Future[R]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(work, chunk))
            if len(pending) >= IN_FLIGHT:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
