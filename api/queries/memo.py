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
_MISSING = object()


class DatasetMemo:
    """The results last used under one dataset stamp, as many as `budget` allows.

    Each result weighs what `weigh` says (1 by default, so that the budget is a count); the
    least recently used go first once the weights add up to more than the budget.
    """

    def __init__(self, budget: int = RESULTS_KEPT, weigh: Callable[[object], int] = lambda _: 1):
        self._budget = budget
        self._weigh = weigh
        self._lock = threading.Lock()
        self._stamp: str | None = None
        self._results: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._weight = 0

    def get(self, stamp: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for `key` under `stamp`, or `compute()`'s, then kept."""
        found = self.lookup(stamp, key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        result = compute()  # outside the lock: two threads may both compute a new key
        self.keep(stamp, key, result)
        return result

    def lookup(self, stamp: str, key: Hashable, default: object = None) -> object:
        """The result kept for `key` under `stamp`, else `default`."""
        with self._lock:
            if stamp != self._stamp:
                self._forget(stamp)
                return default
            kept = self._results.get(key)
            if kept is None:
                return default
            self._results.move_to_end(key)
            return kept[0]

    def keep(self, stamp: str, key: Hashable, result: object) -> None:
        """Keep `result` for `key` under `stamp`, unless the dataset has changed since."""
        weight = self._weigh(result)
        with self._lock:
            if stamp != self._stamp or weight > self._budget:
                return
            if key in self._results:
                self._weight -= self._results.pop(key)[1]
            self._results[key] = (result, weight)
            self._weight += weight
            while self._weight > self._budget:
                self._weight -= self._results.popitem(last=False)[1][1]

    def _forget(self, stamp: str) -> None:
        self._stamp = stamp
        self._results.clear()
        self._weight = 0


def kept(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s result, kept by the current app until its dataset stamp changes."""
    memo = current_app.extensions.setdefault("dataset_memo", DatasetMemo())
    return memo.get(stamp(), key, compute)


def stamp() -> str:
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
