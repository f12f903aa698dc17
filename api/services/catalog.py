"""A filtered, sorted, paginated collection of one kind of record."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from api import database
from api.errors import NotFound
from api.pagination import Page, SortKey, paginate

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
    model: type
    kind: str
    filters: Mapping[str, Filter]
    orders: Mapping[str, tuple[SortKey, ...]]
    options: tuple = field(default=())

    def list(self, arguments: dict, *conditions: ColumnElement) -> Page:
        """One page of records matching the filters in `arguments` and any extra conditions."""
        statement = select(self.model).options(*self.options).where(*conditions)
        for name, build in self.filters.items():
            if arguments.get(name) is not None:
                statement = statement.where(build(arguments[name]))
        return paginate(
            database.session(),
            statement,
            self.orders[arguments["sort"]],
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
