"""The fast export path gives the plain path's bytes, every collection, on either database.

`ndjson_lines` reads SQLite's lines by the driver's own cursor, from the statement compiled
with its constants written in, and PostgreSQL's range by range over several connections
sharing one snapshot; `plain_ndjson_lines` is the reference. Compared on the seeds, on a
synthetic corpus, and on one whose text is awkward (backslashes, quotes, controls,
non-ASCII), on whichever database the suite runs on (tests/conftest.py).
"""

import json
import threading
from contextlib import closing

import pytest
from sqlalchemy import String, delete, literal, select, update

from api.collections import NAMES
from api.queries import json_lines
from api.seeding import load_dataset
from api.services import exports
from api.storage import database, parallel_reads
from api.storage.models import Provision
from synthetic import synthetic_dataset
from tests.conftest import isolated_database, make_app, postgresql_url


@pytest.fixture(scope="module")
def synthetic_app(tmp_path_factory):
    with isolated_database(tmp_path_factory.mktemp("fast-export-synthetic")) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), synthetic_dataset(40, 3))
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(params=["seeds", "synthetic", "awkward"])
def app(request, seeded_app, synthetic_app, awkward_app):
    return {"seeds": seeded_app, "synthetic": synthetic_app, "awkward": awkward_app}[request.param]


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
def test_small_chunks_give_the_same_bytes(awkward_app, collection, monkeypatch):
    plain, _ = exported(awkward_app, lambda: exports.plain_ndjson_lines(collection))
    monkeypatch.setattr(exports, "BATCH_SIZE", 7)  # SQLite's chunks
    monkeypatch.setattr(parallel_reads, "RANGE_SIZE", 7)  # PostgreSQL's
    fast, chunks = exported(awkward_app, lambda: exports.ndjson_lines(collection))
    assert fast == plain
    assert len(chunks) > 3


def test_the_awkward_text_has_backslashes_to_unescape(awkward_app):
    plain, _ = exported(awkward_app, lambda: exports.plain_ndjson_lines("provisions"))
    assert b"\\\\" in plain and b'\\"' in plain and b"\\n" in plain


def test_each_database_takes_its_fast_path(seeded_app, monkeypatch):
    """The fast path is used where it applies, not silently the plain one."""
    with seeded_app.test_request_context():
        sqlite = database.session().get_bind().dialect.name == "sqlite"
        fast_path = "_driver_chunks" if sqlite else "_ranged_chunks"
        monkeypatch.setattr(exports, fast_path, None)  # called: TypeError
        with pytest.raises(TypeError):
            next(exports.ndjson_lines("provisions"))


needs_postgresql = pytest.mark.skipif(
    postgresql_url() is None, reason="needs DATABASE_URL naming PostgreSQL"
)


@needs_postgresql
@pytest.mark.parametrize("collection", NAMES)
def test_many_small_ranges_give_the_same_bytes(synthetic_app, collection, monkeypatch):
    plain, _ = exported(synthetic_app, lambda: exports.plain_ndjson_lines(collection))
    monkeypatch.setattr(parallel_reads, "RANGE_SIZE", 7)
    fast, chunks = exported(synthetic_app, lambda: exports.ndjson_lines(collection))
    assert fast == plain
    assert [chunk.count(b"\n") for chunk in chunks][:-1] == [7] * (len(chunks) - 1)
    assert 0 < chunks[-1].count(b"\n") <= 7


@needs_postgresql
def test_the_ranges_read_one_snapshot_while_others_write(tmp_path, monkeypatch):
    """Rows changed or deleted after the export began, in ranges not yet read, are exported
    as they were when it began: one consistent state, as from one statement."""
    monkeypatch.setattr(parallel_reads, "RANGE_SIZE", 5)
    with isolated_database(tmp_path) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), synthetic_dataset(12, 5))
        before, _ = exported(app, lambda: exports.plain_ndjson_lines("provisions"))
        last_ids = [exported_id(line) for line in before.splitlines()[-8:]]
        with app.test_request_context(), closing(exports.ndjson_lines("provisions")) as lines:
            first = next(lines)
            with database.engine().begin() as writer:
                changed = update(Provision).where(Provision.id == last_ids[0])
                writer.execute(changed.values(summary="changed"))
                writer.execute(delete(Provision).where(Provision.id == last_ids[-1]))
            during = first + b"".join(lines)
        after, _ = exported(app, lambda: exports.plain_ndjson_lines("provisions"))
        with app.app_context():
            database.engine().dispose()
    assert during == before
    assert after != before and b'"summary":"changed"' in after


def exported_id(line: bytes) -> str:
    return json.loads(line)["id"]


@needs_postgresql
def test_an_export_stopped_early_gives_back_its_connections(synthetic_app, monkeypatch):
    monkeypatch.setattr(parallel_reads, "RANGE_SIZE", 3)
    with synthetic_app.test_request_context():
        pool = database.engine().pool
        with closing(exports.ndjson_lines("provisions")) as lines:
            next(lines)
            assert pool.checkedout() == 1 + parallel_reads.LANES  # the snapshot's holder, lanes
        assert pool.checkedout() == 0
    assert not [thread for thread in threading.enumerate() if "range-reader" in thread.name]


@needs_postgresql
def test_a_second_export_at_once_reads_on_one_connection(synthetic_app, monkeypatch):
    """Ranged exports take three connections each: one at a time in a process, others the
    plain way, so that exports cannot drain the pool that pages need."""
    monkeypatch.setattr(parallel_reads, "RANGE_SIZE", 3)
    with synthetic_app.test_request_context():
        pool = database.engine().pool
        plain = b"".join(exports.plain_ndjson_lines("provisions"))
        with closing(exports.ndjson_lines("provisions")) as first:
            head = next(first)
            assert pool.checkedout() == 1 + parallel_reads.LANES
            with closing(exports.ndjson_lines("provisions")) as second:
                second_head = next(second)
                assert pool.checkedout() == 1 + parallel_reads.LANES + 1
                assert second_head + b"".join(second) == plain
            assert head + b"".join(first) == plain


@needs_postgresql
def test_an_empty_id_sends_the_export_the_plain_way(synthetic_app, monkeypatch):
    """Ranges start after the empty string, so a table holding an empty id is not split."""
    with synthetic_app.test_request_context():
        plain = b"".join(exports.plain_ndjson_lines("provisions"))
        third_id = exported_id(plain.splitlines()[2])
        monkeypatch.setattr(parallel_reads, "FIRST_AFTER", third_id)  # as if ids sorted first
        monkeypatch.setattr(exports, "_ranged_chunks", None)  # called: TypeError
        assert b"".join(exports.ndjson_lines("provisions")) == plain


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
