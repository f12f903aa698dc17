"""Every error is problem+json, names what was wrong, and no input gives a 500."""

import pytest

from tests.conftest import CHICAGO_ORDER, assert_problem


def test_unknown_route_is_404_problem(client):
    assert_problem(client.get("/v1/nothing-here"), 404)
    assert_problem(client.get("/no-such-page"), 404)


def test_wrong_method_is_405_problem_with_allow(client):
    response = client.delete(f"/v1/documents/{CHICAGO_ORDER}")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_unknown_query_parameter_is_named(client):
    body = assert_problem(client.get("/v1/provisions?modalty=urges"), 400)
    assert body["errors"] == [{"in": "query", "name": "modalty", "message": "Unknown field."}]
    assert "modalty" in body["detail"]


def test_operations_without_parameters_refuse_them_too(client):
    assert_problem(client.get("/v1/vocabularies?x=1"), 400)
    assert_problem(client.get(f"/v1/provisions/{CHICAGO_ORDER}.p1?include=all"), 400)


HOSTILE_IDS = [
    "with%00nul",
    "%00",
    "ctrl%01char",
    "a" * 10_000,
    "x" * 201,
    "UPPER",
    "sp%20ace",
    "%E2%80%AE",
    "..",
    "a..b",
    "'%3B--",
    "%F0%9F%92%A5",
]


@pytest.mark.parametrize("bad_id", HOSTILE_IDS)
@pytest.mark.parametrize(
    "collection",
    ["documents", "provisions", "actors", "jurisdictions", "sources", "statements", "relations"],
)
def test_hostile_path_ids_are_404_never_500(client, collection, bad_id):
    assert_problem(client.get(f"/v1/{collection}/{bad_id}"), 404)


@pytest.mark.parametrize(
    "parameter", ["document", "addressee", "actor", "topic", "parent", "modality"]
)
@pytest.mark.parametrize("value", ["with%00nul", "ctrl%07", "a" * 5_000, "%FF", "UPPER"])
def test_hostile_filter_values_are_400_naming_the_parameter(client, parameter, value):
    body = assert_problem(client.get(f"/v1/provisions?{parameter}={value}"), 400)
    assert {e["name"] for e in body["errors"]} == {parameter}


def test_an_overlong_query_string_is_414_problem(client):
    body = assert_problem(client.get("/v1/provisions?document=" + "a" * 10_000), 414)
    assert "8000" in body["detail"]


@pytest.mark.parametrize(
    "query",
    ["binding=maybe", "limit=1e3", "signed_from=yesterday", "sort=", "cursor=" + "x" * 2000],
)
def test_malformed_values_are_400(client, query):
    path = "/v1/documents" if "signed" in query else "/v1/provisions"
    assert_problem(client.get(f"{path}?{query}"), 400)


def test_unexpected_failure_is_a_500_problem_without_internals(seeded_app, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internal detail /some/path SELECT")

    monkeypatch.setattr("api.queries.documents.list_documents", explode)
    monkeypatch.setitem(seeded_app.config, "PROPAGATE_EXCEPTIONS", False)
    response = seeded_app.test_client().get("/v1/documents")
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert body["detail"] == "The server failed to answer this request."
