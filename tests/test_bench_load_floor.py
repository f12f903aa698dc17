"""The loads' floor: the database writes the loaded rows by itself, exactly as they were."""

import argparse
import hashlib
import sqlite3
import uuid
from contextlib import closing

import pytest
from sqlalchemy import create_engine, text

from api.seeding.loader import LOG_TABLES
from api.storage.database import Base
from bench.scale.corpus import load_into
from bench.scale.load_floor import postgresql_floor, sqlite_floor
from bench.scale.run import POSTGRESQL, SQLITE, Run
from bench.scale.table import load_note
from synthetic import synthetic_dataset
from tests.conftest import postgresql_url

LOADED_TABLES = [
    table.name for table in Base.metadata.sorted_tables if table.name not in LOG_TABLES
]


def table_rows(connection, table: str) -> list[tuple]:
    return sorted(map(tuple, connection.execute(f'SELECT * FROM "{table}"').fetchall()), key=repr)


def test_the_sqlite_floor_writes_every_loaded_row_and_leaves_the_loaded_file_alone(tmp_path):
    loaded, floor = tmp_path / "loaded.db", tmp_path / "floor.db"
    load_into(f"sqlite:///{loaded}", synthetic_dataset(documents=60, seed=3))
    with closing(sqlite3.connect(loaded)) as source, source:
        source.execute("DELETE FROM sqlite_stat1")  # so that analyzing it again would show
    loaded_bytes = hashlib.sha256(loaded.read_bytes()).hexdigest()

    seconds = sqlite_floor(loaded, floor)

    assert seconds > 0
    with closing(sqlite3.connect(loaded)) as source, closing(sqlite3.connect(floor)) as copy:
        for table in [*LOADED_TABLES, "changes"]:
            assert table_rows(copy, table) == table_rows(source, table), table
        assert table_rows(copy, "sqlite_stat1")  # analyzed, as a load does
        assert not table_rows(source, "sqlite_stat1")
        search = "SELECT kind, record_id FROM search_index WHERE search_index MATCH 'provision'"
        assert table_rows(copy, "search_index") and sorted(copy.execute(search)) == sorted(
            source.execute(search)
        )
        indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        assert copy.execute(indexes).fetchall() == source.execute(indexes).fetchall()
    assert hashlib.sha256(loaded.read_bytes()).hexdigest() == loaded_bytes  # not even analyzed


@pytest.mark.skipif(postgresql_url() is None, reason="needs DATABASE_URL on PostgreSQL")
def test_the_postgresql_floor_writes_every_loaded_row_into_its_own_schema():
    server = postgresql_url()
    loaded, floor = (f"floor_test_{uuid.uuid4().hex[:8]}" for _ in range(2))
    admin = create_engine(server)
    with admin.begin() as connection:
        for schema in (loaded, floor):
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        load_into(f"{server}?options=-csearch_path%3D{loaded}", synthetic_dataset(60, seed=3))

        seconds = postgresql_floor(f"{server}?options=-csearch_path%3D{floor}", loaded)

        assert seconds > 0
        with admin.connect() as connection:
            for table in [*LOADED_TABLES, "changes", "search_index", "search_terms"]:
                rows = [
                    sorted(map(tuple, connection.execute(text(f'TABLE "{schema}"."{table}"'))))
                    for schema in (loaded, floor)
                ]
                assert rows[0] == rows[1], table
    finally:
        with admin.begin() as connection:
            for schema in (loaded, floor):
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_the_load_row_says_how_fast_the_database_alone_writes_against_the_target():
    run = Run(argparse.Namespace())
    run.loads = {SQLITE: (1_000_000, 125.0), POSTGRESQL: (1_000_000, 170.0)}
    run.load_floors = {SQLITE: 80.0}

    note = load_note(run, SQLITE)

    assert note.startswith("`load_dataset` of 1,000,000 provisions in 125 s")
    assert "SQLite alone writes the same rows the same way in 80 s" in note
    assert "12,500 provisions/s, 0.50x the target" in note  # 25,000 asked
    assert "alone" not in load_note(run, POSTGRESQL)  # not timed: nothing claimed
