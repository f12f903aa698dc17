"""The initial schema: records, links, change log, search index

Revision ID: 0001
Revises:
Create Date: 2026-11-26 08:03:22.905490
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


SQLITE_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "kind UNINDEXED, record_id UNINDEXED, title, content, "
    "tokenize = 'porter unicode61 remove_diacritics 0')"
)
# PostgreSQL's english configuration with the original Porter stemmer, as FTS5 uses.
POSTGRESQL_SEARCH_INDEX = [
    "CREATE TEXT SEARCH DICTIONARY provisions_porter "
    "(TEMPLATE = snowball, Language = porter, StopWords = english)",
    "CREATE TEXT SEARCH CONFIGURATION provisions_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION provisions_english ALTER MAPPING FOR "
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH provisions_porter",
    "CREATE TABLE search_index ("
    "kind varchar(20) NOT NULL, record_id varchar(200) NOT NULL, title text, content text, "
    "tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('provisions_english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('provisions_english', coalesce(content, '')), 'B')) STORED, "
    "PRIMARY KEY (kind, record_id))",
    "CREATE INDEX search_index_tsv ON search_index USING gin (tsv)",
]


def create_search_index() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_SEARCH_INDEX:
            op.execute(statement)
    else:
        op.execute(SQLITE_SEARCH_INDEX)


def drop_search_index() -> None:
    op.execute("DROP TABLE search_index")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TEXT SEARCH CONFIGURATION provisions_english")
        op.execute("DROP TEXT SEARCH DICTIONARY provisions_porter")


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("sequence", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("collection", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
    )
    op.create_table(
        "dataset_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "jurisdictions",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["jurisdictions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("jurisdictions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jurisdictions_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_jurisdictions_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_jurisdictions_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "sources",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sources_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_sources_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "actors",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("jurisdiction_id", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdictions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("actors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_actors_jurisdiction_id"), ["jurisdiction_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_actors_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_actors_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "jurisdiction_sources",
        sa.Column("jurisdiction_id", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["jurisdiction_id"], ["jurisdictions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("jurisdiction_id", "source_id"),
    )
    with op.batch_alter_table("jurisdiction_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_jurisdiction_sources_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "actor_sources",
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("actor_id", "source_id"),
    )
    with op.batch_alter_table("actor_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actor_sources_source_id"), ["source_id"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("issuer_id", sa.String(length=200), nullable=False),
        sa.Column("jurisdiction_id", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("official_url", sa.String(length=2000), nullable=True),
        sa.Column("verification", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issuer_id"],
            ["actors.id"],
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdictions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_issuer_id"), ["issuer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_documents_jurisdiction_id"), ["jurisdiction_id"], unique=False
        )
        batch_op.create_index("ix_documents_signed_on_id", ["signed_on", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_status"), ["status"], unique=False)
        batch_op.create_index("ix_documents_type_signed_on", ["type", "signed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "statements",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("speaker_id", sa.String(length=200), nullable=False),
        sa.Column("said_on", sa.Date(), nullable=True),
        sa.Column("date_note", sa.Text(), nullable=True),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quoted_in_id", sa.String(length=200), nullable=False),
        sa.Column("stance", sa.String(length=40), nullable=False),
        sa.Column("verification", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quoted_in_id"],
            ["sources.id"],
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["actors.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statements_said_on"), ["said_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_statements_speaker_id"), ["speaker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statements_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "document_sources",
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("document_id", "source_id"),
    )
    with op.batch_alter_table("document_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_sources_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "document_topics",
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "topic"),
    )
    with op.batch_alter_table("document_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_topics_topic"), ["topic"], unique=False)

    op.create_table(
        "provisions",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("modality", sa.String(length=40), nullable=False),
        sa.Column("binding", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("quoted_in_id", sa.String(length=200), nullable=True),
        sa.Column("verification", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
        ),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["provisions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["quoted_in_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provisions_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            "ix_provisions_document_position", ["document_id", "position"], unique=True
        )
        batch_op.create_index(
            "ix_provisions_modality_document_position",
            ["modality", "document_id", "position"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_provisions_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_provisions_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "relations",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["documents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["documents.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relations_object_id"), ["object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_subject_id"), ["subject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_type"), ["type"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "statement_documents",
        sa.Column("statement_id", sa.String(length=200), nullable=False),
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
        ),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("statement_id", "document_id"),
    )
    with op.batch_alter_table("statement_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_documents_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "statement_sources",
        sa.Column("statement_id", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("statement_id", "source_id"),
    )
    with op.batch_alter_table("statement_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_sources_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "status_changes",
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("by_id", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["documents.id"],
        ),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "position"),
    )
    op.create_table(
        "provision_addressees",
        sa.Column("provision_id", sa.String(length=200), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
        ),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provision_id", "actor_id"),
    )
    with op.batch_alter_table("provision_addressees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provision_addressees_actor_id"), ["actor_id"], unique=False
        )

    op.create_table(
        "provision_sources",
        sa.Column("provision_id", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("provision_id", "source_id"),
    )
    with op.batch_alter_table("provision_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provision_sources_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "provision_topics",
        sa.Column("provision_id", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provision_id", "topic"),
    )
    with op.batch_alter_table("provision_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provision_topics_topic"), ["topic"], unique=False)

    op.create_table(
        "relation_sources",
        sa.Column("relation_id", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["relation_id"], ["relations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("relation_id", "source_id"),
    )
    with op.batch_alter_table("relation_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relation_sources_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "status_change_sources",
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id", "position"],
            ["status_changes.document_id", "status_changes.position"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("document_id", "position", "source_id"),
    )
    with op.batch_alter_table("status_change_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_change_sources_source_id"), ["source_id"], unique=False
        )
    create_search_index()


def downgrade() -> None:
    drop_search_index()
    with op.batch_alter_table("status_change_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_change_sources_source_id"))

    op.drop_table("status_change_sources")
    with op.batch_alter_table("relation_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_sources_source_id"))

    op.drop_table("relation_sources")
    with op.batch_alter_table("provision_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_topics_topic"))

    op.drop_table("provision_topics")
    with op.batch_alter_table("provision_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_sources_source_id"))

    op.drop_table("provision_sources")
    with op.batch_alter_table("provision_addressees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_addressees_actor_id"))

    op.drop_table("provision_addressees")
    op.drop_table("status_changes")
    with op.batch_alter_table("statement_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_sources_source_id"))

    op.drop_table("statement_sources")
    with op.batch_alter_table("statement_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_documents_document_id"))

    op.drop_table("statement_documents")
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relations_updated_at"))
        batch_op.drop_index(batch_op.f("ix_relations_type"))
        batch_op.drop_index(batch_op.f("ix_relations_subject_id"))
        batch_op.drop_index(batch_op.f("ix_relations_object_id"))

    op.drop_table("relations")
    with op.batch_alter_table("provisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provisions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_provisions_parent_id"))
        batch_op.drop_index("ix_provisions_modality_document_position")
        batch_op.drop_index("ix_provisions_document_position")
        batch_op.drop_index(batch_op.f("ix_provisions_actor_id"))

    op.drop_table("provisions")
    with op.batch_alter_table("document_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_topics_topic"))

    op.drop_table("document_topics")
    with op.batch_alter_table("document_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_sources_source_id"))

    op.drop_table("document_sources")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_updated_at"))
        batch_op.drop_index(batch_op.f("ix_statements_speaker_id"))
        batch_op.drop_index(batch_op.f("ix_statements_said_on"))

    op.drop_table("statements")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_updated_at"))
        batch_op.drop_index("ix_documents_type_signed_on")
        batch_op.drop_index(batch_op.f("ix_documents_status"))
        batch_op.drop_index("ix_documents_signed_on_id")
        batch_op.drop_index(batch_op.f("ix_documents_jurisdiction_id"))
        batch_op.drop_index(batch_op.f("ix_documents_issuer_id"))

    op.drop_table("documents")
    with op.batch_alter_table("actor_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_sources_source_id"))

    op.drop_table("actor_sources")
    with op.batch_alter_table("jurisdiction_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jurisdiction_sources_source_id"))

    op.drop_table("jurisdiction_sources")
    with op.batch_alter_table("actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actors_updated_at"))
        batch_op.drop_index(batch_op.f("ix_actors_kind"))
        batch_op.drop_index(batch_op.f("ix_actors_jurisdiction_id"))

    op.drop_table("actors")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_updated_at"))
        batch_op.drop_index(batch_op.f("ix_sources_kind"))

    op.drop_table("sources")
    with op.batch_alter_table("jurisdictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jurisdictions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_jurisdictions_parent_id"))
        batch_op.drop_index(batch_op.f("ix_jurisdictions_level"))

    op.drop_table("jurisdictions")
    op.drop_table("dataset_state")
    op.drop_table("changes")
