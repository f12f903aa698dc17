"""The timeline and point-in-time status: the Illinois memorandum before and after 9 Oct 2025."""

import pytest

from synthetic import synthetic_dataset
from tests.conftest import app_holding, planned, postgresql_url

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


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory):
    """A synthetic corpus with every kind of event, relations and statements about documents."""
    folder = tmp_path_factory.mktemp("timeline")
    with app_holding(folder, synthetic_dataset(documents=60, seed=7)) as app:
        yield app.test_client()


def every_item(client, url: str) -> list[dict]:
    """Every item of a list, page after page."""
    items = []
    while url:
        body = client.get(url).get_json()
        items += body["data"]
        url = body["links"].get("next")
    return items


def event_matches(event: dict, name: str, value: str, records: dict) -> bool:
    """Whether an event of the whole timeline is one the filter `name=value` keeps: the
    timeline's rules, written from the records themselves."""
    documents, relations, statements, actors = (records[kind] for kind in records)
    if event["kind"] == "statement":
        said = statements[event["record_id"]]
        return {
            "jurisdiction": actors[said["speaker"]]["jurisdiction"] == value,
            "actor": said["speaker"] == value,
            "document": value in said["about"],
        }[name]
    if event["kind"] == "relation":
        relation = relations[event["record_id"]]
        subject = documents[relation["subject"]]
        documents_named = {relation["subject"], relation["object"]}
    else:
        subject = documents[event["record_id"]]
        documents_named = {subject["id"]}
    if event["kind"] == "status_changed":
        position = int(event["id"].rsplit(":", 1)[1])
        documents_named.add(subject["status_history"][position - 1]["by"])
    return {
        "jurisdiction": subject["jurisdiction"] == value,
        "actor": subject["issuer"] == value,
        "document": value in documents_named,
    }[name]


def test_each_filter_keeps_the_events_of_the_whole_timeline_it_names(corpus_client):
    """Each kind of event is filtered through its own tables (status changes through their
    document's indexes, statements through their links): the same events as the rules."""
    client = corpus_client
    records = {
        kind: {item["id"]: item for item in every_item(client, f"/v1/{kind}?limit=100")}
        for kind in ("documents", "relations", "statements", "actors")
    }
    everything = every_item(client, "/v1/timeline?limit=100")
    assert {event["kind"] for event in everything} == {
        "document_signed",
        "document_published",
        "status_changed",
        "statement",
        "relation",
    }
    named = {
        "document": [
            *{r["object"] for r in records["relations"].values() if r["object"]},
            *{
                change["by"]
                for doc in records["documents"].values()
                for change in doc["status_history"]
                if change["by"]
            },
            *{doc for said in records["statements"].values() for doc in said["about"]},
            *list(records["documents"])[:3],
        ],
        "jurisdiction": sorted({doc["jurisdiction"] for doc in records["documents"].values()}),
        "actor": sorted(
            {doc["issuer"] for doc in records["documents"].values()}
            | {said["speaker"] for said in records["statements"].values()}
        ),
    }
    kinds_kept = set()
    for name, values in named.items():
        for value in sorted(set(values))[:15]:
            kept = every_item(client, f"/v1/timeline?limit=100&{name}={value}")
            expected = [e for e in everything if event_matches(e, name, value, records)]
            assert kept == expected, (name, value)
            kinds_kept |= {(name, event["kind"]) for event in kept}
    assert len(kinds_kept) >= 12, kinds_kept  # each filter met most kinds of event


@pytest.mark.skipif(postgresql_url() is not None, reason="SQLite's plans are the ones pinned")
@pytest.mark.parametrize("query", ["", "sort=-date"])
def test_a_timeline_page_reads_each_kind_of_event_in_date_order(corpus_client, query):
    """Each kind comes from its date index, merged, and the page stops after its events:
    no sort of every event (25 ms a page at 100,000 provisions, 1 ms this way). A filtered
    page may sort the few events it keeps."""
    (plan,) = planned(corpus_client.application, f"/v1/timeline?{query}", "UNION ALL")
    plan = plan.split(" / ")
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    assert not [step for step in plan if step.startswith("SCAN ")], plan


def test_pages_of_any_size_in_either_order_make_the_whole_timeline(corpus_client):
    """Newest first is by date only: events of one day stay in id order."""
    everything = every_item(corpus_client, "/v1/timeline?limit=100")
    assert every_item(corpus_client, "/v1/timeline?limit=7") == everything
    newest = every_item(corpus_client, "/v1/timeline?limit=7&sort=-date")
    by_day: dict[str, list] = {}
    for event_ in everything:
        by_day.setdefault(event_["date"], []).append(event_)
    assert newest == [e for day in sorted(by_day, reverse=True) for e in by_day[day]]
    kinds = "kind=status_changed&kind=relation"
    some = every_item(corpus_client, f"/v1/timeline?limit=5&sort=-date&{kinds}")
    assert some == [e for e in newest if e["kind"] in ("status_changed", "relation")]
