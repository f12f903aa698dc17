"""The values the scenarios use, read from the loaded SQLite file."""

import contextlib
import sqlite3
import urllib.parse
from pathlib import Path

from bench.scale.corpus import FTS_TABLE
from bench.scale.run import Picks


def query_one(sqlite_file: Path, sql: str, parameters: tuple = ()) -> tuple:
    uri = f"file:{sqlite_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return connection.execute(sql, parameters).fetchone()


def pick_values(sqlite_file: Path) -> Picks:
    """The values the scenarios use, from the loaded file: common ones, so pages are full."""

    def most_common(column: str, table: str) -> str:
        return query_one(
            sqlite_file,
            f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 1",
        )[0]

    def rarest_filling_a_page(column: str, table: str) -> str:
        return query_one(
            sqlite_file,
            f"SELECT {column} FROM {table} GROUP BY {column} HAVING count(*) >= 20 "
            f"ORDER BY count(*), {column} LIMIT 1",
        )[0]

    provisions = query_one(sqlite_file, "SELECT count(*) FROM provisions")[0]
    deep_keys = query_one(
        sqlite_file,
        "SELECT document_id, position, id FROM provisions "
        "ORDER BY document_id, position, id LIMIT 1 OFFSET ?",
        (provisions // 2,),
    )
    deep_id = query_one(
        sqlite_file, "SELECT id FROM provisions ORDER BY id LIMIT 1 OFFSET ?", (provisions // 2,)
    )[0]
    detail_document = query_one(sqlite_file, "SELECT min(document_id) FROM provisions")[0]
    common_addressee = most_common("actor_id", "provision_addressees")
    filters = {
        "filter:modality": {"modality": "directs"},
        "filter:binding": {"binding": "false"},
        "filter:topic": {"topic": most_common("topic", "provision_topics")},
        "filter:addressee": {"addressee": common_addressee},
        "filter:addressee (rare)": {
            "addressee": rarest_filling_a_page("actor_id", "provision_addressees")
        },
        "filter:topic (rare)": {"topic": rarest_filling_a_page("topic", "provision_topics")},
        "filter:actor": {"actor": most_common("actor_id", "provisions")},
        "filter:document": {"document": most_common("document_id", "provisions")},
    }
    return Picks(
        provisions=provisions,
        deep_keys=deep_keys,
        deep_id=deep_id,
        detail_document=detail_document,
        detail_provision=query_one(sqlite_file, "SELECT min(id) FROM provisions")[0],
        first_provision=query_one(
            sqlite_file,
            "SELECT id FROM provisions WHERE document_id = ? ORDER BY position LIMIT 1",
            (detail_document,),
        )[0],
        common_addressee=common_addressee,
        filters={key: urllib.parse.urlencode(value) for key, value in filters.items()},
        rare_candidates=rare_candidates(sqlite_file),
    )


def rare_candidates(sqlite_file: Path) -> list:
    """The 50 rarest plain words of the provisions' FTS index: (term, provisions with it)."""
    uri = f"file:{sqlite_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        connection.execute(
            f"CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, {FTS_TABLE}, row)"
        )
        return connection.execute(
            "SELECT term, doc FROM temp.vocabulary WHERE length(term) >= 5 "
            "AND term NOT GLOB '*[^a-z]*' ORDER BY doc, term LIMIT 50"
        ).fetchall()
