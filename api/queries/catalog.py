"""A filtered, sorted, paginated collection of one kind of record, with facet counts."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, partial
from typing import Any

from flask import current_app
from marshmallow import Schema
from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    Select,
    bindparam,
    desc,
    false,
    func,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute

from api.errors import NotFound
from api.queries import json_lines, memo, prepared_pages
from api.queries.pagination import (
    Page,
    SortKey,
    keyed,
    page_of,
    paginate,
    read_cursor,
    row_value_comparable,
)
from api.queries.prepared import Prepared
from api.queries.records import Attachments, Record, records, records_with_lists
from api.search.backends import current_backend, too_broad
from api.search.parser import Query, parse
from api.storage import database

RELEVANCE = "relevance"
FACET_VALUES_LIMIT = 100
# Shapes of page kept prepared per kind of record (each a few kB of SQL); the oldest goes first.
PREPARED_SHAPES_LIMIT = 256

# A filter turns a parameter's value (and, if it needs them, the other arguments) into a
# condition on the records.
Filter = Callable[[Any, dict], ColumnElement]


@dataclass(frozen=True)
class ValueFilter:
    """A filter whose condition depends on its own value only, never on the other arguments,
    so that a page's statement can be built once with placeholders for the values
    (api.queries.prepared_pages)."""

    condition: Callable[[Any], ColumnElement]
    # The same records, written for a count of all of them (facets) when that reads fewer
    # rows than `condition` does; see `linked`.
    counting: Callable[[Any], ColumnElement] | None = None

    def __call__(self, value: Any, _arguments: dict) -> ColumnElement:
        return self.condition(value)

    def for_counting(self, value: Any) -> ColumnElement:
        return (self.counting or self.condition)(value)


def any_of(column: InstrumentedAttribute) -> Filter:
    return ValueFilter(lambda values: column.in_(values))


def equals(column: InstrumentedAttribute) -> Filter:
    return ValueFilter(lambda value: column == value)


def linked(relationship: InstrumentedAttribute, column: InstrumentedAttribute) -> Filter:
    """Records with at least one linked row whose `column` is among the values.

    A page asks EXISTS of each record in its order and stops after a page. A count reads
    every match, so it starts from the link table's index on `column`: EXISTS would probe
    every record of the collection (an addressee's facets took 108 ms at 100,000
    provisions, 3 ms this way).
    """
    ((record_id, owner),) = relationship.property.local_remote_pairs
    return ValueFilter(
        lambda values: relationship.any(column.in_(values)),
        counting=lambda values: record_id.in_(select(owner).where(column.in_(values))),
    )


def linked_to_few(
    record_id: InstrumentedAttribute, owner: InstrumentedAttribute, column: InstrumentedAttribute
) -> Filter:
    """Records with a linked row whose `column` is among the values, found from the link
    table's index on `column`: for values each linked to a few records (a document's
    statements), where `linked`'s EXISTS would probe every record in page order."""
    return ValueFilter(lambda values: record_id.in_(select(owner).where(column.in_(values))))


def at_least(column: InstrumentedAttribute) -> Filter:
    return ValueFilter(lambda value: column >= value)


def at_most(column: InstrumentedAttribute) -> Filter:
    return ValueFilter(lambda value: column <= value)


@dataclass(frozen=True)
class LinkOrder:
    """A link table that copies the keys of one of the records' orders (see api.storage.models): a
    filter on one of its values reads that value's links in this order, from the index of
    (value, *keys), and stops after a page, however few records have the value.

    `keys` are the link's copies of the order's keys, the record's id last.
    """

    order: str
    value: InstrumentedAttribute
    keys: tuple[InstrumentedAttribute, ...]
    # Other filters the link table copies the records' column of (filter, link column): given
    # with the link's value, they are read from the link's own index too.
    copies: tuple[tuple[str, InstrumentedAttribute], ...] = ()

    def sort_keys(self, order: tuple[SortKey, ...]) -> tuple[SortKey, ...]:
        """The order's keys on the link's columns: equal values, so cursors stay valid."""
        return _link_sort_keys(self, order)


@cache
def _link_sort_keys(link: LinkOrder, order: tuple[SortKey, ...]) -> tuple[SortKey, ...]:
    return tuple(replace(key, column=column) for key, column in zip(order, link.keys, strict=True))


@dataclass(frozen=True)
class Facet:
    """Counts of records per value of `value`; `owner` is the record id column of the table
    `value` is in, when that is a link table (topics, addressees) rather than the records."""

    value: Callable[[dict], ColumnElement]
    owner: InstrumentedAttribute | None = None


def column_facet(column: InstrumentedAttribute) -> Facet:
    return Facet(lambda _arguments: column)


def link_facet(owner: InstrumentedAttribute, value: InstrumentedAttribute) -> Facet:
    return Facet(lambda _arguments: value, owner)


def sort_orders(model: type, *names: str) -> dict[str, tuple[SortKey, ...]]:
    """'-signed_on' sorts by signed_on descending, then by id, so every order is total."""
    orders = {}
    for name in names:
        column = getattr(model, name.lstrip("-"))
        keys = (SortKey(column, descending=name.startswith("-")),)
        orders[name] = keys if name == "id" else (*keys, SortKey(model.id))
    return orders


@dataclass(frozen=True)
class Catalog:
    """A kind of record: how to filter it, in which orders to list it, what to read with it.

    The first of `orders` is the default; `q` (full-text search) adds the `relevance` order,
    the default when `q` is given. Records are read as `Record`s: the table's columns plus
    each of `attached` (linked lists such as sources), in the page's own rows where the
    database can write them there (`_lists_in_rows`), else one query per attachment and page.
    """

    model: type
    kind: str
    filters: Mapping[str, Filter]
    orders: Mapping[str, tuple[SortKey, ...]]
    attached: Attachments = field(default_factory=Attachments)
    facets: Mapping[str, Facet] = field(default_factory=dict)
    link_orders: Mapping[str, LinkOrder] = field(default_factory=dict)  # by filter
    _prepared_statements: dict = field(default_factory=dict, compare=False, repr=False)
    _row_lists: dict = field(default_factory=dict, compare=False, repr=False)  # by dialect

    @property
    def columns(self) -> list[str]:
        return [column.key for column in self.model.__table__.columns]

    def filtered(
        self,
        arguments: dict,
        *conditions: ColumnElement,
        unless: str | None = None,
        counting: bool = False,
    ) -> Select:
        """The records matching `arguments` (but the filter named `unless`) and `conditions`,
        in no particular order; `counting`, written to be counted whole (`ValueFilter`)."""
        statement = select(self.model.__table__).where(*conditions)
        for name, build in self.filters.items():
            if arguments.get(name) is None or name == unless:
                continue
            if counting and isinstance(build, ValueFilter):
                statement = statement.where(build.for_counting(arguments[name]))
            else:
                statement = statement.where(build(arguments[name], arguments))
        query = _search_query(arguments)
        if query is not None and query.empty:
            statement = statement.where(false())
        elif query is not None:
            matching = current_backend().record_ids(self.kind, query)
            statement = statement.where(self.model.id.in_(matching))
        return statement

    def sort_name(self, arguments: dict) -> str:
        """The requested order; `relevance` when searching unless another is asked for, and
        the default order when the query is too broad to rank."""
        default = next(iter(self.orders))
        requested = arguments.get("sort")
        query = _search_query(arguments)
        if query is None or query.empty:
            return default if requested in (None, RELEVANCE) else requested
        if requested not in (None, RELEVANCE):
            return requested
        estimate = current_backend().estimate(query, (self.kind,))
        return default if too_broad(query, estimate) else RELEVANCE

    def list(
        self, arguments: dict, *conditions: ColumnElement, as_json: type[Schema] | None = None
    ) -> Page:
        """One page of records matching the filters in `arguments` and any extra conditions.

        With `as_json`, the items are the records as that schema dumps them, in JSON written
        by the database when it can (`Page.rendered`), else `Record`s as without it.
        """
        render = self._renderer(as_json)
        sort_name = self.sort_name(arguments)
        driving = self._driving_link(arguments, sort_name)
        shape = self._shape(
            arguments, conditions, sort_name, driving, as_json=as_json if render else None
        )
        if shape is not None:
            page = self._prepared_page(shape, arguments)
        else:
            statement, order = self._page_statement(
                arguments, conditions, sort_name, driving, ids_only=render is not None
            )
            page = paginate(
                database.session(),
                statement,
                order,
                limit=arguments["limit"],
                cursor=arguments["cursor"],
                arguments=arguments,
                secret=current_app.config["SECRET_KEY"],
                item=(lambda row: row[0]) if render is not None else (lambda row: row),
            )
        if shape is not None and shape.as_json is not None:  # the items are JSON lines
            page = replace(page, rendered=True)
        elif render is not None:  # the items are ids
            page = replace(page, items=render(database.connection(), page.items))
            page = replace(page, rendered=True)
        else:
            page = replace(page, items=self._read_page(page.items))
        if arguments.get("facets"):
            page = replace(page, facets=self.facet_counts(arguments, *conditions))
        return page

    def _page_statement(
        self,
        arguments: dict,
        conditions: Sequence[ColumnElement],
        sort_name: str,
        driving: str | None,
        *,
        ids_only: bool,
    ) -> tuple[Select, tuple[SortKey, ...]]:
        """The records a page is read from (their ids only, with `ids_only`, else their rows
        and linked lists: `_lists_in_rows`), and its order."""
        statement = self.filtered(arguments, *conditions, unless=driving)
        if ids_only:  # the database writes the page's records: read their ids
            statement = statement.with_only_columns(self.model.id)
        else:
            statement = statement.add_columns(*self._lists_in_rows(_dialect_name()))
        if sort_name == RELEVANCE:
            ranked = current_backend().ranked(self.kind, _search_query(arguments))
            statement = statement.join(ranked, ranked.c.record_id == self.model.id)
            order = (SortKey(ranked.c.score, descending=True), SortKey(self.model.id))
        else:
            order = self.orders[sort_name]
        if driving is not None:
            link = self.link_orders[driving]
            (value,) = arguments[driving]
            statement = statement.join(link.value.class_, link.keys[-1] == self.model.id).where(
                link.value == value
            )
            for name, column in link.copies:
                if arguments.get(name) is not None:
                    statement = statement.where(column.in_(arguments[name]))
            order = link.sort_keys(order)
        return statement, order

    def _shape(
        self,
        arguments: dict,
        conditions: Sequence[ColumnElement],
        sort_name: str,
        driving: str | None,
        *,
        as_json: type[Schema] | None,
    ) -> prepared_pages.Shape | None:
        """The shape of a page read by a prepared statement, or None when it must be built
        for this request: extra conditions, a search, a filter reading other arguments, or a
        cursor on keys that can be null."""
        if conditions or sort_name == RELEVANCE or arguments.get("q"):
            return None
        given = []
        for name, build in self.filters.items():
            value = arguments.get(name)
            if value is None:
                continue
            if not isinstance(build, ValueFilter):
                return None
            given.append((name, len(value) if isinstance(value, list) else None))
        after = bool(arguments["cursor"])
        if after and not row_value_comparable(self._order(sort_name, driving)):
            return None
        return prepared_pages.Shape(
            self.kind,
            sort_name,
            driving,
            tuple(given),
            after,
            arguments["limit"],
            as_json,
        )

    def _order(self, sort_name: str, driving: str | None) -> tuple[SortKey, ...]:
        order = self.orders[sort_name]
        return order if driving is None else self.link_orders[driving].sort_keys(order)

    def _prepared_page(self, shape: prepared_pages.Shape, arguments: dict) -> Page:
        """A page (its records' JSON lines, ids or rows) and its next cursor, from the shape's
        prepared statement."""
        secret = current_app.config["SECRET_KEY"]
        order = self._order(shape.sort, shape.driving)
        values = prepared_pages.filter_values(shape, arguments)
        if shape.after:
            after = read_cursor(arguments["cursor"], order, arguments, secret)
            values.update(prepared_pages.after_values(after))
        connection = database.connection()
        rows = self._prepared(shape, connection.dialect).run(connection, values)
        if shape.as_json is None:  # each item is its whole row
            rows = [(row, *row[-len(order) :]) for row in rows]
        return page_of(rows, shape.limit, arguments, secret)

    def _prepared(
        self, shape: prepared_pages.Shape, dialect: Dialect
    ) -> prepared_pages.PreparedPage:
        key = (shape, dialect.name)
        prepared = self._prepared_statements.get(key)
        if prepared is None:
            statement, order = self._page_statement(
                prepared_pages.placeholders(shape),
                (),
                shape.sort,
                shape.driving,
                ids_only=shape.as_json is not None,
            )
            if shape.after:
                statement = statement.where(prepared_pages.after_placeholder(order))
            statement = keyed(statement, order, shape.limit)
            if shape.as_json is not None:  # the page and its JSON lines in one statement
                statement = json_lines.page_lines(
                    self, shape.as_json, dialect, statement, order, prepared_pages.is_placeholder
                )
            prepared = prepared_pages.prepare(statement, dialect)
            if len(self._prepared_statements) >= PREPARED_SHAPES_LIMIT:
                self._prepared_statements.pop(next(iter(self._prepared_statements)))
            self._prepared_statements[key] = prepared
        return prepared

    def _driving_link(self, arguments: dict, sort_name: str) -> str | None:
        """The filter whose link table reads this page in order, if one can: a filter of one
        value (two would list a record once per value it has)."""
        for name, link in self.link_orders.items():
            values = arguments.get(name)
            if link.order == sort_name and values is not None and len(values) == 1:
                return name
        return None

    def facet_counts(self, arguments: dict, *conditions: ColumnElement) -> dict[str, list]:
        """For each facet in `arguments["facets"]`, the records per value: one grouped query
        per facet, most frequent value first, at most 100 values.

        Each facet is counted under every filter but its own, so that a value's count is
        what the list gives with that value as the facet's filter.
        """
        counts = {}
        for name in arguments.get("facets") or []:
            others = {key: value for key, value in arguments.items() if key != name}
            if conditions:  # a part of the collection (one document's provisions): few
                counts[name] = self._facet_count(name, others, conditions)
                continue
            # Kept until the data changes: a count reads every record it counts.
            key = (self.kind, name, memo.frozen(others, (*self.filters, "q")))
            counts[name] = memo.kept(key, partial(self._facet_count, name, others, ()))
        return counts

    def _facet_count(
        self, name: str, others: dict, conditions: Sequence[ColumnElement]
    ) -> Sequence[dict]:
        """The records per value of one facet, under the other facets' filters."""
        facet = self.facets[name]
        matching = self.filtered(others, *conditions, counting=True)
        value = facet.value(others).label("value")
        statement = select(value, func.count().label("count"))
        ids = matching.with_only_columns(self.model.id).scalar_subquery()
        if matching.whereclause is None:  # every record: no subquery to read them through
            statement = statement.select_from(facet.owner.class_ if facet.owner else self.model)
        elif facet.owner is None:
            statement = statement.where(self.model.id.in_(ids))
        else:
            statement = statement.where(facet.owner.in_(ids))
        statement = (
            statement.where(value.is_not(None))
            .group_by(value)
            .order_by(desc("count"), value)
            .limit(FACET_VALUES_LIMIT)
        )
        rows = database.session().execute(statement)
        return [{"value": _facet_value(row.value), "count": row.count} for row in rows]

    def _renderer(self, as_json: type[Schema] | None):
        """The database's writer of these records in `as_json`, if it has one. Only for records
        with linked lists: its query then replaces theirs, where it would be one more."""
        if as_json is None or not self.attached.linked:
            return None
        try:
            return json_lines.renderer(self, as_json, database.engine().dialect)
        except json_lines.Unrenderable:
            return None

    def _lists_in_rows(self, dialect_name: str) -> Sequence[ColumnElement]:
        """A page's linked lists and owned rows as columns of its rows, as JSON texts, where
        the database can write them: one statement a page instead of two or three. Not for a
        catalog with a list of its own records (a provision's sub-provisions), whose table the
        list's subquery would take for the page's. Built once per database."""
        lists = self._row_lists.get(dialect_name)
        if lists is None:
            table = self.model.__table__
            own = any(
                table in (linked.owner.expression.table, linked.value.expression.table)
                for linked in self.attached.linked.values()
            )
            lists = [] if own else _in_row(self.attached, table, dialect_name)
            self._row_lists[dialect_name] = lists
        return lists

    def _read_page(self, rows: Sequence[Row]) -> Sequence[Record]:
        """Records from a page's rows: columns, what `_lists_in_rows` put there, sort keys."""
        width = len(self.columns) + len(self._lists_in_rows(_dialect_name()))
        within = [row[:width] for row in rows]
        return records_with_lists(database.session(), within, self.columns, self.attached)

    def read(self, rows: Sequence[Row]) -> Sequence[Record]:
        """Records from rows that start with the table's columns, with their attachments."""
        return records(database.session(), rows, self.columns, self.attached)

    def require(self, record_id: str) -> None:
        """Raise NotFound unless the record exists; loads nothing else."""
        if not self._exists.rows(database.connection(), id=record_id):
            raise NotFound(self.kind, record_id)

    def get(self, record_id: str) -> Record:
        """The record, with every attachment; its linked lists and owned rows come in its own
        row, as JSON texts, where the database can write them (one round trip, not two or
        three)."""
        rows = self._by_id.rows(database.connection(), id=record_id)
        if not rows:
            raise NotFound(self.kind, record_id)
        return records_with_lists(database.session(), rows, self.columns, self.attached)[0]

    # Built once: building a statement at each read cost as much as running it.
    @cached_property
    def _by_id(self) -> Prepared:
        # Aliased: a list may be of records of the same table (a provision's subprovisions).
        record = self.model.__table__.alias("record")

        def build(dialect_name: str) -> Select:
            lists = _in_row(self.attached, record, dialect_name)
            return select(record, *lists).where(record.c.id == bindparam("id"))

        return Prepared(build)

    @cached_property
    def _exists(self) -> Prepared:
        table = self.model.__table__
        return Prepared(lambda _dialect: select(table.c.id).where(table.c.id == bindparam("id")))


def _in_row(attached: Attachments, table: FromClause, dialect_name: str) -> list[ColumnElement]:
    """The attachments a statement reading `table` can read in its rows: the linked lists,
    then the owned rows, each as a JSON text."""
    return [
        *json_lines.linked_lists(attached, table, dialect_name),
        *json_lines.owned_rows(attached, table, dialect_name),
    ]


def _dialect_name() -> str:
    return database.engine().dialect.name


def _search_query(arguments: dict) -> Query | None:
    return parse(arguments["q"]) if arguments.get("q") is not None else None


def _facet_value(value: Any) -> str:
    """Facet values as the strings a filter takes: `binding=true`, `modality=urges`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
