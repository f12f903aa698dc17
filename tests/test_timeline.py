"""The timeline and point-in-time status: the Illinois memorandum before and after 9 Oct 2025."""

import pytest

ILLINOIS_MEMO = "us-pm-2025-10-04-illinois"
ILLINOIS_TRO = "illinois-v-trump-2025-10-09-tro"


def events(client, query: str) -> list[dict]:
    response = client.get(f"/v1/timeline?limit=100&{query}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert "next" not in body["links"]
    return body["data"]


def test_the_illinois_memorandum_in_order(client):
    timeline = events(client, f"document={ILLINOIS_MEMO}")
    summary = [(e["date"], e["kind"], e["status"] or e["relation_type"]) for e in timeline]
    assert summary[0] == ("2025-10-04", "document_signed", None)
    assert ("2025-10-09", "status_changed", "enjoined") in summary
    assert ("2025-10-09", "relation", "enjoins") in summary
    assert [e["date"] for e in timeline] == sorted(e["date"] for e in timeline)
    relation = next(e for e in timeline if e["kind"] == "relation")
    assert client.get(relation["links"]["record"]).get_json()["subject"] == ILLINOIS_TRO


@pytest.mark.parametrize(
    "day, status",
    [("2025-10-03", None), ("2025-10-08", "in_force"), ("2025-10-09", "enjoined"),
     ("2025-10-12", "enjoined")],
)  # fmt: skip
def test_as_of_gives_the_status_on_that_day(client, day, status):
    document = client.get(f"/v1/documents/{ILLINOIS_MEMO}?as_of={day}").get_json()
    assert document["status_as_of"] == {"date": day, "status": status}


def test_as_of_filters_by_the_status_of_that_day(client):
    before = client.get("/v1/documents?as_of=2025-10-08&status=enjoined&limit=100").get_json()
    after = client.get("/v1/documents?as_of=2025-10-12&status=enjoined&limit=100").get_json()
    assert ILLINOIS_MEMO not in {d["id"] for d in before["data"]}
    assert ILLINOIS_MEMO in {d["id"] for d in after["data"]}
    assert all(d["status_as_of"]["status"] == "enjoined" for d in after["data"])


def test_as_of_leaves_out_documents_not_yet_issued(client):
    documents = client.get("/v1/documents?as_of=2025-08-29&limit=100").get_json()["data"]
    assert documents
    assert all(d["signed_on"] is None or d["signed_on"] <= "2025-08-29" for d in documents)
    assert "chicago-eo-2025-6" not in {d["id"] for d in documents}


def test_date_range_and_kind_filters(client):
    week = events(client, "from=2025-08-24&to=2025-08-30")
    assert week and all("2025-08-24" <= e["date"] <= "2025-08-30" for e in week)
    assert {"document_signed", "statement"} <= {e["kind"] for e in week}
    statements = events(client, "kind=statement")
    assert statements and {e["kind"] for e in statements} == {"statement"}


def test_actor_and_jurisdiction_filters(client):
    chicago = events(client, "jurisdiction=us-il-chicago&kind=document_signed")
    assert {e["record_id"] for e in chicago} >= {"chicago-eo-2025-6", "chicago-eo-2025-8"}
    johnson = events(client, "actor=brandon-johnson")
    kinds = {e["kind"] for e in johnson}
    assert {"document_signed", "statement"} <= kinds


def test_newest_first(client):
    timeline = events(client, "sort=-date")
    assert [e["date"] for e in timeline] == sorted((e["date"] for e in timeline), reverse=True)
