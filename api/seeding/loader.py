"""Write a checked dataset into the database, all or nothing, with honest timestamps.

Each record's content (its row and the rows it owns: sources, topics, history…) is hashed.
A record keeps its `created_at` and `updated_at` when its hash is unchanged; the change log
gains one entry for each record created, updated or deleted, so clients can mirror the data.
"""

import datetime
import hashlib
import json
from collections import defaultdict

from sqlalchemy import Connection, Engine, delete, insert, select

from api import models  # registers every table, for Base.metadata
from api.database import Base, write_transaction
from api.search import backend_for
from api.seeding.dataset import Dataset

# Record tables (the ones with ids and timestamps), with the tables each one owns.
OWNED_ROWS = {
    "sources": {},
    "jurisdictions": {"jurisdiction_sources": "jurisdiction_id"},
    "actors": {"actor_sources": "actor_id"},
    "documents": {
        "document_sources": "document_id",
        "document_topics": "document_id",
        "status_changes": "document_id",
        "status_change_sources": "document_id",
    },
    "provisions": {
        "provision_sources": "provision_id",
        "provision_topics": "provision_id",
        "provision_addressees": "provision_id",
    },
    "statements": {"statement_sources": "statement_id", "statement_documents": "statement_id"},
    "relations": {"relation_sources": "relation_id"},
}
TRACKING_COLUMNS = ("content_hash", "created_at", "updated_at")
LOG_TABLES = ("changes", "dataset_state")


def load_dataset(engine: Engine, dataset: Dataset, now: datetime.datetime | None = None) -> dict:
    """Replace every record with the dataset's in one transaction; return rows per table."""
    now = now or datetime.datetime.now(datetime.UTC)
    tables = [table for table in Base.metadata.sorted_tables if table.name not in LOG_TABLES]
    unknown = set(dataset.rows) - {table.name for table in tables}
    if unknown:
        raise ValueError(f"no such tables: {sorted(unknown)}")
    with write_transaction(engine) as connection:
        changes = _stamp_records(connection, dataset, now)
        for table in reversed(tables):
            connection.execute(table.delete())
        for table in tables:
            rows = dataset.rows.get(table.name)
            if rows:
                connection.execute(table.insert(), rows)
        backend_for(connection.dialect.name).rebuild(connection)
        if changes:
            connection.execute(insert(models.Change), changes)
        _record_state(connection, dataset, now, changed=bool(changes))
    return {table.name: dataset.count(table.name) for table in tables}


def content_hash(row: dict, owned: dict[str, list[dict]]) -> str:
    content = {
        "row": row,
        "owned": {table: sorted(rows, key=_sort_key) for table, rows in owned.items()},
    }
    canonical = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _sort_key(row: dict) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def _stamp_records(connection: Connection, dataset: Dataset, now) -> list[dict]:
    """Give each record its hash and timestamps; return the change-log entries."""
    changes = []
    for table_name, owned_tables in OWNED_ROWS.items():
        table = Base.metadata.tables[table_name]
        previous = {
            row.id: row
            for row in connection.execute(
                select(table.c.id, table.c.content_hash, table.c.created_at, table.c.updated_at)
            )
        }
        owned_by = _group_owned(dataset, owned_tables)
        for row in dataset.rows.get(table_name, []):
            content = {k: v for k, v in row.items() if k not in TRACKING_COLUMNS}
            owned = {name: owned_by[name].get(row["id"], []) for name in owned_tables}
            row["content_hash"] = content_hash(content, owned)
            before = previous.pop(row["id"], None)
            if before is None:
                row["created_at"] = row["updated_at"] = now
                changes.append(_change(table_name, row["id"], "created", now))
            elif before.content_hash != row["content_hash"]:
                row["created_at"], row["updated_at"] = before.created_at, now
                changes.append(_change(table_name, row["id"], "updated", now))
            else:
                row["created_at"], row["updated_at"] = before.created_at, before.updated_at
        changes.extend(_change(table_name, gone, "deleted", now) for gone in sorted(previous))
    return changes


def _group_owned(dataset: Dataset, owned_tables: dict[str, str]) -> dict[str, dict[str, list]]:
    grouped: dict[str, dict[str, list]] = {}
    for name, owner_column in owned_tables.items():
        by_owner = defaultdict(list)
        for row in dataset.rows.get(name, []):
            by_owner[row[owner_column]].append(row)
        grouped[name] = by_owner
    return grouped


def _change(collection: str, record_id: str, action: str, now) -> dict:
    return {"collection": collection, "record_id": record_id, "action": action, "changed_at": now}


def _record_state(connection: Connection, dataset: Dataset, now, *, changed: bool) -> None:
    """The dataset version is a hash of every record's hash: equal data, equal version."""
    digest = hashlib.sha256()
    for table_name in OWNED_ROWS:
        for row in sorted(dataset.rows.get(table_name, []), key=lambda row: row["id"]):
            digest.update(f"{table_name}/{row['id']}/{row['content_hash']}\n".encode())
    state = connection.execute(select(models.DatasetState)).first()
    changed_at = now if changed or state is None else state.changed_at
    connection.execute(delete(models.DatasetState))
    connection.execute(
        insert(models.DatasetState),
        {"id": 1, "version": digest.hexdigest(), "changed_at": changed_at, "loaded_at": now},
    )
