"""Content negotiation: each operation lists the media types it can send.

A request whose `Accept` header admits none of them gets 406 (as problem+json) before the
view runs; otherwise the view asks `chosen_media_type()` which one to send.
"""

import functools

from flask import Flask, current_app, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import parse_accept_header

JSON = "application/json"
CSV = "text/csv"
JSON_LD = "application/ld+json"
NDJSON = "application/x-ndjson"
ATOM = "application/atom+xml"
ZIP = "application/zip"
HTML = "text/html"  # the explorer's pages and cards (api.routes.pages, api.routes.embeds)


def offered_media_types() -> tuple[str, ...] | None:
    """The media types the current endpoint can send; None for endpoints outside the API."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "produces", None)


@functools.lru_cache(maxsize=512)  # clients send a few Accept headers, again and again
def negotiate(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered media type to send for this `Accept` header; None if it admits none.

    No `Accept` (or an empty one) admits anything: the first offered is sent.
    """
    if not accept:
        return offered[0]
    return parse_accept_header(accept, MIMEAccept).best_match(offered)


def chosen_media_type() -> str:
    offered = offered_media_types() or (JSON,)
    return negotiate(request.headers.get("Accept"), offered) or offered[0]


def refuse_unacceptable() -> None:
    offered = offered_media_types()
    if offered is not None and negotiate(request.headers.get("Accept"), offered) is None:
        raise NotAcceptable(f"This resource can be sent as: {', '.join(offered)}.")


def varies_on_accept(offered: tuple[str, ...] | None) -> bool:
    return offered is not None and len(offered) > 1


def init_app(app: Flask) -> None:
    app.before_request(refuse_unacceptable)
