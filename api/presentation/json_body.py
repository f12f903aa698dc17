"""Any body as compact UTF-8 application/json."""

from collections.abc import Mapping
from typing import Any

from flask import Response

from schemas.dumping import to_json


def json_response(body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """`body` as compact UTF-8 application/json."""
    return Response(to_json(body), mimetype="application/json", headers=dict(headers or {}))
