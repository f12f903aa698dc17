"""Blueprints for the collections that are a plain list and a detail by id."""

from marshmallow import Schema

from api.http.framework import Blueprint
from api.presentation.dumping import dumper, json_response
from api.presentation.pages import LINK_HEADER_DOC, LIST_MEDIA_TYPES, as_json, page_response
from api.queries.catalog import Catalog
from schemas.queries import EmptyQuerySchema


def id_parameter(description: str, example: str) -> dict:
    """Documents the `id` path parameter; its schema comes from the slug converter."""
    return {"in": "path", "name": "id", "description": description, "example": example}


def collection_blueprint(
    *,
    name: str,
    catalog: Catalog,
    item_schema: type[Schema],
    page_schema: type[Schema],
    query_schema: type[Schema],
    description: str,
    example_id: str,
) -> Blueprint:
    """`GET /v1/{name}` (filtered, paginated) and `GET /v1/{name}/{id}`."""
    blueprint = Blueprint(name, __name__, url_prefix=f"/v1/{name}", description=description)
    kind = catalog.kind
    plural = name.capitalize()

    @blueprint.route("", methods=["GET"], produces=LIST_MEDIA_TYPES)
    @blueprint.doc(operationId=f"list{plural}", summary=f"List {name}")
    @blueprint.arguments(query_schema, location="query", as_kwargs=False)
    @blueprint.response(200, page_schema, headers=LINK_HEADER_DOC)
    def list_records(arguments: dict):
        return page_response(catalog.list(arguments, as_json=as_json(item_schema)), item_schema)

    @blueprint.route(
        "/<slug:id>", methods=["GET"], parameters=[id_parameter(f"Id of the {kind}.", example_id)]
    )
    @blueprint.doc(operationId=f"get{kind.capitalize()}", summary=f"Get one {kind}")
    @blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
    @blueprint.response(200, item_schema)
    @blueprint.alt_response(404, response="NOT_FOUND")
    def get_record(_arguments: dict, id: str):
        return json_response(dumper(item_schema)(catalog.get(id)))

    return blueprint
