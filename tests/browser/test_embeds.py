"""Embeds framed by a page of another origin; ordinary pages refuse to be framed at all."""

import json
import re
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.chromium import screenshot, set_color_scheme, set_viewport
from tests.browser.paths import DOCUMENT, EMBEDS, IMPORTED_DOCUMENT, PAGES, PROVISION, STATUS
from tests.browser.server import fetch

# The page each embed is the card of, by oEmbed.
EMBEDDED_PAGES = {
    "embed-provision": f"/provisions/{PROVISION}",
    "embed-document": f"/documents/{DOCUMENT}",
    "embed-imported-document": f"/documents/{IMPORTED_DOCUMENT}",
}
# Measured inside the framed card: what it shows, whether it scrolls, what it loaded, and
# which boxes hide part of their content (a line clamp, which shows an ellipsis, is allowed).
_MEASURE = """
const e = document.scrollingElement || document.documentElement;
const clipped = [];
for (const box of document.body.querySelectorAll("*")) {
  const style = getComputedStyle(box);
  const clamped = style.webkitLineClamp && style.webkitLineClamp !== "none";
  if (style.overflowY !== "visible" && !clamped && box.scrollHeight > box.clientHeight + 1) {
    clipped.push(`${box.tagName.toLowerCase()}.${box.className}: ` +
                 `${box.scrollHeight} px of content in ${box.clientHeight} px`);
  }
}
return {
  text: document.body.innerText, clipped,
  scrollHeight: e.scrollHeight, clientHeight: e.clientHeight,
  scrollWidth: e.scrollWidth, clientWidth: e.clientWidth,
  resources: performance.getEntriesByType("resource").map((r) => r.name),
  scripts: document.scripts.length,
};
"""


def oembed(app_url: str, page: str, maxwidth: int | None = None) -> dict:
    query = f"url={quote(app_url + page)}&format=json"
    if maxwidth:
        query += f"&maxwidth={maxwidth}"
    status, headers, body = fetch(f"{app_url}/oembed?{query}")
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json"), headers["Content-Type"]
    return json.loads(body)


def host_page(folder, name: str, body: str) -> str:
    """An HTML page of the other origin holding `body`; its path there."""
    (folder / name).write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
        f"</head><body><h1>A page elsewhere</h1>{body}</body></html>",
        encoding="utf-8",
    )
    return f"/{name}"


@pytest.mark.parametrize("name", EMBEDDED_PAGES)
def test_oembed_answers_with_an_iframe_of_the_card(name, app_url):
    answer = oembed(app_url, EMBEDDED_PAGES[name])
    assert answer["type"] == "rich" and answer["version"] == "1.0", answer
    assert isinstance(answer["width"], int) and isinstance(answer["height"], int), answer
    assert answer["width"] > 0 and answer["height"] > 0, answer
    source = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', answer["html"])
    assert source, answer["html"]
    card = app_url + "/embed" + EMBEDDED_PAGES[name]
    assert source.group(1).replace("&amp;", "&").startswith(card), answer


def open_frame(browser) -> None:
    """Switch into the page's iframe once its card has loaded (oEmbed's iframes load lazily)."""
    WebDriverWait(browser, 10).until(
        expected_conditions.frame_to_be_available_and_switch_to_it((By.TAG_NAME, "iframe"))
    )
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script(
            "return location.href !== 'about:blank' && document.readyState === 'complete'"
        )
    )


@pytest.mark.parametrize("maxwidth", [None, 320], ids=["default-width", "maxwidth-320"])
@pytest.mark.parametrize("name", EMBEDDED_PAGES)
def test_embed_card_fits_its_frame_on_another_origin(
    name, maxwidth, app_url, browser, host_folder, other_origin_url, screenshots
):
    answer = oembed(app_url, EMBEDDED_PAGES[name], maxwidth)
    shot = f"{name}-framed{'-' + str(maxwidth) if maxwidth else ''}"
    browser.get(other_origin_url + host_page(host_folder, f"{shot}.html", answer["html"]))
    frame_height = browser.find_element(By.TAG_NAME, "iframe").size["height"]
    open_frame(browser)
    card = browser.execute_script(_MEASURE)
    browser.switch_to.default_content()
    screenshot(browser, screenshots / f"{shot}.png")

    assert card["text"].strip(), "the framed card shows nothing"
    assert not maxwidth or answer["width"] <= maxwidth, answer
    assert frame_height >= answer["height"], (frame_height, answer["height"])
    # No vertical scrollbar: the card's document is no taller than its frame...
    assert card["scrollHeight"] <= card["clientHeight"], card
    assert card["scrollWidth"] <= card["clientWidth"], card
    # ...and it does not get there by hiding what does not fit.
    assert not card["clipped"], f"{answer['html']}: cut off: {card['clipped']}"
    # Self-contained: nothing fetched beside the card itself, and no script.
    assert card["resources"] == [] and card["scripts"] == 0, card


def test_pages_refuse_to_be_framed(app_url, browser, host_folder, other_origin_url):
    page = app_url + PAGES["document"]
    frame = f'<iframe src="{page}" width="800" height="600" title="page"></iframe>'
    browser.get(other_origin_url + host_page(host_folder, "page.html", frame))
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    shown = browser.execute_script("return [document.URL, document.body.innerText]")
    browser.switch_to.default_content()
    title = json.loads(fetch(f"{app_url}/v1/documents/{DOCUMENT}")[2])["title"]
    assert title not in shown[1], f"the document page was shown in a frame ({shown[0]})"
    log = " ".join(entry["message"] for entry in browser.get_log("browser"))
    assert "frame-ancestors" in log, log


@pytest.mark.parametrize("name", PAGES)
def test_every_page_forbids_framing_by_header(name, app_url):
    _status, headers, _body = fetch(app_url + PAGES[name])
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), headers


@pytest.mark.parametrize("name", EMBEDS)
def test_embeds_may_be_framed_anywhere_and_carry_no_script(name, app_url):
    status, headers, body = fetch(app_url + EMBEDS[name])
    assert status == 200, body
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" not in policy and "X-Frame-Options" not in headers, headers
    assert "<script" not in body.lower(), "an embed carries a script"
    assert not re.search(r"<link[^>]+stylesheet", body, re.I), "an embed links a stylesheet"


@pytest.mark.parametrize("name", EMBEDS)
def test_embed_theme_auto_follows_the_reader_scheme(name, app_url, browser):
    colors = (
        "return [...document.querySelectorAll('*')].map((e) => {"
        "const s = getComputedStyle(e); return [s.color, s.backgroundColor]; })"
    )
    styles = {}
    for scheme in ("light", "dark"):
        set_color_scheme(browser, scheme)
        browser.get(f"{app_url}{EMBEDS[name]}?theme=auto")
        styles[f"auto-{scheme}"] = browser.execute_script(colors)
        browser.get(f"{app_url}{EMBEDS[name]}?theme={scheme}")
        styles[scheme] = browser.execute_script(colors)
    assert styles["auto-light"] == styles["light"]
    assert styles["auto-dark"] == styles["dark"]
    assert styles["light"] != styles["dark"], "theme=dark looks like theme=light"


def test_missing_records_have_html_not_found_pages(app_url):
    for path in (PAGES["not-found"], "/embed/provisions/no-such-id"):
        status, headers, _body = fetch(app_url + path)
        assert status == STATUS["not-found"] and headers["Content-Type"].startswith("text/html")


def record_ids(app_url: str, collection: str) -> list[str]:
    ids, page = [], f"/v1/{collection}?limit=100"
    while page:
        status, _headers, body = fetch(app_url + page)
        assert status == 200, body
        answer = json.loads(body)
        ids += [record["id"] for record in answer["data"]]
        page = answer["links"].get("next")
    return ids


def test_every_card_fits_its_oembed_height_at_320_px(app_url, browser):
    # oEmbed's height is reckoned from the text, not measured: check it for every record at
    # the narrowest width, where the most lines wrap. The viewport stands for the iframe.
    problems = []
    for collection in ("documents", "provisions"):
        for ident in record_ids(app_url, collection):
            answer = oembed(app_url, f"/{collection}/{ident}", 320)
            source = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', answer["html"]).group(1)
            set_viewport(browser, answer["width"], answer["height"])
            browser.get(source.replace("&amp;", "&"))
            card = browser.execute_script(_MEASURE)
            if card["clipped"] or card["scrollHeight"] > card["clientHeight"]:
                problems.append(
                    f"/embed/{collection}/{ident} in {answer['width']}x{answer['height']}: "
                    f"{card['scrollHeight']} px tall; cut off: {card['clipped']}"
                )
    assert not problems, "\n".join(problems)
