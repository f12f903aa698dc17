"""Settings, each read from the environment."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'instance' / 'provisions.sqlite3'}"


class Config:
    DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    DATABASE_ENGINE_OPTIONS: dict = {}
    # Signs pagination cursors; every app server of one deployment must share it.
    SECRET_KEY = os.environ.get("SECRET_KEY", "provisions-development-key")
    # How long clients and shared caches may reuse a response without asking again.
    CACHE_MAX_AGE = int(os.environ.get("CACHE_MAX_AGE", "60"))
    # How often each process re-reads the dataset stamp that ETags are made from: a server
    # notices a new load within this many seconds (0: on every request).
    DATASET_STAMP_TTL_SECONDS = float(os.environ.get("DATASET_STAMP_TTL_SECONDS", "1"))
    # How much rendered HTML each process keeps to answer the same page again until the data
    # changes (api/http/page_cache.py); 0 renders every page on every request.
    PAGE_CACHE_BYTES = int(os.environ.get("PAGE_CACHE_BYTES", str(8 * 1024 * 1024)))

    # Per-client rate limits (Flask-Limiter syntax), one budget across every operation, each
    # limit holding as written across all the workers of one server.
    RATELIMIT_DEFAULT = os.environ.get("RATELIMIT_DEFAULT", "600 per minute; 20 per second")
    # sqlite:// counts in a file the server makes and its workers share (api/http/
    # rate_limit_storage.py); redis://host:6379/0 shares the limits between app servers too.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "sqlite://")
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "true").lower() != "false"
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "provisions")

    # Relevance ranking scores every match: a query matching more records than this is listed
    # in index order instead, so that no search costs seconds.
    SEARCH_RANK_LIMIT = int(os.environ.get("SEARCH_RANK_LIMIT", "10000"))

    # Requests: this API takes no bodies; long query strings are refused before parsing.
    MAX_CONTENT_LENGTH = 64 * 1024
    MAX_QUERY_STRING_LENGTH = 8000
    # PostgreSQL: give up on a statement, or on connecting, after this long.
    STATEMENT_TIMEOUT_MS = int(os.environ.get("STATEMENT_TIMEOUT_MS", "10000"))
    CONNECT_TIMEOUT_SECONDS = int(os.environ.get("CONNECT_TIMEOUT_SECONDS", "3"))
    # PostgreSQL: a pooled connection idle this long is checked before use (0: always).
    DATABASE_PING_AFTER_IDLE_SECONDS = float(
        os.environ.get("DATABASE_PING_AFTER_IDLE_SECONDS", "0.5")
    )
    # Sent with 503 when the database cannot be reached.
    RETRY_AFTER_SECONDS = 5

    # The Federal Register API that `provisions import federal-register --fetch` asks, and
    # how many requests a second it sends there at most.
    FEDERAL_REGISTER_API_URL = os.environ.get(
        "FEDERAL_REGISTER_API_URL", "https://www.federalregister.gov"
    )
    FEDERAL_REGISTER_REQUESTS_PER_SECOND = float(
        os.environ.get("FEDERAL_REGISTER_REQUESTS_PER_SECOND", "5")
    )

    # Where the dataset ZIP is built and kept, once per dataset version.
    EXPORT_FOLDER = os.environ.get("EXPORT_FOLDER", str(PROJECT_ROOT / "instance" / "exports"))

    API_TITLE = "provisions"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "v1/openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"
