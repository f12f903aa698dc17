"""schemathesis, with every check, against the served spec of the seeded API."""

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PROJECT_ROOT

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture(scope="module")
def served_url(seeded_app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, seeded_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_schemathesis_finds_nothing(served_url, tmp_path):
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(PROJECT_ROOT / "schemathesis.toml"),
            "run",
            f"{served_url}/v1/openapi.json",
            "--checks",
            "all",
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
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
