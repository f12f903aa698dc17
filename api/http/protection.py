"""What every request goes through: CORS, rate limits, size limits and security headers."""

from flask import Flask, current_app, request
from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, RequestURITooLarge

from api.http import rate_limit_storage  # noqa: F401  (registers sqlite://, locked-memory://)
from api.http.rate_limit_headers import header_writer

PROBES = ("/healthz", "/readyz")

EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Retry-After",
    "X-Request-ID",
    "X-Dataset-Version",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]
# The docs page runs Swagger UI from this server: its own scripts, one inline start-up script,
# inline styles and data: images. Everything else gets nothing at all.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The HTML pages: our own stylesheet, forms sent to ourselves, no script, never framed.
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
# Embeddable cards: framed by any site, their one inline stylesheet, no script, nothing loaded.
EMBED_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *; base-uri 'none'; "
    "form-action 'none'"
)
# Paths answered for programs (JSON, problems): the API's policy. The docs have their own,
# the embeds theirs, and everything else is an HTML page (or its 404).
API_PREFIXES = ("/v1", "/healthz", "/readyz", "/oembed")
# What Flask-CORS serves: patterns it matches (re.match) against the unquoted path.
CORS_RESOURCES = (r"/v1/*", r"/healthz", r"/readyz")


def refuse_oversized_requests() -> None:
    """Bodies and query strings are checked before anything reads or parses them."""
    if len(request.query_string) > current_app.config["MAX_QUERY_STRING_LENGTH"]:
        raise RequestURITooLarge(
            f"The query string is longer than {current_app.config['MAX_QUERY_STRING_LENGTH']} "
            "bytes."
        )
    length = request.content_length
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if (length or 0) > current_app.config["MAX_CONTENT_LENGTH"]:
        raise RequestEntityTooLarge(
            f"The request body is larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes."
        )
    if (length or chunked) and request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        raise BadRequest("This operation takes no request body.")


def security_headers(path: str) -> dict[str, str]:
    return {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": _policy(path),
    }


def _policy(path: str) -> str:
    if path == "/docs" or path.startswith("/docs/"):
        return DOCS_POLICY
    if path.startswith("/embed/"):
        return EMBED_POLICY
    if path.startswith(API_PREFIXES):
        return API_POLICY
    return PAGE_POLICY


def cors_headers() -> dict[str, str]:
    """What flask-cors (configured below) adds to every response of the API, for answers
    made without it (see caching.NotModifiedShortcut)."""
    return {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": ", ".join(sorted(EXPOSED_HEADERS)),
    }


def init_app(app: Flask) -> None:
    app.before_request(refuse_oversized_requests)
    CORS(
        app,
        resources={pattern: {} for pattern in CORS_RESOURCES},
        origins="*",
        send_wildcard=True,
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=EXPOSED_HEADERS,
        supports_credentials=False,
        max_age=86400,
    )
    # One limiter per app: its storage and settings must not leak between apps. The limit is
    # one budget per client across every operation (not one per operation).
    limiter = Limiter(
        get_remote_address,
        app=app,
        application_limits=[app.config["RATELIMIT_DEFAULT"]],
        application_limits_exempt_when=lambda: request.path in PROBES,
        headers_enabled=False,  # written by header_writer, for the binding window
    )
    # Called by api.http.finishing, where every response gets its headers.
    app.extensions["rate_limit_headers"] = (
        header_writer(limiter, app.config["RATELIMIT_DEFAULT"]) if limiter.enabled else None
    )
