"""Full-text search: one index over documents, provisions and statements.

SQLite uses an FTS5 table with porter stemming; PostgreSQL a `tsvector` column with a GIN
index. Both read the same parsed query, so a query means the same thing on either: words are
ANDed, `or` between words makes alternatives, "quoted words" are phrases, `-word` excludes.
Any string is a valid query; one that carries no searchable word matches nothing.
"""

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from flask import current_app
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Double,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY

from api import database
from api.pagination import Page, SortKey, paginate

# PostgreSQL's `english` stop words: dropped on SQLite too, so that both find the same.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)
MAX_TERMS = 32
MARK_START, MARK_END = "\u27e6", "\u27e7"  # sentinels, turned into <mark> after escaping

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


@dataclass(frozen=True)
class Query:
    """A parsed query: every clause must match (one of its alternatives); no exclusion may."""

    clauses: tuple[tuple[tuple[str, ...], ...], ...] = ()
    exclusions: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.clauses


@dataclass(frozen=True)
class Estimate:
    """What term statistics tell of a query's matches: at most `bounds[kind]` records of each
    kind (infinite when unknown), and exactly that many when `exact`."""

    bounds: dict[str, float]
    exact: bool = False

    @classmethod
    def unknown(cls, kinds: Sequence[str]) -> "Estimate":
        return cls({kind: math.inf for kind in kinds})

    @property
    def total(self) -> float:
        return sum(self.bounds.values())

    @property
    def kinds(self) -> list[str]:
        """The kinds that may have matches."""
        return [kind for kind, bound in self.bounds.items() if bound > 0]

    def restriction(self) -> ColumnElement[bool]:
        """The index rows of the kinds that may have matches; no condition if that is every
        kind: on SQLite, a condition on `kind` (unindexed) reads each match's row, where the
        query alone reads the index only."""
        if set(self.kinds) >= set(SEARCH_KINDS):
            return true()
        return search_index.c.kind.in_(self.kinds)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse(raw: str) -> Query:
    """Web-search syntax into clauses of phrases; never fails, whatever the input."""
    clauses: list[list[tuple[str, ...]]] = []
    exclusions: list[tuple[str, ...]] = []
    alternative = False
    for match in _TOKEN.finditer(raw[:2000]):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or" and clauses:
            alternative = True
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        words = tuple(w.lower() for w in _WORD.findall(phrase if bare is None else bare))
        if bare is not None or len(words) == 1:
            words = tuple(w for w in words if w not in STOP_WORDS)
        if not words:
            continue
        if negated:
            exclusions.append(words)
        elif alternative:
            clauses[-1].append(words)
        else:
            clauses.append([words])
        alternative = False
    clauses = clauses[:MAX_TERMS]
    return Query(tuple(tuple(c) for c in clauses), tuple(exclusions[:MAX_TERMS]))


def fts5_expression(query: Query) -> str:
    """The query in FTS5 syntax, every term quoted so that no input is an FTS5 operator."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'

    def clause(alternatives) -> str:
        return "(" + " OR ".join(phrase(words) for words in alternatives) + ")"

    expression = " AND ".join(clause(c) for c in query.clauses)
    if query.exclusions:
        expression += " NOT (" + " OR ".join(phrase(words) for words in query.exclusions) + ")"
    return expression


def websearch_text(query: Query) -> str:
    """The query rebuilt in PostgreSQL's websearch_to_tsquery syntax from clean words."""

    def phrase(words: tuple[str, ...]) -> str:
        return f'"{" ".join(words)}"' if len(words) > 1 else words[0]

    parts = [" or ".join(phrase(words) for words in alternatives) for alternatives in query.clauses]
    parts += [f"-{phrase(words)}" for words in query.exclusions]
    return " ".join(parts)


def highlight(snippet: str | None) -> str | None:
    """Escape a snippet for HTML and mark the matched words with <mark>."""
    if snippet is None:
        return None
    escaped = html.escape(snippet.strip(), quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


class SearchBackend:
    """What each database does differently; see SQLiteSearch and PostgreSQLSearch.

    The index itself (an FTS5 table, or a table with a tsvector column) is made by the
    initial migration.
    """

    def matches(self, query: Query) -> ColumnElement[bool]:
        raise NotImplementedError

    def score(self, query: Query) -> ColumnElement[float]:
        """Higher is more relevant."""
        raise NotImplementedError

    def snippet(self, query: Query) -> ColumnElement[str]:
        raise NotImplementedError

    def rebuild(self, connection: Connection) -> None:
        """Refill the index from the records, inside the caller's transaction."""
        connection.execute(search_index.delete())
        for kind, (table, title, content) in INDEXED_TEXT.items():
            connection.execute(
                text(
                    "INSERT INTO search_index (kind, record_id, title, content) "
                    f"SELECT '{kind}', id, {title}, {content} FROM {table} ORDER BY id"
                )
            )

    def index_order(self) -> tuple[SortKey, ...]:
        """The order of hits a query too broad to rank comes in: kind, then record id."""
        return (SortKey(search_index.c.kind), SortKey(search_index.c.record_id))

    def estimate(self, query: Query, kinds: Sequence[str]) -> Estimate:
        """Bounds on the query's matches per kind, from the index's term statistics."""
        return Estimate.unknown(kinds)

    def record_ids(self, kind: str, query: Query):
        """A subquery of the ids of records of `kind` matching the query."""
        return select(search_index.c.record_id).where(
            self.matches(query), search_index.c.kind == kind
        )

    def ranked(self, kind: str, query: Query):
        """A subquery of (record_id, score) for records of `kind` matching the query."""
        return (
            select(search_index.c.record_id, self.score(query).label("score"))
            .where(self.matches(query), search_index.c.kind == kind)
            .subquery("ranked")
        )


class SQLiteSearch(SearchBackend):
    def matches(self, query: Query) -> ColumnElement[bool]:
        return literal_column("search_index").op("MATCH")(fts5_expression(query))

    def score(self, query: Query) -> ColumnElement[float]:
        return -func.bm25(literal_column("search_index"), 2.0, 1.0)

    def snippet(self, query: Query) -> ColumnElement[str]:
        return func.snippet(literal_column("search_index"), 3, MARK_START, MARK_END, "…", 24)

    def rebuild(self, connection: Connection) -> None:
        # FTS5 deletes a row by tokenizing its text again, so emptying the index costs as much
        # as filling it. Dropping the table and creating it again as the migration did is free.
        definition = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search_index'"
        ).scalar_one()
        connection.exec_driver_sql("DROP TABLE search_index")
        connection.exec_driver_sql(definition)
        super().rebuild(connection)

    def index_order(self) -> tuple[SortKey, ...]:
        # The rebuild inserts kind by kind (in alphabetical order), each by id: rowid order is
        # (kind, record id) order, and FTS5 can seek by rowid but not by its other columns.
        return (SortKey(literal_column("search_index.rowid", Integer), never_null=True),)


class PostgreSQLSearch(SearchBackend):
    # PostgreSQL's `english` with the original Porter stemmer in place of Snowball's English
    # stemmer: the algorithm FTS5's `porter` tokenizer implements, so both stem words alike.
    CONFIG = "provisions_english"

    def tsquery(self, query: Query):
        return func.websearch_to_tsquery(self.CONFIG, websearch_text(query))

    def matches(self, query: Query) -> ColumnElement[bool]:
        return literal_column("search_index.tsv").op("@@")(self.tsquery(query))

    def score(self, query: Query) -> ColumnElement[float]:
        # Normalization 1 divides by 1 + log(length): short, focused records rank first.
        # As float8, so that the score in a cursor compares equal to itself on the next page.
        rank = func.ts_rank(literal_column("search_index.tsv"), self.tsquery(query), 1)
        return cast(rank, Double)

    def snippet(self, query: Query) -> ColumnElement[str]:
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=8, "
            "MaxFragments=1, FragmentDelimiter=…"
        )
        return func.ts_headline(self.CONFIG, search_index.c.content, self.tsquery(query), options)

    def rebuild(self, connection: Connection) -> None:
        super().rebuild(connection)
        connection.execute(text("DELETE FROM search_terms"))
        connection.execute(
            text(
                "INSERT INTO search_terms (kind, term, records) "
                "SELECT kind, word, ndoc FROM (SELECT DISTINCT kind FROM search_index) AS kinds, "
                "LATERAL ts_stat(format('SELECT tsv FROM search_index WHERE kind = %L', kind))"
            )
        )

    # Per word and kind: how many of the word's lexemes there are, and the fewest records
    # holding one of them (a word of several lexemes, such as `a_b`, is searched as a phrase).
    WORD_RECORDS = text(
        "SELECT words.word, kinds.kind, count(lexemes.lexeme) AS lexemes, "
        "min(coalesce(search_terms.records, 0)) AS records "
        "FROM unnest(:words) AS words(word) CROSS JOIN unnest(:kinds) AS kinds(kind) "
        "LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector(CAST(:config AS regconfig), "
        "words.word))) AS lexemes(lexeme) ON true "
        "LEFT JOIN search_terms ON search_terms.term = lexemes.lexeme "
        "AND search_terms.kind = kinds.kind "
        "GROUP BY words.word, kinds.kind"
    ).bindparams(bindparam("words", type_=ARRAY(Text)), bindparam("kinds", type_=ARRAY(Text)))

    def estimate(self, query: Query, kinds: Sequence[str]) -> Estimate:
        words = sorted({word for clause in query.clauses for phrase in clause for word in phrase})
        parameters = {"words": words, "kinds": list(kinds), "config": self.CONFIG}
        rows = database.session().execute(self.WORD_RECORDS, parameters).all()
        # A word with no lexeme (dropped by the text search configuration) bounds nothing.
        records = {(row.word, row.kind): row.records if row.lexemes else math.inf for row in rows}
        lexemes = {row.word: row.lexemes for row in rows}

        def phrase_bound(phrase: tuple[str, ...], kind: str) -> float:
            return min(records[word, kind] for word in phrase)

        bounds = {
            kind: min(
                sum(phrase_bound(phrase, kind) for phrase in clause) for clause in query.clauses
            )
            for kind in kinds
        }
        single_word = len(query.clauses) == 1 and len(query.clauses[0]) == 1 and len(words) == 1
        exact = single_word and not query.exclusions and lexemes[words[0]] == 1
        return Estimate(bounds, exact)


def backend_for(dialect_name: str) -> SearchBackend:
    return PostgreSQLSearch() if dialect_name == "postgresql" else SQLiteSearch()


def current_backend() -> SearchBackend:
    """The search backend of the current app's database."""
    return backend_for(database.engine().dialect.name)


SEARCH_KINDS = tuple(INDEXED_TEXT)


@dataclass(frozen=True)
class Hit:
    type: str
    id: str
    title: str
    snippet: str | None

    @property
    def links(self) -> dict:
        return {"self": f"/v1/{self.type}s/{self.id}"}


def too_broad(query: Query, estimate: Estimate) -> bool:
    """Whether more records match than SEARCH_RANK_LIMIT: ranking costs a score for every
    match, so a query matching most of a million records would take seconds.

    The term statistics answer when they can; otherwise matches are counted, up to the limit.
    """
    limit = current_app.config["SEARCH_RANK_LIMIT"]
    if estimate.total <= limit:
        return False
    if estimate.exact:
        return True
    matching = select(literal(1)).select_from(search_index).where(current_backend().matches(query))
    matching = matching.where(estimate.restriction())
    counted = select(func.count()).select_from(matching.limit(limit + 1).subquery())
    return database.session().scalar(counted) > limit


def hits_page(arguments: dict):
    """One page of hits across every kind of record, best match first; in index order (and
    `ranked` false) when the query is too broad to rank."""
    query = parse(arguments["q"])
    if query.empty:
        return Page([], None, meta={"ranked": True})
    backend = current_backend()
    estimate = backend.estimate(query, arguments.get("type") or SEARCH_KINDS)
    statement = select(
        search_index.c.kind,
        search_index.c.record_id,
        search_index.c.title,
        backend.snippet(query).label("snippet"),
    ).where(backend.matches(query), estimate.restriction())
    ranked = not too_broad(query, estimate)
    order = (
        (
            SortKey(backend.score(query), descending=True),
            SortKey(search_index.c.kind),
            SortKey(search_index.c.record_id),
        )
        if ranked
        else backend.index_order()
    )
    page = paginate(
        database.session(),
        statement,
        order,
        limit=arguments["limit"],
        cursor=arguments["cursor"],
        arguments=arguments,
        secret=current_app.config["SECRET_KEY"],
        item=lambda row: Hit(row.kind, row.record_id, row.title, highlight(row.snippet)),
    )
    return replace(page, meta={"ranked": ranked})
