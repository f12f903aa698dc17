"""The records documents refer to: jurisdictions, actors, sources, statements, relations."""

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from api.models import Actor, Jurisdiction, Relation, Source, Statement, StatementDocument
from api.services.catalog import Catalog, any_of, linked, sort_orders

JURISDICTIONS = Catalog(
    model=Jurisdiction,
    kind="jurisdiction",
    filters={"level": any_of(Jurisdiction.level), "parent": any_of(Jurisdiction.parent_id)},
    orders=sort_orders(Jurisdiction, "id", "name"),
    options=(selectinload(Jurisdiction.source_links),),
)

ACTORS = Catalog(
    model=Actor,
    kind="actor",
    filters={"kind": any_of(Actor.kind), "jurisdiction": any_of(Actor.jurisdiction_id)},
    orders=sort_orders(Actor, "id", "name"),
    options=(selectinload(Actor.source_links),),
)

SOURCES = Catalog(
    model=Source,
    kind="source",
    filters={"kind": any_of(Source.kind)},
    orders=sort_orders(Source, "id", "published_on", "-published_on"),
)

STATEMENTS = Catalog(
    model=Statement,
    kind="statement",
    filters={
        "speaker": any_of(Statement.speaker_id),
        "about": linked(Statement.about_links, StatementDocument.document_id),
        "setting": any_of(Statement.setting),
        "stance": any_of(Statement.stance),
        "said_from": lambda day: Statement.said_on >= day,
        "said_to": lambda day: Statement.said_on <= day,
    },
    orders=sort_orders(Statement, "-said_on", "said_on", "id"),
    options=(selectinload(Statement.source_links), selectinload(Statement.about_links)),
)

RELATIONS = Catalog(
    model=Relation,
    kind="relation",
    filters={
        "type": any_of(Relation.type),
        "subject": any_of(Relation.subject_id),
        "object": any_of(Relation.object_id),
        "document": lambda ids: or_(Relation.subject_id.in_(ids), Relation.object_id.in_(ids)),
    },
    orders=sort_orders(Relation, "date", "-date", "id"),
    options=(selectinload(Relation.source_links),),
)
