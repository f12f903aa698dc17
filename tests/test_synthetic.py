"""`synthetic_dataset` and `python -m synthetic load`: deterministic, well-formed, loadable."""

import datetime
from collections import Counter, defaultdict

import pytest

from api import create_app
from api.storage import models  # noqa: F401  (models registers every table)
from api.storage.database import Base
from schemas import vocabularies
from synthetic import EVERY_PROVISION_WORD, synthetic_dataset
from synthetic.__main__ import main

# Each row's term columns, and the vocabulary every value must come from.
TERMS = {
    ("documents", "type"): vocabularies.DOCUMENT_TYPES,
    ("documents", "status"): vocabularies.DOCUMENT_STATUSES,
    ("documents", "verification"): vocabularies.VERIFICATION_LEVELS,
    ("status_changes", "status"): vocabularies.DOCUMENT_STATUSES,
    ("provisions", "modality"): vocabularies.MODALITIES,
    ("provisions", "verification"): vocabularies.VERIFICATION_LEVELS,
    ("relations", "type"): vocabularies.RELATION_TYPES,
    ("jurisdictions", "level"): vocabularies.JURISDICTION_LEVELS,
    ("actors", "kind"): vocabularies.ACTOR_KINDS,
    ("sources", "kind"): vocabularies.SOURCE_KINDS,
    ("statements", "setting"): vocabularies.STATEMENT_SETTINGS,
    ("statements", "stance"): vocabularies.STANCES,
    ("statements", "verification"): vocabularies.VERIFICATION_LEVELS,
}
SOURCED = {
    "jurisdictions": ("jurisdiction_sources", "jurisdiction_id"),
    "actors": ("actor_sources", "actor_id"),
    "documents": ("document_sources", "document_id"),
    "provisions": ("provision_sources", "provision_id"),
    "statements": ("statement_sources", "statement_id"),
    "relations": ("relation_sources", "relation_id"),
}


@pytest.fixture(scope="module")
def corpus():
    """A few hundred documents; tests must not change it."""
    return synthetic_dataset(documents=300, seed=11)


def test_the_same_seed_gives_the_same_dataset_and_another_seed_another():
    assert synthetic_dataset(40, seed=7) == synthetic_dataset(40, seed=7)
    assert synthetic_dataset(40, seed=7) != synthetic_dataset(40, seed=8)


def test_it_has_the_asked_documents_and_about_one_statement_and_relation_per_five(corpus):
    assert corpus.count("documents") == 300
    assert corpus.count("statements") == corpus.count("relations") == 60
    assert 200 <= corpus.count("actors") <= 1000
    assert corpus.count("jurisdictions") > 30


def test_primary_keys_are_unique(corpus):
    for table_name, rows in corpus.rows.items():
        keys = [c.name for c in Base.metadata.tables[table_name].primary_key.columns]
        values = [tuple(row[key] for key in keys) for row in rows]
        assert len(values) == len(set(values)), table_name


def test_every_foreign_key_resolves(corpus):
    for table_name, rows in corpus.rows.items():
        for constraint in Base.metadata.tables[table_name].foreign_key_constraints:
            target = constraint.referred_table.name
            columns = [column.name for column in constraint.columns]
            targets = [element.column.name for element in constraint.elements]
            existing = {tuple(row[name] for name in targets) for row in corpus.rows[target]}
            for row in rows:
                value = tuple(row[name] for name in columns)
                if None not in value:
                    assert value in existing, (table_name, columns, value)


def test_every_record_names_a_source(corpus):
    for table_name, (links, owner) in SOURCED.items():
        sourced = {row[owner] for row in corpus.rows[links]}
        assert all(row["id"] in sourced for row in corpus.rows[table_name]), table_name
    changes = {(r["document_id"], r["position"]) for r in corpus.rows["status_change_sources"]}
    assert all((r["document_id"], r["position"]) in changes for r in corpus.rows["status_changes"])


def test_every_term_comes_from_its_vocabulary(corpus):
    for (table_name, column), vocabulary in TERMS.items():
        assert {row[column] for row in corpus.rows[table_name]} <= set(vocabulary)


def test_provision_trees_are_numbered_as_the_seed_builder_numbers_them(corpus):
    by_document = defaultdict(list)
    for provision in corpus.rows["provisions"]:
        by_document[provision["document_id"]].append(provision)
    children = Counter(p["parent_id"] for p in corpus.rows["provisions"] if p["parent_id"])
    assert set(by_document) == {document["id"] for document in corpus.rows["documents"]}
    for document_id, provisions in by_document.items():
        assert [p["position"] for p in provisions] == list(range(1, len(provisions) + 1))
        assert 5 <= len(provisions) <= 15  # sub-provisions included
        for provision in provisions:
            parent = provision["parent_id"] or document_id
            assert provision["id"].rsplit(".", 1)[0] == parent
            assert provision["depth"] == provision["id"].count(".") - document_id.count(".") - 1
            assert provision["depth"] <= 2
    assert max(children.values()) <= 4
    assert {p["depth"] for p in corpus.rows["provisions"]} == {0, 1, 2}


def test_documents_have_about_ten_provisions_over_a_third_of_them_nested(corpus):
    provisions = corpus.rows["provisions"]
    assert 9 <= len(provisions) / corpus.count("documents") <= 11
    assert 0.3 < sum(p["depth"] > 0 for p in provisions) / len(provisions) < 0.5


def test_provisions_are_realistic(corpus):
    provisions = corpus.rows["provisions"]
    modalities = Counter(provision["modality"] for provision in provisions)
    # `contains` (a heading with no words of its own) is left to imported official texts.
    assert set(modalities) == set(vocabularies.MODALITIES) - {"contains"}
    assert modalities["directs"] > modalities["revokes"]
    for provision in provisions:
        assert provision["binding"] == (provision["modality"] not in ("urges", "demands"))
        assert EVERY_PROVISION_WORD in provision["summary"]
    quoted = [provision for provision in provisions if provision["text"] is not None]
    assert 0.2 < len(quoted) / len(provisions) < 0.4
    assert all(provision["quoted_in_id"] is not None for provision in quoted)
    assert all((p["text"] is None) == (p["quoted_in_id"] is None) for p in provisions)
    addressees = Counter(row["provision_id"] for row in corpus.rows["provision_addressees"])
    assert set(addressees) == {provision["id"] for provision in provisions}
    assert set(addressees.values()) == {1, 2, 3}


def test_quotations_come_from_the_documents_own_sources(corpus):
    sources = defaultdict(set)
    for row in corpus.rows["document_sources"]:
        sources[row["document_id"]].add(row["source_id"])
    for provision in corpus.rows["provisions"]:
        if provision["quoted_in_id"]:
            assert provision["quoted_in_id"] in sources[provision["document_id"]]


def test_dates_are_in_range_and_histories_in_order(corpus):
    documents = {document["id"]: document for document in corpus.rows["documents"]}
    signed = [d["signed_on"] for d in documents.values() if d["signed_on"] is not None]
    assert datetime.date(1990, 1, 1) <= min(signed) <= max(signed) <= datetime.date(2025, 12, 31)
    assert len(signed) < len(documents)
    history = defaultdict(list)
    for change in corpus.rows["status_changes"]:
        history[change["document_id"]].append(change)
    for document_id, changes in history.items():
        assert 1 <= len(changes) <= 3
        assert changes[0]["status"] == "in_force"
        assert changes[0]["date"] == documents[document_id]["signed_on"]
        dates = [change["date"] for change in changes if change["date"] is not None]
        assert dates == sorted(dates)
        assert documents[document_id]["status"] == changes[-1]["status"]


def test_relations_link_two_different_documents_on_a_date(corpus):
    for relation in corpus.rows["relations"]:
        assert relation["subject_id"] != relation["object_id"]
        assert relation["date"] is not None


@pytest.fixture
def run_cli(empty_app, monkeypatch):
    """Run `python -m synthetic` against the empty test database (or --database-url's)."""

    def app_for(config: dict | None = None):
        return empty_app if config is None else create_app(config)

    monkeypatch.setattr("synthetic.__main__.create_app", app_for)
    runner = empty_app.test_cli_runner()
    return lambda *args: runner.invoke(main, list(args))


def test_load_loads_a_corpus_that_the_api_serves(empty_app, run_cli):
    result = run_cli("load", "--documents", "200", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "200 documents" in result.output
    assert "provisions/second" in result.output
    client = empty_app.test_client()
    for collection in ("provisions", "documents"):
        response = client.get(f"/v1/{collection}?limit=5")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert len(response.get_json()["data"]) == 5
    provision = client.get("/v1/provisions?limit=1").get_json()["data"][0]
    assert client.get(f"/v1/provisions/{provision['id']}").status_code == 200


def test_load_loads_into_the_database_it_is_given(tmp_path, run_cli):
    url = f"sqlite:///{tmp_path / 'synthetic.sqlite3'}"
    result = run_cli("load", "--documents", "5", "--database-url", url)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "synthetic.sqlite3").stat().st_size > 0
