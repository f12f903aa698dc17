"""The shape of the seed files: the record schemas, plus what only the files carry."""

from marshmallow import fields, validate

from schemas import fields as define
from schemas.records import DocumentSchema, ProvisionSchema

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class SeedProvisionSchema(ProvisionSchema):
    key = fields.String(
        load_only=True,
        required=True,
        validate=[
            validate.Length(min=1, max=60),
            validate.Regexp(KEY_PATTERN, error="Not a valid key: use a-z, 0-9 and '-'."),
        ],
        metadata=define.doc("Key of the provision among its siblings; part of its id."),
    )
    provisions = fields.List(
        fields.Nested(lambda: SeedProvisionSchema()), load_default=list, load_only=True
    )


class SeedDocumentSchema(DocumentSchema):
    provisions = fields.List(fields.Nested(SeedProvisionSchema), required=True, load_only=True)
