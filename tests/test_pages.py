"""The HTML explorer: each page type's structure, links, escaping, errors, caching and headers.

Pages are read as HTML with the standard library's parser: landmarks, headings in order,
labelled form controls, links to the JSON and to other pages. A record whose every text field
holds markup (`<script>`…) is loaded into a database of its own, and every page showing it
must show that markup as text.
"""

import itertools
import re
import shutil
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from api.presentation import html
from api.presentation.timeline_chart import Lane, timeline_svg
from api.queries import explorer
from api.queries.directory import RELATIONS
from api.queries.documents import DOCUMENTS, PROVISIONS
from api.routes import pages
from api.seeding import load_dataset
from api.storage import database
from synthetic import synthetic_dataset
from tests.conftest import (
    CHICAGO_ORDER,
    SEEDS,
    app_holding,
    assert_problem,
    isolated_database,
    load_seeds,
    make_app,
)

PROVISION = "chicago-eo-2025-6.p6"
ACTOR = "chicago-police-department"
PAGES = [
    "/",
    "/documents",
    f"/documents/{CHICAGO_ORDER}",
    f"/provisions/{PROVISION}",
    f"/actors/{ACTOR}",
    "/search?q=body%20cameras",
    "/search",
    "/timeline",
]
# The JSON each page says it is (its <link rel="alternate">), from the API.
JSON_OF = {
    "/": "/v1",
    f"/documents/{CHICAGO_ORDER}": f"/v1/documents/{CHICAGO_ORDER}?include=provisions",
    f"/provisions/{PROVISION}": f"/v1/provisions/{PROVISION}",
    f"/actors/{ACTOR}": f"/v1/actors/{ACTOR}",
    "/documents": "/v1/documents",
    "/timeline": "/v1/timeline",
    "/search?q=body%20cameras": "/v1/search?q=body+cameras",
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LANDMARKS = {"header", "nav", "main", "footer"}


class Page(HTMLParser):
    """What the tests look at in a page: elements, headings, links, labels, text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.headings: list[tuple[int, str]] = []
        self.text_parts: list[str] = []
        self._heading: list[str] | None = None
        self._skip = 0  # inside <style> or <script>, whose text is not shown
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading).split())))
            self._heading = None
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            return
        self.text_parts.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def all(self, tag: str, **wanted) -> list[dict]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(attrs.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]

    def links(self) -> list[str]:
        return [attrs["href"] for attrs in self.all("a") if "href" in attrs]


def page_of(response) -> Page:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_landmarks_one_h1_and_headings_in_order(client, path):
    page = page_of(client.get(path))
    tags = {tag for tag, _ in page.elements}
    assert tags >= LANDMARKS, LANDMARKS - tags
    assert len(page.all("main")) == 1
    assert page.all("html")[0]["lang"] == "en"
    assert page.all("title") and page.all("meta", name="viewport")
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1, page.headings
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading h{before} then h{after}: {page.headings}"
    assert all(text for _, text in page.headings), page.headings


@pytest.mark.parametrize("path", PAGES)
def test_every_form_control_has_a_label(client, path):
    page = page_of(client.get(path))
    labelled = {attrs.get("for") for attrs in page.all("label")}
    for tag in ("input", "textarea", "select"):
        for control in page.all(tag):
            if control.get("type") in ("hidden", "submit"):
                continue
            assert control.get("id") in labelled or control.get("aria-label"), control


@pytest.mark.parametrize("path", PAGES)
def test_every_page_uses_our_stylesheet_only_and_no_script(client, path):
    page = page_of(client.get(path))
    sheets = [attrs["href"] for attrs in page.all("link") if attrs.get("rel") == "stylesheet"]
    assert sheets == ["/static/site.css"]
    assert not page.all("script") and not page.all("style")
    assert not any(name.startswith("on") for _, attrs in page.elements for name in attrs)
    assert not any("style" in attrs for _, attrs in page.elements)  # the CSP allows no inline


def test_the_stylesheet_is_served_small_with_a_print_part(client):
    response = client.get("/static/site.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert len(css) < 20_000
    assert "@media print" in css and ":focus-visible" in css
    assert "http" not in re.sub(r'a\[href\^="http"\]', "", css), "the stylesheet loads nothing"


@pytest.mark.parametrize(("path", "json_url"), JSON_OF.items())
def test_every_page_links_its_json(client, path, json_url):
    page = page_of(client.get(path))
    alternates = page.all("link", rel="alternate", type="application/json")
    assert [attrs["href"] for attrs in alternates] == [json_url]
    assert json_url in page.links(), "the JSON is linked visibly too"
    assert client.get(json_url).status_code == 200


def test_home_says_what_the_data_is_with_counts_search_latest_and_the_api(client):
    page = page_of(client.get("/"))
    documents = client.get("/v1/documents?facets=type&limit=1").get_json()["facets"]["type"]
    total = sum(item["count"] for item in documents)
    assert f"{total} documents" in page.text
    assert page.all("form", action="/search") and page.all("input", name="q")
    assert {"/v1", "/docs", "/documents", "/timeline"} <= set(page.links())
    newest = client.get("/v1/documents?limit=1").get_json()["data"][0]["id"]
    assert f"/documents/{newest}" in page.links()


def test_home_lists_the_apis_first_documents_in_order_with_their_issuers(client):
    page = page_of(client.get("/"))
    first = client.get("/v1/documents?limit=8").get_json()["data"]
    shown = [link for link in page.links() if re.fullmatch(r"/documents/[a-z0-9.-]+", link)]
    assert shown == [f"/documents/{document['id']}" for document in first]
    for issuer in {document["issuer"] for document in first}:
        assert client.get(f"/v1/actors/{issuer}").get_json()["name"] in page.text


def test_the_latest_documents_are_the_documents_first_page(tmp_path):
    """Undated documents, issuers that are not actors: the same order as the list's."""
    with app_holding(tmp_path, synthetic_dataset(30, 7)) as app, app.test_request_context():
        page = DOCUMENTS.list({"limit": 40, "cursor": None}).items
        latest = explorer.latest_documents(40)
        names = explorer.actor_names(document.issuer_id for document in page)
    assert [document.id for document in latest] == [document.id for document in page]
    assert {d.issuer_id: d.issuer_name for d in latest if d.issuer_name} == names
    assert any(document.signed_on is None for document in page)


def test_names_are_read_once_per_dataset_not_per_page(client, count_queries):
    client.get(f"/provisions/{PROVISION}")
    with count_queries() as statements:
        page = page_of(client.get(f"/provisions/{PROVISION}"))
    assert "Brandon Johnson" in page.text and "City of Chicago" in page.text
    assert not [s for s in statements if re.search(r"FROM (actors|jurisdictions)\b", s)]


def test_names_follow_a_load_that_renames(tmp_path):
    dataset = synthetic_dataset(12, 3)
    actor = dataset.rows["actors"][0]["id"]
    with app_holding(tmp_path, dataset) as app:
        with app.test_request_context():
            before = explorer.actor_names([actor, "no-such-actor"])
        dataset.rows["actors"][0]["name"] = "Renamed Office"
        with app.app_context():
            load_dataset(database.engine(), dataset)
        with app.test_request_context():
            assert explorer.actor_names([actor, "no-such-actor"]) == {actor: "Renamed Office"}
    assert list(before) == [actor] and before[actor] != "Renamed Office"


def test_too_many_names_to_keep_are_read_per_page(tmp_path, monkeypatch):
    with app_holding(tmp_path, synthetic_dataset(12, 3)) as app, app.test_request_context():
        actors = [row[0] for row in explorer.EVERY_ACTOR_NAME.rows(database.connection(), limit=9)]
        wanted = [*actors[::2], "no-such-actor", "", actors[0]]
        kept = explorer.actor_names(wanted)
        app.extensions.pop("dataset_memo")
        monkeypatch.setattr(explorer, "NAMES_KEPT_UP_TO", 2)
        assert explorer.actor_names(wanted) == kept
        assert list(kept) == sorted(actors[::2]) and len(actors) == 9


def test_documents_list_has_filter_links_with_counts_and_applies_them(client):
    page = page_of(client.get("/documents"))
    assert "Type" in page.text and "Year signed" in page.text and "Issued by" in page.text
    court = next(link for link in page.links() if link == "/documents?type=court_order")
    counted = client.get("/v1/documents?type=court_order&limit=100").get_json()["data"]
    filtered = page_of(client.get(court))
    assert f"{len(counted)} documents match" in filtered.text
    shown = {link for link in filtered.links() if re.fullmatch(r"/documents/[a-z0-9.-]+", link)}
    assert shown == {f"/documents/{document['id']}" for document in counted}
    assert "/documents" in filtered.links(), "a filter in use can be cleared"


def test_documents_year_filter_is_a_link_to_that_year(client):
    page = page_of(client.get("/documents"))
    year = next(link for link in page.links() if "signed_from=2025-01-01" in link)
    assert parse_qs(urlsplit(year).query) == {
        "signed_from": ["2025-01-01"],
        "signed_to": ["2025-12-31"],
    }
    assert page_of(client.get(year)).text


def test_documents_list_pages_with_a_next_link(client):
    page = page_of(client.get("/documents?limit=5"))
    following = next(attrs["href"] for attrs in page.all("a", rel="next"))
    second = page_of(client.get(following))
    first_ids = {link for link in page.links() if link.startswith("/documents/")}
    second_ids = {link for link in second.links() if link.startswith("/documents/")}
    assert first_ids and second_ids and not first_ids & second_ids


def test_document_page_shows_the_record_its_tree_relations_and_sources(client):
    api = client.get(f"/v1/documents/{CHICAGO_ORDER}?include=provisions").get_json()
    page = page_of(client.get(f"/documents/{CHICAGO_ORDER}"))
    assert api["title"] in page.text and api["summary"] in page.text
    assert [text for level, text in page.headings if level == 1] == [api["title"]]
    for provision in _tree(api["provisions"]):
        assert f"/provisions/{provision['id']}" in page.links()
    for change in api["status_history"]:
        assert change["note"] is None or change["note"] in page.text
    for source_id in api["sources"]:
        assert client.get(f"/v1/sources/{source_id}").get_json()["title"] in page.text
    assert page.all("blockquote"), "verbatim text is set apart"
    assert "Our summary" in page.text
    assert "rests on news reports" in page.text
    for section in ("Status history", "Provisions", "Relations", "Statements about it"):
        assert any(text.startswith(section) for _, text in page.headings), section


def test_document_page_lists_relations_in_and_out_and_statements(client):
    enjoined = "us-pm-2025-10-04-illinois"
    page = page_of(client.get(f"/documents/{enjoined}"))
    relations = client.get(f"/v1/relations?document={enjoined}&limit=100").get_json()["data"]
    assert relations
    for relation in relations:
        other = relation["subject"] if relation["object"] == enjoined else relation["object"]
        assert other is None or f"/documents/{other}" in page.links()
    said = client.get(f"/v1/statements?about={CHICAGO_ORDER}&limit=100").get_json()["data"]
    chicago = page_of(client.get(f"/documents/{CHICAGO_ORDER}"))
    for statement in said:
        assert any(
            attrs.get("id") == f"statement-{statement['id']}" for _, attrs in chicago.elements
        )


def test_document_and_provision_pages_offer_citation_embed_and_oembed(client):
    for path in (f"/documents/{CHICAGO_ORDER}", f"/provisions/{PROVISION}"):
        page = page_of(client.get(path))
        permalink = f"http://localhost{path}"
        assert page.all("link", rel="canonical")[0]["href"] == permalink
        cite = page.all("input", id="cite")[0]
        assert "readonly" in cite and cite["value"].endswith(permalink)
        (oembed,) = page.all("link", rel="alternate", type="application/json+oembed")
        answer = client.get(oembed["href"])
        assert answer.status_code == 200 and answer.get_json()["type"] == "rich"
        snippet = _textarea(client.get(path).get_data(as_text=True), "embed-code")
        assert snippet.startswith("<iframe ") and "/embed/" in snippet
        assert snippet == answer.get_json()["html"], "the page's snippet is oEmbed's"


def test_provision_page_says_which_document_it_is_of(client):
    document = client.get(f"/v1/documents/{CHICAGO_ORDER}").get_json()
    page = page_of(client.get(f"/provisions/{PROVISION}"))
    assert document["title"] in page.text and document["number"] in page.text
    assert "City of Chicago" in page.text and "signed" in page.text


def test_provision_page_is_the_permalink_with_ancestors_siblings_and_sources(client):
    child = "chicago-eo-2025-6.p6.masks"
    record = client.get(f"/v1/provisions/{child}").get_json()
    page = page_of(client.get(f"/provisions/{child}"))
    assert record["summary"] in page.text and record["action"] in page.text
    assert f"/provisions/{record['parent']}" in page.links(), "its ancestor"
    assert f"/documents/{record['document']}" in page.links(), "its document"
    parent = client.get(f"/v1/provisions/{record['parent']}").get_json()
    for sibling in parent["subprovisions"]:
        assert sibling == child or f"/provisions/{sibling}" in page.links()
    assert page.all("nav", **{"aria-label": "Breadcrumb"})
    top = page_of(client.get(f"/provisions/{PROVISION}"))
    assert record["text"] is None or record["text"] in page.text
    for sub in client.get(f"/v1/provisions/{PROVISION}").get_json()["subprovisions"]:
        assert f"/provisions/{sub}" in top.links()
    assert "#source-cnn-2025-08-30-chicago-mayor-order" in top.links()


def test_actor_page_groups_what_it_is_told_by_modality_and_lists_what_it_issued(client):
    addressed = client.get(f"/v1/provisions?addressee={ACTOR}&facets=modality&limit=100").get_json()
    page = page_of(client.get(f"/actors/{ACTOR}"))
    for facet in addressed["facets"]["modality"]:
        assert any(
            level == 3 and text.lower().startswith(facet["value"]) for level, text in page.headings
        ), facet
    for provision in addressed["data"]:
        assert f"/provisions/{provision['id']}" in page.links()
    mayor = page_of(client.get("/actors/brandon-johnson"))
    assert f"/documents/{CHICAGO_ORDER}" in mayor.links()


def test_actor_page_of_one_modality_and_a_bad_modality(client):
    page = page_of(client.get(f"/actors/{ACTOR}?modality=directs"))
    assert any(text == "Directs" for _, text in page.headings)
    response = client.get(f"/actors/{ACTOR}?modality=plead")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "modality" in response.get_data(as_text=True)


def test_search_page_ranks_hits_with_highlights_and_type_filters(client):
    page = page_of(client.get("/search?q=body%20cameras"))
    assert page.all("mark"), "matched words are highlighted"
    assert f"/provisions/{PROVISION}" in page.links()
    provisions_only = next(link for link in page.links() if "type=provision" in link)
    filtered = page_of(client.get(provisions_only))
    assert not [link for link in filtered.links() if re.fullmatch(r"/documents/[^?#]+", link)]
    empty = page_of(client.get("/search"))
    assert empty.all("input", name="q") and not empty.all("ol")


def test_search_with_nothing_searchable_or_no_match(client):
    for query in ("", "%22%22", "-", "zzzzqqqq"):
        page = page_of(client.get(f"/search?q={query}"))
        assert "Nothing matches" in page.text or "Type one or more words" in page.text


def test_timeline_draws_an_svg_chart_made_on_the_server_and_lists_events(client):
    page = page_of(client.get("/timeline"))
    (svg,) = page.all("svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "chart-title chart-desc"
    assert page.all("circle") and page.all("title", id="chart-title")
    events = client.get("/v1/timeline?sort=-date&limit=50").get_json()["data"]
    items = page.all("time")
    assert events[0]["date"] in [attrs["datetime"] for attrs in items]
    signed = page_of(client.get("/timeline?kind=statement"))
    assert "Statements" in signed.text


def test_timeline_chart_says_what_it_draws():
    import datetime

    lanes = [Lane("a", "Alphas", "#1f6feb"), Lane("b", "<Betas>", "#b3261e")]
    day = datetime.date(2025, 8, 30)
    svg = str(timeline_svg([(day, "a"), (day, "a"), (day, "b"), (None, "a")], lanes))
    assert svg.count("<circle") == 2 and "2 events" in svg
    assert "&lt;Betas&gt;" in svg and "<Betas>" not in svg
    assert str(timeline_svg([], lanes)) == ""


def test_pages_are_conditional_like_the_api(client):
    for path in ("/", f"/documents/{CHICAGO_ORDER}", "/static/site.css"):
        first = client.get(path)
        assert first.headers["ETag"] and "max-age" in first.headers["Cache-Control"]
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_pages_set_their_policy_no_cookie_and_refuse_framing(client):
    response = client.get(f"/documents/{CHICAGO_ORDER}")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "style-src 'self'" in policy
    assert "script-src" not in policy and policy.startswith("default-src 'none'")
    assert "Set-Cookie" not in response.headers
    assert (
        client.get("/v1/documents")
        .headers["Content-Security-Policy"]
        .startswith("default-src 'none'; frame-ancestors 'none'")
    )


@pytest.mark.parametrize(
    "path",
    [
        "/documents/no-such-id",
        "/provisions/no-such-id",
        "/actors/no-such-id",
        "/documents/UPPER",
        "/documents/a..b",
        "/documents/with%00nul",
        "/provisions/" + "a" * 300,
        "/documents/%E2%80%AE",
    ],
)
def test_a_missing_record_is_a_readable_404_page_or_a_problem(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = Page(response.get_data(as_text=True))
    assert page.headings[0] == (1, "404 Not Found") and page.all("main")
    assert response.headers["Cache-Control"] == "no-store"
    assert_problem(client.get(path, headers={"Accept": "application/json"}), 404)


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=abc",
        "type=decree",
        "signed_from=2025-13-40",
        "status=in_force&status=nope",
        "topic=%00",
        "cursor=forged",
        "issuer=UPPER",
    ],
)
def test_a_bad_parameter_is_a_readable_400_page_or_a_problem(client, query):
    response = client.get(f"/documents?{query}")
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    assert Page(response.get_data(as_text=True)).headings[0] == (1, "400 Bad Request")
    body = assert_problem(
        client.get(f"/documents?{query}", headers={"Accept": "application/json"}), 400
    )
    assert body["errors"]


def test_unknown_parameters_are_ignored_on_pages(client):
    page = page_of(client.get("/documents?utm_source=newsletter&fbclid=x"))
    assert "match these filters" not in page.text
    assert page_of(client.get(f"/documents/{CHICAGO_ORDER}?utm_source=x"))


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=%00%01%02",
        "/search?q=" + "x" * 2001,
        "/search?q=a&limit=1000",
        "/search?q=a&type=nothing",
        "/timeline?from=yesterday",
        "/timeline?kind=coup",
        "/timeline?cursor=%FF",
        "/documents?q=%22unclosed",
        "/documents?q=" + "%F0%9F%92%A5" * 50,
        "/documents?as_of=2025-10-01",
        "/documents?sort=relevance&q=guard",
        "/search?q=or%20or%20-",
    ],
)
def test_no_input_is_a_server_error(client, path):
    response = client.get(path)
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:1000]
    assert response.mimetype == "text/html"


def test_an_unknown_address_is_a_page_for_browsers_and_a_problem_otherwise(client):
    response = client.get("/no-such-page", headers={"Accept": BROWSER})
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert_problem(client.get("/no-such-page"), 404)
    assert_problem(client.get("/v1/no-such-thing", headers={"Accept": BROWSER}), 404)


# --- A record whose every text holds markup -------------------------------------------------

# Ends with a word to search for: PostgreSQL's parser drops what it reads as markup.
HOSTILE = "<script>alert('{field}')</script>&amp;\"'<b> hostile"
HOSTILE_DOCUMENT = """\
id: hostile-eo-1
type: executive_order
number: "{number}"
title: "{title}"
issuer: hostile-actor
jurisdiction: us-il-chicago
signed_on: "2025-09-01"
published_on: null
summary: "{summary}"
topics: [protest]
official_url: null
verification: reported
sources: [hostile-source]
status_history:
  - {{status: in_force, date: "2025-09-01", by: null, note: "{note}", sources: [hostile-source]}}
provisions:
  - {{key: a, label: "{label}", heading: "{heading}", modality: urges, binding: false,
     actor: hostile-actor, addressees: [hostile-actor], action: "{action}",
     summary: "{provision_summary}", text: "{text}", quoted_in: hostile-source,
     topics: [], verification: reported, sources: [hostile-source], provisions: []}}
"""
HOSTILE_ACTOR = """
- id: hostile-actor
  name: "{name}"
  kind: person
  role: "{role}"
  jurisdiction: us-il-chicago
  sources: [hostile-source]
"""
HOSTILE_SOURCE = """
- id: hostile-source
  title: "{source_title}"
  publisher: "{publisher}"
  authors: []
  url: null
  published_on: "2025-09-01"
  kind: news
  note: null
"""
HOSTILE_STATEMENT = """
- id: hostile-statement
  speaker: hostile-actor
  said_on: "2025-09-02"
  date_note: null
  setting: interview
  location: "{location}"
  subject: "{subject}"
  quote: "{quote}"
  quoted_in: hostile-source
  about: [hostile-eo-1]
  stance: opposes
  verification: reported
  sources: [hostile-source]
"""
FIELDS = [
    "number",
    "title",
    "summary",
    "note",
    "label",
    "heading",
    "action",
    "provision_summary",
    "text",
    "name",
    "role",
    "source_title",
    "publisher",
    "location",
    "subject",
    "quote",
]


def hostile(field: str) -> str:
    return HOSTILE.format(field=field)


def _yaml(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    seeds = shutil.copytree(SEEDS, folder / "seeds")
    values = {field: _yaml(hostile(field)) for field in FIELDS}
    values["number"] = _yaml("<b>7</b>")  # numbers are short
    (seeds / "documents" / "hostile-eo-1.yaml").write_text(HOSTILE_DOCUMENT.format(**values))
    for name, template in (
        ("actors.yaml", HOSTILE_ACTOR),
        ("sources.yaml", HOSTILE_SOURCE),
        ("statements.yaml", HOSTILE_STATEMENT),
    ):
        with (seeds / name).open("a", encoding="utf-8") as file:
            file.write(template.format(**values))
    with isolated_database(folder) as settings:
        app = make_app(settings)
        load_seeds(app, seeds)
        yield app.test_client()


HOSTILE_PAGES = {
    "/documents/hostile-eo-1": [f for f in FIELDS if f not in ("action", "role")],
    "/provisions/hostile-eo-1.a": [
        "number",
        "title",
        "label",
        "heading",
        "action",
        "provision_summary",
        "text",
        "name",
        "source_title",
        "publisher",
    ],
    "/actors/hostile-actor": ["name", "role", "action", "title"],
    "/documents?issuer=hostile-actor": ["title", "name"],
    "/search?q=hostile": ["title", "action"],
    "/timeline?actor=hostile-actor": ["title", "subject"],
    "/embed/provisions/hostile-eo-1.a": ["heading", "text", "name", "title"],
    "/embed/documents/hostile-eo-1": ["title", "summary", "name"],
}


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_every_text_field_is_shown_as_text_never_as_markup(hostile_client, path):
    response = hostile_client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:2000]
    assert "<script" not in body.lower() and "<b>" not in body, "markup from the data got in"
    page = Page(body)
    assert not page.all("script") and not page.all("b")
    for field in HOSTILE_PAGES[path]:
        shown = hostile(field) if field != "number" else "<b>7</b>"
        if path.startswith(("/search", "/embed")):
            shown = shown[:24]  # snippets and cards show the start of long texts
        assert shown in page.text, f"{field} is not shown as text on {path}"


def test_hostile_citation_and_snippet_stay_inside_their_fields(hostile_client):
    body = hostile_client.get("/provisions/hostile-eo-1.a").get_data(as_text=True)
    page = Page(body)
    (cite,) = page.all("input", id="cite")
    assert hostile("label") in cite["value"]
    snippet = _textarea(body, "embed-code")
    assert snippet.count("<iframe ") == 1 and snippet.endswith("</iframe>")
    assert "<script" not in snippet


def _textarea(body: str, element_id: str) -> str:
    """The text a <textarea> shows (its entities decoded), as a person copies it."""
    found = re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', body, re.S)
    assert found, f"no textarea #{element_id}"
    return "".join(Page(f"<p>{found.group(1)}</p>").text_parts)


def _tree(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from _tree(node["provisions"])


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(
    parameters=st.lists(st.tuples(st.sampled_from(["q", "type", "cursor", "topic"]), TEXT)),
    names=st.lists(st.sampled_from(["type", "topic", "signed_from"]), min_size=1, unique=True),
    values=st.lists(TEXT, min_size=3, max_size=3),
)
def test_a_facets_links_are_the_links_url_with_makes(parameters, names, values):
    """url_maker, which encodes the rest of the query once, writes url_with's very URLs."""
    url = html.url_maker("/documents", parameters, names)
    given_values = values[: len(names)]
    expected = html.url_with("/documents", parameters, dict(zip(names, given_values, strict=True)))
    assert url(*given_values) == expected


@pytest.mark.parametrize("shown", [100, 1])
def test_a_documents_relations_both_ways_are_each_ways_own_list(seeded_app, monkeypatch, shown):
    """One statement reads both ways when they fit in one page, else one statement each way
    (`shown` = 1): either way, each list is that way's own first page."""
    monkeypatch.setattr(pages, "RELATIONS_SHOWN", shown)
    order = "illinois-v-trump-2025-10-09-tro"  # enjoins a memorandum; later orders extend it
    first = {"limit": shown, "cursor": None, "sort": "date"}
    with seeded_app.test_request_context():
        outgoing, incoming = pages._relations_of(order)
        assert outgoing == list(RELATIONS.list({**first, "subject": [order]}).items)
        assert incoming == list(RELATIONS.list({**first, "object": [order]}).items)
    assert outgoing and incoming
    assert len(outgoing) + len(incoming) > shown or shown == 100


def test_a_provisions_neighbours_and_children_are_read_apart(seeded_app):
    """Read in one statement, then told apart: those under its parent (itself included), in
    document order, and those under it."""
    with seeded_app.test_request_context():
        table = PROVISIONS.model.__table__
        rows = database.session().execute(select(table).order_by(table.c.position)).all()
        provisions = PROVISIONS.read(rows)
        for provision in provisions:
            neighbours, children = explorer.neighbours_and_children(provision)
            expected = [
                other.id
                for other in provisions
                if other.document_id == provision.document_id
                and other.parent_id == provision.parent_id
            ]
            assert [other.id for other in neighbours] == expected
            assert [other.id for other in children] == provision.subprovisions
    assert any(provision.subprovisions for provision in provisions)
