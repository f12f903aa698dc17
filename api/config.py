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
    # Where the dataset ZIP is built and kept, once per dataset version.
    EXPORT_FOLDER = os.environ.get("EXPORT_FOLDER", str(PROJECT_ROOT / "instance" / "exports"))

    API_TITLE = "provisions"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "v1/openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"
