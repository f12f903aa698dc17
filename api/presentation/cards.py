"""Embeddable cards: their inline style per theme and width, their size, their <iframe>.

A card is one self-contained page (no script, nothing loaded) filling its frame: its blocks
have fixed line heights and at most a few lines each, and the text block gives up lines when
the frame is short, so the card never scrolls. Its height for a width is estimated from its
blocks, which is what oEmbed answers and what the snippet on each page gives.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from api.presentation.html import absolute, day, document_name, term

MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 200, 1000, 500
MIN_HEIGHT = 150
THEMES = ("light", "dark", "auto")
DEFAULT_THEME = "light"
# Longer texts are cut (at a word) before they are sent: the card shows a few lines of them,
# and must stay small.
TEXT_LIMIT, TITLE_LIMIT = 700, 240
TEXT_LINES, TITLE_LINES = 8, 3
ADDRESSEE_CHIPS = 3

# Each theme's colours (WCAG AA contrast for every pair used).
LIGHT = (
    "--bg:#ffffff;--fg:#1b1f24;--muted:#4a5361;--line:#b8c2cc;--link:#0b57d0;"
    "--chip:#eef2f7;--note-bg:#fff4d6;--note-fg:#4d3900;color-scheme:light"
)
DARK = (
    "--bg:#15191f;--fg:#e8ecf1;--muted:#b8c2cf;--line:#4a5565;--link:#9cc0ff;"
    "--chip:#262e39;--note-bg:#3b3216;--note-fg:#ffe7a8;color-scheme:dark"
)
COLORS = {
    "light": f":root{{{LIGHT}}}",
    "dark": f":root{{{DARK}}}",
    "auto": f":root{{{LIGHT}}}@media (prefers-color-scheme:dark){{:root{{{DARK}}}}}",
}
CLAMP = "display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden;"
LAYOUT = (
    "*{box-sizing:border-box}"
    "html,body{margin:0;padding:0;background:var(--bg);color:var(--fg)}"
    'body{font:15px/21px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}'
    "main{display:flex;flex-direction:column;gap:8px;width:100%;max-width:%WIDTH%px;"
    "height:100vh;overflow:hidden;padding:14px 16px;border:1px solid var(--line);"
    "border-radius:8px;overflow-wrap:anywhere}"
    "main>*{margin:0;flex:none}"
    ".kicker{font-size:13px;line-height:18px;color:var(--muted);white-space:nowrap;"
    "overflow:hidden;text-overflow:ellipsis}"
    f"h1{{font-size:17px;line-height:23px;font-weight:600;{CLAMP}-webkit-line-clamp:3}}"
    ".chips{display:flex;flex-wrap:wrap;gap:4px;list-style:none;padding:0}"
    ".chips li{font-size:13px;line-height:18px;padding:2px 8px;border-radius:11px;"
    "background:var(--chip);white-space:nowrap;max-width:100%;overflow:hidden;"
    "text-overflow:ellipsis}"
    ".body{flex:0 1 auto;min-height:0;overflow:hidden}"
    ".body p{margin:0}"
    f".body .words{{{CLAMP}-webkit-line-clamp:8}}"
    ".label{font-size:12px;line-height:16px;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.04em}"
    "blockquote{margin:0;padding-left:10px;border-left:3px solid var(--line)}"
    f".note{{font-size:13px;line-height:18px;padding:4px 8px;border-radius:4px;"
    f"background:var(--note-bg);color:var(--note-fg);{CLAMP}-webkit-line-clamp:2}}"
    "footer{margin-top:auto;font-size:13px;line-height:18px;color:var(--muted)}"
    f"footer p{{margin:0}}footer .doc{{{CLAMP}-webkit-line-clamp:2}}"
    "a{color:var(--link)}a:focus-visible{outline:2px solid var(--link);outline-offset:2px}"
)


def card_style(theme: str, width: int) -> Markup:
    """The card's whole stylesheet, for its inline <style>."""
    return Markup(COLORS[theme] + LAYOUT.replace("%WIDTH%", str(width)))


def shortened(text: str | None, limit: int) -> str | None:
    """The text, cut at a word before `limit` characters (with an ellipsis) if longer."""
    if text is None or len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "…"


@dataclass(frozen=True)
class Card:
    """What a card shows, line by line."""

    kicker: str
    title: str
    chips: list[str]
    text_label: str
    text: str
    quoted: bool  # the record's own words, not our summary
    note: str | None  # said when the record rests on a news report
    document: str
    meta: str
    url: str  # the page the card is of
    link_text: str


REPORTED = "Rests on a news report: no official text has been checked."


def provision_card(
    provision, document, names: dict[str, str], jurisdiction: str | None, url: str
) -> Card:
    label = provision.get("label")
    kicker = ("Provision", label) if label else (f"Provision {provision['position']}",)
    chips = [term(provision["modality"]), "Binding" if provision["binding"] else "Not binding"]
    addressees = [f"To {names.get(actor, actor)}" for actor in provision["addressees"]]
    if len(addressees) > ADDRESSEE_CHIPS:
        more = len(addressees) - ADDRESSEE_CHIPS + 1
        addressees = [*addressees[: ADDRESSEE_CHIPS - 1], f"and {more} more"]
    chips += addressees
    if provision["text"]:
        reported = provision["verification"] == "reported"
        text_label = "Text as reported" if reported else "Text"
    else:
        text_label = "Our summary"
    return Card(
        kicker=" · ".join(part for part in (*kicker, jurisdiction) if part),
        title=shortened(provision.get("heading") or provision["action"], TITLE_LIMIT),
        chips=chips,
        text_label=text_label,
        text=shortened(provision["text"] or provision["summary"], TEXT_LIMIT),
        quoted=bool(provision["text"]),
        note=REPORTED if provision["verification"] == "reported" else None,
        document=f"{document_name(document)}: {shortened(document['title'], TITLE_LIMIT)}"
        if document.get("number")
        else shortened(document["title"], TITLE_LIMIT),
        meta=_dated(document),
        url=url,
        link_text="Read this provision on provisions",
    )


def document_card(document, issuer: str, jurisdiction: str | None, url: str) -> Card:
    chips = [term(document["type"]), term(document["status"])]
    if document.get("number"):
        chips.insert(1, f"No. {document['number']}")
    return Card(
        kicker=" · ".join(part for part in ("Document", jurisdiction) if part),
        title=shortened(document["title"], TITLE_LIMIT),
        chips=chips,
        text_label="Our summary",
        text=shortened(document["summary"], TEXT_LIMIT),
        quoted=False,
        note=REPORTED if document["verification"] == "reported" else None,
        document=f"Issued by {issuer}",
        meta=_dated(document),
        url=url,
        link_text="Read this document and its provisions on provisions",
    )


def _dated(document) -> str:
    signed = f"Signed {day(document['signed_on'])}" if document.get("signed_on") else None
    return " · ".join(part for part in (signed, f"Status: {term(document['status'])}") if part)


def card_height(card: Card, width: int) -> int:
    """The frame height the card needs at `width`, so that nothing in it is cut off: each
    block's lines, wrapped word by word with glyph widths on the wide side, at most the
    lines its style allows."""
    inner = max(width, MIN_WIDTH) - 34  # padding and border
    blocks = [18]  # the kicker: one line
    blocks.append(min(TITLE_LINES, _lines(card.title, inner, 17 * 1.15)) * 23)  # bold
    if card.chips:
        blocks.append(_chip_rows(card.chips, inner) * 26 - 4)
    blocks.append(16 + min(TEXT_LINES, _lines(card.text, inner - 13, 15)) * 21)
    if card.note:
        blocks.append(8 + min(2, _lines(card.note, inner - 16, 13)) * 18)
    footer = min(2, _lines(card.document, inner, 13))
    footer += _lines(card.meta, inner, 13) + _lines(card.link_text, inner, 13)
    blocks.append(footer * 18)
    height = 30 + sum(blocks) + 8 * (len(blocks) - 1) + SLACK
    return max(MIN_HEIGHT, math.ceil(height))


SLACK = 12  # pixels to spare, for fonts wider than those guessed
NARROW, WIDE = set("iljtfr.,;:'!|()[]` "), set("mwMW@%")


def _text_width(text: str, font_px: float) -> float:
    """A guess on the wide side of the width of `text` in a sans-serif font."""
    return _ems(text) * font_px


@lru_cache(maxsize=8192)  # texts are mostly words, and words recur: a page measures hundreds
def _ems(text: str) -> float:
    em = 0.0
    for character in text:
        if character in NARROW:
            em += 0.36
        elif character in WIDE:
            em += 0.92
        elif character.isupper() or character.isdigit():
            em += 0.72
        else:
            em += 0.6
    return em


def _lines(text: str, inner_width: float, font_px: float) -> int:
    """Lines the text takes, wrapped at spaces (and within a word longer than a line)."""
    inner_width *= 0.95  # a wrap guessed a little early rather than a line too few
    lines, used = 1, 0.0
    space = _text_width(" ", font_px)
    for word in text.split():
        needed = _text_width(word, font_px)
        if used and used + space + needed > inner_width:
            lines, used = lines + 1, 0.0
        if needed > inner_width:  # broken anywhere (overflow-wrap)
            extra, needed = divmod(needed, inner_width)
            lines += int(extra)
        used = used + space + needed if used else needed
    return lines


def _chip_rows(chips: list[str], inner_width: float) -> int:
    """Rows of chips, wrapped as flex-wrap does (each chip at most a row wide)."""
    rows, used = 1, 0.0
    for chip in chips:
        needed = min(_text_width(chip, 13) + 16, inner_width)
        if used and used + 4 + needed > inner_width:
            rows, used = rows + 1, 0.0
        used = used + 4 + needed if used else needed
    return rows


def embed_iframe(
    path: str, card: Card, width: int, height: int, theme: str | None = None
) -> Markup:
    """The <iframe> of the card at `path`: what oEmbed answers and each page offers to copy."""
    query = f"?width={width}" + (f"&theme={theme}" if theme else "")
    return Markup(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'style="border:0;max-width:100%"></iframe>'
    ).format(absolute(path + query), width, height, escape(card.title))
