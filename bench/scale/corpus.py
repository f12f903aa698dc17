"""The corpus, built once and loaded into a SQLite file (with Datasette's index) and PostgreSQL."""

import contextlib
import sqlite3
import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api import create_app
from api.seeding import load_dataset
from api.storage import database
from bench.scale.load_floor import postgresql_floor, sqlite_floor
from bench.scale.run import POSTGRESQL, SEED, SQLITE, Run, log
from synthetic import synthetic_dataset

DATASETTE_DB = "bench"  # the file is bench.db, so Datasette serves it as /bench
FTS_TABLE = "provisions_fts"  # Datasette finds it by its content="provisions"


class Background:
    """A function running in a thread (SQLite releases the GIL while it works)."""

    def __init__(self, function, *arguments):
        self.error: BaseException | None = None
        self.seconds = 0.0
        self.thread = threading.Thread(target=self.run, args=(function, *arguments), daemon=True)
        self.thread.start()

    def run(self, function, *arguments) -> None:
        started = time.perf_counter()
        try:
            function(*arguments)
        except BaseException as error:
            self.error = error
        self.seconds = time.perf_counter() - started

    def join(self) -> float:
        self.thread.join()
        if self.error:
            raise self.error
        return self.seconds


def build_corpus(run: Run):
    """Build the synthetic dataset once and load it into a new SQLite file; the dataset."""
    documents = run.arguments.documents
    log(run, f"building synthetic_dataset(documents={documents:,}, seed={SEED})")
    started = time.perf_counter()
    dataset = synthetic_dataset(documents=documents, seed=SEED)
    built = time.perf_counter() - started
    run.sqlite_file = run.folder / f"{DATASETTE_DB}.db"
    log(run, f"built in {built:.0f} s; loading into SQLite")
    provisions = load_into(f"sqlite:///{run.sqlite_file}", dataset)
    loaded = time.perf_counter() - started - built
    run.timings.append(f"built {documents:,} documents in {built:.0f} s")
    run.timings.append(f"loaded {provisions:,} provisions into SQLite in {loaded:.0f} s")
    run.loads[SQLITE] = (provisions, loaded)
    log(run, f"loaded {provisions:,} provisions into SQLite in {loaded:.0f} s")
    return dataset


def load_into(database_url: str, dataset) -> int:
    """Create the schema at `database_url` and load `dataset`; the provisions loaded.

    No statement timeout: a million rows take longer than the served API's 10 s, and on
    PostgreSQL the load waits for the loaders' advisory lock if a test suite holds it.
    """
    app = create_app({"DATABASE_URL": database_url, "STATEMENT_TIMEOUT_MS": 0})
    with app.app_context():
        database.upgrade_schema()
        counts = load_dataset(database.engine(), dataset)
        database.engine().dispose()
    return counts["provisions"]


def build_fts(sqlite_file: Path) -> None:
    """An external-content FTS5 index of the provisions, the kind Datasette's `_search` uses."""
    with contextlib.closing(sqlite3.connect(sqlite_file)) as connection:
        columns = 'action, summary, text, content="provisions"'
        connection.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns})")
        connection.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')")
        connection.commit()


def checkpoint(sqlite_file: Path) -> None:
    """Fold the WAL into the file and analyze it, so Datasette (immutable) sees every row."""
    with contextlib.closing(sqlite3.connect(sqlite_file)) as connection:
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def prepare_postgresql(run: Run, stack: contextlib.ExitStack, dataset) -> None:
    """Load the dataset into a new schema of the PostgreSQL server, or say why not."""
    if run.arguments.no_postgresql:
        run.postgresql_skipped = "--no-postgresql"
        return
    server_url = run.arguments.postgresql
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = create_engine(server_url, connect_args={"connect_timeout": 5})
        with engine.begin() as connection:
            run.postgresql_version = connection.execute(text("SHOW server_version")).scalar()
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as error:  # unreachable, refused, not PostgreSQL: measure SQLite only
        run.postgresql_skipped = f"{redact(server_url)} could not be used: {first_line(error)}"
        log(run, f"PostgreSQL skipped: {run.postgresql_skipped}")
        return
    stack.callback(drop_schema, server_url, schema)
    separator = "&" if "?" in server_url else "?"
    url = f"{server_url}{separator}options=-csearch_path%3D{schema}"
    log(run, f"loading into PostgreSQL {run.postgresql_version}, schema {schema}")
    started = time.perf_counter()
    try:
        provisions = load_into(url, dataset)
    except Exception as error:
        run.postgresql_skipped = f"loading failed: {first_line(error)}"
        log(run, f"PostgreSQL skipped: {run.postgresql_skipped}")
        return
    seconds = time.perf_counter() - started
    run.loads[POSTGRESQL] = (provisions, seconds)
    run.timings.append(f"loaded into PostgreSQL in {seconds:.0f} s")
    log(run, f"loaded into PostgreSQL in {seconds:.0f} s")
    started = time.perf_counter()
    vacuum(url)
    seconds = time.perf_counter() - started
    run.timings.append(f"VACUUM on PostgreSQL in {seconds:.0f} s (see vacuum)")
    log(run, f"VACUUM on PostgreSQL in {seconds:.0f} s")
    run.postgresql_url = url
    run.postgresql_schema = schema


def vacuum(url: str) -> None:
    """VACUUM the loaded schema, as autovacuum would some minutes after a load: its pages
    become all-visible, so that filtered pages are read from their indexes alone, and its
    work does not run during the scenarios, slowing whichever is measured then; then a
    CHECKPOINT, for the same reason."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            names = ", ".join(f'"{table}"' for table in tables)
            connection.execute(text(f"VACUUM {names}"))  # a bare VACUUM: every schema's
            write_out_wal(connection)
    finally:
        engine.dispose()


def write_out_wal(connection) -> None:
    """Write the load's WAL out now: a checkpoint spread over the next minutes (a million
    provisions are gigabytes of WAL) takes CPU and disk from the scenarios measured then,
    PostgreSQL's alone. It needs a superuser (or pg_checkpoint): without one, it is skipped."""
    try:
        connection.execute(text("CHECKPOINT"))
    except Exception as error:
        print(f"CHECKPOINT skipped: {first_line(error)}", file=sys.stderr)


def measure_load_floors(run: Run) -> None:
    """Time each database writing the loaded rows by itself (see bench.scale.load_floor), into
    a copy dropped at once (3 GB of disk on SQLite at the defaults); or say why not."""
    floor_file = run.folder / "load-floor.db"
    log(run, "timing SQLite alone writing the loaded rows")
    try:
        run.load_floors[SQLITE] = sqlite_floor(run.sqlite_file, floor_file)
    except Exception as error:
        run.notes.append(f"The SQLite load floor could not be timed: {first_line(error)}.")
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{floor_file}{suffix}").unlink(missing_ok=True)
    if run.postgresql_url:
        log(run, "timing PostgreSQL alone writing the loaded rows")
        try:
            run.load_floors[POSTGRESQL] = postgresql_floor_in_new_schema(run)
        except Exception as error:
            run.notes.append(f"The PostgreSQL load floor could not be timed: {first_line(error)}.")
    log(run, f"load floors: {run.load_floors}")


def postgresql_floor_in_new_schema(run: Run) -> float:
    """The PostgreSQL load floor, written into a schema of its own, dropped after."""
    server_url = run.arguments.postgresql
    schema = f"bench_floor_{uuid.uuid4().hex[:8]}"
    engine = create_engine(server_url, connect_args={"connect_timeout": 5})
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in server_url else "?"
    try:
        url = f"{server_url}{separator}options=-csearch_path%3D{schema}"
        return postgresql_floor(url, run.postgresql_schema)
    finally:
        drop_schema(server_url, schema)
        engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            write_out_wal(connection)  # the copy's, not to be written during the scenarios
        engine.dispose()


def drop_schema(server_url: str, schema: str) -> None:
    """Drop the benchmark's schema; say so, rather than lose the results, if that fails."""
    engine = create_engine(server_url, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    except Exception as error:
        print(f"could not drop schema {schema}: {first_line(error)}", file=sys.stderr)
    finally:
        engine.dispose()


def redact(url: str) -> str:
    """A database URL with its password hidden, to print."""
    return make_url(url).render_as_string(hide_password=True)


def first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines() or [""]
    return f"{type(error).__name__}: {lines[0][:200]}"
