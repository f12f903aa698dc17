"""Embeddable cards and oEmbed: self-contained, small, framable, themed, and found by URL.

What the cards look like in a browser, framed by another origin, is checked by
tests/browser/test_embeds.py; these tests read the HTML and the headers.
"""

import re
import shutil
from urllib.parse import quote

import pytest
from sqlalchemy import select

from api.presentation import cards
from api.storage import database
from api.storage.models import Document, Provision
from tests.conftest import (
    CHICAGO_ORDER,
    SEEDS,
    assert_problem,
    isolated_database,
    load_seeds,
    make_app,
)
from tests.test_pages import Page

PROVISION = "chicago-eo-2025-6.p6"
EMBEDS = [f"/embed/provisions/{PROVISION}", f"/embed/documents/{CHICAGO_ORDER}"]
LIMIT = 15 * 1024


def card(response) -> Page:
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def oembed(client, url: str, **parameters):
    query = "&".join(f"{key}={value}" for key, value in parameters.items())
    return client.get(f"/oembed?url={quote(url, safe='')}" + (f"&{query}" if query else ""))


@pytest.mark.parametrize("path", EMBEDS)
def test_a_card_is_one_self_contained_page(client, path):
    response = client.get(path)
    page = card(response)
    body = response.get_data(as_text=True)
    assert len(response.data) < LIMIT
    assert page.all("html")[0]["lang"] == "en" and page.all("title")
    assert len(page.all("main")) == 1 and [level for level, _ in page.headings] == [1]
    assert len(page.all("style")) == 1, "its style is inline"
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert not page.all("iframe") and not page.all("form")
    assert not re.search(r"url\(|@import|https?://(?!localhost/)", _style(body)), "loads nothing"
    links = page.all("a")
    assert links and all(link["target"] == "_top" for link in links)
    assert all(link["href"].startswith("http://localhost/") for link in links)


def test_a_provision_card_shows_its_typing_text_document_date_and_status(client):
    record = client.get(f"/v1/provisions/{PROVISION}").get_json()
    document = client.get(f"/v1/documents/{CHICAGO_ORDER}").get_json()
    page = card(client.get(f"/embed/provisions/{PROVISION}"))
    assert "Urges" in page.text and "Not binding" in page.text
    for addressee in record["addressees"]:
        name = client.get(f"/v1/actors/{addressee}").get_json()["name"]
        assert f"To {name}" in page.text
    assert record["text"] in page.text and page.all("blockquote")
    assert document["number"] in page.text and "30 Aug 2025" in page.text
    assert "In force" in page.text
    assert "news report" in page.text, "it says the record rests on a news report"
    assert page.all("a", href=f"http://localhost/provisions/{PROVISION}", target="_top")


def test_a_document_card_shows_title_summary_date_status_and_link(client):
    document = client.get(f"/v1/documents/{CHICAGO_ORDER}").get_json()
    page = card(client.get(f"/embed/documents/{CHICAGO_ORDER}"))
    assert document["title"] in page.text
    assert document["summary"][:200] in page.text
    assert "Signed 30 Aug 2025" in page.text and "In force" in page.text
    assert page.all("a", href=f"http://localhost/documents/{CHICAGO_ORDER}", target="_top")


def test_only_a_reported_record_says_it_rests_on_a_news_report():
    document = {
        "type": "executive_order",
        "number": "13900",
        "title": "A title",
        "summary": "A summary.",
        "signed_on": None,
        "status": "in_force",
        "verification": "official",
    }
    official = cards.document_card(document, "An issuer", None, "http://localhost/x")
    reported = cards.document_card(
        {**document, "verification": "reported"}, "An issuer", None, "http://localhost/x"
    )
    assert official.note is None and "news report" in reported.note
    assert official.meta == "Status: In force", "an unknown date is left out"


@pytest.mark.parametrize("path", EMBEDS)
def test_cards_may_be_framed_anywhere_set_no_cookie_and_are_conditional(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "'none'" in policy.split("frame-ancestors")[0]
    assert policy.startswith("default-src 'none'") and "script-src" not in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and "Set-Cookie" not in again.headers
    assert "max-age" in response.headers["Cache-Control"]


def test_only_cards_may_be_framed(client):
    for path in ("/", "/documents", f"/provisions/{PROVISION}", "/timeline", "/v1/documents"):
        assert "frame-ancestors 'none'" in client.get(path).headers["Content-Security-Policy"]
    oembed_policy = oembed(client, f"http://localhost/provisions/{PROVISION}").headers
    assert "frame-ancestors 'none'" in oembed_policy["Content-Security-Policy"]


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
@pytest.mark.parametrize("width", [200, 320, 1000])
def test_themes_and_widths(client, theme, width):
    body = card(client.get(f"{EMBEDS[0]}?theme={theme}&width={width}"))
    style = _style(client.get(f"{EMBEDS[0]}?theme={theme}&width={width}").get_data(as_text=True))
    assert f"max-width:{width}px" in style
    assert ("#15191f" in style) == (theme != "light"), "dark colours only when asked"
    assert ("prefers-color-scheme" in style) == (theme == "auto")
    assert body.text


def test_themes_differ_and_the_default_is_light(client):
    styles = {
        theme: _style(client.get(f"{EMBEDS[0]}?theme={theme}").get_data(as_text=True))
        for theme in ("light", "dark")
    }
    assert styles["light"] != styles["dark"]
    assert _style(client.get(EMBEDS[0]).get_data(as_text=True)) == styles["light"]


@pytest.mark.parametrize(
    "query",
    ["theme=sepia", "theme=", "width=199", "width=1001", "width=abc", "width=-5", "width=1e3"],
)
def test_bad_theme_or_width_is_a_400_page(client, query):
    response = client.get(f"{EMBEDS[0]}?{query}")
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = Page(response.get_data(as_text=True))
    assert page.headings[0] == (1, "400 Bad Request")
    assert not page.all("link"), "the error card is self-contained too"
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert_problem(client.get(f"{EMBEDS[0]}?{query}", headers={"Accept": "application/json"}), 400)


@pytest.mark.parametrize(
    "path", ["/embed/provisions/no-such-id", "/embed/documents/no-such-id", "/embed/documents/A_B"]
)
def test_a_missing_record_is_a_404_card(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert Page(response.get_data(as_text=True)).headings[0] == (1, "404 Not Found")


def test_every_seeded_card_is_under_15_kb(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        session = database.session()
        documents = session.scalars(select(Document.id)).all()
        provisions = session.scalars(select(Provision.id)).all()
    for path in [f"/embed/documents/{i}" for i in documents] + [
        f"/embed/provisions/{i}" for i in provisions
    ]:
        response = client.get(f"{path}?width=1000&theme=auto")
        assert response.status_code == 200, path
        assert len(response.data) < LIMIT, (path, len(response.data))


# --- A record as long as the longest there are, full of characters to escape ----------------

LONG = "Whereas <the> Secretary & the \"Director\" shall 'act' " * 250  # about 13,000 characters
LONG_DOCUMENT = """\
id: long-eo-1
type: executive_order
number: "99999"
title: "{title}"
issuer: brandon-johnson
jurisdiction: us-il-chicago
signed_on: "2025-09-01"
published_on: null
summary: "{text}"
topics: []
official_url: null
verification: reported
sources: [cnn-2025-08-30-chicago-mayor-order]
status_history:
  - {{status: in_force, date: "2025-09-01", by: null, note: null,
     sources: [cnn-2025-08-30-chicago-mayor-order]}}
provisions:
  - {{key: a, label: "Sec. 1", heading: "{short}", modality: directs, binding: true,
     actor: brandon-johnson, addressees: [{addressees}], action: "{short}",
     summary: "{text}", text: null, quoted_in: null,
     topics: [], verification: reported, sources: [cnn-2025-08-30-chicago-mayor-order],
     provisions: []}}
"""


@pytest.fixture(scope="module")
def long_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    seeds = shutil.copytree(SEEDS, folder / "seeds")
    addressees = ", ".join(
        ["chicago-police-department", "federal-officers-in-chicago", "donald-j-trump"]
    )
    (seeds / "documents" / "long-eo-1.yaml").write_text(
        LONG_DOCUMENT.format(
            title=LONG[:900].replace('"', '\\"'),
            short=LONG[:480].rstrip().replace('"', '\\"'),
            text=LONG.replace('"', '\\"'),
            addressees=addressees,
        )
    )
    with isolated_database(folder) as settings:
        app = make_app(settings)
        load_seeds(app, seeds)
        yield app.test_client()


@pytest.mark.parametrize("path", ["/embed/provisions/long-eo-1.a", "/embed/documents/long-eo-1"])
def test_the_longest_record_still_makes_a_small_card(long_client, path):
    response = long_client.get(f"{path}?width=1000&theme=auto")
    page = card(response)
    assert len(response.data) < LIMIT
    assert "Whereas <the> Secretary &" in page.text, "escaped, not dropped"
    assert page.text.count("Whereas") < 40, "long texts are cut before they are sent"
    assert "…" in page.text


def test_the_longest_record_asks_for_a_bounded_frame(long_client):
    answer = oembed(long_client, "http://localhost/provisions/long-eo-1.a").get_json()
    short = oembed(long_client, f"http://localhost/provisions/{PROVISION}").get_json()
    assert short["height"] < answer["height"] <= 600
    narrow = oembed(long_client, "http://localhost/provisions/long-eo-1.a", maxwidth=240)
    assert narrow.get_json()["height"] >= answer["height"], "narrower is no shorter"


# --- oEmbed -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (f"http://localhost/provisions/{PROVISION}", f"/embed/provisions/{PROVISION}"),
        (f"http://localhost/documents/{CHICAGO_ORDER}", f"/embed/documents/{CHICAGO_ORDER}"),
        (f"http://localhost/embed/provisions/{PROVISION}", f"/embed/provisions/{PROVISION}"),
        (f"https://localhost/documents/{CHICAGO_ORDER}/", f"/embed/documents/{CHICAGO_ORDER}"),
        (f"http://LOCALHOST/documents/{CHICAGO_ORDER}#x", f"/embed/documents/{CHICAGO_ORDER}"),
    ],
)
def test_oembed_answers_a_rich_iframe_of_the_card(client, url, embed):
    response = oembed(client, url, format="json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    answer = response.get_json()
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert answer["provider_name"] == "provisions"
    assert answer["provider_url"] == "http://localhost/"
    assert isinstance(answer["cache_age"], int) and answer["cache_age"] > 0
    assert answer["title"]
    assert isinstance(answer["width"], int) and isinstance(answer["height"], int)
    frame = Page(answer["html"]).all("iframe")
    assert len(frame) == 1 and frame[0]["title"]
    assert frame[0]["src"].startswith(f"http://localhost{embed}?width=")
    assert int(frame[0]["width"]) == answer["width"]
    assert int(frame[0]["height"]) == answer["height"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert card(client.get(frame[0]["src"].removeprefix("http://localhost"))).text


def test_oembed_respects_maxwidth_and_maxheight(client):
    url = f"http://localhost/provisions/{PROVISION}"
    plain = oembed(client, url).get_json()
    narrow = oembed(client, url, maxwidth=320, maxheight=1000).get_json()
    assert plain["width"] == 500 and narrow["width"] == 320
    assert "width=320" in narrow["html"]
    assert narrow["height"] >= plain["height"]
    wide = oembed(client, url, maxwidth=5000).get_json()
    assert wide["width"] == 500
    short = oembed(client, url, maxheight=160).get_json()
    assert short["height"] == 160
    assert oembed(client, url, maxwidth=199).status_code == 404
    assert oembed(client, url, maxheight=100).status_code == 404


def test_oembed_keeps_the_theme_of_a_card_url(client):
    answer = oembed(client, f"http://localhost/embed/documents/{CHICAGO_ORDER}?theme=dark")
    assert "theme=dark" in answer.get_json()["html"]
    ignored = oembed(client, f"http://localhost/embed/documents/{CHICAGO_ORDER}?theme=x")
    assert "theme=" not in ignored.get_json()["html"]


@pytest.mark.parametrize(
    "url",
    [
        f"http://example.com/provisions/{PROVISION}",
        f"http://localhost.example.com/provisions/{PROVISION}",
        f"http://localhost:8081/provisions/{PROVISION}",
        f"ftp://localhost/provisions/{PROVISION}",
        f"//localhost/provisions/{PROVISION}",
        "http://localhost/",
        "http://localhost/documents",
        "http://localhost/timeline",
        f"http://localhost/actors/{'brandon-johnson'}",
        f"http://localhost/v1/provisions/{PROVISION}",
        f"http://localhost/provisions/{PROVISION}/more",
        "http://localhost/provisions/no-such-provision",
        "http://localhost/documents/no-such-document",
        "http://localhost/documents/UPPER",
        "http://localhost/documents/%2e%2e",
        "http://[::1/documents/x",
        "not a url at all",
        "javascript:alert(1)",
    ],
)
def test_oembed_is_404_for_a_url_not_of_our_pages(client, url):
    assert_problem(oembed(client, url), 404)


@pytest.mark.parametrize("format_", ["xml", "XML", "", "jsonp"])
def test_oembed_is_501_for_a_format_other_than_json(client, format_):
    response = oembed(client, f"http://localhost/provisions/{PROVISION}", format=format_)
    assert_problem(response, 501)


@pytest.mark.parametrize(
    "query", ["", "url=", "format=json", "url=x&maxwidth=wide", "url=x&maxheight=0"]
)
def test_oembed_is_400_for_bad_parameters(client, query):
    assert_problem(client.get(f"/oembed?{query}"), 400)


def test_oembed_answers_are_conditional(client):
    response = oembed(client, f"http://localhost/provisions/{PROVISION}")
    again = client.get(
        response.request.full_path, headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_cards_and_oembed_are_out_of_the_api_spec(client):
    spec = client.get("/v1/openapi.json").get_json()
    paths = set(spec["paths"])
    assert not {p for p in paths if not p.startswith("/v1") and p not in ("/healthz", "/readyz")}
    assert not {p for p in paths if "embed" in p}


def _style(body: str) -> str:
    found = re.search(r"<style>(.*?)</style>", body, re.S)
    assert found, "no inline style"
    return found.group(1)
