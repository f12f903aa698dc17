"""Query strings are parsed once (api.http.framework.StrictQueryParser): each request still
gets arguments of its own, equal to a fresh parse, and bad ones are refused every time."""

import pytest
from webargs.flaskparser import FlaskParser

from api.http.framework import Blueprint
from schemas.queries import ProvisionQuerySchema
from tests.conftest import assert_problem

QUERY = "modality=directs&modality=urges&binding=false&limit=5"
SCHEMA = ProvisionQuerySchema()


def parse(app, query: str) -> dict:
    with app.test_request_context(f"/v1/provisions?{query}"):
        return Blueprint.ARGUMENTS_PARSER.parse(SCHEMA, location="query", unknown="raise")


def test_a_query_string_parsed_again_gives_equal_arguments_of_its_own(seeded_app):
    first = parse(seeded_app, QUERY)
    first["modality"].append("prohibits")
    first["limit"] = 99
    again = parse(seeded_app, QUERY)
    with seeded_app.test_request_context(f"/v1/provisions?{QUERY}"):
        fresh = FlaskParser.parse(
            Blueprint.ARGUMENTS_PARSER, SCHEMA, location="query", unknown="raise"
        )
    assert again == fresh
    assert again["modality"] == ["directs", "urges"] and again["limit"] == 5


@pytest.mark.parametrize("query", ["limit=1000", "modality=nothing", "nope=1"])
def test_a_bad_query_string_is_refused_every_time(client, query):
    for _ in range(2):
        assert_problem(client.get(f"/v1/provisions?{query}"), 400)
