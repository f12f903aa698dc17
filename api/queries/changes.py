"""The change log: records created, updated and deleted, in the order the loads made them."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from api.queries.pagination import Page, SortKey, issue_cursor, paginate, read_cursor
from api.storage import database
from api.storage.models import Change

ORDER = (SortKey(Change.sequence),)


@dataclass(frozen=True)
class ChangesPage:
    page: Page
    resume_cursor: str  # where to ask again later for what comes after this page


def _cursor_arguments(arguments: dict) -> dict:
    """What a `since` cursor is bound to: the collection filter, not the page size."""
    return {"collection": arguments.get("collection")}


def list_changes(arguments: dict) -> ChangesPage:
    secret = current_app.config["SECRET_KEY"]
    bound = _cursor_arguments(arguments)
    statement = select(Change)
    if arguments.get("collection"):
        statement = statement.where(Change.collection.in_(arguments["collection"]))
    page = paginate(
        database.session(),
        statement,
        ORDER,
        limit=arguments["limit"],
        cursor=arguments.get("since"),
        arguments=bound,
        secret=secret,
        cursor_parameter="since",
    )
    if page.items:
        last = page.items[-1].sequence
    elif arguments.get("since"):
        (last,) = read_cursor(arguments["since"], ORDER, bound, secret, parameter="since")
    else:
        last = 0
    return ChangesPage(page, issue_cursor([last], bound, secret))
