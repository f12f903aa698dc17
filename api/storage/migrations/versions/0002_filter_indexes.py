"""An index serving the actor filter in page order; search term statistics on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:30:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# How many records of each kind hold each lexeme, kept by each load (see api.search.backends): a
# query's matches are bounded without reading the GIN index. SQLite's FTS5 needs no such help.
POSTGRESQL_SEARCH_TERMS = (
    "CREATE TABLE search_terms (kind varchar(20) NOT NULL, term text NOT NULL, "
    "records integer NOT NULL, PRIMARY KEY (term, kind))"
)


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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_SEARCH_TERMS)
        op.execute(
            "INSERT INTO search_terms (kind, term, records) "
            "SELECT kind, word, ndoc FROM (SELECT DISTINCT kind FROM search_index) AS kinds, "
            "LATERAL ts_stat(format('SELECT tsv FROM search_index WHERE kind = %L', kind))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE search_terms")
    with op.batch_alter_table("provisions") as batch_op:
        batch_op.create_index("ix_provisions_actor_id", ["actor_id"], unique=False)
        batch_op.drop_index("ix_provisions_actor_document_position")
