"""The corpus being built: its rows, what later parts look up, and the calendar they share."""

import datetime
import random

from schemas.records import DocumentSchema, ProvisionSchema, RelationSchema

FIRST_DAY = datetime.date(1990, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
ERAS, ERA_YEARS = 3, 12  # each chief executive office has one holder per era
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
# Fields the seed files may leave out (citations, official files, headings, extraction): null
# here, as in a seed file that leaves them out.
NOT_SYNTHESISED = {
    "documents": DocumentSchema.OPTIONAL_IN_FILES,
    "provisions": ProvisionSchema.OPTIONAL_IN_FILES,
    "relations": RelationSchema.OPTIONAL_IN_FILES,
}


def later(day: datetime.date, days: int) -> datetime.date:
    """`days` after `day`, but never after the corpus's last day."""
    return min(day + datetime.timedelta(days=days), LAST_DAY)


def slug(name: str) -> str:
    """A name as an id part: `Grand Rapids` gives `grand-rapids`."""
    return "-".join(name.lower().replace(".", "").split())


class Corpus:
    """The rows table by table; every choice comes from `rng`, in program order."""

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
        """Add a record's row, its fields the seed files may leave out set to null."""
        for name in NOT_SYNTHESISED.get(table, ()):
            row.setdefault(name, None)
        self.rows[table].append(row)

    def link(self, table: str, owner: dict, column: str, values) -> None:
        """Add a link row from `owner` to each distinct value, in sorted order."""
        for value in sorted(set(values)):
            self.rows[table].append({**owner, column: value})

    def add_source(self, source_id, title, publisher, kind, *, authors=(), published_on=None):
        """Add a source (one in ten has no URL); its id."""
        url = None if self.rng.random() < 0.1 else f"https://example.org/{kind}/{source_id}"
        row = {"id": source_id, "title": title, "publisher": publisher, "authors": list(authors)}
        row |= {"url": url, "published_on": published_on, "kind": kind, "note": None}
        self.add("sources", row)
        return source_id
