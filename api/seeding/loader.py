"""Write a checked dataset into the database, all or nothing, with honest timestamps.

Each record's content (its row and the rows it owns: sources, topics, history…) is hashed.
A record keeps its `created_at` and `updated_at` when its hash is unchanged; the change log
gains one entry for each record created, updated or deleted, so clients can mirror the data.

A million provisions come with several million owned rows: each row is encoded for hashing
once (`_content_hashes`), and inserted through the driver, in key order (`_insert`).
"""

import datetime
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain, compress, groupby, repeat
from operator import add, contains, is_, itemgetter, methodcaller, not_, or_

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    ForeignKeyConstraint,
    Table,
    delete,
    exc,
    exists,
    insert,
    select,
)

from api.collections import IN_LOAD_ORDER
from api.search.backends import backend_for
from api.seeding.dataset import Dataset
from api.storage import models  # registers every table, for Base.metadata
from api.storage.database import Base, write_transaction

# Record tables (the ones with ids and timestamps), with the tables each one owns.
OWNED_ROWS = {collection.name: collection.owned_tables for collection in IN_LOAD_ORDER}
TRACKING_COLUMNS = ("content_hash", "created_at", "updated_at")
# Tables a load does not replace: its log, and what imports keep (see api.seeding.layers).
LOG_TABLES = ("changes", "dataset_state", "record_origins", "federal_register_documents")
# Tables with at least this many rows get their indexes built after them (SQLite only).
INDEXES_BUILT_AFTER_ROWS = 100_000


def load_dataset(
    engine: Engine,
    dataset: Dataset,
    now: datetime.datetime | None = None,
    origins: dict[tuple[str, str], str] | None = None,
) -> dict:
    """Replace every record with the dataset's in one transaction; return rows per table."""
    with write_transaction(engine) as connection:
        return load_rows(connection, dataset, now, origins)


def load_rows(
    connection: Connection,
    dataset: Dataset,
    now: datetime.datetime | None = None,
    origins: dict[tuple[str, str], str] | None = None,
) -> dict:
    """`load_dataset` inside the caller's write transaction.

    `origins` names the load each record not from the seed files came from
    ((collection, id) -> origin). When no record changed, the tables are left as they are:
    reloading the same data costs the hashing only.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    tables = [table for table in Base.metadata.sorted_tables if table.name not in LOG_TABLES]
    unknown = set(dataset.rows) - {table.name for table in tables}
    if unknown:
        raise ValueError(f"no such tables: {sorted(unknown)}")
    ordered = {
        table.name: _in_key_order(table, dataset.rows.get(table.name, [])) for table in tables
    }
    _drop_copies(ordered)  # left by an earlier load of these same rows; not content
    changes = _stamp_records(connection, dataset, ordered, now)
    _copy_from_owners(ordered)
    if changes or _never_loaded(connection):
        sizes = {name: len(rows) for name, rows in ordered.items()}
        replace_tables(connection, tables, sizes, lambda t: _insert(connection, t, ordered[t.name]))
    if changes:
        _insert(connection, models.Change.__table__, changes)
    _record_state(connection, ordered, now, changed=bool(changes))
    _record_origins(connection, origins or {})
    if changes:
        analyze(connection, tables)
    return {table.name: dataset.count(table.name) for table in tables}


def replace_tables(
    connection: Connection,
    tables: list[Table],
    sizes: dict[str, int],
    write: Callable[[Table], None],
) -> None:
    """Empty the tables, then `write` each one's new rows (`sizes[name]` of them), parents
    first, and rebuild the search index: how every load writes, whatever gives the rows.

    (`bench.scale.load_floor` writes through this too, to time the database's share of a load.)
    """
    with _references_checked_after(connection, tables):
        for table in reversed(tables):
            connection.execute(table.delete())
        big = [table for table in tables if sizes[table.name] >= INDEXES_BUILT_AFTER_ROWS]
        with _indexes_built_after(connection, big):
            for table in tables:
                if sizes[table.name]:
                    write(table)
    backend_for(connection.dialect.name).rebuild(connection)


@contextmanager
def _indexes_built_after(connection: Connection, tables: list[Table]) -> Iterator[None]:
    """On SQLite, drop the tables' secondary indexes while the body inserts their rows, then
    create them again from their own definitions (sqlite_master's, the migrations' text).

    Rows go in in key order, but each secondary index takes its keys all over the place:
    built once from the sorted keys, the indexes of a million provisions and their links take
    half the time. Only on SQLite, where DDL is part of the write transaction (readers keep
    the old snapshot): on PostgreSQL, DROP INDEX would lock readers out until the commit.
    The indexes come back in their first order, so the planner sees them as before; only big
    tables are worth it (INDEXES_BUILT_AFTER_ROWS), and on those the plans were checked to be
    the same (ANALYZE's sampled estimates depend on how full an index's first pages are).
    """
    names = [table.name for table in tables]
    if connection.dialect.name != "sqlite" or not names:
        yield
        return
    marks = ", ".join("?" * len(names))
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY rowid",
        tuple(names),
    ).all()
    preparer = connection.dialect.identifier_preparer
    for name, _ in indexes:
        connection.exec_driver_sql(f"DROP INDEX {preparer.quote(name)}")
    yield
    for _, definition in indexes:
        connection.exec_driver_sql(definition)


@contextmanager
def _references_checked_after(connection: Connection, tables: list[Table]) -> Iterator[None]:
    """On PostgreSQL, as a superuser: the body deletes and inserts with no trigger firing (as
    `pg_restore --disable-triggers` does), then each foreign key of the tables is checked in
    one statement; an IntegrityError names the first reference to a row that is not there.

    PostgreSQL checks a foreign key with a trigger per row, which looks up and locks the row
    referred to: about half the insert time of a hundred thousand provisions. Checked all at
    once after, the load is still all or nothing, and its rows the same; readers are not
    locked out (no DDL). Only a superuser may set `session_replication_role`: other roles
    take the plain path. The setting is the transaction's (SET LOCAL): its rollback, after an
    error, restores it too. The schema has no trigger of its own, and the body empties every
    table a cascade could reach.
    """
    if connection.dialect.name != "postgresql" or not _is_superuser(connection):
        yield
        return
    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    yield
    connection.exec_driver_sql("SET LOCAL session_replication_role = DEFAULT")
    for table in tables:
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: c.column_keys):
            _check_references(connection, constraint)


def _is_superuser(connection: Connection) -> bool:
    return connection.exec_driver_sql("SELECT current_setting('is_superuser')").scalar() == "on"


def _check_references(connection: Connection, constraint: ForeignKeyConstraint) -> None:
    """Fail if a row refers, by this foreign key, to a row that is not there (MATCH SIMPLE: a
    row with a null in the key refers to nothing)."""
    referred = constraint.referred_table.alias("referred")
    pairs = [(element.parent, referred.c[element.column.key]) for element in constraint.elements]
    dangling = (
        select(*(column for column, _ in pairs))
        .where(*(column.is_not(None) for column, _ in pairs))
        .where(~exists().where(*(key == column for column, key in pairs)))
        .limit(1)
    )
    row = connection.execute(dangling).first()
    if row is not None:
        value = row[0] if len(row) == 1 else tuple(row)
        raise _dangling(constraint.table.name, constraint.referred_table.name, value)


def _never_loaded(connection: Connection) -> bool:
    return connection.execute(select(models.DatasetState.id)).first() is None


def _record_origins(connection: Connection, origins: dict[tuple[str, str], str]) -> None:
    connection.execute(delete(models.RecordOrigin))
    rows = [
        {"collection": collection, "record_id": record_id, "origin": origin}
        for (collection, record_id), origin in sorted(origins.items())
    ]
    if rows:
        _insert(connection, models.RecordOrigin.__table__, rows)


def analyze(connection: Connection, tables: list[Table]) -> None:
    """Refresh the planner's statistics: after a bulk load, PostgreSQL's are those of the old
    data (or none), and it then scans whole link tables where an index finds a page's rows.

    SQLite's are read from every row (0.7 s at 200,000 provisions): sampled ones
    (analysis_limit) guess each index's size from its first pages, 15,000 status changes
    for 33,000 and 73,000 entries in their date index, and with them the timeline sorted
    every status change rather than read the newest from that index (23 against 1.7 ms).
    """
    if connection.dialect.name == "postgresql":
        # The loaded tables only: a bare ANALYZE covers every schema of the database.
        preparer = connection.dialect.identifier_preparer
        names = ", ".join(preparer.format_table(table) for table in tables)
        connection.exec_driver_sql(f"ANALYZE {names}, search_index")
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA analysis_limit = 0")  # every row
        connection.exec_driver_sql("ANALYZE main")  # not any database attached


# -- content hashes -------------------------------------------------------------------------
#
# A record's hash is the sha256 of
#     json.dumps({"row": row, "owned": {table: sorted(rows, key=json_of_row)}},
#                sort_keys=True, default=str, separators=(",", ":"))
# with json_of_row = json.dumps(row, sort_keys=True, default=str). The same text is built
# here from each row's compact JSON, encoded once: sorting owned rows by it gives the order
# of the spaced JSON (the two differ only by a space after each structural comma and colon,
# never where two rows first differ).

_ENCODER = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":"))
_HEXDIGEST = methodcaller("hexdigest")


def _content_hashes(
    rows: list[dict], owned_rows: dict[str, list[dict]], owner_columns: dict[str, str]
) -> list[str]:
    """The content hash of each record row, given the rows of the tables it owns."""
    names = sorted(owner_columns)
    ids = list(map(itemgetter("id"), rows))
    owned = []  # for each owned table, each record's rows as JSON
    for name in names:
        by_owner = _owned_json(owned_rows.get(name, []), owner_columns[name])
        owned.append(list(map(by_owner.get, ids, repeat(""))))
    # '{"owned":{"table_a":[…],"table_b":[…]},"row":{…}}', braces doubled for str.format
    tables = ",".join(f"{_ENCODER.encode(name)}:[{{}}]" for name in names)
    template = '{{"owned":{{' + tables + '}},"row":{}}}'
    canonical = map(template.format, *owned, _json_rows(rows))
    return list(map(_HEXDIGEST, map(hashlib.sha256, map(str.encode, canonical))))


def _owned_json(rows: list[dict], owner_column: str) -> dict[str, str]:
    """By owner: the JSON of its rows, sorted and comma-separated."""
    rows = sorted(rows, key=itemgetter(owner_column))  # no work when in key order already
    pairs = zip(map(itemgetter(owner_column), rows), _json_rows(rows), strict=True)
    return {
        owner: ",".join(sorted(map(itemgetter(1), run)))
        for owner, run in groupby(pairs, itemgetter(0))
    }


def _json_rows(rows: list[dict]) -> list[str]:
    """Each row as json.dumps(row, sort_keys=True, default=str, separators=(",", ":")).

    Through orjson where it writes the same text, in half the time, checks included
    (`_orjson_rows`); through json's own C encoder otherwise (`_plain_json_rows`).
    """
    texts = _orjson_rows(rows)
    return _plain_json_rows(rows) if texts is None else texts


def _plain_json_rows(rows: list[dict]) -> list[str]:
    if json.encoder.c_make_encoder is None:  # no C speedups in this Python
        return list(map(_ENCODER.encode, rows))
    # The C encoder json.dumps makes for each call, made once: a third faster for short rows.
    encode = json.encoder.c_make_encoder(
        None, str, json.encoder.encode_basestring_ascii, None, ":", ",", True, False, True
    )
    return ["".join(encode(row, 0)) for row in rows]


# Values orjson writes as json.dumps does: with OPT_PASSTHROUGH_DATETIME, dates and
# timestamps go to `default=str` as they do in json. Floats are checked value by value (orjson
# writes 1e-05 as 0.00001); enums, UUIDs, dataclasses, subclasses… are left to json.
_ORJSON_SCALARS = frozenset({str, int, bool, type(None), datetime.date, datetime.datetime})
_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def _orjson_rows(rows: list[dict]) -> list[str] | None:
    """`_json_rows` through orjson, or None where orjson might write a different text.

    orjson writes the same compact, key-sorted JSON, except that it leaves non-ASCII
    characters and DEL unescaped where ensure_ascii escapes them: such rows (rare) are
    encoded again by json. It fails on integers past 64 bits: then None.
    """
    if not _orjson_writes_as_json(rows):
        return None
    try:
        texts = [orjson.dumps(row, default=str, option=_ORJSON_OPTIONS).decode() for row in rows]
    except orjson.JSONEncodeError:
        return None
    non_ascii = map(not_, map(str.isascii, texts))  # str.isascii takes no time: a flag
    needs_escapes = map(or_, non_ascii, map(contains, texts, repeat("\x7f")))
    for index in compress(range(len(texts)), needs_escapes):
        texts[index] = _ENCODER.encode(rows[index])
    return texts


def _orjson_writes_as_json(rows: list[dict]) -> bool:
    """Whether the rows are dicts holding only values orjson writes as json does:
    _ORJSON_SCALARS, lists of them (but dates), and floats whose repr orjson keeps.

    (A key that is not a string makes orjson fail, where json would write it as one.)
    """
    if not set(map(type, rows)) <= {dict}:
        return False
    values = list(chain.from_iterable(map(dict.values, rows)))
    kinds = list(map(type, values))
    types = set(kinds)
    if not types <= _ORJSON_SCALARS | {float, list}:
        return False
    if list in types:
        items = chain.from_iterable(compress(values, map(is_, kinds, repeat(list))))
        if not set(map(type, items)) <= _ORJSON_SCALARS - {datetime.date, datetime.datetime}:
            return False
    floats = set(compress(values, map(is_, kinds, repeat(float)))) if float in types else ()
    return all(orjson.dumps(number) == float.__repr__(number).encode() for number in floats)


# -- timestamps, change log, version --------------------------------------------------------


def _stamp_records(
    connection: Connection, dataset: Dataset, ordered: dict[str, list[dict]], now
) -> list[dict]:
    """Give each record its hash and timestamps; return the change-log entries, in dataset order."""
    changes = []
    for table_name, owned_tables in OWNED_ROWS.items():
        previous = _stored_stamps(connection, Base.metadata.tables[table_name])
        rows = dataset.rows.get(table_name, [])
        for row in rows:  # left by an earlier load of these same rows; not content
            for column in TRACKING_COLUMNS:
                row.pop(column, None)
        hashes = _content_hashes(rows, ordered, owned_tables)
        for row, content_hash in zip(rows, hashes, strict=True):
            row["content_hash"] = content_hash
            before = previous.pop(row["id"], None)
            if before is None:
                row["created_at"] = row["updated_at"] = now
                changes.append(_change(table_name, row["id"], "created", now))
            elif before[0] != content_hash:
                row["created_at"], row["updated_at"] = before[1], now
                changes.append(_change(table_name, row["id"], "updated", now))
            else:
                row["created_at"], row["updated_at"] = before[1], before[2]
        changes.extend(_change(table_name, gone, "deleted", now) for gone in sorted(previous))
    return changes


def _copied_columns() -> dict[str, tuple[str, str, dict[str, str]]]:
    """Owned tables that copy columns of their record: (record table, owner column, copies)."""
    return {
        name: (record_table, owner_column, copies)
        for record_table, owned in OWNED_ROWS.items()
        for name, owner_column in owned.items()
        if (copies := Base.metadata.tables[name].info.get("copied_from_owner"))
    }


def _drop_copies(ordered: dict[str, list[dict]]) -> None:
    """Take out of the owned rows what an earlier load copied into them (see _copy_from_owners)."""
    for name, (_, _, copies) in _copied_columns().items():
        if ordered[name] and not copies.keys().isdisjoint(ordered[name][0]):
            for row in ordered[name]:
                for column in copies:
                    row.pop(column, None)


def _copy_from_owners(ordered: dict[str, list[dict]]) -> None:
    """Give each owned row its copies of its record's columns (see api.storage.models)."""
    for name, (record_table, owner_column, copies) in _copied_columns().items():
        records_by_id = {row["id"]: row for row in ordered[record_table]}
        for row in ordered[name]:
            record = records_by_id.get(row[owner_column])
            if record is None:
                raise _dangling(name, record_table, row[owner_column])
            for column, source in copies.items():
                row[column] = record[source]


def _dangling(table_name: str, record_table: str, record_id: object) -> exc.IntegrityError:
    """The error a database gives for a row that refers to a record that is not there."""
    message = (
        f"FOREIGN KEY constraint failed: a row of {table_name} refers to {record_id!r} of "
        f"{record_table}, which is not there"
    )
    return exc.IntegrityError(message, None, ValueError(message))


def _stored_stamps(connection: Connection, table: Table) -> dict[str, tuple]:
    """(content_hash, created_at, updated_at) of each stored record, by id."""
    # Through the driver, converting each distinct timestamp once: a load stamps all its
    # records alike, so there are few of them, where SQLAlchemy would convert millions.
    dialect = connection.dialect
    columns = [table.c.id, table.c.content_hash, table.c.created_at, table.c.updated_at]
    names = ", ".join(map(dialect.identifier_preparer.format_column, columns))
    result = connection.exec_driver_sql(
        f"SELECT {names} FROM {dialect.identifier_preparer.format_table(table)}"
    ).all()
    created, updated = (
        _memoized(column.type.dialect_impl(dialect).result_processor(dialect, None) or _same)
        for column in columns[2:]
    )
    return {
        record_id: (content_hash, created(created_at), updated(updated_at))
        for record_id, content_hash, created_at, updated_at in result
    }


def _same(value):
    return value


def _change(collection: str, record_id: str, action: str, now) -> dict:
    return {"collection": collection, "record_id": record_id, "action": action, "changed_at": now}


def _record_state(connection: Connection, ordered: dict[str, list], now, *, changed: bool):
    """The dataset version is a hash of every record's hash: equal data, equal version."""
    digest = hashlib.sha256()
    for table_name in OWNED_ROWS:
        for row in sorted(ordered[table_name], key=itemgetter("id")):  # sorted already, mostly
            digest.update(f"{table_name}/{row['id']}/{row['content_hash']}\n".encode())
    state = connection.execute(select(models.DatasetState)).first()
    changed_at = now if changed or state is None else state.changed_at
    connection.execute(delete(models.DatasetState))
    connection.execute(
        insert(models.DatasetState),
        {"id": 1, "version": digest.hexdigest(), "changed_at": changed_at, "loaded_at": now},
    )


# -- inserts --------------------------------------------------------------------------------


def _in_key_order(table: Table, rows: list[dict]) -> list[dict]:
    """The rows by their first primary-key column, or as given if that puts a child first."""
    # Each index then grows at its end: inserting all over a big index is much slower.
    try:
        ordered = sorted(rows, key=itemgetter(table.primary_key.columns[0].key))
    except (KeyError, TypeError):  # the database will say what is wrong with these rows
        return rows
    return ordered if _parents_first(table, ordered) else rows


def _parents_first(table: Table, rows: list[dict]) -> bool:
    """Whether each row that refers to a row of its own table comes after that row."""
    for constraint in table.foreign_key_constraints:
        if constraint.referred_table is not table:
            continue
        if len(constraint.elements) > 1:
            return False
        (element,) = constraint.elements
        reference, key = element.parent.key, element.column.key
        seen: set = set()
        for row in rows:
            if row[reference] is not None and row[reference] not in seen:
                return False
            seen.add(row[key])
    return True


def _insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert the rows straight through the driver: COPY on PostgreSQL, executemany on SQLite."""
    # SQLAlchemy's execute(table.insert(), rows) takes longer over each parameter than the
    # database takes to write it. The values still go through each column type's own bind
    # processor (see _driver_values), so what is stored is what SQLAlchemy would store.
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite"):
        connection.execute(table.insert(), rows)
        return
    columns, values = _driver_values(connection, table, rows)
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.format_column(column) for column in columns)
    if dialect.name == "postgresql":
        _copy(connection, f"COPY {preparer.format_table(table)} ({names}) FROM STDIN", values)
    else:
        marks = ", ".join("?" * len(columns))
        statement = f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES ({marks})"
        connection.exec_driver_sql(statement, values)


def _driver_values(connection: Connection, table: Table, rows: list[dict]) -> tuple[list, list]:
    """The columns the rows give values for, and the rows as tuples of what the driver takes."""
    # Columns whose type converts values (dates, timestamps, JSON…) go last, so that the
    # others can be taken as they are, a whole row at a time, in C.
    dialect = connection.dialect
    plain, converted = [], []
    for column in table.columns:
        if column.key in rows[0]:
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            (plain if process is None else converted).append((column, process))
    values = map(_tuple_of([column.key for column, _ in plain]), rows)
    if converted:
        converted_values = [
            map(_memoized(process), map(itemgetter(column.key), rows))
            for column, process in converted
        ]
        values = map(add, values, zip(*converted_values, strict=True))
    return [column for column, _ in plain + converted], list(values)


def _tuple_of(keys: list[str]) -> Callable[[dict], tuple]:
    """A function giving a row's values for these keys, as a tuple (even of one or none)."""
    if len(keys) > 1:
        return itemgetter(*keys)
    return lambda row: tuple(row[key] for key in keys)


def _memoized(process: Callable) -> Callable:
    """`process`, run once per distinct value: dates and timestamps repeat across rows."""
    done: dict = {}

    def convert(value):
        try:
            return done[value]
        except KeyError:
            result = done[value] = process(value)
            return result
        except TypeError:  # unhashable, such as a JSON list
            return process(value)

    return convert


def _copy(connection: Connection, statement: str, values: list[tuple]) -> None:
    """COPY the rows in, inside the connection's transaction; errors as SQLAlchemy's."""
    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row(row)
    except connection.dialect.loaded_dbapi.Error as error:
        raise exc.DBAPIError.instance(
            statement, None, error, connection.dialect.loaded_dbapi.Error
        ) from error
