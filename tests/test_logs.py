"""Request ids and structured logs."""

import json
import logging

from api.http.logs import JSONFormatter


def test_a_request_id_is_returned_as_given(client):
    response = client.get("/v1", headers={"X-Request-ID": "newsroom-42.a_b"})
    assert response.headers["X-Request-ID"] == "newsroom-42.a_b"


def test_a_missing_or_unsafe_request_id_is_replaced(client):
    made = client.get("/v1").headers["X-Request-ID"]
    assert len(made) == 32
    unsafe = client.get("/v1", headers={"X-Request-ID": "bad id <script>" + "x" * 200})
    replaced = unsafe.headers["X-Request-ID"]
    assert len(replaced) == 32 and replaced.isalnum()


def test_errors_carry_the_request_id_too(client):
    response = client.get("/v1/nope", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 404 and response.headers["X-Request-ID"] == "trace-me"


def test_log_lines_are_json_naming_the_request(seeded_app):
    formatter = JSONFormatter()
    with seeded_app.test_request_context("/v1", headers={"X-Request-ID": "abc"}):
        seeded_app.preprocess_request()
        record = logging.LogRecord("api", logging.WARNING, __file__, 1, 'said "%s"', ("hi",), None)
        line = json.loads(formatter.format(record))
    assert line["request_id"] == "abc"
    assert line["message"] == 'said "hi"' and line["level"] == "WARNING"
