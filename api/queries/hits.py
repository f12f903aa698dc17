"""One page of search hits across every kind of record."""

from dataclasses import replace

from flask import current_app
from sqlalchemy import select

from api.queries.pagination import Page, SortKey, paginate
from api.search.backends import current_backend, too_broad
from api.search.hits import Hit, highlight
from api.search.index import SEARCH_KINDS, search_index
from api.search.parser import parse
from api.storage import database


def hits_page(arguments: dict):
    """One page of hits across every kind of record, best match first; in index order (and
    `ranked` false) when the query is too broad to rank."""
    query = parse(arguments["q"])
    if query.empty:
        return Page([], None, meta={"ranked": True})
    backend = current_backend()
    estimate = backend.estimate(query, arguments.get("type") or SEARCH_KINDS)
    statement = select(
        search_index.c.kind,
        search_index.c.record_id,
        search_index.c.title,
        backend.snippet(query).label("snippet"),
    ).where(backend.matches(query), estimate.restriction())
    ranked = not too_broad(query, estimate)
    order = (
        (
            SortKey(backend.score(query), descending=True),
            SortKey(search_index.c.kind),
            SortKey(search_index.c.record_id),
        )
        if ranked
        else tuple(
            SortKey(column, never_null=never_null) for column, never_null in backend.index_order()
        )
    )
    page = paginate(
        database.session(),
        statement,
        order,
        limit=arguments["limit"],
        cursor=arguments["cursor"],
        arguments=arguments,
        secret=current_app.config["SECRET_KEY"],
        item=lambda row: Hit(row.kind, row.record_id, row.title, highlight(row.snippet)),
    )
    return replace(page, meta={"ranked": ranked})
