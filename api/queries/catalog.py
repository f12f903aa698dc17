"""A filtered, sorted, paginated collection of one kind of record, with facet counts."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from flask import current_app
from marshmallow import Schema
from sqlalchemy import ColumnElement, Row, Select, desc, false, func, select
from sqlalchemy.orm import InstrumentedAttribute

from api.errors import NotFound
from api.queries import json_lines
from api.queries.pagination import Page, SortKey, paginate
from api.queries.records import Attachments, Record, records
from api.search.backends import current_backend, too_broad
from api.search.parser import Query, parse
from api.storage import database

RELEVANCE = "relevance"
FACET_VALUES_LIMIT = 100

# A filter turns a parameter's value (and, if it needs them, the other arguments) into a
# condition on the records.
Filter = Callable[[Any, dict], ColumnElement]


def any_of(column: InstrumentedAttribute) -> Filter:
    return lambda values, _arguments: column.in_(values)


def equals(column: InstrumentedAttribute) -> Filter:
    return lambda value, _arguments: column == value


def linked(relationship: InstrumentedAttribute, column: InstrumentedAttribute) -> Filter:
    """Records with at least one linked row whose `column` is among the values (EXISTS)."""
    return lambda values, _arguments: relationship.any(column.in_(values))


def at_least(column: InstrumentedAttribute) -> Filter:
    return lambda value, _arguments: column >= value


def at_most(column: InstrumentedAttribute) -> Filter:
    return lambda value, _arguments: column <= value


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
    each of `attached` (linked lists such as sources), one query per attachment and page.
    """

    model: type
    kind: str
    filters: Mapping[str, Filter]
    orders: Mapping[str, tuple[SortKey, ...]]
    attached: Attachments = field(default_factory=Attachments)
    facets: Mapping[str, Facet] = field(default_factory=dict)
    link_orders: Mapping[str, LinkOrder] = field(default_factory=dict)  # by filter

    @property
    def columns(self) -> list[str]:
        return [column.key for column in self.model.__table__.columns]

    def filtered(
        self, arguments: dict, *conditions: ColumnElement, unless: str | None = None
    ) -> Select:
        """The records matching `arguments` (but the filter named `unless`) and `conditions`,
        in no particular order."""
        statement = select(self.model.__table__).where(*conditions)
        for name, build in self.filters.items():
            if arguments.get(name) is not None and name != unless:
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
        statement = self.filtered(arguments, *conditions, unless=driving)
        if render is not None:  # the database writes the page's records: read their ids
            statement = statement.with_only_columns(self.model.id)
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
            order = link.sort_keys(order)
        page = paginate(
            database.session(),
            statement,
            order,
            limit=arguments["limit"],
            cursor=arguments["cursor"],
            arguments=arguments,
            secret=current_app.config["SECRET_KEY"],
            item=lambda row: row,
        )
        if render is not None:
            ids = [row.id for row in page.items]
            page = replace(page, items=render(database.session().connection(), ids), rendered=True)
        else:
            page = replace(page, items=self.read(page.items))
        if arguments.get("facets"):
            page = replace(page, facets=self.facet_counts(arguments, *conditions))
        return page

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
            facet = self.facets[name]
            others = {key: value for key, value in arguments.items() if key != name}
            matching = self.filtered(others, *conditions).with_only_columns(self.model.id)
            value = facet.value(arguments).label("value")
            statement = select(value, func.count().label("count"))
            if facet.owner is None:
                statement = statement.where(self.model.id.in_(matching.scalar_subquery()))
            else:
                statement = statement.where(facet.owner.in_(matching.scalar_subquery()))
            statement = (
                statement.where(value.is_not(None))
                .group_by(value)
                .order_by(desc("count"), value)
                .limit(FACET_VALUES_LIMIT)
            )
            rows = database.session().execute(statement)
            counts[name] = [{"value": _facet_value(row.value), "count": row.count} for row in rows]
        return counts

    def _renderer(self, as_json: type[Schema] | None):
        """The database's writer of these records in `as_json`, if it has one. Only for records
        with linked lists: its query then replaces theirs, where it would be one more."""
        if as_json is None or not self.attached.linked:
            return None
        try:
            return json_lines.renderer(self, as_json, database.engine().dialect)
        except json_lines.Unrenderable:
            return None

    def read(self, rows: Sequence[Row]) -> Sequence[Record]:
        """Records from rows that start with the table's columns, with their attachments."""
        return records(database.session(), rows, self.columns, self.attached)

    def require(self, record_id: str) -> None:
        """Raise NotFound unless the record exists; loads nothing else."""
        found = select(self.model.id).where(self.model.id == record_id)
        if database.session().execute(found).first() is None:
            raise NotFound(self.kind, record_id)

    def get(self, record_id: str) -> Record:
        statement = select(self.model.__table__).where(self.model.id == record_id)
        found = self.read(database.session().execute(statement).all())
        if not found:
            raise NotFound(self.kind, record_id)
        return found[0]


def _search_query(arguments: dict) -> Query | None:
    return parse(arguments["q"]) if arguments.get("q") is not None else None


def _facet_value(value: Any) -> str:
    """Facet values as the strings a filter takes: `binding=true`, `modality=urges`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
