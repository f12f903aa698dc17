"""Documents: type, issuer, number, title and summary, sources, status history, provisions."""

import datetime
from itertools import accumulate

from synthetic.corpus import ERA_YEARS, ERAS, FIRST_DAY, LAST_DAY, LEVELS, Corpus, later
from synthetic.provisions import PROVISIONS, add_provisions
from synthetic.words import ADJECTIVES, PUBLISHERS, TOPIC_WEIGHTS, TOPICS, nouns, person_name

DOCUMENT_TYPE_MIX = {  # type: (weight, abbreviation in ids)
    "executive_order": (55, "eo"),
    "presidential_memorandum": (7, "pm"),
    "departmental_memorandum": (11, "dm"),
    "court_order": (15, "order"),
    "proclamation": (7, "proc"),
    "press_release": (5, "pr"),
}
DOCUMENT_TYPES = tuple(DOCUMENT_TYPE_MIX)
TYPE_WEIGHTS = list(accumulate(weight for weight, _ in DOCUMENT_TYPE_MIX.values()))
LEVEL_WEIGHTS = list(accumulate((25, 30, 45)))  # federal, state, municipal issuers
DOCUMENT_TITLE_PREFIXES = {
    "executive_order": "Executive Order",
    "presidential_memorandum": "Memorandum",
    "departmental_memorandum": "Memorandum",
    "proclamation": "Proclamation",
}
TITLE_OPENINGS = ("Strengthening", "Protecting", "Restoring", "Improving", "Ensuring")
TITLE_OPENINGS += ("Promoting", "Modernizing", "Addressing", "Expanding", "Reforming")
COURT_RULINGS = ("temporary restraining order", "preliminary injunction", "order on stay")
COURT_RULINGS += ("memorandum opinion and order", "final judgment", "order denying stay")
LATER_STATUSES = {
    "in_force": ("partially_enjoined", "enjoined", "stayed", "rescinded", "superseded", "expired"),
    "partially_enjoined": ("enjoined", "in_force", "vacated", "rescinded"),
    "enjoined": ("in_force", "vacated", "stayed", "rescinded"),
    "stayed": ("in_force", "vacated", "expired"),
}
COURT_STATUSES = frozenset({"partially_enjoined", "enjoined", "stayed", "vacated"})


def add_document(corpus: Corpus) -> None:
    """One document of a random type and day, with its sources, history and provisions."""
    rng = corpus.rng
    document_type = rng.choices(DOCUMENT_TYPES, cum_weights=TYPE_WEIGHTS)[0]
    day = datetime.date.fromordinal(rng.randint(FIRST_DAY.toordinal(), LAST_DAY.toordinal()))
    jurisdiction, issuer = choose_issuer(corpus, document_type, day.year)
    document_id, number = identify(corpus, document_type, jurisdiction, issuer, day.year)
    signed_on = None if rng.random() < 0.05 else day
    published_on = None if rng.random() < 0.3 else later(day, rng.randint(0, 10))
    topics = choose_topics(corpus, rng.randint(1, 4))
    title = make_title(corpus, document_type, issuer, jurisdiction, number, topics)
    sources, official = add_document_sources(corpus, document_id, document_type, issuer, title, day)
    row = {
        "id": document_id,
        "type": document_type,
        "number": number,
        "title": title,
        "issuer_id": issuer,
        "jurisdiction_id": jurisdiction,
        "signed_on": signed_on,
        "published_on": published_on,
        "summary": summarise(corpus, document_type, issuer, topics),
        "official_url": f"https://example.org/documents/{document_id}" if official else None,
        "verification": "official" if official else "reported",
    }
    row["status"] = add_status_history(corpus, document_id, signed_on, day, sources)
    corpus.add("documents", row)
    owner = {"document_id": document_id}
    corpus.link("document_sources", owner, "source_id", sources)
    corpus.link("document_topics", owner, "topic", topics)
    total = rng.randint(*PROVISIONS)
    add_provisions(corpus, row, None, total, sources, topics, counter=[0], total=total)
    corpus.documents.append(row)
    corpus.dates.append(day)
    corpus.document_sources.append(sources)
    if document_type == "court_order":
        corpus.court_orders.append(document_id)


def choose_issuer(corpus: Corpus, document_type: str, year: int) -> tuple[str, str]:
    """The document's jurisdiction and issuer: a chief executive, department or court."""
    rng = corpus.rng
    if document_type == "court_order":
        court, jurisdiction = rng.choice(corpus.courts)
        return jurisdiction, court
    if document_type == "presidential_memorandum":
        jurisdiction = "us"
    else:
        level = rng.choices(LEVELS, cum_weights=LEVEL_WEIGHTS)[0]
        jurisdiction = rng.choice(corpus.jurisdictions[level])
    office, holders = corpus.executives[jurisdiction]
    if document_type == "departmental_memorandum":
        return jurisdiction, rng.choice(corpus.departments[jurisdiction])
    if document_type == "press_release":
        return jurisdiction, office
    return jurisdiction, holders[min((year - FIRST_DAY.year) // ERA_YEARS, ERAS - 1)]


def identify(corpus: Corpus, document_type: str, jurisdiction: str, issuer: str, year: int):
    """A readable unique id, and the official number the document would carry."""
    abbreviation = DOCUMENT_TYPE_MIX[document_type][1]
    author = issuer if document_type in ("court_order", "departmental_memorandum") else None
    key = (author or jurisdiction, abbreviation, year)
    sequence = corpus.sequence[key] = corpus.sequence.get(key, 0) + 1
    document_id = f"synth-{key[0]}-{abbreviation}-{year}-{sequence:04d}"
    if document_type == "court_order":
        number = f"1:{year % 100:02d}-cv-{corpus.rng.randint(100, 99999):05d}"
    elif document_type == "executive_order" and jurisdiction == "us":
        number = str(12000 + (year - FIRST_DAY.year) * 60 + sequence)
    elif document_type in ("executive_order", "proclamation"):
        number = f"{year}-{sequence}"
    else:
        number = None
    return document_id, number


def choose_topics(corpus: Corpus, count: int) -> list[str]:
    """`count` different topics, sorted; common topics more often."""
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(corpus.rng.choices(TOPICS, cum_weights=TOPIC_WEIGHTS)[0])
    return sorted(chosen)


def make_title(corpus: Corpus, document_type, issuer, jurisdiction, number, topics) -> str:
    """A title as the type's documents are titled: a case, an announcement or an order."""
    rng = corpus.rng
    if document_type == "court_order":
        state = rng.choice(corpus.jurisdictions["state"])
        party = corpus.names[rng.choice(corpus.bodies[state])]
        return f"{party} v. United States, No. {number}: {rng.choice(COURT_RULINGS)}"
    if document_type == "press_release":
        return f"{corpus.names[issuer]} announces action on {topics[0].replace('-', ' ')}"
    name = DOCUMENT_TITLE_PREFIXES[document_type]
    name = name if number is None else f"{name} {number}"
    subject = " and ".join(noun.capitalize() for noun in nouns(rng, 2))
    opening = f"{rng.choice(TITLE_OPENINGS)} {rng.choice(ADJECTIVES).capitalize()}"
    return f"{name}: {opening} {subject} in {corpus.places[jurisdiction]}"


def summarise(corpus: Corpus, document_type: str, issuer: str, topics: list[str]) -> str:
    words = ", ".join(dict.fromkeys(nouns(corpus.rng, 3)))
    kind = document_type.replace("_", " ")
    article = "An" if kind[0] in "aeiou" else "A"
    about = " and ".join(topic.replace("-", " ") for topic in topics)
    return f"{article} {kind} by {corpus.names[issuer]} on {about}, touching on {words}."


def add_document_sources(corpus: Corpus, document_id, document_type, issuer, title, day):
    """The document's one or two sources, and whether one is official (not news)."""
    rng = corpus.rng
    published = later(day, rng.randint(0, 5))
    if document_type == "court_order" or rng.random() < 0.65:
        kind = "court_record" if document_type == "court_order" else "official"
        source = corpus.add_source(
            f"{document_id}-{kind.replace('_', '-')}",
            title,
            corpus.names[issuer],
            kind,
            published_on=published,
        )
        sources = [source]
        if rng.random() < 0.7:
            return sources, True
    else:
        sources = []
    headline = f"{corpus.names[issuer]} issues {document_type.replace('_', ' ')}"
    authors = [person_name(rng)]
    publisher = rng.choice(PUBLISHERS)
    news = corpus.add_source(
        f"{document_id}-news",
        headline,
        publisher,
        "news",
        authors=authors,
        published_on=published,
    )
    return [*sources, news], bool(sources)


def add_status_history(corpus: Corpus, document_id, signed_on, day, sources: list[str]) -> str:
    """One to three dated statuses, the first `in_force` when signed; return the last."""
    rng = corpus.rng
    status, date = "in_force", signed_on
    note = "In force from signature." if signed_on else "In force; signing date not known."
    entries = 1 + (rng.random() < 0.35) + (rng.random() < 0.3)
    for position in range(1, entries + 1):
        if position > 1:
            status = rng.choice(LATER_STATUSES.get(status, ("in_force",)))
            day = date = later(day, rng.randint(10, 400))
            note = f"Now {status.replace('_', ' ')}."
        by = None
        if status in COURT_STATUSES and position > 1 and corpus.court_orders:
            by = rng.choice(corpus.court_orders)
        owner = {"document_id": document_id, "position": position}
        row = {**owner, "status": status, "date": date, "by_id": by, "note": note}
        corpus.add("status_changes", row)
        corpus.link("status_change_sources", owner, "source_id", sources[:1])
    return status
