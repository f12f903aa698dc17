"""The floor: a page of provisions as JSON from one raw sqlite3 query, nothing else.

Served by bench/scale/ under the same gunicorn settings as the API, to show how fast the
list endpoint could be with no framework, ORM or serializer. It offers the rows of each list
scenario, in the API's order (document, position, id), 20 at a time:

- `/provisions`: the first page;
- `/provisions?modality=directs`: the first page of one modality;
- `/provisions?after_document=D&after_position=P&after_id=I`: the page after a row (keyset),
  as the API's cursor does; combinable with `modality`.

FLOOR_DATABASE names the SQLite file.
"""

import json
import os
import sqlite3
import threading

from flask import Flask, Response, request

COLUMNS = (
    "id, document_id, parent_id, position, depth, label, modality, binding, actor_id, "
    "action, summary, text, quoted_in_id, verification"
)
PAGE_SIZE = 20

app = Flask(__name__)
connections = threading.local()


def connection() -> sqlite3.Connection:
    """This thread's read-only connection to the benchmark database."""
    if not hasattr(connections, "database"):
        uri = f"file:{os.environ['FLOOR_DATABASE']}?mode=ro"
        connections.database = sqlite3.connect(uri, uri=True, check_same_thread=False)
        connections.database.row_factory = sqlite3.Row
    return connections.database


@app.get("/provisions")
def page() -> Response:
    """20 provisions in document order, as `{"data": [...]}`."""
    conditions, parameters = [], []
    if "modality" in request.args:
        conditions.append("modality = ?")
        parameters.append(request.args["modality"])
    if "after_document" in request.args:
        conditions.append("(document_id, position, id) > (?, ?, ?)")
        parameters += [
            request.args["after_document"],
            int(request.args["after_position"]),
            request.args["after_id"],
        ]
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    sql = f"SELECT {COLUMNS} FROM provisions {where}ORDER BY document_id, position, id LIMIT ?"
    rows = [dict(row) for row in connection().execute(sql, [*parameters, PAGE_SIZE])]
    return Response(json.dumps({"data": rows}), mimetype="application/json")
