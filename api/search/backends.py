"""Full-text search on each database: what a query matches, how it scores, its snippets.

SQLite uses an FTS5 table with porter stemming; PostgreSQL a `tsvector` column with a GIN
index. Both read the same parsed query, so a query means the same thing on either: words are
ANDed, `or` between words makes alternatives, "quoted words" are phrases, `-word` excludes.
Any string is a valid query; one that carries no searchable word matches nothing.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import (
    ColumnElement,
    Connection,
    Double,
    Integer,
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

from api.search.hits import MARK_END, MARK_START
from api.search.index import INDEXED_TEXT, SEARCH_KINDS, search_index
from api.search.parser import Query
from api.storage import database


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

    def index_order(self) -> tuple[tuple[ColumnElement, bool], ...]:
        """The order of hits a query too broad to rank comes in, kind then record id: each
        column, and whether it is never null."""
        return ((search_index.c.kind, False), (search_index.c.record_id, False))

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

    def index_order(self) -> tuple[tuple[ColumnElement, bool], ...]:
        # The rebuild inserts kind by kind (in alphabetical order), each by id: rowid order is
        # (kind, record id) order, and FTS5 can seek by rowid but not by its other columns.
        return ((literal_column("search_index.rowid", Integer), True),)


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
        rows = self._word_records(words, kinds)
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

    def _word_records(self, words: list[str], kinds: Sequence[str]) -> list:
        """WORD_RECORDS's rows, read once per request: the search page asks twice (its hits,
        then their count per kind)."""
        asked = g.setdefault("word_records", {})
        key = (tuple(words), tuple(kinds))
        if key not in asked:
            parameters = {"words": words, "kinds": list(kinds), "config": self.CONFIG}
            asked[key] = database.session().execute(self.WORD_RECORDS, parameters).all()
        return asked[key]


def backend_for(dialect_name: str) -> SearchBackend:
    return PostgreSQLSearch() if dialect_name == "postgresql" else SQLiteSearch()


def current_backend() -> SearchBackend:
    """The search backend of the current app's database."""
    return backend_for(database.engine().dialect.name)


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
