"""Export lines rendered by the database are byte for byte the lines Python dumps.

Compared on every record of the seeds and of a synthetic corpus whose text is made awkward
(quotes, backslashes, control characters, non-ASCII, `</script>`) and whose timestamps have
microseconds with and without trailing zeros, on whichever database the suite runs on.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from marshmallow import Schema, fields
from sqlalchemy import select

from api.collections import BY_NAME, NAMES
from api.queries import json_lines
from api.queries.catalogs import CATALOGS
from api.queries.records import Attachments
from api.seeding import load_dataset
from api.services.exports import ndjson_lines
from api.storage import database
from api.storage.models import Document, Fraction
from schemas.dumping import dumper, to_json
from synthetic import synthetic_dataset
from tests.conftest import isolated_database, make_app

RENDERED_IN_SQL = list(NAMES)  # every collection, documents' nested history included
AWKWARD = [
    'a "quoted" word, a back\\slash and a slash /',
    "</script><script>alert('x')</script> <!-- & &amp; <b>",
    "controls: \x01 \x08 \t \n \x0b \x0c \r \x1b \x1f \x7f \x85 end",
    "non-ASCII: é ß Ωμέγα 漢字 😀 \u00a0 \u2028 \u2029 \ufeff e\u0301",
    "\\u00e9 is not é, and \\n is not a newline",
    " leading and trailing spaces ",
]
# Text columns given awkward endings (those that are not null), by table.
TEXT_COLUMNS = {
    "documents": ("title", "summary", "note"),
    "status_changes": ("note",),
    "provisions": ("label", "action", "summary", "text"),
    "sources": ("title", "publisher", "note"),
    "statements": ("date_note", "location", "subject", "quote"),
    "relations": ("summary",),
    "actors": ("name", "role"),
    "jurisdictions": ("name",),
}
# Confidences as an extractor may give them: stored to three decimals (api.storage.models.Fraction).
CONFIDENCES = [None, 0.0, 1.0, 0.001, 0.5, 0.85 - 0.1, 0.999, 2 / 3, 1e-5, -0.0]
FIRST_LOAD = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
SECOND_LOAD = datetime.datetime(2025, 3, 4, 5, 6, 7, 120000, tzinfo=datetime.UTC)


def awkward_dataset():
    """A synthetic corpus whose text, authors and topics hold every awkward string."""
    dataset = synthetic_dataset(documents=30, seed=5)
    for table, columns in TEXT_COLUMNS.items():
        for number, row in enumerate(dataset.rows[table]):
            for column in columns:
                if row[column] is not None:
                    row[column] = f"{row[column]} {AWKWARD[number % len(AWKWARD)]}"
    for number, row in enumerate(dataset.rows["sources"]):
        row["authors"] = [AWKWARD[(number + shift) % len(AWKWARD)] for shift in range(number % 3)]
    for number, row in enumerate(dataset.rows["provisions"][::5]):
        topic = AWKWARD[number % len(AWKWARD)]
        dataset.add("provision_topics", {"provision_id": row["id"], "topic": topic})
    add_official_text_fields(dataset)
    vary_status_histories(dataset)
    return dataset


def vary_status_histories(dataset) -> None:
    """Status changes with no date or note, and with several sources, out of id order."""
    source_ids = sorted(row["id"] for row in dataset.rows["sources"])
    for number, row in enumerate(dataset.rows["status_changes"]):
        if number % 4 == 1:
            row["date"] = None
        if number % 5 == 2:
            row["note"] = None
        if number % 3 == 0:
            owner = {"document_id": row["document_id"], "position": row["position"]}
            taken = {
                link["source_id"]
                for link in dataset.rows["status_change_sources"]
                if link.items() >= owner.items()
            }
            for source_id in [source_ids[-1 - number % 7], source_ids[number % 5]]:
                if source_id not in taken:
                    taken.add(source_id)
                    dataset.add("status_change_sources", {**owner, "source_id": source_id})


def add_official_text_fields(dataset) -> None:
    """Headings, confidences, and relations whose object is not in the data, on some rows."""
    for number, row in enumerate(dataset.rows["provisions"]):
        awkward = AWKWARD[number % len(AWKWARD)]
        row["heading"] = f"Heading {number}. {awkward}" if number % 3 == 0 else None
        row["confidence"] = CONFIDENCES[number % len(CONFIDENCES)]
        row["extractor"] = None if row["confidence"] is None else f"extractor/{number % 2}"
    for number, row in enumerate(dataset.rows["relations"]):
        if number % 3 == 0:
            row["object_id"] = None
            row["object_reference"] = f"EO {12000 + number} {AWKWARD[number % len(AWKWARD)]}"


@pytest.fixture(scope="module")
def awkward_app(tmp_path_factory):
    """Loaded twice: records changed by the second load have timestamps with microseconds."""
    with isolated_database(tmp_path_factory.mktemp("sql-rendering")) as settings:
        app = make_app(settings)
        dataset = awkward_dataset()
        with app.app_context():
            load_dataset(database.engine(), dataset, now=FIRST_LOAD)
            for row in dataset.rows["provisions"][::4]:
                row["summary"] += " (revised)"
            for row in dataset.rows["sources"][::4]:
                row["title"] += " (revised)"
            load_dataset(database.engine(), dataset, now=SECOND_LOAD)
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(params=["seeds", "awkward"])
def app(request, seeded_app, awkward_app):
    return seeded_app if request.param == "seeds" else awkward_app


def dumped_lines(collection: str) -> list[str]:
    """Each record read as the API reads it and dumped by the compiled schema."""
    catalog, schema = CATALOGS[collection], BY_NAME[collection].record_schema
    table = catalog.model.__table__
    rows = database.session().execute(select(table).order_by(table.c.id)).all()
    return [to_json(dumper(schema)(record)) for record in catalog.read(rows)]


@pytest.mark.parametrize("collection", RENDERED_IN_SQL)
def test_lines_rendered_by_the_database_equal_python_dumps(app, collection, monkeypatch):
    monkeypatch.setattr("api.services.exports.BATCH_SIZE", 7)  # several batches
    with app.test_request_context():
        catalog, schema = CATALOGS[collection], BY_NAME[collection].record_schema
        dialect = database.session().get_bind().dialect
        json_lines.lines(catalog, schema, dialect)  # the SQL path, not a fallback
        exported = b"".join(ndjson_lines(collection)).decode().split("\n")
        expected = dumped_lines(collection)
    assert exported.pop() == ""  # every line ends with a newline
    assert len(exported) == len(expected) > 0
    for line, dumped in zip(exported, expected, strict=True):
        assert line == dumped


def test_the_awkward_corpus_has_what_it_is_meant_to(awkward_app):
    with awkward_app.test_request_context():
        lines = {collection: "\n".join(dumped_lines(collection)) for collection in RENDERED_IN_SQL}
    for awkward in AWKWARD:
        escaped = to_json(awkward)[1:-1]
        assert all(escaped in text for text in lines.values()), awkward
    assert '.120000+00:00"' in lines["provisions"] and '05+00:00"' in lines["provisions"]
    for written in ('"confidence":1.0,', '"confidence":0.0,', '"confidence":0.75,'):
        assert written in lines["provisions"]
    assert '"object":null,' in lines["relations"] and '"object":"synth-' in lines["relations"]


def test_every_fraction_is_written_by_the_database_as_python_writes_it(seeded_app):
    thousandths = [number / 1000 for number in range(1001)]
    table = sa.Table(
        "fractions",
        sa.MetaData(),
        sa.Column("value", Fraction(), nullable=True),
        prefixes=["TEMPORARY"],
    )
    with seeded_app.app_context(), database.engine().connect() as connection:
        table.create(connection)
        connection.execute(table.insert(), [{"value": value} for value in [*thousandths, None]])
        flavour = json_lines.DIALECTS[connection.dialect.name]
        line = flavour.line([("value", flavour.fraction(table.c.value))])
        written = connection.execute(select(line)).scalars().all()
        connection.rollback()
    assert sorted(written) == sorted(to_json({"value": value}) for value in [*thousandths, None])


def test_an_attachment_the_database_cannot_write_is_refused_at_once(seeded_app):
    documents = CATALOGS["documents"]
    unknown = Attachments(**documents.attached.linked, status_history=object())
    catalog = SimpleNamespace(kind="document", model=documents.model, attached=unknown)
    with seeded_app.test_request_context():
        dialect = database.session().get_bind().dialect
    with pytest.raises(json_lines.Unrenderable, match="status_history"):
        json_lines.lines(catalog, BY_NAME["documents"].record_schema, dialect)


def test_the_awkward_corpus_has_every_kind_of_status_history(awkward_app):
    with awkward_app.test_request_context():
        lines = "\n".join(dumped_lines("documents"))
    assert '"date":null,' in lines and '"note":null,' in lines
    assert re.search(r'"sources":\["[^"\]]+","[^"\]]+"', lines)  # two sources or more


def test_a_field_without_a_rendering_is_refused_at_once(seeded_app):
    class Odd(Schema):
        position = fields.Float()

    with seeded_app.test_request_context():
        dialect = database.session().get_bind().dialect
    with pytest.raises(json_lines.Unrenderable, match="Float"):
        json_lines.lines(CATALOGS["provisions"], Odd, dialect)


PAGES = [
    "/v1/provisions?limit=7",
    "/v1/provisions?limit=5&facets=modality,addressee,topic",
    "/v1/provisions?modality=directs&binding=true",
    "/v1/provisions?q=order&limit=4",
    "/v1/provisions?sort=id&limit=3",
    "/v1/statements?limit=6",
    "/v1/relations",
    "/v1/actors?limit=9",
    "/v1/jurisdictions",
    "/v1/sources?limit=8",  # no linked lists: dumped in Python, which costs no more queries
]


def walk(client, url: str, pages: int = 3) -> list[bytes]:
    bodies = []
    while url and len(bodies) < pages:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        bodies.append(response.get_data())
        url = response.get_json()["links"].get("next")
    return bodies


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_written_by_the_database_equal_python_dumps(app, url, monkeypatch):
    calls = []
    renderer = json_lines.renderer
    monkeypatch.setattr(json_lines, "renderer", lambda *args: calls.append(1) or renderer(*args))
    with app.test_request_context():
        some_document = database.session().scalar(select(Document.id).order_by(Document.id))
    urls = [url, f"/v1/documents/{some_document}/provisions?limit=4"]
    rendered = [walk(app.test_client(), each) for each in urls]
    assert calls  # the pages above were written by the database

    def refuse(*_args):
        raise json_lines.Unrenderable("as if it could not")

    monkeypatch.setattr(json_lines, "renderer", refuse)
    assert [walk(app.test_client(), each) for each in urls] == rendered
