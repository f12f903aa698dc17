"""Representations beyond JSON: CSV, JSON-LD, NDJSON, Atom, ZIP."""

# A document's official files: the attribute of each, and its media type when it has one to
# name (the Federal Register serves its raw text as plain text wrapped in HTML).
OFFICIAL_FILES = (
    ("pdf_url", "application/pdf"),
    ("xml_url", "application/xml"),
    ("text_url", None),
)
