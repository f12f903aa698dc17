"""Export lines rendered by the database are byte for byte the lines Python dumps.

Compared on every record of the seeds and of a synthetic corpus whose text is made awkward
(quotes, backslashes, control characters, non-ASCII, `</script>`) and whose timestamps have
microseconds with and without trailing zeros, on whichever database the suite runs on.
"""

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
from api.services.exports import ndjson_lines
from api.storage import database
from api.storage.models import Document, Fraction
from schemas.dumping import dumper, to_json
from tests.awkward import AWKWARD

RENDERED_IN_SQL = list(NAMES)  # every collection, documents' nested history included


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
