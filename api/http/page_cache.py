"""Pages rendered once per dataset: an HTML page or card kept until the data changes.

A page is fixed by the dataset stamp, the URL asked for (with its scheme and host: a page
cites its permalinks) and the code serving it, as an API response is (api.http.caching). So
each process keeps the pages it rendered last, up to PAGE_CACHE_BYTES of them, under the stamp
their ETags follow, and answers the same URL from them until a load changes the stamp: the
documents page's facets, an actor's provisions or the timeline's chart are rendered once, not
on every request. Only a GET's 200 in HTML is kept, with the headers its view gave it; every
hook of the app still runs on the page kept (rate limits, caching headers, security headers).
"""

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, g, request

from api.http.caching import etag_for
from api.http.negotiation import HTML
from api.queries import memo


@dataclass(frozen=True)
class KeptPage:
    body: bytes
    headers: tuple[tuple[str, str], ...]


def install(blueprint: Blueprint) -> None:
    """Serve the blueprint's pages from the process's kept pages, and keep those it renders."""
    blueprint.record_once(lambda state: _make_room(state.app))
    blueprint.before_request(_kept_page)
    blueprint.after_request(_keep_page)


def _kept_page() -> Response | None:
    pages = _pages()
    if pages is None or request.method not in ("GET", "HEAD"):
        return None
    page = pages.lookup(memo.stamp(), _address())
    if page is None:
        return None
    g.page_was_kept = True
    return current_app.response_class(page.body, headers=list(page.headers))


def _keep_page(response: Response) -> Response:
    pages = _pages()
    if (
        pages is None
        or g.get("page_was_kept")
        or request.method != "GET"
        or response.status_code != 200
        or response.mimetype != HTML
        or response.is_streamed
    ):
        return response
    body = response.get_data()
    response.set_etag(etag_for(body))  # the tag caching.cache_response gives it otherwise
    pages.keep(memo.stamp(), _address(), KeptPage(body, tuple(response.headers.items())))
    return response


def _make_room(app: Flask) -> None:
    """The app's kept pages (one store for every blueprint); none when PAGE_CACHE_BYTES is 0."""
    if "kept_pages" not in app.extensions:
        budget = app.config["PAGE_CACHE_BYTES"]
        pages = memo.DatasetMemo(budget, weigh=lambda page: len(page.body)) if budget > 0 else None
        app.extensions["kept_pages"] = pages


def _pages() -> memo.DatasetMemo | None:
    return current_app.extensions["kept_pages"]


def _address() -> tuple[str, str]:
    return request.host_url, request.full_path
