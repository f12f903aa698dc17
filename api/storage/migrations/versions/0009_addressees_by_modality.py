"""A provision's modality copied into its addressee rows, indexed after the actor

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `addressee=` with `modality=` read the actor's links in page order and checked each
    # provision's modality: for a modality rare among an actor's provisions, most of them
    # (10 ms a group of an actor's page at a million provisions). The copy is indexed after
    # the actor, so such a page is read in order (see api.storage.models.ADDRESSEE_COPIES).
    op.add_column(
        "provision_addressees", sa.Column("provision_modality", sa.String(40), nullable=True)
    )
    op.execute(
        "UPDATE provision_addressees SET "
        "provision_modality = (SELECT modality FROM provisions WHERE id = provision_id)"
    )
    with op.batch_alter_table("provision_addressees") as batch_op:
        batch_op.alter_column("provision_modality", existing_type=sa.String(40), nullable=False)
        batch_op.create_index(
            "ix_provision_addressees_actor_id_modality_place",
            ["actor_id", "provision_modality", "document_id", "provision_position", "provision_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("provision_addressees") as batch_op:
        batch_op.drop_index("ix_provision_addressees_actor_id_modality_place")
        batch_op.drop_column("provision_modality")
