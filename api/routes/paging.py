"""Turn a page of records into the list envelope and its `Link` header."""

from urllib.parse import urlencode

from flask import request

from api.pagination import Page

LINK_HEADER_DOC = {
    "Link": {
        "description": 'The next page, as `<url>; rel="next"`; absent on the last page.',
        "schema": {"type": "string"},
    }
}


def page_response(page: Page) -> tuple[dict, dict]:
    links = {"self": _url_with(request.args.items(multi=True))}
    headers = {}
    if page.next_cursor:
        arguments = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
        links["next"] = _url_with([*arguments, ("cursor", page.next_cursor)])
        headers["Link"] = f'<{links["next"]}>; rel="next"'
    return {"data": page.items, "links": links}, headers


def _url_with(arguments) -> str:
    query = urlencode(list(arguments))
    return f"{request.path}?{query}" if query else request.path
