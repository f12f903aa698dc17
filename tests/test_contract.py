"""The contract, checked from outside: schemathesis with every check against gunicorn."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import PROJECT_ROOT

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(app) -> dict:
    """The seeded app's database, for a server process (the test schema goes in the URL)."""
    url = app.config["DATABASE_URL"]
    options = app.config["DATABASE_ENGINE_OPTIONS"].get("connect_args", {}).get("options")
    if options:
        url = f"{url}?{urlencode({'options': options})}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "EXPORT_FOLDER": app.config["EXPORT_FOLDER"],
        "RATELIMIT_ENABLED": "false",
    }


@pytest.fixture(scope="module")
def served_url(seeded_app):
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--access-logfile", "/dev/null", "api:create_app()"],
        cwd=PROJECT_ROOT,
        env=server_environment(seeded_app),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + server.stderr.read1().decode())
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


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
