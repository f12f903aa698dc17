"""Check references between seed records and turn them into table rows."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from api.collections import IN_LOAD_ORDER
from api.seeding.files import SOURCE_TEXTS_FOLDER, SeedProblem, SeedReader


@dataclass
class Dataset:
    """Rows for each table, in an order that satisfies foreign keys."""

    rows: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)

    def count(self, table: str) -> int:
        return len(self.rows.get(table, []))


class SeedError(Exception):
    """The seed files have problems; nothing may be loaded."""

    def __init__(self, problems: list[SeedProblem]):
        super().__init__(f"{len(problems)} problem(s) in the seed files")
        self.problems = problems


# In reference order: each collection refers only to those before it (and to documents).
SEEDED = tuple(c.name for c in IN_LOAD_ORDER if c.seeded_with is None)


class _Builder:
    def __init__(self, reader: SeedReader):
        self.reader = reader
        self.dataset = Dataset()
        self.ids: dict[str, set[str]] = {}
        self.source_texts = _read_source_texts(reader.folder / SOURCE_TEXTS_FOLDER)

    # -- checks ---------------------------------------------------------------------------

    def problem(self, file: str, record: str, message: str) -> None:
        self.reader.problem(file, record, message)

    def index(self, collection: str, records: Iterable[tuple[str, str]]) -> None:
        seen: dict[str, str] = {}
        for file, record_id in records:
            if record_id in seen:
                self.problem(
                    file, f"{collection} {record_id}", f"duplicate id (also in {seen[record_id]})"
                )
            seen.setdefault(record_id, file)
        self.ids[collection] = set(seen)

    def refer(self, where: tuple[str, str], name: str, collection: str, *ids: str | None) -> None:
        for target in ids:
            if target is not None and target not in self.ids[collection]:
                self.problem(*where, f"{name}: no {collection} record with id {target!r}")

    def verbatim(self, where: tuple[str, str], name: str, words: str | None, source: str | None):
        if words is None or source not in self.source_texts:
            return
        if words not in self.source_texts[source]:
            self.problem(*where, f"{name}: not found verbatim in the text of source {source!r}")

    # -- collections ----------------------------------------------------------------------

    def build(self) -> Dataset:
        records = self.reader.records
        for collection in SEEDED:
            self.index(collection, ((file, r["id"]) for file, r in records.get(collection, [])))
        for collection in SEEDED:
            for file, record in self._ordered(collection, records.get(collection, [])):
                where = (file, f"{collection.removesuffix('s')} {record['id']}")
                getattr(self, f"add_{collection}")(where, dict(record))
        return self.dataset

    def _ordered(self, collection: str, records: list[tuple[str, dict]]):
        """Jurisdictions parents first, so that each row's parent exists when it is inserted."""
        if collection != "jurisdictions":
            return records
        parents = {record["id"]: record["parent_id"] for _, record in records}

        def depth(jurisdiction_id: str) -> int:
            level, current, seen = 0, parents.get(jurisdiction_id), {jurisdiction_id}
            while current in parents and current not in seen:
                seen.add(current)
                level, current = level + 1, parents[current]
            return level

        return sorted(records, key=lambda item: depth(item[1]["id"]))

    def add_links(self, table: str, owner: dict, values: list[str], column: str, **extra) -> None:
        for value in sorted(set(values)):
            self.dataset.add(table, {**owner, column: value, **extra})

    def add_sourced(self, where, table: str, row: dict, owner: dict, name: str = "sources"):
        """Add a row and the links to the sources it names (in `<table>_sources`)."""
        sources = row.pop("sources")
        self.refer(where, name, "sources", *sources)
        self.dataset.add(table, row)
        self.add_links(f"{table.removesuffix('s')}_sources", owner, sources, "source_id")

    def add_sources(self, where, record: dict) -> None:
        self.dataset.add("sources", record)

    def add_jurisdictions(self, where, record: dict) -> None:
        self.refer(where, "parent", "jurisdictions", record["parent_id"])
        if record["parent_id"] == record["id"]:
            self.problem(*where, "parent: a jurisdiction cannot be its own parent")
        self.add_sourced(where, "jurisdictions", record, {"jurisdiction_id": record["id"]})

    def add_actors(self, where, record: dict) -> None:
        self.refer(where, "jurisdiction", "jurisdictions", record["jurisdiction_id"])
        self.add_sourced(where, "actors", record, {"actor_id": record["id"]})

    def add_documents(self, where, record: dict) -> None:
        owner = {"document_id": record["id"]}
        self.refer(where, "issuer", "actors", record["issuer_id"])
        self.refer(where, "jurisdiction", "jurisdictions", record["jurisdiction_id"])
        topics = record.pop("topics")
        history, provisions = record.pop("status_history"), record.pop("provisions")
        record["status"] = history[-1]["status"]
        self.add_sourced(where, "documents", record, owner)
        self.add_links("document_topics", owner, topics, "topic")
        self.add_status_history(where, record["id"], history)
        self.add_provisions(where, record["id"], None, provisions, depth=0, counter=[0], seen=set())

    def add_status_history(self, where, document_id: str, history: list[dict]) -> None:
        for position, change in enumerate(history, start=1):
            name = f"status_history[{position - 1}]"
            earlier = [entry["date"] for entry in history[: position - 1] if entry["date"]]
            if change["date"] and earlier and change["date"] < max(earlier):
                self.problem(*where, f"{name}.date: earlier than the entry before it")
            self.refer(where, f"{name}.by", "documents", change["by_id"])
            owner = {"document_id": document_id, "position": position}
            self.add_sourced(where, "status_changes", {**owner, **change}, owner, f"{name}.sources")

    def add_provisions(self, where, document_id, parent, provisions, *, depth, counter, seen):
        """Flatten a provision tree depth-first; ids are the document id and keys, joined by '.'."""
        for provision in provisions:
            provision = dict(provision)
            provision_id = f"{parent or document_id}.{provision.pop('key')}"
            name = f"provision {provision_id}"
            if provision_id in seen:
                self.problem(*where, f"{name}: duplicate key among its siblings")
            seen.add(provision_id)
            counter[0] += 1
            children, topics = provision.pop("provisions"), provision.pop("topics")
            addressees = provision.pop("addressees")
            self.refer(where, f"{name}: actor", "actors", provision["actor_id"])
            self.refer(where, f"{name}: addressees", "actors", *addressees)
            self.refer(where, f"{name}: quoted_in", "sources", provision["quoted_in_id"])
            self.verbatim(where, f"{name}: text", provision["text"], provision["quoted_in_id"])
            row = {
                **provision,
                "id": provision_id,
                "document_id": document_id,
                "parent_id": parent,
                "position": counter[0],
                "depth": depth,
            }
            owner = {"provision_id": provision_id}
            self.add_sourced(where, "provisions", row, owner, f"{name}: sources")
            self.add_links("provision_topics", owner, topics, "topic")
            for position, actor_id in enumerate(dict.fromkeys(addressees), start=1):
                self.dataset.add(
                    "provision_addressees", {**owner, "actor_id": actor_id, "position": position}
                )
            self.add_provisions(
                where,
                document_id,
                provision_id,
                children,
                depth=depth + 1,
                counter=counter,
                seen=seen,
            )

    def add_statements(self, where, record: dict) -> None:
        owner = {"statement_id": record["id"]}
        self.refer(where, "speaker", "actors", record["speaker_id"])
        self.refer(where, "quoted_in", "sources", record["quoted_in_id"])
        self.verbatim(where, "quote", record["quote"], record["quoted_in_id"])
        about = record.pop("about")
        self.refer(where, "about", "documents", *about)
        self.add_sourced(where, "statements", record, owner)
        self.add_links("statement_documents", owner, about, "document_id")

    def add_relations(self, where, record: dict) -> None:
        self.refer(where, "subject", "documents", record["subject_id"])
        self.refer(where, "object", "documents", record["object_id"])
        if record["subject_id"] == record["object_id"]:
            self.problem(*where, "object: a document cannot relate to itself")
        self.add_sourced(where, "relations", record, {"relation_id": record["id"]})


def _read_source_texts(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}


def read_seeds(folder: Path | str) -> Dataset:
    """Validate every seed file under `folder` and return its rows, or raise `SeedError`."""
    reader = SeedReader(Path(folder))
    reader.read()
    dataset = _Builder(reader).build()
    if reader.problems:
        raise SeedError(reader.problems)
    return dataset
