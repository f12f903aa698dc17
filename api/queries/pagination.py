"""Cursor (keyset) pagination: opaque, signed cursors tied to the filters they were made for.

A cursor carries the sort-key values of the last row served and a fingerprint of the
request's filters and sort; the next page starts strictly after that row.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from typing import Any

from itsdangerous import BadSignature, Signer, URLSafeSerializer
from sqlalchemy import ColumnElement, Date, Row, Select, and_, false, literal, or_, true, tuple_
from sqlalchemy.orm import Session

from api.errors import InvalidCursor

CURSOR_SALT = "provisions.cursor.v1"


@dataclass(frozen=True)
class SortKey:
    """One column (or expression) of a sort order; nulls always come last."""

    column: Any
    descending: bool = False
    never_null: bool = False  # for expressions that cannot say so themselves (a rowid)

    @cached_property  # asked on every page; an ORM attribute answers slowly
    def nullable(self) -> bool:
        return not self.never_null and getattr(self.column, "nullable", True)

    def ordering(self):
        return self._ordering

    @cached_property  # asked on every page, and the same every time
    def _ordering(self):
        ordered = self.column.desc() if self.descending else self.column.asc()
        return ordered.nulls_last() if self.nullable else ordered

    def after(self, value: Any) -> ColumnElement:
        """Rows that sort strictly after `value` on this column."""
        if value is None:
            return false()
        beyond = self.column < value if self.descending else self.column > value
        return or_(beyond, self.column.is_(None)) if self.nullable else beyond

    def equal(self, value: Any) -> ColumnElement:
        return self.column.is_(None) if value is None else self.column == value

    @staticmethod
    def encode(value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value

    def decode(self, value: Any) -> Any:
        if value is None or not isinstance(self.column.type, Date):
            return value
        return date.fromisoformat(value)


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None
    facets: dict | None = None
    meta: dict | None = None  # more members of the envelope (a search says if it ranked)
    rendered: bool = False  # items are JSON texts, written by the database


def fingerprint(arguments: dict) -> str:
    """A short digest of every argument but `cursor` and `limit`: what a cursor is bound to."""
    bound = {k: v for k, v in arguments.items() if k not in ("cursor", "limit")}
    canonical = json.dumps(bound, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def paginate(
    session: Session,
    statement: Select,
    order: tuple[SortKey, ...],
    *,
    limit: int,
    cursor: str | None,
    arguments: dict,
    secret: str,
    item: Callable[[Row], Any] = lambda row: row[0],
    cursor_parameter: str = "cursor",
) -> Page:
    """Run one page of `statement`, whose last sort key must be unique (the id).

    Each item is `item(row)`: by default the first thing the statement selects.
    """
    if cursor:
        values = read_cursor(cursor, order, arguments, secret, parameter=cursor_parameter)
        statement = statement.where(rows_after(order, values))
    rows = session.execute(keyed(statement, order, limit)).all()
    return page_of([(item(row), *row[-len(order) :]) for row in rows], limit, arguments, secret)


def keyed(statement: Select, order: tuple[SortKey, ...], limit: int) -> Select:
    """The statement selecting its sort keys last, in their order, one row over `limit`."""
    sort_columns = [key.column.label(f"sort_key_{i}") for i, key in enumerate(order)]
    return (
        statement.add_columns(*sort_columns)
        .order_by(*(key.ordering() for key in order))
        .limit(limit + 1)
    )


def page_of(rows: Sequence[Sequence], limit: int, arguments: dict, secret: str) -> Page:
    """A page of rows (item, *sort keys) read by `keyed`: the items, and a cursor after the
    last one when there are more."""
    items = [row[0] for row in rows[:limit]]
    if len(rows) <= limit:
        return Page(items, None)
    return Page(items, issue_cursor(list(rows[limit - 1][1:]), arguments, secret))


def issue_cursor(values: list, arguments: dict, secret: str) -> str:
    """A signed cursor for the position after `values` (the sort keys of the last row)."""
    payload = {"f": fingerprint(arguments), "k": [SortKey.encode(value) for value in values]}
    return _serializer(secret).dumps(payload)


def read_cursor(
    cursor: str,
    order: tuple[SortKey, ...],
    arguments: dict,
    secret: str,
    *,
    parameter: str = "cursor",
) -> list:
    """The sort-key values a cursor carries; InvalidCursor if forged or made for other
    arguments."""
    serializer = _serializer(secret)
    bound_to = fingerprint(arguments)
    try:
        payload = serializer.loads(cursor)
    except (BadSignature, UnicodeError, ValueError):
        raise InvalidCursor(
            "it was not issued by this API or has been altered", parameter
        ) from None
    if not isinstance(payload, dict) or payload.get("f") != bound_to:
        raise InvalidCursor("it was issued for other filters or another sort order", parameter)
    values = payload.get("k")
    if not isinstance(values, list) or len(values) != len(order):
        raise InvalidCursor("it was issued for another sort order", parameter)
    try:
        return [key.decode(value) for key, value in zip(order, values, strict=True)]
    except (TypeError, ValueError):
        raise InvalidCursor("it was issued for another sort order", parameter) from None


@cache  # one per secret: it derives its signing key when made
def _serializer(secret: str) -> URLSafeSerializer:
    return _CursorSerializer(secret, salt=CURSOR_SALT, signer=_KeyedSigner)


class _KeyedSigner(Signer):
    """A signer deriving its key once: itsdangerous derives it again at every signature."""

    @cached_property
    def _derived_key(self) -> bytes:
        return super().derive_key()

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        return self._derived_key if secret_key is None else super().derive_key(secret_key)


class _CursorSerializer(URLSafeSerializer):
    """A serializer reusing one signer: itsdangerous makes a new one at every call."""

    @cached_property
    def _signer(self) -> Signer:
        return super().make_signer(self.salt)

    def make_signer(self, salt: str | bytes | None = None) -> Signer:
        return self._signer if salt is None else super().make_signer(salt)


def rows_after(order: tuple[SortKey, ...], values: list) -> ColumnElement:
    """Keyset condition: (k1 > v1) or (k1 = v1 and k2 > v2) or …, nulls sorting last.

    When no key can be null and all sort the same way, it is one row-value comparison
    `(k1, k2, …) > (v1, v2, …)`: equal in meaning, but SQLite and PostgreSQL seek an index
    with it, where they scan the index from its start for the OR of ANDs.
    """
    if row_value_comparable(order):
        columns = tuple_(*(key.column for key in order))
        bound = tuple_(
            *(literal(value, key.column.type) for key, value in zip(order, values, strict=True))
        )
        return columns < bound if order[0].descending else columns > bound
    alternatives = []
    for index, key in enumerate(order):
        same_so_far = [order[i].equal(values[i]) for i in range(index)]
        alternatives.append(and_(true(), *same_so_far, key.after(values[index])))
    return or_(*alternatives)


def row_value_comparable(order: tuple[SortKey, ...]) -> bool:
    """Whether rows after a cursor are one row-value comparison (see `rows_after`)."""
    directions = {key.descending for key in order}
    return len(order) > 1 and len(directions) == 1 and not any(key.nullable for key in order)
