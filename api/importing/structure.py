"""An order's paragraphs as a tree of provisions: preamble, sections, subsections, items.

A provision begins at each paragraph before the first section, at each section, at each
label that begins a paragraph (or directly follows a section's number and heading, or
another label), and at each other paragraph of the body. Labels nest in whatever order the
order uses (`(a)`, `(1)`, `(i)`, `(A)`): a label that continues an open level is its next
sibling, one that starts a series opens a level below the current one. Paragraphs of
quoted text that an amendment inserts stay with the amending provision.
"""

import re
from dataclasses import dataclass, field

from api.importing.texts import OfficialText, Paragraph

_SECTION = re.compile(
    r"^(?:Section|Sec\.?|SEC\.|SECTION)\s*(?P<number>\d+[A-Za-z]?(?:[-.]\d+)?)\s*(?:[.:—]\s*|\s+)"
)
_BARE_SECTION = re.compile(r"^(?P<number>\d+-\d+)\.\s+")  # `1-201. Definitions.`
_PART = re.compile(r"^PART\s+(?P<number>\d+|[IVXL]+)\b\s*[.:—–-]*\s*", re.IGNORECASE)
_LABEL = re.compile(r"^\((?P<label>[A-Za-z]{1,4}|\d{1,3})\)\s*")
_ROMAN = re.compile(r"^(?=[ivxl]+$)l?x{0,3}(?:ix|iv|v?i{0,3})$")
_UPPER_ROMAN = re.compile(r"^(?=[IVXL]+$)L?X{0,3}(?:IX|IV|V?I{0,3})$")
_HEADING_END = re.compile(r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z])\.\s+(?=[A-Z(“\"`‘])")
_MINOR_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "under", "through", "within", "among", "between", "its", "their", "upon",
}  # fmt: skip


@dataclass
class Node:
    """One provision as the text gives it, before it is typed."""

    key: str
    label: str | None
    heading: str | None
    text: str | None
    depth: int
    parent: "Node | None" = None
    kind: str = "paragraph"  # preamble, part, section, item, paragraph
    style: str | None = None  # for items: lower, digit, roman, upper, upper-roman
    value: str | None = None  # for items: the label's letters or digits
    children: list["Node"] = field(default_factory=list)

    @property
    def citation(self) -> str | None:
        """The nearest labelled ancestor's label (or its own): what a lawyer would cite."""
        node = self
        while node is not None and node.label is None:
            node = node.parent
        return node.label if node is not None else None


def build_tree(official: OfficialText) -> list[Node]:
    """Every provision of the order, in document order (parents before their children)."""
    return _TreeBuilder().build(official.paragraphs)


class _TreeBuilder:
    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.part: Node | None = None
        self.section: Node | None = None
        self.items: list[Node] = []  # open item levels, shallowest first
        self.last_labelled: Node | None = None

    def build(self, paragraphs: list[Paragraph]) -> list[Node]:
        for paragraph in paragraphs:
            if paragraph.quoted and self.nodes:
                self._continue(self.nodes[-1], paragraph.text)
                continue
            self._paragraph(paragraph)
        return self.nodes

    def _continue(self, node: Node, text: str) -> None:
        node.text = f"{node.text}\n{text}" if node.text else text

    def _paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        if match := _PART.match(text):
            self._open_part(match["number"], text[match.end() :])
            return
        match = _SECTION.match(text) or (_BARE_SECTION.match(text) if self.section else None)
        if match is None and not self.nodes and _BARE_SECTION.match(text):
            match = _BARE_SECTION.match(text)
        if match:
            self._open_section(match["number"], text[match.end() :], paragraph.heading)
            return
        if _LABEL.match(text) and self.section is not None:
            self._items(text, paragraph.heading)
            return
        self._unlabelled(text)

    # -- parts and sections ---------------------------------------------------------------

    def _open_part(self, number: str, rest: str) -> None:
        heading = rest.strip() or None
        self.part = self._add(f"part-{number.lower()}", f"Part {number}", heading, None, None)
        self.part.kind = "part"
        self.section, self.items, self.last_labelled = None, [], self.part

    def _open_section(self, number: str, rest: str, heading_hint: str | None) -> None:
        heading, rest = _split_heading(rest, heading_hint)
        key = f"sec-{number.lower().replace('.', '-')}"
        section = self._add(key, f"Sec. {number}", heading, None, self.part)
        section.kind = "section"
        self.section, self.items, self.last_labelled = section, [], section
        if _LABEL.match(rest):
            self._items(rest, None)
        elif rest:
            section.text = rest

    # -- labelled items -------------------------------------------------------------------

    def _items(self, text: str, heading_hint: str | None) -> None:
        """The item whose label begins `text`; a label right after it (`(c) (i) analyze…`)
        is part of its words, as an enumeration inside a paragraph is."""
        match = _LABEL.match(text)
        label, rest = match["label"], text[match.end() :]
        parent, style = self._place(label)
        heading, rest = _split_item_heading(rest, heading_hint)
        citation = f"{parent.citation or ''}({label})" if parent else f"({label})"
        node = self._add(_item_key(label, style), citation, heading, rest or None, parent)
        node.kind, node.style, node.value = "item", style, label
        self.items = [item for item in self.items if item.depth < node.depth] + [node]
        self.last_labelled = node

    def _place(self, label: str) -> tuple[Node, str]:
        """The parent of a new item, and its label's style."""
        for index in range(len(self.items) - 1, -1, -1):
            open_item = self.items[index]
            style = _successor_style(open_item, label)
            if style:
                return open_item.parent, style
        styles = _styles(label)
        first = [style for style in styles if _is_first(label, style)]
        parent = self.items[-1] if self.items else self.section
        if first:
            # A series that starts again at a level already open (a new `(a)` list under the
            # same section after an unlabelled paragraph) is a sibling level, not a child.
            return parent, first[0]
        same = [item for item in self.items if item.style in styles]
        if same:
            return same[-1].parent, same[-1].style
        return parent, styles[0]

    # -- unlabelled paragraphs ------------------------------------------------------------

    def _unlabelled(self, text: str) -> None:
        if self.section is None and self.part is None:
            count = sum(1 for node in self.nodes if node.parent is None)
            key = "preamble" if count == 0 else f"preamble-{count + 1}"
            node = self._add(key, None, None, text, None)
            node.kind = "preamble"
            return
        anchor = self.last_labelled
        parent = anchor if anchor.kind in ("section", "part") else anchor.parent
        if (
            parent is not None
            and parent.kind != "part"
            and parent.text is None
            and (not parent.children)
        ):
            parent.text = text  # a section whose words begin on the paragraph after its number
            return
        siblings = parent.children if parent is not None else []
        node = self._add(f"para-{len(siblings) + 1}", None, None, text, parent)
        node.kind = "paragraph"

    # -- nodes ----------------------------------------------------------------------------

    def _add(self, key, label, heading, text, parent: Node | None) -> Node:
        siblings = parent.children if parent is not None else self._top_level()
        taken = {node.key for node in siblings}
        unique, suffix = key, 2
        while unique in taken:
            unique, suffix = f"{key}-{suffix}", suffix + 1
        depth = parent.depth + 1 if parent is not None else 0
        node = Node(unique, label, heading, text, depth, parent)
        if parent is not None:
            parent.children.append(node)
        self.nodes.append(node)
        return node

    def _top_level(self) -> list[Node]:
        return [node for node in self.nodes if node.parent is None]


def _split_heading(rest: str, hint: str | None) -> tuple[str | None, str]:
    """A section's heading and the words after it."""
    if hint and rest.startswith(hint):
        return hint, rest[len(hint) :].lstrip(" .:—").strip()
    match = _HEADING_END.search(rest)
    if match is None:
        candidate, after = rest.rstrip(". "), ""
        if not _looks_like_heading(candidate) or not rest.rstrip().endswith("."):
            return None, rest
        return candidate, after
    candidate = rest[: match.start()]
    if _looks_like_heading(candidate):
        return candidate, rest[match.end() :]
    return None, rest


def _split_item_heading(rest: str, hint: str | None) -> tuple[str | None, str]:
    """An item's heading only where the XML marks it (raw text cannot tell one from a
    short first sentence)."""
    if hint and rest.startswith(hint):
        return hint, rest[len(hint) :].lstrip(" .:—").strip()
    return None, rest


def _looks_like_heading(candidate: str) -> bool:
    """Short and in title case: `Review of Policies and Procedures`, `Definitions`."""
    words = candidate.split()
    if not words or len(words) > 16 or len(candidate) > 150:
        return False
    significant = [word for word in words if word.strip("(),;“”\"'").lower() not in _MINOR_WORDS]
    if not significant:
        return False
    capitalised = [word for word in significant if word.lstrip("(“\"'")[:1].isupper()]
    first_ok = words[0][:1].isupper() or words[0][:1].isdigit()
    return first_ok and len(capitalised) / len(significant) >= 0.75


def _styles(label: str) -> list[str]:
    """The styles a label may belong to, likeliest first."""
    if label.isdigit():
        return ["digit"]
    if label.islower():
        if _ROMAN.match(label):
            return ["roman", "lower"] if label not in ("i", "v", "x") else ["lower", "roman"]
        return ["lower"]
    if label.isupper():
        if _UPPER_ROMAN.match(label):
            return ["upper-roman", "upper"] if len(label) > 1 or label == "I" else ["upper"]
        return ["upper"]
    return ["lower"]


def _is_first(label: str, style: str) -> bool:
    return (
        label == {"lower": "a", "digit": "1", "roman": "i", "upper": "A", "upper-roman": "I"}[style]
    )


def _successor_style(item: Node, label: str) -> str | None:
    """The open item's style if `label` is the next label in it."""
    if item.style and _next_label(item.value, item.style) == label:
        return item.style
    return None


def _next_label(value: str, style: str) -> str | None:
    if style == "digit":
        return str(int(value) + 1)
    if style in ("roman", "upper-roman"):
        number = _roman_value(value.lower())
        following = _roman(number + 1)
        return following if style == "roman" else following.upper()
    if style in ("lower", "upper"):
        if len(value) > 1 and len(set(value)) == 1:  # (aa), (bb): doubled letters
            letter = chr(ord(value[0]) + 1)
            return letter * len(value)
        if value in ("z", "Z"):
            return "aa" if value == "z" else "AA"
        return chr(ord(value[-1]) + 1) if len(value) == 1 else None
    return None


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}


def _roman_value(text: str) -> int:
    total = 0
    for index, letter in enumerate(text):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _roman(number: int) -> str:
    parts = []
    for value, letters in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv")):
        while number >= value:
            parts.append(letters)
            number -= value
    return "".join(parts) + "i" * number


def _item_key(label: str, style: str) -> str:
    """A key among siblings: the label in lower case; capitals marked (`(A)` → `cap-a`)."""
    if style in ("upper", "upper-roman"):
        return f"cap-{label.lower()}"
    return label.lower()
