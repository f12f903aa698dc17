"""The import's fast paths give exactly what the plain, serial path gives, on real orders.

The fast paths exist for speed alone: worker processes (api/importing/workers.py) and the
caches, gated patterns and alias-by-alias matching that api/importing/fastpaths.py lists
with the plain forms they stand for. Here each is swapped back for its plain form.
"""

import datetime
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from api.importing import (
    actors,
    deontics,
    extraction,
    files,
    records,
    service,
    structure,
    texts,
    workers,
)
from api.importing.fastpaths import PLAIN

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "federal-register"
# XML with JSON, raw text alone (12944, 12958), a Part-structured order (13191), a signature
# printed as text (13401), long orders with many offices and short forms (13526, 14110).
ORDERS = ("12944", "12958", "13132", "13191", "13401", "13526", "13959", "14110")
MODULES = (actors, deontics, extraction, files, records, service, structure, texts)
NOW = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def corpus_files() -> list[Path]:
    return sorted(path for number in ORDERS for path in CORPUS.glob(f"*/EO_{number}.*"))


@contextmanager
def plain_path():
    """Every fast path swapped for its plain form, and no worker process."""
    fast = {id(function): plain for function, plain in PLAIN.items()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workers, "PARALLEL_FROM", 10**9)
        for module in MODULES:
            for name, value in list(vars(module).items()):
                if id(value) in fast:
                    patch.setattr(module, name, fast[id(value)])
        yield


@contextmanager
def fast_path():
    """Every fast path, worker processes for a handful of items too, caches cold."""
    for function in PLAIN:
        if hasattr(function, "cache_clear"):
            function.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workers, "PARALLEL_FROM", 1)
        patch.setattr(workers.os, "cpu_count", lambda: 2)
        yield


def imported(paths: list[Path]) -> tuple[service.ImportReport, dict, dict]:
    """What an import makes of the files: its report, the stored documents, the records."""
    report = service.ImportReport()
    digests = {path: service._sha256(path, report) for path in paths}
    stored: dict[str, dict] = {}
    service._merge(service._incoming(paths, digests, report), stored, report, NOW)
    dataset = records.imported_dataset([service._as_stored(row) for row in stored.values()])
    return report, stored, dataset.rows


def test_an_import_on_the_fast_path_makes_what_the_plain_path_makes(tmp_path):
    bad = tmp_path / "not-federal-register.txt"
    bad.write_text("neither JSON, XML nor raw text")
    paths = [*corpus_files(), CORPUS / "bulk" / "nara_executive_orders_1993-2012.csv", bad]
    with plain_path():
        expected = imported(paths)
    with fast_path():
        cold = imported(paths)
        warm = imported(paths)
    report, stored, rows = expected
    assert len(stored) == len(ORDERS) and rows["provisions"]
    assert report.ignored and report.skipped
    assert cold == expected
    assert warm == expected


def order_texts() -> list[str]:
    found = []
    for path in corpus_files():
        for piece in files.read_pieces(path):
            if piece.official is not None and piece.official.paragraphs:
                found.append(piece.official.text)
    return found


def matches(pattern: re.Pattern, text: str) -> list[tuple]:
    return [(match.span(), match.groupdict()) for match in pattern.finditer(text)]


def test_each_gated_pattern_finds_what_its_plain_form_finds():
    whole = order_texts()
    sentences = [part for text in whole for part in deontics._sentences.__wrapped__(text)]
    gated = [(fast, plain) for fast, plain in PLAIN.items() if isinstance(fast, re.Pattern)]
    assert gated
    for fast, plain in gated:
        for text in whole + sentences:
            assert matches(fast, text) == matches(plain, text), plain.pattern[:60]


def test_the_federal_names_grouped_by_letter_match_as_listed():
    with plain_path():
        plain = actors.federal_gazetteer().pattern()
    fast = actors.federal_gazetteer().pattern()
    assert fast.pattern != plain.pattern
    for text in order_texts():
        assert matches(fast, text) == matches(plain, text)


def test_an_order_gazetteer_finds_alias_by_alias_what_its_pattern_finds():
    for text in order_texts():
        with plain_path():
            plain = actors.order_gazetteer(text)
            expected = [plain.spans(line) for line in text.splitlines()]
        with fast_path():
            fast = actors.order_gazetteer(text)
            assert [fast.spans(line) for line in text.splitlines()] == expected
        assert (fast.aliases, fast.actors, fast.bodies) == (
            plain.aliases,
            plain.actors,
            plain.bodies,
        )


def test_pieces_read_without_their_text_are_the_pieces_read_with_it():
    """The import's merge reads files `with_text=False` (a raw text's body left unread): every
    raw text and XML file of the corpus gives the same pieces, bar the parsed text."""
    paths = sorted(CORPUS.glob("text/*")) + sorted(CORPUS.glob("xml/*"))
    assert len(paths) > 1000
    for path in paths:
        whole = files.read_pieces(path)
        assert all(piece.official is not None for piece in whole)
        for piece in whole:
            piece.official = None
        assert files.read_pieces(path, with_text=False) == whole, path.name


def test_a_raw_texts_head_is_the_same_without_its_paragraphs():
    for path in sorted(CORPUS.glob("text/*"))[::50]:
        raw = path.read_text(encoding="utf-8", errors="replace")
        whole = texts.read_raw_text(raw)
        head = texts.read_raw_text(raw, paragraphs=False)
        assert whole.paragraphs and not head.paragraphs
        whole.paragraphs = []
        assert head == whole, path.name


@pytest.mark.parametrize(
    "text",
    [
        "The Secretary shall:",
        "The Secretary shall",
        "The Secretary shall \n ",
        "the Marshall",
        "pursuant to",
        "onto",
        "to",
        "will",
        "goodwill",
        "as follows—",
        "as follows --",
        "as follows -",
        "Sec. 2. Policy.",
        "",
        "shall:\n",
    ],
)
def test_a_chapeau_is_read_from_its_end_as_from_its_whole_text(text):
    whole = re.search(r"(?::|—|--|\bto|\bshall|\bwill)\s*$", text.rstrip())
    assert deontics.continues_chapeau(text) == bool(text and whole)


@pytest.mark.parametrize(
    "text",
    [
        "  The\u00a0Secretary \u2003 shall\n\treport .  ",
        "line one\n , line two\x0b\x1c\u2028end\u3000",
        "no change",
        "\u0085\u200b zero-width space is not a space\u200b",
        "",
    ],
)
def test_whitespace_is_normalised_as_the_whitespace_pattern_does(text):
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    expected = re.sub(r"[ \t]*\n\s*(?=[.,;:)])", "", expected)
    assert texts.normalise(text) == re.sub(r"\s+", " ", expected).strip()


def test_an_order_gazetteer_finds_names_in_a_text_that_is_not_ascii():
    text = (
        "There is established the Council on Café Safety (the “Council”). "
        "The Council’s chair and the Secretary of State shall report to the COUNCIL."
    )
    lines = [text, text.encode("ascii", "replace").decode(), "the council meets"]
    with plain_path():
        plain = actors.order_gazetteer(text)
        expected = [plain.spans(line) for line in lines]
    with fast_path():
        fast = actors.order_gazetteer(text)
        assert [fast.spans(line) for line in lines] == expected
    council = "council-on-caf-safety"
    assert expected[0][0] == (25, 47, council)  # the whole name, with its é
    assert (54, 61, council) in expected[1] and (132, 139, council) in expected[1]
