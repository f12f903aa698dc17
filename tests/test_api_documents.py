"""/v1/documents: filters, sort, detail and the provision tree."""

from datetime import date

import pytest

from tests.conftest import CHICAGO_ORDER, assert_problem


def all_items(client, url: str) -> list[dict]:
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}limit=100").get_json()["data"]


def test_documents_list_newest_first_by_default(client):
    documents = all_items(client, "/v1/documents")
    dates = [d["signed_on"] for d in documents if d["signed_on"]]
    assert dates == sorted(dates, reverse=True)
    assert {CHICAGO_ORDER, "us-eo-14339"} <= {d["id"] for d in documents}


def test_what_the_president_ordered_that_week(client):
    documents = all_items(
        client, "/v1/documents?issuer=donald-j-trump&signed_from=2025-08-24&signed_to=2025-08-30"
    )
    assert [d["id"] for d in documents] == ["us-eo-14339"]


@pytest.mark.parametrize(
    "query, check",
    [
        ("type=court_order", lambda d: d["type"] == "court_order"),
        ("jurisdiction=us-il-chicago", lambda d: d["jurisdiction"] == "us-il-chicago"),
        ("status=partially_enjoined", lambda d: d["status"] == "partially_enjoined"),
        ("topic=national-guard", lambda d: "national-guard" in d["topics"]),
        ("verification=reported", lambda d: d["verification"] == "reported"),
        ("signed_from=2025-10-01", lambda d: d["signed_on"] >= "2025-10-01"),
    ],
)
def test_each_filter_returns_only_matching_documents(client, query, check):
    documents = all_items(client, f"/v1/documents?{query}")
    assert documents, query
    assert all(check(d) for d in documents)


def test_no_seeded_document_is_official_and_the_filter_says_so(client):
    # No official text is held, so no seed document is `official`: the filter must not
    # fall back to every document (all of them are `reported`).
    assert all_items(client, "/v1/documents?verification=official") == []
    assert all_items(client, "/v1/documents?verification=reported") == all_items(
        client, "/v1/documents"
    )


@pytest.mark.parametrize("sort", ["signed_on", "-signed_on", "published_on", "-published_on", "id"])
def test_sort_orders_put_unknown_dates_last(client, sort):
    documents = all_items(client, f"/v1/documents?sort={sort}")
    field = sort.lstrip("-")
    values = [d[field] for d in documents]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=sort.startswith("-"))
    assert values == known + [None] * (len(values) - len(known))


def test_an_empty_date_range_is_an_empty_list_not_an_error(client):
    response = client.get("/v1/documents?signed_from=2025-09-01&signed_to=2025-08-01")
    assert response.status_code == 200
    assert response.get_json()["data"] == []


def test_document_detail_with_its_status_history(client):
    document = client.get("/v1/documents/us-pm-2025-10-04-illinois").get_json()
    history = document["status_history"]
    assert history[0]["status"] == "in_force"
    enjoined = [h for h in history if h["status"] == "enjoined"]
    assert enjoined[0]["date"] == "2025-10-09"
    assert enjoined[0]["by"] == "illinois-v-trump-2025-10-09-tro"
    assert document["status"] == history[-1]["status"]
    assert [date.fromisoformat(h["date"]) for h in history] == sorted(
        date.fromisoformat(h["date"]) for h in history
    )


def test_include_provisions_nests_them_as_a_tree(client):
    document = client.get(f"/v1/documents/{CHICAGO_ORDER}?include=provisions").get_json()
    tree = document["provisions"]
    assert len(tree) == 8
    (urging,) = [node for node in tree if node["modality"] == "urges"]
    assert [child["id"] for child in urging["provisions"]] == [
        f"{CHICAGO_ORDER}.p6.masks",
        f"{CHICAGO_ORDER}.p6.body-cameras",
        f"{CHICAGO_ORDER}.p6.identification",
    ]
    assert all(child["provisions"] == [] for child in urging["provisions"])


def test_without_include_there_is_no_provisions_field(client):
    document = client.get(f"/v1/documents/{CHICAGO_ORDER}").get_json()
    assert "provisions" not in document
    assert document["links"]["provisions"] == f"/v1/documents/{CHICAGO_ORDER}/provisions"


def test_unknown_document_is_404_problem(client):
    body = assert_problem(client.get("/v1/documents/no-such-document"), 404)
    assert "no-such-document" in body["detail"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("type=decree", "type"),
        ("signed_from=2025-13-01", "signed_from"),
        ("sort=title", "sort"),
        ("include=provisions", "include"),
        ("limit=101", "limit"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(client, query, parameter):
    body = assert_problem(client.get(f"/v1/documents?{query}"), 400)
    assert parameter in {e["name"] for e in body["errors"]}
