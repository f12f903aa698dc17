"""Response envelopes: every list is an object with `data` and `links`."""

from marshmallow import Schema, fields

from schemas.fields import doc
from schemas.records import (
    ActorSchema,
    DocumentSchema,
    JurisdictionSchema,
    ProvisionSchema,
    RelationSchema,
    SourceSchema,
    StatementSchema,
)
from schemas.vocabularies import VOCABULARIES


class PageLinksSchema(Schema):
    self = fields.String(
        required=True,
        metadata=doc("This page.", "/v1/provisions?modality=urges", format="uri-reference"),
    )
    next = fields.String(
        metadata=doc(
            "The next page, absent on the last page; also sent as a `Link` header.",
            "/v1/provisions?modality=urges&cursor=eyJmIjoi…",
            format="uri-reference",
        )
    )


def _page_of(item_schema: type[Schema], description: str) -> dict:
    return {
        "data": fields.List(fields.Nested(item_schema), required=True, metadata=doc(description)),
        "links": fields.Nested(
            PageLinksSchema,
            required=True,
            metadata=doc("This page and, unless it is the last, the next."),
        ),
    }


JurisdictionPageSchema = type(
    "JurisdictionPageSchema", (Schema,), _page_of(JurisdictionSchema, "Jurisdictions.")
)
ActorPageSchema = type("ActorPageSchema", (Schema,), _page_of(ActorSchema, "Actors."))
SourcePageSchema = type("SourcePageSchema", (Schema,), _page_of(SourceSchema, "Sources."))
DocumentPageSchema = type("DocumentPageSchema", (Schema,), _page_of(DocumentSchema, "Documents."))
ProvisionPageSchema = type(
    "ProvisionPageSchema", (Schema,), _page_of(ProvisionSchema, "Provisions.")
)
StatementPageSchema = type(
    "StatementPageSchema", (Schema,), _page_of(StatementSchema, "Statements.")
)
RelationPageSchema = type("RelationPageSchema", (Schema,), _page_of(RelationSchema, "Relations."))


class TermSchema(Schema):
    term = fields.String(
        required=True, metadata=doc("The term, as used in records and filters.", "urges")
    )
    definition = fields.String(
        required=True,
        metadata=doc(
            "What the term means.", "Asks addressees to act without the power to compel them."
        ),
    )


class VocabularySchema(Schema):
    name = fields.String(
        required=True,
        metadata=doc("Name of the vocabulary.", "modalities", enum=list(VOCABULARIES)),
    )
    terms = fields.List(
        fields.Nested(TermSchema), required=True, metadata=doc("Its terms, in order.")
    )


class VocabularyListSchema(Schema):
    data = fields.List(
        fields.Nested(VocabularySchema), required=True, metadata=doc("Every vocabulary.")
    )


class IndexSchema(Schema):
    name = fields.String(required=True, metadata=doc("Name of the API.", "provisions"))
    version = fields.String(required=True, metadata=doc("Version of the API.", "1.0.0"))
    description = fields.String(
        required=True, metadata=doc("What the API serves.", "Government policy documents…")
    )
    links = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata=doc("The collections and documentation, by name.", {"documents": "/v1/documents"}),
    )


class SearchHitSchema(Schema):
    type = fields.String(
        required=True,
        metadata=doc(
            "What kind of record matched.", "provision", enum=["document", "provision", "statement"]
        ),
    )
    id = fields.String(required=True, metadata=doc("Its id.", "chicago-eo-2025-6.p6.body-cameras"))
    title = fields.String(
        required=True,
        metadata=doc(
            "A document's title, a provision's action or a statement's subject.",
            "wear and use body cameras",
        ),
    )
    snippet = fields.String(
        required=True,
        allow_none=True,
        metadata=doc(
            "The best-matching passage, HTML-escaped, with matched words in `<mark>`…`</mark>`.",
            "to wear and use <mark>body</mark> <mark>cameras</mark>",
        ),
    )
    links = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata=doc("Where to find the record.", {"self": "/v1/provisions/chicago-eo-2025-6.p6"}),
    )


SearchPageSchema = type(
    "SearchPageSchema", (Schema,), _page_of(SearchHitSchema, "Hits, best first.")
)
