"""A document's detail written by the database is byte for byte the one dumped in Python.

`api.queries.documents.document_json` writes the document, its status history and its
provision tree in two statements; the plain path reads six and dumps a tree of records.
Both are compared on every document of the seeds and of a corpus of awkward text.
"""

import pytest
from sqlalchemy import select

from api.queries import documents, json_lines
from api.storage import database
from api.storage.models import Document

INCLUDES = ["", "?include=provisions", "?include=provisions&include=provisions"]


@pytest.fixture(params=["seeds", "awkward"])
def app(request, seeded_app, awkward_app):
    return seeded_app if request.param == "seeds" else awkward_app


def every_detail(client, document_ids: list[str]) -> list[tuple[int, str, bytes]]:
    """(status, ETag, body) of each document's detail, with and without its provisions."""
    responses = [
        client.get(f"/v1/documents/{document_id}{include}")
        for document_id in document_ids
        for include in INCLUDES
    ]
    return [(r.status_code, r.headers.get("ETag"), r.get_data()) for r in responses]


def refuse(*_arguments):
    raise json_lines.Unrenderable("as if the database could not write it")


def test_every_detail_written_by_the_database_equals_the_python_dump(app, monkeypatch):
    with app.app_context():
        document_ids = list(database.session().scalars(select(Document.id).order_by(Document.id)))
    calls = []
    selection = json_lines.selection
    monkeypatch.setattr(
        json_lines, "selection", lambda *a, **k: calls.append(1) or selection(*a, **k)
    )
    written = every_detail(app.test_client(), document_ids)
    assert calls  # the database wrote them
    monkeypatch.setattr(json_lines, "selection", refuse)
    dumped = every_detail(app.test_client(), document_ids)
    assert len(written) == len(dumped) == len(document_ids) * len(INCLUDES) > 30
    for ours, plain in zip(written, dumped, strict=True):
        assert ours == plain
    assert {status for status, _, _ in written} == {200}


def test_the_tree_is_nested_as_the_document_orders_it(seeded_app):
    body = seeded_app.test_client().get("/v1/documents/chicago-eo-2025-6?include=provisions")
    tree = body.get_json()["provisions"]
    nested = [child for node in tree for child in node["provisions"]]
    assert nested, "the seeded order has sub-provisions"
    positions = []

    def walk(nodes, parent):
        for node in nodes:
            assert node["parent"] == parent and "subprovisions" not in node
            positions.append(node["position"])
            walk(node["provisions"], node["id"])

    walk(tree, None)
    assert positions == sorted(positions)


def test_a_missing_document_is_the_same_problem_either_way(seeded_app, monkeypatch):
    client = seeded_app.test_client()
    written = client.get("/v1/documents/no-such-document?include=provisions")
    monkeypatch.setattr(json_lines, "selection", refuse)
    dumped = client.get("/v1/documents/no-such-document?include=provisions")
    assert written.status_code == dumped.status_code == 404
    assert written.mimetype == "application/problem+json"
    assert written.get_json() == dumped.get_json()


def test_a_status_on_a_day_and_linked_data_are_dumped_in_python(seeded_app, monkeypatch):
    monkeypatch.setattr(documents, "document_json", refuse)  # would fail the request
    client = seeded_app.test_client()
    on_a_day = client.get("/v1/documents/chicago-eo-2025-6?as_of=2025-09-01")
    assert on_a_day.status_code == 200 and "status_as_of" in on_a_day.get_json()
    linked = client.get(
        "/v1/documents/chicago-eo-2025-6", headers={"Accept": "application/ld+json"}
    )
    assert linked.status_code == 200 and linked.mimetype == "application/ld+json"
