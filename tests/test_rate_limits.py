"""Rate limits hold as documented: counted across one server's workers, whatever the storage."""

import multiprocessing
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from api.config import Config
from tests.servers import gunicorn, server_environment

LIMIT = 10
REQUESTS = 60


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def limited_server(seeded_app):
    """gunicorn with two workers, limits on, counted in the default storage."""
    environment = {
        **server_environment(seeded_app),
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_DEFAULT": f"{LIMIT} per minute",
    }
    environment.pop("RATELIMIT_STORAGE_URI", None)
    with gunicorn(environment, "--threads", "4") as url:
        yield url


def test_two_workers_admit_no_more_than_the_limit(limited_server):
    # Many at once, each on a connection of its own, so that both workers take some.
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(status_of, [f"{limited_server}/v1"] * REQUESTS))
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == REQUESTS - LIMIT, statuses


def count_in_a_child(storage, hits: int, admitted) -> None:
    limiter = FixedWindowRateLimiter(storage)
    admitted.value = sum(limiter.hit(parse("25 per minute"), "client") for _ in range(hits))


def test_the_default_storage_is_shared_with_forked_workers():
    """What gunicorn does with the preloaded app: make the storage, then fork the workers."""
    storage = storage_from_string(Config.RATELIMIT_STORAGE_URI)
    limiter = FixedWindowRateLimiter(storage)
    limit = parse("25 per minute")
    assert sum(limiter.hit(limit, "client") for _ in range(10)) == 10
    context = multiprocessing.get_context("fork")
    admitted = [context.Value("i", 0) for _ in range(2)]
    children = [
        context.Process(target=count_in_a_child, args=(storage, 10, value)) for value in admitted
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=30)
        assert child.exitcode == 0
    assert sum(value.value for value in admitted) == 15
    assert limiter.get_window_stats(limit, "client").remaining == 0


def test_the_default_storage_counts_expires_and_clears():
    storage = storage_from_string(Config.RATELIMIT_STORAGE_URI)
    assert storage.check()
    assert storage.get("a") == 0
    assert [storage.incr("a", 1) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("a", 1, amount=2) == 5
    assert storage.get("a") == 5
    assert time.time() < storage.get_expiry("a") <= time.time() + 1
    time.sleep(1.1)
    assert storage.get("a") == 0
    assert storage.incr("a", 60) == 1  # a new window, with its own expiry
    assert storage.get_expiry("a") > time.time() + 58
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1
    assert storage.get("b") == 0
