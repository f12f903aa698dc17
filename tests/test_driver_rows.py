"""`database.driver_rows` reads as SQLAlchemy reads, and fails as SQLAlchemy fails."""

import pytest
from sqlalchemy import create_engine, event, exc

from api.storage import database
from tests.conftest import postgresql_url

STATEMENT = "SELECT id, title, signed_on FROM documents ORDER BY id"


def test_rows_are_the_ones_sqlalchemy_reads(seeded_app):
    with seeded_app.app_context(), database.engine().connect() as connection:
        ours = database.driver_rows(connection, STATEMENT, ())
        theirs = connection.exec_driver_sql(STATEMENT).all()
    assert ours == [tuple(row) for row in theirs] and len(ours) > 5


def test_an_error_is_sqlalchemys_and_names_the_statement(seeded_app):
    with (
        seeded_app.app_context(),
        database.engine().connect() as connection,
        pytest.raises(exc.DBAPIError) as raised,
    ):
        database.driver_rows(connection, "SELECT no_such_column FROM documents", ())
    assert "no_such_column" in str(raised.value)
    assert raised.value.statement == "SELECT no_such_column FROM documents"
    assert not raised.value.connection_invalidated


def test_statements_are_seen_by_whoever_listens(seeded_app):
    seen = []
    with seeded_app.app_context():
        engine = database.engine()
        listen = lambda *arguments: seen.append(arguments[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            with engine.connect() as connection:
                database.driver_rows(connection, STATEMENT, ())
        finally:
            event.remove(engine, "before_cursor_execute", listen)
    assert seen == [STATEMENT]


@pytest.mark.skipif(postgresql_url() is None, reason="needs DATABASE_URL naming PostgreSQL")
def test_a_connection_that_went_away_is_invalidated_and_the_next_one_works():
    engine = create_engine(postgresql_url(), pool_size=1, max_overflow=0)
    try:
        with engine.connect() as connection:
            backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            killer = create_engine(postgresql_url())
            with killer.connect() as other:
                other.exec_driver_sql(f"SELECT pg_terminate_backend({int(backend)})")
            killer.dispose()
            with pytest.raises(exc.OperationalError) as raised:
                database.driver_rows(connection, "SELECT 1", ())
            assert raised.value.connection_invalidated and connection.invalidated
        with engine.connect() as connection:
            assert database.driver_rows(connection, "SELECT 1", ()) == [(1,)]
    finally:
        engine.dispose()


def test_a_requests_connection_goes_back_to_the_pool_when_it_ends(seeded_app):
    client = seeded_app.test_client()
    for path in ("/documents/chicago-eo-2025-6", "/v1/provisions", "/v1/documents/nope"):
        client.get(path)
        with seeded_app.app_context():
            assert database.engine().pool.checkedout() == 0, path
