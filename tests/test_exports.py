"""Bulk formats, each read back by a parser: NDJSON, the dataset ZIP, the Atom feed."""

import datetime
import hashlib
import io
import json
import shutil
import zipfile
from types import SimpleNamespace

import feedparser
import pytest

from api.presentation.feeds import documents_feed
from api.seeding import load_dataset, read_seeds
from api.storage import database
from schemas.queries import RECORD_COLLECTIONS
from tests.conftest import CHICAGO_ORDER, SEEDS

COLLECTIONS = RECORD_COLLECTIONS


def every_item(client, collection: str) -> list[dict]:
    body = client.get(f"/v1/{collection}?limit=100&sort=id").get_json()
    assert "next" not in body["links"]
    return body["data"]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_ndjson_export_is_the_whole_collection_one_record_a_line(client, collection):
    response = client.get(f"/v1/export/{collection}.ndjson")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    assert len(response.headers["X-Dataset-Version"]) == 64
    records = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert records == every_item(client, collection)


def test_an_export_larger_than_one_batch_streams_every_batch(client, monkeypatch):
    monkeypatch.setattr("api.services.exports.BATCH_SIZE", 3)
    lines = client.get("/v1/export/provisions.ndjson").get_data(as_text=True).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        p["id"] for p in every_item(client, "provisions")
    ]


def test_the_export_is_streamed_not_built_in_memory(client):
    """Nothing may read the body whole to size it (Werkzeug's make_conditional would)."""
    response = client.get("/v1/export/provisions.ndjson", buffered=False)
    assert response.is_streamed
    assert "Content-Length" not in response.headers
    first = next(iter(response.response))
    assert json.loads(first.splitlines()[0])["id"]
    response.close()


def test_an_unknown_collection_is_404(client):
    assert client.get("/v1/export/secrets.ndjson").status_code == 404


def test_dataset_zip_has_a_manifest_with_counts_and_checksums(client):
    response = client.get("/v1/export/dataset.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["dataset_version"] == response.headers["X-Dataset-Version"]
    assert [f["name"] for f in manifest["files"]] == [f"{c}.ndjson" for c in COLLECTIONS]
    for entry in manifest["files"]:
        content = archive.read(entry["name"])
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert (
            len(content.splitlines())
            == entry["records"]
            == len(every_item(client, entry["name"].removesuffix(".ndjson")))
        )
    assert client.get("/v1/export/dataset.zip").data == response.data  # built once, kept


def test_a_new_load_gives_a_new_zip(empty_app, tmp_path):
    seeds = shutil.copytree(SEEDS, tmp_path / "seeds")
    client = empty_app.test_client()
    with empty_app.app_context():
        load_dataset(database.engine(), read_seeds(seeds))
    first = zipfile.ZipFile(io.BytesIO(client.get("/v1/export/dataset.zip").data))
    order = seeds / "documents" / f"{CHICAGO_ORDER}.yaml"
    order.write_text(order.read_text().replace("Executive Order Denouncing", "Order Denouncing"))
    with empty_app.app_context():
        load_dataset(database.engine(), read_seeds(seeds))
    second = zipfile.ZipFile(io.BytesIO(client.get("/v1/export/dataset.zip").data))
    first_manifest = json.loads(first.read("manifest.json"))
    second_manifest = json.loads(second.read("manifest.json"))
    assert first_manifest["dataset_version"] != second_manifest["dataset_version"]
    assert b"Order Denouncing" in second.read("documents.ndjson")


def test_atom_feed_is_valid_and_lists_the_latest_changes_first(empty_app, tmp_path):
    seeds = shutil.copytree(SEEDS, tmp_path / "seeds")
    client = empty_app.test_client()
    with empty_app.app_context():
        load_dataset(database.engine(), read_seeds(seeds))
    order = seeds / "documents" / "us-eo-14333.yaml"
    order.write_text(order.read_text().replace("summary: ", "summary: Revised. ", 1))
    with empty_app.app_context():
        load_dataset(database.engine(), read_seeds(seeds))
    response = client.get("/v1/documents.atom")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == len(every_item(client, "documents"))
    assert feed.entries[0].id.endswith("/v1/documents/us-eo-14333")
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    for entry in feed.entries[:3]:
        (alternate,) = [link.href for link in entry.links if link.rel == "alternate"]
        path = alternate.split("localhost", 1)[1]
        assert client.get(path).status_code == 200


def atom_time(moment: str) -> str:
    """An API timestamp (`…+00:00`) as the feed writes it (`…Z`)."""
    return moment.replace("+00:00", "Z")


def test_atom_entries_are_published_on_their_signing_date(client):
    feed = feedparser.parse(client.get("/v1/documents.atom").data)
    documents = {item["id"]: item for item in every_item(client, "documents")}
    published = {entry.id.rsplit("/", 1)[1]: entry for entry in feed.entries}
    assert published[CHICAGO_ORDER].published == "2025-08-30T00:00:00Z"
    for document_id, entry in published.items():
        document = documents[document_id]
        day = document["signed_on"] or document["published_on"]
        assert entry.get("published") == (f"{day}T00:00:00Z" if day else None), document_id
        assert entry.updated == atom_time(document["updated_at"]), document_id


def test_an_unsigned_atom_entry_is_published_on_its_publication_date(seeded_app):
    document = SimpleNamespace(
        id="us-eo-1",
        title="An order",
        summary="Orders things.",
        type="executive_order",
        signed_on=None,
        published_on=datetime.date(2025, 10, 2),
        created_at=datetime.datetime(2026, 1, 1, 9, 30, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 1, 2, 9, 30, tzinfo=datetime.UTC),
        official_url=None,
        pdf_url=None,
        xml_url=None,
        text_url=None,
    )
    with seeded_app.test_request_context("/v1/documents.atom"):
        body = documents_feed([document], document.updated_at)
    (entry,) = feedparser.parse(body).entries
    assert entry.published == "2025-10-02T00:00:00Z"
    assert entry.updated == "2026-01-02T09:30:00Z"
