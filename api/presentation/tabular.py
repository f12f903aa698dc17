"""CSV: one row per record, the JSON fields flattened into columns.

Flattening: a list of ids or terms is joined with "; ", a links object becomes one
`links.<name>` column per link, nested objects (a status history) stay JSON, null is empty.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from flask import Response
from marshmallow import Schema, fields

from api.http.negotiation import CSV
from schemas.dumping import dumper

LIST_SEPARATOR = "; "


def columns(schema: Schema) -> list[str]:
    names = []
    for name, field in schema.dump_fields.items():
        properties = field.metadata.get("properties")
        if properties and not isinstance(field, fields.Nested):
            names.extend(f"{name}.{key}" for key in properties)
        else:
            names.append(name)
    return names


def flatten(record: dict) -> dict:
    row = {}
    for name, value in record.items():
        if isinstance(value, dict):
            row.update({f"{name}.{key}": cell(item) for key, item in value.items()})
        else:
            row[name] = cell(value)
    return row


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def csv_lines(records: Iterable, schema: Schema) -> Iterator[str]:
    header = columns(schema)
    dump = dumper(type(schema))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(flatten(dump(record)))
        if buffer.tell() > 16_384:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(records: Iterable, schema: Schema, headers: dict | None = None) -> Response:
    """A page of records as CSV. A page is at most 100 rows, so it is sent whole, which lets
    it carry an ETag like every other representation."""
    body = "".join(csv_lines(records, schema))
    return Response(body, mimetype=CSV, headers=headers or {})
