"""Federal Register files in, the pieces of documents they hold out: untrusted input, read safely.

A file's format is read from its content, never its name: FR API JSON (one document or a
results page), full-text XML (one `<PRESDOCU>` or a whole daily issue `<FEDREG>`), or raw
text as `raw_text_url` serves it. Every file is bounded in size, XML is parsed with entities,
DTDs and the network off, and every problem names the file and the line or element.
"""

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from api.importing.texts import OfficialText, read_raw_text, read_xml

MAX_FILE_BYTES = 64 * 1024 * 1024  # a whole daily issue is a few MB
MAX_JSON_DEPTH = 40

JSON, XML, TEXT = "json", "xml", "text"
_PRESIDENTIAL = ("PRESDOCU",)


class ImportFileError(Exception):
    """A file cannot be imported: the message names the file and where in it."""

    def __init__(self, file: str, message: str):
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message


class NotImported(ImportFileError):
    """A Federal Register file this importer knowingly leaves out (listed, not an error)."""


@dataclass
class Piece:
    """What one file says of one document: its API record, or its official text."""

    file: str
    format: str
    document_number: str | None
    order_number: str | None
    api_record: dict | None = None
    source: str | None = None  # the XML of the one document, or the raw text as served
    official: OfficialText | None = None


def files_under(paths: list[Path]) -> Iterator[Path]:
    """The files named, and every file under the folders named, in a stable order."""
    for path in paths:
        if path.is_dir():
            for folder, folders, names in os.walk(path):
                folders.sort()
                for name in sorted(names):
                    if not name.startswith("."):
                        yield Path(folder) / name
        else:
            yield path


def read_pieces(path: Path, *, with_text: bool = True) -> list[Piece]:
    """The pieces of documents one file holds; ImportFileError if it holds none or is bad.
    Without `with_text`, the pieces come without their `official` text (see pieces_of)."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportFileError(name, f"cannot be read ({error.strerror})") from error
    if size > MAX_FILE_BYTES:
        raise ImportFileError(name, f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return pieces_of(name, data, with_text=with_text)


def pieces_of(name: str, data: bytes, *, with_text: bool = True) -> list[Piece]:
    """The pieces of documents in a file's bytes (see read_pieces). Without `with_text`, their
    `official` is None and a raw text's body is not read into paragraphs: the same pieces
    otherwise, checked as strictly, in half the time for raw text."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(name, f"too large (over {MAX_FILE_BYTES:,} bytes)")
    text = _decoded(name, data)
    start = text.lstrip("\ufeff \t\r\n\x00")[:200]
    if start.startswith(("{", "[")):
        return _json_pieces(name, text)
    if re.match(r"<(?:\?xml|PRESDOCU|FEDREG|!DOCTYPE|!--)", start):
        pieces = _xml_pieces(name, data)
    elif re.match(r"<html", start, re.IGNORECASE) or "[Federal Register Volume" in text[:2000]:
        pieces = [_raw_text_piece(name, text, paragraphs=with_text)]
    else:
        raise _not_federal_register(name, start)
    if not with_text:
        for piece in pieces:
            piece.official = None
    return pieces


def _not_federal_register(name: str, start: str) -> ImportFileError:
    """The error for a file in no format read here (the disposition table: left out knowingly)."""
    if start.startswith("number,citation,signing_date,document_number,notes"):
        return NotImported(
            name,
            "the Federal Register's disposition table is not imported: the API records' "
            "disposition_notes say the same for each order",
        )
    return ImportFileError(
        name, "not a Federal Register file (neither FR API JSON, FR XML nor FR raw text)"
    )


def _decoded(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if data[:200].lstrip().startswith(b"<html") or b"[Federal Register Volume" in data[:2000]:
            return data.decode("latin-1")  # old GPO text: one byte a character
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(name, f"line {line}: not UTF-8 text (binary data?)") from error


# -- JSON ------------------------------------------------------------------------------------


def _json_pieces(name: str, text: str) -> list[Piece]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(name, f"line {error.lineno}: not valid JSON ({error.msg})") from error
    except RecursionError as error:
        raise ImportFileError(name, "JSON nested too deeply") from error
    if isinstance(value, dict) and isinstance(value.get("results"), list):
        records = value["results"]
    elif isinstance(value, dict):
        records = [value]
    else:
        raise ImportFileError(name, "JSON is not an FR API document or results page")
    pieces = []
    for index, record in enumerate(records):
        where = f"results[{index}]" if "results" in value else "document"
        pieces.append(_json_piece(name, where, record))
    if not pieces:
        raise ImportFileError(name, "an FR API results page with no results")
    return pieces


def _json_piece(name: str, where: str, record: object) -> Piece:
    if not isinstance(record, dict):
        raise ImportFileError(name, f"{where}: not a JSON object")
    number = record.get("document_number")
    if not isinstance(number, str) or not re.fullmatch(r"[A-Z]?\d[\w-]{2,38}", number):
        raise ImportFileError(name, f"{where}: no valid `document_number`")
    for key in ("title", "signing_date", "publication_date", "executive_order_number"):
        if record.get(key) is not None and not isinstance(record[key], str | int):
            raise ImportFileError(name, f"{where}: `{key}` is not a string")
    order = record.get("executive_order_number")
    return Piece(name, JSON, number, str(order) if order else None, api_record=record)


# -- XML -------------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _xml_pieces(name: str, data: bytes) -> list[Piece]:
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data):
        raise ImportFileError(name, "XML with a DTD or entity declarations is refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else "?"
        raise ImportFileError(name, f"line {line}: not well-formed XML ({error.msg})") from error
    if root.getroottree().docinfo.internalDTD is not None:
        raise ImportFileError(name, "XML with a DTD or entity declarations is refused")
    if root.tag == "PRESDOCU":
        documents = [root]
    elif root.tag == "FEDREG":
        documents = list(root.iter("PRESDOCU"))
        if not documents:
            raise ImportFileError(name, "a daily issue (<FEDREG>) with no presidential document")
    else:
        raise ImportFileError(name, f"line {root.sourceline}: <{root.tag}> is not FR XML")
    return [_xml_piece(name, document) for document in documents]


def _xml_piece(name: str, document: etree._Element) -> Piece:
    official = read_xml(document)
    where = f"line {document.sourceline}: <PRESDOCU>"
    if official.document_number is None:
        raise ImportFileError(name, f"{where} has no <FRDOC> document number")
    if official.kind is None:
        raise ImportFileError(name, f"{where} has no heading (<EXECORDR> or <PROC>)")
    source = etree.tostring(document, encoding="unicode")
    return Piece(
        name, XML, official.document_number, _order_number(official), source=source,
        official=official,
    )  # fmt: skip


def parse_xml_document(source: str) -> OfficialText:
    """The official text of a stored `<PRESDOCU>` (stored only after being read safely)."""
    return read_xml(etree.fromstring(source.encode(), _parser()))


# -- raw text --------------------------------------------------------------------------------


def _raw_text_piece(name: str, text: str, *, paragraphs: bool = True) -> Piece:
    # NUL bytes are served in almost every raw text; PostgreSQL text cannot hold them, and the
    # normalisation drops them anyway, so the stored text goes without.
    text = text.replace("\x00", "")
    official = read_raw_text(text, paragraphs=paragraphs)
    if official.document_number is None:
        raise ImportFileError(name, "raw text with no `[FR Doc No: …]` line")
    if official.kind is None:
        raise ImportFileError(name, "raw text with no heading (`Executive Order N of …`)")
    return Piece(
        name, TEXT, official.document_number, _order_number(official), source=text,
        official=official,
    )  # fmt: skip


def _order_number(official: OfficialText) -> str | None:
    return official.number if official.kind == "executive_order" else None
