"""gunicorn serving a test database on a free port of 127.0.0.1, for tests that need HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

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


@contextmanager
def gunicorn(environment: dict, *options: str) -> Iterator[str]:
    """The base URL of gunicorn (two workers, and `options`) once it answers /healthz."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", *options, "--access-logfile", "/dev/null", "api:create_app()"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if server.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)  # probes are not limited
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 15 s")
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped: " + server.stderr.read().decode()[-3000:])
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
