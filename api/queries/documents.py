"""Documents and their provisions."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from operator import itemgetter

from marshmallow import Schema
from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.errors import NotFound
from api.queries import id_lists, json_lines
from api.queries.catalog import (
    Catalog,
    Facet,
    LinkOrder,
    any_of,
    at_least,
    at_most,
    column_facet,
    equals,
    link_facet,
    linked,
    sort_orders,
)
from api.queries.pagination import Page, SortKey
from api.queries.prepared import Prepared
from api.queries.records import (
    Attachments,
    Linked,
    OwnedList,
    OwnedRows,
    Record,
    records_with_lists,
)
from api.storage import database
from api.storage.models import (
    DatasetState,
    Document,
    DocumentSource,
    DocumentTopic,
    Provision,
    ProvisionAddressee,
    ProvisionSource,
    ProvisionTopic,
    StatusChange,
    StatusChangeSource,
)
from schemas.records import DocumentDetailSchema, ProvisionNodeSchema

PROVISION_LINKS = {
    "addressees": Linked(
        ProvisionAddressee.provision_id, ProvisionAddressee.actor_id, ProvisionAddressee.position
    ),
    "topics": Linked(ProvisionTopic.provision_id, ProvisionTopic.topic),
    "sources": Linked(ProvisionSource.provision_id, ProvisionSource.source_id),
}
# In a document's tree, sub-provisions come from the tree itself.
TREE_LINKS = Attachments(**PROVISION_LINKS)


class StatusHistory(OwnedRows):
    """Each document's status changes in order, each naming its sources."""

    # Each change once per source (once, with a null, when it has none), in order.
    ROWS = Prepared(
        lambda dialect: (
            select(StatusChange.__table__, StatusChangeSource.source_id)
            .outerjoin(
                StatusChangeSource,
                (StatusChangeSource.document_id == StatusChange.document_id)
                & (StatusChangeSource.position == StatusChange.position),
            )
            .where(id_lists.among(StatusChange.document_id, "ids", dialect))
            .order_by(StatusChange.document_id, StatusChange.position, StatusChangeSource.source_id)
        ),
        lists=("ids",),
    )
    COLUMNS = tuple(column.key for column in StatusChange.__table__.columns)
    PLACE = itemgetter("document_id", "position")  # a change's key

    def read(self, session: Session, ids: Sequence[str]) -> dict[str, list[Record]]:
        history: dict[str, list[Record]] = defaultdict(list)
        change = None
        for *values, source_id in self.ROWS.rows(session.connection(), ids=list(ids)):
            row = Record(zip(self.COLUMNS, values, strict=True), sources=[])
            if change is None or self.PLACE(change) != self.PLACE(row):
                change = row
                history[change.document_id].append(change)
            if source_id is not None:
                change.sources.append(source_id)
        return history


STATUS_HISTORY = StatusHistory(
    table=StatusChange.__table__,
    owner="document_id",
    order=("position",),
    lists={
        "sources": OwnedList(
            StatusChangeSource.source_id,
            keys=(
                (StatusChangeSource.document_id, "document_id"),
                (StatusChangeSource.position, "position"),
            ),
            order=(StatusChangeSource.source_id,),
        )
    },
)


def status_on(day: datetime.date) -> ColumnElement:
    """A document's status on `day`: its last status change dated on or before that day."""
    return (
        select(StatusChange.status)
        .where(StatusChange.document_id == Document.id, StatusChange.date <= day)
        .order_by(StatusChange.date.desc(), StatusChange.position.desc())
        .limit(1)
        .scalar_subquery()
    )


def status_column(arguments: dict) -> ColumnElement:
    """The status that filters and facets see: as of `as_of` when given, else the current one."""
    return status_on(arguments["as_of"]) if arguments.get("as_of") else Document.status


DOCUMENTS = Catalog(
    model=Document,
    kind="document",
    filters={
        "type": any_of(Document.type),
        "jurisdiction": any_of(Document.jurisdiction_id),
        "issuer": any_of(Document.issuer_id),
        "number": any_of(Document.number),
        "citation": any_of(Document.citation),
        "document_number": any_of(Document.document_number),
        "status": lambda values, arguments: status_column(arguments).in_(values),
        "as_of": lambda day, _arguments: status_on(day).is_not(None),
        "verification": any_of(Document.verification),
        "topic": linked(Document.topic_links, DocumentTopic.topic),
        "signed_from": at_least(Document.signed_on),
        "signed_to": at_most(Document.signed_on),
    },
    orders=sort_orders(Document, "-signed_on", "signed_on", "-published_on", "published_on", "id"),
    attached=Attachments(
        status_history=STATUS_HISTORY,
        topics=Linked(DocumentTopic.document_id, DocumentTopic.topic),
        sources=Linked(DocumentSource.document_id, DocumentSource.source_id),
    ),
    facets={
        "type": column_facet(Document.type),
        "jurisdiction": column_facet(Document.jurisdiction_id),
        "status": Facet(status_column),
        "issuer": column_facet(Document.issuer_id),
        "verification": column_facet(Document.verification),
        "topic": link_facet(DocumentTopic.document_id, DocumentTopic.topic),
    },
)


def in_document_order(link: type, value: InstrumentedAttribute, **copies) -> LinkOrder:
    """A provision link table's copies of the `document` order's keys (PROVISION_PLACE), and
    of the columns other filters read (filter=link column)."""
    return LinkOrder(
        "document",
        value,
        (link.document_id, link.provision_position, link.provision_id),
        tuple(copies.items()),
    )


PROVISIONS = Catalog(
    model=Provision,
    kind="provision",
    filters={
        "document": any_of(Provision.document_id),
        "parent": any_of(Provision.parent_id),
        "modality": any_of(Provision.modality),
        "actor": any_of(Provision.actor_id),
        "binding": equals(Provision.binding),
        "verification": any_of(Provision.verification),
        "addressee": linked(Provision.addressee_links, ProvisionAddressee.actor_id),
        "topic": linked(Provision.topic_links, ProvisionTopic.topic),
    },
    orders={
        "document": (
            SortKey(Provision.document_id),
            SortKey(Provision.position),
            SortKey(Provision.id),
        ),
        "id": (SortKey(Provision.id),),
    },
    attached=Attachments(
        **PROVISION_LINKS,
        subprovisions=Linked(Provision.parent_id, Provision.id, Provision.position),
    ),
    link_orders={
        "addressee": in_document_order(
            ProvisionAddressee,
            ProvisionAddressee.actor_id,
            modality=ProvisionAddressee.provision_modality,
        ),
        "topic": in_document_order(ProvisionTopic, ProvisionTopic.topic),
    },
    facets={
        "document": column_facet(Provision.document_id),
        "modality": column_facet(Provision.modality),
        "binding": column_facet(Provision.binding),
        "actor": column_facet(Provision.actor_id),
        "addressee": link_facet(ProvisionAddressee.provision_id, ProvisionAddressee.actor_id),
        "topic": link_facet(ProvisionTopic.provision_id, ProvisionTopic.topic),
        "verification": column_facet(Provision.verification),
    },
)


def list_documents(arguments: dict) -> Page:
    page = DOCUMENTS.list(arguments)
    if arguments.get("as_of"):
        for document in page.items:
            _attach_status_on(document, arguments["as_of"])
    return page


def get_document(
    document_id: str, include: list[str], as_of: datetime.date | None = None
) -> Record:
    """A document; with `provisions` included, its provisions as a tree (`provision_tree`);
    with `as_of`, its status on that day (`status_as_of`)."""
    document = DOCUMENTS.get(document_id)
    if "provisions" in include:
        document.provision_tree = provision_tree(document_id)
    if as_of:
        _attach_status_on(document, as_of)
    return document


def _attach_status_on(document: Record, day: datetime.date) -> None:
    """The same rule as `status_on`, read from the history already loaded with the document."""
    dated = [change for change in document.status_history if change.date and change.date <= day]
    latest = max(dated, key=lambda change: (change.date, change.position), default=None)
    document.status_as_of = {"date": day, "status": latest.status if latest else None}


def _tree_statement(dialect_name: str) -> Select:
    """A document's provisions in order, each with its linked lists in its row where the
    database can write them (one round trip instead of two)."""
    provision = Provision.__table__.alias("provision")
    lists = json_lines.linked_lists(TREE_LINKS, provision, dialect_name)
    return (
        select(provision, *lists)
        .where(provision.c.document_id == bindparam("document_id"))
        .order_by(provision.c.position)
    )


TREE = Prepared(_tree_statement)  # built once (see StatusHistory)


def provision_tree(document_id: str) -> list[Record]:
    """All provisions of a document, each given its sub-provisions as `nodes` (and their ids
    as `subprovisions`)."""
    rows = TREE.rows(database.connection(), document_id=document_id)
    provisions = records_with_lists(database.session(), rows, PROVISIONS.columns, TREE_LINKS)
    by_id = {provision.id: provision for provision in provisions}
    roots = []
    for provision in provisions:
        provision.nodes, provision.subprovisions = [], []
    for provision in provisions:
        if provision.parent_id is None:
            roots.append(provision)
        else:
            by_id[provision.parent_id].nodes.append(provision)
            by_id[provision.parent_id].subprovisions.append(provision.id)
    return roots


class _NodeFields(ProvisionNodeSchema):
    """A tree node's own fields: `document_json` nests its sub-provisions."""

    class Meta:
        exclude = ("subprovisions", "provisions")


def document_json(document_id: str, include: list[str]) -> str | None:
    """The JSON text of `DocumentDetailSchema` dumping `get_document(document_id, include)`,
    written by the database in one statement, where the plain path runs five and dumps a tree.

    None where the database cannot write it: the caller then dumps the document in Python;
    tests/test_document_json.py checks both give the same bytes.
    """
    connection = database.connection()
    try:
        document, with_provisions = _detail_statements(connection.dialect)
    except json_lines.Unrenderable:
        return None
    if "provisions" in include:
        line, provisions = with_provisions(connection, document_id)
    else:
        found = document(connection, document_id)
        line, provisions = (found[0][0] if found else None), None
    if line is None:
        raise NotFound(DOCUMENTS.kind, document_id)
    if provisions is None:
        return line
    return f'{line[:-1]},"provisions":{_tree(provisions)}}}'


def _detail_statements(dialect: Dialect) -> tuple[json_lines.Selection, json_lines.Owned]:
    """A document's line by its id; and with it its provisions' (id, parent id, line)."""
    if not _nested_last(DocumentDetailSchema) or not _nested_last(ProvisionNodeSchema):
        raise json_lines.Unrenderable("the tree is not the last field of its object")
    document = json_lines.selection(DOCUMENTS, DocumentDetailSchema, dialect, "id")
    with_provisions = json_lines.with_owned(
        DOCUMENTS,
        DocumentDetailSchema,
        PROVISIONS,
        _NodeFields,
        dialect,
        owner="document_id",
        order=("position",),
        also=("id", "parent_id"),
    )
    return document, with_provisions


@cache
def _nested_last(schema_class: type[Schema]) -> bool:
    """Whether the schema writes its `provisions` (where the tree goes) after every other field."""
    return list(schema_class().dump_fields)[-1] == "provisions"


def _tree(rows: list[tuple[str, str | None, str]]) -> str:
    """The provisions (id, parent id, JSON object) as a JSON list of the top-level ones, each
    object given its sub-provisions, in order, as `provisions`: as `provision_tree` nests them."""
    lines, children = {}, defaultdict(list)
    for provision_id, parent_id, line in rows:
        lines[provision_id] = line
        children[parent_id].append(provision_id)

    def node(provision_id: str) -> str:
        nested = ",".join(map(node, children[provision_id]))
        return f'{lines[provision_id][:-1]},"provisions":[{nested}]}}'

    return "[" + ",".join(map(node, children[None])) + "]"


def list_document_provisions(
    document_id: str, arguments: dict, as_json: type[Schema] | None = None
) -> Page:
    DOCUMENTS.require(document_id)
    return PROVISIONS.list(arguments, Provision.document_id == document_id, as_json=as_json)


def list_provisions(arguments: dict, as_json: type[Schema] | None = None) -> Page:
    return PROVISIONS.list(arguments, as_json=as_json)


def get_provision(provision_id: str) -> Record:
    return PROVISIONS.get(provision_id)


FEED_SIZE = 50


def recently_changed() -> tuple[list[Document], datetime.datetime]:
    """The documents most recently created or changed, newest first, and when data last
    changed."""
    statement = select(Document).order_by(Document.updated_at.desc(), Document.id).limit(FEED_SIZE)
    latest = list(database.session().scalars(statement))
    state = database.session().scalar(select(DatasetState))
    changed = state.changed_at if state else datetime.datetime.now(datetime.UTC)
    return latest, changed
