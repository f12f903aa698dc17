"""Documents and their provisions."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from api import database
from api.models import (
    Document,
    DocumentTopic,
    Provision,
    ProvisionAddressee,
    ProvisionTopic,
    StatusChange,
)
from api.pagination import Page, SortKey
from api.services.catalog import Catalog, any_of, equals, linked, sort_orders

PROVISION_LINKS = (
    selectinload(Provision.source_links),
    selectinload(Provision.topic_links),
    selectinload(Provision.addressee_links),
)

DOCUMENTS = Catalog(
    model=Document,
    kind="document",
    filters={
        "type": any_of(Document.type),
        "jurisdiction": any_of(Document.jurisdiction_id),
        "issuer": any_of(Document.issuer_id),
        "status": any_of(Document.status),
        "verification": any_of(Document.verification),
        "topic": linked(Document.topic_links, DocumentTopic.topic),
        "signed_from": lambda day: Document.signed_on >= day,
        "signed_to": lambda day: Document.signed_on <= day,
    },
    orders=sort_orders(Document, "-signed_on", "signed_on", "-published_on", "published_on", "id"),
    options=(
        selectinload(Document.source_links),
        selectinload(Document.topic_links),
        selectinload(Document.status_history).selectinload(StatusChange.source_links),
    ),
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
)


def list_documents(arguments: dict) -> Page:
    return DOCUMENTS.list(arguments)


def get_document(document_id: str, include: list[str]) -> Document:
    """A document; with `provisions` included, its provisions as a tree (`provision_tree`)."""
    document = DOCUMENTS.get(document_id)
    if "provisions" in include:
        document.provision_tree = provision_tree(document_id)
    return document


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
