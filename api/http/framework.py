"""Thin subclasses of flask-smorest and webargs: our customisation points, kept in one place."""

import threading
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import flask
import marshmallow as ma
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.utils import prepare_response
from sqlalchemy.exc import DBAPIError
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from api.http.negotiation import CSV, JSON, JSON_LD
from api.http.problems import (
    PROBLEM_MEDIA_TYPE,
    DomainError,
    database_error_response,
    domain_error_response,
    http_error_response,
)
from api.storage.database import DatabaseUnavailable
from schemas.linked_data import LinkedDataRecordSchema
from schemas.problems import ProblemSchema

ALTERNATE_SCHEMAS = {
    CSV: {
        "type": "string",
        "description": "The page as CSV: a header row, then one row per item. The columns are "
        "the JSON fields in order; a list of ids or terms is joined with `; `, each link is a "
        "`links.<name>` column, nested objects are JSON, and null is an empty cell.",
    },
    # One record's; a list's is an `@graph` (api.presentation.pages.LINKED_LIST_ALTERNATES).
    JSON_LD: LinkedDataRecordSchema,
}
# Every GET is conditional (api.http.caching): its 200 has an ETag, and If-None-Match gets a 304.
ETAG_HEADER = {
    "description": "A strong tag of this representation: send it as `If-None-Match` to get "
    "`304 Not Modified` while it is current.",
    "schema": {"type": "string"},
}
IF_NONE_MATCH_PARAMETER = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The `ETag` of a representation the client has: if it is still current, "
    "the answer is `304 Not Modified`, with no body.",
    "schema": {"type": "string"},
}


class StrictQueryParser(FlaskParser):
    """Reject unknown query parameters with 400 instead of dropping them silently; and parse
    a query string once.

    What a query schema loads depends on the query string alone (no query schema reads the
    app, the request or the clock), and loading it cost a tenth of a list request: the
    arguments of the last QUERY_MEMO query strings are kept per schema, and each request gets
    its own copy. A query string seen for the first time (a new cursor) is parsed as before.
    """

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE}
    QUERY_MEMO = 4096

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._parsed: dict[tuple, dict] = {}
        self._lock = threading.Lock()

    def parse(self, argmap, req=None, *, location=None, **options):
        if location != "query" or not isinstance(argmap, ma.Schema) or req is not None:
            return super().parse(argmap, req, location=location, **options)
        key = (id(argmap), options.get("unknown"), flask.request.query_string)
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed = super().parse(argmap, location=location, **options)
            with self._lock:
                if len(self._parsed) >= self.QUERY_MEMO:
                    self._parsed.pop(next(iter(self._parsed)))
                self._parsed[key] = parsed
        return {name: _copied(value) for name, value in parsed.items()}


def _copied(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


# Beyond its own: unacceptable Accept, oversized request, rate limit, database unavailable.
EVERY_OPERATION_MAY_RETURN = (406, 413, 414, 429, 503)


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictQueryParser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._order_media_types)

    def route(
        self,
        rule,
        *,
        produces: tuple[str, ...] = (JSON,),
        alternates: Mapping[str, Any] | None = None,
        **options,
    ):
        """Register a view that can send `produces` (the first is the default), and say so
        in the spec: every media type for its 200 response (with the schema `alternates`
        gives, else ALTERNATE_SCHEMAS's), and 406 for anything else."""
        register = super().route(rule, **options)
        schemas = {**ALTERNATE_SCHEMAS, **(alternates or {})}

        def decorator(view):
            for media_type in produces[1:]:
                view = self.alt_response(
                    200, schema=schemas[media_type], content_type=media_type, success=True
                )(view)
            for status in EVERY_OPERATION_MAY_RETURN:
                view = self.alt_response(status, response=HTTPStatus(status).name)(view)
            view.produces = produces
            view._apidoc["produces"] = produces
            return register(view)

        return decorator

    @staticmethod
    def _order_media_types(doc: dict, doc_info: dict, **_kwargs) -> dict:
        """List a response's media types in `produces` order, the default first: generated
        clients type a response by its first media type (flask-smorest lists the last added
        first, which put CSV or JSON-LD before JSON)."""
        rank = {media_type: i for i, media_type in enumerate(doc_info.get("produces", ()))}
        for status in doc_info.get("success_status_codes", []):
            response = doc["responses"][status]
            content = response.get("content", {})
            order = sorted(content, key=lambda media_type: rank.get(media_type, len(rank)))
            response["content"] = {media_type: content[media_type] for media_type in order}
        return doc

    def arguments(self, schema, *args, **kwargs):
        """As flask-smorest's, but with one schema instance for every request: given a class,
        webargs would build a new instance (deep-copying each field) on every request."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)


class OpenRecordConverter(OpenAPIConverter):
    """Records may gain fields within v1 (additive changes only), so no schema is closed."""

    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        jsonschema.pop("additionalProperties", None)
        return jsonschema


class RecordsPlugin(MarshmallowPlugin):
    Converter = OpenRecordConverter


class ConditionalGetPlugin(BasePlugin):
    """Every GET is conditional (api.http.caching), so its operation documents If-None-Match,
    the ETag of its 200 and the 304; a plugin, to see the responses a view documents by hand."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        operation = (operations or {}).get("get")
        if operation is None:
            return
        operation.setdefault("parameters", []).append("IF_NONE_MATCH")
        responses = operation["responses"]
        for status, response in responses.items():
            if str(status) == "200":
                response.setdefault("headers", {})["ETag"] = "ETAG"
        responses[HTTPStatus.NOT_MODIFIED.value] = HTTPStatus.NOT_MODIFIED.name


class Api(SmorestApi):
    """flask-smorest's Api answering every error as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, **kwargs):
        spec_kwargs = kwargs.setdefault("spec_kwargs", {})
        spec_kwargs.setdefault("marshmallow_plugin", RecordsPlugin())
        spec_kwargs.setdefault("extra_plugins", [ConditionalGetPlugin()])
        super().__init__(app, **kwargs)

    def _register_error_handlers(self):
        self._app.register_error_handler(HTTPException, self.handle_http_exception)
        self._app.register_error_handler(DomainError, domain_error_response)
        self._app.register_error_handler(DatabaseUnavailable, database_error_response)
        self._app.register_error_handler(DBAPIError, database_error_response)

    def handle_http_exception(self, error: HTTPException):
        return http_error_response(error)

    def _register_pagination_header(self):
        """Pagination is by cursor (api.queries.pagination): the page header is unused."""

    def _register_etag_headers(self):
        """Registered by `_register_responses`, as 304 refers to the ETag header."""

    def _register_responses(self):
        """Document each HTTP status, and the default error, as a problem+json response."""
        self.spec.components.header("ETAG", ETAG_HEADER, lazy=True)
        self.spec.components.parameter(
            "IF_NONE_MATCH", "header", IF_NONE_MATCH_PARAMETER, lazy=True
        )
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            if status == HTTPStatus.NOT_MODIFIED:
                response["headers"] = {"ETag": "ETAG"}
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem details.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
