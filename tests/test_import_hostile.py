"""Hostile files through the real import, by the service and by the CLI: each is refused with
a clear error naming the file (and the line, where one applies), and nothing is written.

The good files come from the corpus in the repository (`corpus/federal-register`); the
hostile ones are made here, in the test's own folder.
"""

import io
import json
import os
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from api.cli import main
from api.importing.files import MAX_FILE_BYTES
from api.importing.service import ImportFailed, import_federal_register
from api.storage import database, models
from tests.conftest import PROJECT_ROOT, isolated_database, make_app

CORPUS = PROJECT_ROOT / "corpus" / "federal-register"
GOOD_FILES = ("json/EO_13900.json", "xml/EO_13900.xml", "json/EO_13523.json", "xml/EO_13523.xml")
GOOD_DOCUMENTS = {"us-eo-13900", "us-eo-13523"}
ONE_GB = 1 << 30

# What a load writes: none of it may change when an import is refused.
WRITTEN = {
    "documents": models.Document,
    "provisions": models.Provision,
    "relations": models.Relation,
    "stored imports": models.FederalRegisterDocument,
    "change log": models.Change,
    "record origins": models.RecordOrigin,
    "dataset state": models.DatasetState,
}


# -- hostile files -------------------------------------------------------------------------


def truncated_json() -> bytes:
    """A real API record, pretty-printed as a download might be, cut off half-way."""
    record = json.loads((CORPUS / "json" / "EO_13900.json").read_bytes())
    data = json.dumps(record, indent=1).encode()
    return data[: len(data) // 2]


def deep_json() -> bytes:
    return b'{"results": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE PRESDOCU [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PRESDOCU><EXECORD><FP>&lol9;</FP></EXECORD></PRESDOCU>
"""

# A well-formed order but for the entity its text uses: the file must not be read into it.
ORDER_USING_ENTITY = b"""<PRESDOCU>
<EXECORD>
<EXECORDR>Executive Order 13900 of December 17, 2019</EXECORDR>
<HD SOURCE="HED">Providing for the Closing of Executive Departments</HD>
<FP>By the authority vested in me as President, it is hereby ordered as follows:</FP>
<FP><E T="04">Section 1</E>. The password file reads: &x;</FP>
<FRDOC>[FR Doc. 2019-27678 Filed 12-19-19; 8:45 am]</FRDOC>
</EXECORD>
</PRESDOCU>
"""
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n'
    b'<!DOCTYPE PRESDOCU [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + ORDER_USING_ENTITY
)
# The same, with the declaration behind a long comment: past where a quick look would stop.
EXTERNAL_ENTITY_LATE = (
    b"<!--" + b" padding " * 1_000 + b"-->\n"
    b'<!DOCTYPE PRESDOCU [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + ORDER_USING_ENTITY
)

NOT_FR_XML = b'<?xml version="1.0"?>\n<catalog>\n  <book id="1">Moby-Dick</book>\n</catalog>\n'
NO_DOCUMENT_NUMBER = json.dumps(
    {"title": "Civil Justice Reform", "executive_order_number": "12988", "type": "Presidential"}
).encode()


def line_of_end(data: bytes) -> str:
    """`line N`, N being the line a reader stops on at the end of the data."""
    lines = data.count(b"\n") + 1
    return rf"line {lines}\b"


HOSTILE = [
    pytest.param(
        "EO_13900.json",
        truncated_json(),
        line_of_end(truncated_json()) + r".*JSON",
        id="truncated-json",
    ),
    pytest.param("deep.json", deep_json(), r"(?i)nest|deep|depth", id="json-nested-100000-deep"),
    pytest.param("laughs.xml", BILLION_LAUGHS, r"(?i)DTD|entit", id="billion-laughs-xml"),
    pytest.param("entity.xml", EXTERNAL_ENTITY, r"(?i)DTD|entit", id="xml-external-entity"),
    pytest.param(
        "EO_13900.htm",
        random.Random(2024).randbytes(8192),
        r"(?i)line \d+: .*(UTF-8|binary)",
        id="binary-garbage",
    ),
    pytest.param("empty.json", b"", r"(?i)empty|not a Federal Register file", id="empty-file"),
    pytest.param("catalog.xml", NOT_FR_XML, r"line 2: .*<catalog>", id="xml-root-not-fr-xml"),
    pytest.param(
        "record.json", NO_DOCUMENT_NUMBER, r"document_number", id="json-without-document-number"
    ),
]


# -- running an import -----------------------------------------------------------------------


@dataclass
class Outcome:
    refused: bool
    errors: str  # the bad files the user is told of, one `file: problem` a line
    left_out: str = ""  # the files left out on purpose, likewise
    output: str = ""  # everything the user is told


def import_by_service(app: Flask, paths: list[Path], keep_going: bool) -> Outcome:
    with app.app_context():
        engine = database.engine()
    try:
        report = import_federal_register(engine, paths, keep_going=keep_going)
    except ImportFailed as error:
        lines = "\n".join(f"{file}: {problem}" for file, problem in error.problems)
        assert "nothing was written" in str(error)
        return Outcome(True, lines, output=f"{error}\n{lines}")
    skipped = "\n".join(f"{file}: {problem}" for file, problem in report.skipped)
    ignored = "\n".join(f"{file}: {problem}" for file, problem in report.ignored)
    return Outcome(False, skipped, ignored, f"{report}")


def import_by_cli(app: Flask, paths: list[Path], keep_going: bool) -> Outcome:
    options = ["--keep-going"] if keep_going else []
    arguments = ["import", "federal-register", *options, *map(str, paths)]
    result = app.test_cli_runner().invoke(main, arguments)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # anything but the importer's own error is a failure
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "nothing was written" in result.stderr
        assert result.stdout == ""
        return Outcome(True, result.stderr, output=result.output)
    output = result.output
    return Outcome(False, listed(output, "Skipped"), listed(output, "Left out"), output)


def listed(output: str, heading: str) -> str:
    """The files the CLI's report lists under a heading (`Skipped`, `Left out`)."""
    lines, inside = [], False
    for line in output.splitlines():
        if not line.startswith(" "):
            inside = line.startswith(heading)
        elif inside:
            lines.append(line.strip())
    return "\n".join(lines)


def importer(request, app: Flask, monkeypatch) -> Callable[..., Outcome]:
    monkeypatch.setattr("api.cli.create_app", lambda: app)
    return lambda paths, keep_going=False: request.param(app, paths, keep_going)


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory) -> Iterator[Flask]:
    """An empty database, made as `empty_app` makes it, shared by the tests whose imports
    must write nothing (each checks that it did not): one migration, not one a test."""
    with isolated_database(tmp_path_factory.mktemp("hostile")) as settings:
        app = make_app(settings)
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture(params=[import_by_service, import_by_cli], ids=["service", "cli"])
def run_import(request, shared_app, monkeypatch) -> Callable[..., Outcome]:
    """Import files into the shared empty database, by the service or by the CLI."""
    return importer(request, shared_app, monkeypatch)


@pytest.fixture(params=[import_by_service, import_by_cli], ids=["service", "cli"])
def run_import_fresh(request, empty_app, monkeypatch) -> Callable[..., Outcome]:
    """Import files into a new empty database of the test's own (for imports that write)."""
    return importer(request, empty_app, monkeypatch)


def counts(app: Flask) -> dict[str, int]:
    with app.app_context(), database.engine().connect() as connection:
        return {
            name: connection.scalar(select(func.count()).select_from(model))
            for name, model in WRITTEN.items()
        }


def document_ids(app: Flask) -> set[str]:
    with app.app_context(), database.engine().connect() as connection:
        return set(connection.scalars(select(models.Document.id)))


@pytest.fixture
def nothing_written(shared_app):
    """Fails the test if the shared database is not still empty after the import."""
    before = counts(shared_app)
    assert set(before.values()) == {0}, before
    yield
    assert counts(shared_app) == before


def write(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def huge_file(folder: Path) -> Path:
    """A 1 GB file that takes no room on disk: the importer must refuse it by its size."""
    path = write(folder, "EO_13900.json", b"")
    os.truncate(path, ONE_GB)
    assert path.stat().st_size == ONE_GB > MAX_FILE_BYTES
    return path


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """The files over the size limit that anything opens; they read as empty, so that a test
    stays fast even when the importer reads (hashes) a file before refusing it."""
    found: list[Path] = []
    original = io.open

    def spy(file, mode="r", *args, **kwargs):
        too_large = isinstance(file, str | Path) and os.path.isfile(file)
        if too_large and os.path.getsize(file) > MAX_FILE_BYTES:
            found.append(Path(file))
            if "b" in mode:
                return io.BytesIO(b"")
        return original(file, mode, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr("builtins.open", spy)
    return found


def assert_names(outcome: Outcome, path: Path, pattern: str) -> None:
    """The error names the file, then says what is wrong with it (`pattern`)."""
    lines = [line for line in outcome.errors.splitlines() if line.startswith(f"{path}: ")]
    assert lines, f"no error names {path}:\n{outcome.output}"
    assert any(re.search(pattern, line[len(f"{path}: ") :]) for line in lines), lines


# -- one hostile file --------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, pattern", HOSTILE)
def test_a_hostile_file_is_refused_by_name_and_nothing_is_written(
    run_import, nothing_written, tmp_path, name, content, pattern
):
    path = write(tmp_path / "in", name, content)

    outcome = run_import([path])

    assert outcome.refused
    assert_names(outcome, path, pattern)


def test_an_external_entity_is_never_read_into_the_data(run_import, nothing_written, tmp_path):
    path = write(tmp_path / "in", "entity.xml", EXTERNAL_ENTITY)

    outcome = run_import([path])

    assert outcome.refused
    assert "root:" not in outcome.output  # a line of /etc/passwd


def test_an_external_entity_declared_after_a_long_comment_is_refused_too(
    run_import, nothing_written, tmp_path
):
    path = write(tmp_path / "in", "entity.xml", EXTERNAL_ENTITY_LATE)

    outcome = run_import([path])

    assert outcome.refused
    assert_names(outcome, path, r"(?i)DTD|entit")


def test_a_1_gb_file_is_refused_by_its_size(run_import, nothing_written, opened, tmp_path):
    path = huge_file(tmp_path / "in")

    outcome = run_import([path])

    assert outcome.refused
    assert_names(outcome, path, r"(?i)too large")


def test_a_1_gb_file_is_refused_without_being_read(run_import, nothing_written, opened, tmp_path):
    path = huge_file(tmp_path / "in")

    outcome = run_import([path])

    assert outcome.refused
    assert opened == [], "the importer opened the 1 GB file before refusing it"


# -- good files with a bad one -------------------------------------------------------------


@pytest.fixture
def mixed_folder(tmp_path) -> tuple[Path, Path]:
    """A folder of good corpus files and one truncated JSON: (the folder, the bad file)."""
    folder = tmp_path / "mixed"
    for name in GOOD_FILES:
        write(folder / Path(name).parent, Path(name).name, (CORPUS / name).read_bytes())
    bad = write(folder / "json", "EO_13901.json", truncated_json())
    return folder, bad


def test_a_bad_file_among_good_ones_stops_the_whole_import(
    run_import, nothing_written, mixed_folder
):
    """All or nothing: the bad file is named, the good ones are not, and none is imported."""
    folder, bad = mixed_folder

    outcome = run_import([folder])

    assert outcome.refused
    assert_names(outcome, bad, r"(?i)line \d+: .*JSON")
    assert outcome.errors.count(str(folder)) == 1, outcome.errors


def test_keep_going_imports_the_good_files_and_lists_the_bad_one(
    run_import_fresh, empty_app, mixed_folder
):
    folder, bad = mixed_folder

    outcome = run_import_fresh([folder], keep_going=True)

    assert not outcome.refused
    assert_names(outcome, bad, r"(?i)line \d+: .*JSON")
    assert outcome.errors.count(str(folder)) == 1, outcome.errors
    assert document_ids(empty_app) == GOOD_DOCUMENTS
    assert counts(empty_app)["stored imports"] == len(GOOD_DOCUMENTS)


def test_keep_going_with_only_bad_files_writes_nothing(run_import, nothing_written, tmp_path):
    folder = tmp_path / "in"
    for parameter in HOSTILE:
        name, content, _pattern = parameter.values
        write(folder / parameter.id, name, content)

    outcome = run_import([folder], keep_going=True)

    assert not outcome.refused
    for parameter in HOSTILE:
        name, _content, pattern = parameter.values
        assert_names(outcome, folder / parameter.id / name, pattern)


def test_the_corpus_bulk_csv_is_left_out_not_refused(run_import, nothing_written, tmp_path):
    """The disposition table is listed as left out on purpose; the import does not fail."""
    csv = CORPUS / "bulk" / "nara_executive_orders_1993-2012.csv"
    path = write(tmp_path / "in", csv.name, csv.read_bytes())

    outcome = run_import([path])

    assert not outcome.refused, outcome.output
    assert outcome.errors == ""
    assert outcome.left_out.startswith(f"{path}: "), outcome.output


def test_the_cli_names_the_file_on_stderr_and_exits_1(
    shared_app, nothing_written, monkeypatch, tmp_path
):
    monkeypatch.setattr("api.cli.create_app", lambda: shared_app)
    path = write(tmp_path / "in", "EO_13900.json", truncated_json())

    result = shared_app.test_cli_runner().invoke(main, ["import", "federal-register", str(path)])

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"{path}: line ")
    assert "1 file(s) could not be imported; nothing was written." in result.stderr
    assert result.stdout == ""
