"""Check references between seed records and turn them into table rows."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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
        for collection in (
            "sources",
            "jurisdictions",
            "actors",
            "documents",
            "statements",
            "relations",
        ):
            self.index(collection, ((file, r["id"]) for file, r in records.get(collection, [])))
        for collection in (
            "sources",
            "jurisdictions",
            "actors",
            "documents",
            "statements",
            "relations",
        ):
            for file, record in self._ordered(collection, records.get(collection, [])):
                where = (file, f"{collection.removesuffix('s')} {record['id']}")
                getattr(self, f"add_{collection}")(where, dict(record))
        return self.dataset

    def _ordered(self, collection: str, records: list[tuple[str, dict]]):
        if collection != "jurisdictions":
            return records
        return sorted(records, key=lambda item: self._jurisdiction_depth(item[1]["id"], records))

    def _jurisdiction_depth(self, jurisdiction_id: str, records: list[tuple[str, dict]]) -> int:
        parents = {r["id"]: r["parent_id"] for _, r in records}
        depth, current, seen = 0, parents.get(jurisdiction_id), {jurisdiction_id}
        while current is not None and current in parents and current not in seen:
            seen.add(current)
            depth, current = depth + 1, parents[current]
        return depth

    def add_links(self, table: str, owner: dict, values: list[str], column: str, **extra) -> None:
        for value in sorted(set(values)):
            self.dataset.add(table, {**owner, column: value, **extra})

    def add_sources(self, where, record: dict) -> None:
        self.dataset.add("sources", record)

    def add_jurisdictions(self, where, record: dict) -> None:
        self.refer(where, "parent", "jurisdictions", record["parent_id"])
        if record["parent_id"] == record["id"]:
            self.problem(*where, "parent: a jurisdiction cannot be its own parent")
        sources = record.pop("sources")
        self.refer(where, "sources", "sources", *sources)
        self.dataset.add("jurisdictions", record)
        self.add_links(
            "jurisdiction_sources", {"jurisdiction_id": record["id"]}, sources, "source_id"
        )

    def add_actors(self, where, record: dict) -> None:
        self.refer(where, "jurisdiction", "jurisdictions", record["jurisdiction_id"])
        sources = record.pop("sources")
        self.refer(where, "sources", "sources", *sources)
        self.dataset.add("actors", record)
        self.add_links("actor_sources", {"actor_id": record["id"]}, sources, "source_id")

    def add_documents(self, where, record: dict) -> None:
        document_id = record["id"]
        self.refer(where, "issuer", "actors", record["issuer_id"])
        self.refer(where, "jurisdiction", "jurisdictions", record["jurisdiction_id"])
        sources, topics = record.pop("sources"), record.pop("topics")
        history, provisions = record.pop("status_history"), record.pop("provisions")
        self.refer(where, "sources", "sources", *sources)
        record["status"] = history[-1]["status"]
        self.dataset.add("documents", record)
        self.add_links("document_sources", {"document_id": document_id}, sources, "source_id")
        self.add_links("document_topics", {"document_id": document_id}, topics, "topic")
        self.add_status_history(where, document_id, history)
        seen: set[str] = set()
        self.add_provisions(where, document_id, None, provisions, depth=0, counter=[0], seen=seen)

    def add_status_history(self, where, document_id: str, history: list[dict]) -> None:
        for position, change in enumerate(history, start=1):
            name = f"status_history[{position - 1}]"
            earlier = [entry["date"] for entry in history[: position - 1] if entry["date"]]
            if change["date"] and earlier and change["date"] < max(earlier):
                self.problem(*where, f"{name}.date: earlier than the entry before it")
            self.refer(where, f"{name}.by", "documents", change["by_id"])
            sources = change.pop("sources")
            self.refer(where, f"{name}.sources", "sources", *sources)
            owner = {"document_id": document_id, "position": position}
            self.dataset.add("status_changes", {**owner, **change})
            self.add_links("status_change_sources", owner, sources, "source_id")

    def add_provisions(self, where, document_id, parent, provisions, *, depth, counter, seen):
        for provision in provisions:
            provision = dict(provision)
            prefix = parent or document_id
            provision_id = f"{prefix}.{provision.pop('key')}"
            name = f"provision {provision_id}"
            if provision_id in seen:
                self.problem(*where, f"{name}: duplicate key among its siblings")
            seen.add(provision_id)
            counter[0] += 1
            children = provision.pop("provisions")
            sources, topics = provision.pop("sources"), provision.pop("topics")
            addressees = provision.pop("addressees")
            self.refer(where, f"{name}: actor", "actors", provision["actor_id"])
            self.refer(where, f"{name}: addressees", "actors", *addressees)
            self.refer(where, f"{name}: quoted_in", "sources", provision["quoted_in_id"])
            self.refer(where, f"{name}: sources", "sources", *sources)
            self.verbatim(where, f"{name}: text", provision["text"], provision["quoted_in_id"])
            row = {
                **provision,
                "id": provision_id,
                "document_id": document_id,
                "parent_id": parent,
                "position": counter[0],
                "depth": depth,
            }
            self.dataset.add("provisions", row)
            owner = {"provision_id": provision_id}
            self.add_links("provision_sources", owner, sources, "source_id")
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
        self.refer(where, "speaker", "actors", record["speaker_id"])
        self.refer(where, "quoted_in", "sources", record["quoted_in_id"])
        self.verbatim(where, "quote", record["quote"], record["quoted_in_id"])
        sources, about = record.pop("sources"), record.pop("about")
        self.refer(where, "sources", "sources", *sources)
        self.refer(where, "about", "documents", *about)
        self.dataset.add("statements", record)
        owner = {"statement_id": record["id"]}
        self.add_links("statement_sources", owner, sources, "source_id")
        self.add_links("statement_documents", owner, about, "document_id")

    def add_relations(self, where, record: dict) -> None:
        self.refer(where, "subject", "documents", record["subject_id"])
        self.refer(where, "object", "documents", record["object_id"])
        if record["subject_id"] == record["object_id"]:
            self.problem(*where, "object: a document cannot relate to itself")
        sources = record.pop("sources")
        self.refer(where, "sources", "sources", *sources)
        self.dataset.add("relations", record)
        self.add_links("relation_sources", {"relation_id": record["id"]}, sources, "source_id")


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
