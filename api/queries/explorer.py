"""What the HTML pages read beside the catalogs: counts, names, years, a provision's place."""

from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

from flask import current_app
from sqlalchemy import (
    Integer,
    String,
    bindparam,
    cast,
    desc,
    extract,
    func,
    literal,
    or_,
    select,
    union_all,
)

from api.queries import id_lists, memo
from api.queries.catalog import Catalog
from api.queries.directory import SOURCES, STATEMENTS
from api.queries.documents import DOCUMENTS, PROVISIONS
from api.queries.prepared import Prepared
from api.queries.records import Record
from api.search.backends import current_backend
from api.search.index import SEARCH_KINDS, search_index
from api.search.parser import parse
from api.storage import database
from api.storage.models import (
    Actor,
    Document,
    Jurisdiction,
    Provision,
    ProvisionAddressee,
    Relation,
    Source,
    Statement,
)

COUNTED = {
    "documents": Document,
    "provisions": Provision,
    "statements": Statement,
    "relations": Relation,
    "actors": Actor,
    "sources": Source,
}
# A provision in a list of its neighbours: enough to name it and say what it does.
BRIEF_PROVISION = (
    Provision.id,
    Provision.document_id,
    Provision.parent_id,
    Provision.position,
    Provision.label,
    Provision.heading,
    Provision.modality,
    Provision.action,
)
BRIEF_DOCUMENT = (
    Document.id,
    Document.type,
    Document.number,
    Document.title,
    Document.signed_on,
    Document.status,
    Document.jurisdiction_id,
)


def record_counts() -> dict[str, int]:
    """How many records each collection holds (kept until the data changes: each count reads
    a whole table)."""
    return memo.kept(("record_counts",), _count_records)


def _count_records() -> dict[str, int]:
    columns = [
        select(func.count()).select_from(model).scalar_subquery().label(name)
        for name, model in COUNTED.items()
    ]
    return dict(database.session().execute(select(*columns)).one()._mapping)


def actor_names(ids: Iterable[str]) -> dict[str, str]:
    """The names of the actors of the ids that exist, by id (in id order)."""
    return _names("actor names", ACTOR_NAMES, EVERY_ACTOR_NAME, ids)


def jurisdiction_names(ids: Iterable[str]) -> dict[str, str]:
    return _names("jurisdiction names", JURISDICTION_NAMES, EVERY_JURISDICTION_NAME, ids)


# Names are asked for by nearly every page, a statement each, and there are few of them
# (hundreds, where provisions are a million): each process keeps them all until the data
# changes, unless there are more than this.
NAMES_KEPT_UP_TO = 20_000


def _names(key: str, of_ids: Prepared, every: Prepared, ids: Iterable[str]) -> dict[str, str]:
    kept = memo.kept((key,), partial(_every_name, every))
    if kept is None:
        return dict(_rows_of(of_ids, ids))
    return {
        value: kept[value] for value in sorted({value for value in ids if value}) if value in kept
    }


def _every_name(every: Prepared) -> dict[str, str] | None:
    """Every (id, name), or None when there are more than NAMES_KEPT_UP_TO."""
    rows = every.rows(database.connection(), limit=NAMES_KEPT_UP_TO + 1)
    return dict(rows) if len(rows) <= NAMES_KEPT_UP_TO else None


def document_briefs(ids: Iterable[str]) -> dict[str, Record]:
    """Each document's title, number, type, date and status, by id."""
    return {record.id: record for record in _records_of(DOCUMENT_BRIEFS, ids)}


def provision_briefs(ids: Iterable[str]) -> dict[str, Record]:
    return {record.id: record for record in _records_of(PROVISION_BRIEFS, ids)}


def records_by_id(catalog: Catalog, ids: Iterable[str]) -> dict[str, Record]:
    """Whole records (with their linked lists) of the ids that exist, by id."""
    if catalog.kind not in _RECORDS_BY_ID:
        _RECORDS_BY_ID[catalog.kind] = _of_ids(catalog.model.__table__, key=catalog.model.id)
    return {
        record.id: record for record in catalog.read(_rows_of(_RECORDS_BY_ID[catalog.kind], ids))
    }


# Statements of the rows of some ids, built once: a page of HTML runs several, and building
# them at each request cost more than running them.
def _of_ids(*columns, key) -> Prepared:
    return Prepared(
        lambda dialect: select(*columns).where(id_lists.among(key, "ids", dialect)).order_by(key),
        lists=("ids",),
    )


ACTOR_NAMES = _of_ids(Actor.id, Actor.name, key=Actor.id)
JURISDICTION_NAMES = _of_ids(Jurisdiction.id, Jurisdiction.name, key=Jurisdiction.id)
EVERY_ACTOR_NAME = Prepared(
    lambda _dialect: select(Actor.id, Actor.name).limit(bindparam("limit", type_=Integer))
)
EVERY_JURISDICTION_NAME = Prepared(
    lambda _dialect: select(Jurisdiction.id, Jurisdiction.name).limit(
        bindparam("limit", type_=Integer)
    )
)
DOCUMENT_BRIEFS = _of_ids(*BRIEF_DOCUMENT, key=Document.id)
PROVISION_BRIEFS = _of_ids(*BRIEF_PROVISION, key=Provision.id)
_RECORDS_BY_ID: dict[str, Prepared] = {}


def latest_documents(limit: int) -> list[Record]:
    """The first documents of the documents' default order (the latest signed), as a list of
    them shows them: their briefs, their issuer and its name (`issuer_name`, null when the
    issuer is not an actor here). One statement, where reading whole records took four."""
    return LATEST_DOCUMENTS.records(database.connection(), limit=limit)


LATEST_DOCUMENTS = Prepared(
    lambda _dialect: (
        select(*BRIEF_DOCUMENT, Document.issuer_id, Actor.name.label("issuer_name"))
        .outerjoin(Actor, Actor.id == Document.issuer_id)
        .order_by(*(key.ordering() for key in next(iter(DOCUMENTS.orders.values()))))
        .limit(bindparam("limit", type_=Integer))
    )
)


def _rows_of(statement: Prepared, ids: Iterable[str]) -> list[tuple]:
    """The statement's rows for the ids given (in id order; none for none)."""
    wanted = sorted({value for value in ids if value})
    if not wanted:
        return []
    return statement.rows(database.connection(), ids=wanted)


def _records_of(statement: Prepared, ids: Iterable[str]) -> list[Record]:
    wanted = sorted({value for value in ids if value})
    if not wanted:
        return []
    return statement.records(database.connection(), ids=wanted)


def sources(ids: Iterable[str]) -> dict[str, Record]:
    return records_by_id(SOURCES, ids)


def statements(ids: Iterable[str]) -> dict[str, Record]:
    return records_by_id(STATEMENTS, ids)


def signing_years(arguments: dict) -> list[dict]:
    """Documents per year of signing, newest year first, under every filter but the dates
    (kept until the data changes, as facets are)."""
    others = {k: v for k, v in arguments.items() if k not in ("signed_from", "signed_to")}
    key = ("document", "signing_years", memo.frozen(others, (*DOCUMENTS.filters, "q")))
    return memo.kept(key, partial(_count_signing_years, others))


def _count_signing_years(arguments: dict) -> list[dict]:
    matching = DOCUMENTS.filtered(arguments, counting=True)
    year = cast(extract("year", Document.signed_on), Integer).label("value")
    statement = select(year, func.count().label("count")).where(Document.signed_on.is_not(None))
    if matching.whereclause is not None:  # else every document, read without a subquery
        ids = matching.with_only_columns(Document.id).scalar_subquery()
        statement = statement.where(Document.id.in_(ids))
    statement = statement.group_by(year).order_by(desc(year))
    return [
        {"value": str(row.value), "count": row.count}
        for row in database.session().execute(statement)
    ]


def ancestors(provision: Record) -> list[Record]:
    """The provisions enclosing this one, outermost first."""
    found = []
    parent_id = provision.parent_id
    while parent_id is not None and len(found) < 50:  # a cycle in the data must not hang
        parent = provision_briefs([parent_id]).get(parent_id)
        if parent is None:
            break
        found.append(parent)
        parent_id = parent.parent_id
    return found[::-1]


def neighbours_and_children(provision: Record) -> tuple[list[Record], list[Record]]:
    """The provisions under the same parent (this one included), and those under this one,
    each in document order: one statement for both."""
    found = NEIGHBOURS_AND_CHILDREN.records(
        database.connection(),
        document_id=provision.document_id,
        parent_id=provision.parent_id or "",
        id=provision.id,
    )
    neighbours = [
        other
        for other in found
        if other.document_id == provision.document_id
        and (other.parent_id or "") == (provision.parent_id or "")
    ]
    return neighbours, [other for other in found if other.parent_id == provision.id]


# The neighbours through coalesce, which no index covers, so they are read from the
# document's index. SQLite counts every null as a value of its own, so `parent_id IS NULL`
# looks selective and it read every top-level provision of every document (92 ms a page at
# 100,000). The children from the parent's index.
NEIGHBOURS_AND_CHILDREN = Prepared(
    lambda _dialect: (
        select(*BRIEF_PROVISION)
        .where(
            or_(
                (Provision.document_id == bindparam("document_id", Provision.document_id.type))
                & (func.coalesce(Provision.parent_id, "") == bindparam("parent_id", type_=String)),
                Provision.parent_id == bindparam("id", Provision.parent_id.type),
            )
        )
        .order_by(Provision.position)
    )
)


class HitCounts(NamedTuple):
    """A search's matches per kind of record: counted when there are at most `limit`, or
    known from term statistics; else not all counted (`complete` false), since counting
    every match of a common word reads most of the index, a second at a million provisions."""

    per_kind: dict[str, int]
    complete: bool
    limit: int

    @property
    def total(self) -> int:
        return sum(self.per_kind.values())


def hits_per_kind(text: str, more_than_limit: bool | None = None) -> HitCounts:
    """How many documents, provisions and statements a search matches, by kind: exactly when
    the term statistics know it, else counted up to the rank limit (SEARCH_RANK_LIMIT).

    `more_than_limit`, when the caller knows it (a page of every kind's hits, ranked or not),
    saves counting the matches again.
    """
    limit = current_app.config["SEARCH_RANK_LIMIT"]
    query = parse(text)
    if query.empty:
        return HitCounts({}, True, limit)
    backend = current_backend()
    estimate = backend.estimate(query, SEARCH_KINDS)
    if estimate.exact:  # PostgreSQL's term statistics know a single word's records
        return HitCounts({kind: int(n) for kind, n in estimate.bounds.items() if n}, True, limit)
    matches = backend.matches(query)
    if more_than_limit is None:
        # Counted first from the index alone; each match's kind is read only when few.
        first = select(literal(1)).select_from(search_index).where(matches).limit(limit + 1)
        counted = select(func.count()).select_from(first.subquery())
        more_than_limit = database.session().scalar(counted) > limit
    if more_than_limit:
        return HitCounts({}, False, limit)
    kinds = select(search_index.c.kind).where(matches).subquery()
    statement = select(kinds.c.kind, func.count().label("count")).group_by(kinds.c.kind)
    per_kind = {row.kind: row.count for row in database.session().execute(statement)}
    return HitCounts(per_kind, True, limit)


def addressed_provisions(actor_id: str, per_modality: int) -> list[dict]:
    """The provisions addressed to an actor, grouped by modality: each group's count and its
    first provisions in document order.

    Every group's first provisions come from one statement, each group read in order from the
    addressees' index on (actor, modality, place) (api.storage.models.ADDRESSEE_COPIES), then
    the provisions themselves: three statements for the page, where a list per group was two.
    """
    arguments = {"addressee": [actor_id], "facets": ["modality"]}
    counted = PROVISIONS.facet_counts(arguments)["modality"]
    if not counted:
        return []
    link = ProvisionAddressee
    firsts = union_all(
        *(
            select(
                select(link.provision_modality, link.provision_id)
                .where(link.actor_id == actor_id, link.provision_modality == facet["value"])
                .order_by(link.document_id, link.provision_position, link.provision_id)
                .limit(per_modality)
                .subquery()
            )
            for facet in counted
        )
    )
    rows = database.session().execute(firsts).all()
    provisions = records_by_id(PROVISIONS, (row.provision_id for row in rows))
    return [
        {
            "modality": facet["value"],
            "count": facet["count"],
            "items": [
                provisions[row.provision_id]
                for row in rows
                if row.provision_modality == facet["value"] and row.provision_id in provisions
            ],
        }
        for facet in counted
    ]
