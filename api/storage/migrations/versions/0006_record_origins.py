"""Record origins: which records an import made, so that seeds and imports reload apart

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_origins",
        sa.Column("collection", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("collection", "record_id"),
    )


def downgrade() -> None:
    op.drop_table("record_origins")
