"""List pages read by a statement prepared once per shape and run on the driver.

Building a page's SELECT, finding its cache key and running it through the ORM session cost
about a quarter of a list request, yet two requests of the same shape (the same filters with
as many values each, order, driving link, limit, whether a cursor is given, and whether the
records' rows or their JSON are read) differ only by their values. So each shape's
statement is built once, with a named placeholder for every value, by the same code that
builds the plain one (`Catalog.list`), compiled for the dialect, and each page then binds its
values and runs it on the driver (`database.driver_rows`).

Values go through the types' own bind and result processors, so a page reads the same rows
and its cursor carries the same values as with the plain statement; tests compare the two.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Connection, Select, bindparam, tuple_
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from api.queries.pagination import SortKey
from api.queries.prepared import bound, read_rows

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class Shape:
    """What a page's statement depends on, besides its values."""

    kind: str
    sort: str
    driving: str | None  # the filter whose link table drives the page (Catalog._driving_link)
    filters: tuple[tuple[str, int | None], ...]  # name, values in its list (None: one value)
    after: bool  # a cursor is given: the page starts after its row
    limit: int
    as_json: type | None  # each record's JSON line in this schema, written by the database;
    # None: each record's row


@dataclass(frozen=True)
class PreparedPage:
    """A shape's compiled statement: its SQL, how to bind a page's values, how to read rows."""

    sql: str
    positional: tuple[str, ...] | None  # placeholder names in order, for qmark/format drivers
    binders: dict[str, Processor | None]
    constants: dict[str, Any]  # values fixed by the shape (the limit)
    types: tuple[TypeEngine, ...]  # each selected column's, for this database
    dialect: Dialect
    # Each column's result processor, made at the first run: some need the driver's type code.
    _readers: list = field(default_factory=list, compare=False, repr=False)

    def run(self, connection: Connection, values: dict[str, Any]) -> list[tuple]:
        """The page's rows (the id or the record's columns, then each sort key), with the
        values the plain statement gives."""
        parameters = bound(self.binders, self.constants, self.positional, values)
        return read_rows(connection, self.sql, parameters, self.types, self._readers)


def placeholders(shape: Shape) -> dict[str, Any]:
    """The arguments of a shape, each value a named placeholder (`filter_<name>[_<i>]`)."""
    given = {}
    for name, count in shape.filters:
        if count is None:
            given[name] = _placeholder(f"filter_{name}")
        else:
            given[name] = [_placeholder(f"filter_{name}_{index}") for index in range(count)]
    return given


def filter_values(shape: Shape, arguments: dict) -> dict[str, Any]:
    """A page's values for the placeholders of `placeholders(shape)`."""
    values = {}
    for name, count in shape.filters:
        if count is None:
            values[f"filter_{name}"] = arguments[name]
        else:
            for index, value in enumerate(arguments[name]):
                values[f"filter_{name}_{index}"] = value
    return values


def after_placeholder(order: tuple[SortKey, ...]) -> ColumnElement:
    """Rows after a cursor's row, as one row-value comparison with a placeholder per key."""
    columns = tuple_(*(key.column for key in order))
    bound = tuple_(
        *(_placeholder(f"after_{index}", key.column.type) for index, key in enumerate(order))
    )
    return columns < bound if order[0].descending else columns > bound


def _placeholder(name: str, type_: Any = None) -> BindParameter:
    """A value given at each run: not required to compile the statement (its constants are
    written in when compiled, which asks every parameter for a value)."""
    return bindparam(name, type_=type_, required=False)


def after_values(values: Sequence[Any]) -> dict[str, Any]:
    return {f"after_{index}": value for index, value in enumerate(values)}


def prepare(statement: Select, dialect: Dialect) -> PreparedPage:
    """Compile a shape's statement for the dialect."""
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    binds = compiled.binds
    binders = {
        name: parameter.type.dialect_impl(dialect).bind_processor(dialect)
        for name, parameter in binds.items()
    }
    constants = {
        name: parameter.value for name, parameter in binds.items() if not _is_placeholder(parameter)
    }
    types = tuple(column.type.dialect_impl(dialect) for column in statement.selected_columns)
    positional = tuple(compiled.positiontup) if compiled.positional else None
    return PreparedPage(compiled.string, positional, binders, constants, types, dialect)


def _is_placeholder(parameter: BindParameter) -> bool:
    return is_placeholder(parameter.key)


def is_placeholder(name: str) -> bool:
    """Whether a parameter's name is one of a page's values (not a constant of its shape)."""
    return name.startswith(("filter_", "after_"))
