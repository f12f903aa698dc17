"""/v1/provisions: every provision of every document, each addressable on its own."""

from api.collections import BY_NAME
from api.http.framework import Blueprint
from api.http.negotiation import JSON, JSON_LD, chosen_media_type
from api.presentation.json_body import json_response
from api.presentation.linked_data import linked_data_response
from api.presentation.pages import (
    LINK_HEADER_DOC,
    LINKED_LIST_ALTERNATES,
    LINKED_LIST_MEDIA_TYPES,
    as_json,
    page_response,
)
from api.queries import documents
from api.routes.documents import linked_provisions
from api.routes.parameters import id_parameter
from schemas.dumping import dumper
from schemas.queries import EmptyQuerySchema, ProvisionQuerySchema
from schemas.records import ProvisionSchema
from schemas.responses import ProvisionPageSchema

blueprint = Blueprint(
    "provisions",
    __name__,
    url_prefix="/v1/provisions",
    description="Provisions: what each document affirms, directs, urges, prohibits…, and to whom.",
)


@blueprint.route(
    "", methods=["GET"], produces=LINKED_LIST_MEDIA_TYPES, alternates=LINKED_LIST_ALTERNATES
)
@blueprint.doc(operationId="listProvisions")
@blueprint.arguments(ProvisionQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, ProvisionPageSchema, headers=LINK_HEADER_DOC)
def list_provisions(arguments: dict):
    """List provisions"""
    page = documents.list_provisions(arguments, as_json=as_json(ProvisionSchema))
    return page_response(page, ProvisionSchema, linked_provisions)


@blueprint.route(
    "/<slug:id>",
    methods=["GET"],
    parameters=[id_parameter(BY_NAME["provisions"])],
    produces=(JSON, JSON_LD),
)
@blueprint.doc(operationId="getProvision")
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, ProvisionSchema)
@blueprint.alt_response(404, response="NOT_FOUND")
def get_provision(_arguments: dict, id: str):
    """Get one provision"""
    provision = documents.get_provision(id)
    if chosen_media_type() == JSON_LD:
        return linked_data_response(linked_provisions([provision]), single=True)
    return json_response(dumper(ProvisionSchema)(provision))
