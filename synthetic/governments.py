"""The governments: jurisdictions, their chief executives, bodies and courts, all sourced."""

from synthetic.corpus import ERA_YEARS, ERAS, FIRST_DAY, Corpus, slug
from synthetic.words import person_name

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


def add_reference_sources(corpus: Corpus) -> None:
    """The directories every jurisdiction and actor is sourced from."""
    for source_id, title, kind in REFERENCE_SOURCES:
        corpus.add_source(source_id, title, "Synthetic reference", kind)


def add_governments(corpus: Corpus) -> None:
    """The United States, ten states and three cities in each, with their actors and courts."""
    add_jurisdiction(corpus, "us", "United States", "federal", None, "the United States")
    add_executive(corpus, "us", "President of the United States", "president")
    for suffix, name, kind in FEDERAL_BODIES:
        add_body(corpus, "us", f"us-{suffix}", name, kind)
    add_court(corpus, "us-supreme-court", "Supreme Court of the United States", "us")
    for circuit in CIRCUITS:
        name = f"U.S. Court of Appeals for the {circuit.replace('dc', 'D.C.')} Circuit"
        add_court(corpus, f"us-court-of-appeals-{circuit}", name, "us")
    for code, state, cities in STATES:
        state_id = f"us-{code}"
        add_jurisdiction(corpus, state_id, state, "state", "us", state)
        add_executive(corpus, state_id, f"Governor of {state}", "governor")
        for suffix, template, kind in STATE_BODIES:
            add_body(corpus, state_id, f"{state_id}-{suffix}", template.format(name=state), kind)
        add_court(corpus, f"us-district-court-{code}", f"U.S. District Court for {state}", "us")
        add_court(corpus, f"{state_id}-supreme-court", f"Supreme Court of {state}", state_id)
        for city in cities:
            add_city(corpus, state_id, city)


def add_city(corpus: Corpus, state_id: str, city: str) -> None:
    city_id = f"{state_id}-{slug(city)}"
    add_jurisdiction(corpus, city_id, f"City of {city}", "municipal", state_id, city)
    add_executive(corpus, city_id, f"Mayor of {city}", "mayor")
    for suffix, template, kind in CITY_BODIES:
        add_body(corpus, city_id, f"{city_id}-{suffix}", template.format(name=city), kind)


def reference_sources(corpus: Corpus) -> list[str]:
    return corpus.rng.sample(REFERENCE_SOURCE_IDS, 1 if corpus.rng.random() < 0.8 else 2)


def add_jurisdiction(corpus: Corpus, jurisdiction_id: str, name: str, level: str, parent, place):
    row = {"id": jurisdiction_id, "name": name, "level": level, "parent_id": parent}
    corpus.add("jurisdictions", row)
    corpus.places[jurisdiction_id] = place
    owner = {"jurisdiction_id": jurisdiction_id}
    corpus.link("jurisdiction_sources", owner, "source_id", reference_sources(corpus))
    corpus.jurisdictions[level].append(jurisdiction_id)
    corpus.bodies[jurisdiction_id] = []


def add_actor(corpus: Corpus, actor_id: str, name: str, kind: str, jurisdiction: str, role=None):
    row = {"id": actor_id, "name": name, "kind": kind, "role": role}
    corpus.add("actors", {**row, "jurisdiction_id": jurisdiction})
    owner = {"actor_id": actor_id}
    corpus.link("actor_sources", owner, "source_id", reference_sources(corpus))
    corpus.names[actor_id] = name
    return actor_id


def add_executive(corpus: Corpus, jurisdiction: str, office: str, title: str) -> None:
    """The chief executive's office and the people who held it, one per era."""
    office_id = add_actor(corpus, f"{jurisdiction}-{title}", office, "office", jurisdiction)
    holders = []
    for era in range(ERAS):
        name = unused_name(corpus)
        start = FIRST_DAY.year + era * ERA_YEARS
        role = f"{office}, {start}-{start + ERA_YEARS - 1}"
        holders.append(add_actor(corpus, slug(name), name, "person", jurisdiction, role))
    corpus.executives[jurisdiction] = (office_id, holders)
    corpus.people.extend(holders)
    corpus.bodies[jurisdiction].append(office_id)


def add_body(corpus: Corpus, jurisdiction: str, actor_id: str, name: str, kind: str) -> None:
    add_actor(corpus, actor_id, name, kind, jurisdiction)
    corpus.bodies[jurisdiction].append(actor_id)
    if kind in ("department", "agency"):
        corpus.departments.setdefault(jurisdiction, []).append(actor_id)


def add_court(corpus: Corpus, court_id: str, name: str, jurisdiction: str) -> None:
    add_actor(corpus, court_id, name, "court", jurisdiction)
    corpus.courts.append((court_id, jurisdiction))


def unused_name(corpus: Corpus) -> str:
    """A person's name no one in the corpus has yet (person ids are their names)."""
    while True:
        name = person_name(corpus.rng)
        if name not in corpus.used_names:
            corpus.used_names.add(name)
            return name
