"""The dataset as layers: the seed files and the imports, each reloaded without the other.

A seed load derives the imported layer again from the stored imports; an import reads the
seed layer back from the database. Both then load the two together, so a seed load never
deletes imported documents and an import never deletes seeds. Where both layers hold a
record with one id (the President, the United States), the seed files' record is kept.
"""

from sqlalchemy import Connection, select

from api.seeding.dataset import Dataset
from api.seeding.loader import OWNED_ROWS, TRACKING_COLUMNS
from api.storage import models
from api.storage.database import Base

SEEDS = "seeds"


def combine(layers: dict[str, Dataset]) -> tuple[Dataset, dict[tuple[str, str], str]]:
    """One dataset from several, the first layer's record winning an id; and the origin of
    each record not from the seeds ((collection, id) -> layer name)."""
    combined = Dataset()
    origins: dict[tuple[str, str], str] = {}
    taken: dict[str, set[str]] = {table: set() for table in OWNED_ROWS}
    for name, layer in layers.items():
        kept: dict[str, set[str]] = {}
        for table, owned in OWNED_ROWS.items():
            rows = [row for row in layer.rows.get(table, []) if row["id"] not in taken[table]]
            kept[table] = {row["id"] for row in rows}
            taken[table] |= kept[table]
            for row in rows:
                combined.add(table, _complete(table, row))
                if name != SEEDS:
                    origins[(table, row["id"])] = name
            for owned_table, owner in owned.items():
                for row in layer.rows.get(owned_table, []):
                    if row[owner] in kept[table]:
                        combined.add(owned_table, _complete(owned_table, row))
    return combined, origins


def _complete(table_name: str, row: dict) -> dict:
    """The row with every stored column, null where it gives none: a record hashes alike
    whether read from its files or back from the database."""
    missing = _columns(table_name) - row.keys()
    return {**row, **dict.fromkeys(missing)} if missing else row


def _columns(table_name: str) -> set[str]:
    table = Base.metadata.tables[table_name]
    copies = table.info.get("copied_from_owner", {})
    return {
        column.key
        for column in table.columns
        if column.key not in TRACKING_COLUMNS and column.key not in copies
    }


def read_layer(connection: Connection, origin: str) -> Dataset:
    """The records in the database that came from `origin` (SEEDS: from no import), with the
    rows they own, as rows to load again (without the timestamps and copies a load makes)."""
    origins: dict[str, set[str]] = {}
    for collection, record_id, record_origin in connection.execute(
        select(
            models.RecordOrigin.collection,
            models.RecordOrigin.record_id,
            models.RecordOrigin.origin,
        )
    ):
        if record_origin == origin or origin == SEEDS:
            origins.setdefault(collection, set()).add(record_id)
    dataset = Dataset()
    tables = Base.metadata.tables
    for table_name, owned in OWNED_ROWS.items():
        listed = origins.get(table_name, set())
        keep: set[str] = set()
        for row in connection.execute(select(tables[table_name])).mappings():
            if (row["id"] in listed) != (origin == SEEDS):
                keep.add(row["id"])
                dataset.add(table_name, _plain(table_name, row))
        for owned_table, owner in owned.items():
            for row in connection.execute(select(tables[owned_table])).mappings():
                if row[owner] in keep:
                    dataset.add(owned_table, _plain(owned_table, row))
    return dataset


def _plain(table_name: str, row) -> dict:
    copies = Base.metadata.tables[table_name].info.get("copied_from_owner", {})
    return {
        key: value
        for key, value in row.items()
        if key not in TRACKING_COLUMNS and key not in copies
    }
