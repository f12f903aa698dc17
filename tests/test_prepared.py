"""A `Prepared` statement reads the rows SQLAlchemy reads, values converted alike."""

import datetime

import pytest
from sqlalchemy import bindparam, literal, select

from api.queries import id_lists
from api.queries.prepared import Prepared
from api.storage import database
from api.storage.models import Document, Provision, StatusChange


def documents_among(dialect: str):
    """Dates, timestamps, a literal and an id list: what needs the types' processors."""
    return (
        select(Document.id, Document.signed_on, Document.updated_at, literal("x").label("mark"))
        .where(id_lists.among(Document.id, "ids", dialect))
        .order_by(Document.id)
    )


def test_rows_and_records_are_sqlalchemys(seeded_app):
    statement = Prepared(documents_among, lists=("ids",))
    with seeded_app.app_context(), database.engine().connect() as connection:
        ids = list(connection.scalars(select(Document.id).order_by(Document.id).limit(4)))
        dialect = connection.dialect.name
        expected = connection.execute(
            documents_among(dialect), {"ids": id_lists.bound(ids, dialect)}
        )
        expected = [tuple(row) for row in expected]
        for _ in range(3):  # the first run reads the driver's description; the others do not
            assert statement.rows(connection, ids=ids) == expected
        records = statement.records(connection, ids=ids)
    assert [record.id for record in records] == ids and len(ids) == 4
    assert isinstance(records[0].updated_at, datetime.datetime) and records[0].mark == "x"
    assert any(isinstance(record.signed_on, datetime.date) for record in records)


def test_a_value_goes_through_its_columns_type(seeded_app):
    statement = Prepared(
        lambda _dialect: (
            select(Provision.id, Provision.binding)
            .where(Provision.binding == bindparam("binding"))
            .order_by(Provision.id)
        )
    )
    plain = select(Provision.id, Provision.binding).order_by(Provision.id)
    with seeded_app.app_context(), database.engine().connect() as connection:
        for binding in (True, False):
            expected = connection.execute(plain.where(Provision.binding == binding)).all()
            assert statement.rows(connection, binding=binding) == [tuple(r) for r in expected]
            assert expected


def test_an_in_list_is_refused_for_an_id_list(seeded_app):
    statement = Prepared(
        lambda _dialect: select(StatusChange.status).where(
            StatusChange.document_id.in_(bindparam("ids", expanding=True))
        )
    )
    with (
        seeded_app.app_context(),
        database.engine().connect() as connection,
        pytest.raises(ValueError, match="id_lists"),
    ):
        statement.rows(connection, ids=["chicago-eo-2025-6"])
