"""Every route in the URL map answers bad requests with problem+json and the right status."""

import re

import pytest

from api import create_app
from tests.conftest import assert_problem

EXAMPLE_VALUES = {
    "id": "chicago-eo-2025-6",
    "collection": "provisions",
    "filename": "swagger-ui.css",
}


def concrete_paths() -> list[str]:
    """One real URL for each rule of the app's URL map."""
    app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
    paths = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: EXAMPLE_VALUES[m.group(1)], rule.rule)
        paths.add(path)
    return sorted(paths)


PATHS = concrete_paths()


def test_the_table_covers_every_route():
    assert len(PATHS) >= 25
    assert "/v1/documents/chicago-eo-2025-6/provisions" in PATHS


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_wrong_method_is_405_with_allow(client, path, method):
    response = client.open(path, method=method)
    assert_problem(response, 405)
    assert {"GET", "HEAD", "OPTIONS"} <= set(response.headers["Allow"].split(", "))


@pytest.mark.parametrize("path", PATHS)
def test_an_unknown_route_beside_it_is_404(client, path):
    assert_problem(client.get(path.rstrip("/") + "/no-such-thing/at-all"), 404)


@pytest.mark.parametrize("path", PATHS)
def test_an_oversized_body_is_413(client, path):
    assert_problem(client.get(path, data=b"{" * (64 * 1024 + 1)), 413)


@pytest.mark.parametrize("path", PATHS)
def test_malformed_json_is_400(client, path):
    body = assert_problem(
        client.get(path, data='{"unclosed": ', content_type="application/json"), 400
    )
    assert "no request body" in body["detail"]


@pytest.mark.parametrize("path", PATHS)
def test_no_traceback_sql_or_path_reaches_the_client(client, path):
    for response in (
        client.delete(path),
        client.get(path + "?" + "x=1&" * 3000),
        client.get(path + "?limit=%00"),
    ):
        text = response.get_data(as_text=True)
        assert "Traceback" not in text and "SELECT" not in text and "site-packages" not in text
