"""/v1/actors: people, offices, agencies, courts and the groups provisions address."""

from api.collections import BY_NAME
from api.http.framework import Blueprint
from api.presentation.json_body import json_response
from api.presentation.pages import LINK_HEADER_DOC, LIST_MEDIA_TYPES, as_json, page_response
from api.queries.directory import ACTORS
from api.routes.parameters import id_parameter
from schemas.dumping import dumper
from schemas.queries import EmptyQuerySchema

COLLECTION = BY_NAME["actors"]
blueprint = Blueprint(
    "actors", __name__, url_prefix=COLLECTION.url, description=COLLECTION.description
)


@blueprint.route("", methods=["GET"], produces=LIST_MEDIA_TYPES)
@blueprint.doc(operationId="listActors", summary="List actors")
@blueprint.arguments(COLLECTION.query_schema, location="query", as_kwargs=False)
@blueprint.response(200, COLLECTION.page_schema, headers=LINK_HEADER_DOC)
def list_actors(arguments: dict):
    schema = COLLECTION.record_schema
    return page_response(ACTORS.list(arguments, as_json=as_json(schema)), schema)


@blueprint.route("/<slug:id>", methods=["GET"], parameters=[id_parameter(COLLECTION)])
@blueprint.doc(operationId="getActor", summary="Get one actor")
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, COLLECTION.record_schema)
@blueprint.alt_response(404, response="NOT_FOUND")
def get_actor(_arguments: dict, id: str):
    return json_response(dumper(COLLECTION.record_schema)(ACTORS.get(id)))
