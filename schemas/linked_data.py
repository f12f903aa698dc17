"""The JSON-LD bodies (api.presentation.linked_data), for the spec only: schema.org allows more.

Loose on purpose (few fields required), but typed: a generated client can read a node's `@id`,
`name` or `hasPart` without a cast.
"""

from marshmallow import Schema, fields

from schemas.fields import doc

SCHEMA_ORG = "https://schema.org"
DOCUMENT_URL = "https://api.example.org/v1/documents/chicago-eo-2025-6"


def _type(description: str, example: str) -> fields.String:
    return fields.String(data_key="@type", required=True, metadata=doc(description, example))


def _url(description: str, example: str = DOCUMENT_URL, **kwargs) -> fields.String:
    return fields.String(metadata=doc(description, example, format="uri"), **kwargs)


class LinkedDataReferenceSchema(Schema):
    id = _url("The node's URL.", data_key="@id", required=True)


class LinkedDataAgentSchema(Schema):
    type = _type("`AdministrativeArea`, `Person`, `GovernmentOrganization`…", "Person")
    identifier = fields.String(
        required=True, metadata=doc("Its id in this API.", "brandon-johnson")
    )
    name = fields.String(allow_none=True, metadata=doc("Its name.", "Brandon Johnson"))


class LinkedDataPropertyValueSchema(Schema):
    type = _type("`PropertyValue`.", "PropertyValue")
    property_id = fields.String(
        data_key="propertyID",
        required=True,
        metadata=doc("What the value is.", "Federal Register document number"),
    )
    value = fields.String(required=True, metadata=doc("The value.", "2017-09083"))


class LinkedDataProvisionPropertySchema(Schema):
    type = _type("`PropertyValue`.", "PropertyValue")
    property_id = fields.String(
        data_key="propertyID",
        required=True,
        metadata=doc("Which property.", "modality", enum=["modality", "binding"]),
    )
    value = fields.Raw(
        required=True,
        metadata=doc(
            "The provision's modality (a term of /v1/vocabularies), or whether it binds.",
            "urges",
            oneOf=[{"type": "string"}, {"type": "boolean"}],
        ),
    )


class LinkedDataFileSchema(Schema):
    type = _type("`LegislationObject`.", "LegislationObject")
    content_url = _url(
        "Where the official file is.",
        "https://www.govinfo.gov/content/pkg/FR-2017-05-03/pdf/2017-09083.pdf",
        data_key="contentUrl",
        required=True,
    )
    encoding_format = fields.String(
        data_key="encodingFormat", metadata=doc("Its media type.", "application/pdf")
    )


class LinkedDataNodeSchema(Schema):
    type = _type("`Legislation`, for a document or a provision.", "Legislation")
    id = _url("The record's URL in this API.", data_key="@id", required=True)
    url = _url("The same URL.", required=True)
    name = fields.String(
        metadata=doc("A document's title, or a provision's action.", "wear and use body cameras")
    )
    legislation_identifier = fields.Raw(
        data_key="legislationIdentifier",
        metadata=doc(
            "A document's number (else its id) and citation; a provision's label (else its id).",
            "2025-6",
            oneOf=[{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        ),
    )
    identifier = fields.Nested(
        LinkedDataPropertyValueSchema,
        metadata=doc("A document's Federal Register document number."),
    )
    legislation_type = fields.String(
        data_key="legislationType", metadata=doc("A document's type.", "executive order")
    )
    legislation_date = fields.Date(
        data_key="legislationDate", metadata=doc("When a document was signed.", "2025-08-30")
    )
    date_published = fields.Date(
        data_key="datePublished", metadata=doc("When a document was published.", "2025-09-02")
    )
    legislation_jurisdiction = fields.Nested(
        LinkedDataAgentSchema,
        data_key="legislationJurisdiction",
        metadata=doc("A document's jurisdiction."),
    )
    legislation_passed_by = fields.Nested(
        LinkedDataAgentSchema, data_key="legislationPassedBy", metadata=doc("Who issued it.")
    )
    legislation_legal_force = fields.Nested(
        LinkedDataReferenceSchema,
        data_key="legislationLegalForce",
        metadata=doc(
            "schema.org's `LegalForceStatus`: `InForce`, `PartiallyInForce`…; a provision's "
            "follows its document's status, and a provision that binds nobody has none."
        ),
    )
    additional_property = fields.List(
        fields.Nested(LinkedDataProvisionPropertySchema),
        data_key="additionalProperty",
        metadata=doc("A provision's `modality` and `binding`, as PropertyValues."),
    )
    abstract = fields.String(metadata=doc("The summary.", "Asks federal agents to unmask."))
    headline = fields.String(metadata=doc("A provision's heading.", "Transparency"))
    text = fields.String(metadata=doc("A provision's text.", "wear and use body cameras"))
    keywords = fields.List(
        fields.String(), metadata=doc("The topics.", ["policing", "transparency"])
    )
    same_as = _url(
        "A document's official page.",
        "https://www.chicago.gov/content/city/en/depts/mayor/supp_info/protecting-chicago.html",
        data_key="sameAs",
    )
    encoding = fields.List(
        fields.Nested(LinkedDataFileSchema), metadata=doc("A document's official files.")
    )
    is_part_of = fields.Nested(
        LinkedDataReferenceSchema,
        data_key="isPartOf",
        metadata=doc("A provision's parent: a provision, or its document."),
    )
    has_part = fields.List(
        fields.Nested(LinkedDataReferenceSchema),
        data_key="hasPart",
        metadata=doc("A provision's subprovisions, or a document's provisions when included."),
    )
    date_modified = fields.AwareDateTime(
        data_key="dateModified",
        metadata=doc("When the record last changed.", "2025-09-01T12:00:00+00:00"),
    )


def _context() -> fields.String:
    return fields.String(
        data_key="@context",
        required=True,
        metadata=doc("The JSON-LD context: schema.org.", SCHEMA_ORG, enum=[SCHEMA_ORG]),
    )


class LinkedDataRecordSchema(LinkedDataNodeSchema):
    context = _context()


class LinkedDataGraphSchema(Schema):
    context = _context()
    graph = fields.List(
        fields.Nested(LinkedDataNodeSchema),
        data_key="@graph",
        required=True,
        metadata=doc("The page's records, in order."),
    )
