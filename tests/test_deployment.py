"""The compose topology rebuilt on this machine: PostgreSQL, Redis, and two app servers
started by the same start script as the container, sharing data and rate limits."""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
import yaml
from sqlalchemy import create_engine, text

from tests.conftest import PROJECT_ROOT, postgresql_url
from tests.servers import free_port

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_env_example_documents_every_setting():
    documented = set(
        re.findall(r"^#? ?([A-Z_]+)=", (PROJECT_ROOT / ".env.example").read_text(), re.M)
    )
    read = set()
    for source in ("api/config.py", "gunicorn.conf.py", "bin/start"):
        text_ = (PROJECT_ROOT / source).read_text()
        read |= set(re.findall(r"environ\.get\(\"([A-Z_]+)\"", text_))
        read |= set(re.findall(r"\$\{([A-Z_]+)", text_))
    assert read and read <= documented, read - documented


def test_compose_runs_the_start_script_image_with_postgresql_and_redis():
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16" and "healthcheck" in services["db"]
    assert "db-data" in compose["volumes"]
    assert services["app"]["build"] == "."
    assert services["app"]["environment"]["RATELIMIT_STORAGE_URI"].startswith("redis://")
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["bin/start"]' in dockerfile and "USER provisions" in dockerfile


def wait_until_ready(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            pytest.fail(f"the app server stopped: {process.stderr.read().decode()[-3000:]}")
        try:
            urllib.request.urlopen(f"{url}/readyz", timeout=1)
            return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)
    pytest.fail(f"{url} never became ready")


def status_of(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def schema_url():
    """A PostgreSQL schema of the test's own, as a database URL the start script can use."""
    url = postgresql_url()
    if url is None:
        pytest.skip("needs DATABASE_URL naming PostgreSQL")
    schema = f"deploy_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?{urlencode({'options': f'-csearch_path={schema}'})}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_two_app_servers_serve_the_same_data_and_share_the_rate_limit(schema_url, tmp_path):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DATABASE_URL": schema_url,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"smoke-{uuid.uuid4().hex}",
        "RATELIMIT_DEFAULT": "6 per minute",
        "SECRET_KEY": "smoke-test",
        "GUNICORN_WORKERS": "1",
        "EXPORT_FOLDER": str(tmp_path / "exports"),
        "CORPUS": "",  # the seeds are enough to compare two servers; the import is tested apart
    }
    servers = []
    try:
        urls = []
        for _ in range(2):
            port = free_port()
            server = subprocess.Popen(
                [str(PROJECT_ROOT / "bin" / "start")],
                env={**environment, "PORT": str(port)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            servers.append(server)
            urls.append(f"http://127.0.0.1:{port}")
        for url, server in zip(urls, servers, strict=True):
            wait_until_ready(url, server)
        tags = {urllib.request.urlopen(f"{url}/v1/documents").headers["ETag"] for url in urls}
        assert len(tags) == 1, "both servers must serve the same representation"
        # Two requests spent above; four more between the two servers reach the limit of six.
        statuses = [status_of(f"{urls[i % 2]}/v1/vocabularies") for i in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
