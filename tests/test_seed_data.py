"""The seed data is complete and true to its sources."""

import pytest

from api.seeding import read_seeds
from tests.conftest import CHICAGO_ORDER, SEEDS


@pytest.fixture(scope="module")
def dataset():
    return read_seeds(SEEDS)


def rows(dataset, table, **match):
    return [row for row in dataset.rows[table] if all(row[k] == v for k, v in match.items())]


def test_chicago_order_has_every_provision_in_order(dataset):
    top_level = rows(dataset, "provisions", document_id=CHICAGO_ORDER, depth=0)
    assert [row["modality"] for row in top_level] == [
        "demands", "affirms", "directs", "prohibits", "requires", "urges", "directs", "establishes",
    ]  # fmt: skip
    assert all(row["label"] is None for row in top_level), "the order's section numbers are unknown"


def test_urging_federal_officers_has_three_sub_provisions_that_do_not_bind(dataset):
    (urges,) = rows(dataset, "provisions", document_id=CHICAGO_ORDER, depth=0, modality="urges")
    children = rows(dataset, "provisions", parent_id=urges["id"])
    assert len(children) == 3
    assert not urges["binding"] and not any(child["binding"] for child in children)
    texts = [child["text"] for child in children]
    assert texts == [
        "to refrain from wearing masks",
        "to wear and use body cameras",
        "to identify themselves to members of the public with names and badge numbers",
    ]


def test_every_document_in_the_research_notes_is_seeded(dataset):
    numbers = {row["number"] for row in dataset.rows["documents"]}
    assert {"2025-6", "14339", "14333", "2025-8"} <= numbers
    types = [row["type"] for row in dataset.rows["documents"]]
    assert types.count("presidential_memorandum") >= 3  # D.C., Los Angeles, Illinois
    assert types.count("court_order") >= 8


def test_illinois_memorandum_was_enjoined_on_9_october_2025(dataset):
    enjoined = [
        row
        for row in dataset.rows["status_changes"]
        if row["status"] == "enjoined" and str(row["date"]) == "2025-10-09"
    ]
    assert len(enjoined) == 1
    assert enjoined[0]["by_id"] is not None


@pytest.mark.parametrize(
    "table, owner",
    [
        ("documents", "document_id"),
        ("provisions", "provision_id"),
        ("statements", "statement_id"),
        ("relations", "relation_id"),
        ("actors", "actor_id"),
        ("jurisdictions", "jurisdiction_id"),
    ],
)
def test_every_record_names_its_sources(dataset, table, owner):
    links = {row[owner] for row in dataset.rows[table.removesuffix("s") + "_sources"]}
    assert {row["id"] for row in dataset.rows[table]} <= links


def test_every_statement_in_the_news_report_is_seeded(dataset):
    speakers = {row["speaker_id"] for row in dataset.rows["statements"]}
    assert len(dataset.rows["statements"]) >= 7
    assert len(speakers) >= 5  # Johnson, the White House, Pritzker, Trump, Vance


def test_verbatim_fields_are_checked_against_their_source(dataset):
    quoted = [row for row in dataset.rows["provisions"] if row["text"] is not None]
    assert quoted, "the news report quotes the order: some provisions carry verbatim text"
    source_text = (SEEDS / "source-texts" / "cnn-2025-08-30-chicago-mayor-order.txt").read_text()
    for row in quoted + dataset.rows["statements"]:
        words = row.get("text") or row["quote"]
        assert words in source_text
