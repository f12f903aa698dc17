"""What a search finds: a hit, and its snippet escaped for HTML with the matched words marked."""

import html
from dataclasses import dataclass

MARK_START, MARK_END = "\u27e6", "\u27e7"  # sentinels, turned into <mark> after escaping


@dataclass(frozen=True)
class Hit:
    type: str
    id: str
    title: str
    snippet: str | None

    @property
    def links(self) -> dict:
        return {"self": f"/v1/{self.type}s/{self.id}"}


def highlight(snippet: str | None) -> str | None:
    """Escape a snippet for HTML and mark the matched words with <mark>."""
    if snippet is None:
        return None
    escaped = html.escape(snippet.strip(), quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
