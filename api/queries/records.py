"""Records read with SQLAlchemy Core: a table row plus the lists linked to it.

Loading ORM objects (identity map, attribute instrumentation, one `selectinload` query per
relationship) cost more than the queries themselves on every page. A `Record` is a plain
dict with attribute access, so the schemas, CSV and JSON-LD read it like the ORM object it
replaces; its linked lists (sources, topics, sub-provisions…) come from one query per page,
or in its own row as JSON texts where the database writes them (`records_with_lists`).
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    Row,
    Table,
    cast,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from api.queries import id_lists
from api.storage import database


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
    """Reads one attribute for many records at once: record id -> value."""

    def read(self, session: Session, ids: Sequence[Any]) -> Mapping[Any, Any]: ...


@dataclass(frozen=True)
class Linked:
    """The `value`s of the rows whose `owner` is the record, by `position` (else by value)."""

    owner: ColumnElement
    value: ColumnElement
    position: ColumnElement | None = None


@dataclass(frozen=True)
class OwnedList:
    """A list each owned row has: the `value`s of the rows matching it on `keys` (a column of
    the list's table, the name of the owned row's column it equals), in `order`."""

    value: ColumnElement
    keys: tuple[tuple[ColumnElement, str], ...]
    order: tuple[ColumnElement, ...]


@dataclass(frozen=True)
class OwnedRows:
    """Rows of another table that each record owns, as objects (a document's status changes):
    those whose `owner` column is the record's id, in `order`, each with its `lists`.

    What `api.queries.json_lines` needs to have the database write them; an attachment that
    reads them for Python subclasses it.
    """

    table: Table
    owner: str
    order: tuple[str, ...]
    lists: Mapping[str, OwnedList]

    def from_json(self, text: str) -> list[Record]:
        """The rows as `json_lines.owned_rows` writes them, read back as the plain read gives
        them: each a record of its columns (dates as dates) and lists."""
        dates = [column.key for column in self.table.columns if isinstance(column.type, Date)]
        rows = [Record(row) for row in json.loads(text)]
        for row in rows:
            for key in dates:
                if row[key] is not None:
                    row[key] = datetime.date.fromisoformat(row[key])
        return rows


class Attachments:
    """What a kind of record is read with, besides its row: `Linked` lists, all read by one
    UNION ALL query per page, and any other `Attachment`, each read on its own."""

    def __init__(self, **attached: Linked | Attachment):
        self.linked = {name: a for name, a in attached.items() if isinstance(a, Linked)}
        self.others = {name: a for name, a in attached.items() if not isinstance(a, Linked)}
        self.owned_rows = {name: a for name, a in self.others.items() if isinstance(a, OwnedRows)}
        self._names = list(self.linked)
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}  # by dialect

    def read(self, session: Session, found: list[Record]) -> None:
        """Give each record every attachment (an empty list when it has none)."""
        if not found:
            return
        ids = [record["id"] for record in found]
        values = {name: defaultdict(list) for name in self._names}
        if self.linked:
            for attachment, owner, value, _position in self._linked_rows(session, ids):
                values[self._names[attachment]][owner].append(value)
        for name, by_owner in values.items():
            for record in found:
                record[name] = by_owner.get(record["id"], [])
        self.read_others(session, found)

    def read_others(self, session: Session, found: list[Record], skip: Iterable[str] = ()) -> None:
        """Give each record every attachment other than the linked lists (and `skip`)."""
        ids = [record["id"] for record in found]
        for name, attachment in self.others.items():
            if name in skip:
                continue
            by_owner = attachment.read(session, ids)
            for record in found:
                record[name] = by_owner.get(record["id"], [])

    def _linked_rows(self, session: Session, ids: list[str]) -> list[tuple]:
        """(attachment number, owner, value, position) of every linked row of the ids, by
        a statement compiled once per database and run on the driver: ids, terms and
        positions need no conversion."""
        connection = session.connection()
        dialect = connection.dialect
        if dialect.name not in self._compiled:
            statement = _linked_lists_statement(self.linked.values(), dialect.name)
            compiled = statement.compile(dialect=dialect)
            positional = tuple(compiled.positiontup) if compiled.positional else None
            self._compiled[dialect.name] = (compiled.string, positional)
        sql, positional = self._compiled[dialect.name]
        value = id_lists.bound(ids, dialect.name)
        parameters = (value,) * len(positional) if positional is not None else {"ids": value}
        return database.driver_rows(connection, sql, parameters)


def _linked_lists_statement(lists: Iterable[Linked], dialect_name: str) -> CompoundSelect:
    """(attachment number, owner, value, position) of every linked row of the `ids`, in order."""
    parts = [
        select(
            literal_column(str(number), Integer).label("attachment"),
            linked.owner.label("owner"),
            linked.value.label("value"),
            (linked.position if linked.position is not None else cast(null(), Integer)).label(
                "position"
            ),
        ).where(id_lists.among(linked.owner, "ids", dialect_name))
        for number, linked in enumerate(lists)
    ]
    order = ("attachment", "owner", "position", "value")
    return union_all(*parts).order_by(*(literal_column(name) for name in order))


def records(
    session: Session,
    rows: Iterable[Row],
    columns: Sequence[str],
    attached: Attachments,
) -> list[Record]:
    """Records from `rows` (their first len(columns) values), with every attachment read."""
    width = len(columns)
    found = [Record(zip(columns, row[:width], strict=True)) for row in rows]
    attached.read(session, found)
    return found


def records_with_lists(
    session: Session, rows: Sequence[Row], columns: Sequence[str], attached: Attachments
) -> list[Record]:
    """Records from rows whose columns are followed by the linked lists as JSON texts, and
    maybe by the owned rows, where the database wrote them there (`json_lines.linked_lists`,
    `json_lines.owned_rows`); from plain rows as `records` does otherwise (one more statement
    for the lists, one for each kind of owned rows)."""
    width = len(columns)
    if not rows or len(rows[0]) == width:
        return records(session, rows, columns, attached)
    lists_end = width + len(attached.linked)
    owned = attached.owned_rows if len(rows[0]) > lists_end else {}
    found = []
    for row in rows:
        record = Record(zip(columns, row[:width], strict=True))
        for name, listed in zip(attached.linked, row[width:lists_end], strict=True):
            record[name] = json.loads(listed)
        for (name, kind), listed in zip(owned.items(), row[lists_end:], strict=True):
            record[name] = kind.from_json(listed)
        found.append(record)
    attached.read_others(session, found, skip=owned)
    return found
