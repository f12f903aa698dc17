"""Pages kept once rendered: the same bytes and headers as rendering them, until the data changes.

The suite's other apps render every page (PAGE_CACHE_BYTES 0, tests/conftest.py); these tests
serve the seeds with pages kept, as a server does, and hold each kind of page against the
same page rendered.
"""

import pytest
from flask import Flask

from api.queries.memo import DatasetMemo
from api.seeding import load_dataset, read_seeds
from api.storage import database
from tests.conftest import CHICAGO_ORDER, SEEDS, isolated_database, load_seeds, make_app

PROVISION = "chicago-eo-2025-6.p6"
EVERY_KIND_OF_PAGE = [
    "/",
    "/documents",
    "/documents?type=court_order&sort=signed_on",
    f"/documents/{CHICAGO_ORDER}",
    f"/provisions/{PROVISION}",
    "/actors/chicago-police-department",
    "/search?q=body%20cameras",
    "/timeline",
    f"/embed/provisions/{PROVISION}",
    f"/embed/documents/{CHICAGO_ORDER}?theme=dark&width=400",
]
# Headers that differ between any two responses, kept or not.
PER_REQUEST = {"X-Request-ID", "Date"}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """The seeds served twice from one database: pages kept (as served), and rendered each time."""
    with isolated_database(tmp_path_factory.mktemp("kept")) as settings:
        kept = make_app({**settings, "PAGE_CACHE_BYTES": 1024 * 1024})
        load_seeds(kept)
        rendered = make_app({**settings, "PAGE_CACHE_BYTES": 0})
        yield kept, rendered
        for app in (kept, rendered):
            with app.app_context():
                database.engine().dispose()


def renders(app: Flask, monkeypatch) -> list[str]:
    """The templates the app renders from now on, in order."""
    rendered = []
    original = app.jinja_env.get_template

    def recording(name, *args, **kwargs):
        rendered.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(app.jinja_env, "get_template", recording)
    return rendered


def headers_of(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in PER_REQUEST}


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_a_kept_page_is_the_page_rendered_byte_for_byte(apps, path, monkeypatch):
    kept_app, rendered_app = apps
    client = kept_app.test_client()
    first = client.get(path)
    templates = renders(kept_app, monkeypatch)
    again = client.get(path)
    plain = rendered_app.test_client().get(path)
    assert first.status_code == again.status_code == plain.status_code == 200
    assert templates == [], "the second request rendered the page again"
    assert again.data == first.data == plain.data
    assert headers_of(again) == headers_of(first) == headers_of(plain)
    assert again.headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_kept_page_answers_conditional_gets_and_heads(apps, monkeypatch):
    client = apps[0].test_client()
    path = f"/documents/{CHICAGO_ORDER}"
    etag = client.get(path).headers["ETag"]
    templates = renders(apps[0], monkeypatch)
    unchanged = client.get(path, headers={"If-None-Match": etag})
    head = client.head(path)
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == etag
    assert int(head.headers["Content-Length"]) == len(client.get(path).data)
    assert templates == []


def test_each_host_gets_its_own_permalinks(apps):
    client = apps[0].test_client()
    path = f"/documents/{CHICAGO_ORDER}"
    here = client.get(path, base_url="http://one.example")
    there = client.get(path, base_url="https://two.example")
    assert b"http://one.example/documents/" in here.data
    assert b"https://two.example/documents/" in there.data
    assert b"one.example" not in there.data


def test_errors_and_json_answers_are_not_kept(apps, monkeypatch):
    client = apps[0].test_client()
    client.get("/documents/no-such-document")
    client.get("/documents?type=no-such-type")
    templates = renders(apps[0], monkeypatch)
    missing = client.get("/documents/no-such-document")
    invalid = client.get("/documents?type=no-such-type")
    asked_as_json = client.get(
        "/documents/no-such-document", headers={"Accept": "application/json"}
    )
    assert missing.status_code == 404 and invalid.status_code == 400
    assert templates.count("error.html") == 2, "an error page was kept"
    assert asked_as_json.mimetype == "application/problem+json"


def test_pages_follow_a_load_that_changes_the_data(tmp_path):
    dataset = read_seeds(SEEDS)
    with isolated_database(tmp_path) as settings:
        app = make_app({**settings, "PAGE_CACHE_BYTES": 1024 * 1024})
        try:
            with app.app_context():
                load_dataset(database.engine(), dataset)
            client = app.test_client()
            path = f"/documents/{CHICAGO_ORDER}"
            assert b"Renamed by a later load" not in client.get(path).data
            document = next(d for d in dataset.rows["documents"] if d["id"] == CHICAGO_ORDER)
            document["title"] = "Renamed by a later load"
            with app.app_context():
                load_dataset(database.engine(), dataset)
            assert b"Renamed by a later load" in client.get(path).data
        finally:
            with app.app_context():
                database.engine().dispose()


def test_a_page_kept_is_still_counted_against_the_rate_limit(tmp_path):
    with isolated_database(tmp_path, sqlite=True) as settings:
        app = make_app(
            {
                **settings,
                "PAGE_CACHE_BYTES": 1024 * 1024,
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_DEFAULT": "3 per minute",
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        load_seeds(app)
        client = app.test_client()
        statuses = [client.get("/timeline").status_code for _ in range(4)]
        with app.app_context():
            database.engine().dispose()
    assert statuses == [200, 200, 200, 429]


def test_the_budget_keeps_the_pages_used_last():
    pages = DatasetMemo(budget=10, weigh=len)
    pages.lookup("stamp", "a")  # the first lookup under a stamp adopts it
    pages.keep("stamp", "a", b"12345")
    pages.keep("stamp", "b", b"1234")
    pages.lookup("stamp", "a")  # now used after b
    pages.keep("stamp", "c", b"123")
    pages.keep("stamp", "huge", b"x" * 11)
    assert [pages.lookup("stamp", key) for key in ("a", "b", "c", "huge")] == [
        b"12345",
        None,
        b"123",
        None,
    ]
    assert pages.lookup("new stamp", "a") is None
    pages.keep("old stamp", "a", b"1")
    assert pages.lookup("new stamp", "a") is None
