"""HTTP caching: a strong ETag on every successful GET, Cache-Control, and 304s.

The API's data changes only when a load changes the dataset, so an API response is fixed by
the dataset stamp (version and change time), the request's URL, the media type sent (and the
host, for media types with absolute links) and the code serving it. Its ETag is a digest of
those: every server gives the same tag, and a conditional GET is answered 304 before the view
runs, with no query and no rendering. The stamp is re-read at most every
DATASET_STAMP_TTL_SECONDS per process, so a server notices a new load within that time (well
within Cache-Control's max-age).

Responses outside the API (the OpenAPI document, the docs page) are tagged with a hash of
their body, and streamed bodies are never read to decide a 304.
"""

import hashlib
import importlib.metadata
import threading
import time

from flask import Flask, Response, current_app, request
from sqlalchemy import select

from api import database
from api.models import DatasetState
from api.negotiation import ATOM, JSON_LD, chosen_media_type, offered_media_types

DATA_PREFIX = "/v1"
# Representations whose links are absolute URLs, so depend on the host asked for.
ABSOLUTE_URLS = frozenset({ATOM, JSON_LD})

try:
    CODE_VERSION = importlib.metadata.version("provisions")
except importlib.metadata.PackageNotFoundError:  # run from a source tree
    CODE_VERSION = "source"


def etag_for(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


class DatasetStamp:
    """The loaded dataset's stamp, read again once it is older than `ttl` seconds."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._lock = threading.Lock()
        self._value: str | None = None
        self._read_at = 0.0

    def current(self) -> str:
        if self._value is not None and time.monotonic() - self._read_at < self.ttl:
            return self._value
        with self._lock:
            statement = select(DatasetState.version, DatasetState.changed_at)
            with database.engine().connect() as connection:
                state = connection.execute(statement).first()
            self._value = f"{state.version}-{state.changed_at.isoformat()}" if state else "empty"
            self._read_at = time.monotonic()
            return self._value


def representation_tag() -> str:
    """The ETag of the API response this GET gets (see the module's docstring)."""
    stamp = current_app.extensions["dataset_stamp"].current()
    media_type = chosen_media_type()
    host = request.host if media_type in ABSOLUTE_URLS else ""
    parts = (CODE_VERSION, stamp, host, request.full_path, media_type)
    return etag_for("\n".join(parts).encode())


def serves_data() -> bool:
    """Whether this request is for the data API (/v1), whose responses the stamp fixes."""
    return request.path.startswith(DATA_PREFIX) and offered_media_types() is not None


def answer_from_cache() -> Response | None:
    """304 Not Modified, before the view, when the client already has this representation."""
    if request.method not in ("GET", "HEAD") or not serves_data():
        return None
    if not request.if_none_match or request.if_none_match.star_tag:
        return None
    tag = representation_tag()
    if not request.if_none_match.contains(tag):
        return None
    response = Response(status=304)
    response.set_etag(tag)
    response.headers["Cache-Control"] = _cache_control()
    return response


def cache_response(response: Response) -> Response:
    if request.method not in ("GET", "HEAD"):
        return response
    if response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
        return response
    if response.status_code != 200:
        return response
    response.headers["Cache-Control"] = _cache_control()
    if response.get_etag()[0] is None:
        response.set_etag(representation_tag() if serves_data() else etag_for(response.get_data()))
    if response.is_streamed:
        return _not_modified(response) if _client_has(response) else response
    return response.make_conditional(request)


def _cache_control() -> str:
    return f"public, max-age={current_app.config['CACHE_MAX_AGE']}"


def _client_has(response: Response) -> bool:
    etag, _weak = response.get_etag()
    return etag is not None and request.if_none_match.contains(etag)


def _not_modified(response: Response) -> Response:
    """A 304 for a streamed response, which is closed unread."""
    response.close()
    kept = ("ETag", "Cache-Control", "Vary", "X-Dataset-Version", "Content-Location")
    headers = {name: response.headers[name] for name in kept if name in response.headers}
    return Response(status=304, headers=headers)


def init_app(app: Flask) -> None:
    app.extensions["dataset_stamp"] = DatasetStamp(app.config["DATASET_STAMP_TTL_SECONDS"])
    app.before_request(answer_from_cache)
    app.after_request(cache_response)
