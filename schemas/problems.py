"""The error shape (RFC 9457 problem details), for the spec."""

from marshmallow import Schema, fields

from schemas.fields import doc


class ParameterErrorSchema(Schema):
    in_ = fields.String(
        data_key="in",
        required=True,
        metadata=doc("Where the parameter was sent.", "query", enum=["query", "path", "json"]),
    )
    name = fields.String(required=True, metadata=doc("The parameter's name.", "limit"))
    message = fields.String(
        required=True, metadata=doc("What is wrong with it.", "Must be between 1 and 100.")
    )


class ProblemSchema(Schema):
    type = fields.String(
        required=True,
        metadata=doc(
            "URI naming the kind of problem: `about:blank` for plain HTTP errors, "
            "`urn:provisions:problem:invalid-parameters` for bad parameters, "
            "`urn:provisions:problem:invalid-cursor` for a forged, stale or mismatched cursor.",
            "urn:provisions:problem:invalid-parameters",
        ),
    )
    title = fields.String(required=True, metadata=doc("The HTTP status phrase.", "Bad Request"))
    status = fields.Integer(required=True, metadata=doc("The HTTP status code.", 400))
    detail = fields.String(
        required=True,
        metadata=doc("What went wrong, for a person.", "Invalid request parameter(s): limit."),
    )
    errors = fields.List(
        fields.Nested(ParameterErrorSchema),
        metadata=doc("For invalid parameters: each parameter and what is wrong with it."),
    )
