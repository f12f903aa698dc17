"""An order's official text in, its typed provisions out: structure, force, addressees."""

import re
from dataclasses import dataclass, field

from api.importing.actors import (
    OFFICE,
    Actor,
    Gazetteer,
    addressees_of,
    main_subject,
    order_gazetteer,
)
from api.importing.deontics import (
    binding,
    continues_chapeau,
    last_sentence,
    names_actor,
    read_force,
)
from api.importing.structure import Node, build_tree
from api.importing.texts import OfficialText

# Named in every extracted record. Change it with the rules: an import (or `make run`) then
# derives every stored order again, where it otherwise keeps the records it made before.
EXTRACTOR = "provisions-federal-register/2"

_VERBS = {
    "directs": "Directs",
    "requires": "Requires",
    "prohibits": "Prohibits",
    "permits": "Permits",
    "urges": "Urges",
    "establishes": "Establishes",
    "declares": "Declares",
    "delegates": "Delegates to",
    "revokes": "Revokes",
    "amends": "Amends",
    "contains": "Groups the provisions below",
    "affirms": "Affirms",
    "demands": "Demands",
}


@dataclass
class ExtractedProvision:
    path: str  # the keys from the top, joined by '.': "sec-2.a.i"
    parent_path: str | None
    depth: int
    label: str | None
    heading: str | None
    text: str | None
    modality: str
    addressees: list[Actor] = field(default_factory=list)
    binding: bool = True
    confidence: float = 0.5

    @property
    def action(self) -> str:
        """A short phrase: the heading, or the words that follow the cue, cut at ~12 words."""
        if self.heading:
            return self.heading[:500]
        if not self.text:
            return self.label or "Untitled"
        words = self.text.split()
        phrase = " ".join(words[:12])
        return (phrase + ("…" if len(words) > 12 else ""))[:500]

    @property
    def summary(self) -> str:
        """A generated one-line summary of the typed fields (not a reading of the text)."""
        where = self.label or "An unlabelled paragraph"
        whom = ", ".join(actor.name for actor in self.addressees)
        verb = _VERBS.get(self.modality, self.modality)
        tail = f" {whom}" if whom else ""
        topic = f" ({self.heading})" if self.heading else ""
        return f"{where}{topic}: {verb.lower()}{tail}."


@dataclass
class ExtractedOrder:
    provisions: list[ExtractedProvision]

    @property
    def actors(self) -> dict[str, Actor]:
        """The actors its provisions address."""
        return {actor.id: actor for provision in self.provisions for actor in provision.addressees}


def extract(official: OfficialText) -> ExtractedOrder:
    """Every provision of the order, typed, in document order."""
    gazetteer = order_gazetteer(official.text)
    nodes = build_tree(official)
    typed: dict[int, ExtractedProvision] = {}
    provisions = []
    for node in nodes:
        parent = typed.get(id(node.parent)) if node.parent is not None else None
        provision = _typed(node, parent, gazetteer)
        typed[id(node)] = provision
        provisions.append(provision)
    _complete_chapeaus(provisions, gazetteer)
    _name_listed_addressees(provisions, gazetteer)
    return ExtractedOrder(provisions)


def _complete_chapeaus(provisions: list[ExtractedProvision], gazetteer: Gazetteer) -> None:
    """`the heads of all agencies: (i) shall identify…`: a chapeau with no cue of its own
    has the force its items complete it with, addressed to whom it names."""
    first_child: dict[str, ExtractedProvision] = {}
    for provision in provisions:
        if provision.parent_path is not None:
            first_child.setdefault(provision.parent_path, provision)
    for provision in provisions:
        child = first_child.get(provision.path)
        if (
            child is None
            or not provision.text
            or not continues_chapeau(provision.text)
            or not read_force(provision.text, None, None).by_default
            or not child.text
            or _has_subject(read_force(child.text, None, None).clause)
        ):
            continue
        provision.modality = child.modality
        provision.addressees = list(child.addressees)
        provision.binding = child.binding
        provision.confidence = child.confidence


def _typed(node: Node, parent: ExtractedProvision | None, gazetteer: Gazetteer):
    path = f"{parent.path}.{node.key}" if parent else node.key
    section = _section_of(node)
    chapeau = parent.text if parent is not None and continues_chapeau(parent.text) else None
    modality, addressees, confidence, by_default = _force_of(
        node.text,
        node.heading,
        section.heading if section else None,
        gazetteer,
        _chapeau_subject(last_sentence(chapeau)) if chapeau else None,
    )
    if chapeau:
        # Under a section headed `Purpose`, an item that completes `The Office shall:` still
        # has that sentence's force: the heading does not decide for words that carry none;
        # nor do the words of an item that completes a relative clause (`actions that: (A)
        # may be subject to…`).
        by_default = (
            by_default
            or _force_of(node.text, None, None, gazetteer)[3]
            or bool(_RELATIVE_END.search(chapeau))
        )
    if by_default and parent is not None and parent.modality != "contains":
        # An item with no words of force of its own completes its chapeau's sentence: the
        # last sentence of the words above it (`The report shall include:`).
        modality, addressees, _, _ = _chapeau_force(parent, gazetteer)
        confidence = 0.75
    outside = any(actor.outside_executive for actor in addressees)
    return ExtractedProvision(
        path=path,
        parent_path=parent.path if parent else None,
        depth=node.depth,
        label=node.label,
        heading=node.heading,
        text=node.text,
        modality=modality,
        addressees=list(addressees),
        binding=binding(modality, outside),
        confidence=round(max(0.05, min(confidence, 0.99)), 2),
    )


def _force_of(
    text, heading, section_heading, gazetteer, inherited: str | None = None
) -> tuple[str, list, float, bool]:
    """(modality, addressees, confidence, whether nothing in the words decided it); an item
    that begins with its cue (`(i) shall identify…`) has the subject `inherited`."""
    force = read_force(text, heading, section_heading)
    modality, confidence, addressees = force.modality, force.confidence, []
    clause = force.clause or ""
    if inherited and not _has_subject(clause):
        clause = inherited
    if modality in _ADDRESSED:
        after = force.after if force.object_first else None
        addressees = addressees_of(gazetteer, clause, after, force.object_first)
    if force.composition:
        modality, addressees = "requires", []
    elif modality == "directs" and force.passive and not addressees:
        modality = "requires"  # `Members shall be compensated`: no actor is told to act
    elif modality == "directs" and not addressees:
        if names_actor(main_subject(clause)):
            confidence -= 0.15
        else:
            modality = "requires"
    return modality, addressees, confidence, force.by_default


def _chapeau_force(parent: ExtractedProvision, gazetteer: Gazetteer):
    if parent.text and continues_chapeau(parent.text):
        last = last_sentence(parent.text)
        found = _force_of(last, None, None, gazetteer)
        # `(i) shall identify actions that:` names no one: its own chapeau did.
        if not found[3] and _has_subject(read_force(last, None, None).clause):
            return found
    return parent.modality, parent.addressees, parent.confidence, False


# A chapeau whose items complete a relative clause: their `may` and `shall` are not theirs.
_RELATIVE_END = re.compile(r"\b(?:that|which|who|whom|whose|where|whether)\s*(?::|—|--)\s*$")


_THE_FOLLOWING = re.compile(r"\bthe\s+following\b", re.I)
_LISTED_TITLE = re.compile(r"^(?:the\s+)?(?P<title>[A-Z][^;:]{2,150}?)[\s,.;]*(?:and|or)?\s*$")


def _name_listed_addressees(provisions: list[ExtractedProvision], gazetteer: Gazetteer) -> None:
    """`the following officials, in the order listed, shall act as Secretary: (a) Deputy
    Secretary of Commerce; (b) General Counsel…`: each item addresses the office it names,
    and the chapeau all of them."""
    items: dict[str, list[ExtractedProvision]] = {}
    for provision in provisions:
        if provision.parent_path is not None:
            items.setdefault(provision.parent_path, []).append(provision)
    for chapeau in provisions:
        listed = items.get(chapeau.path)
        if not (listed and chapeau.text and chapeau.modality in _ADDRESSED):
            continue
        force = read_force(last_sentence(chapeau.text), None, None)
        if force.clause is None or not _THE_FOLLOWING.search(force.clause):
            continue
        named: list[Actor] = []
        for item in listed:
            actor = _listed_office(item.text or "", gazetteer)
            if actor is None or not read_force(item.text, None, None).by_default:
                continue
            item.addressees = [actor]
            named.append(actor)
        if named:
            chapeau.addressees = list({actor.id: actor for actor in named}.values())


def _listed_office(text: str, gazetteer: Gazetteer) -> Actor | None:
    match = _LISTED_TITLE.match(text.strip())
    if match is None or len(match["title"].split()) > 20:
        return None
    title = match["title"].strip()
    spans = gazetteer.spans(title)
    if len(spans) == 1 and spans[0][0] == 0 and spans[0][1] >= len(title) - 1:
        return gazetteer.actors[spans[0][2].split("|")[0]]
    return Actor(slug(title), title, OFFICE)


def _has_subject(clause: str | None) -> bool:
    """Whether words come before the cue (None: there is no cue)."""
    return clause is None or bool(re.search(r"[A-Za-z]", clause))


def _chapeau_subject(sentence: str) -> str:
    """The words of a chapeau that name who its items are addressed to: those before its
    cue (`The Secretary shall:`), or all of it when it has none (`the heads of all
    agencies:`)."""
    force = read_force(sentence, None, None)
    return force.clause if force.clause and not force.by_default else sentence


_ADDRESSED = ("directs", "prohibits", "permits", "urges", "delegates")


def _section_of(node: Node) -> Node | None:
    while node is not None and node.kind != "section":
        node = node.parent
    return node


def texts_not_verbatim(official: OfficialText, order: ExtractedOrder) -> list[str]:
    """Paths of provisions whose text is not found, character for character, in the source."""
    source = official.text
    return [
        provision.path
        for provision in order.provisions
        if provision.text is not None and provision.text not in source
    ]


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")
