"""Cursor pagination: complete, ordered, tamper-evident and tied to its filters."""

import pytest
from itsdangerous import URLSafeSerializer

from api.queries.pagination import CURSOR_SALT, _serializer
from tests.conftest import assert_problem

LISTS = [
    "/v1/documents",
    "/v1/documents?sort=signed_on",
    "/v1/documents?sort=-published_on",
    "/v1/provisions",
    "/v1/provisions?sort=id",
    "/v1/provisions?binding=true",
    "/v1/statements",
    "/v1/relations?sort=-date",
    "/v1/actors?sort=name",
    "/v1/jurisdictions",
    "/v1/sources?sort=-published_on",
    "/v1/timeline",
    "/v1/timeline?sort=-date&kind=status_changed&kind=relation",
    "/v1/provisions?q=guard",
    "/v1/documents?as_of=2025-10-12",
]


def walk(client, url: str, limit: int) -> list[dict]:
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}limit={limit}")
    items = []
    for _ in range(200):
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items.extend(body["data"])
        if "next" not in body["links"]:
            assert "Link" not in response.headers
            return items
        assert response.headers["Link"] == f'<{body["links"]["next"]}>; rel="next"'
        response = client.get(body["links"]["next"])
    raise AssertionError(f"{url}: more than 200 pages, the cursor is not advancing")


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("limit", [1, 3])
def test_pages_put_together_equal_the_whole_list(client, url, limit):
    whole = walk(client, url, 100)
    assert len(whole) < 100, "the seeds outgrew one page: raise the test's page size"
    paged = walk(client, url, limit)
    assert paged == whole
    assert len({item["id"] for item in paged}) == len(paged)


def test_last_page_has_no_next_link(client):
    body = client.get("/v1/documents?limit=100").get_json()
    assert "next" not in body["links"]
    assert body["links"]["self"] == "/v1/documents?limit=100"


def test_an_empty_cursor_means_the_first_page(client):
    first = client.get("/v1/provisions?limit=2").get_json()
    assert client.get("/v1/provisions?limit=2&cursor=").get_json()["data"] == first["data"]


def next_link(client, url: str) -> str:
    return client.get(url).get_json()["links"]["next"]


def test_a_cursor_used_with_other_filters_is_refused(client):
    link = next_link(client, "/v1/provisions?limit=2&modality=directs&modality=urges")
    cursor = link.split("cursor=")[1]
    body = assert_problem(client.get(f"/v1/provisions?limit=2&cursor={cursor}"), 400)
    assert body["type"] == "urn:provisions:problem:invalid-cursor"
    assert body["errors"][0]["name"] == "cursor"


def test_a_cursor_may_be_reused_with_another_page_size(client):
    link = next_link(client, "/v1/provisions?limit=2")
    response = client.get(link.replace("limit=2", "limit=5"))
    assert response.status_code == 200
    assert len(response.get_json()["data"]) == 5


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "eyJmIjoiMSJ9.AAAA", "%00", "a" * 999, "…"],
)
def test_forged_cursors_are_400(client, cursor):
    body = assert_problem(client.get(f"/v1/provisions?cursor={cursor}"), 400)
    assert "cursor" in {e["name"] for e in body["errors"]}


def test_a_cursor_with_one_character_changed_is_400(client):
    link = next_link(client, "/v1/documents?limit=1")
    prefix, cursor = link.split("cursor=")
    for index in range(len(cursor)):
        replacement = "A" if cursor[index] != "A" else "B"
        tampered = cursor[:index] + replacement + cursor[index + 1 :]
        assert_problem(client.get(f"{prefix}cursor={tampered}"), 400)


def test_limit_bounds(client):
    assert len(client.get("/v1/provisions").get_json()["data"]) == 20
    for bad in ["0", "101", "-1", "ten", "99999999999999999999999"]:
        body = assert_problem(client.get(f"/v1/provisions?limit={bad}"), 400)
        assert body["errors"][0]["name"] == "limit"


def test_cursors_are_signed_as_itsdangerous_signs_them():
    """The serializer reusing its signer and key signs as a new one at every call does."""
    plain = URLSafeSerializer("a secret", salt=CURSOR_SALT)
    for payload in ({"f": "abc", "k": ["doc", 3, "id"]}, {"f": "", "k": [None, "2025-01-01"]}):
        signed = _serializer("a secret").dumps(payload)
        assert signed == plain.dumps(payload)
        assert plain.loads(signed) == payload == _serializer("a secret").loads(signed)
    assert _serializer("another secret").dumps({"k": 1}) != plain.dumps({"k": 1})
