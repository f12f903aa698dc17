"""Cards of documents and provisions to embed in other sites, and oEmbed to discover them.

A plain Flask blueprint, outside /v1 and the OpenAPI document. Only these cards may be
framed by other sites (api.http.protection); they carry no script and load nothing.
"""

import re
from urllib.parse import parse_qs, unquote, urlsplit

import marshmallow as ma
from flask import Blueprint, Response, jsonify, request

from api.errors import DomainError, NotFound
from api.http import page_cache
from api.http.problems import domain_error_response, problem_response
from api.presentation import cards, html
from api.queries import explorer
from api.queries.documents import DOCUMENTS, get_provision
from api.routes.page_arguments import BadParameters, page_arguments, record_id

blueprint = Blueprint("embeds", __name__)
blueprint.record_once(lambda state: html.install(state.app))
page_cache.install(blueprint)
blueprint.register_error_handler(
    DomainError, lambda error: html.error_page(error, "embed_error.html")
)

# oEmbed consumers may cache an answer this long: the card in the frame is always served
# fresh, only its title and size are in the answer.
OEMBED_CACHE_AGE = 86400
# The pages (and cards) oEmbed answers for: /documents/{id}, /embed/provisions/{id}…
EMBEDDABLE = re.compile(r"^/(?:embed/)?(documents|provisions)/([^/]+)/?$")


class EmbedQuerySchema(ma.Schema):
    theme = ma.fields.String(
        load_default=cards.DEFAULT_THEME, validate=ma.validate.OneOf(cards.THEMES)
    )
    width = ma.fields.Integer(
        load_default=cards.DEFAULT_WIDTH,
        validate=ma.validate.Range(min=cards.MIN_WIDTH, max=cards.MAX_WIDTH),
    )


class OEmbedQuerySchema(ma.Schema):
    url = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    # Anything but json is answered 501, as the oEmbed spec says, not refused as invalid.
    format = ma.fields.String(load_default="json")
    maxwidth = ma.fields.Integer(validate=ma.validate.Range(min=1))
    maxheight = ma.fields.Integer(validate=ma.validate.Range(min=1))


@blueprint.get("/embed/provisions/<id>")
def provision_card(id: str) -> Response:
    """A provision's card."""
    arguments = page_arguments(EmbedQuerySchema)
    card, _title = _provision(record_id("provision", id))
    return _card_page(card, arguments)


@blueprint.get("/embed/documents/<id>")
def document_card(id: str) -> Response:
    """A document's card."""
    arguments = page_arguments(EmbedQuerySchema)
    card, _title = _document(record_id("document", id))
    return _card_page(card, arguments)


@blueprint.get("/oembed")
def oembed() -> Response:
    """oEmbed 1.0: the card of one of our document or provision pages, as a rich <iframe>."""
    try:
        arguments = page_arguments(OEmbedQuerySchema)
    except BadParameters as error:
        return domain_error_response(error)
    if arguments["format"] != "json":
        return problem_response(501, "This provider answers in JSON only (format=json).")
    target = _embeddable(arguments["url"])
    if target is None:
        return problem_response(404, "The url is not a document or provision page of ours.")
    kind, record, theme = target
    try:
        card, title = _provision(record) if kind == "provisions" else _document(record)
    except NotFound as error:
        return domain_error_response(error)
    width = min(arguments.get("maxwidth", cards.DEFAULT_WIDTH), cards.DEFAULT_WIDTH)
    height = cards.card_height(card, width)
    if width < cards.MIN_WIDTH or arguments.get("maxheight", height) < cards.MIN_HEIGHT:
        return problem_response(
            404,
            f"No card fits in less than {cards.MIN_WIDTH} by {cards.MIN_HEIGHT} pixels.",
        )
    # A shorter frame than the card would like: the card gives up lines of its text.
    height = min(height, arguments.get("maxheight", height))
    response = jsonify(
        {
            "version": "1.0",
            "type": "rich",
            "title": title,
            "provider_name": "provisions",
            "provider_url": html.absolute("/"),
            "cache_age": OEMBED_CACHE_AGE,
            "html": str(cards.embed_iframe(f"/embed/{kind}/{record}", card, width, height, theme)),
            "width": width,
            "height": height,
        }
    )
    # Read by other sites' servers and, now and then, by their pages' scripts.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _embeddable(url: str) -> tuple[str, str, str | None] | None:
    """(documents|provisions, id, theme) of one of our pages or cards; None for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower():
        return None
    found = EMBEDDABLE.match(unquote(parts.path))
    if found is None:
        return None
    kind, record = found.groups()
    try:
        record_id(kind, record)
    except NotFound:
        return None
    themes = parse_qs(parts.query).get("theme", [])
    theme = themes[0] if themes and themes[0] in cards.THEMES else None
    return kind, record, theme


def _provision(provision_id: str) -> tuple[cards.Card, str]:
    """A provision's card, and the title of its page."""
    provision = get_provision(provision_id)
    document = explorer.document_briefs([provision.document_id])[provision.document_id]
    names = explorer.actor_names(provision.addressees)
    jurisdiction = explorer.jurisdiction_names([document.jurisdiction_id]).get(
        document.jurisdiction_id
    )
    url = html.absolute(f"/provisions/{provision.id}")
    card = cards.provision_card(provision, document, names, jurisdiction, url)
    label = provision.label or f"Provision {provision.position}"
    return card, f"{label} of {html.document_name(document)}"


def _document(document_id: str) -> tuple[cards.Card, str]:
    document = DOCUMENTS.get(document_id)
    issuer = explorer.actor_names([document.issuer_id]).get(document.issuer_id, document.issuer_id)
    jurisdiction = explorer.jurisdiction_names([document.jurisdiction_id]).get(
        document.jurisdiction_id
    )
    url = html.absolute(f"/documents/{document.id}")
    return cards.document_card(document, issuer, jurisdiction, url), document.title


def _card_page(card: cards.Card, arguments: dict) -> Response:
    style = cards.card_style(arguments["theme"], arguments["width"])
    return html.render("embed.html", card=card, style=style)
