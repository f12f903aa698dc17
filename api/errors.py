"""The errors the queries and services raise: each names its HTTP status and problem type,
and api.http.problems answers it as problem details (RFC 9457)."""

from http import HTTPStatus

INVALID_PARAMETERS = "urn:provisions:problem:invalid-parameters"
INVALID_CURSOR = "urn:provisions:problem:invalid-cursor"


class DomainError(Exception):
    """An error the service layer raises; the API turns it into a problem response."""

    status = HTTPStatus.BAD_REQUEST
    type = "about:blank"

    def __init__(self, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND

    def __init__(self, kind: str, record_id: str):
        super().__init__(f"No {kind} has the id {record_id!r}.")


class InvalidCursor(DomainError):
    type = INVALID_CURSOR

    def __init__(self, reason: str, parameter: str = "cursor"):
        super().__init__(
            f"The {parameter} cursor is not valid: {reason}.",
            [{"in": "query", "name": parameter, "message": reason}],
        )
