"""Results that only a load can change, kept until the dataset changes.

Facet counts and record counts read every record they count: the documents page's facets
read the whole collection each time, 160 ms at a million provisions. Their results are fixed
by the dataset, as the API's responses are (api.http.caching), so each is kept under the
same dataset stamp that the responses' ETags are made from, and a new stamp drops them all.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from flask import current_app, g

RESULTS_KEPT = 512  # per process; each a few hundred bytes (up to 100 values of a facet)

T = TypeVar("T")


class DatasetMemo:
    """The last RESULTS_KEPT results by key, for one dataset stamp."""

    def __init__(self, size: int = RESULTS_KEPT):
        self._size = size
        self._lock = threading.Lock()
        self._stamp: str | None = None
        self._results: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, stamp: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for `key` under `stamp`, or `compute()`'s, then kept."""
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._results.clear()
            elif key in self._results:
                self._results.move_to_end(key)
                return self._results[key]  # type: ignore[return-value]
        result = compute()  # outside the lock: two threads may both compute a new key
        with self._lock:
            if stamp == self._stamp:
                self._results[key] = result
                if len(self._results) > self._size:
                    self._results.popitem(last=False)
        return result


def kept(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s result, kept by the current app until its dataset stamp changes."""
    memo = current_app.extensions.setdefault("dataset_memo", DatasetMemo())
    return memo.get(_stamp(), key, compute)


def _stamp() -> str:
    """The dataset stamp, read once per request: its results all come from one dataset."""
    if "dataset_stamp" not in g:
        g.dataset_stamp = current_app.extensions["dataset_stamp"].current()
    return g.dataset_stamp


def frozen(arguments: dict, names: Iterable[str]) -> tuple:
    """The arguments named, as part of a key: (name, value) pairs, lists as tuples."""
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name in sorted(names)
        if (value := arguments.get(name)) is not None
    )
