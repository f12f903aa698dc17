"""Reading Federal Register files: one test per trap that corpus/federal-register/README.md lists,
each asserting what a user of the imported data would notice. No database: single corpus files
are parsed, and records are derived with `imported_dataset` from `Stored` documents built the
way the import service builds them.
"""

import datetime
import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from api.importing.extraction import ExtractedOrder, extract
from api.importing.files import (
    JSON,
    TEXT,
    XML,
    ImportFileError,
    NotImported,
    Piece,
    pieces_of,
    read_pieces,
)
from api.importing.records import Stored, imported_dataset, stable_api_record
from api.importing.texts import OfficialText, normalise
from tests.conftest import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus" / "federal-register"
FOLDERS = {JSON: ("json", "json"), XML: ("xml", "xml"), TEXT: ("text", "htm")}
ALL = (JSON, XML, TEXT)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# -- reading the corpus ----------------------------------------------------------------------


def corpus_file(number: int, format: str) -> Path:
    folder, extension = FOLDERS[format]
    return CORPUS / folder / f"EO_{number}.{extension}"


@cache
def pieces(path: Path) -> tuple[Piece, ...]:
    return tuple(read_pieces(path))


def piece(path: Path) -> Piece:
    """The one piece a corpus file gives."""
    (only,) = pieces(path)
    return only


def official(path: Path) -> OfficialText:
    text = piece(path).official
    assert text is not None, f"{path.name} gave no official text"
    return text


@cache
def extracted(path: Path) -> ExtractedOrder:
    return extract(official(path))


def provisions_by_label(path: Path) -> dict[str, str]:
    """Each labelled provision's text (`Sec. 2(b)(i)` → its words)."""
    return {p.label: p.text or "" for p in extracted(path).provisions if p.label is not None}


def provision_words(path: Path) -> list[str]:
    """Every provision's heading and text: what a reader of the provisions sees."""
    return [words for p in extracted(path).provisions for words in (p.heading, p.text) if words]


def xml_provision_words(number: int) -> list[str]:
    """Every provision's heading and text, as the records derived from the order's XML give."""
    _document, provisions, _sources = derived(number, (XML,))
    return [p[key] for p in provisions for key in ("heading", "text") if p[key]]


def stored(number: int, formats=ALL) -> Stored:
    """One order as the import service stores it, from its corpus files of these formats."""
    found = {}
    for format in formats:
        path = corpus_file(number, format)
        if path.exists():
            found[format] = piece(path)
    assert found, f"no corpus file for EO {number} in {formats}"
    api = found[JSON].api_record if JSON in found else None
    return Stored(
        next(iter(found.values())).document_number,
        stable_api_record(api) if api is not None else None,
        found[XML].source if XML in found else None,
        found[TEXT].source if TEXT in found else None,
    )


@cache
def derived(number: int, formats=ALL) -> tuple[dict, list[dict], list[dict]]:
    """The document row, its provision rows and the source rows that the order makes."""
    rows = imported_dataset([stored(number, formats)]).rows
    (document,) = rows["documents"]
    return document, rows.get("provisions", []), rows["sources"]


def as_wrapped(words: str) -> str:
    """A pattern for these words as raw text prints them: hard-wrapped anywhere between two."""
    return r"\s+".join(re.escape(word) for word in words.split())


def sample(folder: str, size: int) -> list[Path]:
    """About `size` files of a corpus folder, spread over its whole range of years."""
    files = sorted((CORPUS / folder).iterdir())
    return files[:: max(1, len(files) // size)]


# -- the format is read from the content -----------------------------------------------------


@pytest.mark.parametrize(
    "name", [pytest.param(name, id=name) for name in ("x.txt", "x.htm", "x", "x.json")]
)
def test_raw_text_is_recognised_by_its_content_whatever_its_name(tmp_path, name):
    path = tmp_path / name
    shutil.copy(corpus_file(12975, TEXT), path)

    (found,) = read_pieces(path)

    assert found.format == TEXT
    assert (found.document_number, found.order_number) == ("95-24921", "12975")


@pytest.mark.parametrize(
    "source, name, format",
    [
        pytest.param(JSON, "EO_13900.xml", JSON, id="json-named-xml"),
        pytest.param(XML, "EO_13900.json", XML, id="xml-named-json"),
        pytest.param(XML, "EO_13900.htm", XML, id="xml-named-htm"),
    ],
)
def test_json_and_xml_are_recognised_by_content_not_extension(tmp_path, source, name, format):
    path = tmp_path / name
    shutil.copy(corpus_file(13900, source), path)

    (found,) = read_pieces(path)

    assert (found.format, found.document_number) == (format, "2019-27678")


def test_a_json_results_page_gives_one_piece_per_result():
    records = [json.loads(corpus_file(n, JSON).read_bytes()) for n in (13900, 12988)]
    page = json.dumps({"count": 2, "results": records}).encode()

    found = pieces_of("page.json", page)

    assert [(p.format, p.document_number) for p in found] == [
        (JSON, "2019-27678"),
        (JSON, "96-2755"),
    ]


def test_a_daily_issue_gives_only_its_proclamation():
    """The rules and notices around Proclamation 9423 are not documents, nor in its text."""
    found = pieces(CORPUS / "issue-xml" / "FR-2016-04-15.xml")

    assert len(found) == 1
    text = found[0].official
    assert (text.kind, text.number, found[0].document_number) == (
        "proclamation",
        "9423",
        "2016-08970",
    )
    assert text.title == "Establishment of the Belmont-Paul Women's Equality National Monument"
    assert text.paragraphs[0].text.startswith("The Sewall-Belmont House (House)")
    for heading in ("AGENCY:", "ACTION:", "SUMMARY:", "DATES:"):
        assert heading not in text.text


def test_the_bulk_csv_is_left_out_on_purpose_not_treated_as_garbage():
    path = CORPUS / "bulk" / "nara_executive_orders_1993-2012.csv"

    with pytest.raises(NotImported) as raised:
        read_pieces(path)

    assert raised.value.file == str(path)
    assert "disposition" in raised.value.message


def test_a_csv_that_is_not_the_disposition_table_is_an_error():
    with pytest.raises(ImportFileError) as raised:
        pieces_of("orders.csv", b"number,title\n13900,Closing\n")

    assert not isinstance(raised.value, NotImported)
    assert raised.value.file == "orders.csv"


# -- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, formats",
    [
        pytest.param(12988, (JSON, TEXT), id="eo-12988-from-its-text"),
        pytest.param(13900, (JSON,), id="eo-13900-from-toc_doc"),
        pytest.param(13900, (JSON, XML), id="eo-13900-from-its-xml"),
    ],
)
def test_a_null_executive_order_number_is_taken_from_the_text_or_toc_doc(number, formats):
    assert piece(corpus_file(number, JSON)).api_record["executive_order_number"] is None

    document, _provisions, _sources = derived(number, formats)

    assert (document["id"], document["number"]) == (f"us-eo-{number}", str(number))


@pytest.mark.parametrize(
    "formats",
    [
        pytest.param((JSON, XML), id="json-and-xml"),
        pytest.param(
            (JSON, TEXT),
            id="json-and-raw-text",
        ),
    ],
)
def test_eo_13526_keeps_the_official_texts_signing_date_and_says_which_source_said_what(
    formats,
):
    assert piece(corpus_file(13526, JSON)).api_record["signing_date"] == "2010-12-29"

    document, _provisions, _sources = derived(13526, formats)

    assert (document["id"], document["type"]) == ("us-eo-13526", "executive_order")
    assert document["signed_on"] == datetime.date(2009, 12, 29)
    assert document["note"] is not None
    assert "2010-12-29" in document["note"]
    assert "December 29, 2009" in document["note"]


def test_volatile_fields_do_not_change_the_derived_records():
    """A second download of EO 13900 differs in page views and the inspection URL only."""
    first = json.loads(corpus_file(13900, JSON).read_bytes())
    again = {
        **first,
        "page_views": {"count": 987_654, "last_updated": "2026-09-24 09:00:00 -0400"},
        "public_inspection_pdf_url": (
            "https://public-inspection.federalregister.gov/2019-27678.pdf?1790000000"
        ),
    }
    xml = piece(corpus_file(13900, XML)).source

    rows = [
        imported_dataset([Stored("2019-27678", record, xml, None)]).rows
        for record in (first, again)
    ]

    assert first != again
    assert rows[0] == rows[1]
    assert stable_api_record(first) == stable_api_record(again)


@pytest.mark.parametrize(
    "number, document_number, source_id",
    [
        pytest.param(12960, "95-12285", "fr-95-12285", id="1995"),
        pytest.param(13454, "08-62", "fr-08-62", id="2008-short"),
        pytest.param(13484, "E9-811", "fr-e9-811", id="E9-short"),
        pytest.param(13526, "E9-31418", "fr-e9-31418", id="E9"),
        pytest.param(13527, "2010-38", "fr-2010-38", id="2010-short"),
        pytest.param(13900, "2019-27678", "fr-2019-27678", id="2019"),
        pytest.param(14430, "2026-19417", "fr-2026-19417", id="2026"),
    ],
)
def test_document_numbers_of_every_era_give_readable_source_ids(number, document_number, source_id):
    document, _provisions, sources = derived(number, (JSON,))

    assert document["document_number"] == document_number
    assert source_id in {source["id"] for source in sources}
    assert document["id"] == f"us-eo-{number}"


def test_a_2026_order_with_json_only_has_no_provisions_and_is_not_official():
    record = piece(corpus_file(14430, JSON)).api_record
    assert {"dockets", "images_metadata", "presidential_document_number"} <= set(record)
    assert not corpus_file(14430, XML).exists() and not corpus_file(14430, TEXT).exists()

    document, provisions, _sources = derived(14430)

    assert (document["id"], document["number"]) == ("us-eo-14430", "14430")
    assert provisions == []
    assert document["verification"] != "official"


# -- XML -------------------------------------------------------------------------------------


def test_xml_without_a_declaration_reads_as_it_would_with_one():
    data = corpus_file(13900, XML).read_bytes()
    assert data.lstrip().startswith(b"<PRESDOCU>")

    without = pieces_of("EO_13900.xml", data)
    with_one = pieces_of("EO_13900.xml", b'<?xml version="1.0" encoding="UTF-8"?>\n' + data)

    assert [p.official for p in without] == [p.official for p in with_one]
    assert without[0].official.paragraphs


def test_eo_14110_sections_are_numbered_and_headed_without_stray_whitespace():
    """Every run on its own line: `Section 1` / `. ` / `Purpose.` still make `Sec. 1`, Purpose."""
    _document, provisions, _sources = derived(14110, (XML,))
    sections = [p for p in provisions if p["parent_id"] is None and p["label"]]

    assert (sections[0]["label"], sections[0]["heading"]) == ("Sec. 1", "Purpose")
    assert (sections[1]["label"], sections[1]["heading"]) == ("Sec. 2", "Policy and Principles")
    assert [s["label"] for s in sections] == [f"Sec. {n}" for n in range(1, len(sections) + 1)]
    assert (
        official(corpus_file(14110, XML))
        .paragraphs[1]
        .text.startswith("Section 1. Purpose. Artificial intelligence (AI)")
    )
    for words in xml_provision_words(14110):
        assert words == normalise(words), f"stray whitespace in {words[:80]!r}"
        assert not re.search(r"\s[.,;:]", words), words[:80]


def test_eo_14110_gets_its_number_and_citation_from_its_text():
    document, provisions, _sources = derived(14110, (XML,))

    assert (document["id"], document["number"]) == ("us-eo-14110", "14110")
    assert document["citation"] == "88 FR 75191"
    assert document["signed_on"] == datetime.date(2023, 10, 30)
    assert document["verification"] == "official"
    assert len(provisions) > 100


@pytest.mark.parametrize(
    "number, joined",
    [
        pytest.param(
            14110, "Such protections are especially important", id="eo-14110-mid-sentence"
        ),
        pytest.param(
            14110, "Taking Additional Steps To Address the National", id="eo-14110-in-title"
        ),
        pytest.param(13208, "the following new subsection:", id="eo-13208-end-of-paragraph"),
    ],
)
def test_page_breaks_leave_no_page_number_or_tag_in_provisions(number, joined):
    path = corpus_file(number, XML)
    pages = re.findall(rb'<PRTPAGE P="(\d+)"', path.read_bytes())
    assert pages

    words = xml_provision_words(number)

    assert any(joined in text for text in words)
    for text in words:
        assert "PRTPAGE" not in text and "<" not in text
        for page in pages:
            assert page.decode() not in text, f"page {page.decode()} in {text[:80]!r}"


def test_a_page_break_inside_the_heading_line_does_not_hide_the_number():
    """EO 13344's `<EXECORDR>` begins with its `<PRTPAGE>`."""
    path = corpus_file(13344, XML)
    assert re.search(rb"<EXECORDR>\s*<PRTPAGE", path.read_bytes())

    text = official(path)

    assert (text.kind, text.number, text.signed_text) == (
        "executive_order",
        "13344",
        "July 7, 2004",
    )


def test_eo_13523_misprinted_as_15323_keeps_its_number_and_says_so():
    assert official(corpus_file(13523, XML)).number == "15323"  # as printed

    document, _provisions, _sources = derived(13523, (JSON, XML))

    assert (document["id"], document["number"]) == ("us-eo-13523", "13523")
    assert document["note"] is not None and "15323" in document["note"]


@pytest.mark.parametrize(
    "number, label, words",
    [
        pytest.param(
            13634,
            "Sec. 1",
            "Executive Order 13555 of October 19, 2010, is hereby reestablished",
            id="eo-13634",
        ),
        pytest.param(
            13655, "Sec. 8", "Executive Order 13641 of April 5, 2013, is superseded", id="eo-13655"
        ),
    ],
)
def test_html_links_in_the_xml_leave_their_text_and_no_tags(number, label, words):
    path = corpus_file(number, XML)
    assert b'<a class="eo"' in path.read_bytes()

    assert official(path).number == str(number)  # its <EXECORDR> is a link too
    assert words in provisions_by_label(path)[label]
    for text in xml_provision_words(number):
        assert not re.search(r"<|href|class=|/executive-order/", text), text[:80]


TAIL = ("GPH", "GID", "PSIG", "PLACE", "DATE", "FRDOC", "FILED", "BILCOD")


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(13900, id="eo-13900"),
        pytest.param(13655, id="eo-13655-signature-image"),
        pytest.param(14110, id="eo-14110-2023"),
        pytest.param(13146, id="eo-13146-2000"),
        pytest.param(
            13401,
            id="eo-13401-place-and-date-as-FP",
        ),
    ],
)
def test_the_signature_tail_is_in_no_provision(number):
    path = corpus_file(number, XML)
    document = etree.fromstring(path.read_bytes())
    tail = {normalise("".join(e.itertext())) for tag in TAIL for e in document.iter(tag)}
    tail = {text for text in tail if len(text) > 3} | {
        "THE WHITE HOUSE",
        "[FR Doc.",
        "Billing code",
    }
    assert len(tail) > 3

    for text in xml_provision_words(number):
        for part in tail:
            assert part not in text, f"{part!r} in a provision: {text[-100:]!r}"


@pytest.mark.parametrize(
    "number, has_title3",
    [pytest.param(13146, False, id="without-title3"), pytest.param(13344, True, id="with-title3")],
)
def test_files_with_and_without_title3_both_parse(number, has_title3):
    path = corpus_file(number, XML)
    assert (b"<TITLE3>" in path.read_bytes()) == has_title3

    text = official(path)

    assert (text.kind, text.number) == ("executive_order", str(number))
    assert text.title == piece(corpus_file(number, JSON)).api_record["title"]
    assert xml_provision_words(number)
    assert not any("Title 3" in words for words in xml_provision_words(number))


# -- raw text --------------------------------------------------------------------------------


GRAPHIC = "<GRAPHIC(S) NOT AVAILABLE IN TIFF FORMAT>"


@pytest.mark.parametrize(
    "number, furniture",
    [
        pytest.param(13900, "<html", id="html-wrapper"),
        pytest.param(13900, "<pre>", id="pre"),
        pytest.param(13900, "<a href", id="gpo-link"),
        pytest.param(13900, "[Federal Register Volume", id="gpo-volume-line"),
        pytest.param(13900, "[Presidential Documents]", id="gpo-section-line"),
        pytest.param(13900, "[Pages ", id="gpo-pages-line"),
        pytest.param(13900, "[FR Doc No:", id="gpo-document-line"),
        pytest.param(13900, "Government Publishing Office", id="gpo-source-line"),
        pytest.param(13900, "[[Page", id="page-marker"),
        pytest.param(13900, "(Presidential Sig.)", id="signature"),
        pytest.param(13900, "Billing code", id="billing-code"),
        pytest.param(12975, "[FR Doc.", id="fr-doc-bracket"),
        pytest.param(13900, GRAPHIC, id="graphic-placeholder"),
        pytest.param(13412, GRAPHIC, id="graphic-placeholder-eo-13412"),
        pytest.param(
            12944,
            "[[Page",
            id="page-marker-inside-a-line",
        ),
        pytest.param(
            13003,
            "(Presidential Sig.)",
            id="signature-with-names",
        ),
        pytest.param(
            12962,
            "Federal Register / Vol.",
            id="part-header-page-line",
        ),
    ],
)
def test_raw_text_furniture_is_in_no_provision(number, furniture):
    path = corpus_file(number, TEXT)
    assert furniture.encode() in path.read_bytes()

    for text in provision_words(path):
        assert furniture not in text, f"{furniture!r} in a provision: {text[-120:]!r}"


@pytest.mark.parametrize(
    "number, byte",
    [pytest.param(12944, b"\x00", id="nul"), pytest.param(13131, b"\x02", id="0x02")],
)
def test_control_bytes_are_gone(number, byte):
    path = corpus_file(number, TEXT)
    assert byte in path.read_bytes()

    text = official(path)

    assert not CONTROL.search(text.text)
    assert not any(CONTROL.search(words) for words in provision_words(path))
    assert text.number == str(number)


def test_the_sentence_around_eo_13131s_0x02_byte_stays_one_provision():
    """`…Development on \\n the Secretary\\x02s negotiation of Tropical Forest…`."""
    words = provision_words(corpus_file(13131, TEXT))

    assert any(
        "International Development on the Secretary" in text
        and "negotiation of Tropical Forest" in text
        for text in words
    )


@pytest.mark.parametrize("number", [12975, 12988, 13131, 13900])
def test_hard_wraps_are_joined(number):
    """No line break inside a paragraph; a provision's only breaks start quoted text."""
    path = corpus_file(number, TEXT)

    assert all("\n" not in paragraph.text for paragraph in official(path).paragraphs)
    for text in provision_words(path):
        for line in text.split("\n")[1:]:
            assert line.startswith(("``", '"', "\u201c", "\u2018\u2018")), line[:60]


def test_a_hard_wrapped_sentence_reads_as_one_line():
    text = provisions_by_label(corpus_file(12975, TEXT))["Sec. 1(b)"]

    assert (
        "each department and agency that conducts, supports, or regulates research involving "
        "human subjects shall report the results of the review required by paragraph (a) of "
        "this section to the National Bioethics Advisory Commission" in text
    )


def test_double_hyphens_are_kept_as_printed():
    path = corpus_file(12988, TEXT)

    assert provisions_by_label(path)["Sec. 3(b)(1)"] == "that the legislation, as appropriate--"
    assert not any("—" in words for words in provision_words(path))


@pytest.mark.parametrize(
    "number, label, words",
    [
        pytest.param(
            13211, "Sec. 2(b)(i)", "any adverse effects on energy supply", id="eo-13211-i"
        ),
        pytest.param(
            13211, "Sec. 2(b)(ii)", "reasonable alternatives to the action", id="eo-13211-ii"
        ),
        pytest.param(
            13170, "Sec. 2(a)(xi)", "as required by law, establish with the Small", id="eo-13170-xi"
        ),
        pytest.param(
            13382,
            "Sec. 1(a)(iv)",
            "any person determined by the Secretary of the Treasury",
            id="eo-13382-iv",
        ),
    ],
)
def test_roman_numeral_items_flush_left_still_become_provisions(number, label, words):
    path = corpus_file(number, TEXT)
    item = "(" + label.rsplit("(", 1)[1]
    flush_left = "^" + re.escape(f"{item} {words.split()[0]} ")
    assert re.search(flush_left.encode(), path.read_bytes(), re.MULTILINE)

    assert provisions_by_label(path)[label].startswith(words)


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(13770, id="eo-13770-lists-eo-13771"),
        pytest.param(12962, id="eo-12962-lists-a-memorandum"),
        pytest.param(13526, id="eo-13526-lists-a-memorandum"),
        pytest.param(
            13086,
            id="eo-13086-lists-eo-13087-title-starts-with-a-year",
        ),
    ],
)
def test_a_header_listing_neighbouring_documents_still_gives_the_order(number):
    path = corpus_file(number, TEXT)
    title = piece(corpus_file(number, JSON)).api_record["title"]

    text = official(path)

    assert (text.kind, text.number) == ("executive_order", str(number))
    assert text.title == title
    for words in provision_words(path):
        assert "Federal Register / Vol." not in words and "Title 3--" not in words


def test_a_label_at_the_start_of_a_continuation_line_does_not_start_a_provision():
    """EO 12975 Sec. 1(b): `…required by paragraph` / `(a) of this section…`."""
    path = corpus_file(12975, TEXT)
    assert re.search(rb"required by paragraph \n +\(a\) of this section", path.read_bytes())

    labels = [p.label for p in extracted(path).provisions if p.path.startswith("sec-1.")]

    assert labels == ["Sec. 1(a)", "Sec. 1(b)", "Sec. 1(c)"]


@pytest.mark.parametrize(
    "number, before, after",
    [
        pytest.param(
            13170,
            "In particular, they shall",
            "ensure that prime contractors actively solicit",
            id="eo-13170",
        ),
        pytest.param(
            13382,
            "any person whose property and interests in property are blocked",
            "pursuant to this order, and (ii) the receipt",
            id="eo-13382",
        ),
        pytest.param(
            12968,
            "has incurred excessive indebtedness or has ac",
            "quired a level of affluence",
            id="eo-12968-mid-word",
        ),
    ],
)
def test_a_page_break_inside_a_sentence_does_not_split_its_provision(number, before, after):
    path = corpus_file(number, TEXT)
    page_break = rf"{as_wrapped(before[-16:])}\s*\[\[Page \d+\]\]\s*{as_wrapped(after[:16])}"
    assert re.search(page_break, path.read_text(encoding="utf-8").replace("\x00", ""))

    words = provision_words(path)

    cut = [text[-60:] for text in words if text.endswith(before)]
    assert cut == [], "a provision ends where the page breaks"
    rest = [text[:60] for text in words if text.startswith(after)]
    assert rest == [], "the rest of the sentence is a provision of its own"


# -- every provision's words are the official text's -------------------------------------------


VERBATIM_SAMPLE = [
    pytest.param(path, id=f"{path.parent.name}/{path.name}")
    for path in [*sample("xml", 30), *sample("text", 30)]
]


@pytest.mark.parametrize("path", VERBATIM_SAMPLE)
def test_every_provision_text_is_verbatim_in_the_official_text(path):
    text = official(path).text
    provisions = extracted(path).provisions
    assert provisions

    missing = [p.path for p in provisions if p.text is not None and p.text not in text]

    assert missing == []
