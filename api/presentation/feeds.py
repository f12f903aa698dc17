"""An Atom 1.0 feed (RFC 4287) of the documents most recently created or changed.

An entry is `published` on the day its document was signed (else published, else it has no
`published`: RFC 4287 makes it optional), at 00:00Z; `updated` is the record's last change.
Written with ElementTree: feedgen 1.0 drops the `rel` and `type` of entry links.
"""

import datetime
from xml.etree import ElementTree

from flask import request

from api.presentation import OFFICIAL_FILES
from api.storage.models import Document

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
FEED_TITLE = "provisions: new and changed policy documents"


def _url(path: str) -> str:
    return request.host_url.rstrip("/") + path


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes):
    element = ElementTree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    element.text = text
    return element


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _issued(document: Document) -> str | None:
    """The day the document was signed (else published) at 00:00Z; None if neither is known."""
    # Its dates carry no time zone: midnight UTC stands for the day itself.
    day = document.signed_on or document.published_on
    return f"{day.isoformat()}T00:00:00Z" if day else None


def documents_feed(documents: list[Document], updated: datetime.datetime) -> bytes:
    """The feed, in the order given (newest change first); `updated` is the last change."""
    feed = ElementTree.Element("feed", xmlns=ATOM_NAMESPACE)
    _add(feed, "id", _url("/v1/documents.atom"))
    _add(feed, "title", FEED_TITLE)
    _add(feed, "subtitle", "Executive orders, memoranda and court orders, provision by provision.")
    _add(feed, "updated", _timestamp(updated))
    _add(_add(feed, "author"), "name", "provisions")
    _add(feed, "link", href=_url("/v1/documents.atom"), rel="self", type="application/atom+xml")
    _add(feed, "link", href=_url("/v1/documents"), rel="alternate", type="application/json")
    for document in documents:
        entry = _add(feed, "entry")
        _add(entry, "id", _url(f"/v1/documents/{document.id}"))
        _add(entry, "title", document.title)
        _add(entry, "updated", _timestamp(document.updated_at))
        issued = _issued(document)
        if issued:
            _add(entry, "published", issued)
        _add(entry, "summary", document.summary)
        _add(entry, "link", href=_url(f"/v1/documents/{document.id}"), rel="alternate",
             type="application/json")  # fmt: skip
        if document.official_url:
            _add(entry, "link", href=document.official_url, rel="related", type="text/html")
        for attribute, media_type in OFFICIAL_FILES:
            url = getattr(document, attribute)
            if url:
                _add(entry, "link", href=url, rel="related", type=media_type)
        _add(entry, "category", term=document.type, label=document.type.replace("_", " "))
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
