"""Records rendered as JSON lines by the database, as `to_json(dumper(schema)(record))` would.

Building each record as a dict and encoding it in Python cost several times more than reading
it. Here a schema is compiled, for one database, into a query giving each record's whole line:
the database quotes the values (its escaping is Python's with ensure_ascii=False), writes dates
and timestamps as `isoformat()` does, and reads the linked lists in the way that suits it.
Rows a record owns as objects (`OwnedRows`: a document's status changes, each with its
sources) are written as lists of objects. `lines` gives a whole collection in id order, for
exports (one statement, one snapshot, read a batch at a time; or, with `ranged`, the records of
one range of ids, for an export read over several connections); `renderer` gives the records of
a page, found by their ids; `selection` and `with_owned` give a record and the records it owns
(a document's detail). A schema or kind of record this cannot render (a field type not known
here, an attachment other than a linked list or owned rows) raises `Unrenderable` when
compiled, so that callers dump it in Python instead. `tests/test_json_lines.py` and
`tests/test_document_json.py` check every line, page and detail equals Python's, byte for byte.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import Any, NamedTuple, Protocol

from marshmallow import Schema, fields
from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    FromClause,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter, Label

from api.queries import id_lists
from api.queries.records import Attachments, Linked, OwnedRows, Record
from api.storage import database
from api.storage.models import Fraction, UTCDateTime
from schemas.dumping import to_json

MARK = re.compile("\x00([^\x00]*)\x00")  # a column's place in what a Function field returns


class Readable(Protocol):
    """What a catalog gives to be rendered: its kind, its table's model and its attachments."""

    kind: str
    model: Any
    attached: Attachments


class Unrenderable(Exception):
    """The records have a field or an attachment that no SQL here renders."""


class Join(NamedTuple):
    """A table to left-join to the records, on this condition."""

    table: FromClause
    on: ColumnElement


class SQLite:
    """Lines built by json_object, which takes SQL values and writes compact JSON; values
    that are JSON already (booleans, lists, objects) are passed through json()."""

    def among(self, column: ColumnElement, name: str) -> ColumnElement:
        """`column` is one of the values of the parameter `name` (see `ids`)."""
        return id_lists.among(column, name, "sqlite")

    def ids(self, values: Sequence[str]) -> str:
        return id_lists.bound(values, "sqlite")

    def line(self, pairs: list[tuple[str, ColumnElement]]) -> ColumnElement:
        """An object of the (key, value) pairs."""
        return func.json_object(*(x for key, value in pairs for x in (key, value)), type_=String)

    def sparse_line(self, pairs: list[tuple[str, ColumnElement]]) -> ColumnElement:
        """An object of the (key, string) pairs whose string is not null."""
        # A merge patch leaves out the members whose value is null, and keeps the others in
        # their order.
        return func.json_patch("{}", self.line(pairs), type_=String)

    def value(self, column: ColumnElement) -> ColumnElement:
        """A string, integer, date (stored as ISO text) or null."""
        return column

    def fraction(self, column: ColumnElement) -> ColumnElement:
        """A `Fraction` (three decimals at most), which json_object writes as Python does."""
        return column

    def boolean(self, column: ColumnElement) -> ColumnElement:
        # Stored as 0 or 1, which json_object would write as numbers.
        return func.json(case((column, "true"), (~column, "false")))

    def timestamp(self, column: ColumnElement) -> ColumnElement:
        # Stored as SQLAlchemy writes it: 'YYYY-MM-DD HH:MM:SS.ffffff', in UTC.
        iso = func.replace(func.replace(column, " ", "T", type_=String), ".000000", "")
        return _concatenated([iso, "+00:00"])

    def strings(self, column: ColumnElement) -> ColumnElement:
        """A JSON column holding a list of strings, re-encoded (it is stored ASCII-escaped)."""
        items = func.json_each(column).table_valued("value")
        return func.json(select(func.json_group_array(items.c.value)).scalar_subquery())

    def linked(
        self, linked: Linked, record_id: ColumnElement, _owners: "Owners"
    ) -> tuple[ColumnElement, None]:
        """The list as a correlated subquery, which seeks the owner column's index: SQLite
        would build a whole table's groups before the first row if they were joined."""
        return self.correlated(linked, record_id), None

    def correlated(self, linked: Linked, record_id: ColumnElement) -> ColumnElement:
        """The list of one record, read by a subquery that seeks the owner column's index."""
        where = linked.owner == record_id
        return self.array(linked.value, where, _list_order(linked), record_id.table)

    def array(
        self,
        value: ColumnElement,
        where: ColumnElement,
        order: Sequence[ColumnElement],
        outer: FromClause,
    ) -> ColumnElement:
        """The list of the `value`s of the rows `where` selects (on a row of `outer`), in
        `order`."""
        return self._aggregated(value, where, order, outer, func.json_group_array)

    def objects(
        self,
        line: ColumnElement,
        where: ColumnElement,
        order: Sequence[ColumnElement],
        outer: FromClause,
    ) -> ColumnElement:
        """The list of the lines (JSON objects) of the rows `where` selects (on a row of
        `outer`), in `order`."""
        # json(): each line, read from a subquery, is text again until parsed.
        return self._aggregated(line, where, order, outer, _json_group_array_of_json)

    def _aggregated(self, value, where, order, outer, aggregate) -> ColumnElement:
        # json_group_array takes rows in the order its subquery gives them (SQLite never
        # flattens an ordered subquery into an aggregate); 3.40 has no ORDER BY in aggregates.
        ordered = (
            select(value.label("value")).where(where).order_by(*order).correlate(outer).subquery()
        )
        array = select(aggregate(ordered.c.value)).scalar_subquery()
        return func.json(array)  # json(): a subquery's result is no longer JSON


def _json_group_array_of_json(item: ColumnElement) -> ColumnElement:
    return func.json_group_array(func.json(item))


class PostgreSQL:
    """Lines concatenated from to_json texts: json_build_object and json_agg would write
    spaces after colons and commas, which Python's compact separators do not."""

    def among(self, column: ColumnElement, name: str) -> ColumnElement:
        """`column` is one of the values of the parameter `name` (see `ids`)."""
        return id_lists.among(column, name, "postgresql")

    def ids(self, values: Sequence[str]) -> list[str]:
        return id_lists.bound(values, "postgresql")

    def line(self, pairs: list[tuple[str, ColumnElement]]) -> ColumnElement:
        """An object of the (key, value) pairs."""
        parts: list[ColumnElement | str] = []
        for key, value in pairs:
            parts += ["," if parts else "{", to_json(key) + ":", value]
        return _concatenated([*parts, "}"] if parts else ["{}"])

    def sparse_line(self, pairs: list[tuple[str, ColumnElement]]) -> ColumnElement:
        """An object of the (key, string) pairs whose string is not null."""
        # Each member with its comma, or nothing when null; the first comma is cut off.
        members = [
            func.coalesce(_concatenated(["," + to_json(key) + ":", self._json(value)]), "")
            for key, value in pairs
        ]
        return _concatenated(["{", func.substr(_concatenated(members), 2), "}"])

    def value(self, column: ColumnElement) -> ColumnElement:
        """A string, integer, boolean, date or null."""
        return func.coalesce(self._json(column), "null", type_=String)

    def fraction(self, column: ColumnElement) -> ColumnElement:
        """A `Fraction` (three decimals at most), written as Python writes a float."""
        # to_json writes the shortest digits that read back the same float, as Python does,
        # but 1 and 0 where Python writes 1.0 and 0.0.
        whole = column == func.trunc(column)
        written = case((whole, _concatenated([self._json(column), ".0"])), else_=self._json(column))
        return func.coalesce(written, "null", type_=String)

    def _json(self, column: ColumnElement) -> ColumnElement:
        """The value as JSON text; null for null."""
        return cast(func.to_json(column), Text)

    def boolean(self, column: ColumnElement) -> ColumnElement:
        return self.value(column)

    def timestamp(self, column: ColumnElement) -> ColumnElement:
        # to_json would drop trailing zeros of the microseconds; isoformat keeps all six.
        text = func.to_char(column, 'YYYY-MM-DD"T"HH24:MI:SS.US', type_=String)
        iso = func.replace(text, ".000000", "", type_=String)
        return func.coalesce(_concatenated(['"', iso, '+00:00"']), "null", type_=String)

    def strings(self, column: ColumnElement) -> ColumnElement:
        """A JSON column holding a list of strings, re-encoded (it is stored ASCII-escaped)."""
        elements = func.json_array_elements_text(column)
        items = elements.table_valued("value", with_ordinality="number").render_derived()
        return select(self._array(items.c.value, items.c.number)).scalar_subquery()

    def linked(
        self, linked: Linked, record_id: ColumnElement, owners: "Owners"
    ) -> tuple[ColumnElement, Join]:
        """The list from the link table grouped by owner, to be joined to the records: both
        come in owner order from their indexes, so PostgreSQL merges them as it reads (about
        a third less work than a correlated subquery per record). Only the groups of the
        `owners` are built: the join would not carry a range of ids into the subquery."""
        grouped = (
            select(linked.owner.label("owner"), self._array(linked.value, *_list_order(linked)))
            .where(owners(linked.owner))
            .group_by(linked.owner)
            .subquery()
        )
        items = func.coalesce(grouped.c.array, "[]", type_=String)
        return items, Join(grouped, grouped.c.owner == record_id)

    def correlated(self, linked: Linked, record_id: ColumnElement) -> ColumnElement:
        """The list of one record, read by a subquery that seeks the owner column's index."""
        where = linked.owner == record_id
        return self.array(linked.value, where, _list_order(linked), record_id.table)

    def array(
        self,
        value: ColumnElement,
        where: ColumnElement,
        order: Sequence[ColumnElement],
        outer: FromClause,
    ) -> ColumnElement:
        """The list of the `value`s of the rows `where` selects (on a row of `outer`), in
        `order`."""
        array = select(self._array(value, *order)).where(where)
        return array.correlate(outer).scalar_subquery()

    def objects(
        self,
        line: ColumnElement,
        where: ColumnElement,
        order: Sequence[ColumnElement],
        outer: FromClause,
    ) -> ColumnElement:
        """The list of the lines (JSON objects) of the rows `where` selects (on a row of
        `outer`), in `order`."""
        joined = func.string_agg(line, aggregate_order_by(literal(","), *order))
        items = select(_concatenated(["[", joined, "]"])).where(where)
        items = items.correlate(outer).scalar_subquery()
        return func.coalesce(items, "[]", type_=String)

    def _array(self, value: ColumnElement, *order: ColumnElement) -> ColumnElement:
        # array_to_json, unlike json_agg, writes no space after the commas.
        values = func.array_agg(aggregate_order_by(value, *order))
        return func.coalesce(cast(func.array_to_json(values), Text), "[]").label("array")


DIALECTS = {"sqlite": SQLite(), "postgresql": PostgreSQL()}
Flavour = SQLite | PostgreSQL


Owners = Callable[[ColumnElement], ColumnElement]  # which owners' linked lists are read
AFTER, THROUGH = "after", "through"  # a ranged statement's parameters


def lines(
    catalog: Readable, schema_class: type[Schema], dialect: Dialect, *, ranged: bool = False
) -> Select:
    """Each record's line of JSON (one text column), in id order; when `ranged`, only the
    records whose id is after the parameter `after` and at most `through`."""
    record = catalog.model.__table__.alias("record")
    owners = _in_range if ranged else _any_owner
    line, joins = _line(
        catalog, schema_class, _flavour(dialect), record, whole_table=True, owners=owners
    )
    source = reduce(lambda joined, join: joined.outerjoin(*join), joins, record)
    statement = select(line).select_from(source).order_by(record.c.id)
    return statement.where(_in_range(record.c.id)) if ranged else statement


def _in_range(column: ColumnElement) -> ColumnElement:
    return and_(column > bindparam(AFTER, type_=String), column <= bindparam(THROUGH, type_=String))


def _any_owner(column: ColumnElement) -> ColumnElement:
    return column.is_not(None)


Renderer = Callable[[Connection, Sequence[str]], list[str]]
IDS = "ids"  # the renderer's parameter: the records' ids
_RENDERERS: dict[tuple[str, type[Schema], str], Renderer] = {}


def renderer(catalog: Readable, schema_class: type[Schema], dialect: Dialect) -> Renderer:
    """A function giving the records of some ids (a page of them) as JSON texts, in the order
    of the ids; built once per kind of record, schema and database.

    Its statement is compiled once, with the ids as its one parameter and its constants (JSON
    keys, formats) written in: executing a SQLAlchemy statement this large would walk all of
    it, to find its cache key, on every page; and psycopg parses the placeholders of a query
    of more than 50 parameters anew at each run, where it parses a shorter one once.
    """
    key = (catalog.kind, schema_class, dialect.name)
    if key not in _RENDERERS:
        flavour = _flavour(dialect)
        record = catalog.model.__table__.alias("record")
        line, _joins = _line(catalog, schema_class, flavour, record, whole_table=False)
        statement = select(record.c.id, line).where(flavour.among(record.c.id, IDS))
        compiled = _constants_written_in(statement).compile(
            dialect=dialect, compile_kwargs={"render_postcompile": True}
        )

        ids_type = compiled.binds[IDS].type.dialect_impl(dialect)
        process = ids_type.bind_processor(dialect) or (lambda value: value)

        def render(connection: Connection, record_ids: Sequence[str]) -> list[str]:
            value = process(flavour.ids(record_ids))
            parameters = (value,) if compiled.positional else {IDS: value}
            found = dict(database.driver_rows(connection, compiled.string, parameters))
            return [found[record_id] for record_id in record_ids]

        _RENDERERS[key] = render
    return _RENDERERS[key]


Selection = Callable[[Connection, Any], list[tuple]]
VALUE = "value"  # a selection's parameter: the value its column must equal
_SELECTIONS: dict[tuple, Selection] = {}


def selection(
    catalog: Readable,
    schema_class: type[Schema],
    dialect: Dialect,
    where: str,
    order: Sequence[str] = (),
    also: Sequence[str] = (),
) -> Selection:
    """A function giving, for the records whose `where` column equals a value, in `order`,
    their `also` columns and their JSON text; built once per kind of record, schema, database
    and shape, and run on the driver, as `renderer` is."""
    key = (catalog.kind, schema_class, dialect.name, where, tuple(order), tuple(also))
    if key not in _SELECTIONS:
        flavour = _flavour(dialect)
        record = catalog.model.__table__.alias("record")
        line, _joins = _line(catalog, schema_class, flavour, record, whole_table=False)
        statement = (
            select(*(record.c[name] for name in also), line)
            .where(record.c[where] == bindparam(VALUE, type_=record.c[where].type))
            .order_by(*(record.c[name] for name in order))
        )
        compiled = _constants_written_in(statement, lambda name: name == VALUE).compile(
            dialect=dialect, compile_kwargs={"render_postcompile": True}
        )
        value_type = compiled.binds[VALUE].type.dialect_impl(dialect)
        process = value_type.bind_processor(dialect) or (lambda value: value)

        def select_lines(connection: Connection, value: Any) -> list[tuple]:
            bound = process(value)
            parameters = (bound,) if compiled.positional else {VALUE: bound}
            return database.driver_rows(connection, compiled.string, parameters)

        _SELECTIONS[key] = select_lines
    return _SELECTIONS[key]


Owned = Callable[[Connection, Any], tuple[str | None, list[tuple]]]
_WITH_OWNED: dict[tuple, Owned] = {}


def with_owned(
    parent: Readable,
    parent_schema: type[Schema],
    owned: Readable,
    owned_schema: type[Schema],
    dialect: Dialect,
    owner: str,
    order: Sequence[str],
    also: Sequence[str],
) -> Owned:
    """A function giving a record's JSON text (None when there is no such record) and, for
    each record it owns (those whose `owner` column is its id), in `order`, their `also`
    columns and JSON text: `selection`'s two answers in one statement, one round trip."""
    key = (parent.kind, parent_schema, owned.kind, owned_schema, dialect.name, owner)
    key += (tuple(order), tuple(also))
    if key not in _WITH_OWNED:
        flavour = _flavour(dialect)
        head = parent.model.__table__.alias("record")
        body = owned.model.__table__.alias("owned")
        head_line, _joins = _line(parent, parent_schema, flavour, head, whole_table=False)
        body_line, _joins = _line(owned, owned_schema, flavour, body, whole_table=False)
        value = bindparam(VALUE, type_=head.c.id.type)
        sorting = [body.c[name] for name in order]
        blanks = [literal(None, column.type) for column in sorting]
        listed = [body.c[name] for name in also]
        nothing = [literal(None, column.type) for column in listed]
        # Rows: (0, nulls…, the record's line), then (1, order…, also…, line) for each owned
        # one; ordered by column number, the record first, its owned ones in their order.
        first = select(literal(0).label("part"), *blanks, *nothing, head_line)
        rest = select(literal(1), *sorting, *listed, body_line)
        statement = union_all(
            first.where(head.c.id == value), rest.where(body.c[owner] == value)
        ).order_by(*(literal_column(f"{index + 1}") for index in range(1 + len(sorting))))
        compiled = _constants_written_in(statement, lambda name: name == VALUE).compile(
            dialect=dialect, compile_kwargs={"render_postcompile": True}
        )
        process = compiled.binds[VALUE].type.dialect_impl(dialect).bind_processor(dialect)
        positional = compiled.positiontup if compiled.positional else None
        width = 1 + len(sorting)

        def read(connection: Connection, given: Any) -> tuple[str | None, list[tuple]]:
            bound = process(given) if process is not None else given
            parameters = tuple(bound for _ in positional) if positional else {VALUE: bound}
            rows = database.driver_rows(connection, compiled.string, parameters)
            if not rows or rows[0][0] != 0:
                return None, []
            return rows[0][-1], [row[width:] for row in rows[1:]]

        _WITH_OWNED[key] = read
    return _WITH_OWNED[key]


def page_lines(
    catalog: Readable,
    schema_class: type[Schema],
    dialect: Dialect,
    page: Select,
    order: Sequence[Any],
    given: Callable[[str], bool],
) -> Select:
    """Each row of `page` (a record id, then the keys of its `order`, a sequence of
    pagination.SortKey) as the record's JSON line and its sort keys, in the page's order: the
    page and its JSON in one statement. Constants are written in; parameters `given` stay."""
    flavour = _flavour(dialect)
    record = catalog.model.__table__.alias("record")
    line, _joins = _line(catalog, schema_class, flavour, record, whole_table=False)
    rows = page.subquery("page")
    columns = list(rows.c)
    keys = columns[-len(order) :]
    ordering = []
    for key, column in zip(order, keys, strict=True):
        ordered = column.desc() if key.descending else column.asc()
        ordering.append(ordered.nulls_last() if key.nullable else ordered)
    statement = (
        select(line, *keys)
        .select_from(rows.join(record, record.c.id == columns[0]))
        .order_by(*ordering)
    )
    return _constants_written_in(statement, given)


def _constants_written_in(
    statement: Select, given: Callable[[str], bool] = lambda key: key == IDS
) -> Select:
    """The statement with each parameter but those `given` at each run (the ids) rendered
    into its text when compiled with render_postcompile (as literals, escaped by their type)."""

    def written_in(element: Any) -> BindParameter | None:
        if not isinstance(element, BindParameter):
            return None
        if given(element.key):  # given at each run; not required to compile
            return bindparam(element.key, type_=element.type, required=False)
        return bindparam(element.key, element.value, type_=element.type, literal_execute=True)

    return visitors.replacement_traverse(statement, {}, written_in)


def _flavour(dialect: Dialect) -> Flavour:
    flavour = DIALECTS.get(dialect.name)
    if flavour is None:
        raise Unrenderable(f"no JSON rendering for {dialect.name}")
    return flavour


def _line(
    catalog: Readable,
    schema_class: type[Schema],
    flavour: Flavour,
    record: FromClause,
    *,
    whole_table: bool,
    owners: Owners = _any_owner,
) -> tuple[ColumnElement, list[Join]]:
    """The JSON line of a `record` row, and the joins it needs (for `whole_table` reads on
    PostgreSQL, of the records among `owners`; a few records read their linked lists by
    correlated subqueries)."""
    others = catalog.attached.others
    if not all(isinstance(other, OwnedRows) for other in others.values()):
        raise Unrenderable(f"attachments other than linked lists and owned rows: {sorted(others)}")
    columns = {column.key: column for column in record.columns}
    pairs, joins = [], []
    for name, field in schema_class().dump_fields.items():
        attribute = field.attribute or name
        if attribute in others:
            value = _owned_rows(field, others[attribute], record.c.id, flavour)
        elif attribute in catalog.attached.linked:
            _require_plain_list(field, attribute)
            linked = catalog.attached.linked[attribute]
            if whole_table:
                value, join = flavour.linked(linked, record.c.id, owners)
                joins += [join] if join else []
            else:
                value = flavour.correlated(linked, record.c.id)
        else:
            value = _field(field, attribute, columns, flavour)
        if value is not None:  # None: the record has no such attribute, so dump skips it
            pairs.append((field.data_key or name, value))
    return type_coerce(flavour.line(pairs), String), joins


def _owned_rows(
    field: fields.Field, owned: OwnedRows, record_id: ColumnElement, flavour: Flavour
) -> ColumnElement:
    """The list of a record's owned rows, each an object of the nested schema's fields."""
    if not (isinstance(field, fields.List) and isinstance(field.inner, fields.Nested)):
        raise Unrenderable(f"{_name(field)} {field.name}: owned rows as other than a list")
    row = owned.table.alias(f"owned_{field.name}")
    columns = {column.key: column for column in row.columns}
    pairs = []
    for name, inner in field.inner.schema.dump_fields.items():
        attribute = inner.attribute or name
        if attribute in owned.lists:
            _require_plain_list(inner, attribute)
            listed = owned.lists[attribute]
            matching = and_(*(column == row.c[key] for column, key in listed.keys))
            value = flavour.array(listed.value, matching, listed.order, row)
        else:
            value = _field(inner, attribute, columns, flavour)
        if value is not None:
            pairs.append((inner.data_key or name, value))
    order = [row.c[key] for key in owned.order]
    where = row.c[owned.owner] == record_id
    return flavour.objects(flavour.line(pairs), where, order, record_id.table)


def _field(
    field: fields.Field, attribute: str, columns: Mapping[str, ColumnElement], flavour: Flavour
) -> ColumnElement | None:
    """A field read from the record's own columns, as `dumper` writes it; None if missing."""
    if isinstance(field, fields.Function):
        return _formatted(field, columns, flavour)
    if attribute not in columns:
        return None
    column = columns[attribute]
    if isinstance(field, fields.DateTime | fields.Date):  # AwareDateTime too
        if (field.format or "iso") not in ("iso", "iso8601"):
            raise Unrenderable(f"{_name(field)} {attribute}: only ISO 8601 dates are rendered")
        if isinstance(column.type, UTCDateTime):
            return flavour.timestamp(column)
        if isinstance(column.type, Date):
            return flavour.value(column)
    elif isinstance(field, fields.List):
        _require_plain_list(field, attribute)
        if isinstance(column.type, JSON) and not column.nullable:
            return flavour.strings(column)
    elif isinstance(field, fields.Float) and not field.as_string:
        if isinstance(column.type, Fraction):
            return flavour.fraction(column)
    elif _plain(field):  # written as read: the column's type decides
        if isinstance(column.type, Boolean):
            return flavour.boolean(column)
        if isinstance(column.type, String | Integer):
            return flavour.value(column)
    raise Unrenderable(f"{_name(field)} {attribute} on a column of type {column.type}")


def _plain(field: fields.Field) -> bool:
    """Fields `dumper` writes as they are read."""
    return isinstance(field, fields.String | fields.Integer | fields.Boolean)


def _require_plain_list(field: fields.Field, attribute: str) -> None:
    if not (isinstance(field, fields.List) and _plain(field.inner)):
        raise Unrenderable(f"{_name(field)} {attribute}: only lists of plain values are rendered")


def _formatted(
    field: fields.Function, columns: Mapping[str, ColumnElement], flavour: Flavour
) -> ColumnElement:
    """A Function field that formats columns into an object of strings (a record's links).

    The function is called once on a record of placeholders; each placeholder in the strings
    it returns becomes its column, so that the database formats the same strings. A string
    made of a nullable column is left out when that column is null, as `links_field` leaves
    out its optional links; it must not be among the object's `required` keys.
    """
    placeholders = Record({name: f"\x00{name}\x00" for name in columns})
    try:
        result = field.serialize_func(placeholders)
    except Exception as error:
        raise Unrenderable(f"Function field {field.name}: does more than format") from error
    if not (isinstance(result, dict) and all(isinstance(v, str) for v in result.values())):
        raise Unrenderable(f"Function field {field.name}: not an object of strings")
    required = set(field.metadata.get("required", result))
    strings, sparse = [], False
    for key, template in result.items():
        pieces = MARK.split(template)  # text, column name, text, column name, …, text
        parts = [
            _formatted_column(columns, piece) if odd else piece for odd, piece in _alternate(pieces)
        ]
        nullable = any(isinstance(part, ColumnElement) and part.nullable for part in parts)
        if nullable and key in required:  # Python would format a null as "None"
            raise Unrenderable(f"Function field {field.name}: {key!r} is required but nullable")
        sparse = sparse or nullable
        strings.append((key, _concatenated(parts)))
    if sparse:
        return flavour.sparse_line(strings)
    return flavour.line([(key, flavour.value(string)) for key, string in strings])


def _formatted_column(columns: Mapping[str, ColumnElement], name: str) -> ColumnElement:
    column = columns.get(name)
    # Python would format other types in their own ways.
    if column is None or not isinstance(column.type, String):
        raise Unrenderable(f"a Function field formats {name!r}, not a string column")
    return column


def _alternate(pieces: list[str]) -> list[tuple[bool, str]]:
    """(is a column name, piece) for each non-empty piece of a split template."""
    return [(number % 2 == 1, piece) for number, piece in enumerate(pieces) if piece]


def _list_order(linked: Linked) -> list[ColumnElement]:
    """The order `Attachments` reads a linked list in: by position, then by value."""
    return [column for column in (linked.position, linked.value) if column is not None]


def _name(field: fields.Field) -> str:
    return f"{type(field).__name__} field"


def _concatenated(parts: list[Any]) -> ColumnElement:
    """SQL text joining the parts (str or SQL text) with ||, adjacent strings merged first."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    texts = [literal(part, String) if isinstance(part, str) else part for part in merged]
    return reduce(lambda left, right: left.concat(right), texts)


def linked_lists(attached: Attachments, table: FromClause, dialect_name: str) -> list[Label]:
    """A column per linked list of `attached`, each a record's list as a JSON array, for a
    statement reading rows of `table`; none where this database has no JSON rendering."""
    flavour = DIALECTS.get(dialect_name)
    if flavour is None:
        return []
    return [
        flavour.correlated(linked, table.c.id).label(f"linked_{name}")
        for name, linked in attached.linked.items()
    ]


def owned_rows(attached: Attachments, table: FromClause, dialect_name: str) -> list[Label]:
    """A column per `OwnedRows` of `attached`, each a record's rows as a JSON array of objects
    keyed by the rows' column names, with their lists (`OwnedRows.from_json` reads them back);
    none where this database has no JSON rendering or a column holds other than strings,
    integers and dates."""
    flavour = DIALECTS.get(dialect_name)
    owned = attached.owned_rows
    plain = (String, Integer, Date)
    if flavour is None or not all(
        isinstance(column.type, plain) for rows in owned.values() for column in rows.table.columns
    ):
        return []
    columns = []
    for name, rows in owned.items():
        row = rows.table.alias(f"owned_{name}")
        pairs = [(column.key, flavour.value(column)) for column in row.columns]
        for list_name, listed in rows.lists.items():
            matching = and_(*(column == row.c[key] for column, key in listed.keys))
            pairs.append((list_name, flavour.array(listed.value, matching, listed.order, row)))
        order = [row.c[key] for key in rows.order]
        where = row.c[rows.owner] == table.c.id
        objects = flavour.objects(flavour.line(pairs), where, order, table)
        columns.append(type_coerce(objects, String).label(f"owned_{name}"))
    return columns


def ranged_sql(catalog: Readable, schema_class: type[Schema], dialect: Dialect) -> str:
    """The SQL of the `ranged` lines, its constants written in and only `after` and `through`
    left as the driver's parameters."""
    statement = lines(catalog, schema_class, dialect, ranged=True)
    written = _constants_written_in(statement, lambda key: key in (AFTER, THROUGH))
    return written.compile(dialect=dialect, compile_kwargs={"render_postcompile": True}).string


def written_out(statement: Select, dialect: Dialect) -> str:
    """The statement's SQL with its parameters written in, for a driver's cursor to run without
    parameters: an export reads its rows without SQLAlchemy's per-row handling."""
    compiled = _constants_written_in(statement).compile(
        dialect=dialect, compile_kwargs={"render_postcompile": True}
    )
    # Written for a driver that takes %s parameters, every % is doubled; run without any,
    # the text is sent as it is.
    if dialect.paramstyle in ("format", "pyformat"):
        return compiled.string.replace("%%", "%")
    return compiled.string
