"""The floor: a page of provisions as JSON from one raw query, nothing else.

Served by bench/scale/ under the same gunicorn settings as the API, to show how fast the
list endpoint could be with no framework, ORM or serializer, on each database the API is
measured on. It offers the rows of each list scenario, in the API's order (document,
position, id), 20 at a time:

- `/provisions`: the first page;
- `/provisions?modality=directs`: the first page of one modality;
- `/provisions?after_document=D&after_position=P&after_id=I`: the page after a row (keyset),
  as the API's cursor does; combinable with `modality`.

FLOOR_DATABASE names the SQLite file (read with sqlite3), or is a PostgreSQL URL
(`postgresql://…`, read with psycopg); the same statement runs on either.
"""

import json
import os
import sqlite3
import threading

import psycopg
from flask import Flask, Response, request
from psycopg.rows import dict_row

COLUMNS = (
    "id, document_id, parent_id, position, depth, label, modality, binding, actor_id, "
    "action, summary, text, quoted_in_id, verification"
)
PAGE_SIZE = 20
DATABASE = os.environ["FLOOR_DATABASE"]
ON_POSTGRESQL = DATABASE.startswith(("postgresql://", "postgres://"))
MARK = "%s" if ON_POSTGRESQL else "?"  # each driver's parameter placeholder

app = Flask(__name__)
connections = threading.local()


def connection() -> sqlite3.Connection | psycopg.Connection:
    """This thread's connection to the benchmark database, opened at its first page."""
    if not hasattr(connections, "database"):
        connections.database = connect()
    return connections.database


def connect() -> sqlite3.Connection | psycopg.Connection:
    """A read-only sqlite3 connection, or a psycopg one in autocommit (no BEGIN round trip)."""
    if ON_POSTGRESQL:
        return psycopg.connect(DATABASE, autocommit=True, row_factory=dict_row)
    database = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True, check_same_thread=False)
    database.row_factory = sqlite3.Row
    return database


@app.get("/provisions")
def page() -> Response:
    """20 provisions in document order, as `{"data": [...]}`."""
    conditions, parameters = [], []
    if "modality" in request.args:
        conditions.append(f"modality = {MARK}")
        parameters.append(request.args["modality"])
    if "after_document" in request.args:
        conditions.append(f"(document_id, position, id) > ({MARK}, {MARK}, {MARK})")
        parameters += [
            request.args["after_document"],
            int(request.args["after_position"]),
            request.args["after_id"],
        ]
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    sql = f"SELECT {COLUMNS} FROM provisions {where}ORDER BY document_id, position, id LIMIT {MARK}"
    rows = [dict(row) for row in connection().execute(sql, [*parameters, PAGE_SIZE])]
    return Response(json.dumps({"data": rows}), mimetype="application/json")
