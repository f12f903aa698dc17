"""/v1 index and /v1/vocabularies: where to start, and what each term means."""

from flask import current_app

from api.collections import COLLECTIONS
from api.http.framework import Blueprint
from schemas.queries import EmptyQuerySchema
from schemas.responses import IndexSchema, VocabularyListSchema
from schemas.vocabularies import VOCABULARIES

blueprint = Blueprint("reference", __name__, url_prefix="/v1", description="Start here.")


@blueprint.route("", methods=["GET"])
@blueprint.doc(operationId="getIndex")
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, IndexSchema)
def index(_arguments: dict):
    """Links to every collection and to the documentation"""
    links = {collection.name: collection.url for collection in COLLECTIONS}
    links |= {
        "search": "/v1/search?q=",
        "timeline": "/v1/timeline",
        "changes": "/v1/changes",
        "documents_feed": "/v1/documents.atom",
        "dataset": "/v1/export/dataset.zip",
        "vocabularies": "/v1/vocabularies",
        "openapi": "/v1/openapi.json",
        "docs": "/docs",
    }
    return {
        "name": current_app.config["API_TITLE"],
        "version": current_app.config["API_VERSION"],
        "description": "Government policy documents and each of their provisions, "
        "as typed, sourced records.",
        "links": links,
    }


@blueprint.route("/vocabularies", methods=["GET"])
@blueprint.doc(operationId="listVocabularies")
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, VocabularyListSchema)
def list_vocabularies(_arguments: dict):
    """Every controlled vocabulary, each term with its definition"""
    return {
        "data": [
            {"name": name, "terms": [{"term": t, "definition": d} for t, d in terms.items()]}
            for name, terms in VOCABULARIES.items()
        ]
    }
