"""One long read split into ranges of ids, run on several PostgreSQL connections at once and
given back in order, as one consistent snapshot.

Why: PostgreSQL writes an export's lines at about 13 µs each on one core, while the client
waits for each batch: a million lines took 20 s. Ranges of ids run on two connections at once
keep two cores busy. Each connection takes the snapshot of a first one (pg_export_snapshot,
as pg_dump --jobs does), so the ranges together read the data as it was at one instant, as
one statement would.
"""

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack

from sqlalchemy import Column, Connection, Engine, func, select

from api.storage import database

LANES = 2  # connections reading ranges at once
RANGE_SIZE = 5_000  # ids a range holds: ~5 MB of export lines, ~70 ms of PostgreSQL's time


FIRST_AFTER = ""  # the first range's lower bound: every id but the empty one sorts after it


def splittable(connection: Connection, ids: Column) -> bool:
    """Whether every id falls in some range: none is empty (slugs never are)."""
    return connection.scalar(select(ids).where(ids <= FIRST_AFTER).limit(1)) is None


def rows_by_range(
    engine: Engine,
    ids: Column,
    sql: str,
    *,
    after: str = "after",
    through: str = "through",
    settings: Sequence[str] = (),
) -> Iterator[list[tuple]]:
    """The rows of `sql` for each range of the values of `ids` (its parameters `after` and
    `through` bound a range: ids > after and <= through), range by range in id order, each
    connection's transaction first given the `settings` (SET LOCAL statements). Every id must
    be `splittable`."""
    with ExitStack() as stack:
        holder = _repeatable_read(stack.enter_context(engine.connect()))
        snapshot = holder.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        lanes = []
        for _ in range(LANES):
            connection = _repeatable_read(stack.enter_context(engine.connect()))
            connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{_checked(snapshot)}'")
            for setting in settings:
                connection.exec_driver_sql(setting)
            # Entered after its connection, so left first: a running range ends before the
            # connection closes, even when the reader stops early.
            lane = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="range-reader"))
            lanes.append((lane, connection))
        pending: deque[Future] = deque()
        try:
            for number, (low, high) in enumerate(_ranges(holder, ids)):
                lane, connection = lanes[number % LANES]
                bounds = {after: low, through: high}
                pending.append(lane.submit(database.driver_rows, connection, sql, bounds))
                if len(pending) > LANES:  # one range waiting per lane: memory stays bounded
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _repeatable_read(connection: Connection) -> Connection:
    return connection.execution_options(isolation_level="REPEATABLE READ")


def _checked(snapshot: str) -> str:
    """The snapshot's name, checked before it is written into a statement (SET takes no
    parameters): PostgreSQL names them with hexadecimal digits and hyphens."""
    if not snapshot or set(snapshot) - set("0123456789ABCDEFabcdef-"):
        raise ValueError(f"unexpected snapshot name {snapshot!r}")
    return snapshot


def _ranges(connection: Connection, ids: Column) -> Iterator[tuple[str, str]]:
    """(after, through) for each run of RANGE_SIZE ids in order, the last run shorter; found
    as the ranges are read, so the first is read at once."""
    low = FIRST_AFTER
    while True:
        high = connection.scalar(
            select(ids).where(ids > low).order_by(ids).offset(RANGE_SIZE - 1).limit(1)
        )
        if high is None:
            high = connection.scalar(select(func.max(ids)).where(ids > low))
            if high is not None:
                yield low, high
            return
        yield low, high
        low = high
