"""/v1/statements: what officials said about the documents, quoted verbatim."""

from api.collections import BY_NAME
from api.http.framework import Blueprint
from api.presentation.json_body import json_response
from api.presentation.pages import LINK_HEADER_DOC, LIST_MEDIA_TYPES, as_json, page_response
from api.queries.directory import STATEMENTS
from api.routes.parameters import id_parameter
from schemas.dumping import dumper
from schemas.queries import EmptyQuerySchema

COLLECTION = BY_NAME["statements"]
blueprint = Blueprint(
    "statements", __name__, url_prefix=COLLECTION.url, description=COLLECTION.description
)


@blueprint.route("", methods=["GET"], produces=LIST_MEDIA_TYPES)
@blueprint.doc(operationId="listStatements", summary="List statements")
@blueprint.arguments(COLLECTION.query_schema, location="query", as_kwargs=False)
@blueprint.response(200, COLLECTION.page_schema, headers=LINK_HEADER_DOC)
def list_statements(arguments: dict):
    schema = COLLECTION.record_schema
    return page_response(STATEMENTS.list(arguments, as_json=as_json(schema)), schema)


@blueprint.route("/<slug:id>", methods=["GET"], parameters=[id_parameter(COLLECTION)])
@blueprint.doc(operationId="getStatement", summary="Get one statement")
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, COLLECTION.record_schema)
@blueprint.alt_response(404, response="NOT_FOUND")
def get_statement(_arguments: dict, id: str):
    return json_response(dumper(COLLECTION.record_schema)(STATEMENTS.get(id)))
