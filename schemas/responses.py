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
from schemas.vocabularies import (
    CHANGE_ACTIONS,
    DOCUMENT_STATUSES,
    RELATION_TYPES,
    TIMELINE_EVENT_KINDS,
    VOCABULARIES,
)


class PageLinksSchema(Schema):
    self = fields.String(
        required=True,
        metadata=doc("This page.", "/v1/provisions?modality=urges", format="uri-reference"),
    )
    next = fields.String(
        metadata=doc(
            "The next page, absent on the last page; also sent as a `Link` header.",
            "/v1/provisions?modality=urges&cursor=eyJmIjoiNGE",
            format="uri-reference",
        )
    )


class FacetValueSchema(Schema):
    value = fields.String(
        required=True,
        metadata=doc("A value, as the matching filter takes it.", "urges"),
    )
    count = fields.Integer(required=True, metadata=doc("How many matching records have it.", 4))


def _page_of(item_schema: type[Schema], description: str) -> dict:
    return {
        "facets": fields.Dict(
            keys=fields.String(),
            values=fields.List(fields.Nested(FacetValueSchema)),
            metadata=doc(
                "With `facets=`: for each facet, the matching records per value (most "
                "frequent first, at most 100 values), under every filter but the facet's own.",
                {"modality": [{"value": "urges", "count": 4}]},
            ),
        ),
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
    "SearchPageSchema",
    (Schema,),
    {
        **_page_of(SearchHitSchema, "Hits, best first (in type and id order when not ranked)."),
        "ranked": fields.Boolean(
            required=True,
            metadata=doc(
                "Whether hits are ranked by relevance; false when the query matches more "
                "records than the server ranks (narrow it to rank).",
                True,
            ),
        ),
    },
)


class TimelineEventSchema(Schema):
    id = fields.String(
        attribute="event_id",
        required=True,
        metadata=doc(
            "Stable id of the event: its kind and record.", "status_changed:us-eo-14333:2"
        ),
    )
    date = fields.Date(required=True, metadata=doc("When it happened.", "2025-10-09"))
    kind = fields.String(
        required=True,
        metadata=doc("What happened.", "status_changed", enum=list(TIMELINE_EVENT_KINDS)),
    )
    record_type = fields.String(
        required=True,
        metadata=doc(
            "The kind of record the event is about.",
            "document",
            enum=["document", "statement", "relation"],
        ),
    )
    record_id = fields.String(required=True, metadata=doc("Its id.", "us-pm-2025-10-04-illinois"))
    document = fields.String(
        attribute="document_id",
        required=True,
        allow_none=True,
        metadata=doc("The document concerned, when there is one.", "us-pm-2025-10-04-illinois"),
    )
    summary = fields.String(
        required=True,
        allow_none=True,
        metadata=doc(
            "The document's title, the change's note, the statement's subject or the "
            "relation's summary.",
            "Temporary restraining order bars the deployment.",
        ),
    )
    status = fields.String(
        required=True,
        allow_none=True,
        metadata=doc(
            "For `status_changed`: the status the document took.",
            "enjoined",
            enum=[*DOCUMENT_STATUSES, None],
        ),
    )
    relation_type = fields.String(
        required=True,
        allow_none=True,
        metadata=doc("For `relation`: its type.", "enjoins", enum=[*RELATION_TYPES, None]),
    )
    links = fields.Function(
        lambda event: {"record": f"/v1/{event['record_type']}s/{event['record_id']}"},
        required=True,
        metadata=doc(
            "Where to find the record.",
            {"record": "/v1/documents/us-eo-14339"},
            type="object",
            properties={"record": {"type": "string", "format": "uri-reference"}},
            required=["record"],
        ),
    )


TimelinePageSchema = type(
    "TimelinePageSchema", (Schema,), _page_of(TimelineEventSchema, "Events, in date order.")
)


class ChangeSchema(Schema):
    sequence = fields.Integer(
        required=True, metadata=doc("Position in the change log; it only grows.", 42)
    )
    collection = fields.String(
        required=True, metadata=doc("The collection of the record.", "provisions")
    )
    id = fields.String(
        attribute="record_id",
        required=True,
        metadata=doc("The record's id.", "chicago-eo-2025-6.p6.masks"),
    )
    action = fields.String(
        required=True, metadata=doc("What happened to it.", "updated", enum=list(CHANGE_ACTIONS))
    )
    changed_at = fields.AwareDateTime(
        required=True,
        metadata=doc("When the load that made the change ran.", "2025-09-01T12:00:00+00:00"),
    )
    links = fields.Function(
        lambda change: (
            {}
            if change.action == "deleted"
            else {"record": f"/v1/{change.collection}/{change.record_id}"}
        ),
        required=True,
        metadata=doc(
            "Where the record is now; empty for a deletion (a tombstone).",
            {"record": "/v1/provisions/chicago-eo-2025-6.p6.masks"},
            type="object",
            properties={"record": {"type": "string", "format": "uri-reference"}},
        ),
    )


# Not "ChangeLinks": generators name the model of `Change.links` so, and drop both.
class ChangesPageLinksSchema(PageLinksSchema):
    poll = fields.String(
        required=True,
        metadata=doc(
            "Ask this later for the changes after this page (`since` cursor); always present.",
            "/v1/changes?since=eyJmIjoiNGE",
            format="uri-reference",
        ),
    )


class ChangesPageSchema(Schema):
    data = fields.List(
        fields.Nested(ChangeSchema), required=True, metadata=doc("Changes, oldest first.")
    )
    links = fields.Nested(
        ChangesPageLinksSchema,
        required=True,
        metadata=doc("This page, the next, and where to poll."),
    )


class HealthSchema(Schema):
    status = fields.String(
        required=True, metadata=doc("`ok` (alive) or `ready` (able to serve).", "ok")
    )
