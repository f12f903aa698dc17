"""A provision's place copied into its topic and addressee rows, indexed after the topic or actor

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Link table, the column a filter reads, the single-column index the new one replaces.
LINKS = (
    ("provision_topics", "topic", "ix_provision_topics_topic"),
    ("provision_addressees", "actor_id", "ix_provision_addressees_actor_id"),
)
PLACE = ("document_id", "provision_position")


def upgrade() -> None:
    # `topic=` and `addressee=` checked each provision in page order for a link, which is a
    # scan of every provision for a rare value; the new index reads a value's links in page
    # order (see api.storage.models.PROVISION_PLACE).
    for table, column, old_index in LINKS:
        op.add_column(table, sa.Column("document_id", sa.String(200), nullable=True))
        op.add_column(table, sa.Column("provision_position", sa.Integer(), nullable=True))
        op.execute(
            f"UPDATE {table} SET "
            "document_id = (SELECT document_id FROM provisions WHERE id = provision_id), "
            "provision_position = (SELECT position FROM provisions WHERE id = provision_id)"
        )
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("document_id", existing_type=sa.String(200), nullable=False)
            batch_op.alter_column("provision_position", existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(f"ix_{table}_{column}_place", [column, *PLACE, "provision_id"])
            batch_op.drop_index(old_index)


def downgrade() -> None:
    for table, column, old_index in LINKS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(old_index, [column])
            batch_op.drop_index(f"ix_{table}_{column}_place")
            for place_column in PLACE:
                batch_op.drop_column(place_column)
