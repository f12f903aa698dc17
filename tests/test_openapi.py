"""The contract: generated from the schemas, committed, served, valid, and documented."""

from pathlib import Path

import yaml
from openapi_spec_validator import validate

from api.cli import spec_as_yaml
from tests.conftest import PROJECT_ROOT

COMMITTED = PROJECT_ROOT / "openapi.yaml"
METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_committed_spec_matches_the_code(seeded_app):
    generated = spec_as_yaml(seeded_app)
    assert COMMITTED.read_text(encoding="utf-8") == generated, (
        "openapi.yaml is stale: run `provisions openapi write` and commit it"
    )


def test_committed_spec_is_valid_openapi_3_1():
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_every_operation_has_an_id_a_summary_and_its_error_statuses():
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    ids = []
    for path, method, operation in operations(spec):
        ids.append(operation["operationId"])
        assert operation.get("summary"), (path, method)
        assert "400" in operation["responses"], (path, method)
        if "{id}" in path:
            assert "404" in operation["responses"], (path, method)
    assert len(ids) == len(set(ids)) >= 17


def test_every_schema_field_is_described():
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    for name, schema in spec["components"]["schemas"].items():
        for field, definition in schema.get("properties", {}).items():
            assert definition.get("description"), f"{name}.{field} has no description"


def test_served_spec_equals_the_committed_one(client):
    served = client.get("/v1/openapi.json")
    assert served.status_code == 200
    assert served.get_json() == yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))


def test_docs_page_loads_its_assets_from_this_server(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/v1/openapi.json" in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/docs/assets/{asset}" in html
        response = client.get(f"/docs/assets/{asset}")
        assert response.status_code == 200 and len(response.data) > 10_000
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_write_command_writes_the_generated_spec(seeded_app, tmp_path: Path, monkeypatch):
    from api.cli import main

    monkeypatch.setattr("api.cli.create_app", lambda: seeded_app)
    target = tmp_path / "openapi.yaml"
    result = seeded_app.test_cli_runner().invoke(main, ["openapi", "write", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == spec_as_yaml(seeded_app)


def test_every_documented_example_id_exists(client):
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    for path, _method, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "path":  # a $ref (If-None-Match) is a header
                url = path.replace("{id}", parameter["example"])
                assert client.get(url).status_code == 200, url
