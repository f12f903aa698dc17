"""Content negotiation: each operation lists the media types it can send.

A request whose `Accept` header admits none of them gets 406 (as problem+json) before the
view runs; otherwise the view asks `chosen_media_type()` which one to send.
"""

from flask import Flask, current_app, request
from werkzeug.exceptions import NotAcceptable

JSON = "application/json"
CSV = "text/csv"
JSON_LD = "application/ld+json"
NDJSON = "application/x-ndjson"
ATOM = "application/atom+xml"
ZIP = "application/zip"


def offered_media_types() -> tuple[str, ...] | None:
    """The media types the current endpoint can send; None for endpoints outside the API."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "produces", None)


def chosen_media_type() -> str:
    offered = offered_media_types() or (JSON,)
    return request.accept_mimetypes.best_match(offered, default=offered[0]) or offered[0]


def refuse_unacceptable() -> None:
    offered = offered_media_types()
    if offered is None or not request.headers.get("Accept"):
        return
    if request.accept_mimetypes.best_match(offered) is None:
        raise NotAcceptable(f"This resource can be sent as: {', '.join(offered)}.")


def vary_on_accept(response):
    if offered_media_types() and len(offered_media_types()) > 1:
        response.vary.add("Accept")
    return response


def init_app(app: Flask) -> None:
    app.before_request(refuse_unacceptable)
    app.after_request(vary_on_accept)
