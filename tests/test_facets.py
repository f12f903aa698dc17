"""Facet counts: computed in the database, equal to the counts of the filtered lists."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.seeding import load_dataset
from api.storage import database
from synthetic import synthetic_dataset
from tests.conftest import CHICAGO_ORDER, app_holding, assert_problem

PROVISION_FACETS = ["modality", "addressee", "topic", "binding", "actor", "document"]
DOCUMENT_FACETS = ["type", "jurisdiction", "status", "issuer", "verification", "topic"]


def total(client, url: str) -> int:
    body = client.get(url).get_json()
    assert "next" not in body["links"], "raise the page size: the seeds outgrew one page"
    return len(body["data"])


def test_facets_come_with_the_page(client):
    body = client.get(f"/v1/provisions?document={CHICAGO_ORDER}&facets=modality,binding").get_json()
    modalities = {f["value"]: f["count"] for f in body["facets"]["modality"]}
    assert modalities["urges"] == 4  # the provision urging federal officers and its three parts
    assert {f["value"] for f in body["facets"]["binding"]} == {"true", "false"}
    assert sum(f["count"] for f in body["facets"]["binding"]) == 11


def test_without_facets_there_is_no_facets_field(client):
    assert "facets" not in client.get("/v1/provisions").get_json()


def test_an_unknown_facet_is_400(client):
    body = assert_problem(client.get("/v1/provisions?facets=modality,colour"), 400)
    assert body["errors"][0]["name"] == "facets"


def test_each_facet_costs_one_query_once_until_the_data_changes(seeded_app, client, count_queries):
    seeded_app.extensions.pop("dataset_memo", None)  # what earlier tests counted
    with count_queries() as without:
        client.get("/v1/provisions")
    path = "/v1/provisions?facets=modality,addressee,topic"
    with count_queries() as first:
        client.get(path)
    with count_queries() as again:
        client.get(path)
    stamp = 1  # the dataset stamp, read once by the request to find what was counted
    assert len(first) == len(without) + stamp + 3
    assert len(again) == len(without) + stamp
    assert client.get(path).get_json()["facets"] == client.get(path).get_json()["facets"]


def test_facet_counts_follow_a_load_that_changes_the_data(tmp_path):
    """Kept counts are dropped with the dataset they were counted on."""
    with app_holding(tmp_path, synthetic_dataset(documents=12, seed=3)) as app:
        client = app.test_client()
        path = "/v1/provisions?facets=modality&limit=100"
        counts = []
        for documents in (12, 6):
            if documents != 12:
                with app.app_context():
                    load_dataset(database.engine(), synthetic_dataset(documents, seed=3))
            body = client.get(path).get_json()
            counted = sum(facet["count"] for facet in body["facets"]["modality"])
            assert counted == walk_total(client, path), documents
            counts.append(counted)
        assert counts[1] < counts[0]


def walk_total(client, url: str) -> int:
    """How many records the list holds, page after page."""
    found = 0
    while url:
        body = client.get(url).get_json()
        found += len(body["data"])
        url = body["links"].get("next")
    return found


def check_facets_match_lists(
    client, path: str, facets: list[str], chosen: dict[str, str]
) -> set[str]:
    """Each facet count is the size of its narrowed list; returns the ids `chosen` matches."""
    query = urlencode(chosen)
    body = client.get(f"{path}?limit=100&facets={','.join(facets)}&{query}").get_json()
    assert "next" not in body["links"], "raise the page size: the seeds outgrew one page"
    for facet, counts in body["facets"].items():
        for entry in counts:
            narrowed = urlencode({**chosen, facet: entry["value"]})
            assert total(client, f"{path}?limit=100&{narrowed}") == entry["count"], (
                facet,
                entry,
                chosen,
            )
    return {item["id"] for item in body["data"]}


# The filters of each test are drawn from one record's own fields (a witness), so that they
# match at least that record: a filter, or data, that matches nothing fails the test instead
# of leaving it nothing to compare.
SEARCHED_WORDS = ["guard", "cameras", "order"]
AS_OF_DAYS = ["2025-06-15", "2025-10-12", "2025-12-31"]
SIGNED_FROM_DAYS = ["2025-08-01", "2025-10-01"]


@dataclass(frozen=True)
class Witness:
    id: str
    options: dict[str, list[str]]  # filter name: the values that match this record
    statuses: dict[str, str]  # as_of day: the record's status that day


def every_record(client, path: str) -> list[dict]:
    body = client.get(f"{path}?limit=100").get_json()
    assert body["data"] and "next" not in body["links"], path
    return body["data"]


def words_of(*texts: str | None) -> set[str]:
    return set(re.findall(r"[a-z]+", " ".join(text or "" for text in texts).lower()))


def status_on(document: dict, day: str) -> str | None:
    """The rule `as_of` follows: the last status change dated on or before the day."""
    dated = [
        (change["date"], position, change["status"])
        for position, change in enumerate(document["status_history"])
        if change["date"] and change["date"] <= day
    ]
    return max(dated)[2] if dated else None


@pytest.fixture(scope="module")
def provision_witnesses(seeded_app) -> list[Witness]:
    witnesses = []
    for provision in every_record(seeded_app.test_client(), "/v1/provisions"):
        words = words_of(
            provision["action"],
            provision["label"],
            provision["heading"],
            provision["summary"],
            provision["text"],
        )
        options = {
            "modality": [provision["modality"]],
            "binding": [str(provision["binding"]).lower()],
            "document": [provision["document"]],
            "topic": provision["topics"],
            "addressee": provision["addressees"],
            "actor": [provision["actor"]] if provision["actor"] else [],
            "q": [word for word in SEARCHED_WORDS if word in words],
        }
        witnesses.append(Witness(provision["id"], options, {}))
    return witnesses


@pytest.fixture(scope="module")
def document_witnesses(seeded_app) -> list[Witness]:
    witnesses = []
    for document in every_record(seeded_app.test_client(), "/v1/documents"):
        words = words_of(
            document["title"], document["number"], document["citation"], document["summary"]
        )
        statuses = {day: status_on(document, day) for day in AS_OF_DAYS}
        signed = document["signed_on"]
        options = {
            "type": [document["type"]],
            "status": [document["status"]],
            "topic": document["topics"],
            "as_of": [day for day, status in statuses.items() if status],
            "signed_from": [day for day in SIGNED_FROM_DAYS if signed and signed >= day],
            "q": [word for word in SEARCHED_WORDS if word in words],
        }
        witnesses.append(Witness(document["id"], options, statuses))
    return witnesses


@st.composite
def witness_and_filters(draw, witnesses: list[Witness]) -> tuple[str, dict[str, str]]:
    """A record, and up to three filters that its own fields satisfy."""
    witness = draw(st.sampled_from(witnesses))
    names = [name for name, values in witness.options.items() if values]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    filters = {name: draw(st.sampled_from(witness.options[name])) for name in chosen}
    if "as_of" in filters and "status" in filters:  # with as_of, status is the one that day
        filters["status"] = witness.statuses[filters["as_of"]]
    return witness.id, filters


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_provision_facet_counts_equal_filtered_list_counts(client, provision_witnesses, data):
    witness, chosen = data.draw(witness_and_filters(provision_witnesses))
    matched = check_facets_match_lists(client, "/v1/provisions", PROVISION_FACETS, chosen)
    assert witness in matched, (witness, chosen)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_document_facet_counts_equal_filtered_list_counts(client, document_witnesses, data):
    witness, chosen = data.draw(witness_and_filters(document_witnesses))
    matched = check_facets_match_lists(client, "/v1/documents", DOCUMENT_FACETS, chosen)
    assert witness in matched, (witness, chosen)


def test_every_filter_of_the_witnesses_is_drawn(provision_witnesses, document_witnesses):
    """Each filter above has a value in the seeds to be tested with."""
    for witnesses in (provision_witnesses, document_witnesses):
        names = {
            name for witness in witnesses for name, values in witness.options.items() if values
        }
        assert names == set(witnesses[0].options)


def test_every_collection_offers_facets(client):
    for path, facet in [
        ("/v1/statements", "speaker"),
        ("/v1/relations", "type"),
        ("/v1/actors", "kind"),
        ("/v1/jurisdictions", "level"),
        ("/v1/sources", "kind"),
    ]:
        body = client.get(f"{path}?facets={facet}&limit=100").get_json()
        assert body["data"], path
        assert sum(f["count"] for f in body["facets"][facet]) == len(body["data"]), path


def faceted_operations(spec: dict) -> dict[str, list[str]]:
    """Each GET path of the spec with a `facets` parameter, and the facet names it allows."""
    operations = {}
    for path, item in spec["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter.get("name") == "facets":
                operations[path] = parameter
    return operations


FACETED = [
    "/v1/documents",
    "/v1/documents/{id}/provisions",
    "/v1/provisions",
    "/v1/statements",
    "/v1/relations",
    "/v1/actors",
    "/v1/jurisdictions",
    "/v1/sources",
]


def test_the_spec_allows_facets_only_from_its_enum_and_never_empty(client):
    operations = faceted_operations(client.get("/v1/openapi.json").get_json())
    assert sorted(operations) == sorted(FACETED)
    for path, parameter in operations.items():
        schema = parameter["schema"]
        assert schema["type"] == "array" and schema["minItems"] == 1, path
        assert schema["items"]["enum"], path
        assert (parameter["style"], parameter["explode"]) == ("form", False), path


@pytest.mark.parametrize("path", FACETED)
@pytest.mark.parametrize("facets", ["", ","])
def test_an_empty_facets_is_400_problem_naming_facets(client, path, facets):
    """The spec allows only names from its enum, at least one: `facets=` is refused."""
    url = path.replace("{id}", CHICAGO_ORDER)
    body = assert_problem(client.get(url, query_string={"facets": facets}), 400)
    assert {error["name"] for error in body["errors"]} == {"facets"}


@pytest.mark.parametrize("path", FACETED)
def test_each_facet_the_spec_allows_is_answered(client, path):
    operations = faceted_operations(client.get("/v1/openapi.json").get_json())
    allowed = operations[path]["schema"]["items"]["enum"]
    url = path.replace("{id}", CHICAGO_ORDER)
    body = client.get(url, query_string={"facets": ",".join(allowed)}).get_json()
    assert sorted(body["facets"]) == sorted(allowed)
