"""The change log: records created, updated and deleted, in the order the loads made them.

Loads run one at a time and stamp their changes with their own time, so the log's order is
also time order: the changes recorded after a moment are those after the last one recorded
by then, and `since` can start from a timestamp as from a cursor.
"""

import datetime
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

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
    """The page of changes after `since`: a cursor, or a moment (an aware datetime)."""
    secret = current_app.config["SECRET_KEY"]
    bound = _cursor_arguments(arguments)
    since = arguments.get("since") or None
    moment = since if isinstance(since, datetime.datetime) else None
    cursor = None if moment else since
    statement = select(Change)
    if arguments.get("collection"):
        statement = statement.where(Change.collection.in_(arguments["collection"]))
    if moment:
        statement = statement.where(Change.changed_at > moment)
    page = paginate(
        database.session(),
        statement,
        ORDER,
        limit=arguments["limit"],
        cursor=cursor,
        arguments=bound,
        secret=secret,
        cursor_parameter="since",
    )
    if page.items:
        last = page.items[-1].sequence
    elif moment:
        last = _last_recorded_by(moment)
    elif cursor:
        (last,) = read_cursor(cursor, ORDER, bound, secret, parameter="since")
    else:
        last = 0
    return ChangesPage(page, issue_cursor([last], bound, secret))


def _last_recorded_by(moment: datetime.datetime) -> int:
    """The sequence of the last change recorded at or before `moment` (0: none)."""
    statement = select(func.max(Change.sequence)).where(Change.changed_at <= moment)
    return database.session().scalar(statement) or 0
