"""The application factory."""

from pathlib import Path

import flask_swagger_ui
from flask import Flask, send_from_directory
from flask.sessions import SessionInterface

from api import routes
from api.config import Config
from api.http import caching, finishing, logs, negotiation, protection
from api.http.converters import SlugConverter, slug_parameter_schema
from api.http.framework import Api
from api.routes import embeds, pages
from api.storage import database

SWAGGER_UI_ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"

API_DESCRIPTION = """\
Government policy documents — executive orders, presidential memoranda, court orders — and each
of their provisions, as typed, sourced records.

Every list is an object with `data` and `links`; follow `links.next` (also sent as a `Link`
header) until it is absent. Every error is `application/problem+json` (RFC 9457).
"""


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    app.config["API_SPEC_OPTIONS"] = {
        "info": {"description": API_DESCRIPTION, "license": {"name": "MIT", "identifier": "MIT"}},
        "servers": [{"url": "/"}],
        # Public, read-only data: no operation needs credentials.
        "security": [],
    }
    app.session_interface = NoSessions()
    app.json.sort_keys = False
    app.url_map.strict_slashes = False
    app.url_map.converters["slug"] = SlugConverter

    logs.init_app(app)
    database.init_app(app)
    protection.init_app(app)
    negotiation.init_app(app)
    caching.init_app(app)
    finishing.init_app(app)  # the response hooks: after Flask-CORS's
    api = Api(app)
    api.register_converter(SlugConverter, slug_parameter_schema)
    routes.register(api)
    # Pages for people and cards for other sites: plain blueprints, outside the API's spec.
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(embeds.blueprint)
    _serve_docs_assets(app)
    return app


class NoSessions(SessionInterface):
    """No cookie session: the API keeps no state per client, and reading the cookie and
    making a signer for it cost about 3% of each request."""

    def open_session(self, app: Flask, request) -> None:
        return None  # Flask then gives the request an empty, unsaved session

    def save_session(self, app: Flask, session, response) -> None:
        return None


def _serve_docs_assets(app: Flask) -> None:
    """Swagger UI's files, served from the installed package so /docs works offline."""

    @app.get("/docs/assets/<path:filename>")
    def docs_assets(filename: str):
        return send_from_directory(SWAGGER_UI_ASSETS, filename, max_age=86400)
