"""/v1/documents.atom: new and changed documents, for feed readers."""

from flask import Response

from api.http.framework import Blueprint
from api.http.negotiation import ATOM
from api.presentation.feeds import documents_feed
from api.queries import documents
from schemas.queries import EmptyQuerySchema

blueprint = Blueprint("feeds", __name__, url_prefix="/v1", description="Atom feeds.")


@blueprint.route("/documents.atom", methods=["GET"], produces=(ATOM,))
@blueprint.doc(
    operationId="getDocumentsFeed",
    responses={
        "200": {
            "description": "An Atom 1.0 feed of the 50 documents most recently created or "
            "changed, newest first. Each entry is `published` on its document's signing date "
            "(else its publication date) at 00:00Z, and `updated` when its record last changed.",
            "content": {ATOM: {"schema": {"type": "string"}}},
        }
    },
)
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
def get_documents_feed(_arguments: dict):
    """Atom feed of new and changed documents"""
    latest, changed_at = documents.recently_changed()
    return Response(documents_feed(latest, changed_at), mimetype=ATOM)
