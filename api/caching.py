"""HTTP caching: a strong ETag on every successful GET, Cache-Control, and 304s.

The ETag is a hash of the representation, so equal bytes get equal tags whatever the server.
Streamed exports are not buffered to hash them: their tag comes from the dataset version,
which changes whenever any record does.
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
    if response.get_etag()[0] is None and not response.is_streamed:
        response.set_etag(etag_for(response.get_data()))
    if response.get_etag()[0] is not None:
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.after_request(cache_response)
