"""The committed spec as client generators read it: typed by default, with no model dropped.

openapi-python-client and openapi-typescript type a response by its first media type, name the
model of an inline object after its parent and property, type an object with no properties as
empty, and skip media types they do not know. tests/test_clients.py runs both generators.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml

from tests.conftest import PROJECT_ROOT
from tests.test_openapi import operations

COMMITTED = PROJECT_ROOT / "openapi.yaml"
PYTHON_CLIENT_CONFIG = PROJECT_ROOT / "clients" / "openapi-python-client.yaml"
JSON = "application/json"
# What each download is to a generated client: bytes or text.
DOWNLOADS = {
    "application/zip": "bytes",
    "application/x-ndjson": "text",
    "application/atom+xml": "text",
    "text/csv": "text",
}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def spec() -> dict:
    return load(COMMITTED)


def successes(spec: dict) -> Iterator[tuple[str, dict]]:
    for path, method, operation in operations(spec):
        yield f"{method.upper()} {path}", operation["responses"]["200"]


def test_json_is_the_first_media_type_of_every_response_that_has_it(spec):
    for name, response in successes(spec):
        media_types = list(response.get("content", {}))
        if JSON in media_types:
            assert media_types[0] == JSON, (name, media_types)


def test_downloads_are_described_as_bytes_or_text(spec):
    seen = set()
    for name, response in successes(spec):
        for media_type, content in response["content"].items():
            if media_type in DOWNLOADS:
                seen.add(media_type)
                expected = {"type": "string"}
                if DOWNLOADS[media_type] == "bytes":
                    expected["format"] = "binary"
                schema = {k: v for k, v in content["schema"].items() if k != "description"}
                assert schema == expected, (name, media_type)
    assert seen == set(DOWNLOADS)


def python_client_reads(media_type: str, overrides: dict[str, str]) -> str | None:
    """How openapi-python-client 0.29 reads a body of `media_type`: json, bytes, text, or not."""
    media_type = overrides.get(media_type, media_type)
    if media_type == JSON or media_type.endswith("+json"):
        return "json"
    if media_type.startswith("text/"):
        return "text"
    return "bytes" if media_type == "application/octet-stream" else None


def test_the_python_client_reads_every_media_type_with_the_committed_config(spec):
    overrides = load(PYTHON_CLIENT_CONFIG).get("content_type_overrides", {})
    for name, response in successes(spec):
        for media_type in response["content"]:
            read_as = python_client_reads(media_type, overrides)
            assert read_as == DOWNLOADS.get(media_type, "json"), (name, media_type, read_as)


def pascal(*words: str) -> str:
    """A class name as generators make one from a schema's and a property's names."""
    parts = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", " ".join(words))
    return "".join(part[:1].upper() + part[1:] for part in parts)


def inline_models(parent: str, schema: dict) -> Iterator[tuple[str, str]]:
    """(model name, where) for each model a generator makes of `schema`'s inline objects
    and enums: `<Parent><Property>`, `<Parent><Property>Item` for a list's items."""
    for prop, inline in schema.get("properties", {}).items():
        name = pascal(parent, prop)
        if "array" in types(inline):
            name, inline = f"{name}Item", inline.get("items", {})
        if "object" in types(inline) or "properties" in inline or "enum" in inline:
            yield name, f"{parent}.{prop}"
            yield from inline_models(name, inline)


def types(schema: dict) -> list[str]:
    kind = schema.get("type", [])
    return kind if isinstance(kind, list) else [kind]


def test_no_generated_model_takes_the_name_of_another(spec):
    """openapi-python-client drops both schemas when two models would share a name (the
    inline `Change.links` and the `ChangeLinks` component did)."""
    schemas = spec["components"]["schemas"]
    taken = {pascal(name): f"the {name} component" for name in schemas}
    assert len(taken) == len(schemas)
    for component, schema in schemas.items():
        for name, where in inline_models(component, schema):
            assert name not in taken, f"{where} makes {name}, as does {taken[name]}"
            taken[name] = where


def schemas_in(node, where: str = "") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if "object" in types(node) or "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from schemas_in(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from schemas_in(value, f"{where}/{i}")


def test_every_object_schema_says_what_it_holds(spec):
    """An object with neither properties nor additionalProperties is, to openapi-typescript,
    `Record<string, never>`: nothing in it can be read."""
    for where, schema in schemas_in(spec):
        if "object" in types(schema):
            assert "properties" in schema or "additionalProperties" in schema, where


def test_every_get_documents_its_conditional_form(spec):
    components = spec["components"]
    (if_none_match,) = [
        name
        for name, parameter in components["parameters"].items()
        if parameter["in"] == "header" and parameter["name"] == "If-None-Match"
    ]
    not_modified = components["responses"]["NOT_MODIFIED"]
    assert not_modified["headers"]["ETag"] == {"$ref": "#/components/headers/ETAG"}
    assert "content" not in not_modified
    assert components["headers"]["ETAG"]["schema"] == {"type": "string"}
    for path, method, operation in operations(spec):
        assert method == "get", path
        parameters = operation["parameters"]
        assert {"$ref": f"#/components/parameters/{if_none_match}"} in parameters, path
        assert operation["responses"]["304"] == {"$ref": "#/components/responses/NOT_MODIFIED"}
        etag = operation["responses"]["200"]["headers"]["ETag"]
        assert etag == {"$ref": "#/components/headers/ETAG"}, path


def example_arguments(spec: dict, path: str) -> dict[str, str]:
    """Parameters of `path` that answer 200: the spec's examples, and a search."""
    arguments = {
        parameter["name"]: parameter.get("example") or parameter["schema"]["enum"][0]
        for parameter in spec["paths"][path].get("parameters", [])
    }
    return arguments | ({"q": "body"} if path == "/v1/search" else {})


def example_url(spec: dict, path: str) -> str:
    query = {}
    for name, value in example_arguments(spec, path).items():
        if "{" + name + "}" in path:
            path = path.replace("{" + name + "}", value)
        else:
            query[name] = value
    return f"{path}?{urlencode(query)}" if query else path


def test_every_documented_get_answers_304_to_its_etag(spec, client):
    """What the spec says is what the server does (api.http.caching)."""
    for path, _method, _operation in operations(spec):
        url = example_url(spec, path)
        response = client.get(url)
        assert response.status_code == 200, url
        etag = response.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.headers["ETag"] == etag and not again.data, url
