"""Turn a page of records into the list envelope (or CSV, or JSON-LD) and its `Link` header."""

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Response, request
from marshmallow import Schema

from api.http.negotiation import CSV, JSON, JSON_LD, chosen_media_type
from api.presentation.json_body import json_response
from api.presentation.linked_data import linked_data_response
from api.presentation.tabular import csv_response
from api.queries.pagination import Page
from schemas.dumping import dump_all, to_json
from schemas.linked_data import LinkedDataGraphSchema

LINK_HEADER_DOC = {
    "Link": {
        "description": 'The next page, as `<url>; rel="next"`; absent on the last page.',
        "schema": {"type": "string"},
    }
}
LIST_MEDIA_TYPES = (JSON, CSV)
LINKED_LIST_MEDIA_TYPES = (JSON, JSON_LD, CSV)
# A list's JSON-LD is an `@graph` of its records (Blueprint.route's `alternates`).
LINKED_LIST_ALTERNATES = {JSON_LD: LinkedDataGraphSchema}


def page_response(
    page: Page,
    item_schema: type[Schema],
    linked_data: Callable[[list], list[dict]] | None = None,
):
    """The page as JSON, CSV or (given `linked_data`) JSON-LD, as the client accepts."""
    links = {"self": _url_with(request.args.items(multi=True))}
    headers = {}
    if page.next_cursor:
        arguments = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
        links["next"] = _url_with([*arguments, ("cursor", page.next_cursor)])
        headers["Link"] = f'<{links["next"]}>; rel="next"'
    if page.rendered:
        return Response(_envelope(page, links), mimetype=JSON, headers=headers)
    media_type = chosen_media_type()
    if media_type == CSV:
        return csv_response(page.items, item_schema(), headers)
    if media_type == JSON_LD and linked_data is not None:
        return linked_data_response(linked_data(page.items), single=False, headers=headers)
    body = {"data": dump_all(item_schema, page.items), "links": links}
    if page.facets is not None:
        body = {"facets": page.facets, **body}
    return json_response({**body, **(page.meta or {})}, headers)


def as_json(item_schema: type[Schema]) -> type[Schema] | None:
    """The schema to ask a catalog for JSON items with, when JSON is what the client gets."""
    return item_schema if chosen_media_type() == JSON else None


def _envelope(page: Page, links: dict) -> str:
    """The JSON list envelope around items already written as JSON, in the usual order."""
    head = to_json({"facets": page.facets} if page.facets is not None else {})[1:-1]
    data = '"data":[' + ",".join(page.items) + "]"
    tail = to_json({"links": links, **(page.meta or {})})[1:-1]
    return "{" + ",".join(part for part in (head, data, tail) if part) + "}"


def _url_with(arguments) -> str:
    query = urlencode(list(arguments))
    return f"{request.path}?{query}" if query else request.path
