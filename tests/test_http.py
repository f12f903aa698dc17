"""HTTP behaviour every client relies on: caching, CORS, rate limits, limits, headers, probes."""

import contextlib
import re
import time
import uuid

import pytest
import redis
from sqlalchemy import event

from api.http import finishing
from api.seeding import load_dataset, read_seeds
from api.storage import database
from tests.conftest import (
    CHICAGO_ORDER,
    SEEDS,
    assert_problem,
    isolated_database,
    load_seeds,
    make_app,
)

GETS = [
    "/v1",
    "/v1/documents",
    f"/v1/documents/{CHICAGO_ORDER}?include=provisions",
    "/v1/provisions?modality=urges",
    "/v1/search?q=guard",
    "/v1/timeline",
    "/v1/changes",
    "/v1/vocabularies",
    "/v1/export/provisions.ndjson",
    "/v1/export/dataset.zip",
    "/v1/documents.atom",
    "/v1/openapi.json",
]


@pytest.mark.parametrize("url", GETS)
def test_every_get_has_a_strong_etag_and_a_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    etag, weak = first.get_etag()
    assert etag and not weak
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_the_etag_differs_by_representation(client):
    as_json = client.get("/v1/documents")
    as_csv = client.get("/v1/documents", headers={"Accept": "text/csv"})
    assert as_json.headers["ETag"] != as_csv.headers["ETag"]
    assert client.get("/v1/documents").headers["ETag"] == as_json.headers["ETag"]
    stale = client.get("/v1/documents", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200


def test_a_304_is_answered_before_the_view_without_any_query(tmp_path):
    with isolated_database(tmp_path) as settings:
        app = make_app({**settings, "DATASET_STAMP_TTL_SECONDS": 3600})
        load_seeds(app)
        client = app.test_client()
        url = "/v1/provisions?modality=urges&limit=2"
        first = client.get(url)
        with app.app_context():
            engine = database.engine()
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        assert statements == []
        assert again.headers["ETag"] == first.headers["ETag"]
        assert again.headers["Cache-Control"] == "public, max-age=60"
        other_page = client.get(
            url.replace("=2", "=3"), headers={"If-None-Match": first.headers["ETag"]}
        )
        assert other_page.status_code == 200
        assert other_page.headers["ETag"] != first.headers["ETag"]


def test_a_load_that_changes_the_data_changes_every_tag(tmp_path):
    with isolated_database(tmp_path) as settings:
        app = make_app(settings)
        load_seeds(app)
        client = app.test_client()
        before = client.get("/v1/documents").headers["ETag"]
        dataset = read_seeds(SEEDS)
        dataset.rows["documents"][0]["title"] += " (amended)"
        with app.app_context():
            load_dataset(database.engine(), dataset)
        after = client.get("/v1/documents", headers={"If-None-Match": before})
        assert after.status_code == 200
        assert after.headers["ETag"] != before
        assert "(amended)" in after.get_data(as_text=True)


# Headers a 304 carries when they would be on the 200 (RFC 9110 15.4.5), and our own.
KEPT_ON_304 = (
    "ETag",
    "Cache-Control",
    "Vary",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
)


@pytest.mark.parametrize(
    ("url", "accept"),
    [
        ("/v1/provisions?modality=urges", None),
        ("/v1/documents", "text/csv"),
        (f"/v1/documents/{CHICAGO_ORDER}", "application/ld+json"),
        ("/v1/vocabularies", None),
        ("/v1/export/provisions.ndjson", None),
    ],
)
def test_a_304_carries_the_headers_of_the_200(client, url, accept):
    headers = {"Accept": accept} if accept else {}
    first = client.get(url, headers=headers)
    again = client.get(url, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    for name in KEPT_ON_304:
        assert again.headers.get(name) == first.headers.get(name), name
    assert len(again.headers["X-Request-ID"]) == 32
    given = client.get(
        url, headers={**headers, "If-None-Match": first.headers["ETag"], "X-Request-ID": "abc-1"}
    )
    assert given.headers["X-Request-ID"] == "abc-1"
    head = client.head(url, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert head.status_code == 304


def test_a_tag_is_only_good_for_its_own_host_on_absolute_links(client):
    url = f"/v1/documents/{CHICAGO_ORDER}"
    linked_data = {"Accept": "application/ld+json"}
    first = client.get(url, headers=linked_data, base_url="http://one.example")
    elsewhere = client.get(
        url,
        headers={**linked_data, "If-None-Match": first.headers["ETag"]},
        base_url="http://two.example",
    )
    assert elsewhere.status_code == 200
    assert "two.example" in elsewhere.get_data(as_text=True)


def test_a_matching_tag_does_not_hide_what_flask_would_refuse(client):
    first = client.get("/v1/documents")
    tag = {"If-None-Match": first.headers["ETag"]}
    assert_problem(client.get("/v1/documents", headers={**tag, "Accept": "image/png"}), 406)
    assert_problem(client.get("/v1/documents", headers=tag, data=b"x"), 400)
    assert_problem(client.get("/v1/nowhere", headers=tag), 404)
    assert_problem(client.post("/v1/documents", headers=tag), 405)
    star = client.get("/v1/documents", headers={"If-None-Match": "*"})
    assert star.status_code == 304


def test_conditional_gets_answered_304_are_not_counted_against_the_limit(limited_app, tmp_path):
    client = limited_app(tmp_path).test_client()
    first = client.get("/v1/vocabularies")
    tag = {"If-None-Match": first.headers["ETag"]}
    assert [client.get("/v1/vocabularies", headers=tag).status_code for _ in range(5)] == [304] * 5
    assert client.get("/v1/vocabularies").headers["X-RateLimit-Remaining"] == "1"


def test_negotiated_responses_vary_on_accept(client):
    assert "Accept" in client.get("/v1/documents").headers["Vary"]


def test_cache_max_age_is_configurable(tmp_path):
    with isolated_database(tmp_path) as settings:
        app = make_app({**settings, "CACHE_MAX_AGE": 3600})
        response = app.test_client().get("/v1/vocabularies")
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_errors_are_not_cached(client):
    assert client.get("/v1/documents/nope").headers["Cache-Control"] == "no-store"


def test_cors_allows_reading_from_any_origin(client):
    response = client.get("/v1/documents", headers={"Origin": "https://newsroom.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {
        h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "link", "x-ratelimit-limit", "x-ratelimit-remaining", "retry-after"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_preflight_allows_only_reads(client):
    response = client.options(
        "/v1/documents",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    allowed = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    refused = client.options(
        "/v1/documents",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "DELETE"},
    )
    # The browser compares the method it asked for with those allowed, and refuses DELETE.
    assert "DELETE" not in refused.headers.get("Access-Control-Allow-Methods", "")


@pytest.mark.parametrize("url", ["/v1/documents", "/v1/nope", "/docs", "/healthz"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    if url == "/docs":
        assert "script-src 'self'" in policy
    else:
        assert policy.startswith("default-src 'none'")


def test_request_bodies_are_refused(client):
    assert_problem(client.get("/v1/documents", data=b"x" * (64 * 1024 + 1)), 413)
    body = assert_problem(
        client.get("/v1/documents", data="{malformed", content_type="application/json"), 400
    )
    assert "no request body" in body["detail"]


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_readiness_fails_on_a_database_without_the_schema(tmp_path):
    from api import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "TESTING": True})
    body = assert_problem(app.test_client().get("/readyz"), 503)
    assert "provisions db upgrade" in body["detail"]
    assert app.test_client().get("/readyz").headers["Retry-After"]
    assert app.test_client().get("/healthz").status_code == 200


@pytest.fixture
def limited_app():
    """Makes seeded apps limited to 3 requests a minute, each on a database kept until the
    test ends."""
    with contextlib.ExitStack() as stack:

        def make(folder, **settings):
            database_settings = stack.enter_context(isolated_database(folder))
            app = make_app(
                {**database_settings, "RATELIMIT_ENABLED": True,
                 "RATELIMIT_DEFAULT": "3 per minute", **settings}
            )  # fmt: skip
            load_seeds(app)
            return app

        yield make


def test_rate_limit_answers_429_problem_with_retry_after(limited_app, tmp_path):
    client = limited_app(tmp_path).test_client()
    responses = [client.get("/v1/vocabularies") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    for response in responses[:3]:
        assert response.headers["X-RateLimit-Limit"] == "3"
    assert [r.headers["X-RateLimit-Remaining"] for r in responses[:3]] == ["2", "1", "0"]
    body = assert_problem(responses[3], 429)
    assert int(responses[3].headers["Retry-After"]) > 0
    assert "3 per 1 minute" in body["detail"]
    assert client.get("/healthz").status_code == 200  # probes are never limited


def test_rate_limit_headers_describe_the_binding_window(limited_app, tmp_path):
    """Of two limits, the headers follow the one that runs out first: here the hour's."""
    client = limited_app(tmp_path, RATELIMIT_DEFAULT="5 per minute; 3 per hour").test_client()
    started = time.time()
    responses = [client.get("/v1/vocabularies") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.headers["X-RateLimit-Limit"] for r in responses] == ["3"] * 4
    assert [r.headers["X-RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
    for response in responses:
        assert started + 3590 < int(response.headers["X-RateLimit-Reset"]) <= time.time() + 3601
    assert 3590 < int(responses[3].headers["Retry-After"]) <= 3600


def test_when_two_windows_are_spent_retry_after_waits_for_the_longer(limited_app, tmp_path):
    client = limited_app(tmp_path, RATELIMIT_DEFAULT="3 per second; 3 per minute").test_client()
    responses = [client.get("/v1/vocabularies") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[3].headers["X-RateLimit-Limit"] == "3"
    assert 50 < int(responses[3].headers["Retry-After"]) <= 60


@pytest.mark.parametrize("url", ["/v1/vocabularies", "/v1/documents/nope", "/v1/changes?since=x"])
def test_retry_after_comes_only_with_429_and_503(limited_app, tmp_path, url):
    response = limited_app(tmp_path).test_client().get(url)
    assert response.status_code in (200, 400, 404)
    assert response.headers["X-RateLimit-Remaining"] == "2"
    assert "Retry-After" not in response.headers


def test_clients_are_limited_separately(limited_app, tmp_path):
    client = limited_app(tmp_path).test_client()
    for _ in range(3):
        client.get("/v1", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert client.get("/v1", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429
    assert client.get("/v1", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200


def redis_url() -> str:
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    return url


def test_app_servers_share_the_limit_through_redis(limited_app, tmp_path):
    url = redis_url()
    prefix = f"test-{uuid.uuid4().hex}"
    shared = {"RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix}
    first = limited_app(tmp_path / "a", **shared).test_client()
    second = limited_app(tmp_path / "b", **shared).test_client()
    statuses = [(first if i % 2 else second).get("/v1").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_debug_is_off_unless_asked_for(seeded_app):
    assert seeded_app.debug is False
    assert seeded_app.config["PROPAGATE_EXCEPTIONS"] is not True or seeded_app.testing


def test_postgresql_sessions_have_a_statement_timeout(seeded_app):
    from sqlalchemy import text

    from api.storage import database

    with seeded_app.app_context(), database.engine().connect() as connection:
        if connection.dialect.name != "postgresql":
            pytest.skip("a PostgreSQL setting")
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "10s"


def test_in_process_limits_restart_their_timer_one_thread_at_a_time():
    """limits 5.8's MemoryStorage can start one expiry timer from two threads (a 500 under
    gthread); locked-memory:// restarts it under a lock."""
    import threading

    from limits.storage import storage_from_string

    storage = storage_from_string("locked-memory://")
    storage.timer.cancel()
    storage.timer.join()
    finished = threading.Event()

    def schedule():
        storage._MemoryStorage__schedule_expiry()
        finished.set()

    with storage._expiry_lock:
        thread = threading.Thread(target=schedule)
        thread.start()
        assert not finished.wait(0.3), "scheduling went ahead without the lock"
    assert finished.wait(5)
    thread.join()
    assert storage.timer.is_alive() or storage.timer.finished.is_set()


@pytest.mark.parametrize(
    "url, headers",
    [
        ("/v1/documents?limit=2", {}),
        ("/v1/provisions?limit=2", {"Origin": "https://app.example", "Accept": "text/csv"}),
        ("/healthz", {"Origin": "https://app.example"}),
        ("/v1/nope", {}),
    ],
)
def test_cors_headers_written_for_flask_cors_are_its_own(client, monkeypatch, url, headers):
    """api.http.finishing writes a GET's CORS headers itself; Flask-CORS would write the same."""
    ours = client.get(url, headers=headers)
    monkeypatch.setattr(finishing, "CORS_PATHS", re.compile(r"(?!)"))  # matches nothing
    theirs = client.get(url, headers=headers)
    varying = ("Date", "X-Request-ID")
    assert [(k, v) for k, v in ours.headers.items() if k not in varying] == [
        (k, v) for k, v in theirs.headers.items() if k not in varying
    ]
    assert ours.headers["Access-Control-Allow-Origin"] == "*"
