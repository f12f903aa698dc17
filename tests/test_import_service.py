"""`provisions import federal-register`: what an import writes, keeps, resolves and serves."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.cli import main
from api.importing.service import import_federal_register
from api.seeding import read_seeds
from api.storage import database
from api.storage.models import Change, Document, FederalRegisterDocument, Provision, Relation
from tests.conftest import CHICAGO_ORDER, PROJECT_ROOT, SEEDS
from tests.fake_federal_register import fake_federal_register_fixture  # noqa: F401

CORPUS = PROJECT_ROOT / "corpus" / "federal-register"


def corpus_files(*numbers: int) -> list[Path]:
    """Every file the corpus holds for these orders (JSON, XML, raw text)."""
    found = []
    for number in numbers:
        for folder, suffix in (("json", "json"), ("xml", "xml"), ("text", "htm")):
            path = CORPUS / folder / f"EO_{number}.{suffix}"
            if path.exists():
                found.append(path)
    return found


@pytest.fixture
def run_cli(empty_app, monkeypatch):
    monkeypatch.setattr("api.cli.create_app", lambda: empty_app)
    runner = empty_app.test_cli_runner()
    return lambda *args: runner.invoke(main, list(args))


def import_files(app, paths, **options):
    with app.app_context():
        return import_federal_register(database.engine(), paths, **options)


def count(app, model) -> int:
    with app.app_context():
        return database.session().scalar(select(func.count()).select_from(model))


def etag(app, url: str) -> str:
    return app.test_client().get(url).headers["ETag"]


def test_an_order_imports_with_its_metadata_provisions_and_source(empty_app):
    import_files(empty_app, corpus_files(13769))
    client = empty_app.test_client()
    document = client.get("/v1/documents/us-eo-13769?include=provisions").get_json()
    assert document["number"] == "13769"
    assert document["title"].startswith("Protecting the Nation From Foreign Terrorist Entry")
    assert document["issuer"] == "donald-j-trump"
    assert document["jurisdiction"] == "us"
    assert document["signed_on"] == "2017-01-27"
    assert document["published_on"] == "2017-02-01"
    assert document["citation"] == "82 FR 8977"
    assert document["document_number"] == "2017-02281"
    assert document["pdf_url"].endswith("2017-02281.pdf")
    assert document["verification"] == "official"
    assert document["sources"] == ["fr-2017-02281"]
    source = client.get("/v1/sources/fr-2017-02281").get_json()
    assert source["url"].startswith("https://www.federalregister.gov/documents/2017/02/01/")
    assert source["kind"] == "official"
    sections = [node["label"] for node in document["provisions"] if node["label"]]
    assert sections[:3] == ["Sec. 1", "Sec. 2", "Sec. 3"]
    provision = client.get("/v1/provisions/us-eo-13769.sec-3.a").get_json()
    assert provision["label"] == "Sec. 3(a)"
    assert provision["modality"] == "directs"
    assert provision["addressees"] == ["secretary-of-homeland-security"]
    assert provision["binding"] is True
    assert provision["verification"] == "extracted"
    assert 0 < provision["confidence"] <= 1
    assert provision["extractor"].startswith("provisions-federal-register/")
    assert provision["text"].startswith("The Secretary of Homeland Security, in consultation")
    assert provision["quoted_in"] == "fr-2017-02281"
    actor = client.get("/v1/actors/secretary-of-homeland-security").get_json()
    assert actor["name"] == "Secretary of Homeland Security"


def test_the_same_files_again_change_nothing(empty_app):
    files = corpus_files(13769, 13526)
    first = import_files(empty_app, files)
    assert sorted(first.new) == ["2017-02281", "E9-31418"]
    changes, tag = count(empty_app, Change), etag(empty_app, "/v1/documents/us-eo-13769")
    second = import_files(empty_app, files)
    assert second.new == second.changed == []
    assert sorted(second.unchanged) == ["2017-02281", "E9-31418"]
    assert count(empty_app, Change) == changes
    assert etag(empty_app, "/v1/documents/us-eo-13769") == tag


def test_a_changed_file_updates_what_changed(empty_app, tmp_path):
    original = CORPUS / "json" / "EO_13769.json"
    record = json.loads(original.read_text(encoding="utf-8"))
    changed = tmp_path / "EO_13769.json"
    import_files(empty_app, [original, CORPUS / "xml" / "EO_13769.xml"])
    changes = count(empty_app, Change)
    record["abstract"] = "An abstract the Federal Register added later."
    record["page_views"] = {"count": 1, "last_updated": "2026-01-01"}
    changed.write_text(json.dumps(record), encoding="utf-8")
    report = import_files(empty_app, [changed])
    assert report.changed == ["2017-02281"]
    with empty_app.app_context():
        session = database.session()
        logged = session.execute(
            select(Change.collection, Change.record_id).where(Change.sequence > changes)
        ).all()
        assert logged == [("documents", "us-eo-13769")]
        provisions = session.scalar(
            select(func.count())
            .select_from(Provision)
            .where(Provision.document_id == "us-eo-13769")
        )
    assert provisions > 40  # the text imported before stays
    document = empty_app.test_client().get("/v1/documents/us-eo-13769").get_json()
    assert document["summary"] == "An abstract the Federal Register added later."


def test_a_volatile_field_alone_is_no_change(empty_app, tmp_path):
    record = json.loads((CORPUS / "json" / "EO_13769.json").read_text(encoding="utf-8"))
    import_files(empty_app, [CORPUS / "json" / "EO_13769.json"])
    record["page_views"] = {"count": 99999, "last_updated": "2026-12-01 10:00:00 -0500"}
    (tmp_path / "again.json").write_text(json.dumps(record), encoding="utf-8")
    assert import_files(empty_app, [tmp_path / "again.json"]).unchanged == ["2017-02281"]


def test_seeds_and_imports_keep_each_other(empty_app, tmp_path):
    with empty_app.app_context():
        from api.importing.service import reload

        with database.write_transaction(database.engine()) as connection:
            reload(connection, _now(), seeds=read_seeds(SEEDS))
    import_files(empty_app, corpus_files(13769))
    client = empty_app.test_client()
    assert client.get(f"/v1/documents/{CHICAGO_ORDER}").status_code == 200
    assert client.get("/v1/documents/us-eo-13769").status_code == 200
    # A seed load without one seed document deletes that one, and keeps every import.
    seeds = shutil.copytree(SEEDS, tmp_path / "seeds")
    (seeds / "documents" / "chicago-eo-2025-8.yaml").unlink()
    _drop_references(seeds, "chicago-eo-2025-8")
    with empty_app.app_context(), database.write_transaction(database.engine()) as connection:
        reload(connection, _now(), seeds=read_seeds(seeds))
    assert client.get("/v1/documents/chicago-eo-2025-8").status_code == 404
    assert client.get("/v1/documents/us-eo-13769").status_code == 200
    assert client.get(f"/v1/documents/{CHICAGO_ORDER}").status_code == 200
    # The seeds' own President record wins over the import's.
    president = client.get("/v1/actors/donald-j-trump").get_json()
    assert president["role"].endswith("issuer of the federal orders and memoranda in these seeds")


def test_a_relation_names_an_order_not_in_the_data_then_resolves(empty_app):
    # EO 13526 revokes EO 12958 (April 1995), which the corpus also holds.
    import_files(empty_app, corpus_files(13526))
    client = empty_app.test_client()
    relation = client.get("/v1/relations/rel-us-eo-13526-revokes-us-eo-12958").get_json()
    assert relation["object"] is None
    assert relation["object_reference"] == "EO 12958"
    assert relation["subject"] == "us-eo-13526"
    import_files(empty_app, corpus_files(12958))
    relation = client.get("/v1/relations/rel-us-eo-13526-revokes-us-eo-12958").get_json()
    assert relation["object"] == "us-eo-12958"
    revoked = client.get("/v1/documents/us-eo-12958").get_json()
    assert revoked["status"] == "revoked"
    last = revoked["status_history"][-1]
    assert last["by"] == "us-eo-13526"
    assert last["date"] == "2009-12-29"  # the official text's date, not the API's 2010-12-29
    before = client.get("/v1/documents/us-eo-12958?as_of=2009-12-01").get_json()
    assert before["status_as_of"]["status"] == "in_force"


def test_sources_that_disagree_keep_the_official_text_and_say_so(empty_app):
    import_files(empty_app, corpus_files(13526))
    document = empty_app.test_client().get("/v1/documents/us-eo-13526").get_json()
    assert document["signed_on"] == "2009-12-29"
    assert "2010-12-29" in document["note"] and "December 29, 2009" in document["note"]


def test_new_filters_find_imported_orders(empty_app):
    import_files(empty_app, corpus_files(13769, 13526))
    client = empty_app.test_client()
    for query in ("number=13526", "citation=75+FR+705", "document_number=E9-31418"):
        body = client.get(f"/v1/documents?{query}").get_json()
        assert [item["id"] for item in body["data"]] == ["us-eo-13526"], query


def test_imported_provisions_are_searched_and_exported(empty_app):
    import_files(empty_app, corpus_files(13769))
    client = empty_app.test_client()
    hits = client.get("/v1/search?q=refugee+admissions").get_json()["data"]
    assert any(hit["id"].startswith("us-eo-13769.") for hit in hits)
    lines = client.get("/v1/export/provisions.ndjson").get_data(as_text=True).splitlines()
    assert any(json.loads(line)["id"] == "us-eo-13769.sec-3.a" for line in lines)
    directed = client.get(
        "/v1/provisions?addressee=secretary-of-state&modality=directs&limit=100"
    ).get_json()["data"]
    assert directed and all(item["document"] == "us-eo-13769" for item in directed)


def test_cli_reports_what_it_did(run_cli, empty_app):
    files = [str(path) for path in corpus_files(13769)]
    result = run_cli("import", "federal-register", *files)
    assert result.exit_code == 0, result.output
    assert "1 document(s) new, 0 changed, 0 unchanged" in result.output
    result = run_cli("import", "federal-register", *files)
    assert "0 document(s) new, 0 changed, 1 unchanged" in result.output


def test_cli_fetches_from_the_federal_register_api(
    run_cli, empty_app, fake_federal_register, tmp_path
):
    empty_app.config["FEDERAL_REGISTER_API_URL"] = fake_federal_register.base_url
    empty_app.config["FEDERAL_REGISTER_REQUESTS_PER_SECOND"] = 100
    cache = tmp_path / "cache"
    result = run_cli("import", "federal-register", "--fetch", "--cache", str(cache))
    assert result.exit_code == 0, result.output
    assert "6 document(s) new" in result.output
    assert count(empty_app, FederalRegisterDocument) == 6
    assert count(empty_app, Document) == 6
    again = run_cli(
        "import", "federal-register", "--fetch", "--cache", str(cache), "--number", "13526"
    )
    assert again.exit_code == 0, again.output
    assert "Fetched 0 document(s), 1 already in" in again.output


def test_relations_and_statuses_follow_the_disposition_notes(empty_app):
    # EO 13292 (2003) amends EO 12958; EO 13526 (2009) revokes both.
    import_files(empty_app, corpus_files(12958, 13292, 13526))
    with empty_app.app_context():
        relations = {
            (relation.type, relation.subject_id, relation.object_id)
            for relation in database.session().scalars(select(Relation))
        }
    assert ("amends", "us-eo-13292", "us-eo-12958") in relations
    assert ("revokes", "us-eo-13526", "us-eo-13292") in relations
    timeline = empty_app.test_client().get("/v1/timeline?document=us-eo-12958").get_json()
    kinds = {event["kind"] for event in timeline["data"]}
    assert {"document_signed", "status_changed"} <= kinds


def _now():
    import datetime

    return datetime.datetime.now(datetime.UTC)


def _drop_references(seeds: Path, document_id: str) -> None:
    """Remove the seed records that refer to a document about to be removed."""
    import yaml

    for name in ("relations.yaml", "statements.yaml"):
        path = seeds / name
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        kept = []
        for record in records:
            if document_id in (record.get("subject"), record.get("object")):
                continue
            if "about" in record:
                record["about"] = [item for item in record["about"] if item != document_id]
            kept.append(record)
        path.write_text(yaml.safe_dump(kept, sort_keys=False, allow_unicode=True), "utf-8")
    for document in (seeds / "documents").glob("*.yaml"):
        text = document.read_text(encoding="utf-8")
        assert f"by: {document_id}" not in text, document


def test_an_order_only_mentioned_is_not_revoked(empty_app):
    # EO 13231 revokes EO 13130; its notes also list EO 12958 under "See:", which is no relation.
    import_files(empty_app, corpus_files(12958, 13130, 13231))
    client = empty_app.test_client()
    from_13231 = client.get("/v1/relations?subject=us-eo-13231").get_json()["data"]
    assert {(item["type"], item["object"]) for item in from_13231} == {("revokes", "us-eo-13130")}
    assert client.get("/v1/documents/us-eo-12958").get_json()["status"] == "in_force"
    assert client.get("/v1/documents/us-eo-13130").get_json()["status"] == "revoked"


def test_facets_and_the_change_feed_cover_imported_orders(empty_app):
    import_files(empty_app, corpus_files(13769, 13526))
    client = empty_app.test_client()
    facets = client.get("/v1/documents?facets=type,issuer").get_json()["facets"]
    assert {"value": "executive_order", "count": 2} in facets["type"]
    assert {item["value"] for item in facets["issuer"]} == {"barack-obama", "donald-j-trump"}
    changes = client.get("/v1/changes?limit=100").get_json()["data"]
    created = {(item["collection"], item["id"]) for item in changes}
    assert {("documents", "us-eo-13769"), ("documents", "us-eo-13526")} <= created
