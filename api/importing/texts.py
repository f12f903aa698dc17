"""An order's official text as paragraphs: the one normalisation, for XML and raw text alike.

The normalisation keeps the source's characters and removes only what is not text:
- markup (XML tags, the HTML around raw text; HTML character references are decoded),
- page markers (`<PRTPAGE P="n"/>`, `[[Page N]]`) and control characters (NUL and the like),
- hard wraps and pretty-printing: within a paragraph, every run of whitespace becomes one
  space (none before `.,;:)` when the run held a line break: XML puts a section's number and
  its `.` on separate lines).

Paragraphs are joined with one line break to make the document's text, in which every
provision's `text` is found verbatim.
"""

import html
import re
from dataclasses import dataclass, field

from lxml import etree

# The body ends where the signature block begins.
_XML_BODY_END = {"PSIG", "PLACE", "DATE", "FRDOC", "FILED"}
_XML_SKIPPED = {"GPH", "GID", "BILCOD", "GPOTABLE", "PRTPAGE", "TITLE3", "PRES", "FTNT"}
_XML_PARAGRAPHS = {"FP", "P", "TXT", "HD", "LI", "ST1", "ST2", "ST3"}
# The signature block, where a file prints it as ordinary paragraphs (EO 13401).
_WITNESS = re.compile(r"^(?:IN WITNESS WHEREOF|THE WHITE HOUSE,)", re.IGNORECASE)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAK_BEFORE_PUNCTUATION = re.compile(r"[ \t]*\n\s*(?=[.,;:)])")
_PAGE_MARKER = re.compile(r"^\s*\[\[Page [^\]]*\]\]\s*$")


@dataclass
class Paragraph:
    text: str
    # From XML only: the italic run right after a section or item number (its heading).
    heading: str | None = None
    quoted: bool = False


@dataclass
class OfficialText:
    """What the official text itself says: heading line, title and body paragraphs."""

    format: str  # "xml" or "text"
    kind: str | None = None  # "executive_order", "proclamation", "presidential_memorandum"
    number: str | None = None
    signed_text: str | None = None  # the date as the heading prints it: "January 27, 2017"
    title: str | None = None
    document_number: str | None = None
    volume: str | None = None  # of the Federal Register, and the page the document starts on
    first_page: str | None = None
    published_text: str | None = None  # raw text's header: "Thursday, October 5, 1995"
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(paragraph.text for paragraph in self.paragraphs)


def normalise(text: str) -> str:
    """Whitespace and control characters as the module docstring says; nothing else."""
    text = _CONTROL.sub("", text)
    if "\n" in text:  # the pattern would be tried at every space
        text = _BREAK_BEFORE_PUNCTUATION.sub("", text)
    # str.split() splits where `\s` matches (both ask Py_UNICODE_ISSPACE), in a third the time.
    return " ".join(text.split())


# -- headings (both formats) -----------------------------------------------------------------

_HEADING_LINE = re.compile(
    r"^(?P<kind>Executive Order|Proclamation|Memorandum)\s*(?:No\.\s*)?(?P<number>\d+)?"
    r"(?:,?\s+(?:of\s+)?(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4}))?",
)
_KINDS = {
    "Executive Order": "executive_order",
    "Proclamation": "proclamation",
    "Memorandum": "presidential_memorandum",
}


def _read_heading_line(official: OfficialText, line: str) -> None:
    match = _HEADING_LINE.match(normalise(line))
    if match:
        official.kind = _KINDS[match["kind"]]
        official.number = match["number"]
        official.signed_text = match["date"]


# -- XML -------------------------------------------------------------------------------------


def _element_text(element: etree._Element) -> str:
    """The element's text with its markup removed (page markers and images dropped)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in ("PRTPAGE", "GPH", "FTREF"):
            parts.append(_element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


_BEFORE_HEADING = re.compile(
    r"^\s*(?:(?:Section|Sec\.?|PART|Part)\s*[\dA-Za-z-]+\s*[.:—-]?|\([A-Za-z0-9]{1,5}\))?\s*$"
)


def _leading_heading(element: etree._Element) -> str | None:
    """The italic run (`<E T="03">`) that follows a paragraph's number or label, if any."""
    before = [element.text or ""]
    for child in element:
        if child.tag == "E" and child.get("T") == "03":
            if _BEFORE_HEADING.match(normalise("".join(before))):
                return normalise(_element_text(child)).rstrip(".").strip() or None
            return None
        if child.tag == "PRTPAGE":
            before.append(child.tail or "")
            continue
        before.append(_element_text(child) + (child.tail or ""))
    return None


def read_xml(document: etree._Element) -> OfficialText:
    """The official text of one `<PRESDOCU>` element."""
    official = OfficialText(format="xml")
    title_parts: list[str] = []
    body_done = False
    for element in document.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag == "FRDOC":
            official.document_number = _frdoc_number(_element_text(element))
        if tag == "PRTPAGE" and official.first_page is None:
            official.first_page = element.get("P")
        if body_done:
            continue
        if tag in ("EXECORDR", "PROC", "PRESDOCNO") and official.kind is None:
            _read_heading_line(official, _element_text(element))
            continue
        if tag in _XML_BODY_END:
            body_done = bool(official.paragraphs)
            continue
        if tag == "HD" and element.get("SOURCE") == "HED" and not official.paragraphs:
            title_parts.append(_element_text(element))
            continue
        if tag == "LI" and not official.paragraphs and title_parts:
            title_parts.append(_element_text(element))  # a title broken over two elements
            continue
        if tag in _XML_SKIPPED or tag not in _XML_PARAGRAPHS:
            continue
        if element.getparent() is not None and element.getparent().tag in _XML_PARAGRAPHS:
            continue
        text = normalise(_element_text(element))
        if not text:
            continue
        if _WITNESS.match(text):
            body_done = True
            continue
        official.paragraphs.append(
            Paragraph(text, heading=_leading_heading(element), quoted=_quoted(text))
        )
    official.title = normalise(" ".join(title_parts)) or None
    _join_numbered_runs(official)
    return official


def _join_numbered_runs(official: OfficialText) -> None:
    """`<ST1>(a)</ST1><TXT>The term…</TXT>`: a label alone in its element begins the next one."""
    merged: list[Paragraph] = []
    for paragraph in official.paragraphs:
        if merged and re.fullmatch(r"\([A-Za-z0-9]{1,5}\)", merged[-1].text):
            merged[-1] = Paragraph(f"{merged[-1].text} {paragraph.text}", paragraph.heading)
            continue
        merged.append(paragraph)
    official.paragraphs = merged


def _frdoc_number(text: str) -> str | None:
    match = re.search(r"FR Doc\.?(?: No:)?\s*([A-Z]?\d[\w-]*)", text)
    return match[1] if match else None


def _quoted(text: str) -> bool:
    """Text an amendment inserts: the paragraph opens with a quotation mark."""
    # GPO's raw text sometimes prints a stray `L` (a bracket, in print) before the quote.
    return text.removeprefix("L").startswith(("“", "``", '"', "‘‘"))


# -- raw text --------------------------------------------------------------------------------

_RAW_END = re.compile(
    r"^\s*(?:\(Presidential Sig\.\)|THE WHITE HOUSE,?|\[FR Doc\.|Billing code|"
    r"<GRAPHIC\(S\) NOT AVAILABLE IN TIFF FORMAT>|IN WITNESS WHEREOF)",
    re.IGNORECASE,
)
# The order's own heading (`Executive Order 12956 of March 13, 1995`), not the header's list
# of the documents of the same part (`Executive Order 13770--Ethics…`, `Memorandum of January
# 27, 2017--…`), which names each with `--` and its title.
_RAW_HEADING = re.compile(
    r"^\s*(?:(?:Executive Order|Proclamation)\s+(?:No\.\s*)?\d+,?\s+(?:of\s+)?[A-Z]"
    r"|Memorandum of\s)(?!.*--)"
)
_ANY_PAGE_MARKER = re.compile(r"\s*\[\[Page [^\]]*\]\]\s*")
_RAW_LABEL_LINE = re.compile(r"^(?P<indent>\s*)(?:\([A-Za-z0-9]{1,5}\)|Sec(?:tion|\.)\s+\d)")


def raw_text_body(raw: str) -> str:
    """The text inside the HTML wrapper, with character references decoded."""
    match = re.search(r"<pre>(.*?)(?:</pre>|\Z)", raw, re.DOTALL | re.IGNORECASE)
    inner = match[1] if match else raw
    inner = re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", inner, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(_CONTROL.sub("", inner))


def read_raw_text(raw: str, *, paragraphs: bool = True) -> OfficialText:
    """The official text of a raw-text response (`raw_text_url`); with `paragraphs` false,
    its head only (numbers, kind, dates, title), the same as the whole text's: what an
    import's merge reads, where normalising the body would be most of the work."""
    official = OfficialText(format="text")
    lines = raw_text_body(raw).splitlines()
    for line in lines[:40]:
        line = line.strip()
        if number := re.match(r"^\[FR Doc No: ([^\]]+)\]", line):
            official.document_number = number[1].strip()
        if volume := re.match(r"^\[Federal Register Volume (\d+), Number \d+ \((.+)\)\]", line):
            official.volume, official.published_text = volume[1], volume[2]
        if pages := re.match(r"^\[Pages? (\d+)", line):
            official.first_page = pages[1]
    headings = [i for i, line in enumerate(lines) if _RAW_HEADING.match(line)]
    orders = [i for i in headings if "Memorandum" not in lines[i]]
    if not headings:
        return official
    start = (orders or headings)[0]
    body = _without_page_breaks(lines[start:])
    end = next((i for i, line in enumerate(body) if _RAW_END.match(line)), len(body))
    blocks = _raw_blocks(body[:end])  # the heading line, the title, then the body
    _read_heading_line(official, " ".join(blocks[0]))
    if len(blocks) > 1:
        official.title = normalise(" ".join(blocks[1]))
    for block in blocks[2:] if paragraphs else ():
        for piece in _split_label_lines(block):
            text = normalise(" ".join(piece))
            if text:
                official.paragraphs.append(Paragraph(text, quoted=_quoted(text)))
    return official


def _without_page_breaks(lines: list[str]) -> list[str]:
    """The lines with `[[Page N]]` markers taken out. A marker on a line of its own comes with
    blank lines around it; where the page broke inside a paragraph (the line before it ends
    no sentence, or the line after it goes on in lower case), those blank lines go too."""
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not _PAGE_MARKER.match(line):
            kept.append(_ANY_PAGE_MARKER.sub(" ", line) if "[[Page" in line else line)
            index += 1
            continue
        following = index + 1
        while following < len(lines) and not lines[following].strip():
            following += 1
        before = next((text for text in reversed(kept) if text.strip()), "")
        after = lines[following] if following < len(lines) else ""
        if _inside_paragraph(before, after):
            while kept and not kept[-1].strip():
                kept.pop()
            index = following
        else:
            index += 1
    return kept


def _inside_paragraph(before: str, after: str) -> bool:
    ended = before.rstrip().endswith((".", ":", ";", ".''", ".\u201d", "--"))
    label = bool(_RAW_LABEL_LINE.match(after)) or bool(_RAW_HEADING.match(after))
    return bool(before.strip()) and not label and (not ended or after.lstrip()[:1].islower())


def _raw_blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


def _split_label_lines(block: list[str]) -> list[list[str]]:
    """A blank-line block split where a labelled item begins a line of its own.

    GPO text leaves no blank line between the items of a list, but indents their first line
    deeper than the lines that continue them, or ends the line before with `;`, `:` or `.`.
    A label at the start of an ordinary continuation line (`…required by paragraph` /
    `(a) of this section`) is text, not a new item.
    """
    if len(block) < 2:
        return [block]
    indents = [len(line) - len(line.lstrip()) for line in block]
    base = min(indents[1:]) if len(indents) > 1 else indents[0]
    pieces = [[block[0]]]
    for line, indent in zip(block[1:], indents[1:], strict=True):
        previous = pieces[-1][-1].rstrip()
        ends_clause = previous.endswith((";", ":", ".", "; and", "; or", ".''", ".\u201d"))
        if _RAW_LABEL_LINE.match(line) and (indent > base or ends_clause):
            pieces.append([line])
        else:
            pieces[-1].append(line)
    return pieces
