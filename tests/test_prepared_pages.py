"""List pages read by prepared statements (api.queries.prepared_pages) are byte for byte the
pages the statement built for each request gives: bodies, `Link` headers and cursors, page
after page, with every kind of filter, several values, limits and orders."""

import copy

import pytest

from api.collections import COLLECTIONS
from api.queries.catalog import Catalog
from api.queries.catalogs import CATALOGS
from api.seeding import load_dataset
from api.storage import database
from synthetic import synthetic_dataset
from tests.conftest import isolated_database, make_app

URLS = [
    "/v1/provisions?limit=7",
    "/v1/provisions?limit=100",
    "/v1/provisions?modality=directs&limit=5",
    "/v1/provisions?modality=directs&modality=urges&binding=true&limit=6",
    "/v1/provisions?binding=false&limit=9",
    "/v1/provisions?topic={topic}&limit=4",
    "/v1/provisions?topic={topic}&topic={other_topic}&limit=4",
    "/v1/provisions?addressee={addressee}&modality=directs&limit=3",
    "/v1/provisions?actor={actor}&limit=8",
    "/v1/provisions?document={document}&limit=2",
    "/v1/provisions?sort=id&limit=11",
    "/v1/provisions?sort=id&modality=requires&limit=11",
    "/v1/provisions?modality=directs&facets=topic&limit=5",
    "/v1/provisions?modality=contains&binding=true&limit=5",  # an empty page
    "/v1/documents?type=executive_order&limit=3",
    "/v1/documents?sort=-signed_on&limit=4",
    "/v1/statements?sort=said_on&limit=2",
    # Its ids twice in the statement: as subject or as object.
    "/v1/relations?document={related}&limit=1",
    "/v1/relations?document={related}&document={other_related}&sort=-date&limit=2",
    *(f"/v1/{collection.name}?limit=3" for collection in COLLECTIONS),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with isolated_database(tmp_path_factory.mktemp("prepared-pages")) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), copy.deepcopy(synthetic_dataset(40, seed=5)))
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(scope="module")
def values(app) -> dict:
    """Filter values that select some provisions but not all."""
    client = app.test_client()
    provisions = client.get("/v1/provisions?limit=100").get_json()["data"]
    topics = sorted({topic for provision in provisions for topic in provision["topics"]})
    addressees = [p["addressees"][0] for p in provisions if p["addressees"]]
    actors = [p["actor"] for p in provisions if p["actor"]]
    relations = client.get("/v1/relations?limit=100").get_json()["data"]
    assert len(relations) > 2
    return {
        "related": relations[0]["subject"],
        "other_related": relations[-1]["object"],
        "topic": topics[0],
        "other_topic": topics[-1],
        "addressee": addressees[0],
        "actor": actors[0],
        "document": provisions[0]["document"],
    }


def walk(client, url: str, accept: str = "application/json") -> list[tuple[bytes, str | None]]:
    """Every page of a list, following its `Link` headers: each body and header."""
    pages = []
    while url is not None:
        response = client.get(url, headers={"Accept": accept})
        assert response.status_code == 200, response.get_data(as_text=True)
        link = response.headers.get("Link")
        pages.append((response.get_data(), link))
        url = link[1 : link.index(">")] if link else None
        assert len(pages) < 200
    return pages


@pytest.mark.parametrize("template", URLS)
def test_prepared_pages_equal_plain_pages(app, values, monkeypatch, template):
    client = app.test_client()
    url = template.format(**values)
    prepared = walk(client, url)
    with monkeypatch.context() as plain:
        plain.setattr(Catalog, "_shape", lambda *_arguments, **_keywords: None)
        assert walk(client, url) == prepared
    assert len(prepared) >= 1


@pytest.mark.parametrize("accept", ["text/csv", "application/ld+json"])
@pytest.mark.parametrize(
    "template", ["/v1/provisions?modality=directs&limit=6", "/v1/documents?limit=5"]
)
def test_prepared_pages_of_records_equal_plain_pages(app, values, monkeypatch, template, accept):
    """Pages read as records (CSV, JSON-LD), not written by the database."""
    client = app.test_client()
    prepared = walk(client, template, accept)
    with monkeypatch.context() as plain:
        plain.setattr(Catalog, "_shape", lambda *_arguments, **_keywords: None)
        assert walk(client, template, accept) == prepared


def test_provision_pages_use_prepared_statements(app, values, monkeypatch):
    """The fast path is taken (the test above would pass without it)."""
    shapes = []
    original = Catalog._prepared_page
    monkeypatch.setattr(
        Catalog,
        "_prepared_page",
        lambda self, shape, arguments: shapes.append(shape) or original(self, shape, arguments),
    )
    client = app.test_client()
    first = client.get(f"/v1/provisions?modality=directs&topic={values['topic']}&limit=2")
    client.get(first.headers["Link"][1 : first.headers["Link"].index(">")])
    assert [(shape.filters, shape.after, shape.driving) for shape in shapes] == [
        ((("modality", 1), ("topic", 1)), False, "topic"),
        ((("modality", 1), ("topic", 1)), True, "topic"),
    ]


def test_searches_use_the_plain_statement(app, monkeypatch):
    calls = []
    monkeypatch.setattr(Catalog, "_prepared_page", lambda *arguments: calls.append(arguments))
    client = app.test_client()
    assert client.get("/v1/provisions?q=provision&limit=3").status_code == 200
    assert client.get("/v1/documents?q=order&sort=id&limit=3").status_code == 200
    assert calls == []


@pytest.mark.parametrize("plain_statement", [False, True])
@pytest.mark.parametrize("collection", [c.name for c in COLLECTIONS])
def test_records_lists_read_in_their_rows_equal_lists_read_apart(
    app, monkeypatch, collection, plain_statement
):
    """A page read as records has its linked lists in its rows (`Catalog._lists_in_rows`)
    where it can: the same pages as with one more statement reading them, prepared or not."""
    client = app.test_client()
    url = f"/v1/{collection}?limit=4"
    if plain_statement:
        monkeypatch.setattr(Catalog, "_shape", lambda *_arguments, **_keywords: None)
    in_rows = walk(client, url, "text/csv")
    monkeypatch.setattr(Catalog, "_lists_in_rows", lambda *_arguments: ())
    CATALOGS[collection]._prepared_statements.clear()  # built with the lists
    try:
        apart = walk(client, url, "text/csv")
    finally:
        CATALOGS[collection]._prepared_statements.clear()  # built without them
    assert apart == in_rows
    assert len(in_rows) > 1
