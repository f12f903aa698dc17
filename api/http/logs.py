"""Structured logs: one JSON object a line, each naming the request it belongs to.

A client may send `X-Request-ID` (letters, digits, `.`, `_`, `-`; at most 128); otherwise one
is made. It is returned on the response and written into every log line of the request.
"""

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from gunicorn.glogging import Logger

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def request_id_for(given: str | None) -> str:
    """The client's request id if it is a valid one, else a new one."""
    return given if given and REQUEST_ID_PATTERN.match(given) else uuid.uuid4().hex


def assign_request_id() -> None:
    g.request_id = request_id_for(request.headers.get("X-Request-ID"))


def init_app(app: Flask) -> None:
    app.before_request(assign_request_id)
    if not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JSONFormatter())
        app.logger.handlers[:] = [handler]
        app.logger.setLevel(logging.INFO)
        app.logger.propagate = False


class JSONAccessLogger(Logger):
    """gunicorn's access log as JSON objects (its own format strings do not escape)."""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": datetime.now(UTC).isoformat(),
            "request_id": atoms.get("{x-request-id}o"),
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": int(atoms["s"]),
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "remote": atoms["h"],
            "user_agent": atoms["a"],
        }
        self.access_log.info(json.dumps(entry))
