"""An Atom 1.0 feed of the documents most recently created or changed."""

from feedgen.feed import FeedGenerator
from flask import request

from api.models import Document

FEED_TITLE = "provisions: new and changed policy documents"


def _url(path: str) -> str:
    return request.host_url.rstrip("/") + path


def documents_feed(documents: list[Document], updated) -> bytes:
    """The feed, newest change first; `updated` is when the data last changed."""
    feed = FeedGenerator()
    feed.id(_url("/v1/documents.atom"))
    feed.title(FEED_TITLE)
    feed.subtitle("Executive orders, memoranda and court orders, with each of their provisions.")
    feed.author({"name": "provisions"})
    feed.link(href=_url("/v1/documents.atom"), rel="self", type="application/atom+xml")
    feed.link(href=_url("/v1/documents"), rel="alternate", type="application/json")
    feed.updated(updated)
    for document in reversed(documents):  # feedgen puts the last entry added first
        entry = feed.add_entry()
        entry.id(_url(f"/v1/documents/{document.id}"))
        entry.title(document.title)
        entry.updated(document.updated_at)
        entry.published(document.created_at)
        entry.summary(document.summary)
        entry.link(href=_url(f"/v1/documents/{document.id}"), rel="alternate",
                   type="application/json")  # fmt: skip
        if document.official_url:
            entry.link(href=document.official_url, rel="related", type="text/html")
        entry.category(term=document.type, label=document.type.replace("_", " "))
    return feed.atom_str(pretty=True)
