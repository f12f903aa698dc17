"""Clients generated from openapi.yaml as a user would make them (`make clients`), against gunicorn.

The Python client (openapi-python-client) calls every operation, downloads and conditional GETs
included; a TypeScript program over openapi-typescript's types compiles with `tsc --strict`
and runs. Both generate into temporary folders; the npm tools are those clients/ pins.
"""

import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
import yaml

from tests import test_contract
from tests.conftest import PROJECT_ROOT
from tests.servers import BIN
from tests.test_openapi import operations
from tests.test_openapi_generators import example_arguments

SPEC = PROJECT_ROOT / "openapi.yaml"
CLIENTS = PROJECT_ROOT / "clients"
PACKAGE = "provisions_client"
NPM, NPX, NODE = (shutil.which(tool) for tool in ("npm", "npx", "node"))
# gunicorn on a free port over the seeded database, as for the contract test.
served_url = test_contract.served_url


def run(*command, cwd: Path = PROJECT_ROOT, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generated_python_client(tmp_path_factory) -> tuple[Path, str]:
    """The folder holding the generated package, and what the generator printed."""
    folder = tmp_path_factory.mktemp("python-client")
    result = run(
        BIN / "openapi-python-client",
        "generate",
        "--path",
        SPEC,
        "--config",
        CLIENTS / "openapi-python-client.yaml",
        "--meta",
        "none",
        "--output-path",
        folder / PACKAGE,
        # Its post hooks run ruff, which is in the virtualenv.
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    return folder, result.stdout + result.stderr


@pytest.fixture(scope="module")
def python_client(generated_python_client, served_url):
    """The generated package, imported, and a client of the served API."""
    folder, _output = generated_python_client
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
        with package.Client(base_url=served_url, timeout=60.0) as client:
            yield package, client
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def operation_module(operation: dict) -> ModuleType:
    tag, name = operation["tags"][0], snake(operation["operationId"])
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{name}")


def test_the_python_client_generates_without_a_warning(generated_python_client):
    _folder, output = generated_python_client
    for symptom in ("Warning", "Unable to", "Cannot parse", "duplicate"):
        assert symptom not in output, output


def expected_body(response: dict) -> str:
    """What the generated client should return for a 200: a model's name, bytes or text."""
    content = next(iter(response["content"].values()))
    if "$ref" in content["schema"]:
        return content["schema"]["$ref"].rsplit("/", 1)[1]
    return "File" if content["schema"].get("format") == "binary" else "str"


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        pytest.param(path, operation, id=operation["operationId"])
        for path, _method, operation in operations(yaml.safe_load(SPEC.read_text("utf-8")))
    ],
)
def test_every_operation_of_the_python_client_answers_typed_and_conditionally(
    python_client, spec, path, operation
):
    _package, client = python_client
    call = operation_module(operation).sync_detailed
    arguments = example_arguments(spec, path)
    response = call(client=client, **arguments)
    assert response.status_code == 200, response.content[:500]
    assert type(response.parsed).__name__ == expected_body(operation["responses"]["200"])
    etag = response.headers["ETag"]
    again = call(client=client, if_none_match=etag, **arguments)
    assert again.status_code == 304 and again.parsed is None
    assert again.headers["ETag"] == etag


def test_the_python_client_follows_next(python_client, client):
    _package, api = python_client
    list_provisions = importlib.import_module(f"{PACKAGE}.api.provisions.list_provisions")
    ids, cursor = [], importlib.import_module(f"{PACKAGE}.types").UNSET
    for _ in range(3):
        page = list_provisions.sync(client=api, limit=5, cursor=cursor)
        ids += [provision.id for provision in page.data]
        cursor = parse_qs(urlsplit(page.links.next_).query)["cursor"][0]  # `next` is a builtin
    expected = client.get("/v1/provisions?limit=15").get_json()["data"]
    assert ids == [provision["id"] for provision in expected]


def test_the_python_client_reads_changes_and_their_links(python_client, client):
    _package, api = python_client
    list_changes = importlib.import_module(f"{PACKAGE}.api.changes.list_changes")
    page = list_changes.sync(client=api, limit=3)
    assert type(page).__name__ == "ChangesPage"
    assert page.links.poll.startswith("/v1/changes?")
    expected = client.get("/v1/changes?limit=3").get_json()["data"]
    assert [(change.sequence, change.links.record) for change in page.data] == [
        (change["sequence"], change["links"].get("record")) for change in expected
    ]
    assert all(isinstance(change.links.record, str) for change in page.data)


def test_the_python_client_downloads_the_dataset_a_collection_and_the_feed(python_client):
    _package, api = python_client
    exports = f"{PACKAGE}.api.exports"
    dataset = importlib.import_module(f"{exports}.export_dataset").sync(client=api)
    with zipfile.ZipFile(io.BytesIO(dataset.payload.read())) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        lines = archive.read("documents.ndjson").decode().splitlines()
    files = {file["name"]: file for file in manifest["files"]}
    assert len(lines) == files["documents.ndjson"]["records"] > 0

    export_collection = importlib.import_module(f"{exports}.export_collection")
    ndjson = export_collection.sync(client=api, collection="documents")
    assert ndjson.splitlines() == lines

    feed = importlib.import_module(f"{PACKAGE}.api.feeds.get_documents_feed").sync(client=api)
    parsed = feedparser.parse(feed)
    assert not parsed.bozo and parsed.entries


@pytest.fixture(scope="module")
def typescript_tools() -> Path:
    """clients/node_modules, installed from the lockfile when it is missing or older."""
    if NPM is None or NPX is None or NODE is None:
        pytest.skip("npm/npx is not installed: the TypeScript types are not checked")
    installed = CLIENTS / "node_modules" / ".package-lock.json"
    lock = CLIENTS / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        run(NPM, "ci", "--no-audit", "--no-fund", cwd=CLIENTS)
    return CLIENTS


def test_a_typescript_program_over_the_generated_types_compiles_strict_and_runs(
    typescript_tools, served_url, client, tmp_path
):
    for name in ("read_provisions.ts", "tsconfig.json"):
        shutil.copy(CLIENTS / "typescript" / name, tmp_path)
    types = tmp_path / "provisions.d.ts"
    run(NPX, "--no-install", "openapi-typescript", SPEC, "--output", types, cwd=CLIENTS)
    run(NPX, "--no-install", "tsc", "--project", tmp_path, "--strict", cwd=CLIENTS)
    script = (
        "require(process.argv[1]).readProvisions(process.argv[2], 3)"
        ".then((reading) => console.log(JSON.stringify(reading)))"
        ".catch((error) => { console.error(error); process.exit(1); });"
    )
    program = tmp_path / "dist" / "read_provisions.js"
    reading = json.loads(run(NODE, "-e", script, program, served_url).stdout)

    expected = client.get("/v1/provisions?limit=30").get_json()["data"]
    assert reading["pages"] == 3
    assert reading["provisions"] == [provision["id"] for provision in expected]
    (change,) = client.get("/v1/changes?limit=1").get_json()["data"]
    assert reading["change"] == {
        "sequence": change["sequence"],
        "action": change["action"],
        "record": change["links"].get("record"),
    }
    first = reading["provisions"][0]
    assert reading["linkedData"]["id"] == f"{served_url}/v1/provisions/{first}"
    assert reading["linkedData"]["type"] == "Legislation"
