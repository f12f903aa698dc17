"""/v1/changes: the change log, to mirror the dataset incrementally."""

from urllib.parse import urlencode

from flask import request

from api.http.framework import Blueprint
from api.http.negotiation import CSV, chosen_media_type
from api.presentation.pages import LINK_HEADER_DOC, LIST_MEDIA_TYPES
from api.presentation.tabular import csv_response
from api.queries.changes import list_changes
from schemas.queries import ChangesQuerySchema
from schemas.responses import ChangeSchema, ChangesPageSchema

blueprint = Blueprint(
    "changes",
    __name__,
    url_prefix="/v1/changes",
    description="Every record created, updated or deleted, in order; deletions stay as tombstones.",
)


def _with_since(cursor: str) -> str:
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "since"]
    return f"{request.path}?{urlencode([*kept, ('since', cursor)])}"


@blueprint.route("", methods=["GET"], produces=LIST_MEDIA_TYPES)
@blueprint.doc(operationId="listChanges")
@blueprint.arguments(ChangesQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, ChangesPageSchema, headers=LINK_HEADER_DOC)
def changes(arguments: dict):
    """List changes to the data since a cursor or a moment, oldest first"""
    result = list_changes(arguments)
    query = urlencode(list(request.args.items(multi=True)))
    links = {"self": f"{request.path}?{query}" if query else request.path}
    headers = {}
    if result.page.next_cursor:
        links["next"] = _with_since(result.page.next_cursor)
        headers["Link"] = f'<{links["next"]}>; rel="next"'
    links["poll"] = _with_since(result.resume_cursor)
    if chosen_media_type() == CSV:
        return csv_response(result.page.items, ChangeSchema(), headers)
    return {"data": result.page.items, "links": links}, headers
