"""Chunks of work spread over worker processes, results in input order, a bounded read-ahead.

The import (``importers.py``) and the rebuild of the name index on a schema upgrade
(``db.py``) both turn a long stream of chunks into rows on worker processes while the
calling process writes them: a short stream runs here (a small list never starts a
pool), a longer one wholly in the workers, at most ``IN_FLIGHT`` chunks at a time, so
memory stays bounded however long the stream. Workers that cannot start or die (a sandbox that
forbids them, the kernel's OOM killer) cost time, not the result: what they had not
returned, and the rest, is done here.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import TypeVar

C = TypeVar("C")
R = TypeVar("R")
WORKERS = min(8, os.cpu_count() or 2)
IN_FLIGHT = 2 * WORKERS
log = logging.getLogger(__name__)


def in_order(
    work: Callable[[C], R], chunks: Iterator[C], inline_first: int, safe: bool = False
) -> Iterator[R]:
    """``work`` of each chunk, in order: a stream of at most ``inline_first`` chunks here,
    a longer one in workers from its first chunk (read ahead to tell: with the first chunks
    done here while the workers waited, an import of 1M persons spent ~3 s on one core).

    ``safe``: start the workers from a clean server process (forkserver) instead of forking
    this one — for a process that has other threads running (the daemon), whose locks a
    forked child could inherit held.
    """
    ahead = list(islice(chunks, inline_first + 1))
    if len(ahead) <= inline_first:
        yield from map(work, ahead)
        return
    chunks = chain(ahead, chunks)
    pending: deque[tuple[C, Future[R]]] = deque()
    try:
        context = multiprocessing.get_context("forkserver") if safe else None
        with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
            for chunk in chunks:
                pending.append((chunk, pool.submit(work, chunk)))
                if len(pending) >= IN_FLIGHT:
                    yield pending[0][1].result()
                    pending.popleft()
            while pending:
                yield pending[0][1].result()
                pending.popleft()
    except (BrokenProcessPool, OSError) as exc:
        log.warning("worker processes failed (%s); the rest is done in this process", exc)
        for chunk, _future in pending:
            yield work(chunk)
        for chunk in chunks:
            yield work(chunk)
