"""Migrations are the only way the schema is made, and they agree with the models."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from api.storage import database
from api.storage.database import Base
from tests.conftest import assert_problem, load_seeds

# Made by the migrations, outside the ORM's metadata: the full-text index and its shadows.
NOT_MODELLED = ("search_index", "search_terms", "alembic_version")


def include(obj, name, type_, _reflected, _compare_to) -> bool:
    return not (type_ == "table" and name.startswith(NOT_MODELLED))


# SQLite cannot reflect expression indexes; the one such index is PostgreSQL's alone (0010).
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_the_migrated_schema_is_the_models_schema(empty_app):
    with empty_app.app_context(), database.engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include}
        )
        assert compare_metadata(context, Base.metadata) == []
        assert database.schema_revision(connection) == database.head_revision()


def test_migrations_go_down_to_nothing_and_up_again(empty_app):
    with empty_app.app_context():
        database.upgrade_schema("head")
        with database.engine().begin() as connection:
            command.downgrade(database.alembic_config(connection), "base")
        with database.engine().connect() as connection:
            left = set(inspect(connection).get_table_names()) - {"alembic_version"}
        assert not left & set(Base.metadata.tables)
        assert_problem(empty_app.test_client().get("/readyz"), 503)
        database.upgrade_schema("head")
        assert empty_app.test_client().get("/readyz").status_code == 200


def test_upgrade_is_idempotent(empty_app):
    with empty_app.app_context():
        database.upgrade_schema()
        database.upgrade_schema()
        with database.engine().connect() as connection:
            assert database.schema_revision(connection) == database.head_revision()


def test_upgrading_a_loaded_database_keeps_its_data(empty_app):
    load_seeds(empty_app)
    client = empty_app.test_client()
    urls = [
        "/v1/provisions?limit=100&actor=brandon-johnson",
        "/v1/provisions?limit=100&topic=immigration-enforcement",
        "/v1/search?q=chicago&limit=100",
        "/v1/relations?limit=100",  # 0005 copies the relations table on SQLite: sources stay
        "/v1/provisions?limit=100&addressee=chicago-police-department&modality=affirms",  # 0009
    ]
    before = [client.get(url).get_json()["data"] for url in urls]
    with empty_app.app_context():
        with database.engine().begin() as connection:
            command.downgrade(database.alembic_config(connection), "0001")
        database.upgrade_schema()
        with database.engine().connect() as connection:
            indexes = {index["name"] for index in inspect(connection).get_indexes("provisions")}
            linked = connection.exec_driver_sql(
                "SELECT count(*) FROM provision_topics WHERE document_id IS NULL"
            ).scalar()
            miscopied = connection.exec_driver_sql(
                "SELECT count(*) FROM provision_addressees JOIN provisions "
                "ON provisions.id = provision_id WHERE provision_modality <> modality"
            ).scalar()
    assert {"ix_provisions_actor_order", "ix_provisions_modality_order"} <= indexes
    assert linked == 0  # every link row's place was copied by migration 0003
    assert miscopied == 0  # and each addressee row's modality by 0009
    assert all(before)
    assert [client.get(url).get_json()["data"] for url in urls] == before
