"""The search index: one table over documents, provisions and statements, and what each kind
of record puts in it."""

from sqlalchemy import Column, MetaData, String, Table, Text

# Not in the ORM metadata: each database builds it its own way (see create_index).
search_index = Table(
    "search_index",
    MetaData(),
    Column("kind", String(20), nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("title", Text),
    Column("content", Text),
)

# What each kind of record contributes: its title, and the rest of its searchable text.
# (A record without a citation or heading has the text it had before them. Document numbers
# are left out: PostgreSQL reads "2017-02281" as 2017 and -02281, where SQLite finds 02281.)
INDEXED_TEXT = {
    "document": (
        "documents",
        "title",
        "coalesce(number, '') || ' ' || coalesce(citation || ' ', '') || summary",
    ),
    "provision": (
        "provisions",
        "action",
        "coalesce(label, '') || ' ' || coalesce(heading || ' ', '') || summary || ' ' "
        "|| coalesce(text, '')",
    ),
    "statement": ("statements", "subject", "quote"),
}


SEARCH_KINDS = tuple(INDEXED_TEXT)
