"""The floor: the first page of provisions as JSON from one raw sqlite3 query, nothing else.

Served by bench/scale.py under the same gunicorn settings as the API, to show how fast the
list endpoint could be with no framework, ORM or serializer. FLOOR_DATABASE names the file.
"""

import json
import os
import sqlite3
import threading

from flask import Flask, Response

FIRST_PAGE = (
    "SELECT id, document_id, parent_id, position, depth, label, modality, binding, actor_id, "
    "action, summary, text, quoted_in_id, verification "
    "FROM provisions ORDER BY document_id, position LIMIT 20"
)

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
def first_page() -> Response:
    """The first 20 provisions in document order, as `{"data": [...]}`."""
    rows = [dict(row) for row in connection().execute(FIRST_PAGE)]
    return Response(json.dumps({"data": rows}), mimetype="application/json")
