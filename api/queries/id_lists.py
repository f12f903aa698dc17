"""A list of ids given to a statement as one parameter: JSON text read by SQLite's
`json_each`, an array compared with PostgreSQL's `= ANY`.

An expanding `IN (…)` is rewritten, and its placeholders bound one at a time, at every run;
with one parameter the statement's text stays the same, so it is compiled once and the
driver's own statement cache finds it again.
"""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY


def among(column: ColumnElement, name: str, dialect_name: str) -> ColumnElement:
    """`column` is one of the ids given as the parameter `name` (see `bound`)."""
    if dialect_name == "postgresql":
        return column == func.any(bindparam(name, type_=ARRAY(String)))
    values = func.json_each(bindparam(name, type_=String)).table_valued("value")
    return column.in_(select(values.c.value))


def bound(ids: Sequence[str], dialect_name: str) -> Any:
    """The parameter's value for these ids."""
    return list(ids) if dialect_name == "postgresql" else json.dumps(list(ids))
