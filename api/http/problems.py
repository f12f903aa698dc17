"""One error shape: RFC 9457 problem details, for domain errors and HTTP errors alike."""

from http import HTTPStatus

from flask import Response, current_app, json
from werkzeug.exceptions import HTTPException, InternalServerError

from api.errors import INVALID_PARAMETERS, DomainError

PROBLEM_MEDIA_TYPE = "application/problem+json"


def database_error_response(error: Exception) -> Response:
    """The database is down or too slow: tell the client when to come back."""
    current_app.logger.warning("Database unavailable: %s", error.__class__.__name__)
    return problem_response(
        503,
        getattr(error, "detail", None)
        or "The database is unavailable or did not answer in time; try again shortly.",
        headers={"Retry-After": str(current_app.config["RETRY_AFTER_SECONDS"])},
    )


def problem_response(
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    errors: list[dict] | None = None,
    headers: dict | None = None,
) -> Response:
    body = {"type": type_, "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE
    )
    response.headers.extend(headers or {})
    return response


def domain_error_response(error: DomainError) -> Response:
    return problem_response(error.status, error.detail, type_=error.type, errors=error.errors)


def http_error_response(error: HTTPException) -> Response:
    """Any werkzeug HTTP error (404, 405, 413, webargs' 400, a 500) as a problem."""
    if isinstance(error, InternalServerError):
        original = getattr(error, "original_exception", None)
        if original is not None:
            current_app.logger.exception("Unhandled error", exc_info=original)
        return problem_response(500, "The server failed to answer this request.")
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = _parameter_errors(data.get("messages"))
    if errors:
        names = ", ".join(sorted({error["name"] for error in errors}))
        return problem_response(
            status,
            f"Invalid request parameter(s): {names}.",
            type_=INVALID_PARAMETERS,
            errors=errors,
        )
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    return problem_response(status, error.description or HTTPStatus(status).phrase, headers=headers)


def _parameter_errors(messages: dict | None) -> list[dict]:
    """webargs' {'query': {'limit': [m]}} as [{'in': 'query', 'name': 'limit', 'message': m}]."""
    errors = []
    for location, fields in (messages or {}).items():
        for name, field_messages in fields.items():
            errors.extend(
                {"in": location, "name": name, "message": message}
                for message in _messages_of(field_messages)
            )
    return errors


def _messages_of(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages_of(item)]
    if isinstance(value, list):
        return [message for item in value for message in _messages_of(item)]
    return [str(value)]
