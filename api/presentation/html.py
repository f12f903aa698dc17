"""HTML for people: Jinja templates (autoescaped) rendered into responses, and their helpers."""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from http import HTTPStatus
from urllib.parse import quote_plus, urlencode

from flask import Flask, Response, current_app, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from api.errors import DomainError
from api.http.negotiation import HTML
from api.http.problems import domain_error_response, http_error_response
from schemas.vocabularies import VOCABULARIES

JSON_TYPES = ("application/problem+json", "application/json")
# Paths whose errors are for programs whatever they accept: the API and its documentation.
MACHINE_PREFIXES = ("/v1", "/docs", "/healthz", "/readyz", "/oembed")
SHORT_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def render(template: str, status: int = 200, **context) -> Response:
    return current_app.response_class(
        render_template(template, **context), status=status, mimetype=HTML
    )


def wants_json() -> bool:
    """Whether the client prefers JSON to HTML; no Accept header means HTML."""
    accept = request.headers.get("Accept")
    if not accept:
        return False
    return parse_accept_header(accept, MIMEAccept).best_match((HTML, *JSON_TYPES)) != HTML


def asks_for_html() -> bool:
    """Whether the client prefers HTML to JSON, as a browser does; no Accept means JSON."""
    accept = request.headers.get("Accept")
    if not accept:
        return False
    return parse_accept_header(accept, MIMEAccept).best_match((*JSON_TYPES, HTML)) == HTML


def error_page(error: DomainError, template: str = "error.html") -> Response:
    """A page's error (no record, a bad parameter): HTML, or problem+json for JSON clients."""
    if wants_json():
        return domain_error_response(error)
    status = int(error.status)
    return render(
        template,
        status=status,
        title=f"{status} {HTTPStatus(status).phrase}",
        detail=error.detail,
        errors=error.errors or [],
    )


def not_found_page(error: HTTPException) -> Response:
    """No route: a page for a browser outside the API, else the API's problem."""
    if request.path.startswith(MACHINE_PREFIXES) or not asks_for_html():
        return http_error_response(error)
    return render(
        "error.html",
        status=404,
        title="404 Not Found",
        detail="There is no page at this address.",
        errors=[],
    )


def absolute(path: str) -> str:
    """The URL of one of our paths, on the host the request came to."""
    return request.host_url.rstrip("/") + path


def url_with(
    path: str, parameters: Iterable[tuple[str, str]], changes: Mapping | None = None
) -> str:
    """`path` with the query `parameters`, each parameter named in `changes` replaced by its
    value there (a list repeats it; None removes it); a page link never keeps a cursor."""
    changed = {"cursor": None, **(changes or {})}
    kept = [(key, value) for key, value in parameters if key not in changed]
    for key, value in changed.items():
        if isinstance(value, list | tuple):
            kept += [(key, str(item)) for item in value]
        elif value is not None:
            kept.append((key, str(value)))
    query = urlencode(kept)
    return f"{path}?{query}" if query else path


def url_maker(
    path: str, parameters: Iterable[tuple[str, str]], names: Sequence[str]
) -> Callable[..., str]:
    """A function giving `url_with(path, parameters, dict(zip(names, values)))` for one value
    of each name: the rest of the query encoded once, for a facet's many links."""
    base = url_with(path, parameters, dict.fromkeys(names))
    joiner = "?" if base == path else "&"
    keys = [quote_plus(name) for name in names]

    def url(*values: object) -> str:
        pairs = (f"{key}={quote_plus(str(value))}" for key, value in zip(keys, values, strict=True))
        return base + joiner + "&".join(pairs)

    return url


def term(value: object) -> str:
    """A vocabulary term or topic as words: `partially_enjoined` is "Partially enjoined"."""
    text = str(value).replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def definition(vocabulary: str, value: str) -> str:
    return VOCABULARIES.get(vocabulary, {}).get(value, "")


def day(value: datetime.date | None) -> str:
    """A date as people write it: 30 Aug 2025."""
    if value is None:
        return "date unknown"
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"


def document_name(document) -> str:
    """How a document is named in a line: its type and number, else its title."""
    if document.get("number"):
        return f"{term(document['type'])} {document['number']}"
    return document["title"]


def document_citation(document, jurisdiction: str | None, permalink: str) -> str:
    """A line to cite a document by: name, title, where and when, and its permalink."""
    parts = [document_name(document)]
    if document.get("number"):
        parts.append(f"“{document['title']}”")
    where = ", ".join(part for part in (jurisdiction, _signed(document)) if part)
    return f"{', '.join(parts)} ({where}). {permalink}" if where else f"{parts[0]}. {permalink}"


def provision_citation(provision, document, permalink: str) -> str:
    label = provision.get("label") or f"Provision {provision['position']}"
    where = ", ".join(part for part in (document_name(document), _signed(document)) if part)
    return f"{label}, {where}. {permalink}"


def _signed(document) -> str | None:
    return f"signed {day(document['signed_on'])}" if document.get("signed_on") else None


def install(app: Flask) -> None:
    """Give the app's templates these helpers (once per app)."""
    app.jinja_env.filters.update(term=term, day=day)
    app.jinja_env.globals.update(
        definition=definition, url_with=url_with, document_name=document_name
    )
