"""The app under gunicorn on a seeded database, and a static server on another origin."""

import functools
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from api.importing.service import import_federal_register
from api.storage import database
from tests.conftest import PROJECT_ROOT, isolated_database, load_seeds, make_app
from tests.servers import gunicorn, server_environment

CORPUS = PROJECT_ROOT / "corpus" / "federal-register"
# One imported order (all three of its formats), so that pages show an imported document too.
SOME_ORDERS = (
    CORPUS / "json" / "EO_13900.json",
    CORPUS / "xml" / "EO_13900.xml",
    CORPUS / "text" / "EO_13900.htm",
)


@contextmanager
def served_app(
    folder: Path, corpus: Iterable[Path] = SOME_ORDERS, *, sqlite: bool = False
) -> Iterator[str]:
    """The base URL of gunicorn serving the seeds and the Federal Register files named."""
    with isolated_database(folder, sqlite=sqlite) as settings:
        app = make_app(settings)
        load_seeds(app)
        with app.app_context():
            import_federal_register(database.engine(), list(corpus))
            database.engine().dispose()
        with gunicorn(server_environment(app)) as url:
            yield url


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_args) -> None:
        pass


@contextmanager
def other_origin(folder: Path) -> Iterator[str]:
    """The base URL of a static server of `folder` on another port: another origin."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and text of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()
