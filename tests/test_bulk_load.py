"""The loader's fast paths: hashes as before, values stored as SQLAlchemy would store them."""

import datetime
import decimal
import enum
import hashlib
import json
import uuid
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from api.seeding import load_dataset, loader, read_seeds
from api.storage import database
from api.storage.database import Base
from api.storage.models import Change, DatasetState
from synthetic import EVERY_PROVISION_WORD, synthetic_dataset
from tests.conftest import SEEDS, isolated_database, make_app

FIRST = datetime.datetime(2025, 9, 1, 12, 0, 0, 123456, tzinfo=datetime.UTC)
SECOND = datetime.datetime(2025, 9, 2, 12, 0, tzinfo=datetime.UTC)
THIRD = datetime.datetime(2025, 9, 3, 12, 0, tzinfo=datetime.UTC)


def reference_hash(row: dict, owned: dict[str, list[dict]]) -> str:
    """The content hash as it was first defined: stored hashes must keep matching it."""

    def sort_key(owned_row: dict) -> str:
        return json.dumps(owned_row, sort_keys=True, default=str)

    content = {
        "row": row,
        "owned": {name: sorted(rows, key=sort_key) for name, rows in owned.items()},
    }
    canonical = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def reference_hashes(rows: list[dict], owned_rows: dict, owner_columns: dict) -> list[str]:
    grouped = {name: defaultdict(list) for name in owner_columns}
    for name, column in owner_columns.items():
        for owned_row in owned_rows.get(name, []):
            grouped[name][owned_row[column]].append(owned_row)
    return [
        reference_hash(row, {name: grouped[name][row["id"]] for name in owner_columns})
        for row in rows
    ]


def assert_hashes_as_defined(dataset) -> None:
    for table_name, owner_columns in loader.OWNED_ROWS.items():
        rows = dataset.rows.get(table_name, [])
        expected = reference_hashes(rows, dataset.rows, owner_columns)
        assert loader._content_hashes(rows, dataset.rows, owner_columns) == expected, table_name


def test_hashes_of_the_seeds_and_a_synthetic_corpus_are_as_first_defined():
    assert_hashes_as_defined(read_seeds(SEEDS))
    assert_hashes_as_defined(synthetic_dataset(60, seed=4))


def test_a_known_record_keeps_its_known_hash():
    row = {"id": "doc.p1", "label": None, "binding": False, "position": 3}
    row |= {"summary": 'Café "quoted", a: b', "signed_on": datetime.date(2025, 8, 30)}
    row |= {"authors": ["Zoë", "O'Brien"]}
    topics = [{"provision_id": "doc.p1", "topic": topic} for topic in ("a b", "a", "a-b")]
    addressees = [
        {"provision_id": "doc.p1", "actor_id": "x", "position": 10},
        {"provision_id": "doc.p1", "actor_id": "y", "position": 2},
    ]
    owned = {"provision_topics": topics, "provision_addressees": addressees}
    columns = {"provision_topics": "provision_id", "provision_addressees": "provision_id"}
    (digest,) = loader._content_hashes([row], owned, columns)
    assert digest == "d8a6733f2011152995b1ed1cfa3c26299c091a70d69a76254059fd576229681e"


# Values of every kind a row holds, with strings that sort differently once JSON-encoded.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(alphabet=st.sampled_from('ab "\\,:{}%é\t\u2028'), max_size=6),
    st.lists(st.text(max_size=3), max_size=2),
)
OWNED_ROW = st.fixed_dictionaries({"x": VALUES, "y": VALUES}, optional={"z": VALUES})


@settings(max_examples=200, deadline=None)
@given(
    records=st.lists(st.fixed_dictionaries({"name": VALUES, "when": VALUES}), max_size=4),
    owned=st.lists(st.tuples(st.integers(0, 3), OWNED_ROW), max_size=12),
)
def test_hashes_are_as_first_defined_whatever_the_values(records, owned):
    rows = [{"id": f"r{number}", **record} for number, record in enumerate(records)]
    links = [{"owner": f"r{number}", **row} for number, row in owned]
    owned_rows = {"links": links, "more_links": links[::2]}
    columns = {"links": "owner", "more_links": "owner"}
    expected = reference_hashes(rows, owned_rows, columns)
    assert loader._content_hashes(rows, owned_rows, columns) == expected


def tricky_corpus():
    """A small corpus with the values drivers are fussy about: unicode, JSON, nulls, dates."""
    dataset = synthetic_dataset(12, seed=5)
    source = dataset.rows["sources"][0]
    source |= {"title": 'Café «quoted» "x"\ttab', "authors": ["Zoë Ünal", "O'Brien"]}
    source |= {"published_on": datetime.date(1999, 12, 31), "url": None}
    provisions = dataset.rows["provisions"]
    assert {p["binding"] for p in provisions} == {True, False}
    assert None in {p["label"] for p in provisions} and None in {p["text"] for p in provisions}
    return dataset


def stored_rows(app, table_name: str) -> list[dict]:
    table = Base.metadata.tables[table_name]
    with app.app_context(), database.engine().connect() as connection:
        rows = connection.execute(select(table).order_by(*table.primary_key.columns))
        return [dict(row._mapping) for row in rows]


def load(app, dataset, now: datetime.datetime) -> None:
    with app.app_context():
        load_dataset(database.engine(), dataset, now=now)


def primary_key(table_name: str):
    columns = [column.key for column in Base.metadata.tables[table_name].primary_key.columns]
    return lambda row: tuple(row[column] for column in columns)


def test_every_row_reads_back_equal_to_the_dataset_row(empty_app):
    dataset = tricky_corpus()
    load(empty_app, dataset, FIRST)
    for table_name, rows in dataset.rows.items():
        stored = stored_rows(empty_app, table_name)
        assert stored == sorted(rows, key=primary_key(table_name)), table_name
    source = stored_rows(empty_app, "sources")[0]
    assert isinstance(source["authors"], list) and source["created_at"] == FIRST
    assert type(stored_rows(empty_app, "provisions")[0]["binding"]) is bool


def test_reloading_keeps_timestamps_and_logs_only_real_changes(empty_app):
    dataset = tricky_corpus()
    load(empty_app, dataset, FIRST)
    changes = stored_rows(empty_app, "changes")
    records = [(name, row["id"]) for name in loader.OWNED_ROWS for row in dataset.rows[name]]
    assert [(c["collection"], c["record_id"]) for c in changes] == records  # in log order
    assert {(c["action"], c["changed_at"]) for c in changes} == {("created", FIRST)}

    load(empty_app, tricky_corpus(), SECOND)
    hits = empty_app.test_client().get(f"/v1/search?q={EVERY_PROVISION_WORD}&limit=5")
    assert hits.status_code == 200 and len(hits.get_json()["data"]) == 5  # index rebuilt
    provisions = stored_rows(empty_app, "provisions")
    assert {(p["created_at"], p["updated_at"]) for p in provisions} == {(FIRST, FIRST)}
    assert len(stored_rows(empty_app, "changes")) == len(records)
    (state,) = stored_rows(empty_app, "dataset_state")
    assert (state["changed_at"], state["loaded_at"]) == (FIRST, SECOND)

    edited = tricky_corpus()
    edited.rows["provision_topics"] = edited.rows["provision_topics"][1:]
    load(empty_app, edited, THIRD)
    first_owner = tricky_corpus().rows["provision_topics"][0]["provision_id"]
    moved = {p["id"] for p in stored_rows(empty_app, "provisions") if p["updated_at"] == THIRD}
    assert moved == {first_owner}
    latest = stored_rows(empty_app, "changes")[-1]
    assert (latest["record_id"], latest["action"]) == (first_owner, "updated")


def test_a_failing_bulk_insert_raises_an_integrity_error_and_changes_nothing(empty_app):
    load(empty_app, tricky_corpus(), FIRST)
    before = {name: stored_rows(empty_app, name) for name in ("provisions", "changes")}
    broken = tricky_corpus()
    broken.rows["provision_topics"].append(dict(broken.rows["provision_topics"][0]))
    with pytest.raises(IntegrityError):
        load(empty_app, broken, SECOND)
    assert {name: stored_rows(empty_app, name) for name in before} == before
    with empty_app.app_context():
        session = database.session()
        assert session.scalar(select(func.count()).select_from(Change)) == len(before["changes"])
        assert session.scalar(select(DatasetState.loaded_at)) == FIRST


def test_rows_go_in_in_key_order_unless_a_child_would_come_before_its_parent():
    provisions = Base.metadata.tables["provisions"]
    rows = [{"id": "d.p2", "parent_id": None}, {"id": "d.p1", "parent_id": None}]
    rows.append({"id": "d.p1.s1", "parent_id": "d.p1"})
    assert [row["id"] for row in loader._in_key_order(provisions, rows)] == [
        "d.p1",
        "d.p1.s1",
        "d.p2",
    ]
    jurisdictions = Base.metadata.tables["jurisdictions"]
    rows = [{"id": "z-state", "parent_id": None}, {"id": "a-city", "parent_id": "z-state"}]
    assert loader._in_key_order(jurisdictions, rows) == rows


def test_a_link_to_no_provision_fails_the_load_naming_it_and_changes_nothing(empty_app):
    load(empty_app, tricky_corpus(), FIRST)
    before = {name: stored_rows(empty_app, name) for name in ("provision_topics", "changes")}
    dangling = tricky_corpus()
    dangling.rows["provision_topics"][-1]["provision_id"] = "no-such-provision"
    with pytest.raises(IntegrityError, match="provision_topics refers to 'no-such-provision'"):
        load(empty_app, dangling, SECOND)
    assert {name: stored_rows(empty_app, name) for name in before} == before


def dangling_actor(dataset):
    dataset.rows["provisions"][0]["actor_id"] = "no-such-actor"
    return dataset


def dangling_status_change(dataset):
    dataset.rows["status_change_sources"][0]["position"] = 999
    return dataset


@pytest.mark.parametrize(
    "break_dataset, named",
    [
        (dangling_actor, "provisions refers to 'no-such-actor' of actors"),
        (dangling_status_change, "status_change_sources refers to"),
    ],
)
@pytest.mark.parametrize("triggers_off", [True, False], ids=["checked after", "per row"])
def test_a_reference_to_no_row_fails_the_load_and_changes_nothing(
    empty_app, monkeypatch, break_dataset, named, triggers_off
):
    if triggers_off:
        skip_unless_references_are_checked_after(empty_app)
    else:
        monkeypatch.setattr(loader, "_is_superuser", lambda connection: False)
    load(empty_app, tricky_corpus(), FIRST)
    before = every_row(empty_app)
    with pytest.raises(IntegrityError) as raised:
        load(empty_app, break_dataset(tricky_corpus()), SECOND)
    if triggers_off:
        assert named in str(raised.value)
    assert every_row(empty_app) == before


def test_references_checked_after_store_what_per_row_checks_store(tmp_path, monkeypatch):
    rows = []
    for number, superuser in enumerate((True, False)):
        with isolated_database(tmp_path / str(number)) as settings:
            app = make_app(settings)
            if superuser:
                skip_unless_references_are_checked_after(app)
            else:
                monkeypatch.setattr(loader, "_is_superuser", lambda connection: False)
            load(app, tricky_corpus(), FIRST)
            load(app, synthetic_dataset(12, seed=6), SECOND)  # a reload over rows
            with app.app_context():
                with database.engine().begin() as connection:
                    loader.load_rows(connection, tricky_corpus(), THIRD)
                    role = "SHOW session_replication_role"
                    assert connection.exec_driver_sql(role).scalar() == "origin"
                database.engine().dispose()
            rows.append(every_row(app))
    assert rows[0] == rows[1]


def skip_unless_references_are_checked_after(app) -> None:
    with app.app_context(), database.engine().connect() as connection:
        if connection.dialect.name != "postgresql" or not loader._is_superuser(connection):
            pytest.skip("references are checked after the rows on PostgreSQL, as a superuser")


class Colour(enum.Enum):
    RED = "red"


class Text(str):
    pass


class Number(float):
    pass


# Values orjson writes otherwise than json.dumps(default=str), or not at all.
AWKWARD_VALUES = [
    1e-05,
    1e16,
    123.456,
    -0.0,
    float("nan"),
    float("inf"),
    2**70,
    -(2**64),
    "\x7f",
    "Café",
    "\x00\x1f\u2028",
    "\ud800",
    Colour.RED,
    uuid.UUID(int=7),
    Text("subclass"),
    Number(0.5),
    datetime.date(5, 1, 1),
    datetime.datetime(2025, 9, 1, 12, 0, tzinfo=datetime.UTC),
    datetime.time(12, 30),
    decimal.Decimal("1.10"),
    [datetime.date(2025, 1, 1)],
    [0.1, 1e-07],
    {"nested": {"b": 1, "a": [1, 2]}},
    (1, "tuple"),
]


def plain_json(row) -> str:
    return json.dumps(row, sort_keys=True, default=str, separators=(",", ":"))


@pytest.mark.parametrize("value", AWKWARD_VALUES, ids=repr)
def test_rows_are_written_as_json_dumps_writes_them_whatever_the_value(value):
    rows = [{"id": "plain", "n": 1, "when": datetime.date(2025, 1, 2)}, {"id": "odd", "v": value}]
    assert loader._json_rows(rows) == [plain_json(row) for row in rows]
    assert loader._orjson_rows(rows[:1]) == [plain_json(rows[0])]  # the fast path, taken
    assert loader._json_rows([{1: "a key that is not a string"}]) == [
        '{"1":"a key that is not a string"}'
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=3),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(),
                st.text(),
                st.dates(),
                st.datetimes(),
                st.lists(st.one_of(st.text(), st.integers(), st.floats()), max_size=3),
            ),
            max_size=4,
        ),
        max_size=5,
    )
)
def test_the_orjson_fast_path_writes_json_dumps_text_or_steps_aside(rows):
    assert loader._json_rows(rows) == [plain_json(row) for row in rows]
    fast = loader._orjson_rows(rows)
    assert fast is None or fast == [plain_json(row) for row in rows]


def schema(app) -> tuple[list, dict]:
    """The schema's text, and each table's indexes in the order the planner considers them."""
    with app.app_context(), database.engine().connect() as connection:
        text = connection.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'search_index%' AND name NOT LIKE 'sqlite_stat%' ORDER BY name"
        ).all()
        indexes = {
            table: [row[1] for row in connection.exec_driver_sql(f"PRAGMA index_list({table})")]
            for table in Base.metadata.tables
        }
    return text, indexes


def every_row(app) -> dict:
    return {name: stored_rows(app, name) for name in Base.metadata.tables}


def test_indexes_built_after_the_rows_are_the_same_indexes_over_the_same_rows(
    tmp_path, monkeypatch
):
    rows = []
    for number, threshold in enumerate((10**9, 1)):  # the plain path, then every table
        monkeypatch.setattr(loader, "INDEXES_BUILT_AFTER_ROWS", threshold)
        with isolated_database(tmp_path / str(number), sqlite=True) as settings:
            app = make_app(settings)
            migrated = schema(app)
            load(app, tricky_corpus(), FIRST)
            edited = tricky_corpus()
            edited.rows["provision_topics"] = edited.rows["provision_topics"][1:]
            load(app, edited, SECOND)
            assert schema(app) == migrated
            rows.append(every_row(app))
            with app.app_context():
                database.engine().dispose()
    assert rows[0] == rows[1]


def test_a_duplicate_in_an_index_built_after_the_rows_fails_the_load(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "INDEXES_BUILT_AFTER_ROWS", 1)
    with isolated_database(tmp_path, sqlite=True) as settings:
        app = make_app(settings)
        load(app, tricky_corpus(), FIRST)
        before = schema(app), every_row(app)
        broken = tricky_corpus()
        first, second = broken.rows["provisions"][:2]
        second |= {"document_id": first["document_id"], "position": first["position"]}
        with pytest.raises(IntegrityError):
            load(app, broken, SECOND)
        assert (schema(app), every_row(app)) == before
        with app.app_context():
            database.engine().dispose()


def test_sqlites_statistics_count_every_row_of_every_index(tmp_path):
    """Sampled statistics guess an index's size from its first pages, and with them SQLite
    chose to sort a whole table where an index gave the timeline's page in order."""
    with isolated_database(tmp_path, sqlite=True) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), synthetic_dataset(documents=400, seed=3))
            with database.engine().connect() as connection:
                statistics = connection.exec_driver_sql(
                    "SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL AND idx IN "
                    "(SELECT name FROM sqlite_master WHERE type = 'index' "
                    "AND (sql IS NULL OR sql NOT LIKE '% WHERE %'))"
                ).all()
                counts = {
                    table: connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar()
                    for table in {table for table, _, _ in statistics}
                }
            database.engine().dispose()
    big = [(table, index) for table, index, _ in statistics if counts[table] > 2_000]
    assert len(big) >= 5, "the corpus has tables big enough to be sampled"
    for table, index, stat in statistics:
        assert int(stat.split()[0]) == counts[table], (table, index, stat)
