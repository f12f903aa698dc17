"""A fake Federal Register on 127.0.0.1: real corpus files under the real API's URL shapes.

It serves the executive order search (with paging and conditions), each order's document JSON,
and its full text at the paths its own JSON names. It records every request, and can be told to
misbehave for the next few requests to a path, so that retries and failures can be tested.
"""

import json
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "federal-register"
# Three eras of raw text only (before EO 13145, Feb 2000) and three with XML. EO 13526's
# signing_date (2010-12-29) follows its publication (2010-01-05); EO 13900 has no
# executive_order_number in its JSON.
ORDERS = (12962, 13000, 13144, 13145, 13526, 13900)
SEARCH_PATH = "/api/v1/documents.json"
DEFAULT_FIELDS = ("document_number", "executive_order_number", "publication_date", "title")


@dataclass(frozen=True)
class Order:
    """One executive order of the corpus, as the fake serves it."""

    number: int
    document: dict[str, Any]
    json_path: str
    full_text_path: str
    json_file: Path
    full_text_file: Path

    @property
    def document_number(self) -> str:
        """The Federal Register document number, e.g. "96-10550"."""
        return self.document["document_number"]

    @property
    def has_xml(self) -> bool:
        """Whether the Federal Register has full-text XML for it (from EO 13145 on)."""
        return bool(self.document["full_text_xml_url"])


@dataclass(frozen=True)
class Received:
    """One request the fake received."""

    path: str
    query: dict[str, list[str]]
    user_agent: str | None
    time: float


@dataclass(frozen=True)
class Fault:
    """How to misbehave on one request: an error status, a hang-up, a cut-off or huge body."""

    kind: str
    status: int = 0
    retry_after: int | None = None
    size: int = 0
    declare_length: bool = True
    body: bytes = b""


def load_order(number: int) -> Order:
    """An order's JSON and its full text (XML if it has any, else raw text) from the corpus."""
    json_file = CORPUS / "json" / f"EO_{number}.json"
    document = json.loads(json_file.read_bytes())
    if document["full_text_xml_url"]:
        full_text_url = document["full_text_xml_url"]
        full_text_file = CORPUS / "xml" / f"EO_{number}.xml"
    else:
        full_text_url = document["raw_text_url"]
        full_text_file = CORPUS / "text" / f"EO_{number}.htm"
    return Order(
        number=number,
        document=document,
        json_path=f"/api/v1/documents/{document['document_number']}.json",
        full_text_path=urlsplit(full_text_url).path,
        json_file=json_file,
        full_text_file=full_text_file,
    )


class FakeFederalRegister:
    """The fake server: start it, point a fetch at `base_url`, read `received`, stop it."""

    def __init__(self, numbers: tuple[int, ...] = ORDERS) -> None:
        self.orders = {number: load_order(number) for number in numbers}
        self.files = self._files()
        self.received: list[Received] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.fake = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # Where next_page_url points; set it to the real site's to act as a mirror of it.
        self.page_url_base = self.base_url
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)

    def __enter__(self) -> "FakeFederalRegister":
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def _files(self) -> dict[str, Path]:
        """Every served path but the search, and the corpus file behind it."""
        files = {}
        for order in self.orders.values():
            files[order.json_path] = order.json_file
            files[order.full_text_path] = order.full_text_file
        return files

    # Telling it to misbehave

    def fail_next(self, path: str, times: int, status: int, retry_after: int | None = None) -> None:
        """Answer the next `times` requests to path with this status (and Retry-After)."""
        self._add(path, times, Fault("status", status=status, retry_after=retry_after))

    def hang_up_next(self, path: str, times: int = 1) -> None:
        """Close the connection without answering the next `times` requests to path."""
        self._add(path, times, Fault("hang_up"))

    def cut_off_next(self, path: str, times: int = 1) -> None:
        """Send the headers and half the body of the next requests to path, then hang up."""
        self._add(path, times, Fault("cut_off"))

    def oversize_next(self, path: str, size: int, *, declare_length: bool) -> None:
        """Answer the next request to path with `size` bytes, with or without Content-Length."""
        self._add(path, 1, Fault("oversize", size=size, declare_length=declare_length))

    def replace_next(self, path: str, body: bytes) -> None:
        """Answer the next request to path with this body instead of the corpus file."""
        self._add(path, 1, Fault("replace", body=body))

    def _add(self, path: str, times: int, fault: Fault) -> None:
        with self.lock:
            self.faults[path].extend([fault] * times)

    # Reading what it received

    def requests_to(self, path: str) -> list[Received]:
        """The requests received for path, oldest first."""
        with self.lock:
            return [request for request in self.received if request.path == path]

    def paths(self) -> list[str]:
        """The paths of all requests received, oldest first."""
        with self.lock:
            return [request.path for request in self.received]

    # Answering

    def answer(self, handler: "_Handler") -> None:
        """Record the request, then answer it: a fault if one is queued, else the real thing."""
        url = urlsplit(handler.path)
        with self.lock:
            self.received.append(
                Received(
                    path=url.path,
                    query=parse_qs(url.query, keep_blank_values=True),
                    user_agent=handler.headers.get("User-Agent"),
                    time=time.monotonic(),
                )
            )
            fault = self.faults[url.path].popleft() if self.faults[url.path] else None
        if fault is not None:
            _misbehave(handler, fault, self._body(url.path, url.query))
        elif url.path == SEARCH_PATH:
            _send(handler, 200, json.dumps(self.search(url.query)).encode(), "application/json")
        elif url.path in self.files:
            _send(handler, 200, self.files[url.path].read_bytes(), _content_type(url.path))
        else:
            _send(handler, 404, b'{"status":404,"message":"Not Found"}', "application/json")

    def _body(self, path: str, query: str) -> bytes:
        """What path would have answered, for faults that cut it short."""
        if path == SEARCH_PATH:
            return json.dumps(self.search(query)).encode()
        return self.files[path].read_bytes() if path in self.files else b"{}"

    def search(self, query: str) -> dict[str, Any]:
        """One page of the document search, as /api/v1/documents.json answers it."""
        pairs = parse_qsl(query, keep_blank_values=True)
        params = parse_qs(query, keep_blank_values=True)
        matches = sorted(
            (order for order in self.orders.values() if _matches(order.document, params)),
            key=lambda order: (order.document["publication_date"], order.document_number),
            reverse=_first(params, "order") == "newest",
        )
        per_page = min(max(int(_first(params, "per_page") or 20), 1), 1000)
        page = max(int(_first(params, "page") or 1), 1)
        total_pages = math.ceil(len(matches) / per_page)
        shown = matches[(page - 1) * per_page : page * per_page]
        fields = params.get("fields[]") or DEFAULT_FIELDS
        body: dict[str, Any] = {
            "count": len(matches),
            "description": "Documents of type Presidential Document",
            "total_pages": total_pages,
        }
        if shown:
            body["results"] = [
                {name: order.document.get(name) for name in fields} for order in shown
            ]
        if page < total_pages:
            body["next_page_url"] = self._page_url(pairs, page + 1)
        if page > 1:
            body["previous_page_url"] = self._page_url(pairs, page - 1)
        return body

    def _page_url(self, pairs: list[tuple[str, str]], page: int) -> str:
        """The absolute URL of another page of the same search."""
        kept = [(name, value) for name, value in pairs if name != "page"]
        query = urlencode([*kept, ("page", str(page))], safe="[]")
        return f"{self.page_url_base}{SEARCH_PATH}?{query}"


class _Handler(BaseHTTPRequestHandler):
    """Hands each GET to the fake; quiet, and with keep-alive as the real site has."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, each waits for a delayed ACK.
    disable_nagle_algorithm = True
    timeout = 10

    def do_GET(self) -> None:
        try:
            self.server.fake.answer(self)  # type: ignore[attr-defined]
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up on the body (as it should on an oversize one).
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _matches(document: dict[str, Any], params: dict[str, list[str]]) -> bool:
    """Whether a document meets the search conditions the fake understands."""
    types = params.get("conditions[type][]")
    kinds = params.get("conditions[presidential_document_type][]")
    since = _first(params, "conditions[signing_date][gte]")
    until = _first(params, "conditions[signing_date][lte]")
    numbers = params.get("conditions[executive_order_number][]")
    signed = document["signing_date"]
    return (
        (types is None or "PRESDOCU" in types)
        and (kinds is None or "executive_order" in kinds)
        and (since is None or signed >= since)
        and (until is None or signed <= until)
        and (numbers is None or document["executive_order_number"] in numbers)
    )


def _first(params: dict[str, list[str]], name: str) -> str | None:
    """The first value of a query parameter, if it was given."""
    values = params.get(name)
    return values[0] if values else None


def _content_type(path: str) -> str:
    """The media type the real site serves a path with."""
    if path.endswith(".json"):
        return "application/json; charset=utf-8"
    return "application/xml" if path.endswith(".xml") else "text/plain"


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    """A complete response."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _misbehave(handler: BaseHTTPRequestHandler, fault: Fault, body: bytes) -> None:
    """Answer as the fault says."""
    if fault.kind == "status":
        retry_after = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        _send(handler, fault.status, b"busy", "text/plain", retry_after)
    elif fault.kind == "replace":
        _send(handler, 200, fault.body, "application/json")
    elif fault.kind == "hang_up":
        handler.close_connection = True
    elif fault.kind == "cut_off":
        _send_head(handler, len(body))
        handler.wfile.write(body[: len(body) // 2])
        handler.close_connection = True
    elif fault.kind == "oversize":
        _send_head(handler, fault.size if fault.declare_length else None)
        _send_padding(handler, fault.size)
        handler.close_connection = True


def _send_head(handler: BaseHTTPRequestHandler, length: int | None) -> None:
    """A 200's status and headers; without a length the body runs until the connection closes."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/octet-stream")
    if length is None:
        handler.send_header("Connection", "close")
    else:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()


def _send_padding(handler: BaseHTTPRequestHandler, size: int) -> None:
    """Size bytes of spaces, a chunk at a time, never all in memory."""
    chunk = b" " * (1024 * 1024)
    for start in range(0, size, len(chunk)):
        handler.wfile.write(chunk[: size - start])


@pytest.fixture(name="fake_federal_register")
def fake_federal_register_fixture() -> Iterator[FakeFederalRegister]:
    """A running fake Federal Register with the orders of ORDERS, stopped afterwards."""
    with FakeFederalRegister() as fake:
        yield fake
