"""The timeline: every dated event in the data, in date order.

Events are documents signed or published, status changes (an injunction, a stay…),
statements and dated relations. Each branch of one UNION ALL query makes one kind of event
with the same columns, filtered before the union so that indexes serve each part.
"""

from flask import current_app
from sqlalchemy import String, cast, literal, null, or_, select, union_all

from api.queries.pagination import Page, SortKey, paginate
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
        Document.jurisdiction_id,
        Document.issuer_id,
        column,
        documents=(Document.id,),
    )


def _status_changes(arguments: dict):
    initial_and_same_day = (StatusChange.position == 1) & (StatusChange.date == Document.signed_on)
    event_id = (
        literal("status_changed:")
        + StatusChange.document_id
        + literal(":")
        + cast(StatusChange.position, String)
    )
    statement = (
        _event(
            day=StatusChange.date,
            kind="status_changed",
            event_id=event_id,
            record_type="document",
            record_id=StatusChange.document_id,
            document_id=StatusChange.document_id,
            summary=StatusChange.note,
            status=StatusChange.status,
        )
        .join(Document, Document.id == StatusChange.document_id)
        .where(StatusChange.date.is_not(None), ~initial_and_same_day)
    )
    return _narrow(
        statement,
        arguments,
        Document.jurisdiction_id,
        Document.issuer_id,
        StatusChange.date,
        documents=(StatusChange.document_id, StatusChange.by_id),
    )


def _statements(arguments: dict):
    statement = (
        _event(
            day=Statement.said_on,
            kind="statement",
            event_id=literal("statement:") + Statement.id,
            record_type="statement",
            record_id=Statement.id,
            document_id=cast(null(), String),
            summary=Statement.subject,
        )
        .join(Actor, Actor.id == Statement.speaker_id)
        .where(Statement.said_on.is_not(None))
    )
    statement = _narrow(
        statement, arguments, Actor.jurisdiction_id, Statement.speaker_id, Statement.said_on
    )
    if arguments.get("document"):
        about = Statement.about_links.any(StatementDocument.document_id.in_(arguments["document"]))
        statement = statement.where(about)
    return statement


def _relations(arguments: dict):
    statement = (
        _event(
            day=Relation.date,
            kind="relation",
            event_id=literal("relation:") + Relation.id,
            record_type="relation",
            record_id=Relation.id,
            document_id=Relation.subject_id,
            summary=Relation.summary,
            relation_type=Relation.type,
        )
        .join(Document, Document.id == Relation.subject_id)
        .where(Relation.date.is_not(None))
    )
    return _narrow(
        statement,
        arguments,
        Document.jurisdiction_id,
        Document.issuer_id,
        Relation.date,
        documents=(Relation.subject_id, Relation.object_id),
    )


def _narrow(statement, arguments: dict, jurisdiction, actor, day, documents=()):
    """Apply the timeline's filters to one branch, through that branch's own columns."""
    if arguments.get("jurisdiction"):
        statement = statement.where(jurisdiction.in_(arguments["jurisdiction"]))
    if arguments.get("actor"):
        statement = statement.where(actor.in_(arguments["actor"]))
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
    events = union_all(*(BRANCHES[kind](arguments) for kind in kinds)).subquery("events")
    descending = arguments.get("sort") == "-date"
    order = (SortKey(events.c.date, descending=descending), SortKey(events.c.event_id))
    return paginate(
        database.session(),
        select(events),
        order,
        limit=arguments["limit"],
        cursor=arguments["cursor"],
        arguments=arguments,
        secret=current_app.config["SECRET_KEY"],
        item=lambda row: dict(row._mapping),
    )
