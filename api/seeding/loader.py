"""Write a checked dataset into the database, all or nothing."""

from sqlalchemy import Engine

from api import models  # noqa: F401  (registers every table)
from api.database import Base
from api.seeding.dataset import Dataset


def load_dataset(engine: Engine, dataset: Dataset) -> dict[str, int]:
    """Replace every record with the dataset's in one transaction; return rows per table."""
    tables = Base.metadata.sorted_tables
    unknown = set(dataset.rows) - {table.name for table in tables}
    if unknown:
        raise ValueError(f"no such tables: {sorted(unknown)}")
    with engine.begin() as connection:
        for table in reversed(tables):
            connection.execute(table.delete())
        for table in tables:
            rows = dataset.rows.get(table.name)
            if rows:
                connection.execute(table.insert(), rows)
    return {table.name: dataset.count(table.name) for table in tables}
