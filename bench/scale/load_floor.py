"""The loads' floor: how long each database takes to write the loaded corpus by itself.

A load spends its time in Python (hashes, stamps, the rows' values) and in the database. The
floor is the database's share alone: the rows a load stored, copied by SQL from the loaded
database into an empty one, in one transaction, written as `load_dataset` writes them
(`api.seeding.loader.replace_tables`: parents first, references checked, SQLite's big tables'
indexes built after, the search index rebuilt; then the change log, statistics and commit).
No Python touches a row. A load target above the floor's rate is out of the database's reach
on this machine, whatever the loader's code does.
"""

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, event

from api import create_app
from api.seeding.loader import LOG_TABLES, analyze, replace_tables
from api.storage import database, models
from api.storage.database import Base, write_transaction

SOURCE = "loaded"  # the loaded SQLite file, attached under this name


def sqlite_floor(loaded_file: Path, empty_file: Path) -> float:
    """Seconds to write `loaded_file`'s rows into a new SQLite file at `empty_file`."""
    app = create_app({"DATABASE_URL": f"sqlite:///{empty_file}", "STATEMENT_TIMEOUT_MS": 0})
    with app.app_context():
        database.upgrade_schema()
        engine = database.engine()
        engine.dispose()  # connections made from now on see the loaded file

        @event.listens_for(engine, "connect")
        def attach_loaded(dbapi_connection, _record) -> None:
            dbapi_connection.execute(f"ATTACH DATABASE ? AS {SOURCE}", (str(loaded_file),))

        try:
            return _timed_copy(engine, f'"{SOURCE}".')
        finally:
            engine.dispose()


def postgresql_floor(url: str, loaded_schema: str) -> float:
    """Seconds to write `loaded_schema`'s rows into the empty schema `url` selects."""
    app = create_app({"DATABASE_URL": url, "STATEMENT_TIMEOUT_MS": 0})
    with app.app_context():
        database.upgrade_schema()
        try:
            return _timed_copy(database.engine(), f'"{loaded_schema}".')
        finally:
            database.engine().dispose()


def _timed_copy(engine: Engine, source_prefix: str) -> float:
    """Seconds for one write transaction copying every loaded table from `source_prefix`."""
    tables = [table for table in Base.metadata.sorted_tables if table.name not in LOG_TABLES]
    with engine.connect() as connection:
        sizes = {table.name: _count(connection, source_prefix, table) for table in tables}
    started = time.perf_counter()
    with write_transaction(engine) as connection:
        copy = _copier(connection, source_prefix)
        replace_tables(connection, tables, sizes, copy)
        copy(models.Change.__table__)
        analyze(connection, tables)
    return time.perf_counter() - started


def _copier(connection: Connection, source_prefix: str) -> Callable[[Table], None]:
    """A function copying one table's rows from the loaded database, in their stored order."""
    preparer = connection.dialect.identifier_preparer

    def copy(table: Table) -> None:
        names = ", ".join(preparer.format_column(column) for column in table.columns)
        name = preparer.quote(table.name)
        connection.exec_driver_sql(
            f"INSERT INTO {name} ({names}) SELECT {names} FROM {source_prefix}{name}"
        )

    return copy


def _count(connection: Connection, source_prefix: str, table: Table) -> int:
    name = connection.dialect.identifier_preparer.quote(table.name)
    return connection.exec_driver_sql(f"SELECT count(*) FROM {source_prefix}{name}").scalar()
