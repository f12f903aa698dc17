"""Query strings of the HTML pages and embeds, read with the API's own query schemas.

A page ignores parameters it does not know (links shared on the web gather tracking
parameters, and a person should not get an error for them); a known parameter with a bad
value is refused with a 400 page naming it, as the API would.
"""

import re
from collections.abc import Iterable

import marshmallow as ma
from flask import request
from webargs.flaskparser import FlaskParser

from api.errors import INVALID_PARAMETERS, DomainError, NotFound
from schemas.fields import SLUG_MAX_LENGTH, SLUG_PATTERN
from schemas.vocabularies import MODALITIES


class BadParameters(DomainError):
    """A page's query string has a value it cannot take."""

    type = INVALID_PARAMETERS

    def __init__(self, errors: list[dict]):
        names = ", ".join(sorted({error["name"] for error in errors}))
        super().__init__(f"Invalid request parameter(s): {names}.", errors)


class PageParser(FlaskParser):
    """webargs' Flask parser, dropping unknown parameters and raising BadParameters."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.EXCLUDE}

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise BadParameters(list(_errors(error.messages)))


PARSER = PageParser()
_SCHEMAS: dict[type, ma.Schema] = {}


def page_arguments(schema: type[ma.Schema], *, drop: Iterable[str] = ()) -> dict:
    """The query string read with `schema`, without the parameters named in `drop`."""
    instance = _instance(schema)
    dropped = set(drop)
    arguments = PARSER.parse(instance, request, location="query")
    return {key: value for key, value in arguments.items() if key not in dropped}


def known_parameters(schema: type[ma.Schema], *, drop: Iterable[str] = ()) -> list:
    """The query string's (name, value) pairs that `schema` knows: what the API also takes."""
    instance = _instance(schema)
    names = {field.data_key or name for name, field in instance.fields.items()} - set(drop)
    return [(key, value) for key, value in request.args.items(multi=True) if key in names]


def _instance(schema: type[ma.Schema]) -> ma.Schema:
    """One instance per schema: making one copies every field (setdefault would make it anyway)."""
    if schema not in _SCHEMAS:
        _SCHEMAS[schema] = schema()
    return _SCHEMAS[schema]


def record_id(kind: str, value: str) -> str:
    """A path id, if it is a well-formed one; otherwise no record has it."""
    if len(value) > SLUG_MAX_LENGTH or not re.fullmatch(SLUG_PATTERN, value):
        raise NotFound(kind, value)
    return value


def _errors(messages: dict):
    """webargs' {'query': {'limit': [m]}} as {'in': 'query', 'name': 'limit', 'message': m}."""
    for location, fields in messages.items():
        for name, field_messages in fields.items():
            for message in _flattened(field_messages):
                yield {"in": location, "name": name, "message": message}


def _flattened(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [message for item in value.values() for message in _flattened(item)]
    if isinstance(value, list):
        return [message for item in value for message in _flattened(item)]
    return [str(value)]


class ActorPageQuerySchema(ma.Schema):
    """An actor's page: every kind of provision addressed to it, or one kind, page by page."""

    modality = ma.fields.String(validate=ma.validate.OneOf(list(MODALITIES)))
    cursor = ma.fields.String(load_default=None, validate=ma.validate.Length(max=1000))
