"""Records read with SQLAlchemy Core: a table row plus the lists linked to it.

Loading ORM objects (identity map, attribute instrumentation, one `selectinload` query per
relationship) cost more than the queries themselves on every page. A `Record` is a plain
dict with attribute access, so the schemas, CSV and JSON-LD read it like the ORM object it
replaces; each linked list (sources, topics, sub-provisions…) is one query per page.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import Session


class Record(dict):
    """A record's fields by attribute name (`record.document_id`), as a dict."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class Attachment(Protocol):
    """Reads one list attribute for many records at once: record id -> value."""

    def read(self, session: Session, ids: Sequence[Any]) -> Mapping[Any, Any]: ...


@dataclass(frozen=True)
class Linked:
    """The `value`s of the rows whose `owner` is the record, in `order`."""

    owner: ColumnElement
    value: ColumnElement
    order: tuple[ColumnElement, ...] = ()

    def read(self, session: Session, ids: Sequence[Any]) -> Mapping[Any, list]:
        statement = (
            select(self.owner, self.value)
            .where(self.owner.in_(ids))
            .order_by(self.owner, *(self.order or (self.value,)))
        )
        grouped = defaultdict(list)
        for owner, value in session.connection().execute(statement):
            grouped[owner].append(value)
        return grouped


def records(
    session: Session,
    rows: Iterable[Row],
    columns: Sequence[str],
    attached: Mapping[str, Attachment],
) -> list[Record]:
    """Records from `rows` (their first len(columns) values), with every attachment read."""
    width = len(columns)
    found = [Record(zip(columns, row[:width], strict=True)) for row in rows]
    attach(session, found, attached)
    return found


def attach(session: Session, found: list[Record], attached: Mapping[str, Attachment]) -> None:
    """Give each record its attached lists (empty when it has none), one query per list."""
    if not found:
        return
    ids = [record["id"] for record in found]
    for name, attachment in attached.items():
        values = attachment.read(session, ids)
        for record in found:
            record[name] = values.get(record["id"], [])
