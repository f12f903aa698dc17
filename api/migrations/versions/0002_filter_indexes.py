"""Indexes that serve the actor filter and the list order together

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:30:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (actor_id) alone found an actor's 70,000 provisions of a million and sorted them all for
    # each page; this one reads them in page order. It also serves the foreign key.
    with op.batch_alter_table("provisions") as batch_op:
        batch_op.create_index(
            "ix_provisions_actor_document_position",
            ["actor_id", "document_id", "position"],
            unique=False,
        )
        batch_op.drop_index("ix_provisions_actor_id")


def downgrade() -> None:
    with op.batch_alter_table("provisions") as batch_op:
        batch_op.create_index("ix_provisions_actor_id", ["actor_id"], unique=False)
        batch_op.drop_index("ix_provisions_actor_document_position")
