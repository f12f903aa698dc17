"""`Catalog.get` and a document's provision tree read records' linked lists in their own
rows, and give what the plain read (the rows, then one statement for every list) gives:
every record of every kind, on the seeds and on a corpus of awkward text, on whichever
database the suite runs on."""

import pytest
from sqlalchemy import event, select

from api.queries.catalogs import CATALOGS
from api.queries.documents import provision_tree
from api.storage import database


@pytest.fixture(params=["seeds", "awkward"])
def app(request, seeded_app, awkward_app):
    return {"seeds": seeded_app, "awkward": awkward_app}[request.param]


@pytest.mark.parametrize("collection", list(CATALOGS))
def test_a_record_with_its_lists_is_the_plain_reads(app, collection):
    catalog = CATALOGS[collection]
    table = catalog.model.__table__
    with app.test_request_context():
        ids = catalog_ids(catalog)
        plain = catalog.read(database.session().execute(select(table).order_by(table.c.id)).all())
        assert [catalog.get(record_id) for record_id in ids] == plain
    assert ids


def test_lists_come_in_order_and_empty_lists_are_empty(awkward_app):
    """The awkward corpus has lists in an order of their own and records with none."""
    catalog = CATALOGS["provisions"]
    with awkward_app.test_request_context():
        records = [catalog.get(record_id) for record_id in catalog_ids(catalog)]
    assert any(len(record.addressees) > 1 for record in records)
    assert any(record.addressees != sorted(record.addressees) for record in records)
    assert any(record.subprovisions == [] for record in records)


def test_a_provision_is_read_in_one_statement(seeded_app):
    catalog = CATALOGS["provisions"]
    statements = []
    with seeded_app.test_request_context():
        record_id = catalog_ids(catalog)[0]
        listen = event.listens_for(database.engine(), "before_cursor_execute")
        listener = listen(lambda *arguments: statements.append(arguments[2]))
        try:
            catalog.get(record_id)
        finally:
            event.remove(database.engine(), "before_cursor_execute", listener)
    assert len(statements) == 1


def catalog_ids(catalog) -> list[str]:
    table = catalog.model.__table__
    return list(database.session().scalars(select(table.c.id).order_by(table.c.id)))


def test_a_documents_tree_with_its_lists_is_the_plain_reads(app):
    """`provision_tree` reads each provision's lists in its row: they, and the sub-provisions
    the tree gives, are what the plain read of the same provisions gives."""
    provisions = CATALOGS["provisions"]
    table = provisions.model.__table__
    with app.test_request_context():
        for document_id in catalog_ids(CATALOGS["documents"]):
            tree = list(flattened(provision_tree(document_id)))
            statement = select(table).where(table.c.document_id == document_id)
            rows = database.session().execute(statement.order_by(table.c.position)).all()
            plain = provisions.read(rows)
            assert [without_nodes(provision) for provision in tree] == plain


def flattened(nodes):
    for node in nodes:
        yield node
        yield from flattened(node.nodes)


def without_nodes(provision) -> dict:
    return {name: value for name, value in provision.items() if name != "nodes"}


@pytest.mark.parametrize("collection", list(CATALOGS))
def test_a_page_of_records_is_the_plain_reads(app, collection):
    """A page read as records has its linked lists and owned rows (a document's status
    history, with dates and sources) in its rows: what the plain read gives."""
    catalog = CATALOGS[collection]
    table = catalog.model.__table__
    with app.test_request_context():
        page = catalog.list({"limit": 100, "cursor": None})
        ids = [record.id for record in page.items]
        rows = database.session().execute(select(table).where(table.c.id.in_(ids))).all()
        plain = {record.id: record for record in catalog.read(rows)}
        assert list(page.items) == [plain[record_id] for record_id in ids]
    assert ids
