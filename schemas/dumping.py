"""Records dumped as their schemas would dump them, without marshmallow's per-field walk.

A page, a document tree or an export dumps thousands of fields; marshmallow's generic
machinery (accessors, hooks, per-field dispatch) cost more than the queries. Each schema is
compiled once into one step per field, reading the same attributes and formatting values the
same way; `tests/test_rendering.py` checks the output equals `Schema().dump`, key order too.
A field type the compiler does not know is an error when its schema is first compiled, never
a silent difference.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache, partial
from typing import Any

from marshmallow import Schema, fields

Dump = Callable[[Any], dict]
Convert = Callable[[Any], Any]
MISSING = object()


@cache
def dumper(schema_class: type[Schema]) -> Dump:
    """A function dumping one record (a `Record`, dict or object) as `schema_class().dump`
    would."""
    return _compile(schema_class())


def dump_all(schema_class: type[Schema], items: Iterable[Mapping]) -> list[dict]:
    dump = dumper(schema_class)
    return [dump(item) for item in items]


# One encoder for every body: json.dumps with options builds a new one on each call.
to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _compile(schema: Schema) -> Dump:
    steps = [
        (field.data_key or name, field.attribute or name, _step(field), _function(field))
        for name, field in schema.dump_fields.items()
    ]

    def dump(record: Any) -> dict:
        out = {}
        get = record.get if isinstance(record, dict) else partial(getattr, record)
        for key, attribute, convert, function in steps:
            if function is not None:
                out[key] = function(record)
                continue
            value = get(attribute, MISSING)
            if value is MISSING:
                continue
            out[key] = value if convert is None or value is None else convert(value)
        return out

    return dump


def _step(field: fields.Field) -> Convert | None:
    """The field's converter; None when values are written as they are read."""
    convert = _converter(field)
    return None if convert is _identity else convert


def _function(field: fields.Field) -> Callable | None:
    return field.serialize_func if isinstance(field, fields.Function) else None


def _identity(value: Any) -> Any:
    return value


def _converter(field: fields.Field) -> Convert:
    """How a non-null value of `field` is written, as marshmallow writes it."""
    if isinstance(field, fields.Function):
        return _identity  # never called: Function fields are dumped from the whole record
    if isinstance(field, fields.AwareDateTime | fields.DateTime | fields.Date):
        if (field.format or "iso") not in ("iso", "iso8601"):
            raise TypeError(f"{field!r}: only ISO 8601 dates are compiled")
        return _isoformat
    if isinstance(field, fields.String | fields.Integer | fields.Boolean):
        return _identity  # the database returns str, int and bool already
    if isinstance(field, fields.Float):
        if field.as_string:
            raise TypeError(f"{field!r}: only numbers written as numbers are compiled")
        return float
    if isinstance(field, fields.List):
        inner = _converter(field.inner)
        if inner is _identity:
            return list
        return lambda values: [inner(value) if value is not None else None for value in values]
    if isinstance(field, fields.Dict):
        parts = [part for part in (field.key_field, field.value_field) if part is not None]
        if any(_converter(part) is not _identity for part in parts):
            raise TypeError(f"{field!r}: only dicts of plain values are compiled")
        return dict
    if isinstance(field, fields.Nested):
        if field.only or field.exclude or field.many:
            raise TypeError(f"{field!r}: only plain nested schemas are compiled")
        schema_class = type(field.schema)  # looked up when called: schemas may nest themselves
        return lambda value: dumper(schema_class)(value)
    raise TypeError(f"{field!r}: no compiled form for this field type")


def _isoformat(value: datetime.date) -> str:
    return value.isoformat()
