"""Records read with Core and dumped by compiled schemas equal what the ORM and marshmallow give.

Two steps are checked on every record of the seeds and of a synthetic corpus: reading (a
`Record` dumps like the ORM object it replaces) and rendering (the compiled dumper writes the
same JSON as `Schema().dump`, key order included).
"""

import datetime
import json

import pytest
from marshmallow import Schema, fields
from sqlalchemy import select

from api.collections import BY_NAME, NAMES
from api.queries.catalogs import CATALOGS
from api.queries.documents import get_document
from api.seeding import load_dataset
from api.storage import database
from schemas.dumping import dumper
from schemas.records import DocumentDetailSchema
from synthetic import synthetic_dataset
from tests.conftest import isolated_database, make_app


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="module")
def synthetic_app(tmp_path_factory):
    with isolated_database(tmp_path_factory.mktemp("rendering")) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), synthetic_dataset(documents=40, seed=3))
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(params=["seeds", "synthetic"])
def app(request, seeded_app, synthetic_app):
    return seeded_app if request.param == "seeds" else synthetic_app


@pytest.mark.parametrize("collection", NAMES)
def test_records_dump_like_orm_objects_and_compiled_dumps_equal_marshmallow(app, collection):
    catalog, schema_class = CATALOGS[collection], BY_NAME[collection].record_schema
    schema, dump = schema_class(), dumper(schema_class)
    with app.test_request_context():
        session = database.session()
        objects = session.scalars(select(catalog.model).order_by(catalog.model.id))
        compared = 0
        for orm_object in objects:
            record = catalog.get(orm_object.id)
            assert as_json(schema.dump(record)) == as_json(schema.dump(orm_object))
            assert as_json(dump(record)) == as_json(schema.dump(record))
            compared += 1
    assert compared > 0


def test_document_trees_and_statuses_on_a_day_render_like_marshmallow(app):
    schema, dump = DocumentDetailSchema(), dumper(DocumentDetailSchema)
    with app.test_request_context():
        ids = database.session().scalars(select(BY_NAME["documents"].model.id))
        for document_id in ids:
            day = datetime.date(2025, 10, 1)
            document = get_document(document_id, ["provisions"], day)
            rendered = dump(document)
            assert as_json(rendered) == as_json(schema.dump(document))
            assert "status_as_of" in rendered
            nested = [node for root in rendered["provisions"] for node in root["provisions"]]
            assert all("subprovisions" not in node for node in nested)
        plain = get_document(document_id, [])
        assert "provisions" not in dump(plain) and "status_as_of" not in dump(plain)


def test_a_field_type_without_a_compiled_form_is_refused_at_once():
    class Odd(Schema):
        ratio = fields.Decimal()

    with pytest.raises(TypeError, match="no compiled form"):
        dumper(Odd)
