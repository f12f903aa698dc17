"""Federal Register fields (citations, files, headings, extraction), relations to documents
not in the data, and the imported Federal Register documents

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# New columns, all nullable, by table.
COLUMNS = {
    "documents": (
        ("citation", sa.String(length=100)),
        ("document_number", sa.String(length=40)),
        ("pdf_url", sa.String(length=2000)),
        ("xml_url", sa.String(length=2000)),
        ("text_url", sa.String(length=2000)),
        ("note", sa.Text()),
        ("confidence", sa.Float()),
        ("extractor", sa.String(length=100)),
    ),
    "provisions": (
        ("heading", sa.String(length=500)),
        ("confidence", sa.Float()),
        ("extractor", sa.String(length=100)),
    ),
}
# The exact-match filters `number=`, `citation=` and `document_number=`.
DOCUMENT_INDEXES = ("number", "citation", "document_number")


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for name, type_ in columns:
            op.add_column(table, sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("documents") as batch_op:
        for column in DOCUMENT_INDEXES:
            batch_op.create_index(f"ix_documents_{column}", [column])
    with _children_kept("relation_sources"), op.batch_alter_table("relations") as batch_op:
        batch_op.add_column(sa.Column("object_reference", sa.String(length=200), nullable=True))
        batch_op.alter_column("object_id", existing_type=sa.String(200), nullable=True)
    op.create_table(
        "federal_register_documents",
        sa.Column("document_number", sa.String(length=40), nullable=False),
        sa.Column("executive_order_number", sa.String(length=20), nullable=True),
        sa.Column("api_record", sa.JSON(), nullable=True),
        sa.Column("full_text_xml", sa.Text(), nullable=True),
        sa.Column("raw_text", sa.Text(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("document_number"),
    )
    with op.batch_alter_table("federal_register_documents") as batch_op:
        batch_op.create_index(
            "ix_federal_register_documents_executive_order_number", ["executive_order_number"]
        )


def downgrade() -> None:
    with op.batch_alter_table("federal_register_documents") as batch_op:
        batch_op.drop_index("ix_federal_register_documents_executive_order_number")
    op.drop_table("federal_register_documents")
    # Revision 0004 has no place for a relation to a document not in the data: such relations
    # go, as the columns below go with their values.
    orphans = "SELECT id FROM relations WHERE object_id IS NULL"
    op.execute(f"DELETE FROM relation_sources WHERE relation_id IN ({orphans})")
    op.execute("DELETE FROM relations WHERE object_id IS NULL")
    with _children_kept("relation_sources"), op.batch_alter_table("relations") as batch_op:
        batch_op.alter_column("object_id", existing_type=sa.String(200), nullable=False)
        batch_op.drop_column("object_reference")
    with op.batch_alter_table("documents") as batch_op:
        for column in DOCUMENT_INDEXES:
            batch_op.drop_index(f"ix_documents_{column}")
    # SQLite drops these columns in place (ALTER TABLE … DROP COLUMN): copying the table
    # instead, as batch mode otherwise would, deletes the rows that refer to it (see below).
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, recreate="never") as batch_op:
            for name, _type in reversed(columns):
                batch_op.drop_column(name)


@contextmanager
def _children_kept(table: str) -> Iterator[None]:
    """On SQLite, the rows of `table`, which refers to the table the block copies, saved
    before the block and put back after it.

    SQLite changes a column's nullability by copying its table and dropping the old one; with
    foreign keys on (no migration can turn them off inside its transaction), that drop deletes
    the rows that refer to the table `ON DELETE CASCADE`.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(f"CREATE TEMPORARY TABLE {table}_kept AS SELECT * FROM {table}")
    yield
    if sqlite:
        op.execute(f"INSERT INTO {table} SELECT * FROM {table}_kept")
        op.execute(f"DROP TABLE {table}_kept")
