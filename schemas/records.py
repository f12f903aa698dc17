"""The records served by the API and read from the seed files.

Each schema dumps an ORM object for the API and loads a record from `seeds/`, so both follow
one definition. Fields the server derives (positions, links, current status) are dump-only.
"""

import re

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

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
    VERIFICATION_LEVELS,
)

REQUIRED = {"required": True}
NULLABLE = {"required": True, "allow_none": True}


def sources_field() -> fields.List:
    return define.slug_list(
        "Ids of the sources this record rests on (see /v1/sources).",
        ["cnn-2025-08-30-chicago-mayor-order"],
        validate=validate.Length(min=1, max=50),
        **REQUIRED,
    )


def verification_field() -> fields.String:
    return define.term(
        VERIFICATION_LEVELS,
        "How the record was verified: `official` when checked against an official text or "
        "record, `reported` when it rests on news reports, `extracted` when machine-read from "
        "an official text (see `extractor`).",
        **REQUIRED,
    )


def confidence_field() -> fields.Float:
    return define.fraction(
        "How sure `extractor` is of the record's typing, from 0 to 1 (kept to three decimals); "
        "null unless `verification` is `extracted`, and may be null then.",
        0.9,
        **NULLABLE,
    )


def extractor_field() -> fields.String:
    return define.text(
        "The extractor that machine-read the record, and its version; null unless "
        "`verification` is `extracted`.",
        "provisions-federal-register/2",
        max_length=100,
        **NULLABLE,
    )


def check_extraction(data: dict) -> None:
    """`extractor` names the extractor of an `extracted` record, and only of one."""
    if data.get("verification") == "extracted":
        if data.get("extractor") is None:
            raise ValidationError("`extractor` is required when `verification` is `extracted`.")
    elif data.get("extractor") is not None or data.get("confidence") is not None:
        raise ValidationError(
            "`extractor` and `confidence` are null unless `verification` is `extracted`."
        )


def links_field(
    description: str, *, optional: tuple[str, ...] = (), **links: str
) -> fields.Function:
    """Dump-only URLs of the record and related records, e.g. "/v1/documents/{record.id}".

    A link named in `optional` is left out when a value its URL is made of is null.
    """
    # Records read as dicts fill "{id}" straight from their keys, without attribute lookups.
    by_key = {name: re.sub(r"\{record\.(\w+)\}", r"{\1}", t) for name, t in links.items()}
    made_of = {name: re.findall(r"\{record\.(\w+)\}", links[name]) for name in optional}

    def links_of(record) -> dict[str, str]:
        if isinstance(record, dict):
            found = {name: template.format_map(record) for name, template in by_key.items()}
        else:
            found = {name: template.format(record=record) for name, template in links.items()}
        for name, attributes in made_of.items():
            if any(_value(record, attribute) is None for attribute in attributes):
                del found[name]
        return found

    return fields.Function(
        links_of,
        dump_only=True,
        metadata=define.doc(
            description,
            {
                name: re.sub(r"\{record\.(\w+)\}", "example-id", template)
                for name, template in links.items()
            },
            type="object",
            properties={name: {"type": "string", "format": "uri-reference"} for name in links},
            required=[name for name in links if name not in optional],
        ),
    )


def _value(record, attribute: str):
    return record[attribute] if isinstance(record, dict) else getattr(record, attribute)


class RecordSchema(Schema):
    """A record with change timestamps, which move only when its content changes."""

    # Fields added since the seed files were first written: always dumped (null when unknown),
    # and null when a file leaves them out, so that no file has to name them.
    OPTIONAL_IN_FILES: tuple[str, ...] = ()

    @pre_load
    def absent_means_null(self, data, **_kwargs):
        if not isinstance(data, dict) or not self.OPTIONAL_IN_FILES:
            return data
        return {**dict.fromkeys(self.OPTIONAL_IN_FILES), **data}

    created_at = fields.AwareDateTime(
        dump_only=True,
        required=True,
        metadata=define.doc(
            "When the record first appeared in the data.", "2025-09-01T12:00:00+00:00"
        ),
    )
    updated_at = fields.AwareDateTime(
        dump_only=True,
        required=True,
        metadata=define.doc(
            "When the record's content last changed (reloading unchanged data does not move it).",
            "2025-09-01T12:00:00+00:00",
        ),
    )


class JurisdictionSchema(RecordSchema):
    id = define.slug("Stable id of the jurisdiction.", "us-il-chicago", **REQUIRED)
    name = define.text("Name of the jurisdiction.", "City of Chicago", **REQUIRED)
    level = define.term(JURISDICTION_LEVELS, "Level of government.", **REQUIRED)
    parent = define.slug(
        "Id of the enclosing jurisdiction; null for a national one.",
        "us-il",
        attribute="parent_id",
        **NULLABLE,
    )
    sources = sources_field()
    links = links_field("Where to find this jurisdiction.", self="/v1/jurisdictions/{record.id}")


class ActorSchema(RecordSchema):
    id = define.slug("Stable id of the actor.", "chicago-police-department", **REQUIRED)
    name = define.text(
        "Name of the person, office, body or group.", "Chicago Police Department", **REQUIRED
    )
    kind = define.term(ACTOR_KINDS, "What kind of actor this is.", **REQUIRED)
    role = define.text(
        "The actor's role, in our words.", "Police force of the City of Chicago", **NULLABLE
    )
    jurisdiction = define.slug(
        "Id of the jurisdiction the actor belongs to.",
        "us-il-chicago",
        attribute="jurisdiction_id",
        **NULLABLE,
    )
    sources = sources_field()
    links = links_field("Where to find this actor.", self="/v1/actors/{record.id}")


class SourceSchema(RecordSchema):
    id = define.slug("Stable id of the source.", "cnn-2025-08-30-chicago-mayor-order", **REQUIRED)
    title = define.text(
        "Title of the source.", "Chicago mayor signs order aimed at resisting…", **REQUIRED
    )
    publisher = define.text("Who published it.", "CNN", **REQUIRED)
    authors = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        metadata=define.doc("Authors, as credited; empty when none is credited.", ["Whitney Wild"]),
        **REQUIRED,
    )
    url = define.url("Where the source can be read; null when no address is known.", **NULLABLE)
    published_on = define.day("Publication date; null when unknown.", "2025-08-30", **NULLABLE)
    kind = define.term(SOURCE_KINDS, "What kind of source this is.", **REQUIRED)
    note = define.text(
        "What the source is, when its title does not say.",
        "Syndicated by KRDO; the CNN report the project started from.",
        long=True,
        **NULLABLE,
    )
    links = links_field("Where to find this source.", self="/v1/sources/{record.id}")


class StatusChangeSchema(Schema):
    status = define.term(DOCUMENT_STATUSES, "The status the document took.", **REQUIRED)
    date = define.day("When it took that status; null when unknown.", "2025-10-09", **NULLABLE)
    by = define.slug(
        "Id of the document (often a court order) that changed the status, if any.",
        "illinois-v-trump-2025-10-09-tro",
        attribute="by_id",
        **NULLABLE,
    )
    note = define.text(
        "What happened, in our words.",
        "Temporary restraining order bars the deployment.",
        long=True,
        **NULLABLE,
    )
    sources = sources_field()


class StatusOnDaySchema(Schema):
    date = define.day("The day asked for (`as_of`).", "2025-10-01", **REQUIRED)
    status = define.term(
        DOCUMENT_STATUSES,
        "The status the document had on that day; null if it had not yet been issued.",
        **NULLABLE,
    )


class ProvisionSchema(RecordSchema):
    id = define.slug(
        "Stable id: the document id and the provision's keys, joined with '.'.",
        "chicago-eo-2025-6.p6.masks",
        dump_only=True,
        **REQUIRED,
    )
    document = define.slug(
        "Id of the document the provision belongs to.",
        "chicago-eo-2025-6",
        attribute="document_id",
        dump_only=True,
        **REQUIRED,
    )
    parent = define.slug(
        "Id of the enclosing provision; null at the top level.",
        "chicago-eo-2025-6.p6",
        attribute="parent_id",
        dump_only=True,
        **NULLABLE,
    )
    position = fields.Integer(
        dump_only=True,
        metadata=define.doc(
            "Place of the provision in its document, counted depth-first from 1.", 7
        ),
        **REQUIRED,
    )
    depth = fields.Integer(
        dump_only=True,
        metadata=define.doc("Nesting depth: 0 for a top-level provision.", 1),
        **REQUIRED,
    )
    label = define.text(
        "The provision's label as a lawyer cites it, e.g. `Sec. 2(a)(i)`; null when the "
        "document gives none.",
        "Sec. 2(a)(i)",
        **NULLABLE,
    )
    heading = define.text(
        "The section or subdivision heading, verbatim; null when it has none.",
        "Purpose.",
        **NULLABLE,
    )
    modality = define.term(MODALITIES, "What the provision does (its deontic force).", **REQUIRED)
    binding = fields.Boolean(
        metadata=define.doc(
            "True when the issuer has authority to bind the addressees; false when it can only "
            "urge or demand (a mayor urging federal officers).",
            False,
        ),
        **REQUIRED,
    )
    actor = define.slug(
        "Id of the actor acting in the provision (usually the issuer).",
        "brandon-johnson",
        attribute="actor_id",
        **NULLABLE,
    )
    addressees = define.slug_list(
        "Ids of the actors the provision is addressed to.",
        ["federal-officers-in-chicago"],
        validate=validate.Length(max=50),
        **REQUIRED,
    )
    action = define.text("The action, as a short phrase.", "refrain from wearing masks", **REQUIRED)
    summary = define.text(
        "What the provision says, in our words.",
        "Asks federal officers in Chicago not to cover their faces.",
        long=True,
        **REQUIRED,
    )
    text = define.text(
        "The provision's own words, verbatim as the source in `quoted_in` gives them (for an "
        "official text: after the normalisation documented in the README); null when no source "
        "gives them verbatim.",
        "to refrain from wearing masks",
        long=True,
        **NULLABLE,
    )
    quoted_in = define.slug(
        "Id of the source that quotes `text` verbatim; null when `text` is null.",
        "cnn-2025-08-30-chicago-mayor-order",
        attribute="quoted_in_id",
        **NULLABLE,
    )
    topics = define.topics("Subjects the provision touches.", **REQUIRED)
    verification = verification_field()
    confidence = confidence_field()
    extractor = extractor_field()
    sources = sources_field()
    subprovisions = define.slug_list(
        "Ids of the provisions nested directly under this one, in order.",
        ["chicago-eo-2025-6.p6.masks"],
        dump_only=True,
        **REQUIRED,
    )
    links = links_field(
        "Where to find this provision.",
        self="/v1/provisions/{record.id}",
        document="/v1/documents/{record.document_id}",
    )

    OPTIONAL_IN_FILES = ("heading", "confidence", "extractor")

    @validates_schema
    def verbatim_text_names_its_source(self, data: dict, **_kwargs) -> None:
        if (data.get("text") is None) != (data.get("quoted_in_id") is None):
            raise ValidationError("`text` and `quoted_in` go together: both set or both null.")

    @validates_schema
    def extraction_names_its_extractor(self, data: dict, **_kwargs) -> None:
        check_extraction(data)


class DocumentSchema(RecordSchema):
    id = define.slug("Stable id of the document.", "chicago-eo-2025-6", **REQUIRED)
    type = define.term(DOCUMENT_TYPES, "Kind of document.", **REQUIRED)
    number = define.text(
        "The document's official number; null when it has none or it is not known.",
        "2025-6",
        **NULLABLE,
    )
    citation = define.text(
        "The Federal Register citation (volume, `FR`, first page); null when none is known.",
        "82 FR 9339",
        max_length=100,
        **NULLABLE,
    )
    document_number = define.text(
        "The Federal Register document number; null when none is known.",
        "2017-02281",
        max_length=40,
        **NULLABLE,
    )
    title = define.text(
        "Official title, or a descriptive one when none is known.",
        "Additional Measures To Address the Crime Emergency in the District of Columbia",
        long=True,
        **REQUIRED,
    )
    issuer = define.slug(
        "Id of the actor who issued the document.",
        "brandon-johnson",
        attribute="issuer_id",
        **REQUIRED,
    )
    jurisdiction = define.slug(
        "Id of the jurisdiction the document was issued in.",
        "us-il-chicago",
        attribute="jurisdiction_id",
        **REQUIRED,
    )
    signed_on = define.day("Date signed or issued; null when unknown.", "2025-08-30", **NULLABLE)
    published_on = define.day("Date published; null when unknown.", "2025-08-30", **NULLABLE)
    status = define.term(
        DOCUMENT_STATUSES,
        "Current status: the last entry of `status_history`.",
        dump_only=True,
        **REQUIRED,
    )
    status_history = fields.List(
        fields.Nested(StatusChangeSchema),
        validate=validate.Length(min=1),
        metadata=define.doc("Every status the document has had, in date order."),
        **REQUIRED,
    )
    summary = define.text(
        "What the document does, in our words.",
        "Sets out Chicago's first response to an expected federal immigration operation.",
        long=True,
        **REQUIRED,
    )
    topics = define.topics("Subjects the document touches.", **REQUIRED)
    official_url = define.url("The issuer's own page for the document, when known.", **NULLABLE)
    pdf_url = define.url(
        "The official PDF of the document, when known.",
        "https://www.govinfo.gov/content/pkg/FR-2017-02-03/pdf/2017-02281.pdf",
        **NULLABLE,
    )
    xml_url = define.url(
        "The official full text as XML, when known.",
        "https://www.federalregister.gov/documents/full_text/xml/2017/02/03/2017-02281.xml",
        **NULLABLE,
    )
    text_url = define.url(
        "The official raw text, when known.",
        "https://www.federalregister.gov/documents/full_text/text/2017/02/03/2017-02281.txt",
        **NULLABLE,
    )
    verification = verification_field()
    confidence = confidence_field()
    extractor = extractor_field()
    note = define.text(
        "Where sources disagree, which value is kept and why.",
        "The Federal Register's signing date is 2010-12-29; the order itself says 29 December "
        "2009, which is kept.",
        long=True,
        **NULLABLE,
    )
    sources = sources_field()
    status_as_of = fields.Nested(
        StatusOnDaySchema,
        dump_only=True,
        metadata=define.doc("With `as_of=`: the document's status on that day."),
    )
    links = links_field(
        "Where to find this document and its provisions.",
        self="/v1/documents/{record.id}",
        provisions="/v1/documents/{record.id}/provisions",
    )

    OPTIONAL_IN_FILES = (
        "citation",
        "document_number",
        "pdf_url",
        "xml_url",
        "text_url",
        "confidence",
        "extractor",
        "note",
    )

    @validates_schema
    def extraction_names_its_extractor(self, data: dict, **_kwargs) -> None:
        check_extraction(data)


class ProvisionNodeSchema(ProvisionSchema):
    """A provision with its sub-provisions nested, as in a document's tree."""

    class Meta:
        exclude = ("subprovisions",)

    provisions = fields.List(
        fields.Nested(lambda: ProvisionNodeSchema()),
        attribute="nodes",
        dump_only=True,
        metadata=define.doc("Sub-provisions, in order."),
        **REQUIRED,
    )


class DocumentDetailSchema(DocumentSchema):
    provisions = fields.List(
        fields.Nested(ProvisionNodeSchema),
        attribute="provision_tree",
        dump_only=True,
        metadata=define.doc(
            "The document's provisions as a tree; present with `include=provisions`."
        ),
    )


class StatementSchema(RecordSchema):
    id = define.slug("Stable id of the statement.", "johnson-2025-08-30-before-signing", **REQUIRED)
    speaker = define.slug(
        "Id of the actor who spoke.", "brandon-johnson", attribute="speaker_id", **REQUIRED
    )
    said_on = define.day(
        "When it was said; null when the source gives no exact date.", "2025-08-30", **NULLABLE
    )
    date_note = define.text(
        "What the source says of the date when it gives no exact one.",
        "Earlier in the week before 30 Aug 2025, per the report.",
        **NULLABLE,
    )
    setting = define.term(STATEMENT_SETTINGS, "Where or how it was said.", **REQUIRED)
    location = define.text("Place, when known.", "Chicago, Illinois", **NULLABLE)
    subject = define.text(
        "What the statement is about, in our words.",
        "The mayor's executive order",
        **REQUIRED,
    )
    quote = define.text(
        "The words, verbatim as the source in `quoted_in` gives them.",
        "This is obviously unconstitutional.",
        long=True,
        **REQUIRED,
    )
    quoted_in = define.slug(
        "Id of the source that quotes the statement.",
        "cnn-2025-08-30-chicago-mayor-order",
        attribute="quoted_in_id",
        **REQUIRED,
    )
    about = define.slug_list(
        "Ids of the documents the statement is about; empty when it concerns none on record.",
        ["chicago-eo-2025-6"],
        **REQUIRED,
    )
    stance = define.term(
        STANCES,
        "The speaker's stance toward `subject`, which may differ from the stance toward the "
        "documents in `about` (a mayor opposing a deployment while announcing an order).",
        **REQUIRED,
    )
    verification = verification_field()
    sources = sources_field()
    links = links_field("Where to find this statement.", self="/v1/statements/{record.id}")


class RelationSchema(RecordSchema):
    id = define.slug(
        "Stable id of the relation.", "rel-illinois-tro-enjoins-us-pm-2025-10-04", **REQUIRED
    )
    type = define.term(
        RELATION_TYPES, "How the subject document relates to the object document.", **REQUIRED
    )
    subject = define.slug(
        "Id of the document that acts (e.g. the court order).",
        "illinois-v-trump-2025-10-09-tro",
        attribute="subject_id",
        **REQUIRED,
    )
    object = define.slug(
        "Id of the document acted upon; null when that document is not in the data: "
        "`object_reference` then names it.",
        "us-pm-2025-10-04-illinois",
        attribute="object_id",
        **NULLABLE,
    )
    object_reference = define.text(
        "How the subject names the object; null in records that do not need it.",
        "EO 12291",
        max_length=200,
        **NULLABLE,
    )
    date = define.day("When the relation arose; null when unknown.", "2025-10-09", **NULLABLE)
    summary = define.text(
        "The relation, in our words.",
        "The restraining order bars the federalization and deployment under the memorandum.",
        long=True,
        **REQUIRED,
    )
    sources = sources_field()
    links = links_field(
        "Where to find this relation and its two documents (`object` when it is in the data).",
        optional=("object",),
        self="/v1/relations/{record.id}",
        subject="/v1/documents/{record.subject_id}",
        object="/v1/documents/{record.object_id}",
    )

    OPTIONAL_IN_FILES = ("object_reference",)

    @validates_schema
    def object_is_named(self, data: dict, **_kwargs) -> None:
        if data.get("object_id") is None and data.get("object_reference") is None:
            raise ValidationError("`object` or `object_reference`: a relation names its object.")
