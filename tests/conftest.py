"""Fixtures: each test database is new and isolated, on SQLite or on PostgreSQL.

Set DATABASE_URL=postgresql+psycopg://… to run the suite on PostgreSQL: every fixture
database is then a schema of its own, dropped afterwards, so runs never see each other.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from api import create_app
from api.seeding import load_dataset, read_seeds
from api.storage import database
from tests import awkward

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"
CHICAGO_ORDER = "chicago-eo-2025-6"


def postgresql_url() -> str | None:
    """The PostgreSQL server the suite runs against, if it does (DATABASE_URL)."""
    url = os.environ.get("DATABASE_URL")
    return url if url and make_url(url).get_backend_name() == "postgresql" else None


@contextmanager
def isolated_database(folder: Path, *, sqlite: bool = False) -> Iterator[dict]:
    """App settings for a database nobody else uses, removed afterwards."""
    url = None if sqlite else postgresql_url()
    exports = {"EXPORT_FOLDER": str(folder / "exports")}
    if url is None:
        yield {"DATABASE_URL": f"sqlite:///{folder / 'test.sqlite3'}", **exports}
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {
            "DATABASE_URL": url,
            "DATABASE_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
            **exports,
        }
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def make_app(settings: dict) -> Flask:
    """An app on its own database; rate limits and kept pages off unless a test turns them on."""
    settings = {
        "RATELIMIT_ENABLED": False,
        "DATASET_STAMP_TTL_SECONDS": 0,
        "PAGE_CACHE_BYTES": 0,
        **settings,
    }
    app = create_app({**settings, "TESTING": True})
    with app.app_context():
        database.upgrade_schema()
    return app


@contextmanager
def app_holding(folder: Path, dataset) -> Iterator[Flask]:
    """An app on a database of its own holding `dataset`; its connections closed afterwards."""
    with isolated_database(folder) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), dataset)
        try:
            yield app
        finally:
            with app.app_context():
                database.engine().dispose()


def load_seeds(app: Flask, folder: Path = SEEDS) -> None:
    with app.app_context():
        load_dataset(database.engine(), read_seeds(folder))


@pytest.fixture(scope="session")
def seeded_app(tmp_path_factory) -> Iterator[Flask]:
    """An app serving the project's seed data; tests using it must not write."""
    with isolated_database(tmp_path_factory.mktemp("seeded")) as settings:
        app = make_app(settings)
        load_seeds(app)
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(scope="session")
def awkward_app(tmp_path_factory) -> Iterator[Flask]:
    """An app holding the awkward corpus (tests/awkward.py); tests using it must not write.
    Loaded twice: records changed by the second load have timestamps with microseconds."""
    with isolated_database(tmp_path_factory.mktemp("awkward")) as settings:
        app = make_app(settings)
        dataset = awkward.awkward_dataset()
        with app.app_context():
            load_dataset(database.engine(), dataset, now=awkward.FIRST_LOAD)
            for row in dataset.rows["provisions"][::4]:
                row["summary"] += " (revised)"
            for row in dataset.rows["sources"][::4]:
                row["title"] += " (revised)"
            load_dataset(database.engine(), dataset, now=awkward.SECOND_LOAD)
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture
def client(seeded_app):
    return seeded_app.test_client()


@pytest.fixture
def empty_app(tmp_path) -> Iterator[Flask]:
    """An app on a new, empty database of its own."""
    with isolated_database(tmp_path) as settings:
        app = make_app(settings)
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture
def count_queries(seeded_app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        with seeded_app.app_context():
            engine = database.engine()
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with this status; return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


def planned(app, url: str, containing: str = "") -> list[str]:
    """SQLite's plan of each statement a request runs (whose SQL holds `containing`)."""
    with app.app_context():
        engine = database.engine()
    statements = []

    def record(_conn, _cursor, statement, parameters, *_args):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert app.test_client().get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    with engine.connect() as connection:
        return [
            " / ".join(
                row[-1]
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters)
            )
            for sql, parameters in statements
            if sql.lstrip().upper().startswith("SELECT") and containing in sql
        ]
