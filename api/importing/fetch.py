"""Download U.S. executive orders from the Federal Register API into a local cache, politely.

`fetch_executive_orders` searches the API for executive orders, then saves each one's document
JSON and its full text (XML where the Federal Register has it, else raw text) under `cache`.
Files already in the cache are not downloaded again, so an interrupted run can simply be resumed.
"""

import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple, Self
from urllib.parse import quote, urlencode, urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

FEDERAL_REGISTER = "https://www.federalregister.gov"
MAX_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
SEARCH_PATH = "/api/v1/documents.json"
SEARCH_FIELDS = (
    "document_number",
    "executive_order_number",
    "publication_date",
    "signing_date",
    "json_url",
    "full_text_xml_url",
    "raw_text_url",
)
RETRY_STATUSES = frozenset({429, *range(500, 600)})
# Document numbers become file names: "95-12285", "E9-31418", "2019-27678"; nothing with a slash.
DOCUMENT_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def _project_version() -> str:
    """The installed version of this project, for the User-Agent."""
    try:
        return metadata.version("provisions")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"provisions-importer/{_project_version()} (open-source policy-documents API)"


class FetchError(Exception):
    """A download failed; the message names the URL and what went wrong."""


@dataclass
class FetchResult:
    """What a fetch produced: the files for the importer and what it cost."""

    files: list[Path] = field(default_factory=list)  # every file of every matched document
    downloaded: int = 0  # documents with at least one file downloaded in this run
    cached: int = 0  # documents whose files were all in the cache already
    requests: int = 0  # HTTP requests made, retries included


class _Download(NamedTuple):
    url: str
    path: Path
    is_json: bool


class _Pacer:
    """Spaces requests at least 1/rate seconds apart, across threads, and counts them."""

    def __init__(self, requests_per_second: float) -> None:
        if not requests_per_second > 0:
            raise ValueError(f"requests_per_second must be positive, not {requests_per_second}")
        self.interval = 1.0 / requests_per_second
        self.count = 0
        self._next_start = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next request may start, and count it."""
        with self._lock:
            now = time.monotonic()
            if now < self._next_start:
                time.sleep(self._next_start - now)
                now = self._next_start
            self._next_start = now + self.interval
            self.count += 1


class _PacedRetry(Retry):
    """urllib3's Retry, also pacing each retry: retries happen inside one `send`."""

    pacer: _Pacer | None = None

    def new(self, **kw: Any) -> Self:
        """A copy for the next attempt; urllib3 rebuilds it from its own fields only."""
        retry = super().new(**kw)
        retry.pacer = self.pacer
        return retry

    def sleep(self, response: Any = None) -> None:
        """Back off (or honour Retry-After), then wait for the pacer."""
        super().sleep(response)
        if self.pacer is not None:
            self.pacer.wait()


class _PacedAdapter(HTTPAdapter):
    """An HTTPAdapter that waits for the pacer before every request it sends."""

    def __init__(self, pacer: _Pacer, retry: _PacedRetry) -> None:
        super().__init__(max_retries=retry)
        self.pacer = pacer

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Send one request once the pacer allows it."""
        self.pacer.wait()
        return super().send(request, **kwargs)


class _Client:
    """GETs on the configured base URL: paced, retried, timed out, size-limited."""

    def __init__(
        self,
        *,
        base_url: str,
        session: requests.Session,
        user_agent: str,
        retries: int,
        timeout: float,
        max_bytes: int,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.headers = {"User-Agent": user_agent}
        self.retries = retries
        self.timeout = timeout
        self.max_bytes = max_bytes

    def rebase(self, url: str) -> str:
        """The URL on the configured base: its path and query kept, its scheme and host not."""
        base = urlsplit(self.base_url)
        parts = urlsplit(urljoin(self.base_url + "/", url))
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def chunks(self, url: str) -> Iterator[bytes]:
        """The body of a GET of url in pieces, after checking its status and size."""
        try:
            with self.session.get(
                url, headers=self.headers, timeout=self.timeout, stream=True
            ) as response:
                self._check_status(url, response)
                self._check_length(url, response)
                received = 0
                for chunk in response.iter_content(CHUNK_BYTES):
                    received += len(chunk)
                    if received > self.max_bytes:
                        raise FetchError(f"{url}: body exceeds the limit of {self.max_bytes} bytes")
                    yield chunk
        except requests.RequestException as error:
            raise FetchError(f"{url}: {error}") from error

    def get_json(self, url: str) -> Any:
        """The parsed JSON body of url."""
        return _parse_json(url, b"".join(self.chunks(url)))

    def download(self, item: _Download) -> None:
        """Save url's body at path, whole or not at all."""
        verify = (lambda temp: _parse_json(item.url, temp.read_bytes())) if item.is_json else None
        try:
            _write_atomically(item.path, self.chunks(item.url), verify)
        except OSError as error:
            raise FetchError(f"{item.url}: could not save it as {item.path}: {error}") from error

    def _check_status(self, url: str, response: requests.Response) -> None:
        """Refuse anything but a 2xx; 429 and 5xx come here only once the retries are spent."""
        if 200 <= response.status_code < 300:
            return
        spent = f" after {self.retries} retries" if response.status_code in RETRY_STATUSES else ""
        raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}{spent}")

    def _check_length(self, url: str, response: requests.Response) -> None:
        """Refuse a declared body over the limit before reading any of it."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"{url}: body of {declared} bytes exceeds the limit of {self.max_bytes} bytes"
            )


def fetch_executive_orders(
    *,
    base_url: str = FEDERAL_REGISTER,
    cache: Path,
    since: date | None = None,
    until: date | None = None,
    numbers: Sequence[str] = (),
    requests_per_second: float = 5.0,
    user_agent: str = USER_AGENT,
    retries: int = 5,
    backoff: float = 1.0,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
    per_page: int = 1000,
    progress: Callable[[str], None] | None = None,
    session: requests.Session | None = None,
) -> FetchResult:
    """Download every executive order the search matches into cache, skipping cached ones."""
    pacer = _Pacer(requests_per_second)
    own_session = session is None
    session = session if session is not None else requests.Session()
    _mount(session, pacer, retries, backoff)
    client = _Client(
        base_url=base_url,
        session=session,
        user_agent=user_agent,
        retries=retries,
        timeout=timeout,
        max_bytes=max_bytes,
    )
    report = progress or (lambda message: None)
    try:
        numbers = (numbers,) if isinstance(numbers, str) else numbers
        first_page = _search_url(client.base_url, since, until, numbers, per_page)
        result = FetchResult()
        for entry in _search(client, first_page, report):
            _fetch_document(client, Path(cache), entry, result, report)
        result.requests = pacer.count
        return result
    finally:
        if own_session:
            session.close()


def _mount(session: requests.Session, pacer: _Pacer, retries: int, backoff: float) -> None:
    """Route the session's requests through the paced, retrying adapter (a given session too)."""
    retry = _PacedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=backoff,
        respect_retry_after_header=True,
        # The last 429 or 5xx comes back as a response, so the error can name its status.
        raise_on_status=False,
    )
    retry.pacer = pacer
    adapter = _PacedAdapter(pacer, retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)


def _search_url(
    base_url: str, since: date | None, until: date | None, numbers: Sequence[str], per_page: int
) -> str:
    """The first page of the executive order search, oldest first."""
    params = [
        ("conditions[type][]", "PRESDOCU"),
        ("conditions[presidential_document_type][]", "executive_order"),
        ("per_page", str(per_page)),
        ("order", "oldest"),
        *(("fields[]", name) for name in SEARCH_FIELDS),
    ]
    if since is not None:
        params.append(("conditions[signing_date][gte]", since.isoformat()))
    if until is not None:
        params.append(("conditions[signing_date][lte]", until.isoformat()))
    params.extend(("conditions[executive_order_number][]", str(number)) for number in numbers)
    return f"{base_url}{SEARCH_PATH}?{urlencode(params, safe='[]')}"


def _search(client: _Client, url: str, report: Callable[[str], None]) -> list[dict[str, Any]]:
    """Every search result over all pages, once per document number, in the API's order."""
    entries: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        if next_url in seen:
            raise FetchError(f"{next_url}: the search pages lead back to this page")
        seen.add(next_url)
        page = client.get_json(next_url)
        for entry in _page_results(next_url, page):
            entries.setdefault(entry["document_number"], entry)
        report(f"search: {len(entries)} of {page.get('count')} executive orders listed")
        following = page.get("next_page_url")
        next_url = client.rebase(following) if following else None
    return list(entries.values())


def _page_results(url: str, page: Any) -> list[dict[str, Any]]:
    """The results of one search page, each with a document number safe as a file name."""
    if not isinstance(page, dict):
        raise FetchError(f"{url}: a search page is not a JSON object")
    # When nothing matches, the page may have no "results" at all.
    results = page.get("results") or []
    if not isinstance(results, list):
        raise FetchError(f"{url}: the search results are not a list")
    for entry in results:
        number = entry.get("document_number") if isinstance(entry, dict) else None
        if not isinstance(number, str) or not DOCUMENT_NUMBER.fullmatch(number):
            raise FetchError(f"{url}: a search result has no usable document_number: {entry!r}")
    return results


def _fetch_document(
    client: _Client,
    cache: Path,
    entry: dict[str, Any],
    result: FetchResult,
    report: Callable[[str], None],
) -> None:
    """Download whichever of a document's files are not cached yet, and count it."""
    downloads = _downloads(client, cache, entry)
    missing = [item for item in downloads if not item.path.exists()]
    for item in missing:
        client.download(item)
    if missing:
        result.downloaded += 1
    else:
        result.cached += 1
    result.files.extend(item.path for item in downloads)
    state = "downloaded" if missing else "cached"
    report(f"{_name(entry)}: {state}")


def _downloads(client: _Client, cache: Path, entry: dict[str, Any]) -> list[_Download]:
    """A document's files: its JSON, then its XML or, for orders without XML, its raw text."""
    number = entry["document_number"]
    json_url = f"{client.base_url}/api/v1/documents/{quote(number)}.json"
    downloads = [_Download(json_url, cache / "json" / f"{number}.json", True)]
    xml_url = entry.get("full_text_xml_url")
    text_url = entry.get("raw_text_url")
    if isinstance(xml_url, str) and xml_url:
        downloads.append(_Download(client.rebase(xml_url), cache / "xml" / f"{number}.xml", False))
    elif isinstance(text_url, str) and text_url:
        downloads.append(
            _Download(client.rebase(text_url), cache / "text" / f"{number}.txt", False)
        )
    return downloads


def _name(entry: dict[str, Any]) -> str:
    """A document as a person would name it: "EO 13000 (96-10550)"."""
    number = entry.get("executive_order_number")
    prefix = f"EO {number} " if number else ""
    return f"{prefix}({entry['document_number']})"


def _parse_json(url: str, body: bytes) -> Any:
    """The JSON in body, or a FetchError naming the URL."""
    try:
        return json.loads(body)
    except ValueError as error:
        raise FetchError(f"{url}: the response is not valid JSON: {error}") from error


def _write_atomically(
    path: Path, chunks: Iterable[bytes], verify: Callable[[Path], Any] | None = None
) -> None:
    """Write chunks to a temporary file beside path, check it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
        if verify is not None:
            verify(temporary)
        # mkstemp makes the file private (0600); cached documents are ordinary public data.
        temporary.chmod(0o644)
        os.replace(temporary, path)
    except BaseException:
        # Also on Ctrl-C: a half-written file must never be left behind.
        temporary.unlink(missing_ok=True)
        raise
