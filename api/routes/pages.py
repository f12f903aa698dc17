"""The HTML explorer: pages for people over the API's records.

A plain Flask blueprint, outside /v1 and so outside the OpenAPI document. Every page links its
JSON; errors are HTML pages (problem+json for clients preferring JSON).
"""

from urllib.parse import quote

from flask import Blueprint, Response, request
from markupsafe import Markup

from api.errors import DomainError
from api.http import page_cache
from api.presentation import cards, html
from api.presentation.timeline_chart import Lane, timeline_svg
from api.queries import explorer
from api.queries.directory import ACTORS, RELATIONS, STATEMENTS
from api.queries.documents import DOCUMENTS, PROVISIONS, get_document, get_provision
from api.queries.hits import hits_page
from api.queries.timeline import timeline_page
from api.routes.page_arguments import (
    ActorPageQuerySchema,
    known_parameters,
    page_arguments,
    record_id,
)
from schemas.queries import (
    DocumentQuerySchema,
    SearchQuerySchema,
    TimelineQuerySchema,
)
from schemas.vocabularies import TIMELINE_EVENT_KINDS

blueprint = Blueprint("pages", __name__)
blueprint.record_once(lambda state: html.install(state.app))
page_cache.install(blueprint)
blueprint.register_error_handler(DomainError, html.error_page)
# A mistyped address outside the API gets a page when a browser asks (see not_found_page).
blueprint.app_errorhandler(404)(html.not_found_page)

LATEST = 8
PER_MODALITY = 10
MODALITY_PAGE = 50
TIMELINE_PAGE = 50
RELATIONS_SHOWN = 100  # each way, on a document's page
DOCUMENT_FACETS = {
    "type": "Type",
    "status": "Status",
    "jurisdiction": "Jurisdiction",
    "issuer": "Issued by",
    "topic": "Topic",
}
DOCUMENT_SORTS = [
    ("-signed_on", "newest signed"),
    ("signed_on", "oldest signed"),
    ("-published_on", "newest published"),
]
FILTER_LABELS = {"q": "Search", "issuer": "Issued by", "signed_from": "Signed from"}
TERM_FILTERS = {"type", "status", "verification", "kind"}
# Parameters that only page or order a list: not filters a person removes.
NOT_FILTERS = {"limit", "cursor", "sort", "facets"}
OFFICIAL_TEXTS = [
    ("official_url", "The issuer’s or publisher’s page"),
    ("pdf_url", "PDF"),
    ("xml_url", "XML"),
    ("text_url", "Plain text"),
]


@blueprint.get("/")
def home() -> Response:
    """What the data is, a search box, counts and the latest documents."""
    latest = explorer.latest_documents(LATEST)
    return html.render(
        "home.html",
        counts=explorer.record_counts(),
        latest=latest,
        names={d.issuer_id: d.issuer_name for d in latest if d.issuer_name is not None},
        json_url="/v1",
    )


@blueprint.get("/documents")
def documents() -> Response:
    """Documents, filtered by links with counts."""
    arguments = page_arguments(DocumentQuerySchema, drop=["facets"])
    page = DOCUMENTS.list({**arguments, "facets": list(DOCUMENT_FACETS)})
    q = arguments.get("q")
    parameters = known_parameters(DocumentQuerySchema, drop=["facets"])
    counted = {**page.facets, "year": explorer.signing_years(arguments)}
    names = explorer.actor_names(
        [item["value"] for item in counted["issuer"]] + [d.issuer_id for d in page.items]
    )
    jurisdictions = explorer.jurisdiction_names(
        [item["value"] for item in counted["jurisdiction"]]
        + [d.jurisdiction_id for d in page.items]
    )
    labels = {"issuer": names, "jurisdiction": jurisdictions}
    facets = [
        _facet(name, label, counted[name], arguments, parameters, labels.get(name))
        for name, label in DOCUMENT_FACETS.items()
    ]
    facets.append(_year_facet(counted["year"], arguments, parameters))
    return html.render(
        "documents.html",
        page=page,
        arguments=arguments,
        parameters=parameters,
        total=_total(counted["type"], arguments.get("type")),
        filtered=any(key not in NOT_FILTERS for key, _ in parameters),
        facets=facets,
        active=_active_filters("/documents", parameters, labels),
        sorts=[("relevance", "best match"), *DOCUMENT_SORTS] if q else DOCUMENT_SORTS,
        sort=arguments.get("sort") or ("relevance" if q else "-signed_on"),
        names=names,
        jurisdictions=jurisdictions,
        json_url=html.url_with("/v1/documents", parameters),
        **_pager("/documents", parameters, page.next_cursor),
    )


@blueprint.get("/documents/<id>")
def document(id: str) -> Response:
    """One document with its provision tree, relations, statements and sources."""
    document = get_document(record_id("document", id), ["provisions"])
    provisions = list(_flattened(document.provision_tree))
    outgoing, incoming = _relations_of(document.id)
    statements = _all(STATEMENTS, {"about": [document.id], "sort": "said_on"})
    others = explorer.document_briefs(
        [r.object_id for r in outgoing]
        + [r.subject_id for r in incoming]
        + [change.by_id for change in document.status_history]
    )
    names = explorer.actor_names(
        [document.issuer_id]
        + [actor for p in provisions for actor in (p.actor_id, *p.addressees)]
        + [s.speaker_id for s in statements]
    )
    cited = _in_order(
        document.sources,
        *(change.sources for change in document.status_history),
        *([p.quoted_in_id, *p.sources] for p in provisions),
        *(relation.sources for relation in (*outgoing, *incoming)),
        *([s.quoted_in_id, *s.sources] for s in statements),
    )
    jurisdiction = explorer.jurisdiction_names([document.jurisdiction_id]).get(
        document.jurisdiction_id, document.jurisdiction_id
    )
    path = f"/documents/{document.id}"
    card = cards.document_card(
        document,
        names.get(document.issuer_id, document.issuer_id),
        jurisdiction,
        html.absolute(path),
    )
    return html.render(
        "document.html",
        document=document,
        provision_count=len(provisions),
        outgoing=outgoing,
        incoming=incoming,
        statements=statements,
        others=others,
        names=names,
        sources=_ordered(explorer.sources(cited), cited),
        jurisdiction=jurisdiction,
        official=[(label, document[key]) for key, label in OFFICIAL_TEXTS if document.get(key)],
        citation=html.document_citation(document, jurisdiction, html.absolute(path)),
        snippet=_snippet(f"/embed/documents/{document.id}", card),
        **_links(path, f"/v1/documents/{document.id}?include=provisions"),
    )


@blueprint.get("/provisions/<id>")
def provision(id: str) -> Response:
    """One provision, the permalink to cite: its place in its document, its sources."""
    provision = get_provision(record_id("provision", id))
    # What the page says of its document is its brief, as the provision's card reads it.
    document = explorer.document_briefs([provision.document_id])[provision.document_id]
    names = explorer.actor_names([provision.actor_id, *provision.addressees])
    cited = _in_order([provision.quoted_in_id], provision.sources)
    jurisdiction = explorer.jurisdiction_names([document.jurisdiction_id]).get(
        document.jurisdiction_id, document.jurisdiction_id
    )
    path = f"/provisions/{provision.id}"
    card = cards.provision_card(provision, document, names, jurisdiction, html.absolute(path))
    siblings, children = explorer.neighbours_and_children(provision)
    return html.render(
        "provision.html",
        provision=provision,
        name=provision.label or f"Provision {provision.position}",
        document=document,
        ancestors=explorer.ancestors(provision),
        siblings=siblings,
        children=children,
        names=names,
        sources=_ordered(explorer.sources(cited), cited),
        jurisdiction=jurisdiction,
        citation=html.provision_citation(provision, document, html.absolute(path)),
        snippet=_snippet(f"/embed/provisions/{provision.id}", card),
        **_links(path, f"/v1/provisions/{provision.id}"),
    )


@blueprint.get("/actors/<id>")
def actor(id: str) -> Response:
    """What an actor is told to do, by modality, and what it issued."""
    actor = ACTORS.get(record_id("actor", id))
    arguments = page_arguments(ActorPageQuerySchema)
    modality = arguments.get("modality")
    page = groups = None
    if modality is not None:
        page = PROVISIONS.list(
            {
                "addressee": [actor.id],
                "modality": [modality],
                "limit": MODALITY_PAGE,
                "cursor": arguments["cursor"],
            }
        )
        shown = page.items
    else:
        groups = explorer.addressed_provisions(actor.id, PER_MODALITY)
        shown = [p for group in groups for p in group["items"]]
    issued = DOCUMENTS.list({"issuer": [actor.id], "limit": LATEST, "cursor": None})
    parameters = [("modality", modality)] if modality else []
    return html.render(
        "actor.html",
        actor=actor,
        jurisdiction=explorer.jurisdiction_names([actor.jurisdiction_id]).get(
            actor.jurisdiction_id
        ),
        modality=modality,
        page=page,
        groups=groups,
        documents=explorer.document_briefs(p.document_id for p in shown),
        issued=issued,
        json_url=f"/v1/actors/{actor.id}",
        **_pager(f"/actors/{actor.id}", parameters, page.next_cursor if page else None),
    )


@blueprint.get("/search")
def search() -> Response:
    """Ranked hits across documents, provisions and statements."""
    if "q" not in request.args:
        return html.render("search.html", query=None, types=[])
    arguments = page_arguments(SearchQuerySchema)
    parameters = known_parameters(SearchQuerySchema)
    page = hits_page(arguments)
    provisions = explorer.provision_briefs(h.id for h in page.items if h.type == "provision")
    statements = explorer.statements(h.id for h in page.items if h.type == "statement")
    documents = explorer.document_briefs(
        [h.id for h in page.items if h.type == "document"]
        + [p.document_id for p in provisions.values()]
        + [d for s in statements.values() for d in s.about[:1]]
    )
    targets, contexts = {}, {}
    for hit in page.items:
        key = (hit.type, hit.id)
        if hit.type == "provision" and hit.id in provisions:
            targets[key] = f"/provisions/{hit.id}"
            contexts[key] = _in_document(provisions[hit.id], documents)
        elif hit.type == "statement" and statements.get(hit.id) and statements[hit.id].about:
            about = statements[hit.id].about[0]
            targets[key] = f"/documents/{about}#statement-{hit.id}"
            contexts[key] = f"A statement about {_named(documents, about)}"
        elif hit.type == "statement":
            targets[key] = f"/v1/statements/{hit.id}"
        else:
            targets[key] = f"/{hit.type}s/{hit.id}"
    return html.render(
        "search.html",
        query=arguments["q"],
        types=arguments.get("type") or [],
        page=page,
        # A page of every kind's hits is ranked exactly when at most the rank limit match.
        counts=explorer.hits_per_kind(
            arguments["q"],
            more_than_limit=None if arguments.get("type") else not page.meta["ranked"],
        ),
        targets=targets,
        contexts=contexts,
        # Escaped, with the matched words marked, by api.search.hits.highlight.
        snippets={(h.type, h.id): Markup(h.snippet or "") for h in page.items},
        parameters=parameters,
        json_url=html.url_with("/v1/search", parameters),
        **_pager("/search", parameters, page.next_cursor),
    )


TIMELINE_LANES = [
    Lane("document_signed", "Signings", "#1f6feb"),
    Lane("ruling", "Rulings", "#b3261e"),
    Lane("document_published", "Publications", "#6e7781"),
    Lane("status_changed", "Status changes", "#9a6700"),
    Lane("statement", "Statements", "#1a7f37"),
    Lane("relation", "Relations", "#8250df"),
]
TIMELINE_KINDS = {
    "document_signed": "Documents signed (rulings included)",
    "document_published": "Documents published",
    "status_changed": "Status changes",
    "statement": "Statements",
    "relation": "Relations",
}


@blueprint.get("/timeline")
def timeline() -> Response:
    """Dated events as a chart made on the server, and as a list."""
    arguments = page_arguments(TimelineQuerySchema)
    # People look for what happened lately: newest first, and a fuller chart, unless asked.
    if "sort" not in request.args:
        arguments["sort"] = "-date"
    if "limit" not in request.args:
        arguments["limit"] = TIMELINE_PAGE
    parameters = known_parameters(TimelineQuerySchema)
    page = timeline_page(arguments)
    documents = explorer.document_briefs(event["document_id"] for event in page.items)
    statements = explorer.statements(
        event["record_id"] for event in page.items if event["kind"] == "statement"
    )
    lanes, titles, targets = {}, {}, {}
    for event in page.items:
        key = event["event_id"]
        lanes[key] = _lane(event, documents)
        titles[key], targets[key] = _event_link(event, documents, statements)
    lane_labels = {lane.key: lane.label for lane in TIMELINE_LANES}
    chart = timeline_svg([(e["date"], lanes[e["event_id"]]) for e in page.items], TIMELINE_LANES)
    return html.render(
        "timeline.html",
        page=page,
        arguments=arguments,
        parameters=parameters,
        kinds=arguments.get("kind") or [],
        kind_labels=[(kind, TIMELINE_KINDS[kind]) for kind in TIMELINE_EVENT_KINDS],
        descending=arguments["sort"] == "-date",
        chart=chart,
        lanes={key: lane_labels[lane] for key, lane in lanes.items()},
        titles=titles,
        targets=targets,
        active=_active_filters(
            "/timeline",
            [(k, v) for k, v in parameters if k not in ("kind", "from", "to")],
            {},
        ),
        json_url=html.url_with("/v1/timeline", parameters),
        **_pager("/timeline", parameters, page.next_cursor),
    )


def _lane(event: dict, documents: dict) -> str:
    """The chart lane of an event: a court order's signing is a ruling."""
    document = documents.get(event["document_id"])
    if event["kind"] == "document_signed" and document and document.type == "court_order":
        return "ruling"
    return event["kind"]


def _event_link(event: dict, documents: dict, statements: dict) -> tuple[str, str]:
    """What an event is called in the list, and where its link goes."""
    kind, record = event["kind"], event["record_id"]
    if kind == "statement":
        statement = statements.get(record)
        if statement is not None and statement.about:
            return event["summary"], f"/documents/{statement.about[0]}#statement-{record}"
        return event["summary"], f"/v1/statements/{record}"
    title = _named(documents, event["document_id"])
    if kind == "status_changed":
        return title, f"/documents/{event['document_id']}#status"
    if kind == "relation":
        return f"{title} {html.term(event['relation_type']).lower()}", (
            f"/documents/{event['document_id']}#relations"
        )
    return title, f"/documents/{record}"


def _named(documents: dict, document_id: str) -> str:
    document = documents.get(document_id)
    return document.title if document is not None else document_id


def _in_document(provision, documents: dict) -> str:
    label = provision.label or f"Provision {provision.position}"
    document = documents.get(provision.document_id)
    return f"{label} of {html.document_name(document) if document else provision.document_id}"


def _facet(name, label, counted, arguments, parameters, names=None) -> dict:
    """One facet: its values with their counts, each a link filtering the list by it."""
    chosen = {str(value) for value in arguments.get(name) or []}
    url = html.url_maker("/documents", parameters, [name])
    values = [
        {
            "label": (names or {}).get(item["value"]) or html.term(item["value"]),
            "count": item["count"],
            "url": url(item["value"]),
            "active": item["value"] in chosen,
        }
        for item in counted
    ]
    return {"name": name, "label": label, "values": values}


def _year_facet(counted, arguments, parameters) -> dict:
    chosen = arguments.get("signed_from"), arguments.get("signed_to")
    url = html.url_maker("/documents", parameters, ["signed_from", "signed_to"])
    values = []
    for item in counted:
        year = int(item["value"])
        values.append(
            {
                "label": item["value"],
                "count": item["count"],
                "url": url(f"{year}-01-01", f"{year}-12-31"),
                "active": all(day is not None and day.year == year for day in chosen),
            }
        )
    return {"name": "year", "label": "Year signed", "values": values}


def _total(type_counts: list[dict], chosen: list[str] | None) -> int:
    """How many documents match: each has one type, counted under every other filter."""
    return sum(i["count"] for i in type_counts if not chosen or i["value"] in chosen)


def _active_filters(path: str, parameters: list, names: dict) -> list[dict]:
    """Each filter in use, with the link that removes it."""
    chips = []
    for key, value in parameters:
        if key in NOT_FILTERS:
            continue
        rest = [(k, v) for k, v in parameters if (k, v) != (key, value)]
        shown = names.get(key, {}).get(value) or (
            html.term(value) if key in TERM_FILTERS else value
        )
        label = FILTER_LABELS.get(key) or html.term(key)
        chips.append({"label": f"{label}: {shown}", "remove": html.url_with(path, rest)})
    return chips


def _pager(path: str, parameters: list, next_cursor: str | None) -> dict:
    first = html.url_with(path, parameters) if request.args.get("cursor") else None
    following = html.url_with(path, parameters, {"cursor": next_cursor}) if next_cursor else None
    return {"first_url": first, "next_url": following}


def _links(path: str, json_url: str) -> dict:
    """A record page's permalink, JSON and oEmbed discovery links."""
    permalink = html.absolute(path)
    return {
        "permalink": permalink,
        "json_url": json_url,
        "oembed_url": f"/oembed?url={quote(permalink, safe='')}&format=json",
    }


def _snippet(embed_path: str, card: cards.Card) -> Markup:
    """The card's <iframe> as oEmbed gives it with no size asked for."""
    width = cards.DEFAULT_WIDTH
    return cards.embed_iframe(embed_path, card, width, cards.card_height(card, width))


def _all(catalog, arguments: dict) -> list:
    """Up to 100 records of a catalog: what one document's page lists of them."""
    return list(catalog.list({"limit": 100, "cursor": None, **arguments}).items)


def _relations_of(document_id: str) -> tuple[list, list]:
    """What a document does to others and others do to it, up to RELATIONS_SHOWN each, by
    date: read in one statement when that many hold both (as nearly always), else one each."""
    first = {"limit": RELATIONS_SHOWN, "cursor": None, "sort": "date"}
    both = RELATIONS.list({**first, "document": [document_id]})
    if both.next_cursor is not None:
        return (
            list(RELATIONS.list({**first, "subject": [document_id]}).items),
            list(RELATIONS.list({**first, "object": [document_id]}).items),
        )
    return (
        [relation for relation in both.items if relation.subject_id == document_id],
        [relation for relation in both.items if relation.object_id == document_id],
    )


def _flattened(nodes):
    for node in nodes:
        yield node
        yield from _flattened(node.nodes)


def _in_order(*lists) -> list[str]:
    """The ids of the lists, each once, in order of first mention."""
    return list(dict.fromkeys(value for values in lists for value in values if value))


def _ordered(records: dict, ids: list[str]) -> dict:
    return {key: records[key] for key in ids if key in records}
