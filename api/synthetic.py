"""A realistic synthetic corpus, built as a `Dataset` for benchmarks and scale tests.

`synthetic_dataset(documents, seed)` gives the rows `read_seeds` would give for a corpus of
that many documents, so it loads through the same `load_dataset`. The same arguments always
give the same rows: one `random.Random(seed)` drives every choice, in a fixed order.
"""

import datetime
import random
from itertools import accumulate

from api.seeding.dataset import Dataset
from schemas.records import DocumentSchema, ProvisionSchema, RelationSchema

FIRST_DAY = datetime.date(1990, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
EVERY_PROVISION_WORD = "provision"  # in every provision's summary, for benchmark searches
ERAS, ERA_YEARS = 3, 12  # each chief executive office has one holder per era
# Fields the seed files may leave out (citations, official files, headings, extraction): null
# here, as in a seed file that leaves them out.
NOT_SYNTHESISED = {
    "documents": DocumentSchema.OPTIONAL_IN_FILES,
    "provisions": ProvisionSchema.OPTIONAL_IN_FILES,
    "relations": RelationSchema.OPTIONAL_IN_FILES,
}

STATES = (
    ("il", "Illinois", ("Chicago", "Springfield", "Evanston")),
    ("ca", "California", ("Los Angeles", "San Francisco", "Oakland")),
    ("ny", "New York", ("New York City", "Buffalo", "Rochester")),
    ("tx", "Texas", ("Houston", "Austin", "Dallas")),
    ("wa", "Washington", ("Seattle", "Spokane", "Tacoma")),
    ("or", "Oregon", ("Portland", "Eugene", "Salem")),
    ("ma", "Massachusetts", ("Boston", "Cambridge", "Worcester")),
    ("pa", "Pennsylvania", ("Philadelphia", "Pittsburgh", "Allentown")),
    ("ga", "Georgia", ("Atlanta", "Savannah", "Athens")),
    ("mi", "Michigan", ("Detroit", "Grand Rapids", "Lansing")),
)
CIRCUITS = ("1st", "2nd", "3rd", "5th", "6th", "7th", "9th", "11th", "dc")

# (id suffix, name, kind): the bodies of every government at one level.
FEDERAL_BODIES = (
    ("department-of-homeland-security", "Department of Homeland Security", "department"),
    ("department-of-justice", "Department of Justice", "department"),
    ("department-of-defense", "Department of Defense", "department"),
    ("department-of-health", "Department of Health and Human Services", "department"),
    ("department-of-transportation", "Department of Transportation", "department"),
    ("department-of-education", "Department of Education", "department"),
    ("department-of-labor", "Department of Labor", "department"),
    ("department-of-energy", "Department of Energy", "department"),
    ("department-of-the-interior", "Department of the Interior", "department"),
    ("department-of-housing", "Department of Housing and Urban Development", "department"),
    ("department-of-agriculture", "Department of Agriculture", "department"),
    ("department-of-the-treasury", "Department of the Treasury", "department"),
    ("ice", "U.S. Immigration and Customs Enforcement", "agency"),
    ("cbp", "U.S. Customs and Border Protection", "agency"),
    ("fema", "Federal Emergency Management Agency", "agency"),
    ("epa", "Environmental Protection Agency", "agency"),
    ("fbi", "Federal Bureau of Investigation", "agency"),
    ("omb", "Office of Management and Budget", "agency"),
    ("attorney-general", "Attorney General of the United States", "office"),
    ("national-guard-bureau", "National Guard Bureau", "military"),
    ("army", "United States Army", "military"),
    ("executive-departments", "Heads of executive departments and agencies", "group"),
    ("federal-officers", "Federal law-enforcement officers", "group"),
)
STATE_BODIES = (
    ("attorney-general", "Attorney General of {name}", "office"),
    ("state-police", "{name} State Police", "agency"),
    ("department-of-public-health", "{name} Department of Public Health", "department"),
    ("department-of-transportation", "{name} Department of Transportation", "department"),
    ("national-guard", "{name} National Guard", "military"),
    ("state-agencies", "Agencies of the State of {name}", "group"),
    ("government", "State of {name}", "government"),
)
CITY_BODIES = (
    ("police-department", "{name} Police Department", "department"),
    ("fire-department", "{name} Fire Department", "department"),
    ("law-department", "{name} Law Department", "department"),
    ("department-of-public-health", "{name} Department of Public Health", "department"),
    ("city-council", "{name} City Council", "government"),
    ("city-departments", "Departments of the City of {name}", "group"),
    ("residents", "Residents of {name}", "group"),
    ("federal-officers", "Federal officers working in {name}", "group"),
)
REFERENCE_SOURCES = (
    ("synth-ref-government-directory", "Directory of U.S. governments", "official"),
    ("synth-ref-state-register", "Register of state offices", "official"),
    ("synth-ref-municipal-yearbook", "Municipal yearbook", "official"),
    ("synth-ref-courts-directory", "Directory of federal and state courts", "court_record"),
    ("synth-ref-news-archive", "Newsroom archive of public officials", "news"),
)
REFERENCE_SOURCE_IDS = [source_id for source_id, _, _ in REFERENCE_SOURCES]

FIRST_NAMES = (
    "Alex Avery Blake Cameron Casey Dana Drew Elliot Emerson Finley Harper Hayden Jamie Jordan "
    "Kendall Logan Morgan Parker Quinn Reese Riley Rowan Sawyer Skyler Taylor"
).split()
LAST_NAMES = (
    "Abbott Alvarez Bennett Brooks Castillo Chen Delgado Ellis Foster Garcia Hale Ibarra "
    "Jensen Kowalski Lindqvist Moreno Nakamura Okafor Patel Quintero Ramsey Sato Thornton "
    "Underwood Vasquez Whitaker Yilmaz Zimmerman"
).split()
PUBLISHERS = (
    "Daily Ledger",
    "Metro Herald",
    "Capitol Dispatch",
    "Civic Wire",
    "Press Register",
    "Public Radio News",
)

DOCUMENT_TYPE_MIX = {  # type: (weight, abbreviation in ids)
    "executive_order": (55, "eo"),
    "presidential_memorandum": (7, "pm"),
    "departmental_memorandum": (11, "dm"),
    "court_order": (15, "order"),
    "proclamation": (7, "proc"),
    "press_release": (5, "pr"),
}
MODALITY_MIX = {  # modality: (weight, openings of its summary, naming `who` and `action`)
    "directs": (24, ("Directs {who} to {action}", "Instructs {who} to {action}")),
    "requires": (15, ("Requires {who} to {action}", "Makes it mandatory for {who} to {action}")),
    "affirms": (10, ("Affirms that {who} will {action}", "Confirms that {who} must {action}")),
    "prohibits": (8, ("Prohibits {who} from acting to {action}", "Forbids {who} to {action}")),
    "establishes": (8, ("Establishes a programme for {who} to {action}",)),
    "permits": (6, ("Permits {who} to {action}", "Authorizes {who} to {action}")),
    "urges": (6, ("Urges {who} to {action}", "Encourages {who} to {action}")),
    "declares": (5, ("Declares an emergency calling for {who} to {action}",)),
    "delegates": (5, ("Delegates to {who} the authority to {action}",)),
    "amends": (5, ("Amends an earlier order so that {who} must {action}",)),
    "revokes": (4, ("Revokes an earlier order that required {who} to {action}",)),
    "demands": (4, ("Demands that {who} {action}", "Calls on {who} to {action}")),
}
DOCUMENT_TYPES = tuple(DOCUMENT_TYPE_MIX)
MODALITIES = tuple(MODALITY_MIX)
NOT_BINDING = frozenset({"urges", "demands"})
DOCUMENT_TITLE_PREFIXES = {
    "executive_order": "Executive Order",
    "presidential_memorandum": "Memorandum",
    "departmental_memorandum": "Memorandum",
    "proclamation": "Proclamation",
}
PROVISIONS = (5, 15)  # provisions in a document, sub-provisions included
CHILDREN_CHANCE = (0.25, 0.15)  # by depth: how often a provision has sub-provisions
RELATION_TYPES = ("responds_to", "opposes", "builds_on", "implements", "challenges", "extends")
RELATION_TYPES += ("supersedes", "rescinds", "amends")
COURT_RELATION_TYPES = ("enjoins", "stays", "declines_to_stay", "holds_unlawful")
LATER_STATUSES = {
    "in_force": ("partially_enjoined", "enjoined", "stayed", "rescinded", "superseded", "expired"),
    "partially_enjoined": ("enjoined", "in_force", "vacated", "rescinded"),
    "enjoined": ("in_force", "vacated", "stayed", "rescinded"),
    "stayed": ("in_force", "vacated", "expired"),
}
COURT_STATUSES = frozenset({"partially_enjoined", "enjoined", "stayed", "vacated"})

TOPICS = (
    "public-safety policing immigration-enforcement civil-liberties public-health housing "
    "transportation emergency-management litigation budget education climate energy labor "
    "transparency infrastructure procurement protest national-guard federal-deployment "
    "elections privacy technology water economic-development workforce tax veterans "
    "disaster-relief environmental-justice"
).split()
VERBS = (
    "review report publish coordinate suspend audit assess expand restore protect fund "
    "monitor inspect certify designate prepare submit evaluate modernize consolidate notify "
    "train deploy withdraw limit"
).split()
ADJECTIVES = (
    "federal local regional interim annual emergency public municipal independent temporary "
    "permanent joint statewide critical affordable sustainable"
).split()
NOUNS = (  # ordered from common to rare: drawn with Zipf weights
    "department city residents agencies program plan report data policy officers services "
    "funding safety community standards guidance schools contracts records training equipment "
    "facilities permits housing budget health vehicles buildings operations enforcement "
    "cameras roads transit shelters grants hospitals parks water emissions wages elections "
    "schedules audits complaints hearings inspections curfews warrants detainers subpoenas "
    "vaccines ambulances bridges levees culverts pipelines substations reservoirs wetlands "
    "orchards ferries aqueducts turbines tunnels boilers floodgates seawalls"
).split()
RARE_WORDS = (  # each in about 1 provision in 4,000: the rare end of full-text searches
    "escheat easement arbitrage moratorium quarantine sequestration abatement dredging "
    "falconry lighthouses microgrids beekeeping cemeteries telegraphy zoological catacombs "
    "ombudsman almshouse gazebos heliports glaciers apiaries observatories ropeways "
    "lamplighters aquariums vineyards planetariums funiculars carillons"
).split()
RARE_WORD_CHANCE = 0.0075
PLACES_OF_ACTION = ("within the city", "across the state", "on federal property", "statewide")
PLACES_OF_ACTION += ("in public buildings", "at ports of entry", "in every district")
TITLE_OPENINGS = ("Strengthening", "Protecting", "Restoring", "Improving", "Ensuring")
TITLE_OPENINGS += ("Promoting", "Modernizing", "Addressing", "Expanding", "Reforming")
COURT_RULINGS = ("temporary restraining order", "preliminary injunction", "order on stay")
COURT_RULINGS += ("memorandum opinion and order", "final judgment", "order denying stay")
SETTINGS = ("press_conference", "interview", "written_statement", "social_media_post")
SETTINGS += ("public_remarks",)
STANCES = ("supports", "opposes", "neutral")


def _cumulative_zipf(count: int) -> list[float]:
    """Cumulative weights 1, 1/2, 1/3…: a few very common words and a long tail of rare ones."""
    return list(accumulate(1 / rank for rank in range(1, count + 1)))


NOUN_WEIGHTS = _cumulative_zipf(len(NOUNS))
TOPIC_WEIGHTS = _cumulative_zipf(len(TOPICS))
TYPE_WEIGHTS = list(accumulate(weight for weight, _ in DOCUMENT_TYPE_MIX.values()))
MODALITY_WEIGHTS = list(accumulate(weight for weight, _ in MODALITY_MIX.values()))
LEVEL_WEIGHTS = list(accumulate((25, 30, 45)))  # federal, state, municipal issuers
LEVELS = ("federal", "state", "municipal")
TABLES = (
    "sources",
    "jurisdictions",
    "jurisdiction_sources",
    "actors",
    "actor_sources",
    "documents",
    "document_sources",
    "document_topics",
    "status_changes",
    "status_change_sources",
    "provisions",
    "provision_sources",
    "provision_topics",
    "provision_addressees",
    "statements",
    "statement_sources",
    "statement_documents",
    "relations",
    "relation_sources",
)


def synthetic_dataset(documents: int, seed: int) -> Dataset:
    """Rows for `documents` synthetic documents and everything they refer to, seeded."""
    return _Synthesizer(random.Random(seed)).build(documents)


def _later(day: datetime.date, days: int) -> datetime.date:
    return min(day + datetime.timedelta(days=days), LAST_DAY)


def _slug(name: str) -> str:
    return "-".join(name.lower().replace(".", "").split())


class _Synthesizer:
    """Builds the rows table by table; every choice comes from `rng`, in program order."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: dict[str, list[dict]] = {table: [] for table in TABLES}
        self.names: dict[str, str] = {}  # actor id -> name
        self.used_names: set[str] = set()
        self.people: list[str] = []  # holders of chief executive offices: issuers, speakers
        self.jurisdictions: dict[str, list[str]] = {level: [] for level in LEVELS}
        self.places: dict[str, str] = {}  # jurisdiction id -> place name, for titles
        self.executives: dict[str, tuple[str, list[str]]] = {}  # jurisdiction -> office, holders
        self.bodies: dict[str, list[str]] = {}  # jurisdiction -> actors its documents address
        self.departments: dict[str, list[str]] = {}  # jurisdiction -> issuers of memoranda
        self.courts: list[tuple[str, str]] = []  # (court id, its jurisdiction)
        self.sequence: dict[tuple[str, str, int], int] = {}  # (issuer, type, year) -> last number
        self.documents: list[dict] = []
        self.dates: list[datetime.date] = []  # each document's date, known even when unsigned
        self.document_sources: list[list[str]] = []
        self.court_orders: list[str] = []

    def add(self, table: str, row: dict) -> None:
        for name in NOT_SYNTHESISED.get(table, ()):
            row.setdefault(name, None)
        self.rows[table].append(row)

    def link(self, table: str, owner: dict, column: str, values) -> None:
        for value in sorted(set(values)):
            self.rows[table].append({**owner, column: value})

    def build(self, documents: int) -> Dataset:
        self.add_reference_sources()
        self.add_governments()
        for _ in range(documents):
            self.add_document()
        for number in range(1, documents // 5 + 1):
            self.add_statement(number)
        for number in range(1, documents // 5 + 1):
            self.add_relation(number)
        return Dataset(rows=self.rows)

    def add_source(self, source_id, title, publisher, kind, *, authors=(), published_on=None):
        url = None if self.rng.random() < 0.1 else f"https://example.org/{kind}/{source_id}"
        row = {"id": source_id, "title": title, "publisher": publisher, "authors": list(authors)}
        row |= {"url": url, "published_on": published_on, "kind": kind, "note": None}
        self.add("sources", row)
        return source_id

    # -- jurisdictions and actors ---------------------------------------------------------

    def add_reference_sources(self) -> None:
        for source_id, title, kind in REFERENCE_SOURCES:
            self.add_source(source_id, title, "Synthetic reference", kind)

    def reference_sources(self) -> list[str]:
        return self.rng.sample(REFERENCE_SOURCE_IDS, 1 if self.rng.random() < 0.8 else 2)

    def add_jurisdiction(self, jurisdiction_id: str, name: str, level: str, parent, place: str):
        row = {"id": jurisdiction_id, "name": name, "level": level, "parent_id": parent}
        self.add("jurisdictions", row)
        self.places[jurisdiction_id] = place
        owner = {"jurisdiction_id": jurisdiction_id}
        self.link("jurisdiction_sources", owner, "source_id", self.reference_sources())
        self.jurisdictions[level].append(jurisdiction_id)
        self.bodies[jurisdiction_id] = []

    def add_actor(self, actor_id: str, name: str, kind: str, jurisdiction: str, role=None) -> str:
        row = {"id": actor_id, "name": name, "kind": kind, "role": role}
        self.add("actors", {**row, "jurisdiction_id": jurisdiction})
        self.link("actor_sources", {"actor_id": actor_id}, "source_id", self.reference_sources())
        self.names[actor_id] = name
        return actor_id

    def add_governments(self) -> None:
        self.add_jurisdiction("us", "United States", "federal", None, "the United States")
        self.add_executive("us", "President of the United States", "president")
        for suffix, name, kind in FEDERAL_BODIES:
            self.add_body("us", f"us-{suffix}", name, kind)
        self.add_court("us-supreme-court", "Supreme Court of the United States", "us")
        for circuit in CIRCUITS:
            name = f"U.S. Court of Appeals for the {circuit.replace('dc', 'D.C.')} Circuit"
            self.add_court(f"us-court-of-appeals-{circuit}", name, "us")
        for code, state, cities in STATES:
            state_id = f"us-{code}"
            self.add_jurisdiction(state_id, state, "state", "us", state)
            self.add_executive(state_id, f"Governor of {state}", "governor")
            for suffix, template, kind in STATE_BODIES:
                self.add_body(state_id, f"{state_id}-{suffix}", template.format(name=state), kind)
            self.add_court(f"us-district-court-{code}", f"U.S. District Court for {state}", "us")
            self.add_court(f"{state_id}-supreme-court", f"Supreme Court of {state}", state_id)
            for city in cities:
                city_id = f"{state_id}-{_slug(city)}"
                self.add_jurisdiction(city_id, f"City of {city}", "municipal", state_id, city)
                self.add_executive(city_id, f"Mayor of {city}", "mayor")
                for suffix, template, kind in CITY_BODIES:
                    self.add_body(city_id, f"{city_id}-{suffix}", template.format(name=city), kind)

    def add_executive(self, jurisdiction: str, office: str, title: str) -> None:
        """The chief executive's office and the people who held it, one per era."""
        office_id = self.add_actor(f"{jurisdiction}-{title}", office, "office", jurisdiction)
        holders = []
        for era in range(ERAS):
            name = self.person_name()
            start = FIRST_DAY.year + era * ERA_YEARS
            role = f"{office}, {start}-{start + ERA_YEARS - 1}"
            holders.append(self.add_actor(_slug(name), name, "person", jurisdiction, role))
        self.executives[jurisdiction] = (office_id, holders)
        self.people.extend(holders)
        self.bodies[jurisdiction].append(office_id)

    def add_body(self, jurisdiction: str, actor_id: str, name: str, kind: str) -> None:
        self.add_actor(actor_id, name, kind, jurisdiction)
        self.bodies[jurisdiction].append(actor_id)
        if kind in ("department", "agency"):
            self.departments.setdefault(jurisdiction, []).append(actor_id)

    def add_court(self, court_id: str, name: str, jurisdiction: str) -> None:
        self.add_actor(court_id, name, "court", jurisdiction)
        self.courts.append((court_id, jurisdiction))

    def person_name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    # -- documents ------------------------------------------------------------------------

    def add_document(self) -> None:
        rng = self.rng
        document_type = rng.choices(DOCUMENT_TYPES, cum_weights=TYPE_WEIGHTS)[0]
        day = datetime.date.fromordinal(rng.randint(FIRST_DAY.toordinal(), LAST_DAY.toordinal()))
        jurisdiction, issuer = self.choose_issuer(document_type, day.year)
        document_id, number = self.identify(document_type, jurisdiction, issuer, day.year)
        signed_on = None if rng.random() < 0.05 else day
        published_on = None if rng.random() < 0.3 else _later(day, rng.randint(0, 10))
        topics = self.choose_topics(rng.randint(1, 4))
        title = self.title(document_type, issuer, jurisdiction, number, topics)
        sources, official = self.add_document_sources(
            document_id, document_type, issuer, title, day
        )
        row = {
            "id": document_id,
            "type": document_type,
            "number": number,
            "title": title,
            "issuer_id": issuer,
            "jurisdiction_id": jurisdiction,
            "signed_on": signed_on,
            "published_on": published_on,
            "summary": self.document_summary(document_type, issuer, topics),
            "official_url": f"https://example.org/documents/{document_id}" if official else None,
            "verification": "official" if official else "reported",
        }
        row["status"] = self.add_status_history(document_id, signed_on, day, sources)
        self.add("documents", row)
        owner = {"document_id": document_id}
        self.link("document_sources", owner, "source_id", sources)
        self.link("document_topics", owner, "topic", topics)
        total = rng.randint(*PROVISIONS)
        self.add_provisions(row, None, total, sources, topics, counter=[0], total=total)
        self.documents.append(row)
        self.dates.append(day)
        self.document_sources.append(sources)
        if document_type == "court_order":
            self.court_orders.append(document_id)

    def choose_issuer(self, document_type: str, year: int) -> tuple[str, str]:
        """The document's jurisdiction and issuer: a chief executive, department or court."""
        rng = self.rng
        if document_type == "court_order":
            court, jurisdiction = rng.choice(self.courts)
            return jurisdiction, court
        if document_type == "presidential_memorandum":
            jurisdiction = "us"
        else:
            level = rng.choices(LEVELS, cum_weights=LEVEL_WEIGHTS)[0]
            jurisdiction = rng.choice(self.jurisdictions[level])
        office, holders = self.executives[jurisdiction]
        if document_type == "departmental_memorandum":
            return jurisdiction, rng.choice(self.departments[jurisdiction])
        if document_type == "press_release":
            return jurisdiction, office
        return jurisdiction, holders[min((year - FIRST_DAY.year) // ERA_YEARS, ERAS - 1)]

    def identify(self, document_type: str, jurisdiction: str, issuer: str, year: int):
        """A readable unique id, and the official number the document would carry."""
        abbreviation = DOCUMENT_TYPE_MIX[document_type][1]
        author = issuer if document_type in ("court_order", "departmental_memorandum") else None
        key = (author or jurisdiction, abbreviation, year)
        sequence = self.sequence[key] = self.sequence.get(key, 0) + 1
        document_id = f"synth-{key[0]}-{abbreviation}-{year}-{sequence:04d}"
        if document_type == "court_order":
            number = f"1:{year % 100:02d}-cv-{self.rng.randint(100, 99999):05d}"
        elif document_type == "executive_order" and jurisdiction == "us":
            number = str(12000 + (year - FIRST_DAY.year) * 60 + sequence)
        elif document_type in ("executive_order", "proclamation"):
            number = f"{year}-{sequence}"
        else:
            number = None
        return document_id, number

    def choose_topics(self, count: int) -> list[str]:
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(self.rng.choices(TOPICS, cum_weights=TOPIC_WEIGHTS)[0])
        return sorted(chosen)

    def nouns(self, count: int) -> list[str]:
        return self.rng.choices(NOUNS, cum_weights=NOUN_WEIGHTS, k=count)

    def title(self, document_type, issuer, jurisdiction, number, topics) -> str:
        rng = self.rng
        if document_type == "court_order":
            party = self.names[rng.choice(self.bodies[rng.choice(self.jurisdictions["state"])])]
            return f"{party} v. United States, No. {number}: {rng.choice(COURT_RULINGS)}"
        if document_type == "press_release":
            return f"{self.names[issuer]} announces action on {topics[0].replace('-', ' ')}"
        name = DOCUMENT_TITLE_PREFIXES[document_type]
        name = name if number is None else f"{name} {number}"
        subject = " and ".join(noun.capitalize() for noun in self.nouns(2))
        opening = f"{rng.choice(TITLE_OPENINGS)} {rng.choice(ADJECTIVES).capitalize()}"
        return f"{name}: {opening} {subject} in {self.places[jurisdiction]}"

    def document_summary(self, document_type: str, issuer: str, topics: list[str]) -> str:
        words = ", ".join(dict.fromkeys(self.nouns(3)))
        kind = document_type.replace("_", " ")
        article = "An" if kind[0] in "aeiou" else "A"
        about = " and ".join(topic.replace("-", " ") for topic in topics)
        return f"{article} {kind} by {self.names[issuer]} on {about}, touching on {words}."

    def add_document_sources(self, document_id, document_type, issuer, title, day):
        """The document's one or two sources, and whether one is official (not news)."""
        rng = self.rng
        published = _later(day, rng.randint(0, 5))
        if document_type == "court_order" or rng.random() < 0.65:
            kind = "court_record" if document_type == "court_order" else "official"
            source = self.add_source(
                f"{document_id}-{kind.replace('_', '-')}",
                title,
                self.names[issuer],
                kind,
                published_on=published,
            )
            sources = [source]
            if rng.random() < 0.7:
                return sources, True
        else:
            sources = []
        headline = f"{self.names[issuer]} issues {document_type.replace('_', ' ')}"
        authors = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"]
        publisher = rng.choice(PUBLISHERS)
        news = self.add_source(
            f"{document_id}-news",
            headline,
            publisher,
            "news",
            authors=authors,
            published_on=published,
        )
        return [*sources, news], bool(sources)

    def add_status_history(self, document_id, signed_on, day, sources: list[str]) -> str:
        """One to three dated statuses, the first `in_force` when signed; return the last."""
        rng = self.rng
        status, date = "in_force", signed_on
        note = "In force from signature." if signed_on else "In force; signing date not known."
        entries = 1 + (rng.random() < 0.35) + (rng.random() < 0.3)
        for position in range(1, entries + 1):
            if position > 1:
                status = rng.choice(LATER_STATUSES.get(status, ("in_force",)))
                day = date = _later(day, rng.randint(10, 400))
                note = f"Now {status.replace('_', ' ')}."
            by = None
            if status in COURT_STATUSES and position > 1 and self.court_orders:
                by = rng.choice(self.court_orders)
            owner = {"document_id": document_id, "position": position}
            row = {**owner, "status": status, "date": date, "by_id": by, "note": note}
            self.add("status_changes", row)
            self.link("status_change_sources", owner, "source_id", sources[:1])
        return status

    def add_provisions(self, document, parent, count, sources, topics, *, counter, total, depth=0):
        """Add up to `count` provisions under `parent`, each then its own, until `total` in all."""
        rng = self.rng
        for index in range(1, count + 1):
            if counter[0] == total:
                return
            counter[0] += 1
            key = f"p{index}" if depth == 0 else f"s{index}"
            provision_id = f"{parent['id'] if parent else document['id']}.{key}"
            row = self.provision(document, parent, provision_id, index, depth, sources, topics)
            row["position"], row["depth"] = counter[0], depth
            chance = CHILDREN_CHANCE[depth] if depth < len(CHILDREN_CHANCE) else 0
            if rng.random() < chance:
                children = rng.randint(1, 4 if depth == 0 else 3)
                self.add_provisions(
                    document,
                    row,
                    children,
                    sources,
                    topics,
                    counter=counter,
                    total=total,
                    depth=depth + 1,
                )

    def provision(self, document, parent, provision_id, index, depth, sources, topics) -> dict:
        rng = self.rng
        modality = rng.choices(MODALITIES, cum_weights=MODALITY_WEIGHTS)[0]
        binding = modality not in NOT_BINDING
        actor = document["issuer_id"] if rng.random() < 0.97 else None
        pool = self.bodies[document["jurisdiction_id"] if binding else self.outside(document)]
        addressees = rng.sample(pool, rng.choice((1, 1, 1, 2, 2, 3)))
        action = (
            f"{rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {' and '.join(self.nouns(2))} "
            f"{rng.choice(PLACES_OF_ACTION)}"
        )
        opening = rng.choice(MODALITY_MIX[modality][1])
        nouns = list(dict.fromkeys(self.nouns(3)))
        if rng.random() < RARE_WORD_CHANCE:
            nouns.append(rng.choice(RARE_WORDS))
        summary = (
            f"{opening.format(who=self.names[addressees[0]], action=action)}. "
            f"The {EVERY_PROVISION_WORD} concerns {', '.join(nouns)}."
        )
        cited = rng.sample(sources, 1 if len(sources) == 1 or rng.random() < 0.7 else 2)
        quoted_in = cited[0] if rng.random() < 0.3 else None
        text = f"shall {action} within {rng.randint(2, 180)} days" if quoted_in else None
        row = {
            "label": self.label(parent, index, depth, document),
            "modality": modality,
            "binding": binding,
            "actor_id": actor,
            "action": action,
            "summary": summary,
            "text": text,
            "quoted_in_id": quoted_in,
            "verification": document["verification"],
            "id": provision_id,
            "document_id": document["id"],
            "parent_id": parent["id"] if parent else None,
        }
        self.add("provisions", row)
        owner = {"provision_id": provision_id}
        self.link("provision_sources", owner, "source_id", cited)
        own_topics = rng.sample(topics, min(len(topics), rng.randint(1, 3)))
        self.link("provision_topics", owner, "topic", own_topics)
        for position, addressee in enumerate(addressees, start=1):
            self.add("provision_addressees", {**owner, "actor_id": addressee, "position": position})
        return row

    def outside(self, document: dict) -> str:
        """A jurisdiction the issuer cannot bind: where urges and demands are addressed."""
        if document["jurisdiction_id"] != "us":
            return "us"
        return self.rng.choice(self.jurisdictions["state"])

    def label(self, parent, index: int, depth: int, document: dict) -> str | None:
        """Section numbers such as 3, 3(b), 3(b)(ii); null for unnumbered documents."""
        if document["number"] is None:
            return None
        if depth == 0:
            return str(index)
        numbering = ("a", "b", "c", "d") if depth == 1 else ("i", "ii", "iii")
        return f"{parent['label']}({numbering[index - 1]})"

    # -- statements and relations ---------------------------------------------------------

    def add_statement(self, number: int) -> None:
        rng = self.rng
        index = rng.randrange(len(self.documents))
        document = self.documents[index]
        issuer = document["issuer_id"]
        speaker = issuer if issuer in self.people and rng.random() < 0.6 else None
        speaker = speaker or rng.choice(self.people)
        statement_id = f"synth-statement-{number:05d}"
        said_on = _later(self.dates[index], rng.randint(0, 20))
        source = self.add_source(
            f"{statement_id}-news",
            f"{self.names[speaker]} on {document['title']}",
            rng.choice(PUBLISHERS),
            "news",
            authors=[f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"],
            published_on=said_on,
        )
        undated = rng.random() < 0.1
        stance = rng.choice(STANCES)
        place = self.places[document["jurisdiction_id"]]
        first, second = self.nouns(2)
        quote = (
            f"We will {rng.choice(VERBS)} the {first} and the {second}, because "
            f"{place} deserves {rng.choice(ADJECTIVES)} {self.nouns(1)[0]}"
        )
        row = {
            "id": statement_id,
            "speaker_id": speaker,
            "said_on": None if undated else said_on,
            "date_note": "The report does not say when this was said." if undated else None,
            "setting": rng.choice(SETTINGS),
            "location": rng.choice((None, place)),
            "subject": document["title"],
            "quote": quote,
            "quoted_in_id": source,
            "stance": stance,
            "verification": "reported",
        }
        self.add("statements", row)
        owner = {"statement_id": statement_id}
        self.link("statement_sources", owner, "source_id", [source])
        about = [document["id"]]
        if rng.random() < 0.1:
            about.append(rng.choice(self.documents)["id"])
        self.link("statement_documents", owner, "document_id", about)

    def add_relation(self, number: int) -> None:
        rng = self.rng
        first, second = rng.sample(range(len(self.documents)), 2)
        subject, target = (
            (first, second) if self.dates[first] >= self.dates[second] else (second, first)
        )
        document = self.documents[subject]
        types = COURT_RELATION_TYPES if document["type"] == "court_order" else RELATION_TYPES
        relation_type = rng.choice(types)
        relation_id = f"synth-relation-{number:05d}"
        row = {
            "id": relation_id,
            "type": relation_type,
            "subject_id": document["id"],
            "object_id": self.documents[target]["id"],
            "date": self.dates[subject],
            "summary": f"{document['title']} {relation_type.replace('_', ' ')} "
            f"{self.documents[target]['title']}.",
        }
        self.add("relations", row)
        sources = self.document_sources[subject][:1]
        self.link("relation_sources", {"relation_id": relation_id}, "source_id", sources)
