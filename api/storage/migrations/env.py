"""Alembic's environment: run on the connection `api.storage.database.upgrade_schema` hands over."""

from alembic import context

from api.storage import models  # noqa: F401  (registers every table)
from api.storage.database import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
