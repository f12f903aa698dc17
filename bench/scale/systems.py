"""The systems measured, each a `Server`: the API, the floor, the ceiling and Datasette."""

from pathlib import Path

from sqlalchemy.engine import make_url

from bench.servers import BENCH, HOST, REPO_ROOT, Server, gunicorn_command

SECRET_KEY = "scale-benchmark-key"  # the API signs cursors with it; the deep cursor too


def gunicorn(name: str, app: str, environment: dict, folder: Path, settings: Path) -> Server:
    """A gunicorn of the project's settings: 2 workers, no access log, on a free port."""
    command = gunicorn_command(
        app, "--workers", "2", "--access-logfile", "/dev/null", config=settings
    )
    return Server(name, command, environment, folder)


def api_environment(database_url: str, folder: Path) -> dict:
    """The served API's settings, as environment variables."""
    return {
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "false",
        "SECRET_KEY": SECRET_KEY,
        "EXPORT_FOLDER": str(folder / "exports"),
    }


def api_config(database_url: str, folder: Path) -> dict:
    """The same settings as `create_app` configuration, for the in-process test client."""
    config = dict(api_environment(database_url, folder))
    config["RATELIMIT_ENABLED"] = False
    return config


def api_server(database_url: str, folder: Path, name: str) -> Server:
    """The API on `database_url`, as served (gunicorn.conf.py) but with no rate limit."""
    environment = api_environment(database_url, folder)
    return gunicorn(name, "api:create_app()", environment, folder, REPO_ROOT / "gunicorn.conf.py")


def floor_server(database_url: str, folder: Path, name: str) -> Server:
    """bench/floor_app.py on the API's database: Flask and one raw query per page."""
    environment = {"FLOOR_DATABASE": floor_database(database_url)}
    return gunicorn(name, "floor_app:app", environment, folder, BENCH / "plain_gunicorn.conf.py")


def floor_database(database_url: str) -> str:
    """What the floor reads from the API's SQLAlchemy URL: SQLite's file, or a libpq URL.

    The libpq URL keeps the query, and so the `options` selecting the benchmark's schema.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return url.database
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def ceiling_server(folder: Path) -> Server:
    """bench/ceiling_app.py: the same small answer to every request."""
    return gunicorn("ceiling", "ceiling_app:app", {}, folder, BENCH / "plain_gunicorn.conf.py")


def datasette_server(datasette: Path, sqlite_file: Path, folder: Path) -> Server:
    """Datasette serving the SQLite file read-only, its page size the API's."""
    command = [str(datasette), "serve", "--immutable", str(sqlite_file), "-p", "{port}"]
    command += ["-h", HOST, "--setting", "sql_time_limit_ms", "10000"]
    command += ["--setting", "default_page_size", "20"]
    # Facet suggestions cost Datasette ~80 ms a table page: off, so it is the stronger baseline.
    command += ["--setting", "suggest_facets", "off"]
    return Server("datasette", command, {}, folder)
