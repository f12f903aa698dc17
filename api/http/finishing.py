"""The headers every response gets, added by two after-request hooks instead of six.

Caching, `Vary`, rate limits, CORS, security and the request id each had a hook, each going
through Flask's context proxies and rewriting the headers one at a time: a fifth of a list
page's time in-process. Here they run as two, around Flask-CORS's own hook (Flask calls the
hooks last-registered first), in the order they always ran:

1. `finish_representation`: Cache-Control, ETag or the 304 (api.http.caching), `Vary`, the
   rate-limit headers and, for a GET or HEAD of an API path, the CORS headers Flask-CORS would
   write (`cors_headers`), which it then leaves alone;
2. Flask-CORS: preflights, other methods, and any response it has not seen;
3. `finish_identity`: the security headers (api.http.protection) and `X-Request-ID`.
"""

import functools
import re
from urllib.parse import unquote

from flask import Flask, Response, current_app, g, request

from api.http.caching import cache_response
from api.http.negotiation import offered_media_types, varies_on_accept
from api.http.protection import CORS_RESOURCES, cors_headers, security_headers

CORS_PATHS = re.compile("|".join(f"(?:{pattern})" for pattern in CORS_RESOURCES))
ALLOW_ORIGIN = "Access-Control-Allow-Origin"


def finish_representation(response: Response) -> Response:
    """What the representation fixes: caching, `Vary`, the client's limits, CORS."""
    response = cache_response(response)
    headers = response.headers
    if varies_on_accept(offered_media_types()):
        if "Vary" in headers:
            response.vary.add("Accept")
        else:
            headers.add("Vary", "Accept")
    write_rate_limits = current_app.extensions["rate_limit_headers"]
    if write_rate_limits is not None:
        response = write_rate_limits(response)
    if (
        request.method in ("GET", "HEAD")
        and ALLOW_ORIGIN not in headers
        and CORS_PATHS.match(unquote(request.path))
    ):
        headers.extend(_cors_headers())
    return response


def finish_identity(response: Response) -> Response:
    """What every response carries: the security headers and the request's id."""
    response.headers.update(_security_headers(request.path))
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response


@functools.cache
def _cors_headers() -> tuple[tuple[str, str], ...]:
    return tuple(cors_headers().items())


@functools.lru_cache(maxsize=1024)  # a page's policy depends on its path's kind only
def _security_headers(path: str) -> dict[str, str]:
    return security_headers(path)


def init_app(app: Flask) -> None:
    """Register the two hooks around Flask-CORS's: call after CORS is set up."""
    app.after_request_funcs.setdefault(None, []).insert(0, finish_identity)
    app.after_request(finish_representation)
