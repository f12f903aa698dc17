"""The fast export path gives the plain path's bytes, every collection, on either database.

`ndjson_lines` reads SQLite's lines by the driver's own cursor, from the statement compiled
with its constants written in; `plain_ndjson_lines` is the reference (and what PostgreSQL
still uses). Compared on the seeds, on a synthetic corpus, and on one whose text is awkward
(backslashes, quotes, controls, non-ASCII), on whichever database the suite runs on
(tests/conftest.py).
"""

import pytest
from sqlalchemy import String, literal, select

from api.collections import NAMES
from api.queries import json_lines
from api.seeding import load_dataset
from api.services import exports
from api.storage import database
from synthetic import synthetic_dataset
from tests.conftest import isolated_database, make_app
from tests.test_json_lines import awkward_dataset


@pytest.fixture(scope="module")
def synthetic_app(tmp_path_factory):
    with isolated_database(tmp_path_factory.mktemp("fast-export-synthetic")) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), synthetic_dataset(40, 3))
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(scope="module")
def awkward_text_app(tmp_path_factory):
    with isolated_database(tmp_path_factory.mktemp("fast-export-awkward")) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), awkward_dataset())
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(params=["seeds", "synthetic", "awkward"])
def app(request, seeded_app, synthetic_app, awkward_text_app):
    return {"seeds": seeded_app, "synthetic": synthetic_app, "awkward": awkward_text_app}[
        request.param
    ]


def exported(app, export) -> tuple[bytes, list[bytes]]:
    """The whole export, and its chunks, each read in a request of its own."""
    with app.test_request_context():
        chunks = list(export())
    return b"".join(chunks), chunks


@pytest.mark.parametrize("collection", NAMES)
def test_the_fast_path_gives_the_plain_paths_bytes(app, collection):
    fast, chunks = exported(app, lambda: exports.ndjson_lines(collection))
    plain, _ = exported(app, lambda: exports.plain_ndjson_lines(collection))
    assert fast == plain
    assert fast.endswith(b"\n") and fast.count(b"\n") > 0
    assert all(chunk.endswith(b"\n") for chunk in chunks)  # no line is cut between chunks


@pytest.mark.parametrize("collection", ["provisions", "sources"])
def test_small_chunks_give_the_same_bytes(awkward_text_app, collection, monkeypatch):
    plain, _ = exported(awkward_text_app, lambda: exports.plain_ndjson_lines(collection))
    monkeypatch.setattr(exports, "BATCH_SIZE", 7)
    fast, chunks = exported(awkward_text_app, lambda: exports.ndjson_lines(collection))
    assert fast == plain
    assert len(chunks) > 3


def test_the_awkward_text_has_backslashes_to_unescape(awkward_text_app):
    plain, _ = exported(awkward_text_app, lambda: exports.plain_ndjson_lines("provisions"))
    assert b"\\\\" in plain and b'\\"' in plain and b"\\n" in plain


def test_sqlite_takes_the_fast_path_and_postgresql_the_plain_one(seeded_app, monkeypatch):
    """The fast path is used where it applies, not silently the plain one."""
    with seeded_app.test_request_context():
        sqlite = database.session().get_bind().dialect.name == "sqlite"
        plain = exports.plain_ndjson_lines
        monkeypatch.setattr(exports, "_driver_chunks", None)  # called: TypeError
        if sqlite:
            with pytest.raises(TypeError):
                next(exports.ndjson_lines("provisions"))
        else:
            assert b"".join(exports.ndjson_lines("provisions")) == b"".join(plain("provisions"))


def test_every_collection_is_written_by_the_database(seeded_app, monkeypatch):
    """Documents too, with their nested status history: none is dumped in Python."""
    monkeypatch.setattr(exports, "_dumped_lines", None)  # calling it would fail
    with seeded_app.test_request_context():
        for collection in NAMES:
            assert b"".join(exports.ndjson_lines(collection)), collection


def test_constants_reach_the_database_as_written(seeded_app):
    """The statement's constants, written into its SQL, are read back as they were: percent
    signs (doubled for drivers that take %s parameters), quotes, backslashes."""
    text = "100% of 'quoted' %s %(name)s \\ \\\\ é"
    with seeded_app.test_request_context():
        connection = database.session().connection()
        sql = json_lines.written_out(select(literal(text, String)), connection.dialect)
        cursor = connection.connection.cursor()
        cursor.execute(sql)
        assert cursor.fetchall() == [(text,)]
        cursor.close()
