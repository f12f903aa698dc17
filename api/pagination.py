"""Cursor (keyset) pagination: opaque, signed cursors tied to the filters they were made for.

A cursor carries the sort-key values of the last row served and a fingerprint of the
request's filters and sort; the next page starts strictly after that row.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, Date, Select, and_, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.errors import InvalidCursor

CURSOR_SALT = "provisions.cursor.v1"


@dataclass(frozen=True)
class SortKey:
    """One column of a sort order; nulls always come last."""

    column: InstrumentedAttribute
    descending: bool = False

    def ordering(self):
        ordered = self.column.desc() if self.descending else self.column.asc()
        return ordered.nulls_last() if self.column.nullable else ordered

    def after(self, value: Any) -> ColumnElement:
        """Rows that sort strictly after `value` on this column."""
        if value is None:
            return false()
        beyond = self.column < value if self.descending else self.column > value
        return or_(beyond, self.column.is_(None)) if self.column.nullable else beyond

    def equal(self, value: Any) -> ColumnElement:
        return self.column.is_(None) if value is None else self.column == value

    def encode(self, record: Any) -> Any:
        value = getattr(record, self.column.key)
        return value.isoformat() if isinstance(value, date) else value

    def decode(self, value: Any) -> Any:
        if value is None or not isinstance(self.column.type, Date):
            return value
        return date.fromisoformat(value)


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


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
) -> Page:
    """Run one page of `statement`, whose last sort key must be unique (the id)."""
    serializer = URLSafeSerializer(secret, salt=CURSOR_SALT)
    bound_to = fingerprint(arguments)
    if cursor:
        statement = statement.where(
            _after(order, _read_cursor(serializer, cursor, bound_to, order))
        )
    statement = statement.order_by(*(key.ordering() for key in order)).limit(limit + 1)
    rows = list(session.scalars(statement))
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    payload = {"f": bound_to, "k": [key.encode(rows[-1]) for key in order]}
    return Page(rows, serializer.dumps(payload))


def _read_cursor(serializer: URLSafeSerializer, cursor: str, bound_to: str, order) -> list:
    try:
        payload = serializer.loads(cursor)
    except (BadSignature, UnicodeError, ValueError):
        raise InvalidCursor("it was not issued by this API or has been altered") from None
    if not isinstance(payload, dict) or payload.get("f") != bound_to:
        raise InvalidCursor("it was issued for other filters or another sort order")
    values = payload.get("k")
    if not isinstance(values, list) or len(values) != len(order):
        raise InvalidCursor("it was issued for another sort order")
    try:
        return [key.decode(value) for key, value in zip(order, values, strict=True)]
    except (TypeError, ValueError):
        raise InvalidCursor("it was issued for another sort order") from None


def _after(order: tuple[SortKey, ...], values: list) -> ColumnElement:
    """Keyset condition: (k1 > v1) or (k1 = v1 and k2 > v2) or …, nulls sorting last."""
    alternatives = []
    for index, key in enumerate(order):
        same_so_far = [order[i].equal(values[i]) for i in range(index)]
        alternatives.append(and_(true(), *same_so_far, key.after(values[index])))
    return or_(*alternatives)
