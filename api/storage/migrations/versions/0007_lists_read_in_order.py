"""A provision's addressees and sub-provisions are read in their order from an index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 03:40:00
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Each provision's lists are written by correlated subqueries (api.queries.json_lines):
    # without these, SQLite sorted every provision's addressees and sub-provisions, about a
    # fifth of the time a page or an export spends in the database.
    with op.batch_alter_table("provision_addressees") as batch_op:
        batch_op.create_index(
            "ix_provision_addressees_provision_order", ["provision_id", "position", "actor_id"]
        )
    with op.batch_alter_table("provisions") as batch_op:
        batch_op.create_index("ix_provisions_parent_order", ["parent_id", "position", "id"])
        batch_op.drop_index("ix_provisions_parent_id")  # the new index leads with it


def downgrade() -> None:
    with op.batch_alter_table("provisions") as batch_op:
        batch_op.create_index("ix_provisions_parent_id", ["parent_id"])
        batch_op.drop_index("ix_provisions_parent_order")
    with op.batch_alter_table("provision_addressees") as batch_op:
        batch_op.drop_index("ix_provision_addressees_provision_order")
