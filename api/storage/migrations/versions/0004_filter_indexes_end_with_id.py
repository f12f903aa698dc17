"""The modality and actor filter indexes end with the id, as the list's order does

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 17:00:00
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Filtered column, the index of migrations 0001/0002, the index that replaces it.
INDEXES = (
    ("modality", "ix_provisions_modality_document_position", "ix_provisions_modality_order"),
    ("actor_id", "ix_provisions_actor_document_position", "ix_provisions_actor_order"),
)
ORDER = ["document_id", "position"]


def upgrade() -> None:
    # With the id, PostgreSQL reads a filtered page from the index alone (see api.storage.models):
    # without it, it sometimes walked the whole list's order instead, for 600 ms a page.
    with op.batch_alter_table("provisions") as batch_op:
        for column, old, new in INDEXES:
            batch_op.create_index(new, [column, *ORDER, "id"])
            batch_op.drop_index(old)


def downgrade() -> None:
    with op.batch_alter_table("provisions") as batch_op:
        for column, old, new in INDEXES:
            batch_op.create_index(old, [column, *ORDER])
            batch_op.drop_index(new)
