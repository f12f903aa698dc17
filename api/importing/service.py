"""Import Federal Register files, all or nothing, and reload the dataset with what they say.

The files' pieces are merged into one stored document per FR document number (metadata from
the JSON, text from the XML, else the raw text), then the imported layer is derived again
from every stored document and loaded with the seed layer, in one write transaction. Files
whose bytes are all known already change nothing and are not even parsed.
"""

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, insert, select

from api.importing.extraction import EXTRACTOR
from api.importing.files import (
    JSON,
    MAX_FILE_BYTES,
    XML,
    ImportFileError,
    NotImported,
    Piece,
    files_under,
    read_pieces,
)
from api.importing.records import Stored, imported_dataset, stable_api_record
from api.importing.workers import each
from api.seeding.dataset import Dataset
from api.seeding.layers import SEEDS, combine, read_layer
from api.seeding.loader import load_rows
from api.storage import models
from api.storage.database import write_transaction

FEDERAL_REGISTER = "federal-register"
_IGNORED_NAMES = ("README.md", "SHA256SUMS")


class ImportFailed(Exception):
    """Files could not be imported; nothing was written."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(f"{len(problems)} file(s) could not be imported; nothing was written")
        self.problems = problems


@dataclass
class ImportReport:
    files: int = 0
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why): bad files
    ignored: list[tuple[str, str]] = field(default_factory=list)  # files left out on purpose
    documents: int = 0  # imported documents in the data now
    provisions: int = 0
    relations: int = 0

    @property
    def wrote(self) -> bool:
        return bool(self.new or self.changed)


@dataclass
class _Incoming:
    document_number: str
    order_number: str | None = None
    api_record: dict | None = None
    full_text_xml: str | None = None
    raw_text: str | None = None
    files: list[dict] = field(default_factory=list)


def import_federal_register(
    engine: Engine,
    paths: Iterable[Path],
    *,
    keep_going: bool = False,
    progress: Callable[[Path], None] | None = None,
    now: datetime.datetime | None = None,
) -> ImportReport:
    """Import the files and folders named; ImportFailed (nothing written) on any bad file,
    unless `keep_going`, which imports the rest and reports what it skipped."""
    now = now or datetime.datetime.now(datetime.UTC)
    report = ImportReport()
    files = [path for path in files_under(list(paths)) if path.name not in _IGNORED_NAMES]
    report.files = len(files)
    with write_transaction(engine) as connection:
        stored = _stored(connection)
        known = {item["sha256"] for row in stored.values() for item in row["files"]}
        digests = {}
        for path in files:
            digests[path] = _sha256(path, report)
            if progress is not None:
                progress(path)
        if report.skipped and not keep_going:
            raise ImportFailed(report.skipped)
        current = _derived_by_this_extractor(connection)
        if current and all(digest in known for digest in digests.values() if digest):
            _report_unchanged(report, stored, set(digests.values()))
        else:
            incoming = _incoming(files, digests, report)
            if report.skipped and not keep_going:
                raise ImportFailed(report.skipped)
            _merge(incoming, stored, report, now)
            if report.wrote or not current:
                _save(connection, stored, report)
                counts = reload(connection, now, stored=stored)
                report.provisions = counts["provisions"]
                report.relations = counts["relations"]
        report.documents = len(stored)
        if not (report.wrote or not current):
            report.provisions, report.relations = _imported_counts(connection)
    return report


def reload(
    connection: Connection,
    now: datetime.datetime,
    *,
    seeds: Dataset | None = None,
    stored: dict[str, dict] | None = None,
) -> dict:
    """Load the seed layer (given, or read back) with the imported layer: derived again from
    the stored imports when they changed (`stored` given) or were derived by another version
    of the extractor, else read back."""
    seeds = read_layer(connection, SEEDS) if seeds is None else seeds
    if stored is None and _derived_by_this_extractor(connection):
        imported = read_layer(connection, FEDERAL_REGISTER)
    else:
        stored = _stored(connection) if stored is None else stored
        seed_documents = {row["id"] for row in seeds.rows.get("documents", [])}
        rows = [_as_stored(row) for row in stored.values()]
        imported = imported_dataset(rows, seed_documents)
    dataset, origins = combine({SEEDS: seeds, FEDERAL_REGISTER: imported})
    load_rows(connection, dataset, now, origins)
    return {
        table: sum(1 for key in origins if key[0] == table)
        for table in ("documents", "provisions", "relations")
    }


def _derived_by_this_extractor(connection: Connection) -> bool:
    """Whether the imported records in the data were made from every stored import by this
    version of the extractor (a synthetic load, say, replaces them all)."""
    table, origins = models.FederalRegisterDocument, models.RecordOrigin
    stored = connection.scalar(select(func.count()).select_from(table))
    if not stored:
        return True
    derived = connection.scalar(
        select(func.count())
        .select_from(origins)
        .where(origins.collection == "documents", origins.origin == FEDERAL_REGISTER)
    )
    extractor = connection.scalar(
        select(models.Provision.extractor)
        .join(origins, origins.record_id == models.Provision.id)
        .where(origins.collection == "provisions", origins.origin == FEDERAL_REGISTER)
        .limit(1)
    )
    return bool(derived) and extractor in (None, EXTRACTOR)


# -- reading files --------------------------------------------------------------------------


def _sha256(path: Path, report: ImportReport) -> str | None:
    """The file's digest; None, and the file skipped, when it cannot be read or is too large
    (not read at all then: a 1 GB file is refused at once)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.skipped.append(
                (str(path), f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
            )
            return None
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        report.skipped.append((str(path), f"cannot be read ({error.strerror})"))
        return None


def _incoming(files, digests, report: ImportReport) -> dict[str, _Incoming]:
    """The pieces of every readable file, merged by FR document number."""
    pieces: list[tuple[Piece, str]] = []
    readable = [path for path in files if digests[path] is not None]
    for path, read in zip(readable, each(_read_file, readable, chunksize=16), strict=True):
        if isinstance(read, tuple):
            (report.ignored if read[0] == "ignored" else report.skipped).append(read[1:])
        else:
            pieces += [(piece, digests[path]) for piece in read]
    by_number: dict[str, _Incoming] = {}
    for piece, digest in sorted(pieces, key=lambda item: item[0].format != JSON):
        key = _document_key(piece, by_number)
        incoming = by_number.setdefault(key, _Incoming(key))
        problem = _add_piece(incoming, piece)
        if problem:
            report.skipped.append((piece.file, problem))
            continue
        incoming.files.append(
            {"name": Path(piece.file).name, "format": piece.format, "sha256": digest}
        )
    return by_number


def _read_file(path: Path) -> list[Piece] | tuple[str, str, str]:
    """A file's pieces, or ("ignored" or "skipped", file, why). Pure work, done in worker
    processes: the pieces come back without their parsed text (the merge reads none), the
    stored text is parsed where orders are extracted."""
    try:
        return read_pieces(path, with_text=False)
    except NotImported as error:
        return ("ignored", error.file, error.message)
    except ImportFileError as error:
        return ("skipped", error.file, error.message)


def _document_key(piece: Piece, by_number: dict[str, _Incoming]) -> str:
    """Its FR document number; or, for a text whose number no JSON gives, the document of
    the JSON that gives its EO number."""
    if piece.document_number in by_number or piece.format == JSON or not piece.order_number:
        return piece.document_number
    for incoming in by_number.values():
        if incoming.order_number == piece.order_number and incoming.api_record is not None:
            return incoming.document_number
    return piece.document_number


def _add_piece(incoming: _Incoming, piece: Piece) -> str | None:
    """Merge a piece in; a problem when another file already gave this document otherwise."""
    if piece.format == JSON:
        value, attribute = stable_api_record(piece.api_record), "api_record"
    elif piece.format == XML:
        value, attribute = piece.source, "full_text_xml"
    else:
        value, attribute = piece.source, "raw_text"
    given = getattr(incoming, attribute)
    if given is not None and given != value:
        return f"gives document {incoming.document_number} otherwise than another file"
    setattr(incoming, attribute, value)
    incoming.order_number = incoming.order_number or piece.order_number
    return None


# -- the store ------------------------------------------------------------------------------


def _stored(connection: Connection) -> dict[str, dict]:
    table = models.FederalRegisterDocument.__table__
    return {
        row["document_number"]: dict(row) for row in connection.execute(select(table)).mappings()
    }


def _as_stored(row: dict) -> Stored:
    return Stored(row["document_number"], row["api_record"], row["full_text_xml"], row["raw_text"])


def _content_hash(row: dict) -> str:
    text = json.dumps(
        [row["api_record"], row["full_text_xml"], row["raw_text"]], sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _merge(incoming: dict[str, _Incoming], stored: dict[str, dict], report, now) -> None:
    """Each incoming document into the store's rows: new, changed (its content) or unchanged."""
    for number, item in sorted(incoming.items()):
        before = stored.get(number)
        row = dict(before) if before else {"document_number": number, "files": []}
        for attribute in ("api_record", "full_text_xml", "raw_text"):
            value = getattr(item, attribute)
            if value is not None or before is None:
                row[attribute] = value
        row["executive_order_number"] = item.order_number or row.get("executive_order_number")
        files = {entry["name"]: entry for entry in row["files"]}
        files.update({entry["name"]: entry for entry in item.files})
        row["files"] = sorted(files.values(), key=lambda entry: entry["name"])
        row["content_hash"] = _content_hash(row)
        if before is None:
            row["imported_at"] = now
            report.new.append(number)
        elif before["content_hash"] != row["content_hash"]:
            row["imported_at"] = now
            report.changed.append(number)
        else:
            report.unchanged.append(number)
        stored[number] = row


def _save(connection: Connection, stored: dict[str, dict], report: ImportReport) -> None:
    table = models.FederalRegisterDocument.__table__
    written = report.new + report.changed
    if written:
        connection.execute(delete(table).where(table.c.document_number.in_(written)))
        connection.execute(insert(table), [stored[number] for number in written])


def _report_unchanged(report: ImportReport, stored: dict[str, dict], digests: set) -> None:
    report.unchanged = sorted(
        number
        for number, row in stored.items()
        if any(item["sha256"] in digests for item in row["files"])
    )


def _imported_counts(connection: Connection) -> tuple[int, int]:
    counts = dict.fromkeys(("provisions", "relations"), 0)
    table = models.RecordOrigin
    for (collection,) in connection.execute(
        select(table.collection).where(table.origin == FEDERAL_REGISTER)
    ):
        if collection in counts:
            counts[collection] += 1
    return counts["provisions"], counts["relations"]
