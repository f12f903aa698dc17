"""Every collection of records, once: the list that routes, exports, seeds, loads and the CLI
read. Per collection: its name in URLs, tables and exports; what one record is called; its
model; its record, page and query schemas; its seed file; the link tables its records own;
and what its API documentation says of it.
"""

from dataclasses import dataclass, field

from marshmallow import Schema

from api.storage import models
from schemas import queries, records, responses


@dataclass(frozen=True)
class Collection:
    name: str  # `/v1/{name}`, its table, `{name}.ndjson`
    kind: str  # one record of it, in messages and operation names
    model: type
    record_schema: type[Schema]
    page_schema: type[Schema]
    query_schema: type[Schema]
    # Each collection's records refer only to those of collections of a lower rank: loads
    # and seed checks go in this order.
    load_rank: int
    description: str
    example_id: str
    # The seed file under seeds/, or None for the records of seeds/documents/.
    seed_file: str | None = None
    # The collection whose seed records hold these (a document's provisions), if not its own.
    seeded_with: str | None = None
    # Link tables replaced with the records, and their column naming the record.
    owned_tables: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"/v1/{self.name}"

    @property
    def export_file(self) -> str:
        return f"{self.name}.ndjson"


# In the order the index, the dataset and the exports list them.
COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        name="documents",
        kind="document",
        model=models.Document,
        record_schema=records.DocumentSchema,
        page_schema=responses.DocumentPageSchema,
        query_schema=queries.DocumentQuerySchema,
        load_rank=3,
        description="Policy documents: executive orders, memoranda, court orders.",
        example_id="chicago-eo-2025-6",
        owned_tables={
            "document_sources": "document_id",
            "document_topics": "document_id",
            "status_changes": "document_id",
            "status_change_sources": "document_id",
        },
    ),
    Collection(
        name="provisions",
        kind="provision",
        model=models.Provision,
        record_schema=records.ProvisionSchema,
        page_schema=responses.ProvisionPageSchema,
        query_schema=queries.ProvisionQuerySchema,
        load_rank=4,
        seeded_with="documents",
        description="Provisions: what each document affirms, directs, urges, prohibits…, and "
        "to whom.",
        example_id="chicago-eo-2025-6.p6",
        owned_tables={
            "provision_sources": "provision_id",
            "provision_topics": "provision_id",
            "provision_addressees": "provision_id",
        },
    ),
    Collection(
        name="statements",
        kind="statement",
        model=models.Statement,
        record_schema=records.StatementSchema,
        page_schema=responses.StatementPageSchema,
        query_schema=queries.StatementQuerySchema,
        load_rank=5,
        description="What officials said about the documents, quoted verbatim.",
        example_id="johnson-2025-08-30-before-signing",
        seed_file="statements.yaml",
        owned_tables={"statement_sources": "statement_id", "statement_documents": "statement_id"},
    ),
    Collection(
        name="relations",
        kind="relation",
        model=models.Relation,
        record_schema=records.RelationSchema,
        page_schema=responses.RelationPageSchema,
        query_schema=queries.RelationQuerySchema,
        load_rank=6,
        description="Typed, dated relations between documents (enjoins, stays, builds on…).",
        example_id="rel-illinois-tro-enjoins-us-pm-2025-10-04",
        seed_file="relations.yaml",
        owned_tables={"relation_sources": "relation_id"},
    ),
    Collection(
        name="actors",
        kind="actor",
        model=models.Actor,
        record_schema=records.ActorSchema,
        page_schema=responses.ActorPageSchema,
        query_schema=queries.ActorQuerySchema,
        load_rank=2,
        description="People, offices, agencies, courts and the groups provisions address.",
        example_id="chicago-police-department",
        seed_file="actors.yaml",
        owned_tables={"actor_sources": "actor_id"},
    ),
    Collection(
        name="jurisdictions",
        kind="jurisdiction",
        model=models.Jurisdiction,
        record_schema=records.JurisdictionSchema,
        page_schema=responses.JurisdictionPageSchema,
        query_schema=queries.JurisdictionQuerySchema,
        load_rank=1,
        description="Governments at every level, nested by parent.",
        example_id="us-il-chicago",
        seed_file="jurisdictions.yaml",
        owned_tables={"jurisdiction_sources": "jurisdiction_id"},
    ),
    Collection(
        name="sources",
        kind="source",
        model=models.Source,
        record_schema=records.SourceSchema,
        page_schema=responses.SourcePageSchema,
        query_schema=queries.SourceQuerySchema,
        load_rank=0,
        description="Where every fact comes from.",
        example_id="cnn-2025-08-30-chicago-mayor-order",
        seed_file="sources.yaml",
    ),
)
BY_NAME = {collection.name: collection for collection in COLLECTIONS}
NAMES = tuple(BY_NAME)
IN_LOAD_ORDER = tuple(sorted(COLLECTIONS, key=lambda collection: collection.load_rank))
