"""/v1/documents: policy documents, each with its provisions."""

from flask import Response

from api.collections import BY_NAME
from api.http.framework import Blueprint
from api.http.negotiation import JSON, JSON_LD, chosen_media_type
from api.presentation.json_body import json_response
from api.presentation.linked_data import document_nodes, linked_data_response, provision_nodes
from api.presentation.pages import (
    LINK_HEADER_DOC,
    LINKED_LIST_ALTERNATES,
    LINKED_LIST_MEDIA_TYPES,
    as_json,
    page_response,
)
from api.queries import documents, linked_records
from api.routes.parameters import id_parameter
from schemas.dumping import dumper
from schemas.queries import (
    DocumentDetailQuerySchema,
    DocumentProvisionQuerySchema,
    DocumentQuerySchema,
)
from schemas.records import DocumentDetailSchema, DocumentSchema, ProvisionSchema
from schemas.responses import DocumentPageSchema, ProvisionPageSchema

blueprint = Blueprint(
    "documents",
    __name__,
    url_prefix="/v1/documents",
    description="Policy documents: executive orders, memoranda, court orders.",
)
DOCUMENT_ID = id_parameter(BY_NAME["documents"])


def linked_documents(items: list) -> list[dict]:
    """Documents as JSON-LD nodes, with the issuers and jurisdictions they name."""
    return document_nodes(items, linked_records.document_names(items))


def linked_provisions(items: list) -> list[dict]:
    """Provisions as JSON-LD nodes, with their documents' statuses."""
    return provision_nodes(items, linked_records.document_statuses(items))


@blueprint.route(
    "", methods=["GET"], produces=LINKED_LIST_MEDIA_TYPES, alternates=LINKED_LIST_ALTERNATES
)
@blueprint.doc(operationId="listDocuments")
@blueprint.arguments(DocumentQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, DocumentPageSchema, headers=LINK_HEADER_DOC)
def list_documents(arguments: dict):
    """List documents"""
    return page_response(documents.list_documents(arguments), DocumentSchema, linked_documents)


@blueprint.route("/<slug:id>", methods=["GET"], parameters=[DOCUMENT_ID], produces=(JSON, JSON_LD))
@blueprint.doc(operationId="getDocument")
@blueprint.arguments(DocumentDetailQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, DocumentDetailSchema)
@blueprint.alt_response(404, response="NOT_FOUND")
def get_document(arguments: dict, id: str):
    """Get one document, optionally with its provisions as a tree"""
    if chosen_media_type() == JSON and arguments.get("as_of") is None:
        body = documents.document_json(id, arguments["include"])
        if body is not None:  # else the database cannot write it: dumped in Python below
            return Response(body, mimetype=JSON)
    document = documents.get_document(id, arguments["include"], arguments.get("as_of"))
    if chosen_media_type() == JSON_LD:
        return linked_data_response(linked_documents([document]), single=True)
    return json_response(dumper(DocumentDetailSchema)(document))


@blueprint.route(
    "/<slug:id>/provisions",
    methods=["GET"],
    parameters=[DOCUMENT_ID],
    produces=LINKED_LIST_MEDIA_TYPES,
    alternates=LINKED_LIST_ALTERNATES,
)
@blueprint.doc(operationId="listDocumentProvisions")
@blueprint.arguments(DocumentProvisionQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, ProvisionPageSchema, headers=LINK_HEADER_DOC)
@blueprint.alt_response(404, response="NOT_FOUND")
def list_document_provisions(arguments: dict, id: str):
    """List the provisions of one document, in order"""
    page = documents.list_document_provisions(id, arguments, as_json=as_json(ProvisionSchema))
    return page_response(page, ProvisionSchema, linked_provisions)
