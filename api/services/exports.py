"""Bulk exports: each collection as NDJSON, and the whole dataset as one ZIP with a manifest.

Collections are streamed in id order, a batch of rows at a time, so memory stays flat
whatever their size. The ZIP is built once per dataset version and kept on disk.
"""

import hashlib
import json
import os
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path

from flask import current_app
from marshmallow import Schema
from sqlalchemy import Connection, Engine, Select, select

from api.collections import BY_NAME, COLLECTIONS
from api.queries import json_lines
from api.queries.catalog import Catalog
from api.queries.catalogs import CATALOGS
from api.storage import database, parallel_reads
from api.storage.models import DatasetState
from schemas.dumping import dumper, to_json

BATCH_SIZE = 1000
# A range of ids often falls inside one bucket of PostgreSQL's histogram, which then guesses it
# holds a row or so, and joins each grouped linked list by a nested loop: every group of the
# range rebuilt for every record, seconds instead of milliseconds. Both sides come in id order,
# so a merge join is always the right one.
RANGE_SETTINGS = ("SET LOCAL enable_nestloop = off",)
_RANGED_EXPORT = threading.Lock()


def dataset_state() -> DatasetState | None:
    return database.session().scalar(select(DatasetState))


def dataset_version() -> str:
    """The loaded dataset's version (a hash of every record's content); empty before a load."""
    state = dataset_state()
    return state.version if state else ""


def ndjson_lines(collection: str) -> Iterator[bytes]:
    """Every record of the collection as one line of JSON, in id order, streamed in chunks.

    The bytes of `plain_ndjson_lines` (tests/test_export_fast_path.py). On SQLite, read by the
    driver's own cursor (`_driver_chunks`); on PostgreSQL, range by range over several
    connections at once (`_ranged_chunks`).
    """
    # A generator: nothing is read before the response streams (in its request's context).
    catalog, schema = CATALOGS[collection], BY_NAME[collection].record_schema
    engine = database.engine()
    try:
        statement = json_lines.lines(catalog, schema, engine.dialect)
    except json_lines.Unrenderable:
        yield from plain_ndjson_lines(collection)
        return
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            yield from _driver_chunks(connection, statement)
        return
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            splittable = parallel_reads.splittable(connection, catalog.model.__table__.c.id)
        # One ranged export at a time in a process: it holds three connections of the pool
        # (whose size bounds the requests a process serves at once) and two cores already.
        if splittable and _RANGED_EXPORT.acquire(blocking=False):
            try:
                yield from _ranged_chunks(engine, catalog, schema)
            finally:
                _RANGED_EXPORT.release()
            return
    yield from plain_ndjson_lines(collection)


def plain_ndjson_lines(collection: str) -> Iterator[bytes]:
    """Every record of the collection as one line of JSON, in id order, streamed in batches.

    The database writes the lines when it can render the collection (`api.queries.json_lines`),
    several times faster than dumping records in Python, which the others still are. The
    reference `ndjson_lines` is checked against.
    """
    catalog, schema = CATALOGS[collection], BY_NAME[collection].record_schema
    # A transaction of its own: it streams through a server-side cursor, with SET LOCAL.
    with database.engine().connect() as connection:
        try:
            statement = json_lines.lines(catalog, schema, connection.dialect)
        except json_lines.Unrenderable:
            batches = _dumped_lines(connection, catalog, schema)
        else:
            if connection.dialect.name == "postgresql":
                # JIT-compiling this long query costs 0.5-1 s and gains nothing on a scan.
                connection.exec_driver_sql("SET LOCAL jit = off")
            # Through the connection: the session's ORM result handling costs ~2 µs a row.
            result = connection.execute(statement.execution_options(yield_per=BATCH_SIZE))
            batches = result.scalars().partitions()
        for lines in batches:
            yield ("\n".join(lines) + "\n").encode()


def _driver_chunks(connection: Connection, statement: Select) -> Iterator[bytes]:
    """The lines SQLite writes for `plain_ndjson_lines`, fetched by the driver's own cursor.

    Why: SQLAlchemy's result rows, scalars and partitions cost ~0.5 µs a line on top of the
    ~8 µs SQLite takes to write it; its statement is the same.
    """
    cursor = connection.connection.cursor()
    try:
        cursor.execute(json_lines.written_out(statement, connection.dialect))
        while rows := cursor.fetchmany(BATCH_SIZE):
            yield ("\n".join(map(_first, rows)) + "\n").encode()
    finally:
        cursor.close()


def _ranged_chunks(engine: Engine, catalog: Catalog, schema: type[Schema]) -> Iterator[bytes]:
    """The lines PostgreSQL writes for `plain_ndjson_lines`, a range of ids at a time, two
    ranges at once (`api.storage.parallel_reads`): on one connection the server's ~13 µs a
    line is the whole export's pace, with the client idle."""
    sql = json_lines.ranged_sql(catalog, schema, engine.dialect)
    ids = catalog.model.__table__.c.id
    ranges = parallel_reads.rows_by_range(
        engine,
        ids,
        sql,
        after=json_lines.AFTER,
        through=json_lines.THROUGH,
        settings=RANGE_SETTINGS,
    )
    for rows in ranges:
        if rows:
            yield ("\n".join(map(_first, rows)) + "\n").encode()


_first = itemgetter(0)


def _dumped_lines(
    connection: Connection, catalog: Catalog, schema: type[Schema]
) -> Iterator[list[str]]:
    """The collection's lines, a batch at a time, read as records and dumped in Python."""
    model = catalog.model
    statement = select(model.__table__).order_by(model.id).execution_options(yield_per=BATCH_SIZE)
    dump = dumper(schema)
    for rows in connection.execute(statement).partitions():
        yield [to_json(dump(record)) for record in catalog.read(rows)]


def dataset_stamp() -> str:
    """Names the exact data served: its version and when it last changed (timestamps are
    part of every record, and two databases may load equal content at different times)."""
    state = dataset_state()
    return f"{state.version}-{state.changed_at.isoformat()}" if state else "empty"


def dataset_zip() -> Path:
    """The dataset as a ZIP (one NDJSON file per collection and manifest.json), built once
    per dataset version into the export folder."""
    state = dataset_state()
    folder = Path(current_app.config["EXPORT_FOLDER"])
    digest = hashlib.sha256(dataset_stamp().encode()).hexdigest()[:24]
    target = folder / f"dataset-{digest}.zip"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".partial")
    os.close(handle)
    try:
        _write_zip(Path(temporary), state)
        os.replace(temporary, target)  # atomic: readers see the whole file or none
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def _write_zip(path: Path, state: DatasetState | None) -> None:
    files = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for collection in COLLECTIONS:
            name = collection.name
            digest, size, count = hashlib.sha256(), 0, 0
            with archive.open(collection.export_file, "w") as member:
                for chunk in ndjson_lines(name):
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    count += chunk.count(b"\n")
            files.append(
                {
                    "name": collection.export_file,
                    "records": count,
                    "bytes": size,
                    "sha256": digest.hexdigest(),
                }
            )
        manifest = {
            "dataset_version": state.version if state else None,
            "changed_at": state.changed_at.isoformat() if state else None,
            "generated_at": datetime.now(UTC).isoformat(),
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
