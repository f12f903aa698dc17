"""Fetching executive orders from a (fake, local) Federal Register into the cache."""

import socket
import time
from datetime import date
from pathlib import Path

import pytest

from api.importing.fetch import USER_AGENT, FetchError, FetchResult, fetch_executive_orders
from tests.fake_federal_register import (
    SEARCH_PATH,
    FakeFederalRegister,
    Order,
    fake_federal_register_fixture,  # noqa: F401 (a fixture)
)

RETRIES = 3


@pytest.fixture
def register(fake_federal_register: FakeFederalRegister) -> FakeFederalRegister:
    """The running fake Federal Register, under a short name."""
    return fake_federal_register


def fetch(fake: FakeFederalRegister, cache: Path, **options) -> FetchResult:
    """A fetch from the fake: fast, with tiny backoffs, unless a test says otherwise."""
    settings = {"requests_per_second": 1000.0, "retries": RETRIES, "backoff": 0.001}
    return fetch_executive_orders(base_url=fake.base_url, cache=cache, **{**settings, **options})


def cached_files(order: Order, cache: Path) -> list[Path]:
    """Where an order's JSON and its XML (or raw text, without XML) should be cached."""
    number = order.document_number
    full_text = (
        cache / "xml" / f"{number}.xml" if order.has_xml else cache / "text" / f"{number}.txt"
    )
    return [cache / "json" / f"{number}.json", full_text]


def cached_numbers(cache: Path) -> set[str]:
    """The document numbers whose JSON is in the cache."""
    return {path.stem for path in (cache / "json").glob("*.json")}


def leftovers(cache: Path) -> list[Path]:
    """Temporary files a download left behind."""
    return [path for path in cache.rglob(".*") if path.is_file()]


def numbers_of(fake: FakeFederalRegister, *orders: int) -> set[str]:
    """The document numbers of some orders."""
    return {fake.orders[number].document_number for number in orders}


def test_paging_collects_every_order_across_pages(register, tmp_path):
    result = fetch(register, tmp_path, per_page=2)

    assert cached_numbers(tmp_path) == numbers_of(register, *register.orders)
    assert result.downloaded == 6
    assert result.cached == 0
    pages = [request.query.get("page", ["1"])[0] for request in register.requests_to(SEARCH_PATH)]
    assert pages == ["1", "2", "3"]


def test_the_search_asks_for_executive_orders_with_the_fields_it_needs(register, tmp_path):
    fetch(register, tmp_path)

    (search,) = register.requests_to(SEARCH_PATH)
    assert search.query["conditions[type][]"] == ["PRESDOCU"]
    assert search.query["conditions[presidential_document_type][]"] == ["executive_order"]
    assert search.query["order"] == ["oldest"]
    assert {"document_number", "full_text_xml_url", "raw_text_url"} <= set(search.query["fields[]"])


def test_since_and_until_narrow_the_search_by_signing_date(register, tmp_path):
    result = fetch(register, tmp_path, since=date(1996, 1, 1), until=date(1999, 12, 31))

    assert cached_numbers(tmp_path) == numbers_of(register, 13000, 13144)
    assert result.downloaded == 2


def test_since_alone_goes_to_the_newest(register, tmp_path):
    # EO 13526 was published 2010-01-05 but its signing_date says 2010-12-29.
    fetch(register, tmp_path, since=date(2010, 6, 1))

    assert cached_numbers(tmp_path) == numbers_of(register, 13526, 13900)


def test_numbers_narrow_the_search_to_those_orders(register, tmp_path):
    result = fetch(register, tmp_path, numbers=["13145", "12962"])

    assert cached_numbers(tmp_path) == numbers_of(register, 12962, 13145)
    assert len(result.files) == 4


def test_a_search_without_matches_fetches_nothing(register, tmp_path):
    result = fetch(register, tmp_path, numbers=["99999"])

    assert result == FetchResult(files=[], downloaded=0, cached=0, requests=1)


def test_each_order_is_cached_byte_for_byte_as_json_and_xml_or_raw_text(register, tmp_path):
    result = fetch(register, tmp_path)

    for order in register.orders.values():
        json_file, full_text = cached_files(order, tmp_path)
        assert json_file.read_bytes() == order.json_file.read_bytes()
        assert full_text.read_bytes() == order.full_text_file.read_bytes()
    expected = [
        path for order in register.orders.values() for path in cached_files(order, tmp_path)
    ]
    assert sorted(result.files) == sorted(expected)
    assert sorted(path for path in tmp_path.rglob("*") if path.is_file()) == sorted(expected)


def test_orders_with_xml_do_not_fetch_their_raw_text(register, tmp_path):
    fetch(register, tmp_path)

    assert not any(path.startswith("/documents/full_text/text/2") for path in register.paths())
    assert "/documents/full_text/text/1996/04/26/96-10550.txt" in register.paths()


def test_a_second_run_downloads_nothing_and_only_searches(register, tmp_path):
    first = fetch(register, tmp_path, per_page=4)
    searches_before = len(register.requests_to(SEARCH_PATH))
    register.received.clear()

    second = fetch(register, tmp_path, per_page=4)

    assert (second.downloaded, second.cached) == (0, 6)
    assert second.files == first.files
    assert register.paths() == [SEARCH_PATH] * searches_before
    assert second.requests == searches_before == 2


def test_a_run_after_an_interruption_fetches_only_the_missing_file(register, tmp_path):
    fetch(register, tmp_path)
    order = register.orders[13526]
    missing = cached_files(order, tmp_path)[1]
    missing.unlink()
    register.received.clear()

    result = fetch(register, tmp_path)

    assert (result.downloaded, result.cached) == (1, 5)
    assert register.paths() == [SEARCH_PATH, order.full_text_path]
    assert missing.read_bytes() == order.full_text_file.read_bytes()


def test_absolute_urls_from_the_api_are_fetched_from_the_configured_base(register, tmp_path):
    # The real site's next_page_url and full-text URLs name www.federalregister.gov.
    register.page_url_base = "https://www.federalregister.gov"

    result = fetch(register, tmp_path, per_page=2)

    assert result.downloaded == 6
    assert len(register.requests_to(SEARCH_PATH)) == 3


def test_429_and_503_are_retried_and_then_succeed(register, tmp_path):
    order = register.orders[13145]
    register.fail_next(order.json_path, 2, status=429, retry_after=0)
    register.fail_next(order.full_text_path, 2, status=503)
    register.fail_next(SEARCH_PATH, 1, status=502)

    result = fetch(register, tmp_path)

    assert result.downloaded == 6
    assert len(register.requests_to(order.json_path)) == 3
    assert len(register.requests_to(order.full_text_path)) == 3
    assert cached_files(order, tmp_path)[1].read_bytes() == order.full_text_file.read_bytes()
    assert result.requests == len(register.received) == 1 + 1 + 12 + 4


def test_the_user_agent_names_the_project_on_every_request(register, tmp_path):
    register.fail_next(register.orders[13000].json_path, 1, status=429, retry_after=0)

    fetch(register, tmp_path)

    assert USER_AGENT.startswith("provisions-importer/")
    assert {request.user_agent for request in register.received} == {USER_AGENT}


def test_retry_after_is_honoured(register, tmp_path):
    path = register.orders[13000].json_path
    register.fail_next(path, 1, status=429, retry_after=1)

    fetch(register, tmp_path, numbers=["13000"])

    refused, accepted = register.requests_to(path)
    assert accepted.time - refused.time >= 1.0


def test_a_hang_up_is_retried(register, tmp_path):
    order = register.orders[12962]
    register.hang_up_next(order.full_text_path, 2)

    result = fetch(register, tmp_path)

    assert result.downloaded == 6
    assert cached_files(order, tmp_path)[1].read_bytes() == order.full_text_file.read_bytes()


def test_requests_keep_to_the_rate_limit(register, tmp_path):
    started = time.monotonic()
    result = fetch(register, tmp_path, requests_per_second=20.0, per_page=3)
    elapsed = time.monotonic() - started

    assert result.requests == len(register.received) == 2 + 12
    assert elapsed >= (result.requests - 1) / 20.0


def test_retries_count_against_the_rate_limit(register, tmp_path):
    register.fail_next(register.orders[13000].json_path, 2, status=503)

    started = time.monotonic()
    result = fetch(register, tmp_path, numbers=["13000"], requests_per_second=10.0)
    elapsed = time.monotonic() - started

    # The search, the JSON three times, the raw text; the retries' own backoff is ~0.
    assert result.requests == len(register.received) == 5
    assert elapsed >= (result.requests - 1) / 10.0


def test_a_persistent_500_is_an_error_naming_the_url(register, tmp_path):
    order = register.orders[13526]
    register.fail_next(order.full_text_path, RETRIES + 1, status=500)

    with pytest.raises(FetchError) as raised:
        fetch(register, tmp_path)

    assert f"{register.base_url}{order.full_text_path}" in str(raised.value)
    assert "500" in str(raised.value)
    assert len(register.requests_to(order.full_text_path)) == RETRIES + 1
    assert not cached_files(order, tmp_path)[1].exists()
    assert leftovers(tmp_path) == []


def test_a_404_is_an_error_at_once(register, tmp_path):
    order = register.orders[13000]
    register.fail_next(order.json_path, 1, status=404)

    with pytest.raises(FetchError, match=f"{register.base_url}{order.json_path}.*404"):
        fetch(register, tmp_path)

    assert len(register.requests_to(order.json_path)) == 1
    assert not cached_files(order, tmp_path)[0].exists()
    assert leftovers(tmp_path) == []


def test_a_server_that_is_not_there_is_an_error_naming_the_url(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    # Nothing listens on that port now: every connection is refused.

    with pytest.raises(FetchError, match=f"{base_url}{SEARCH_PATH}"):
        fetch_executive_orders(base_url=base_url, cache=tmp_path, retries=1, backoff=0.001)


def test_a_document_json_that_does_not_parse_is_an_error(register, tmp_path):
    order = register.orders[13900]
    register.replace_next(order.json_path, b'{"document_number": "2019-27')

    with pytest.raises(FetchError, match=f"{order.json_path}: the response is not valid JSON"):
        fetch(register, tmp_path)

    assert not cached_files(order, tmp_path)[0].exists()
    assert leftovers(tmp_path) == []


def test_a_search_page_that_does_not_parse_is_an_error(register, tmp_path):
    register.replace_next(SEARCH_PATH, b"<html>Service unavailable</html>")

    with pytest.raises(FetchError, match=f"{SEARCH_PATH}.*not valid JSON"):
        fetch(register, tmp_path)


def test_an_oversize_body_is_refused_by_its_declared_length(register, tmp_path):
    order = register.orders[13526]

    with pytest.raises(FetchError, match=f"{order.full_text_path}: body of .* exceeds the limit"):
        fetch(register, tmp_path, numbers=["13526"], max_bytes=50_000)

    assert not cached_files(order, tmp_path)[1].exists()
    assert leftovers(tmp_path) == []


def test_an_oversize_body_without_a_length_is_cut_short(register, tmp_path):
    order = register.orders[13144]
    register.oversize_next(order.full_text_path, 256 * 1024 * 1024, declare_length=False)

    with pytest.raises(FetchError, match=f"{order.full_text_path}: body exceeds the limit"):
        fetch(register, tmp_path, numbers=["13144"], max_bytes=1024 * 1024)

    assert not cached_files(order, tmp_path)[1].exists()
    assert leftovers(tmp_path) == []


def test_a_download_cut_off_mid_body_leaves_no_file(register, tmp_path):
    order = register.orders[13145]
    register.cut_off_next(order.full_text_path)

    with pytest.raises(FetchError, match=f"{register.base_url}{order.full_text_path}"):
        fetch(register, tmp_path)

    assert not cached_files(order, tmp_path)[1].exists()
    assert leftovers(tmp_path) == []
    # What did arrive in full stays, so the next run resumes from there.
    assert cached_files(order, tmp_path)[0].exists()


def test_progress_names_each_order(register, tmp_path):
    messages: list[str] = []

    fetch(register, tmp_path, numbers=["13000"], progress=messages.append)

    assert "EO 13000 (96-10550): downloaded" in messages
