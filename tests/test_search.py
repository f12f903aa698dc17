"""Full-text search: relevance, syntax, highlighting, and no query that breaks it."""

import re

import pytest
from sqlalchemy import event, func, select

from api.search import backends, index, parser
from api.storage import database
from tests.conftest import isolated_database, load_seeds, make_app, postgresql_url

BODY_CAMERAS = "chicago-eo-2025-6.p6.body-cameras"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["data"]]


def test_body_cameras_finds_the_chicago_sub_provision_first(client):
    assert ids(client.get("/v1/provisions?q=body cameras"))[0] == BODY_CAMERAS
    assert ids(client.get("/v1/search?q=body cameras"))[0] == BODY_CAMERAS


def test_search_is_stemmed(client):
    assert BODY_CAMERAS in ids(client.get("/v1/provisions?q=camera&limit=100"))


def test_a_phrase_must_match_in_order(client):
    phrase = set(ids(client.get('/v1/provisions?q="body cameras"&limit=100')))
    reversed_phrase = set(ids(client.get('/v1/provisions?q="cameras body"&limit=100')))
    words = set(ids(client.get("/v1/provisions?q=cameras body&limit=100")))
    assert BODY_CAMERAS in phrase
    assert not reversed_phrase
    assert phrase <= words


def test_excluded_words_exclude(client):
    with_masks = set(ids(client.get("/v1/provisions?q=cameras&limit=100")))
    without = set(ids(client.get("/v1/provisions?q=cameras -masks&limit=100")))
    assert without < with_masks
    assert "chicago-eo-2025-6.p6.masks" not in without


def test_or_matches_either_word(client):
    masks = set(ids(client.get("/v1/provisions?q=masks&limit=100")))
    cameras = set(ids(client.get("/v1/provisions?q=cameras&limit=100")))
    either = set(ids(client.get("/v1/provisions?q=masks or cameras&limit=100")))
    assert either == masks | cameras


def test_search_combines_with_filters_and_other_sorts(client):
    url = "/v1/provisions?q=cameras&binding=false&sort=document&limit=100"
    found = client.get(url).get_json()["data"]
    assert found and all(not p["binding"] for p in found)
    positions = [(p["document"], p["position"]) for p in found]
    assert positions == sorted(positions)


def test_search_hits_are_typed_highlighted_and_linked(client):
    hits = client.get("/v1/search?q=publicity stunts").get_json()["data"]
    assert hits[0]["type"] == "statement"
    assert "<mark>" in hits[0]["snippet"]
    for hit in hits:
        assert client.get(hit["links"]["self"]).status_code == 200


def test_search_type_filter(client):
    hits = client.get("/v1/search?q=national guard&type=document&limit=100").get_json()["data"]
    assert hits and {hit["type"] for hit in hits} == {"document"}


def test_search_pages_concatenate_to_the_whole_result(client):
    whole = client.get("/v1/search?q=guard&limit=100").get_json()["data"]
    assert len(whole) > 3
    paged, url = [], "/v1/search?q=guard&limit=2"
    for _ in range(len(whole)):
        body = client.get(url).get_json()
        paged += body["data"]
        url = body["links"].get("next")
        if url is None:
            break
    assert paged == whole


HOSTILE_QUERIES = [
    "",
    " ",
    '"',
    '""',
    '"unterminated phrase',
    "-",
    "--",
    "-masks",
    "or",
    "OR OR OR",
    "AND NOT",
    "NEAR(body cameras)",
    "body*",
    "^body",
    "col:body",
    "title:masks",
    "(((",
    ")))",
    "'; DROP TABLE provisions; --",
    "\x00",
    "body\x00cameras",
    "\x01\x02\x7f",
    "%",
    "_",
    "\\",
    "😀 🚓",
    "‮right-to-left",
    "the and of",
    "a" * 2000,
    ("lorem ipsum " * 200)[:2000],
    "!@#$%^&*()_+=[]{}|;:,.<>?/~`",
    "&&|!<->:*",
    "'",
    "\uff22\uff2f\uff24\uff39",  # fullwidth BODY
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize(
    "path", ["/v1/search", "/v1/provisions", "/v1/documents", "/v1/statements"]
)
def test_hostile_queries_give_results_or_an_empty_list(client, path, query):
    response = client.get(path, query_string={"q": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert isinstance(response.get_json()["data"], list)


def test_an_overlong_query_is_400_naming_q(client):
    response = client.get("/v1/search", query_string={"q": "a" * 2001})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["name"] == "q"


PLAIN_QUERIES = [
    "body cameras",
    '"body cameras"',
    "national guard",
    "national guard -illinois",
    "masks or cameras",
    "restraining order",
    "crime",
    "immigration enforcement chicago",
    "publicity stunts",
    "deploy",
]


@pytest.fixture(scope="module")
def sqlite_client(tmp_path_factory):
    with isolated_database(tmp_path_factory.mktemp("sqlite"), sqlite=True) as settings:
        app = make_app(settings)
        load_seeds(app)
        yield app.test_client()


@pytest.mark.skipif(postgresql_url() is None, reason="needs DATABASE_URL naming PostgreSQL")
@pytest.mark.parametrize("query", PLAIN_QUERIES)
@pytest.mark.parametrize(
    "path", ["/v1/search", "/v1/provisions", "/v1/documents", "/v1/statements"]
)
def test_sqlite_and_postgresql_find_the_same_records(client, sqlite_client, path, query):
    parameters = {"q": query, "limit": 100}
    on_postgresql = ids(client.get(path, query_string=parameters))
    on_sqlite = ids(sqlite_client.get(path, query_string=parameters))
    assert set(on_postgresql) == set(on_sqlite)
    if path in ("/v1/search", "/v1/provisions") and query == "body cameras":
        assert on_postgresql[0] == on_sqlite[0] == BODY_CAMERAS


@pytest.mark.parametrize(
    "query", [*PLAIN_QUERIES, "chicago", "order", "order -chicago", "zzzunseen", "federal_agents"]
)
def test_term_statistics_bound_the_matches_of_each_kind(seeded_app, query):
    parsed = parser.parse(query)
    with seeded_app.test_request_context():
        backend = backends.current_backend()
        estimate = backend.estimate(parsed, index.SEARCH_KINDS)
        for kind in index.SEARCH_KINDS:
            matching = select(func.count()).where(
                backend.matches(parsed), index.search_index.c.kind == kind
            )
            found = database.session().scalar(matching.select_from(index.search_index))
            assert found <= estimate.bounds[kind], kind
            if estimate.exact:
                assert found == estimate.bounds[kind], kind
    if postgresql_url() and query in ("chicago", "order"):
        assert estimate.exact  # one word of one lexeme: its record count is known


@pytest.fixture(scope="module")
def narrow_ranking_client(tmp_path_factory):
    """The seeds served by a server that ranks at most 3 matches."""
    with isolated_database(tmp_path_factory.mktemp("rank-limit")) as settings:
        app = make_app({**settings, "SEARCH_RANK_LIMIT": 3})
        load_seeds(app)
        yield app.test_client()


def every_page(client, url: str) -> tuple[list[tuple[str, str]], set]:
    """(type, id) of every hit across every page, and the `ranked` flags seen."""
    hits, flags = [], set()
    while url:
        body = client.get(url).get_json()
        hits += [(hit.get("type", "record"), hit["id"]) for hit in body["data"]]
        flags.add(body.get("ranked"))
        url = body["links"].get("next")
    return hits, flags


def test_a_search_broader_than_the_rank_limit_comes_in_type_and_id_order(
    client, narrow_ranking_client
):
    ranked, ranked_flags = every_page(client, "/v1/search?q=chicago&limit=2")
    listed, listed_flags = every_page(narrow_ranking_client, "/v1/search?q=chicago&limit=2")
    assert len(ranked) > 3
    assert ranked_flags == {True} and listed_flags == {False}
    assert listed == sorted(ranked)
    assert len(set(listed)) == len(listed)
    narrow, flags = every_page(narrow_ranking_client, '/v1/search?q="body cameras"')
    assert flags == {True} and narrow[0][1] == BODY_CAMERAS


def test_a_list_search_broader_than_the_rank_limit_comes_in_the_default_order(
    client, narrow_ranking_client
):
    url = "/v1/provisions?q=chicago&limit=3"
    ranked, _ = every_page(client, url)
    listed, _ = every_page(narrow_ranking_client, url)
    in_document_order, _ = every_page(narrow_ranking_client, url + "&sort=document")
    assert len(ranked) > 3
    assert listed == in_document_order
    assert sorted(listed) == sorted(ranked)


def counts_on_the_search_page(client, query: str) -> dict[str, str]:
    """The count beside each kind of record on the search page ('' where none is shown)."""
    html = client.get(f"/search?q={query}").get_data(as_text=True)
    kinds = r"Everything|Documents|Provisions|Statements"
    return dict(re.findall(rf'>({kinds})</a>(?: <span class="count">([^<]*)</span>)?', html))


def test_the_search_page_counts_matches_per_kind_up_to_the_rank_limit(
    client, narrow_ranking_client
):
    """Past the limit the matches are not all counted (a common word's would take seconds)."""
    hits, _ = every_page(client, "/v1/search?q=chicago&limit=100")
    per_kind = {kind: sum(1 for hit in hits if hit[0] == kind) for kind in index.SEARCH_KINDS}
    assert counts_on_the_search_page(client, "chicago") == {
        "Everything": f"{len(hits):,}",
        "Documents": f"{per_kind['document']:,}",
        "Provisions": f"{per_kind['provision']:,}",
        "Statements": f"{per_kind['statement']:,}",
    }
    assert len(hits) > 3
    capped = {"Everything": "more than 3", "Documents": "", "Provisions": "", "Statements": ""}
    words = "chicago%20order"  # two words: no term statistics count them
    assert len(every_page(client, f"/v1/search?q={words}&limit=100")[0]) > 3
    assert counts_on_the_search_page(narrow_ranking_client, words) == capped
    single = counts_on_the_search_page(narrow_ranking_client, "chicago")
    if postgresql_url():  # PostgreSQL's term statistics give one word's records exactly
        assert single == counts_on_the_search_page(client, "chicago")
    else:
        assert single == capped
    few = counts_on_the_search_page(narrow_ranking_client, "%22body%20cameras%22")
    assert few == counts_on_the_search_page(client, "%22body%20cameras%22")
    assert few["Everything"] != "more than 3" and int(few["Everything"]) >= 1


@pytest.mark.parametrize("query", ["chicago%20order", "%22body%20cameras%22"])
def test_the_search_page_counts_its_matches_once(narrow_ranking_client, query):
    """Whether more match than the rank limit is counted for the page's order, and the counts
    per kind reuse it: a common word's count reads ten thousand index entries."""
    app = narrow_ranking_client.application
    with app.app_context():
        engine = database.engine()
    statements = []
    record = lambda *arguments: statements.append(arguments[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert narrow_ranking_client.get(f"/search?q={query}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    up_to_the_limit = [s for s in statements if re.search(r"\bcount\(\*\)", s) and "LIMIT" in s]
    assert len(up_to_the_limit) == 1, up_to_the_limit


@pytest.mark.skipif(postgresql_url() is None, reason="PostgreSQL's term statistics")
def test_the_search_page_reads_its_words_term_statistics_once(client, count_queries):
    """Its hits and their count per kind both bound the search by the words' statistics."""
    with count_queries() as statements:
        page = client.get("/search?q=body+cameras")
    assert page.status_code == 200 and "body cameras" in page.get_data(as_text=True).lower()
    assert sum("search_terms" in statement for statement in statements) == 1
