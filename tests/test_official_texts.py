"""Records read from official texts: Federal Register citations and files, headings, extraction,
revocations, and relations to documents not in the data, in every representation.

The seeds are loaded with two executive orders added as a seed file would add them: EO 13771,
machine-read from its official text and revoked, and EO 13992, which revokes it and an order
that is not in the data.
"""

import csv
import io
import json
import shutil
import zipfile
from xml.etree import ElementTree

import feedparser
import pytest
from alembic import command
from pyld import jsonld
from sqlalchemy import select

from api.queries.documents import DOCUMENTS, PROVISIONS
from api.seeding import SeedError, read_seeds
from api.storage import database
from api.storage.models import Relation, RelationSource
from schemas.dumping import dumper
from schemas.records import DocumentSchema, ProvisionSchema
from tests.conftest import (
    CHICAGO_ORDER,
    SEEDS,
    assert_problem,
    isolated_database,
    load_seeds,
    make_app,
)

EO_13771 = "us-eo-13771"
EO_13992 = "us-eo-13992"
SECTION = f"{EO_13771}.sec-2"
SUBSECTION = f"{EO_13771}.sec-2.a"
REVOKES_13771 = "rel-us-eo-13992-revokes-us-eo-13771"
REVOKES_UNKNOWN = "rel-us-eo-13992-revokes-eo-13777"
EXTRACTOR = "provisions-federal-register/1"
ATOM = "{http://www.w3.org/2005/Atom}"
FR_PAGE = "https://www.federalregister.gov/documents/2017/02/03/2017-02281/reducing-regulation"
PDF = "https://www.govinfo.gov/content/pkg/FR-2017-02-03/pdf/2017-02281.pdf"
XML = "https://www.federalregister.gov/documents/full_text/xml/2017/02/03/2017-02281.xml"
TEXT = "https://www.federalregister.gov/documents/full_text/text/2017/02/03/2017-02281.txt"
NOTE = 'The Federal Register\'s "signing date" is kept: the order prints the same day.'
VERBATIM = (
    "whenever an executive department or agency (agency) publicly proposes for notice and "
    "comment or otherwise promulgates a new regulation, it shall identify at least two existing "
    "regulations to be repealed"
)

SOURCES = """
- id: fr-2017-02281
  title: "Reducing Regulation and Controlling Regulatory Costs"
  publisher: Federal Register
  authors: []
  url: https://www.federalregister.gov/d/2017-02281
  published_on: "2017-02-03"
  kind: official
  note: null
- id: fr-2021-01767
  title: "Revocation of Certain Executive Orders Concerning Federal Regulation"
  publisher: Federal Register
  authors: []
  url: https://www.federalregister.gov/d/2021-01767
  published_on: "2021-01-25"
  kind: official
  note: null
"""
ACTORS = """
- id: joseph-r-biden
  name: Joseph R. Biden Jr.
  kind: person
  role: President of the United States
  jurisdiction: us
  sources: [fr-2021-01767]
"""
REVOKED_ORDER = f"""
id: {EO_13771}
type: executive_order
number: "13771"
citation: "82 FR 9339"
document_number: "2017-02281"
title: "Reducing Regulation and Controlling Regulatory Costs"
issuer: donald-j-trump
jurisdiction: us
signed_on: "2017-01-30"
published_on: "2017-02-03"
summary: Has agencies repeal two regulations for each new one.
topics: [regulation]
official_url: {FR_PAGE}
pdf_url: {PDF}
xml_url: {XML}
text_url: {TEXT}
note: {json.dumps(NOTE)}
verification: extracted
confidence: 0.85
extractor: {EXTRACTOR}
sources: [fr-2017-02281]
status_history:
  - status: in_force
    date: "2017-01-30"
    by: null
    note: null
    sources: [fr-2017-02281]
  - status: revoked
    date: "2021-01-20"
    by: {EO_13992}
    note: Revoked by Executive Order 13992.
    sources: [fr-2021-01767]
provisions:
  - key: sec-2
    label: Sec. 2
    heading: Regulatory Cap for Fiscal Year 2017.
    modality: contains
    binding: false
    actor: donald-j-trump
    addressees: []
    action: cap regulatory costs for fiscal year 2017
    summary: The section on the regulatory cap for fiscal year 2017.
    text: null
    quoted_in: null
    topics: [regulation]
    verification: extracted
    confidence: 0.95
    extractor: {EXTRACTOR}
    sources: [fr-2017-02281]
    provisions:
      - key: a
        label: Sec. 2(a)
        modality: requires
        binding: true
        actor: donald-j-trump
        addressees: [department-of-justice]
        action: identify two existing regulations to repeal for each new one
        summary: Each agency proposing a new regulation names two existing ones to repeal.
        text: {json.dumps(VERBATIM)}
        quoted_in: fr-2017-02281
        topics: [regulation]
        verification: extracted
        confidence: 0.7499999999999999
        extractor: {EXTRACTOR}
        sources: [fr-2017-02281]
"""
REVOKING_ORDER = f"""
id: {EO_13992}
type: executive_order
number: "13992"
citation: "86 FR 7049"
document_number: "2021-01767"
title: "Revocation of Certain Executive Orders Concerning Federal Regulation"
issuer: joseph-r-biden
jurisdiction: us
signed_on: "2021-01-20"
published_on: "2021-01-25"
summary: Revokes executive orders on federal regulation.
topics: [regulation]
official_url: null
verification: official
sources: [fr-2021-01767]
status_history:
  - status: in_force
    date: "2021-01-20"
    by: null
    note: null
    sources: [fr-2021-01767]
provisions: []
"""
RELATIONS = f"""
- id: {REVOKES_13771}
  type: revokes
  subject: {EO_13992}
  object: {EO_13771}
  object_reference: EO 13771
  date: "2021-01-20"
  summary: Executive Order 13992 revokes Executive Order 13771.
  sources: [fr-2021-01767]
- id: {REVOKES_UNKNOWN}
  type: revokes
  subject: {EO_13992}
  object: null
  object_reference: EO 13777
  date: "2021-01-20"
  summary: Executive Order 13992 revokes Executive Order 13777, which is not in the data.
  sources: [fr-2021-01767]
"""


def official_seeds(folder):
    """A copy of the seeds with the two orders, their sources, issuer and relations added."""
    seeds = shutil.copytree(SEEDS, folder / "seeds")
    for name, added in (
        ("sources.yaml", SOURCES),
        ("actors.yaml", ACTORS),
        ("relations.yaml", RELATIONS),
    ):
        with open(seeds / name, "a", encoding="utf-8") as file:
            file.write(added)
    (seeds / "documents" / f"{EO_13771}.yaml").write_text(REVOKED_ORDER, encoding="utf-8")
    (seeds / "documents" / f"{EO_13992}.yaml").write_text(REVOKING_ORDER, encoding="utf-8")
    return seeds


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("official-texts")
    seeds = official_seeds(folder)
    with isolated_database(folder) as settings:
        app = make_app(settings)
        load_seeds(app, seeds)
        yield app
        with app.app_context():
            database.engine().dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def get(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def ids(client, url: str) -> list[str]:
    body = get(client, url).get_json()
    assert "next" not in body["links"]
    return [item["id"] for item in body["data"]]


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def ndjson(client, collection: str) -> dict[str, dict]:
    lines = get(client, f"/v1/export/{collection}.ndjson").get_data(as_text=True).splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


# -- documents ------------------------------------------------------------------------------


def test_a_document_read_from_an_official_text_has_its_citation_files_and_extractor(client):
    document = get(client, f"/v1/documents/{EO_13771}").get_json()
    assert {key: document[key] for key in ("number", "citation", "document_number")} == {
        "number": "13771",
        "citation": "82 FR 9339",
        "document_number": "2017-02281",
    }
    assert (document["official_url"], document["pdf_url"]) == (FR_PAGE, PDF)
    assert (document["xml_url"], document["text_url"]) == (XML, TEXT)
    assert document["note"] == NOTE
    assert document["verification"] == "extracted"
    assert (document["confidence"], document["extractor"]) == (0.85, EXTRACTOR)
    assert document["status"] == "revoked"
    assert document["status_history"][-1]["by"] == EO_13992


def test_documents_without_the_new_fields_serve_them_as_null(client):
    document = get(client, f"/v1/documents/{CHICAGO_ORDER}").get_json()
    new = ("citation", "document_number", "pdf_url", "xml_url", "text_url", "note")
    assert {key: document[key] for key in (*new, "confidence", "extractor")} == dict.fromkeys(
        (*new, "confidence", "extractor")
    )


def test_a_document_is_the_same_in_its_list_detail_export_and_csv(client):
    detail = get(client, f"/v1/documents/{EO_13771}").get_json()
    (listed,) = get(client, "/v1/documents?citation=82%20FR%209339").get_json()["data"]
    assert listed == detail == ndjson(client, "documents")[EO_13771]
    (row,) = read_csv(get(client, "/v1/documents?citation=82%20FR%209339", Accept="text/csv"))
    for key in ("citation", "document_number", "pdf_url", "xml_url", "text_url", "note"):
        assert row[key] == detail[key]
    assert (row["confidence"], row["extractor"]) == ("0.85", EXTRACTOR)
    assert row["verification"] == "extracted" and row["status"] == "revoked"


def test_documents_dump_alike_in_python_and_marshmallow(app):
    with app.test_request_context():
        for document_id in (EO_13771, EO_13992, CHICAGO_ORDER):
            record = DOCUMENTS.get(document_id)
            assert dumper(DocumentSchema)(record) == DocumentSchema().dump(record)
        for provision_id in (SECTION, SUBSECTION):
            record = PROVISIONS.get(provision_id)
            assert dumper(ProvisionSchema)(record) == ProvisionSchema().dump(record)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("number=13771", [EO_13771]),
        ("number=13771&number=13992", [EO_13992, EO_13771]),
        ("number=14339", ["us-eo-14339"]),
        ("citation=82%20FR%209339", [EO_13771]),
        ("citation=82%20FR%209339&citation=86%20FR%207049", [EO_13992, EO_13771]),
        ("citation=82%20FR", []),  # exact match only
        ("document_number=2021-01767", [EO_13992]),
        ("document_number=2021-01767&type=court_order", []),
        ("document_number=2017-02281&status=revoked", [EO_13771]),
    ],
)
def test_number_citation_and_document_number_filters_match_exactly(client, query, expected):
    assert ids(client, f"/v1/documents?{query}&limit=100") == expected


@pytest.mark.parametrize("name", ["number", "citation", "document_number"])
@pytest.mark.parametrize("value", ["", "x" * 101, "82%00FR", "13771%09"])
def test_an_identifier_filter_takes_1_to_100_characters_and_no_controls(client, name, value):
    body = assert_problem(client.get(f"/v1/documents?{name}={value}"), 400)
    assert [error["name"] for error in body["errors"]] == [name]


def test_a_citation_is_searchable(client):
    hits = get(client, "/v1/search?q=%2282%20FR%209339%22").get_json()["data"]
    assert [(hit["type"], hit["id"]) for hit in hits] == [("document", EO_13771)]
    assert ids(client, "/v1/documents?q=86%20FR%207049") == [EO_13992]


# -- vocabularies ---------------------------------------------------------------------------


def test_the_new_terms_are_defined_and_filter(client):
    vocabularies = get(client, "/v1/vocabularies").get_json()["data"]
    terms = {v["name"]: {term["term"] for term in v["terms"]} for v in vocabularies}
    assert "extracted" in terms["verification_levels"]
    assert "contains" in terms["modalities"]
    assert "revoked" in terms["document_statuses"]
    assert {"revokes", "revokes_in_part", "supersedes_in_part"} <= terms["relation_types"]
    assert ids(client, "/v1/documents?status=revoked") == [EO_13771]
    assert ids(client, "/v1/documents?verification=extracted") == [EO_13771]
    assert ids(client, "/v1/provisions?modality=contains") == [SECTION]
    assert ids(client, "/v1/provisions?verification=extracted") == [SECTION, SUBSECTION]
    assert ids(client, "/v1/relations?type=revokes&sort=id") == [REVOKES_UNKNOWN, REVOKES_13771]


# -- provisions -----------------------------------------------------------------------------


def test_a_provision_has_its_heading_label_and_extraction(client):
    section = get(client, f"/v1/provisions/{SECTION}").get_json()
    assert (section["label"], section["heading"]) == (
        "Sec. 2",
        "Regulatory Cap for Fiscal Year 2017.",
    )
    assert (section["modality"], section["subprovisions"]) == ("contains", [SUBSECTION])
    assert (section["confidence"], section["extractor"]) == (0.95, EXTRACTOR)
    item = get(client, f"/v1/provisions/{SUBSECTION}").get_json()
    assert (item["label"], item["heading"], item["text"]) == ("Sec. 2(a)", None, VERBATIM)
    assert item["confidence"] == 0.75  # kept to three decimals: 0.7499999999999999 was given


def test_a_provision_is_the_same_in_every_list_and_export(client):
    detail = {key: get(client, f"/v1/provisions/{key}").get_json() for key in (SECTION, SUBSECTION)}
    for url in (f"/v1/provisions?document={EO_13771}", f"/v1/documents/{EO_13771}/provisions"):
        assert get(client, url).get_json()["data"] == list(detail.values())
    exported = ndjson(client, "provisions")
    assert [exported[key] for key in detail] == list(detail.values())
    tree = get(client, f"/v1/documents/{EO_13771}?include=provisions").get_json()["provisions"]
    (root,) = tree
    assert (root["heading"], root["provisions"][0]["confidence"]) == (
        detail[SECTION]["heading"],
        0.75,
    )
    rows = read_csv(get(client, f"/v1/provisions?document={EO_13771}", Accept="text/csv"))
    assert [(row["heading"], row["confidence"]) for row in rows] == [
        ("Regulatory Cap for Fiscal Year 2017.", "0.95"),
        ("", "0.75"),
    ]


def test_a_heading_is_searchable(client):
    hits = get(client, "/v1/search?q=regulatory%20cap%20fiscal&type=provision").get_json()["data"]
    assert [hit["id"] for hit in hits] == [SECTION]


# -- relations ------------------------------------------------------------------------------


def test_a_relation_to_a_document_not_in_the_data_names_it(client):
    relation = get(client, f"/v1/relations/{REVOKES_UNKNOWN}").get_json()
    assert (relation["object"], relation["object_reference"]) == (None, "EO 13777")
    assert relation["links"] == {
        "self": f"/v1/relations/{REVOKES_UNKNOWN}",
        "subject": f"/v1/documents/{EO_13992}",
    }
    known = get(client, f"/v1/relations/{REVOKES_13771}").get_json()
    assert (known["object"], known["object_reference"]) == (EO_13771, "EO 13771")
    assert known["links"]["object"] == f"/v1/documents/{EO_13771}"
    seeded = get(client, "/v1/relations/rel-us-eo-14339-builds-on-us-eo-14333").get_json()
    assert seeded["object_reference"] is None and "object" in seeded["links"]


def test_relations_with_a_null_object_are_listed_filtered_and_counted(client):
    both = [REVOKES_UNKNOWN, REVOKES_13771]  # of the same day: by id
    assert ids(client, f"/v1/relations?subject={EO_13992}&sort=-date&limit=100") == both
    assert ids(client, f"/v1/relations?document={EO_13992}&sort=-date") == both
    assert ids(client, f"/v1/relations?object={EO_13771}") == [REVOKES_13771]
    assert ids(client, f"/v1/relations?document={EO_13771}") == [REVOKES_13771]
    body = get(client, f"/v1/relations?subject={EO_13992}&facets=object,type").get_json()
    assert body["facets"]["object"] == [{"value": EO_13771, "count": 1}]
    assert body["facets"]["type"] == [{"value": "revokes", "count": 2}]


def test_relations_with_a_null_object_are_the_same_in_every_representation(client):
    listed = get(client, f"/v1/relations?subject={EO_13992}&sort=id").get_json()["data"]
    details = [get(client, f"/v1/relations/{relation['id']}").get_json() for relation in listed]
    assert listed == details
    exported = ndjson(client, "relations")
    assert [exported[relation["id"]] for relation in listed] == listed
    url = f"/v1/relations?subject={EO_13992}&sort=id"
    rows = {row["id"]: row for row in read_csv(get(client, url, Accept="text/csv"))}
    unknown = rows[REVOKES_UNKNOWN]
    assert (unknown["object"], unknown["object_reference"], unknown["links.object"]) == (
        "",
        "EO 13777",
        "",
    )
    assert rows[REVOKES_13771]["links.object"] == f"/v1/documents/{EO_13771}"


def test_relations_with_a_null_object_are_on_the_timeline(client):
    body = get(client, f"/v1/timeline?document={EO_13992}&kind=relation&limit=100").get_json()
    events = {event["record_id"]: event for event in body["data"]}
    assert set(events) == {REVOKES_13771, REVOKES_UNKNOWN}
    assert events[REVOKES_UNKNOWN]["relation_type"] == "revokes"
    assert events[REVOKES_UNKNOWN]["document"] == EO_13992
    revoked = get(client, f"/v1/timeline?document={EO_13771}&limit=100").get_json()["data"]
    assert [(e["kind"], e["status"] or e["relation_type"]) for e in revoked] == [
        ("document_signed", None),
        ("document_published", None),
        ("relation", "revokes"),
        ("status_changed", "revoked"),
    ]


def test_the_dataset_zip_holds_the_new_records(client):
    archive = get(client, "/v1/export/dataset.zip").get_data()
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        relations = [json.loads(line) for line in opened.read("relations.ndjson").splitlines()]
    unknown = next(relation for relation in relations if relation["id"] == REVOKES_UNKNOWN)
    assert unknown["object"] is None and "object" not in unknown["links"]


# -- JSON-LD and Atom -----------------------------------------------------------------------


def schema_org(name: str) -> str:
    return f"https://schema.org/{name}"


def expand(body: dict) -> list[dict]:
    def offline(url, _options=None):
        document = {"@context": {"@vocab": "https://schema.org/"}}
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return jsonld.expand(body, {"documentLoader": offline})


def values(node: dict, name: str) -> list:
    return [item.get("@value", item.get("@id")) for item in node[schema_org(name)]]


def test_a_document_as_legislation_has_its_citation_number_and_files(client):
    body = get(client, f"/v1/documents/{EO_13771}", Accept="application/ld+json").get_json()
    (node,) = expand(body)
    assert values(node, "legislationIdentifier") == ["13771", "82 FR 9339"]
    (identifier,) = node[schema_org("identifier")]
    assert values(identifier, "value") == ["2017-02281"]
    files = {values(file, "contentUrl")[0]: file for file in node[schema_org("encoding")]}
    assert set(files) == {PDF, XML, TEXT}
    assert values(files[PDF], "encodingFormat") == ["application/pdf"]
    assert node[schema_org("legislationLegalForce")][0]["@id"] == schema_org("NotInForce")
    plain = get(client, f"/v1/documents/{CHICAGO_ORDER}", Accept="application/ld+json")
    assert "encoding" not in plain.get_json() and "identifier" not in plain.get_json()


def test_a_provision_as_legislation_has_its_heading(client):
    body = get(client, f"/v1/provisions/{SECTION}", Accept="application/ld+json").get_json()
    (node,) = expand(body)
    assert values(node, "headline") == ["Regulatory Cap for Fiscal Year 2017."]
    assert values(node, "legislationIdentifier") == ["Sec. 2"]


def test_the_atom_feed_links_the_official_files(client):
    feed = ElementTree.fromstring(get(client, "/v1/documents.atom").get_data())
    entry = next(
        entry
        for entry in feed.iter(f"{ATOM}entry")
        if entry.findtext(f"{ATOM}id").endswith(f"/v1/documents/{EO_13771}")
    )
    links = entry.iter(f"{ATOM}link")
    related = {link.get("href"): link.get("type") for link in links if link.get("rel") == "related"}
    assert feedparser.parse(get(client, "/v1/documents.atom").get_data()).bozo == 0
    assert related == {
        FR_PAGE: "text/html",
        PDF: "application/pdf",
        XML: "application/xml",
        TEXT: None,
    }


# -- seed files -----------------------------------------------------------------------------


def problems(folder, file: str, old: str, new: str) -> list[str]:
    seeds = official_seeds(folder)
    content = (seeds / file).read_text(encoding="utf-8")
    assert old in content
    (seeds / file).write_text(content.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SeedError) as raised:
        read_seeds(seeds)
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        pytest.param(
            f"documents/{EO_13992}.yaml",
            "verification: official",
            "verification: official\nconfidence: 0.5",
            "`extractor` and `confidence` are null unless `verification` is `extracted`",
            id="confidence-without-extraction",
        ),
        pytest.param(
            f"documents/{EO_13771}.yaml",
            f"extractor: {EXTRACTOR}\nsources",
            "sources",
            "`extractor` is required when `verification` is `extracted`",
            id="extraction-without-extractor",
        ),
        pytest.param(
            f"documents/{EO_13771}.yaml",
            "confidence: 0.85",
            "confidence: 1.5",
            "confidence: Must be greater than or equal to 0 and less than or equal to 1.",
            id="confidence-above-one",
        ),
        pytest.param(
            "relations.yaml",
            "object_reference: EO 13777",
            "object_reference: null",
            "`object` or `object_reference`: a relation names its object.",
            id="relation-to-nothing",
        ),
        pytest.param(
            f"documents/{EO_13771}.yaml",
            'citation: "82 FR 9339"',
            f'citation: "{"9" * 101}"',
            "citation: Length must be between 1 and 100.",
            id="citation-too-long",
        ),
    ],
)
def test_seed_files_are_checked(tmp_path, file, old, new, expected):
    assert any(expected in problem for problem in problems(tmp_path, file, old, new))


def test_seed_files_need_not_name_the_new_fields(tmp_path):
    dataset = read_seeds(official_seeds(tmp_path))
    chicago = next(row for row in dataset.rows["documents"] if row["id"] == CHICAGO_ORDER)
    assert chicago["citation"] is None and chicago["confidence"] is None
    relation = next(row for row in dataset.rows["relations"] if row["id"] == REVOKES_UNKNOWN)
    assert (relation["object_id"], relation["object_reference"]) == (None, "EO 13777")


# -- migrations -----------------------------------------------------------------------------


def test_the_migration_keeps_relation_sources_and_its_downgrade_drops_unnamed_objects(
    empty_app, tmp_path
):
    load_seeds(empty_app, official_seeds(tmp_path))
    client = empty_app.test_client()
    before = get(client, "/v1/relations?limit=100&sort=id").get_json()["data"]
    with empty_app.app_context():
        with database.engine().begin() as connection:
            command.downgrade(database.alembic_config(connection), "0004")
        with database.engine().connect() as connection:
            kept = set(connection.scalars(select(Relation.id)))
            linked = set(connection.scalars(select(RelationSource.relation_id)))
        database.upgrade_schema()
    assert kept == linked == {relation["id"] for relation in before} - {REVOKES_UNKNOWN}
    after = get(client, "/v1/relations?limit=100&sort=id").get_json()["data"]
    # Revision 0004 has no `object_reference`: the downgrade drops it with its column.
    expected = [{**r, "object_reference": None} for r in before if r["id"] != REVOKES_UNKNOWN]
    assert after == expected
