"""The records a linked-data node names beside its own: issuers, jurisdictions, statuses."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from api.storage import database
from api.storage.models import Actor, Document, Jurisdiction


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class DocumentNames:
    """What documents' nodes name: each issuer, and each jurisdiction's name, by id."""

    issuers: dict[str, Issuer]
    jurisdictions: dict[str, str]


def document_names(documents: Iterable) -> DocumentNames:
    documents = list(documents)
    return DocumentNames(
        issuers=issuers({document.issuer_id for document in documents}),
        jurisdictions=jurisdiction_names({document.jurisdiction_id for document in documents}),
    )


def issuers(ids: set[str]) -> dict[str, Issuer]:
    if not ids:
        return {}
    rows = database.session().execute(
        select(Actor.id, Actor.name, Actor.kind).where(Actor.id.in_(ids))
    )
    return {row.id: Issuer(row.id, row.name, row.kind) for row in rows}


def jurisdiction_names(ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = database.session().execute(
        select(Jurisdiction.id, Jurisdiction.name).where(Jurisdiction.id.in_(ids))
    )
    return dict(rows.all())


def document_statuses(provisions: Iterable) -> dict[str, str]:
    """The status of each provision's document, by document id."""
    ids = {provision.document_id for provision in provisions}
    if not ids:
        return {}
    rows = database.session().execute(
        select(Document.id, Document.status).where(Document.id.in_(ids))
    )
    return dict(rows.all())
