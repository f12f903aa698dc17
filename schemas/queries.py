"""Query parameters of each operation, validated before any query reaches the database."""

import datetime
import re

from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from schemas import fields as define
from schemas.vocabularies import (
    ACTOR_KINDS,
    DOCUMENT_STATUSES,
    DOCUMENT_TYPES,
    JURISDICTION_LEVELS,
    MODALITIES,
    RELATION_TYPES,
    SOURCE_KINDS,
    STANCES,
    STATEMENT_SETTINGS,
    TIMELINE_EVENT_KINDS,
    VERIFICATION_LEVELS,
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_VALUES_PER_FILTER = 20
CURSOR_MAX_LENGTH = 1000
# The collections of records, in the order the index and exports list them.
RECORD_COLLECTIONS = [
    "documents",
    "provisions",
    "statements",
    "relations",
    "actors",
    "jurisdictions",
    "sources",
]
MAX_SEARCH_LENGTH = 2000
MAX_IDENTIFIER_LENGTH = 100
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


def any_of(item: fields.Field, description: str, example: str) -> fields.List:
    """A filter taking one or more values (repeat the parameter); a record matches any of them."""
    return fields.List(
        item,
        validate=validate.Length(min=1, max=MAX_VALUES_PER_FILTER),
        metadata=define.doc(
            f"{description} Repeat the parameter to match any of several.", [example]
        ),
    )


def ids(description: str, example: str) -> fields.List:
    return any_of(define.slug(description, example), description, example)


def identifiers(description: str, example: str) -> fields.List:
    """An exact-match filter on an identifier the issuer or a publisher gave (not our ids)."""
    item = fields.String(
        validate=[
            validate.Length(min=1, max=MAX_IDENTIFIER_LENGTH),
            # No identifier has them, and PostgreSQL refuses a NUL in any text it is given.
            validate.Regexp(NO_CONTROL_CHARACTERS, error="Not a valid identifier."),
        ]
    )
    return any_of(item, description, example)


def terms(vocabulary: dict[str, str], description: str) -> fields.List:
    return any_of(define.term(vocabulary, description), description, next(iter(vocabulary)))


def topic_filter() -> fields.List:
    item = fields.String(
        validate=[
            validate.Length(min=1, max=define.TOPIC_MAX_LENGTH),
            validate.Regexp(define.SLUG_PATTERN, error="Not a valid topic."),
        ]
    )
    return any_of(item, "Only records with this topic.", "immigration-enforcement")


def sort(orders: list[str], *, searchable: bool = False) -> fields.String:
    """The `sort` parameter; the first order is the default (`relevance` when `q` is given)."""
    default = orders[0]
    description = f"Sort order; `-` before a field sorts descending. Default `{default}`"
    if searchable:
        orders = [*orders, "relevance"]
        description += (
            "; with `q`, default `relevance` (best match first). A query matching more records "
            "than the server ranks (10,000 by default) comes in the default order instead"
        )
    return fields.String(
        load_default=None,
        validate=validate.OneOf(orders),
        metadata=define.doc(description + ".", default),
    )


def search_text() -> fields.String:
    return fields.String(
        validate=validate.Length(max=MAX_SEARCH_LENGTH),
        metadata=define.doc(
            "Full-text search. Words must all match (stemmed: `camera` finds `cameras`); "
            '`or` between words matches either; "quoted words" match as a phrase; `-word` '
            "excludes. Any text is accepted; text with no searchable word matches nothing.",
            '"body cameras" -military',
        ),
    )


def facets(names: list[str]) -> DelimitedList:
    return DelimitedList(
        fields.String(validate=validate.OneOf(names)),
        # `facets=` reads as no field at all, which the spec cannot tell from one empty name.
        validate=validate.Length(min=1),
        metadata=define.doc(
            "Count the matching records per value of these fields (comma-separated), "
            "returned under `facets`. Each facet is counted under every filter but its own, "
            "so a value's count is what the list gives with that value as the facet's filter.",
            names[:2],
        ),
    )


def as_of() -> fields.Date:
    return define.day(
        "Report each document's status as it stood on this day (`status_as_of`); the `status` "
        "filter and facet then use that status, and documents not yet issued are left out.",
        "2025-10-01",
    )


class EmptyQuerySchema(Schema):
    """An operation with no query parameters: any parameter given is refused."""


class ListQuerySchema(Schema):
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata=define.doc(f"Items per page, 1 to {MAX_LIMIT}.", DEFAULT_LIMIT),
    )
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=CURSOR_MAX_LENGTH),
        metadata=define.doc(
            "Opaque cursor from `links.next` of the previous page, used with the same filters "
            "and sort; empty for the first page."
        ),
    )


class JurisdictionQuerySchema(ListQuerySchema):
    level = terms(JURISDICTION_LEVELS, "Only jurisdictions at this level.")
    parent = ids("Only jurisdictions directly inside this one.", "us-il")
    sort = sort(["id", "name"])
    facets = facets(["level", "parent"])


class ActorQuerySchema(ListQuerySchema):
    kind = terms(ACTOR_KINDS, "Only actors of this kind.")
    jurisdiction = ids("Only actors of this jurisdiction.", "us-il-chicago")
    sort = sort(["id", "name"])
    facets = facets(["kind", "jurisdiction"])


class SourceQuerySchema(ListQuerySchema):
    kind = terms(SOURCE_KINDS, "Only sources of this kind.")
    sort = sort(["id", "published_on", "-published_on"])
    facets = facets(["kind", "publisher"])


class DocumentQuerySchema(ListQuerySchema):
    type = terms(DOCUMENT_TYPES, "Only documents of this type.")
    jurisdiction = ids("Only documents issued in this jurisdiction.", "us-il-chicago")
    issuer = ids("Only documents issued by this actor.", "brandon-johnson")
    number = identifiers("Only documents with this official number (exact match).", "14339")
    citation = identifiers(
        "Only documents with this Federal Register citation (exact match).", "82 FR 9339"
    )
    document_number = identifiers(
        "Only documents with this Federal Register document number (exact match).", "2017-02281"
    )
    status = terms(
        DOCUMENT_STATUSES, "Only documents with this status (now, or on `as_of` when given)."
    )
    verification = terms(VERIFICATION_LEVELS, "Only documents verified at this level.")
    topic = topic_filter()
    signed_from = define.day("Only documents signed on or after this date.", "2025-08-01")
    signed_to = define.day("Only documents signed on or before this date.", "2025-08-31")
    as_of = as_of()
    q = search_text()
    sort = sort(["-signed_on", "signed_on", "-published_on", "published_on", "id"], searchable=True)
    facets = facets(["type", "jurisdiction", "status", "issuer", "verification", "topic"])


class DocumentDetailQuerySchema(Schema):
    include = fields.List(
        fields.String(validate=validate.OneOf(["provisions"])),
        load_default=list,
        metadata=define.doc(
            "Related records to nest: `provisions` nests them as a tree.", ["provisions"]
        ),
    )
    as_of = as_of()


class DocumentProvisionQuerySchema(ListQuerySchema):
    modality = terms(MODALITIES, "Only provisions with this modality.")
    addressee = ids("Only provisions addressed to this actor.", "chicago-police-department")
    actor = ids("Only provisions in which this actor acts.", "brandon-johnson")
    binding = fields.Boolean(
        metadata=define.doc(
            "Only binding (`true`) or only non-binding (`false`) provisions.", False
        )
    )
    topic = topic_filter()
    verification = terms(VERIFICATION_LEVELS, "Only provisions verified at this level.")
    q = search_text()
    sort = sort(["document", "id"], searchable=True)
    facets = facets(
        ["modality", "addressee", "topic", "binding", "actor", "document", "verification"]
    )


class ProvisionQuerySchema(DocumentProvisionQuerySchema):
    document = ids("Only provisions of this document.", "chicago-eo-2025-6")
    parent = ids("Only provisions nested directly under this one.", "chicago-eo-2025-6.p6")


class StatementQuerySchema(ListQuerySchema):
    speaker = ids("Only statements by this actor.", "brandon-johnson")
    about = ids("Only statements about this document.", "chicago-eo-2025-6")
    setting = terms(STATEMENT_SETTINGS, "Only statements made in this setting.")
    stance = terms(STANCES, "Only statements with this stance.")
    said_from = define.day("Only statements made on or after this date.", "2025-08-25")
    said_to = define.day("Only statements made on or before this date.", "2025-08-31")
    q = search_text()
    sort = sort(["-said_on", "said_on", "id"], searchable=True)
    facets = facets(["speaker", "about", "setting", "stance"])


class RelationQuerySchema(ListQuerySchema):
    type = terms(RELATION_TYPES, "Only relations of this type.")
    subject = ids(
        "Only relations whose subject is this document.", "illinois-v-trump-2025-10-09-tro"
    )
    object = ids("Only relations whose object is this document.", "us-pm-2025-10-04-illinois")
    document = ids(
        "Only relations involving this document on either side.", "us-pm-2025-10-04-illinois"
    )
    sort = sort(["date", "-date", "id"])
    facets = facets(["type", "subject", "object"])


class SearchQuerySchema(ListQuerySchema):
    q = fields.String(
        required=True,
        validate=validate.Length(max=MAX_SEARCH_LENGTH),
        metadata=define.doc(
            "What to search for: words (all must match, stemmed), `or` between words, "
            '"quoted phrases", `-excluded` words. Any text is accepted. Hits come best first; '
            "a query matching more records than the server ranks (10,000 by default) comes in "
            "type and id order instead, with `ranked` false.",
            "body cameras",
        ),
    )
    type = any_of(
        fields.String(validate=validate.OneOf(["document", "provision", "statement"])),
        "Only hits of this type.",
        "provision",
    )


class TimelineQuerySchema(ListQuerySchema):
    kind = terms(TIMELINE_EVENT_KINDS, "Only events of this kind.")
    jurisdiction = ids("Only events in this jurisdiction.", "us-il")
    actor = ids(
        "Only events of this actor (a document's issuer, a statement's speaker).",
        "donald-j-trump",
    )
    document = ids(
        "Only events concerning this document (its own, court orders changing its status, "
        "statements about it, relations on either side).",
        "us-pm-2025-10-04-illinois",
    )
    date_from = define.day("Only events on or after this date.", "2025-10-01", data_key="from")
    date_to = define.day("Only events on or before this date.", "2025-10-31", data_key="to")
    sort = fields.String(
        load_default="date",
        validate=validate.OneOf(["date", "-date"]),
        metadata=define.doc(
            "Oldest first (`date`, the default) or newest first (`-date`).", "date"
        ),
    )


class CursorOrTimestamp(fields.String):
    """A cursor, kept as given, or an RFC 3339 timestamp, loaded as an aware datetime."""

    # Cursors never start with a year: what does is meant as a timestamp, and must be one.
    LOOKS_LIKE_A_DATE = re.compile(r"^\d{4}-")
    RFC_3339 = re.compile(
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
    )
    default_error_messages = {
        "too_long": f"Longer than maximum length {CURSOR_MAX_LENGTH}.",
        "timestamp": "Not a valid RFC 3339 timestamp: give a date, a time and an offset, as in "
        "2025-10-01T00:00:00Z or 2025-10-01T02:00:00+02:00 (with + written %2B in a URL).",
    }

    def _deserialize(self, value, attr, data, **kwargs) -> str | datetime.datetime:
        text = super()._deserialize(value, attr, data, **kwargs)
        # Checked here, not by a validator: validators see the datetime a timestamp becomes.
        if len(text) > CURSOR_MAX_LENGTH:
            raise self.make_error("too_long")
        if not self.LOOKS_LIKE_A_DATE.match(text):
            return text
        if not self.RFC_3339.match(text):
            raise self.make_error("timestamp")
        try:
            return datetime.datetime.fromisoformat(text.upper()).astimezone(datetime.UTC)
        except (ValueError, OverflowError):  # a month 13, an hour 24, a year 0 in UTC…
            raise self.make_error("timestamp") from None


class ChangesQuerySchema(Schema):
    since = CursorOrTimestamp(
        load_default=None,
        metadata=define.doc(
            "Where to start: the opaque cursor from `links.next` (more now) or `links.poll` "
            "(come back later) of an earlier response, or an RFC 3339 timestamp for the changes "
            "recorded strictly after that moment (an offset is required; write `+` as `%2B`). "
            "Absent or empty for the whole log from the start.",
            examples=["2025-10-01T00:00:00Z", "2025-10-01T02:00:00+02:00"],
            maxLength=CURSOR_MAX_LENGTH,
        ),
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata=define.doc(f"Changes per page, 1 to {MAX_LIMIT}.", DEFAULT_LIMIT),
    )
    collection = any_of(
        fields.String(validate=validate.OneOf(RECORD_COLLECTIONS)),
        "Only changes to this collection.",
        "documents",
    )
