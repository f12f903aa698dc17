"""The records documents refer to: jurisdictions, actors, sources, statements, relations."""

from sqlalchemy import or_

from api.queries.catalog import (
    Catalog,
    ValueFilter,
    any_of,
    at_least,
    at_most,
    column_facet,
    link_facet,
    linked_to_few,
    sort_orders,
)
from api.queries.records import Attachments, Linked
from api.storage.models import (
    Actor,
    ActorSource,
    Jurisdiction,
    JurisdictionSource,
    Relation,
    RelationSource,
    Source,
    Statement,
    StatementDocument,
    StatementSource,
)

JURISDICTIONS = Catalog(
    model=Jurisdiction,
    kind="jurisdiction",
    filters={"level": any_of(Jurisdiction.level), "parent": any_of(Jurisdiction.parent_id)},
    orders=sort_orders(Jurisdiction, "id", "name"),
    attached=Attachments(
        sources=Linked(JurisdictionSource.jurisdiction_id, JurisdictionSource.source_id)
    ),
    facets={
        "level": column_facet(Jurisdiction.level),
        "parent": column_facet(Jurisdiction.parent_id),
    },
)

ACTORS = Catalog(
    model=Actor,
    kind="actor",
    filters={"kind": any_of(Actor.kind), "jurisdiction": any_of(Actor.jurisdiction_id)},
    orders=sort_orders(Actor, "id", "name"),
    attached=Attachments(sources=Linked(ActorSource.actor_id, ActorSource.source_id)),
    facets={
        "kind": column_facet(Actor.kind),
        "jurisdiction": column_facet(Actor.jurisdiction_id),
    },
)

SOURCES = Catalog(
    model=Source,
    kind="source",
    filters={"kind": any_of(Source.kind)},
    orders=sort_orders(Source, "id", "published_on", "-published_on"),
    facets={"kind": column_facet(Source.kind), "publisher": column_facet(Source.publisher)},
)

STATEMENTS = Catalog(
    model=Statement,
    kind="statement",
    filters={
        "speaker": any_of(Statement.speaker_id),
        "about": linked_to_few(
            Statement.id, StatementDocument.statement_id, StatementDocument.document_id
        ),
        "setting": any_of(Statement.setting),
        "stance": any_of(Statement.stance),
        "said_from": at_least(Statement.said_on),
        "said_to": at_most(Statement.said_on),
    },
    orders=sort_orders(Statement, "-said_on", "said_on", "id"),
    attached=Attachments(
        about=Linked(StatementDocument.statement_id, StatementDocument.document_id),
        sources=Linked(StatementSource.statement_id, StatementSource.source_id),
    ),
    facets={
        "speaker": column_facet(Statement.speaker_id),
        "about": link_facet(StatementDocument.statement_id, StatementDocument.document_id),
        "setting": column_facet(Statement.setting),
        "stance": column_facet(Statement.stance),
    },
)

RELATIONS = Catalog(
    model=Relation,
    kind="relation",
    filters={
        "type": any_of(Relation.type),
        "subject": any_of(Relation.subject_id),
        "object": any_of(Relation.object_id),
        "document": ValueFilter(
            lambda ids: or_(Relation.subject_id.in_(ids), Relation.object_id.in_(ids))
        ),
    },
    orders=sort_orders(Relation, "date", "-date", "id"),
    attached=Attachments(sources=Linked(RelationSource.relation_id, RelationSource.source_id)),
    facets={
        "type": column_facet(Relation.type),
        "subject": column_facet(Relation.subject_id),
        "object": column_facet(Relation.object_id),
    },
)
