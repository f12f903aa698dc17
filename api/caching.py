"""HTTP caching: a strong ETag on every successful GET, Cache-Control, and 304s.

The ETag is a hash of the representation, so equal bytes get equal tags whatever the server.
Streamed exports are not buffered to hash them: their tag comes from the dataset version,
which changes whenever any record does, and their 304 is decided without touching the body
(Werkzeug's make_conditional would read a streamed body whole to size it).
"""

import hashlib

from flask import Flask, Response, current_app, request


def etag_for(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def cache_response(response: Response) -> Response:
    if request.method not in ("GET", "HEAD"):
        return response
    if response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
        return response
    if response.status_code != 200:
        return response
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['CACHE_MAX_AGE']}"
    if response.is_streamed:
        return _not_modified(response) if _client_has(response) else response
    if response.get_etag()[0] is None:
        response.set_etag(etag_for(response.get_data()))
    return response.make_conditional(request)


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
    app.after_request(cache_response)
