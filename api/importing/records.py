"""Imported Federal Register documents in, the records they make out: documents, provisions,
relations, the statuses relations imply, and the actors and sources they name.

Every value says where it came from. Metadata is the FR API's; what the official text says
(number, date, title) is checked against it, and where they disagree the official text's
value is kept and the document's `note` says so. The EO number is the exception: the
register assigns it, so its metadata wins over a misprint in the text (EO 13523's heading
says 15323).
"""

import datetime
import re
from dataclasses import dataclass, field

from api.importing.actors import Actor, reference_actors
from api.importing.extraction import (
    EXTRACTOR,
    ExtractedOrder,
    extract,
    slug,
    texts_not_verbatim,
)
from api.importing.files import parse_xml_document
from api.importing.texts import OfficialText, read_raw_text
from api.importing.workers import each
from api.seeding.dataset import Dataset

FR = "https://www.federalregister.gov"
INDEX_SOURCE = "fr-executive-orders"
JURISDICTION = "us"
TYPE_PREFIX = {
    "executive_order": "us-eo",
    "proclamation": "us-proc",
    "presidential_memorandum": "us-pm",
}
TYPE_NAMES = {
    "executive_order": "Executive Order",
    "proclamation": "Proclamation",
    "presidential_memorandum": "Memorandum",
}

# (id, name, first day in office); each term ends where the next begins.
PRESIDENTS = [
    ("william-j-clinton", "William J. Clinton", datetime.date(1993, 1, 20)),
    ("george-w-bush", "George W. Bush", datetime.date(2001, 1, 20)),
    ("barack-obama", "Barack Obama", datetime.date(2009, 1, 20)),
    ("donald-j-trump", "Donald J. Trump", datetime.date(2017, 1, 20)),
    ("joseph-r-biden-jr", "Joseph R. Biden Jr.", datetime.date(2021, 1, 20)),
    ("donald-j-trump", "Donald J. Trump", datetime.date(2025, 1, 20)),
]

# Disposition labels, from the order's side: (relation type, whether the order is its subject)
_DISPOSITIONS = {
    "revokes": ("revokes", True),
    "revokes in part": ("revokes_in_part", True),
    "supersedes": ("supersedes", True),
    "suspersedes": ("supersedes", True),
    "supersedes or revokes": ("supersedes", True),
    "supersedes in part": ("supersedes_in_part", True),
    "partially supersedes": ("supersedes_in_part", True),
    "amends": ("amends", True),
    "revoked by": ("revokes", False),
    "revoked in part by": ("revokes_in_part", False),
    "superseded by": ("supersedes", False),
    "superseded in part by": ("supersedes_in_part", False),
    "amended by": ("amends", False),
}
_ENDING = {"revokes": "revoked", "supersedes": "superseded"}
_VOLATILE = ("page_views", "public_inspection_pdf_url")


def stable_api_record(record: dict) -> dict:
    """The API record without the fields that change between downloads of one document."""
    return {key: value for key, value in record.items() if key not in _VOLATILE}


@dataclass
class Stored:
    """One imported FR document, as the store keeps it."""

    document_number: str
    api_record: dict | None
    full_text_xml: str | None
    raw_text: str | None

    def official(self) -> OfficialText | None:
        if self.full_text_xml:
            return parse_xml_document(self.full_text_xml)
        if self.raw_text:
            return read_raw_text(self.raw_text)
        return None


@dataclass
class _Order:
    """What the records of one imported document are made from."""

    id: str
    type: str
    number: str | None
    source_id: str
    row: dict
    extracted: ExtractedOrder | None
    dispositions: list[tuple[str, bool, str, datetime.date | None]] = field(default_factory=list)


def imported_dataset(stored: list[Stored], seed_documents: set[str] = frozenset()) -> Dataset:
    """The records of every imported document, and of the actors and sources they name."""
    dataset = Dataset()
    orders = _read_orders(sorted(stored, key=lambda item: item.document_number))
    orders = _one_per_id(orders)
    known = {order.id for order in orders} | set(seed_documents)
    by_id = {order.id: order for order in orders}
    actors: dict[str, tuple[Actor, set[str]]] = {}
    _add_reference(dataset)
    relations = _relations(orders, known)
    endings = _endings(orders, relations, by_id)
    for order in orders:
        _add_document(dataset, order, endings.get(order.id, []))
        for actor in (order.extracted.actors if order.extracted else {}).values():
            actors.setdefault(actor.id, (actor, set()))[1].add(order.source_id)
    for relation in relations.values():
        dataset.add(
            "relations", {key: value for key, value in relation.items() if key != "_source"}
        )
        dataset.add(
            "relation_sources", {"relation_id": relation["id"], "source_id": relation["_source"]}
        )
    _add_actors(dataset, actors, {order.row["issuer_id"] for order in orders})
    return dataset


def _read_orders(stored: list[Stored]) -> list["_Order"]:
    """Reading and extracting an order is pure work on its text: shared among the cores."""
    return each(_order, stored)


# -- one document ---------------------------------------------------------------------------


def _order(stored: Stored) -> _Order:
    api = stored.api_record or {}
    official = stored.official()
    notes: list[str] = []
    kind = (official.kind if official else None) or _api_kind(api)
    number = _number(api, official, notes)
    signed_on = _signed_on(api, official, notes)
    published_on = _day(api.get("publication_date")) or _published_from_text(official)
    title = _title(api, official, notes)
    document_id = f"{TYPE_PREFIX.get(kind, 'us-doc')}-{number or slug(stored.document_number)}"
    source_id = f"fr-{slug(stored.document_number)}"
    extracted = extract(official) if official and official.paragraphs else None
    if extracted is not None:
        # `text` claims to be verbatim: a text not found in the source is not given at all.
        unfound = set(texts_not_verbatim(official, extracted))
        for provision in extracted.provisions:
            if provision.path in unfound:
                provision.text = None
    issuer = _president(signed_on)
    citation = api.get("citation") or _citation(stored.document_number, official)
    row = {
        "id": document_id,
        "type": kind,
        "number": number,
        "title": title,
        "issuer_id": issuer[0],
        "jurisdiction_id": JURISDICTION,
        "signed_on": signed_on,
        "published_on": published_on,
        "summary": api.get("abstract") or _summary(kind, number, title, issuer[1], signed_on),
        "official_url": api.get("html_url") or f"{FR}/d/{stored.document_number}",
        "pdf_url": api.get("pdf_url"),
        "xml_url": api.get("full_text_xml_url"),
        "text_url": api.get("raw_text_url"),
        "citation": citation,
        "document_number": stored.document_number,
        "note": " ".join(notes) or None,
        "verification": "official" if official else "extracted",
        "confidence": None if official else 1.0,
        "extractor": None if official else EXTRACTOR,
        "_topics": _topics(api),
        "_published": published_on,
        "_source_title": f"{TYPE_NAMES.get(kind, 'Document')} {number or ''}: {title}".replace(
            "  ", " "
        ),
        "_source_url": api.get("html_url") or f"{FR}/d/{stored.document_number}",
    }
    order = _Order(document_id, kind, number, source_id, row, extracted)
    order.dispositions = _dispositions(api.get("disposition_notes") or "")
    return order


def _api_kind(api: dict) -> str:
    subtype = (api.get("subtype") or "").lower()
    if "proclamation" in subtype:
        return "proclamation"
    if "memorandum" in subtype:
        return "presidential_memorandum"
    return "executive_order"


def _number(api: dict, official: OfficialText | None, notes: list[str]) -> str | None:
    from_api = api.get("executive_order_number") or api.get("proclamation_number")
    from_text = official.number if official else None
    if not from_api:
        toc = re.search(r"\((?:EO|Proc\.?)\s*(\d+)\)", api.get("toc_doc") or "")
        from_api = toc[1] if toc else None
    if from_api and from_text and str(from_api) != from_text:
        notes.append(
            f"The official text's heading numbers it {from_text}; the Federal Register's "
            f"metadata numbers it {from_api}, which is kept (the register assigns the number)."
        )
    return str(from_api) if from_api else from_text


def _signed_on(api: dict, official: OfficialText | None, notes: list[str]):
    from_api = _day(api.get("signing_date"))
    from_text = _parse_date(official.signed_text) if official and official.signed_text else None
    if from_text and from_api and from_text != from_api:
        notes.append(
            f"The Federal Register's metadata gives the signing date {from_api.isoformat()}; "
            f"the official text says {official.signed_text}, which is kept."
        )
    return from_text or from_api


def _title(api: dict, official: OfficialText | None, notes: list[str]) -> str:
    from_text = official.title if official else None
    from_api = api.get("title")
    title = from_text or from_api or "Untitled"
    return re.sub(r"\s+", " ", title).strip().rstrip(",")[:20_000]


def _parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text.replace(".", ""), "%B %d, %Y").date()
    except ValueError:
        return None


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _president(signed_on: datetime.date | None) -> tuple[str, str]:
    if signed_on is None:
        return PRESIDENTS[0][:2]
    current = PRESIDENTS[0]
    for president in PRESIDENTS:
        if signed_on >= president[2]:
            current = president
    return current[:2]


def _citation(document_number: str, official: OfficialText | None) -> str | None:
    """`88 FR 75191` from a text with no metadata: its volume (the raw text's header, else
    the year of a 2000s document number: volume 1 is 1936) and the page it starts on."""
    if official is None or official.first_page is None:
        return None
    year = re.match(r"(\d{4})-", document_number)
    volume = official.volume or (str(int(year[1]) - 1935) if year else None)
    return f"{volume} FR {official.first_page}" if volume else None


def _published_from_text(official: OfficialText | None) -> datetime.date | None:
    if official is None or not official.published_text:
        return None
    return _parse_date(official.published_text.split(", ", 1)[-1])


def _summary(kind, number, title, president, signed_on) -> str:
    name = f"{TYPE_NAMES.get(kind, 'Document')} {number}" if number else TYPE_NAMES.get(kind, "")
    when = f" on {signed_on:%B} {signed_on.day}, {signed_on.year}" if signed_on else ""
    return f"{name}, signed by President {president}{when}: “{title}”."


def _topics(api: dict) -> list[str]:
    topics = [slug(topic) for topic in api.get("topics") or [] if isinstance(topic, str)]
    subject = api.get("toc_subject")
    if isinstance(subject, str) and subject.strip(" :"):
        topics.append(slug(subject.strip(" :")))
    return sorted({topic for topic in topics if topic and len(topic) <= 100})


def _one_per_id(orders: list[_Order]) -> list[_Order]:
    """Two FR documents that claim one id (a correction republished): the first is kept."""
    seen: dict[str, _Order] = {}
    for order in orders:
        seen.setdefault(order.id, order)
    return list(seen.values())


# -- disposition notes and relations --------------------------------------------------------


def _dispositions(notes: str) -> list[tuple[str, bool, str, datetime.date | None]]:
    """(relation type, whether this order is the subject, other EO number, date) per entry."""
    found = []
    label = None
    for segment in re.split(r";\s*|\s*\n\s*", notes):
        heading = re.match(r"\s*([A-Za-z ,]+?)\s*:\s*(.*)", segment)
        if heading:
            label, segment = heading[1].strip().lower(), heading[2]
        if label not in _DISPOSITIONS:
            continue
        kind, is_subject = _DISPOSITIONS[label]
        for match in re.finditer(r"\b(?:EO|E\.O\.|Executive Order)\s*(\d{4,5})\b", segment):
            partial = "(in part)" in segment or "in part" in label
            relation = (
                f"{kind}_in_part"
                if partial and not kind.endswith("_in_part") and kind != "amends"
                else kind
            )
            date = re.search(r"([A-Z][a-z]+ \d{1,2}, \d{4})", segment[match.end() :])
            found.append((relation, is_subject, match[1], _parse_date(date[1]) if date else None))
    return found


_TEXT_CUE = re.compile(
    r"\b(?:is|are)\s+(?:hereby\s+)?(?:further\s+)?(?P<verb>revoked|rescinded|amended|superseded)"
)
_ORDER_NUMBERS = re.compile(r"\bExecutive\s+Orders?\b(?P<rest>.*)", re.DOTALL)
_PART = re.compile(
    r"\b(?:[Ss]ections?|[Ss]ecs?\.|[Pp]arts?|[Pp]aragraphs?|[Ss]ubsections?)\s+[\w-]+"
)


def _relations(orders: list[_Order], known: set[str]) -> dict[str, dict]:
    """Relations from disposition notes and from the orders' own revoking and amending words."""
    relations: dict[str, dict] = {}
    by_number = {order.number: order for order in orders if order.type == "executive_order"}

    def add(subject: _Order, kind: str, number: str) -> None:
        if number == subject.number:
            return
        object_id = f"us-eo-{number}"
        relation_id = f"rel-{subject.id}-{kind.replace('_', '-')}-{object_id}"
        resolved = object_id in known
        partial = " in part" if kind.endswith("_in_part") else ""
        verb = kind.removesuffix("_in_part").replace("_", " ")
        relations.setdefault(
            relation_id,
            {
                "id": relation_id,
                "type": kind,
                "subject_id": subject.id,
                "object_id": object_id if resolved else None,
                "object_reference": f"EO {number}",
                "date": subject.row["signed_on"],
                "summary": f"Executive Order {subject.number} {verb}{partial} Executive Order "
                f"{number}.",
                "_source": subject.source_id,
            },
        )

    for order in orders:
        for kind, is_subject, number, _date in order.dispositions:
            if is_subject:
                add(order, kind, number)
            elif number in by_number:
                add(by_number[number], kind, order.number)
        for kind, number in _text_relations(order):
            add(order, kind, number)
    return relations


def _text_relations(order: _Order) -> list[tuple[str, str]]:
    """`Executive Order 12958 … is hereby revoked`, `Section 2 of Executive Order 12866 is
    amended`: the orders named in the clause that a revoking or amending verb ends."""
    if order.extracted is None or order.type != "executive_order":
        return []
    found = []
    for provision in order.extracted.provisions:
        if provision.modality not in ("revokes", "amends") or not provision.text:
            continue
        for cue in _TEXT_CUE.finditer(provision.text):
            clause = re.split(r"[.;:]\s", provision.text[: cue.start()])[-1]
            named = _ORDER_NUMBERS.search(clause)
            if named is None:
                continue
            # EO numbers have five digits since 1978; a date's year has four.
            numbers = re.findall(r"\b(\d{5})\b", named["rest"])
            verb = cue["verb"]
            if verb == "amended":
                kind = "amends"
            else:
                kind = "supersedes" if verb == "superseded" else "revokes"
                if _PART.search(clause[: named.start()]):
                    kind += "_in_part"
            found += [(kind, number) for number in numbers]
    return found


def _endings(orders, relations, by_id) -> dict[str, list[dict]]:
    """For each order revoked or superseded in whole: when, by what, on what evidence."""
    candidates: dict[str, list[tuple]] = {}
    for relation in relations.values():
        if relation["type"] in _ENDING and relation["object_id"] in by_id:
            subject = by_id[relation["subject_id"]]
            candidates.setdefault(relation["object_id"], []).append(
                (relation["date"], relation["type"], subject.id, subject.number, subject.source_id)
            )
    for order in orders:
        for kind, is_subject, number, date in order.dispositions:
            if not is_subject and kind in _ENDING and f"us-eo-{number}" not in by_id:
                candidates.setdefault(order.id, []).append(
                    (date, kind, None, number, order.source_id)
                )
    endings = {}
    for document_id, found in candidates.items():
        signed = by_id[document_id].row["signed_on"]
        usable = [item for item in found if item[0] and (signed is None or item[0] >= signed)]
        if not usable:
            continue
        date, kind, by, number, source = min(usable, key=lambda item: (item[0], item[3]))
        when = f"{date:%B} {date.day}, {date.year}"
        endings[document_id] = [
            {
                "status": _ENDING[kind],
                "date": date,
                "by_id": by,
                "note": f"{_ENDING[kind].capitalize()} by Executive Order {number} of {when}"
                + (
                    "."
                    if by
                    else " (not in the data; from the Federal Register's disposition notes)."
                ),
                "sources": [source],
            }
        ]
    return endings


# -- rows -----------------------------------------------------------------------------------


def _add_document(dataset: Dataset, order: _Order, endings: list[dict]) -> None:
    row = dict(order.row)
    topics, published = row.pop("_topics"), row.pop("_published")
    title, url = row.pop("_source_title"), row.pop("_source_url")
    owner = {"document_id": order.id}
    history = [
        {
            "status": "in_force",
            "date": row["signed_on"],
            "by_id": None,
            "note": _signing_note(row),
            "sources": [order.source_id],
        },
        *endings,
    ]
    row["status"] = history[-1]["status"]
    dataset.add("sources", {
        "id": order.source_id,
        "title": title[:20_000],
        "publisher": "Office of the Federal Register",
        "authors": [],
        "url": url,
        "published_on": published,
        "kind": "official",
        "note": f"Federal Register document {row['document_number']}"
        + (f" ({row['citation']})" if row["citation"] else "")
        + ": its API record and official text, as imported.",
    })  # fmt: skip
    dataset.add("documents", row)
    dataset.add("document_sources", {**owner, "source_id": order.source_id})
    for topic in topics:
        dataset.add("document_topics", {**owner, "topic": topic})
    for position, change in enumerate(history, start=1):
        key = {"document_id": order.id, "position": position}
        sources = change.pop("sources")
        dataset.add("status_changes", {**key, **change})
        for source in sources:
            dataset.add("status_change_sources", {**key, "source_id": source})
    if order.extracted:
        _add_provisions(dataset, order)


def _signing_note(row: dict) -> str:
    where = f" at {row['citation']}" if row["citation"] else ""
    when = row["published_on"]
    published = f"; published {when:%B} {when.day}, {when.year}{where}" if when else ""
    return f"Signed{published}."


def _add_provisions(dataset: Dataset, order: _Order) -> None:
    issuer = order.row["issuer_id"]
    for position, provision in enumerate(order.extracted.provisions, start=1):
        provision_id = f"{order.id}.{provision.path}"
        parent = f"{order.id}.{provision.parent_path}" if provision.parent_path else None
        dataset.add("provisions", {
            "id": provision_id,
            "document_id": order.id,
            "parent_id": parent,
            "position": position,
            "depth": provision.depth,
            "label": provision.label,
            "heading": provision.heading[:500] if provision.heading else None,
            "modality": provision.modality,
            "binding": provision.binding,
            "actor_id": issuer,
            "action": provision.action,
            "summary": provision.summary[:20_000],
            "text": provision.text,
            "quoted_in_id": order.source_id if provision.text else None,
            "verification": "extracted",
            "confidence": provision.confidence,
            "extractor": EXTRACTOR,
        })  # fmt: skip
        owner = {"provision_id": provision_id}
        dataset.add("provision_sources", {**owner, "source_id": order.source_id})
        for place, actor in enumerate(provision.addressees, start=1):
            dataset.add("provision_addressees", {**owner, "actor_id": actor.id, "position": place})


def _add_reference(dataset: Dataset) -> None:
    dataset.add("sources", {
        "id": INDEX_SOURCE,
        "title": "Executive Orders",
        "publisher": "Office of the Federal Register",
        "authors": [],
        "url": f"{FR}/presidential-documents/executive-orders",
        "published_on": None,
        "kind": "official",
        "note": "The Federal Register's index of executive orders by President, and its "
        "agency list: where the Presidents and the federal offices named here are listed.",
    })  # fmt: skip
    dataset.add("jurisdictions", {
        "id": JURISDICTION, "name": "United States", "level": "federal", "parent_id": None,
    })  # fmt: skip
    dataset.add(
        "jurisdiction_sources", {"jurisdiction_id": JURISDICTION, "source_id": INDEX_SOURCE}
    )


def _add_actors(dataset: Dataset, used: dict[str, tuple[Actor, set[str]]], issuers: set[str]):
    for president_id, name, _start in PRESIDENTS:
        if president_id in issuers and president_id not in used:
            used[president_id] = (Actor(president_id, name, "person"), {INDEX_SOURCE})
            issuers.discard(president_id)
    federal = reference_actors()
    for actor_id, (actor, sources) in sorted(used.items()):
        role = "President of the United States" if actor.kind == "person" else None
        dataset.add("actors", {
            "id": actor_id,
            "name": actor.name[:200],
            "kind": actor.kind,
            "role": role,
            "jurisdiction_id": JURISDICTION,
        })  # fmt: skip
        cited = {INDEX_SOURCE} if actor_id in federal or actor.kind == "person" else sources
        for source in sorted(cited):
            dataset.add("actor_sources", {"actor_id": actor_id, "source_id": source})
