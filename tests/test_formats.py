"""CSV, JSON-LD and content negotiation, each checked by a parser."""

import ast
import csv
import io

import pytest
from pyld import jsonld

from tests.conftest import CHICAGO_ORDER, PROJECT_ROOT, assert_problem

LISTS = [
    "/v1/documents",
    "/v1/provisions",
    f"/v1/documents/{CHICAGO_ORDER}/provisions",
    "/v1/statements",
    "/v1/relations",
    "/v1/actors",
    "/v1/jurisdictions",
    "/v1/sources",
    "/v1/search?q=guard",
]


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("url", LISTS)
def test_every_list_has_a_csv_form_with_the_same_rows(client, url):
    separator = "&" if "?" in url else "?"
    as_json = client.get(f"{url}{separator}limit=7").get_json()
    response = client.get(f"{url}{separator}limit=7", headers={"Accept": "text/csv"})
    rows = read_csv(response)
    assert [row["id"] for row in rows] == [item["id"] for item in as_json["data"]]
    assert response.headers.get("Link") == (
        f'<{as_json["links"]["next"]}>; rel="next"' if "next" in as_json["links"] else None
    )
    assert "Accept" in response.headers["Vary"]


def test_csv_flattens_lists_links_and_nulls(client):
    response = client.get(
        f"/v1/provisions?document={CHICAGO_ORDER}&modality=urges&limit=1",
        headers={"Accept": "text/csv"},
    )
    (row,) = read_csv(response)
    assert row["subprovisions"].split("; ") == [
        f"{CHICAGO_ORDER}.p6.masks",
        f"{CHICAGO_ORDER}.p6.body-cameras",
        f"{CHICAGO_ORDER}.p6.identification",
    ]
    assert row["links.self"] == f"/v1/provisions/{CHICAGO_ORDER}.p6"
    assert row["binding"] == "false"
    assert row["label"] == ""


def test_csv_of_an_empty_page_still_has_its_header(client):
    response = client.get("/v1/documents?type=proclamation", headers={"Accept": "text/csv"})
    header = response.get_data(as_text=True).splitlines()[0].split(",")
    assert header[:3] == ["created_at", "updated_at", "id"] and "links.provisions" in header


# A local copy of the one thing our JSON-LD needs from schema.org's context, so that the
# test expands it without network access.
SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": "https://schema.org/"}}


def offline_loader(url, _options=None):
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def expand(body: dict) -> list[dict]:
    return jsonld.expand(body, {"documentLoader": offline_loader})


def schema_org(name: str) -> str:
    return f"https://schema.org/{name}"


def test_a_document_as_schema_org_legislation(client):
    response = client.get(
        f"/v1/documents/{CHICAGO_ORDER}?include=provisions",
        headers={"Accept": "application/ld+json"},
    )
    assert response.mimetype == "application/ld+json"
    (node,) = expand(response.get_json())
    assert node["@type"] == [schema_org("Legislation")]
    assert node[schema_org("legislationIdentifier")][0]["@value"] == "2025-6"
    assert node[schema_org("legislationType")][0]["@value"] == "executive order"
    assert node[schema_org("legislationDate")][0]["@value"] == "2025-08-30"
    jurisdiction = node[schema_org("legislationJurisdiction")][0]
    assert jurisdiction[schema_org("name")][0]["@value"] == "City of Chicago"
    assert node[schema_org("legislationLegalForce")][0]["@id"] == schema_org("InForce")
    parts = [part["@id"] for part in node[schema_org("hasPart")]]
    assert len(parts) == 8 and parts[5].endswith(f"/v1/provisions/{CHICAGO_ORDER}.p6")


def test_a_stayed_document_is_not_in_force(client):
    body = client.get(
        "/v1/documents?status=stayed&limit=100", headers={"Accept": "application/ld+json"}
    ).get_json()
    nodes = expand(body)
    assert nodes
    for node in nodes:
        assert node[schema_org("legislationLegalForce")][0]["@id"] == schema_org("NotInForce")


def test_a_provision_is_part_of_its_parent_and_has_its_parts(client):
    response = client.get(
        f"/v1/provisions/{CHICAGO_ORDER}.p6", headers={"Accept": "application/ld+json"}
    )
    (node,) = expand(response.get_json())
    assert node[schema_org("isPartOf")][0]["@id"].endswith(f"/v1/documents/{CHICAGO_ORDER}")
    assert len(node[schema_org("hasPart")]) == 3
    child = client.get(
        f"/v1/provisions/{CHICAGO_ORDER}.p6.masks", headers={"Accept": "application/ld+json"}
    ).get_json()
    assert child["isPartOf"]["@id"].endswith(f"/v1/provisions/{CHICAGO_ORDER}.p6")
    assert child["text"] == "to refrain from wearing masks"


def linked_provision(client, provision_id: str) -> dict:
    response = client.get(
        f"/v1/provisions/{provision_id}", headers={"Accept": "application/ld+json"}
    )
    (node,) = expand(response.get_json())
    return node


def properties_of(node: dict) -> dict:
    """A node's `additionalProperty` PropertyValues, as {propertyID: value}."""
    values = {}
    for value in node.get(schema_org("additionalProperty"), []):
        assert value["@type"] == [schema_org("PropertyValue")]
        values[value[schema_org("propertyID")][0]["@value"]] = value[schema_org("value")][0][
            "@value"
        ]
    return values


def test_a_binding_provision_of_a_document_in_force_is_in_force(client):
    node = linked_provision(client, f"{CHICAGO_ORDER}.p3")
    assert node[schema_org("legislationLegalForce")][0]["@id"] == schema_org("InForce")
    assert properties_of(node) == {"modality": "directs", "binding": True}


@pytest.mark.parametrize(
    "provision, modality",
    [(f"{CHICAGO_ORDER}.p6", "urges"), (f"{CHICAGO_ORDER}.p1", "demands")],
)
def test_a_non_binding_provision_has_no_legal_force(client, provision, modality):
    """Its document is in force, but a provision that binds nobody is not law in force."""
    node = linked_provision(client, provision)
    assert schema_org("legislationLegalForce") not in node
    assert properties_of(node) == {"modality": modality, "binding": False}


def test_listed_provisions_follow_their_binding_and_their_documents_status(client):
    body = client.get(
        "/v1/provisions?limit=100", headers={"Accept": "application/ld+json"}
    ).get_json()
    provisions = {p["id"]: p for p in client.get("/v1/provisions?limit=100").get_json()["data"]}
    statuses = {
        d["id"]: d["status"] for d in client.get("/v1/documents?limit=100").get_json()["data"]
    }
    nodes = expand(body)
    assert len(nodes) == len(provisions)
    for node in nodes:
        provision = provisions[node["@id"].rsplit("/", 1)[1]]
        force = node.get(schema_org("legislationLegalForce"), [{}])[0].get("@id")
        if not provision["binding"]:
            assert force is None, provision["id"]
        elif statuses[provision["document"]] == "in_force":
            assert force == schema_org("InForce"), provision["id"]
        else:
            assert force != schema_org("InForce"), provision["id"]
        assert properties_of(node)["modality"] == provision["modality"]


def test_the_presentation_layer_runs_no_sql():
    """Lookups belong to the queries layer: presentation only shapes what it is given."""
    for module in (PROJECT_ROOT / "api" / "presentation").glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        forbidden = {
            name
            for name in imported
            if name.startswith("sqlalchemy") or name.startswith("api.storage.database")
        }
        assert not forbidden, (module.name, forbidden)


def test_provision_lists_as_a_json_ld_graph(client):
    body = client.get(
        f"/v1/documents/{CHICAGO_ORDER}/provisions?limit=100",
        headers={"Accept": "application/ld+json"},
    ).get_json()
    assert len(expand(body)) == 11


@pytest.mark.parametrize(
    "url, accept",
    [
        ("/v1/documents", "text/html"),
        ("/v1/statements", "application/ld+json"),
        (f"/v1/documents/{CHICAGO_ORDER}", "text/csv"),
        ("/v1/vocabularies", "application/xml"),
        ("/v1/provisions", "image/png, text/plain"),
    ],
)
def test_an_unsupported_accept_is_406_problem(client, url, accept):
    body = assert_problem(client.get(url, headers={"Accept": accept}), 406)
    assert "application/json" in body["detail"]


@pytest.mark.parametrize(
    "accept", ["*/*", "application/*", "application/json", "text/html, */*;q=0.1"]
)
def test_json_is_the_default(client, accept):
    response = client.get("/v1/documents", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == "application/json"


def test_quality_values_choose_among_the_offers(client):
    response = client.get(
        "/v1/documents", headers={"Accept": "application/json;q=0.5, text/csv;q=0.9"}
    )
    assert response.mimetype == "text/csv"


@pytest.mark.parametrize("url", ["/v1/changes?limit=5", "/v1/timeline?limit=5"])
def test_csv_of_changes_and_events_has_their_record_link(client, url):
    """Their `links` is a typed object, so each link is a column, as for every record."""
    as_json = client.get(url).get_json()["data"]
    rows = read_csv(client.get(url, headers={"Accept": "text/csv"}))
    assert "links" not in rows[0]
    assert [row["links.record"] for row in rows] == [
        item["links"].get("record", "") for item in as_json
    ]
