"""Content negotiation: each operation lists the media types it can send.

A request whose `Accept` header admits none of them gets 406 (as problem+json) before the
view runs; otherwise the view asks `chosen_media_type()` which one to send.
"""

from flask import Flask, current_app, request
from werkzeug.datastructures import MIMEAccept
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


def best_media_type(accepted: MIMEAccept, offered: tuple[str, ...]) -> str:
    """The offered media type `accepted` prefers, the first offered when it has no preference."""
    return accepted.best_match(offered, default=offered[0]) or offered[0]


def acceptable(accept_header: str | None, accepted: MIMEAccept, offered: tuple[str, ...]) -> bool:
    """Whether any offered media type may be sent: always, when no `Accept` was sent."""
    return not accept_header or accepted.best_match(offered) is not None


def chosen_media_type() -> str:
    return best_media_type(request.accept_mimetypes, offered_media_types() or (JSON,))


def refuse_unacceptable() -> None:
    offered = offered_media_types()
    if offered is None:
        return
    if not acceptable(request.headers.get("Accept"), request.accept_mimetypes, offered):
        raise NotAcceptable(f"This resource can be sent as: {', '.join(offered)}.")


def varies_on_accept(offered: tuple[str, ...] | None) -> bool:
    return offered is not None and len(offered) > 1


def vary_on_accept(response):
    if varies_on_accept(offered_media_types()):
        response.vary.add("Accept")
    return response


def init_app(app: Flask) -> None:
    app.before_request(refuse_unacceptable)
    app.after_request(vary_on_accept)
