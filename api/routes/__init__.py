"""The /v1 blueprints, one per resource."""

from flask_smorest import Api

from api.queries.directory import ACTORS, JURISDICTIONS, RELATIONS, SOURCES, STATEMENTS
from api.routes import (
    changes,
    documents,
    exports,
    feeds,
    health,
    provisions,
    reference,
    search,
    timeline,
)
from api.routes.collections import collection_blueprint
from schemas import queries, records, responses


def register(api: Api) -> None:
    api.register_blueprint(health.blueprint)
    api.register_blueprint(reference.blueprint)
    api.register_blueprint(documents.blueprint)
    api.register_blueprint(provisions.blueprint)
    api.register_blueprint(search.blueprint)
    api.register_blueprint(timeline.blueprint)
    api.register_blueprint(changes.blueprint)
    api.register_blueprint(exports.blueprint)
    api.register_blueprint(feeds.blueprint)
    for blueprint in _collections():
        api.register_blueprint(blueprint)


def _collections():
    yield collection_blueprint(
        name="statements",
        catalog=STATEMENTS,
        item_schema=records.StatementSchema,
        page_schema=responses.StatementPageSchema,
        query_schema=queries.StatementQuerySchema,
        description="What officials said about the documents, quoted verbatim.",
        example_id="johnson-2025-08-30-before-signing",
    )
    yield collection_blueprint(
        name="relations",
        catalog=RELATIONS,
        item_schema=records.RelationSchema,
        page_schema=responses.RelationPageSchema,
        query_schema=queries.RelationQuerySchema,
        description="Typed, dated relations between documents (enjoins, stays, builds on…).",
        example_id="rel-illinois-tro-enjoins-us-pm-2025-10-04",
    )
    yield collection_blueprint(
        name="actors",
        catalog=ACTORS,
        item_schema=records.ActorSchema,
        page_schema=responses.ActorPageSchema,
        query_schema=queries.ActorQuerySchema,
        description="People, offices, agencies, courts and the groups provisions address.",
        example_id="chicago-police-department",
    )
    yield collection_blueprint(
        name="jurisdictions",
        catalog=JURISDICTIONS,
        item_schema=records.JurisdictionSchema,
        page_schema=responses.JurisdictionPageSchema,
        query_schema=queries.JurisdictionQuerySchema,
        description="Governments at every level, nested by parent.",
        example_id="us-il-chicago",
    )
    yield collection_blueprint(
        name="sources",
        catalog=SOURCES,
        item_schema=records.SourceSchema,
        page_schema=responses.SourcePageSchema,
        query_schema=queries.SourceQuerySchema,
        description="Where every fact comes from.",
        example_id="cnn-2025-08-30-chicago-mayor-order",
    )
