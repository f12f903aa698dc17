"""Hypothesis properties of pagination, cursors and the parsers."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.errors import InvalidCursor
from api.queries.pagination import SortKey, read_cursor
from api.search import backends, parser
from api.storage.models import Provision
from tests.conftest import SEEDS, load_seeds

FIXTURE_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
LISTS = ["/v1/provisions", "/v1/documents?sort=signed_on", "/v1/statements", "/v1/timeline"]


def walk(client, url: str, limit: int, between_pages=lambda page: None) -> list[dict]:
    separator = "&" if "?" in url else "?"
    body = client.get(f"{url}{separator}limit={limit}").get_json()
    items, page = list(body["data"]), 1
    while "next" in body["links"] and page < 500:
        between_pages(page)
        body = client.get(body["links"]["next"]).get_json()
        items += body["data"]
        page += 1
    return items


def key(item: dict) -> str:
    return item.get("id") or repr(sorted(item.items()))


@FIXTURE_SETTINGS
@given(url=st.sampled_from(LISTS), limit=st.integers(min_value=1, max_value=25))
def test_pages_put_together_are_the_whole_ordered_list(client, url, limit):
    separator = "&" if "?" in url else "?"
    whole = client.get(f"{url}{separator}limit=100").get_json()["data"]
    paged = walk(client, url, limit)
    assert paged == whole
    assert len({key(item) for item in paged}) == len(paged)


NEW_DOCUMENT = """\
id: {id}
type: executive_order
number: null
title: A document added while a client pages
issuer: brandon-johnson
jurisdiction: us-il-chicago
signed_on: "{signed_on}"
published_on: null
summary: Added between two pages.
topics: []
official_url: null
verification: reported
sources: [cnn-2025-08-30-chicago-mayor-order]
status_history:
  - {{status: in_force, date: "{signed_on}", by: null, note: null,
     sources: [cnn-2025-08-30-chicago-mayor-order]}}
provisions:
  - {{key: a, label: null, modality: directs, binding: true, actor: brandon-johnson,
     addressees: [], action: act, summary: A provision added between pages., text: null,
     quoted_in: null, topics: [], verification: reported,
     sources: [cnn-2025-08-30-chicago-mayor-order], provisions: []}}
"""


@pytest.fixture
def writable(empty_app, tmp_path):
    seeds = shutil.copytree(SEEDS, tmp_path / "seeds")
    load_seeds(empty_app, seeds)
    return empty_app, seeds


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    limit=st.integers(min_value=1, max_value=8),
    insert_after=st.integers(min_value=1, max_value=6),
    names=st.lists(st.sampled_from(["aaa", "mmm", "zzz", "chicago-eo-2025-7"]), min_size=1,
                   max_size=3, unique=True),
    signed_on=st.sampled_from(["1999-01-01", "2025-08-30", "2030-01-01"]),
)  # fmt: skip
def test_records_added_between_pages_never_duplicate_or_hide_others(
    writable, limit, insert_after, names, signed_on
):
    app, seeds = writable
    client = app.test_client()
    for stale in (seeds / "documents").glob("added-*.yaml"):
        stale.unlink()
    load_seeds(app, seeds)
    for url in ("/v1/provisions", "/v1/documents?sort=signed_on"):
        before = {item["id"] for item in walk(client, url, 100)}

        def add_documents(page: int) -> None:
            if page == insert_after:
                for name in names:
                    path = seeds / "documents" / f"added-{name}.yaml"
                    path.write_text(NEW_DOCUMENT.format(id=f"added-{name}", signed_on=signed_on))
                load_seeds(app, seeds)

        paged = [item["id"] for item in walk(client, url, limit, add_documents)]
        assert len(set(paged)) == len(paged), "a record appeared twice"
        assert before <= set(paged), "a record that was there all along was skipped"
        for stale in (seeds / "documents").glob("added-*.yaml"):
            stale.unlink()
        load_seeds(app, seeds)


@FIXTURE_SETTINGS
@given(data=st.data())
def test_a_cursor_with_any_character_changed_is_400_or_decodes_the_same(client, data):
    link = client.get("/v1/provisions?limit=3").get_json()["links"]["next"]
    prefix, cursor = link.split("cursor=")
    index = data.draw(st.integers(min_value=0, max_value=len(cursor) - 1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != cursor[index]))
    tampered = cursor[:index] + replacement + cursor[index + 1 :]
    response = client.get(f"{prefix}cursor={tampered}")
    if response.status_code == 200:
        # The last character of a base64 segment carries bits it does not use: changed only
        # there, the cursor decodes to the same bytes, and is the same cursor.
        assert cursor[index + 1 : index + 2] in ("", ".")
        assert response.get_json()["data"] == client.get(link).get_json()["data"]
        return
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["name"] == "cursor"


@given(st.text(max_size=300))
def test_the_cursor_reader_raises_only_invalid_cursor(text):
    order = (SortKey(Provision.document_id), SortKey(Provision.position), SortKey(Provision.id))
    with pytest.raises(InvalidCursor):
        read_cursor(text, order, {"sort": None}, "secret")


@given(st.text(max_size=2000))
def test_the_search_parser_never_fails(text):
    query = parser.parse(text)
    if not query.empty:
        assert backends.fts5_expression(query)
        assert backends.websearch_text(query)


QUERY_KEYS = st.sampled_from(
    ["limit", "cursor", "sort", "q", "modality", "binding", "document", "facets", "as_of",
     "signed_from", "topic", "include", "type", "from", "kind", "since", "x"]
)  # fmt: skip


@FIXTURE_SETTINGS
@given(
    path=st.sampled_from(
        ["/v1/provisions", "/v1/documents", "/v1/search", "/v1/timeline", "/v1/changes",
         "/v1/documents/chicago-eo-2025-6", "/v1/statements"]
    ),
    parameters=st.lists(st.tuples(QUERY_KEYS, st.text(max_size=40)), max_size=6),
)  # fmt: skip
def test_arbitrary_query_strings_give_results_or_400(client, path, parameters):
    response = client.get(path, query_string=parameters)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"]
