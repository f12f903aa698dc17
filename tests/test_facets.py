"""Facet counts: computed in the database, equal to the counts of the filtered lists."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CHICAGO_ORDER, assert_problem

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


def test_each_facet_costs_one_query(client, count_queries):
    with count_queries() as without:
        client.get("/v1/provisions")
    with count_queries() as with_three:
        client.get("/v1/provisions?facets=modality,addressee,topic")
    assert len(with_three) == len(without) + 3


def check_facets_match_lists(client, path: str, facets: list[str], chosen: dict[str, str]):
    query = "&".join(f"{name}={value}" for name, value in chosen.items())
    body = client.get(f"{path}?limit=100&facets={','.join(facets)}&{query}").get_json()
    for facet, counts in body["facets"].items():
        for entry in counts:
            narrowed = {**chosen, facet: entry["value"]}
            narrowed_query = "&".join(f"{name}={value}" for name, value in narrowed.items())
            assert total(client, f"{path}?limit=100&{narrowed_query}") == entry["count"], (
                facet,
                entry,
                chosen,
            )


PROVISION_FILTER_VALUES = {
    "modality": ["urges", "directs", "prohibits", "declares"],
    "binding": ["true", "false"],
    "topic": ["policing", "national-guard", "federal-deployment"],
    "document": [CHICAGO_ORDER, "us-eo-14339", "us-eo-14333"],
    "addressee": ["federal-officers-in-chicago", "donald-j-trump", "secretary-of-defense"],
    "q": ["guard", "cameras", "order"],
}
DOCUMENT_FILTER_VALUES = {
    "type": ["executive_order", "court_order", "presidential_memorandum"],
    "status": ["in_force", "stayed", "partially_enjoined", "enjoined"],
    "topic": ["national-guard", "litigation", "policing"],
    "as_of": ["2025-06-15", "2025-10-12", "2025-12-31"],
    "signed_from": ["2025-08-01", "2025-10-01"],
    "q": ["guard", "order"],
}


def chosen_filters(values: dict[str, list[str]]):
    return st.dictionaries(st.sampled_from(sorted(values)), st.just(None), max_size=3).flatmap(
        lambda keys: st.fixed_dictionaries({key: st.sampled_from(values[key]) for key in keys})
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=chosen_filters(PROVISION_FILTER_VALUES))
def test_provision_facet_counts_equal_filtered_list_counts(client, chosen):
    check_facets_match_lists(client, "/v1/provisions", PROVISION_FACETS, chosen)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=chosen_filters(DOCUMENT_FILTER_VALUES))
def test_document_facet_counts_equal_filtered_list_counts(client, chosen):
    check_facets_match_lists(client, "/v1/documents", DOCUMENT_FACETS, chosen)


def test_every_collection_offers_facets(client):
    for path, facet in [
        ("/v1/statements", "speaker"),
        ("/v1/relations", "type"),
        ("/v1/actors", "kind"),
        ("/v1/jurisdictions", "level"),
        ("/v1/sources", "kind"),
    ]:
        body = client.get(f"{path}?facets={facet}&limit=100").get_json()
        assert sum(f["count"] for f in body["facets"][facet]) == len(body["data"]), path
