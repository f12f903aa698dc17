"""The contract, checked from outside: schemathesis with every check against gunicorn."""

import subprocess

import pytest

from tests.conftest import PROJECT_ROOT
from tests.servers import BIN, gunicorn, server_environment


@pytest.fixture(scope="module")
def served_url(seeded_app):
    with gunicorn(server_environment(seeded_app)) as url:
        yield url


def test_schemathesis_finds_nothing(served_url, tmp_path):
    result = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "--config-file",
            str(PROJECT_ROOT / "schemathesis.toml"),
            "run",
            f"{served_url}/v1/openapi.json",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            "40",
            "--seed",
            "1",
            "--workers",
            "2",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    report = result.stdout
    assert result.returncode == 0, report[-12000:] + result.stderr[-2000:]
    assert "Stateful" in report and "❌" not in report
