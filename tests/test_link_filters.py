"""`topic=` and `addressee=` read from their link tables in page order
(api.storage.models.PROVISION_PLACE).

Pages read that way must be the pages the plain filter gives, cursor after cursor, alone or
with other filters; the copied place must follow its provision from load to load, and never
count as content.
"""

import copy
import datetime
from collections import Counter

import pytest
from sqlalchemy import select

from api.queries.catalog import Catalog
from api.seeding import load_dataset
from api.seeding.loader import OWNED_ROWS
from api.storage import database
from api.storage.models import Change, ProvisionAddressee, ProvisionTopic
from synthetic import synthetic_dataset
from tests.conftest import isolated_database, make_app, planned, postgresql_url

FIRST = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
SECOND = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
THIRD = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def corpus():
    return synthetic_dataset(documents=80, seed=11)


@pytest.fixture(scope="module")
def app(tmp_path_factory, corpus):
    with isolated_database(tmp_path_factory.mktemp("link-filters")) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), copy.deepcopy(corpus), FIRST)
        yield app
        with app.app_context():
            database.engine().dispose()


def walk(client, url: str, limit: int = 7) -> list[str]:
    """Every id of the list, page after page."""
    ids: list[str] = []
    while url:
        response = client.get(url if "limit=" in url else f"{url}&limit={limit}")
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        ids += [item["id"] for item in body["data"]]
        url = body["links"].get("next")
    return ids


def expected(corpus, *, topics=(), addressees=(), document=None, modality=None) -> list[str]:
    """The filtered provisions in the `document` order, from the dataset itself."""
    linked: dict[str, set] = {"topic": set(), "addressee": set()}
    for row in corpus.rows["provision_topics"]:
        if row["topic"] in topics:
            linked["topic"].add(row["provision_id"])
    for row in corpus.rows["provision_addressees"]:
        if row["actor_id"] in addressees:
            linked["addressee"].add(row["provision_id"])
    matching = [
        row
        for row in corpus.rows["provisions"]
        if (not topics or row["id"] in linked["topic"])
        and (not addressees or row["id"] in linked["addressee"])
        and (document is None or row["document_id"] == document)
        and (modality is None or row["modality"] == modality)
    ]
    matching.sort(key=lambda row: (row["document_id"], row["position"], row["id"]))
    return [row["id"] for row in matching]


def ranked(corpus, table: str, column: str) -> list[str]:
    """The column's values, most linked first."""
    counts = Counter(row[column] for row in corpus.rows[table])
    return [value for value, _ in counts.most_common()]


def test_a_filter_read_from_its_link_table_gives_every_page_of_the_plain_filter(app, corpus):
    client = app.test_client()
    addressees = ranked(corpus, "provision_addressees", "actor_id")
    topics = ranked(corpus, "provision_topics", "topic")
    for addressee in (addressees[0], addressees[-1]):  # common and rare
        assert walk(client, f"/v1/provisions?addressee={addressee}") == expected(
            corpus, addressees={addressee}
        )
    for topic in (topics[0], topics[-1]):
        assert walk(client, f"/v1/provisions?topic={topic}") == expected(corpus, topics={topic})


def test_it_combines_with_other_filters_and_with_the_plain_filter_of_several_values(app, corpus):
    client = app.test_client()
    addressee, second = ranked(corpus, "provision_addressees", "actor_id")[:2]
    topic = ranked(corpus, "provision_topics", "topic")[0]
    document = corpus.rows["provisions"][0]["document_id"]
    cases = {
        f"/v1/provisions?addressee={addressee}&modality=directs": expected(
            corpus, addressees={addressee}, modality="directs"
        ),
        f"/v1/provisions?addressee={addressee}&topic={topic}": expected(
            corpus, addressees={addressee}, topics={topic}
        ),
        f"/v1/provisions?addressee={addressee}&addressee={second}": expected(
            corpus, addressees={addressee, second}
        ),
        f"/v1/documents/{document}/provisions?topic={topic}": expected(
            corpus, topics={topic}, document=document
        ),
    }
    for url, ids in cases.items():
        assert walk(client, url) == ids, url
    by_id = walk(client, f"/v1/provisions?addressee={addressee}&sort=id")
    assert by_id == sorted(expected(corpus, addressees={addressee}))


def test_a_cursor_of_the_plain_filter_goes_on_where_it_left_off(app, corpus, monkeypatch):
    """Cursors issued before the link tables held the place (or by the plain filter) go on."""
    client = app.test_client()
    addressee = ranked(corpus, "provision_addressees", "actor_id")[0]
    with monkeypatch.context() as plain:
        plain.setattr(Catalog, "_driving_link", lambda *_arguments: None)
        first_page = client.get(f"/v1/provisions?addressee={addressee}&limit=3").get_json()
    rest = walk(client, first_page["links"]["next"])
    ids = [item["id"] for item in first_page["data"]] + rest
    assert ids == expected(corpus, addressees={addressee})


@pytest.mark.skipif(postgresql_url() is not None, reason="SQLite's plans are the ones pinned")
def test_the_page_is_read_in_order_from_the_link_index(app, corpus):
    addressee = ranked(corpus, "provision_addressees", "actor_id")[-1]
    plans = planned(app, f"/v1/provisions?addressee={addressee}&modality=directs")
    plan = next(plan for plan in plans if "provision_addressees" in plan)
    # The page's rows are read first (then each one's JSON, and those few rows put in order),
    # from the links of the addressee and modality (the provisions' modality copied there).
    page_plan = plan.split(" / SCAN page")[0]
    index = "ix_provision_addressees_actor_id_modality_place (actor_id=? AND provision_modality=?)"
    assert index in page_plan
    assert "TEMP B-TREE" not in page_plan  # no sort: read in order, stopped after a page
    alone = planned(app, f"/v1/provisions?addressee={addressee}")
    alone_plan = next(plan for plan in alone if "provision_addressees" in plan)
    assert "ix_provision_addressees_actor_id_place (actor_id=?)" in alone_plan


def test_an_addressee_and_a_modality_give_every_page_of_the_plain_filters(app, corpus):
    """Read from the addressees' copy of the modality, the pages are those of the filters."""
    client = app.test_client()
    for addressee in ranked(corpus, "provision_addressees", "actor_id")[:8]:
        for modality in ("directs", "urges", "prohibits"):
            url = f"/v1/provisions?addressee={addressee}&modality={modality}"
            assert walk(client, url, limit=3) == expected(
                corpus, addressees=[addressee], modality=modality
            ), url


def stored_places(app, link) -> dict[tuple, tuple]:
    with app.app_context(), database.engine().connect() as connection:
        rows = connection.execute(select(link.__table__)).mappings()
        return {
            (row["provision_id"], row.get("topic") or row["actor_id"]): (
                row["document_id"],
                row["provision_position"],
            )
            for row in rows
        }


def places(corpus, table: str, column: str) -> dict[tuple, tuple]:
    provisions = {row["id"]: row for row in corpus.rows["provisions"]}
    return {
        (row["provision_id"], row[column]): (
            provisions[row["provision_id"]]["document_id"],
            provisions[row["provision_id"]]["position"],
        )
        for row in corpus.rows[table]
    }


def test_the_copied_place_follows_its_provision_and_is_not_content(tmp_path):
    dataset = synthetic_dataset(documents=6, seed=2)
    with isolated_database(tmp_path) as settings:
        app = make_app(settings)
        with app.app_context():
            load_dataset(database.engine(), dataset, FIRST)
            # The same rows again (now holding their copies), then a fresh copy without them.
            load_dataset(database.engine(), dataset, SECOND)
            load_dataset(database.engine(), synthetic_dataset(documents=6, seed=2), SECOND)
        with app.app_context(), database.engine().connect() as connection:
            assert connection.execute(select(Change.action)).scalars().all() == (
                ["created"] * sum(len(dataset.rows[name]) for name in OWNED_ROWS)
            )
        assert stored_places(app, ProvisionTopic) == places(dataset, "provision_topics", "topic")

        moved = synthetic_dataset(documents=6, seed=2)
        provision = next(row for row in moved.rows["provisions"] if row["parent_id"] is None)
        provision["position"] += 1000
        with app.app_context():
            load_dataset(database.engine(), moved, THIRD)
        assert stored_places(app, ProvisionTopic) == places(moved, "provision_topics", "topic")
        assert stored_places(app, ProvisionAddressee) == places(
            moved, "provision_addressees", "actor_id"
        )

        with app.app_context(), database.engine().connect() as connection:
            updated = connection.execute(
                select(Change.record_id).where(Change.action == "updated")
            ).scalars()
            assert list(updated) == [provision["id"]]

        retyped = synthetic_dataset(documents=6, seed=2)
        addressed = {row["provision_id"] for row in retyped.rows["provision_addressees"]}
        provision = next(row for row in retyped.rows["provisions"] if row["id"] in addressed)
        provision["modality"] = "urges" if provision["modality"] != "urges" else "directs"
        with app.app_context():
            load_dataset(database.engine(), retyped, THIRD)
        with app.app_context(), database.engine().connect() as connection:
            copied = connection.execute(
                select(ProvisionAddressee.provision_modality).where(
                    ProvisionAddressee.provision_id == provision["id"]
                )
            ).scalars()
            assert set(copied) == {provision["modality"]}


@pytest.mark.skipif(postgresql_url() is not None, reason="SQLite's plans are the ones pinned")
def test_a_documents_statements_are_found_from_the_link_index(app, corpus):
    """`about=` reads the document's few links from their index, once (SQLite then reads the
    statements by id or, when its statistics say they are few, in page order), instead of
    probing the links of every statement in page order."""
    document = corpus.rows["statement_documents"][0]["document_id"]
    plans = planned(app, f"/v1/statements?about={document}")
    plan = next(plan for plan in plans if "statement_documents" in plan)
    page_plan = plan.split(" / SCAN page")[0]  # the page's rows, before each one's JSON
    assert "SEARCH statement_documents USING INDEX ix_statement_documents_document_id" in page_plan
    assert "CORRELATED" not in page_plan


@pytest.mark.skipif(postgresql_url() is not None, reason="SQLite's plans are the ones pinned")
def test_facets_under_a_link_filter_count_from_the_link_index(app, corpus):
    """A count reads every match: from the addressee's links, not by asking each provision
    of the collection whether it has one (108 ms for an actor's page at 100,000)."""
    addressee = ranked(corpus, "provision_addressees", "actor_id")[0]
    url = f"/v1/provisions?addressee={addressee}&facets=modality&limit=1"
    (plan,) = planned(app, url, containing="count(*)")
    assert "SEARCH provision_addressees USING COVERING INDEX" in plan
    assert "CORRELATED" not in plan and "SCAN provisions" not in plan


@pytest.mark.skipif(postgresql_url() is not None, reason="SQLite's plans are the ones pinned")
def test_a_provisions_page_reads_its_siblings_from_the_documents_index(app, corpus):
    """SQLite takes each null parent for a value of its own, so `parent_id IS NULL` looked
    selective and the siblings of a top-level provision were sought among every document's.
    Its children, read by the same statement, come from the parent's index."""
    root = next(row for row in corpus.rows["provisions"] if row["parent_id"] is None)
    (plan,) = planned(app, f"/provisions/{root['id']}", containing="coalesce")
    assert plan == (
        "MULTI-INDEX OR / INDEX 1 / "
        "SEARCH provisions USING INDEX ix_provisions_document_position (document_id=?) / "
        "INDEX 2 / SEARCH provisions USING INDEX ix_provisions_parent_order (parent_id=?) / "
        "USE TEMP B-TREE FOR ORDER BY"
    )
