"""A filtered, sorted, paginated collection of one kind of record."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, false, select
from sqlalchemy.orm import InstrumentedAttribute

from api import database, search
from api.errors import NotFound
from api.pagination import Page, SortKey, paginate

RELEVANCE = "relevance"

Filter = Callable[[Any], ColumnElement]


def any_of(column: InstrumentedAttribute) -> Filter:
    return lambda values: column.in_(values)


def equals(column: InstrumentedAttribute) -> Filter:
    return lambda value: column == value


def linked(relationship: InstrumentedAttribute, column: InstrumentedAttribute) -> Filter:
    """Records with at least one linked row whose `column` is among the values (EXISTS)."""
    return lambda values: relationship.any(column.in_(values))


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
    """A kind of record: how to filter it, in which orders to list it, what to load with it.

    The first of `orders` is the default; `q` (full-text search) adds the `relevance` order,
    the default when `q` is given.
    """

    model: type
    kind: str
    filters: Mapping[str, Filter]
    orders: Mapping[str, tuple[SortKey, ...]]
    options: tuple = field(default=())

    def filtered(self, arguments: dict, *conditions: ColumnElement) -> Select:
        """The records matching `arguments` and `conditions`, in no particular order."""
        statement = select(self.model).options(*self.options).where(*conditions)
        for name, build in self.filters.items():
            if arguments.get(name) is not None:
                statement = statement.where(build(arguments[name]))
        query = _search_query(arguments)
        if query is not None and query.empty:
            statement = statement.where(false())
        elif query is not None and self.sort_name(arguments) != RELEVANCE:
            matching = search.current_backend().record_ids(self.kind, query)
            statement = statement.where(self.model.id.in_(matching))
        return statement

    def sort_name(self, arguments: dict) -> str:
        """The requested order; `relevance` when searching unless another is asked for."""
        default = next(iter(self.orders))
        requested = arguments.get("sort")
        if arguments.get("q") is None:
            return default if requested in (None, RELEVANCE) else requested
        return requested or RELEVANCE

    def list(self, arguments: dict, *conditions: ColumnElement) -> Page:
        """One page of records matching the filters in `arguments` and any extra conditions."""
        statement = self.filtered(arguments, *conditions)
        query = _search_query(arguments)
        if self.sort_name(arguments) == RELEVANCE and not query.empty:
            ranked = search.current_backend().ranked(self.kind, query)
            statement = statement.join(ranked, ranked.c.record_id == self.model.id)
            order = (SortKey(ranked.c.score, descending=True), SortKey(self.model.id))
        elif self.sort_name(arguments) == RELEVANCE:
            order = next(iter(self.orders.values()))
        else:
            order = self.orders[self.sort_name(arguments)]
        return paginate(
            database.session(),
            statement,
            order,
            limit=arguments["limit"],
            cursor=arguments["cursor"],
            arguments=arguments,
            secret=current_app.config["SECRET_KEY"],
        )

    def require(self, record_id: str) -> None:
        """Raise NotFound unless the record exists; loads nothing else."""
        if database.session().get(self.model, record_id) is None:
            raise NotFound(self.kind, record_id)

    def get(self, record_id: str) -> Any:
        record = database.session().get(self.model, record_id, options=self.options)
        if record is None:
            raise NotFound(self.kind, record_id)
        return record


def _search_query(arguments: dict) -> search.Query | None:
    return search.parse(arguments["q"]) if arguments.get("q") is not None else None
