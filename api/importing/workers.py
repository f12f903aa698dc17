"""Pure work on many items shared among the machine's cores, a process each."""

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

# Few items are worked through in this process: starting the workers would cost more.
PARALLEL_FROM = 64
MAX_WORKERS = 8


def each(function: Callable, items: Sequence, chunksize: int = 8) -> list:
    """`function` of each item, in order: in worker processes when the items are many (a
    fast path: the plain one is the loop below, which gives the same)."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(items) < PARALLEL_FROM or workers < 2:
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(function, items, chunksize=chunksize))
