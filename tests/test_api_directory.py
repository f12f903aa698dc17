"""Statements, relations, actors, jurisdictions, sources, vocabularies and the index."""

import pytest

from schemas.vocabularies import MODALITIES, VOCABULARIES
from tests.conftest import CHICAGO_ORDER, assert_problem


def test_index_links_every_collection(client):
    links = client.get("/v1").get_json()["links"]
    for name, url in links.items():
        if name != "docs":
            assert client.get(url).status_code == 200, name


def test_vocabularies_define_every_term(client):
    vocabularies = {v["name"]: v for v in client.get("/v1/vocabularies").get_json()["data"]}
    assert set(vocabularies) == set(VOCABULARIES)
    modalities = {t["term"]: t["definition"] for t in vocabularies["modalities"]["terms"]}
    assert modalities == MODALITIES


def test_statements_about_the_chicago_order(client):
    statements = client.get(f"/v1/statements?about={CHICAGO_ORDER}").get_json()["data"]
    assert statements
    assert all(CHICAGO_ORDER in s["about"] for s in statements)
    assert all(s["quote"] and s["quoted_in"] for s in statements)


def test_statements_by_speaker_in_date_order(client):
    statements = client.get("/v1/statements?speaker=brandon-johnson&sort=said_on").get_json()
    dates = [s["said_on"] for s in statements["data"]]
    assert dates == sorted(dates)
    assert dates[0] == "2025-08-25"  # the CNN interview on the Monday before the order


def test_relations_of_a_document(client):
    relations = client.get("/v1/relations?document=us-pm-2025-10-04-illinois").get_json()["data"]
    enjoins = [r for r in relations if r["type"] == "enjoins"]
    assert enjoins[0]["subject"] == "illinois-v-trump-2025-10-09-tro"
    assert enjoins[0]["date"] == "2025-10-09"


@pytest.mark.parametrize(
    "collection, query",
    [
        ("actors", "kind=court"),
        ("jurisdictions", "level=municipal"),
        ("sources", "kind=news"),
        ("statements", "setting=social_media_post"),
        ("relations", "type=stays"),
    ],
)
def test_collection_filters_and_details(client, collection, query):
    items = client.get(f"/v1/{collection}?{query}&limit=100").get_json()["data"]
    assert items, query
    field, value = query.split("=")
    assert all(item[field] == value for item in items)
    first = client.get(f"/v1/{collection}/{items[0]['id']}")
    assert first.status_code == 200
    assert first.get_json() == items[0]


@pytest.mark.parametrize(
    "collection", ["actors", "jurisdictions", "sources", "statements", "relations"]
)
def test_unknown_id_is_404(client, collection):
    assert_problem(client.get(f"/v1/{collection}/no-such-record"), 404)


def test_jurisdictions_nest(client):
    chicago = client.get("/v1/jurisdictions/us-il-chicago").get_json()
    assert chicago["parent"] == "us-il"
    children = client.get("/v1/jurisdictions?parent=us-il").get_json()["data"]
    assert "us-il-chicago" in {j["id"] for j in children}
