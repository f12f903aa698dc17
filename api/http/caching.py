"""HTTP caching: a strong ETag on every successful GET, Cache-Control, and 304s.

The API's data changes only when a load changes the dataset, so an API response is fixed by
the dataset stamp (version and change time), the request's URL, the media type sent (and the
host, for media types with absolute links) and the code serving it. Its ETag is a digest of
those: every server gives the same tag, and a conditional GET is answered 304 by
`NotModifiedShortcut` before Flask sees it, with no query, no rendering and no extension hook.
The stamp is re-read at most every DATASET_STAMP_TTL_SECONDS per process, so a server
notices a new load within that time (well within Cache-Control's max-age).

Responses outside the API (the OpenAPI document, the docs page) are tagged with a hash of
their body, and streamed bodies are never read to decide a 304.
"""

import functools
import hashlib
import importlib.metadata
import threading
import time

from flask import Flask, Response, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.http import quote_etag
from werkzeug.routing import RoutingException
from werkzeug.wrappers import Request

from api.http.logs import request_id_for
from api.http.negotiation import (
    ATOM,
    JSON_LD,
    chosen_media_type,
    negotiate,
    offered_media_types,
    varies_on_accept,
)
from api.http.protection import cors_headers, security_headers
from api.storage import database
from api.storage.models import DatasetState

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

    def __init__(self, app: Flask, ttl: float):
        self.app = app
        self.ttl = ttl
        self._lock = threading.Lock()
        self._value: str | None = None
        self._read_at = 0.0

    def current(self) -> str:
        if self._value is not None and time.monotonic() - self._read_at < self.ttl:
            return self._value
        with self._lock:
            statement = select(DatasetState.version, DatasetState.changed_at)
            with database.engine_of(self.app).connect() as connection:
                state = connection.execute(statement).first()
            self._value = f"{state.version}-{state.changed_at.isoformat()}" if state else "empty"
            self._read_at = time.monotonic()
            return self._value


def tag_of(stamp: str, asked: Request, media_type: str) -> str:
    """The ETag of the API response `asked` gets as `media_type` (see the module's docstring)."""
    host = asked.host if media_type in ABSOLUTE_URLS else ""
    parts = (CODE_VERSION, stamp, host, asked.full_path, media_type)
    return etag_for("\n".join(parts).encode())


def representation_tag() -> str:
    """The ETag of the API response this GET gets."""
    return tag_of(current_app.extensions["dataset_stamp"].current(), request, chosen_media_type())


def serves_data() -> bool:
    """Whether this request is for the data API (/v1), whose responses the stamp fixes."""
    return request.path.startswith(DATA_PREFIX) and offered_media_types() is not None


def cache_response(response: Response) -> Response:
    if request.method not in ("GET", "HEAD"):
        return response
    if response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
        return response
    if response.status_code != 200:
        return response
    response.headers["Cache-Control"] = _cache_control(current_app.config)
    if response.get_etag()[0] is None:
        response.set_etag(representation_tag() if serves_data() else etag_for(response.get_data()))
    if response.is_streamed:
        return _not_modified(response) if _client_has(response) else response
    return response.make_conditional(request)


def _cache_control(config) -> str:
    return f"public, max-age={config['CACHE_MAX_AGE']}"


def _client_has(response: Response) -> bool:
    etag, _weak = response.get_etag()
    return etag is not None and request.if_none_match.contains(etag)


def _not_modified(response: Response) -> Response:
    """A 304 for a streamed response, which is closed unread."""
    response.close()
    kept = ("ETag", "Cache-Control", "Vary", "X-Dataset-Version", "Content-Location")
    headers = {name: response.headers[name] for name in kept if name in response.headers}
    return Response(status=304, headers=headers)


class NotModifiedShortcut:
    """WSGI middleware: a conditional GET of the data API whose tag matches gets its 304 here.

    Its headers are those Flask would send with the 304: ETag, Cache-Control, Vary, CORS,
    security headers and X-Request-ID. Like GitHub's API, it is not counted against the rate
    limit: polling with If-None-Match is the cheap, polite way to follow the data. Anything
    else, or anything Flask would refuse (no route, no acceptable media type, a body, a query
    string too long), goes on to Flask.
    """

    def __init__(self, app: Flask):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.fixed_headers = [*cors_headers().items(), *security_headers(DATA_PREFIX).items()]

    def __call__(self, environ: dict, start_response):
        conditional = environ.get("HTTP_IF_NONE_MATCH") and environ["REQUEST_METHOD"] in (
            "GET",
            "HEAD",
        )
        if conditional and environ.get("PATH_INFO", "").startswith(DATA_PREFIX):
            headers = self.not_modified_headers(Request(environ))
            if headers is not None:
                start_response("304 NOT MODIFIED", headers)
                return []
        return self.wsgi_app(environ, start_response)

    def not_modified_headers(self, asked: Request) -> list[tuple[str, str]] | None:
        """The 304's headers if the client has this representation; None to let Flask answer."""
        environ, config = asked.environ, self.app.config
        has_body = environ.get("CONTENT_LENGTH") or "HTTP_TRANSFER_ENCODING" in environ
        if has_body or len(asked.query_string) > config["MAX_QUERY_STRING_LENGTH"]:
            return None
        offered = self._offered(asked.path, asked.method)
        if offered is None or asked.if_none_match.star_tag:
            return None
        media_type = negotiate(environ.get("HTTP_ACCEPT"), offered)
        if media_type is None:
            return None
        try:
            stamp = self.app.extensions["dataset_stamp"].current()
        except SQLAlchemyError:  # Flask answers 503, with its error handling
            return None
        tag = tag_of(stamp, asked, media_type)
        if not asked.if_none_match.contains(tag):
            return None
        headers = [("ETag", quote_etag(tag)), ("Cache-Control", _cache_control(config))]
        if varies_on_accept(offered):
            headers.append(("Vary", "Accept"))
        headers += self.fixed_headers
        headers.append(("X-Request-ID", request_id_for(environ.get("HTTP_X_REQUEST_ID"))))
        return headers

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one shortcut per app, as long-lived)
    def _offered(self, path: str, method: str) -> tuple[str, ...] | None:
        """The media types of the operation the request goes to, as negotiation sees them."""
        try:
            endpoint, _arguments = self.app.url_map.bind("").match(path, method)
        except (HTTPException, RoutingException):
            return None
        return getattr(self.app.view_functions.get(endpoint), "produces", None)


def init_app(app: Flask) -> None:
    app.extensions["dataset_stamp"] = DatasetStamp(app, app.config["DATASET_STAMP_TTL_SECONDS"])
    app.wsgi_app = NotModifiedShortcut(app)
