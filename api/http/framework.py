"""Thin subclasses of flask-smorest and webargs: our customisation points, kept in one place."""

from http import HTTPStatus

import marshmallow as ma
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
from schemas.problems import ProblemSchema

ALTERNATE_SCHEMAS = {
    CSV: {
        "type": "string",
        "description": "The page as CSV: a header row, then one row per item. The columns are "
        "the JSON fields in order; a list of ids or terms is joined with `; `, each link is a "
        "`links.<name>` column, nested objects are JSON, and null is an empty cell.",
    },
    JSON_LD: {
        "type": "object",
        "description": "schema.org `Legislation` as JSON-LD (a list is an `@graph`).",
    },
}


class StrictQueryParser(FlaskParser):
    """Reject unknown query parameters with 400 instead of dropping them silently."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE}


# Beyond its own: unacceptable Accept, oversized request, rate limit, database unavailable.
EVERY_OPERATION_MAY_RETURN = (406, 413, 414, 429, 503)


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictQueryParser()

    def route(self, rule, *, produces: tuple[str, ...] = (JSON,), **options):
        """Register a view that can send `produces` (the first is the default), and say so
        in the spec: every media type for its 200 response, and 406 for anything else."""
        register = super().route(rule, **options)

        def decorator(view):
            for media_type in produces[1:]:
                view = self.alt_response(
                    200,
                    schema=ALTERNATE_SCHEMAS[media_type],
                    content_type=media_type,
                    success=True,
                )(view)
            for status in EVERY_OPERATION_MAY_RETURN:
                view = self.alt_response(status, response=HTTPStatus(status).name)(view)
            view.produces = produces
            return register(view)

        return decorator

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


class Api(SmorestApi):
    """flask-smorest's Api answering every error as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, **kwargs):
        kwargs.setdefault("spec_kwargs", {}).setdefault("marshmallow_plugin", RecordsPlugin())
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

    def _register_responses(self):
        """Document each HTTP status, and the default error, as a problem+json response."""
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem details.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
