"""The timeline: every dated event in the data, in date order.

Events are documents signed or published, status changes (an injunction, a stay…),
statements and dated relations. Each branch of one UNION ALL query makes one kind of event
with the same columns, filtered before the union so that indexes serve each part: each reads
its own table in date order, from an index (migration 0008), and the page stops after its
events. A branch never joins the table of the records it names (documents, speakers): joined,
SQLite's sampled statistics at times had it read that table first and sort every event of
the kind at each page (15 ms a page at a million provisions); their columns come from
subqueries, and their filters from their own indexes.
"""

from collections.abc import Callable

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    cast,
    literal,
    null,
    or_,
    select,
    union_all,
)

from api.queries.pagination import Page, SortKey, paginate, read_cursor, rows_after
from api.storage import database
from api.storage.models import Actor, Document, Relation, Statement, StatementDocument, StatusChange


def _event(
    *,
    day,
    kind: str,
    event_id,
    record_type: str,
    record_id,
    document_id,
    summary,
    status=None,
    relation_type=None,
):
    """One branch's columns: every kind of event has the same ones."""
    nothing = cast(null(), String)
    return select(
        day.label("date"),
        literal(kind).label("kind"),
        event_id.label("event_id"),
        literal(record_type).label("record_type"),
        record_id.label("record_id"),
        document_id.label("document_id"),
        summary.label("summary"),
        (nothing if status is None else status).label("status"),
        (nothing if relation_type is None else relation_type).label("relation_type"),
    )


def _documents_dated(column, kind: str, arguments: dict):
    statement = _event(
        day=column,
        kind=kind,
        event_id=literal(f"{kind}:") + Document.id,
        record_type="document",
        record_id=Document.id,
        document_id=Document.id,
        summary=Document.title,
    ).where(column.is_not(None))
    return _narrow(
        statement,
        arguments,
        column,
        jurisdiction=Document.jurisdiction_id.in_,
        actor=Document.issuer_id.in_,
        documents=(Document.id,),
    )


def _status_changes(arguments: dict):
    signed_on = select(Document.signed_on).where(Document.id == StatusChange.document_id)
    initial_and_same_day = (StatusChange.position == 1) & (
        StatusChange.date == signed_on.scalar_subquery()
    )
    event_id = (
        literal("status_changed:")
        + StatusChange.document_id
        + literal(":")
        + cast(StatusChange.position, String)
    )
    statement = _event(
        day=StatusChange.date,
        kind="status_changed",
        event_id=event_id,
        record_type="document",
        record_id=StatusChange.document_id,
        document_id=StatusChange.document_id,
        summary=StatusChange.note,
        status=StatusChange.status,
    ).where(StatusChange.date.is_not(None), ~initial_and_same_day)
    return _narrow(
        statement,
        arguments,
        StatusChange.date,
        jurisdiction=_of(StatusChange.document_id, Document.jurisdiction_id),
        actor=_of(StatusChange.document_id, Document.issuer_id),
        documents=(StatusChange.document_id, StatusChange.by_id),
    )


def _statements(arguments: dict):
    statement = _event(
        day=Statement.said_on,
        kind="statement",
        event_id=literal("statement:") + Statement.id,
        record_type="statement",
        record_id=Statement.id,
        document_id=cast(null(), String),
        summary=Statement.subject,
    ).where(Statement.said_on.is_not(None))
    statement = _narrow(
        statement,
        arguments,
        Statement.said_on,
        jurisdiction=_of(Statement.speaker_id, Actor.jurisdiction_id),
        actor=Statement.speaker_id.in_,
    )
    if arguments.get("document"):
        # From the link table's index on the document: a document has few statements.
        about = select(StatementDocument.statement_id).where(
            StatementDocument.document_id.in_(arguments["document"])
        )
        statement = statement.where(Statement.id.in_(about))
    return statement


def _relations(arguments: dict):
    statement = _event(
        day=Relation.date,
        kind="relation",
        event_id=literal("relation:") + Relation.id,
        record_type="relation",
        record_id=Relation.id,
        document_id=Relation.subject_id,
        summary=Relation.summary,
        relation_type=Relation.type,
    ).where(Relation.date.is_not(None))
    return _narrow(
        statement,
        arguments,
        Relation.date,
        jurisdiction=_of(Relation.subject_id, Document.jurisdiction_id),
        actor=_of(Relation.subject_id, Document.issuer_id),
        documents=(Relation.subject_id, Relation.object_id),
    )


def _of(record_id, column) -> Callable[[list], ColumnElement]:
    """A filter on a column of the record an event names (its document, its speaker), read
    from that record's table by its own index."""
    table = column.class_
    return lambda values: record_id.in_(select(table.id).where(column.in_(values)))


def _narrow(statement, arguments: dict, day, *, jurisdiction, actor, documents=()):
    """Apply the timeline's filters to one branch: `jurisdiction` and `actor` make its
    condition from their values; `documents` are the columns naming the documents it is of."""
    if arguments.get("jurisdiction"):
        statement = statement.where(jurisdiction(arguments["jurisdiction"]))
    if arguments.get("actor"):
        statement = statement.where(actor(arguments["actor"]))
    if arguments.get("document") and documents:
        statement = statement.where(
            or_(*(column.in_(arguments["document"]) for column in documents))
        )
    if arguments.get("date_from"):
        statement = statement.where(day >= arguments["date_from"])
    if arguments.get("date_to"):
        statement = statement.where(day <= arguments["date_to"])
    return statement


BRANCHES = {
    "document_signed": lambda a: _documents_dated(Document.signed_on, "document_signed", a),
    "document_published": lambda a: _documents_dated(
        Document.published_on, "document_published", a
    ),
    "status_changed": _status_changes,
    "statement": _statements,
    "relation": _relations,
}


def timeline_page(arguments: dict) -> Page:
    """One page of events, oldest first (or newest first with sort=-date)."""
    kinds = arguments.get("kind") or list(BRANCHES)
    descending = arguments.get("sort") == "-date"
    secret = current_app.config["SECRET_KEY"]
    branches = [BRANCHES[kind](arguments).subquery() for kind in kinds]
    after = None
    if arguments["cursor"]:
        order = _order(branches[0], descending)  # every branch has the same columns
        after = read_cursor(arguments["cursor"], order, arguments, secret)
    if database.engine().dialect.name == "postgresql":
        limit = arguments["limit"]
        branches = [_first_events(branch, descending, after, limit) for branch in branches]
    else:
        branches = [select(branch) for branch in branches]
    events = union_all(*branches).subquery("events")
    return paginate(
        database.session(),
        select(events),
        _order(events, descending),
        limit=arguments["limit"],
        cursor=arguments["cursor"],
        arguments=arguments,
        secret=secret,
        item=lambda row: dict(row._mapping),
    )


def _order(events: Subquery, descending: bool) -> tuple[SortKey, ...]:
    """Date, then event id: never null (each branch keeps dated events only), so that the
    dates are in an index's order, read backwards for newest first."""
    return (
        SortKey(events.c.date, descending=descending, never_null=True),
        SortKey(events.c.event_id, never_null=True),
    )


def _first_events(events: Subquery, descending: bool, after: list | None, limit: int) -> Select:
    """The events of one kind that can be on the page: its first `limit + 1` after the
    cursor, in the page's order.

    The page is the first of the union of these, so it is the same page; but each kind is
    then read from its own date index and stops after a page, where PostgreSQL sorted every
    event of every kind at each page. SQLite merges the kinds in date order by itself, and
    does it faster without this (1 ms a page against 2.6 at 100,000 provisions).
    """
    order = _order(events, descending)
    first = select(events)
    if after is not None:
        # The date bound alone lets the index seek the cursor's date.
        on_or_after = events.c.date <= after[0] if descending else events.c.date >= after[0]
        first = first.where(on_or_after, rows_after(order, after))
    first = first.order_by(*(key.ordering() for key in order)).limit(limit + 1)
    return select(first.subquery())
