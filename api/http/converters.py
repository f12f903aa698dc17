"""URL converters: a path id that is not a well-formed slug never reaches the database."""

from werkzeug.routing import BaseConverter, ValidationError

from schemas.fields import SLUG_MAX_LENGTH

SLUG_REGEX = r"[a-z0-9]+(?:[-.][a-z0-9]+)*"


class SlugConverter(BaseConverter):
    regex = SLUG_REGEX

    def to_python(self, value: str) -> str:
        if len(value) > SLUG_MAX_LENGTH:
            raise ValidationError()
        return value


def slug_parameter_schema(_converter: SlugConverter) -> dict:
    return {"type": "string", "pattern": f"^{SLUG_REGEX}$", "maxLength": SLUG_MAX_LENGTH}
