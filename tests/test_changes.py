"""Honest timestamps and the change log: only real changes move anything."""

import shutil
from datetime import UTC, datetime

import pytest
import yaml

from api.seeding import load_dataset, read_seeds
from api.storage import database
from tests.conftest import CHICAGO_ORDER, SEEDS, assert_problem

FIRST = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)
SECOND = datetime(2025, 9, 2, 12, 0, tzinfo=UTC)
THIRD = datetime(2025, 9, 3, 12, 0, tzinfo=UTC)
MASKS = f"{CHICAGO_ORDER}.p6.masks"


@pytest.fixture
def seeds(tmp_path):
    return shutil.copytree(SEEDS, tmp_path / "seeds")


def load(app, folder, now):
    with app.app_context():
        load_dataset(database.engine(), read_seeds(folder), now=now)


def all_changes(client, query: str = "") -> list[dict]:
    body = client.get(f"/v1/changes?limit=100{query}").get_json()
    changes = body["data"]
    while "next" in body["links"]:
        body = client.get(body["links"]["next"]).get_json()
        changes += body["data"]
    return changes


def edit(path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def test_reloading_unchanged_seeds_moves_nothing(empty_app, seeds):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    before = client.get(f"/v1/provisions/{MASKS}").get_json()
    version = client.head("/v1/export/provisions.ndjson").headers["X-Dataset-Version"]
    changes = all_changes(client)
    assert {c["action"] for c in changes} == {"created"}
    load(empty_app, seeds, SECOND)
    after = client.get(f"/v1/provisions/{MASKS}").get_json()
    assert after["created_at"] == after["updated_at"] == before["updated_at"] == FIRST.isoformat()
    assert all_changes(client) == changes
    assert client.head("/v1/export/provisions.ndjson").headers["X-Dataset-Version"] == version


def test_an_edit_moves_only_the_edited_record(empty_app, seeds):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    edit(
        seeds / "documents" / f"{CHICAGO_ORDER}.yaml",
        "Asks federal officers in Chicago not to",
        "Asks federal officers in Chicago to stop",
    )
    load(empty_app, seeds, SECOND)
    masks = client.get(f"/v1/provisions/{MASKS}").get_json()
    assert masks["created_at"] == FIRST.isoformat() and masks["updated_at"] == SECOND.isoformat()
    sibling = client.get(f"/v1/provisions/{CHICAGO_ORDER}.p6.body-cameras").get_json()
    assert sibling["updated_at"] == FIRST.isoformat()
    document = client.get(f"/v1/documents/{CHICAGO_ORDER}").get_json()
    assert document["updated_at"] == FIRST.isoformat()
    new = [c for c in all_changes(client) if c["changed_at"] == SECOND.isoformat()]
    assert [(c["collection"], c["id"], c["action"]) for c in new] == [
        ("provisions", MASKS, "updated")
    ]


def test_a_removed_record_leaves_a_tombstone(empty_app, seeds):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    statements = yaml.safe_load((seeds / "statements.yaml").read_text(encoding="utf-8"))
    removed = statements.pop()
    (seeds / "statements.yaml").write_text(yaml.safe_dump(statements, allow_unicode=True))
    load(empty_app, seeds, SECOND)
    assert_problem(client.get(f"/v1/statements/{removed['id']}"), 404)
    (tombstone,) = [c for c in all_changes(client) if c["action"] == "deleted"]
    assert tombstone == {
        "sequence": tombstone["sequence"],
        "collection": "statements",
        "id": removed["id"],
        "action": "deleted",
        "changed_at": SECOND.isoformat(),
        "links": {},
    }


def test_a_client_mirrors_incrementally_with_the_poll_link(empty_app, seeds):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    body = client.get("/v1/changes?limit=100").get_json()
    while "next" in body["links"]:
        body = client.get(body["links"]["next"]).get_json()
    poll = body["links"]["poll"]
    assert client.get(poll).get_json()["data"] == []
    edit(
        seeds / "documents" / f"{CHICAGO_ORDER}.yaml",
        "Asks federal officers in Chicago not to",
        "Asks federal officers in Chicago to stop",
    )
    load(empty_app, seeds, SECOND)
    news = client.get(poll).get_json()
    assert [(c["id"], c["action"]) for c in news["data"]] == [(MASKS, "updated")]
    assert client.get(news["links"]["poll"]).get_json()["data"] == []
    load(empty_app, seeds, THIRD)
    assert client.get(news["links"]["poll"]).get_json()["data"] == []


def test_changes_filter_by_collection(empty_app, seeds):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    documents = all_changes(client, "&collection=documents")
    assert documents and {c["collection"] for c in documents} == {"documents"}


def test_a_forged_since_is_400_naming_since(client):
    body = assert_problem(client.get("/v1/changes?since=forged"), 400)
    assert body["errors"][0]["name"] == "since"


def test_a_since_cursor_is_bound_to_its_collection_filter(client):
    poll = client.get("/v1/changes?collection=documents&limit=1").get_json()["links"]["poll"]
    cursor = poll.split("since=")[1]
    assert_problem(client.get(f"/v1/changes?collection=actors&since={cursor}"), 400)


def edit_masks(seeds) -> None:
    edit(
        seeds / "documents" / f"{CHICAGO_ORDER}.yaml",
        "Asks federal officers in Chicago not to",
        "Asks federal officers in Chicago to stop",
    )


@pytest.mark.parametrize(
    "since",
    [
        "2025-09-02T00:00:00Z",
        "2025-09-02T11:59:59.999999Z",
        "2025-09-02T13:59:59%2B02:00",  # 11:59:59Z
        "2025-09-02T06:59-05:00",  # 11:59Z: seconds may be left out
        "2025-09-02t11:00:00z",
    ],
)
def test_since_a_timestamp_lists_the_changes_recorded_after_it(empty_app, seeds, since):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    edit_masks(seeds)
    load(empty_app, seeds, SECOND)
    body = client.get(f"/v1/changes?since={since}").get_json()
    assert [(c["id"], c["action"], c["changed_at"]) for c in body["data"]] == [
        (MASKS, "updated", SECOND.isoformat())
    ]


@pytest.mark.parametrize(
    "since", ["2025-09-02T12:00:00Z", "2025-09-02T14:00:00%2B02:00", "2025-09-03T00:00Z"]
)
def test_since_is_strictly_after_the_timestamp(empty_app, seeds, since):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    edit_masks(seeds)
    load(empty_app, seeds, SECOND)
    assert client.get(f"/v1/changes?since={since}").get_json()["data"] == []


def test_since_a_timestamp_pages_and_polls_like_a_cursor(empty_app, seeds):
    client = empty_app.test_client()
    load(empty_app, seeds, FIRST)
    everything = all_changes(client)
    assert all_changes(client, "&since=2025-08-31T00:00:00Z") == everything
    first = client.get("/v1/changes?limit=2&since=2025-08-31T00:00:00Z").get_json()
    assert first["data"] == everything[:2]
    assert client.get(first["links"]["next"]).get_json()["data"][:2] == everything[2:4]
    quiet = client.get("/v1/changes?since=2025-09-01T12:00:00Z&collection=provisions")
    assert quiet.get_json()["data"] == []
    edit_masks(seeds)
    load(empty_app, seeds, SECOND)
    news = client.get(quiet.get_json()["links"]["poll"]).get_json()
    assert [(c["id"], c["action"]) for c in news["data"]] == [(MASKS, "updated")]


@pytest.mark.parametrize(
    "since",
    [
        "2025-10-01",  # a day is no moment
        "2025-10-01T00:00:00",  # nor a time without its offset
        "2025-10-01T00:00:00 02:00",  # an unencoded `+` reads as a space
        "2025-13-01T00:00:00Z",
        "2025-10-01T24:00:00Z",
        "2025-10-01T00:00:00+2",
        "0001-01-01T00:00:00+01:00",  # a moment before year 1 in UTC
    ],
)
def test_a_bad_since_timestamp_is_400_naming_since(client, since):
    body = assert_problem(client.get("/v1/changes", query_string={"since": since}), 400)
    assert [error["name"] for error in body["errors"]] == ["since"]
    assert "RFC 3339" in body["errors"][0]["message"]


def test_the_spec_documents_since_as_a_cursor_or_a_timestamp(client):
    spec = client.get("/v1/openapi.json").get_json()
    (since,) = [
        p for p in spec["paths"]["/v1/changes"]["get"]["parameters"] if p.get("name") == "since"
    ]
    assert "RFC 3339" in since["description"]
    assert "2025-10-01T00:00:00Z" in since["schema"]["examples"]
