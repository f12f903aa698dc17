"""Field builders shared by every schema, so each rule (slug, term, length) is written once."""

from typing import Any

from marshmallow import fields, validate

SLUG_PATTERN = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"
SLUG_MAX_LENGTH = 200
TOPIC_MAX_LENGTH = 100
SHORT_TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 20_000
URL_MAX_LENGTH = 2000


def doc(description: str, example: Any = None, **extra: Any) -> dict:
    """OpenAPI metadata for a field: a description and, when given, an example."""
    metadata = {"description": description, **extra}
    if example is not None:
        metadata["example"] = example
    return metadata


def slug(description: str, example: str, **kwargs: Any) -> fields.String:
    """A readable, stable identifier."""
    return fields.String(
        validate=[
            validate.Length(min=1, max=SLUG_MAX_LENGTH),
            validate.Regexp(SLUG_PATTERN, error="Not a valid id: use a-z, 0-9, '-' and '.'."),
        ],
        metadata=doc(description, example),
        **kwargs,
    )


def slug_list(description: str, example: list[str], **kwargs: Any) -> fields.List:
    return fields.List(
        slug(description, example[0] if example else "id"),
        metadata=doc(description, example),
        **kwargs,
    )


def term(vocabulary: dict[str, str], description: str, **kwargs: Any) -> fields.String:
    """A term from one of the controlled vocabularies."""
    return fields.String(
        validate=validate.OneOf(list(vocabulary)),
        metadata=doc(description, next(iter(vocabulary))),
        **kwargs,
    )


def text(
    description: str,
    example: str | None = None,
    *,
    long: bool = False,
    max_length: int | None = None,
    **kwargs: Any,
):
    limit = max_length or (LONG_TEXT_MAX_LENGTH if long else SHORT_TEXT_MAX_LENGTH)
    return fields.String(
        validate=validate.Length(min=1, max=limit), metadata=doc(description, example), **kwargs
    )


def topics(description: str, **kwargs: Any) -> fields.List:
    return fields.List(
        fields.String(
            validate=[
                validate.Length(min=1, max=TOPIC_MAX_LENGTH),
                validate.Regexp(SLUG_PATTERN, error="Not a valid topic: use a-z, 0-9 and '-'."),
            ]
        ),
        metadata=doc(description, ["immigration-enforcement", "policing"]),
        **kwargs,
    )


def url(description: str, example: str = "https://www.chicago.gov/", **kwargs: Any) -> fields.Url:
    return fields.Url(
        validate=validate.Length(max=URL_MAX_LENGTH), metadata=doc(description, example), **kwargs
    )


def fraction(description: str, example: float, **kwargs: Any) -> fields.Float:
    """A number from 0 to 1 (stored to three decimals: see api.storage.models.Fraction)."""
    return fields.Float(
        validate=validate.Range(min=0, max=1),
        metadata=doc(description, example),
        **kwargs,
    )


def day(description: str, example: str | None = None, **kwargs: Any) -> fields.Date:
    return fields.Date(metadata=doc(description, example), **kwargs)
