"""/v1/export: whole collections as NDJSON, and the whole dataset as a ZIP."""

from flask import Response, send_file, stream_with_context

from api.collections import NAMES
from api.http.framework import Blueprint
from api.http.negotiation import NDJSON, ZIP
from api.services import exports
from schemas.queries import EmptyQuerySchema

blueprint = Blueprint(
    "exports",
    __name__,
    url_prefix="/v1/export",
    description="Bulk downloads, instead of crawling page by page.",
)
VERSION_HEADER = {
    "X-Dataset-Version": {
        "description": "Version of the dataset exported: a hash of every record's content.",
        "schema": {"type": "string"},
    }
}
COLLECTION_PARAMETER = {
    "in": "path",
    "name": "collection",
    "description": "The collection to export.",
    "schema": {"type": "string", "enum": list(NAMES)},
}


@blueprint.route(
    "/<any(" + ", ".join(NAMES) + "):collection>.ndjson",
    methods=["GET"],
    parameters=[COLLECTION_PARAMETER],
    produces=(NDJSON,),
)
@blueprint.doc(
    operationId="exportCollection",
    responses={
        "200": {
            "description": "Every record of the collection, one JSON object per line, by id.",
            "headers": VERSION_HEADER,
            "content": {NDJSON: {"schema": {"type": "string"}}},
        }
    },
)
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
def export_collection(_arguments: dict, collection: str):
    """Download a whole collection as newline-delimited JSON"""
    headers = {
        "X-Dataset-Version": exports.dataset_version(),
        "Content-Disposition": f'attachment; filename="{collection}.ndjson"',
    }
    body = stream_with_context(exports.ndjson_lines(collection))
    return Response(body, mimetype=NDJSON, headers=headers)


@blueprint.route("/dataset.zip", methods=["GET"], produces=(ZIP,))
@blueprint.doc(
    operationId="exportDataset",
    responses={
        "200": {
            "description": "Every collection as NDJSON, with manifest.json giving the dataset "
            "version and each file's record count and SHA-256.",
            "headers": VERSION_HEADER,
            "content": {ZIP: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
def export_dataset(_arguments: dict):
    """Download the whole dataset as a ZIP of NDJSON files with a manifest"""
    response = send_file(
        exports.dataset_zip(), mimetype=ZIP, as_attachment=True, download_name="dataset.zip"
    )
    response.headers["X-Dataset-Version"] = exports.dataset_version()
    return response
