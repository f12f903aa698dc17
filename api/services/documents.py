"""Documents and their provisions."""

import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import selectinload

from api import database
from api.models import (
    DatasetState,
    Document,
    DocumentTopic,
    Provision,
    ProvisionAddressee,
    ProvisionTopic,
    StatusChange,
)
from api.pagination import Page, SortKey
from api.services.catalog import (
    Catalog,
    Facet,
    any_of,
    at_least,
    at_most,
    column_facet,
    equals,
    link_facet,
    linked,
    sort_orders,
)

PROVISION_LINKS = (
    selectinload(Provision.source_links),
    selectinload(Provision.topic_links),
    selectinload(Provision.addressee_links),
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
        "status": lambda values, arguments: status_column(arguments).in_(values),
        "as_of": lambda day, _arguments: status_on(day).is_not(None),
        "verification": any_of(Document.verification),
        "topic": linked(Document.topic_links, DocumentTopic.topic),
        "signed_from": at_least(Document.signed_on),
        "signed_to": at_most(Document.signed_on),
    },
    orders=sort_orders(Document, "-signed_on", "signed_on", "-published_on", "published_on", "id"),
    options=(
        selectinload(Document.source_links),
        selectinload(Document.topic_links),
        selectinload(Document.status_history).selectinload(StatusChange.source_links),
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
    options=(*PROVISION_LINKS, selectinload(Provision.children).load_only(Provision.id)),
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
) -> Document:
    """A document; with `provisions` included, its provisions as a tree (`provision_tree`);
    with `as_of`, its status on that day (`status_as_of`)."""
    document = DOCUMENTS.get(document_id)
    if "provisions" in include:
        document.provision_tree = provision_tree(document_id)
    if as_of:
        _attach_status_on(document, as_of)
    return document


def _attach_status_on(document: Document, day: datetime.date) -> None:
    """The same rule as `status_on`, read from the history already loaded with the document."""
    dated = [change for change in document.status_history if change.date and change.date <= day]
    latest = max(dated, key=lambda change: (change.date, change.position), default=None)
    document.status_as_of = {"date": day, "status": latest.status if latest else None}


def provision_tree(document_id: str) -> list[Provision]:
    """All provisions of a document in one query, each given its sub-provisions as `nodes`."""
    statement = (
        select(Provision)
        .where(Provision.document_id == document_id)
        .options(*PROVISION_LINKS)
        .order_by(Provision.position)
    )
    provisions = list(database.session().scalars(statement))
    by_id = {provision.id: provision for provision in provisions}
    roots = []
    for provision in provisions:
        provision.nodes = []
        if provision.parent_id is None:
            roots.append(provision)
        else:
            by_id[provision.parent_id].nodes.append(provision)
    return roots


def list_document_provisions(document_id: str, arguments: dict) -> Page:
    DOCUMENTS.require(document_id)
    return PROVISIONS.list(arguments, Provision.document_id == document_id)


def list_provisions(arguments: dict) -> Page:
    return PROVISIONS.list(arguments)


def get_provision(provision_id: str) -> Provision:
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
