"""Each type of page and embed, rendered in Chromium: content, screenshot, console and axe."""

import json

import pytest
from selenium.webdriver.common.by import By

from tests.browser.chromium import (
    console_errors,
    describe_violations,
    run_axe,
    screenshot,
    set_viewport,
)
from tests.browser.paths import (
    DOCUMENT,
    EMBEDS,
    IMPORTED_DOCUMENT,
    PAGES,
    PROVISION,
    STATUS,
)
from tests.browser.server import fetch

# Every page and embed, and the embeds again in their dark theme (its contrast differs).
VIEWS = {
    **PAGES,
    **EMBEDS,
    **{f"{name}-dark": f"{path}?theme=dark" for name, path in EMBEDS.items()},
}
# What must be on each view: a CSS selector that matches, and text from the API's record.
SELECTORS = {
    "home": "form input[name=q]",
    "documents": f"a[href$='/documents/{DOCUMENT}']",
    "document": f"a[href$='/provisions/{PROVISION}']",
    "search": f"a[href$='/provisions/{PROVISION}']",
    "timeline": "svg",
}

# The API record whose field each view shows.
RECORDS = {
    "document": (f"/documents/{DOCUMENT}", "title"),
    "imported-document": (f"/documents/{IMPORTED_DOCUMENT}", "title"),
    "provision": (f"/provisions/{PROVISION}", "text"),
    "actor": ("/actors/chicago-police-department", "name"),
    "embed-provision": (f"/provisions/{PROVISION}", "text"),
    "embed-document": (f"/documents/{DOCUMENT}", "title"),
}


def api_record(app_url: str, path: str) -> dict:
    status, _headers, body = fetch(f"{app_url}/v1{path}")
    assert status == 200, body
    return json.loads(body)


def expected_text(app_url: str, name: str) -> str | None:
    """Text of the record a view shows, as the JSON API gives it."""
    record = RECORDS.get(name.removesuffix("-dark"))
    if record is None:
        return None
    path, field = record
    return api_record(app_url, path)[field]


def normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.mark.parametrize("name", VIEWS)
def test_view_renders_without_problems(name, app_url, browser, axe_source, screenshots):
    path = VIEWS[name]
    status, headers, _body = fetch(app_url + path)
    assert status == STATUS.get(name, 200), f"{path}: HTTP {status}"
    assert headers["Content-Type"].startswith("text/html"), headers["Content-Type"]

    browser.get(app_url + path)
    problems = []
    if not browser.title.strip():
        problems.append("the page has no <title>")
    shown = normalized(browser.execute_script("return document.body.innerText"))
    if not shown:
        problems.append("the page shows no text")
    text = expected_text(app_url, name)
    if text and normalized(text) not in shown:
        problems.append(f"the page does not show {text!r}")
    selector = SELECTORS.get(name)
    if selector and not browser.find_elements(By.CSS_SELECTOR, selector):
        problems.append(f"nothing matches {selector!r}")
    overflow = browser.execute_script(
        "const e = document.documentElement; return e.scrollWidth - e.clientWidth"
    )
    if overflow > 0:
        problems.append(f"the page scrolls sideways by {overflow} px at 1280 px")
    # The browser logs the 404 of a not-found page itself; it asks for /favicon.ico unbidden.
    ignored = ("favicon.ico", "status of 404") if name in STATUS else ("favicon.ico",)
    problems += [f"console: {message}" for message in console_errors(browser, ignored)]
    png = screenshot(browser, screenshots / f"{name}.png")
    assert png.startswith(b"\x89PNG") and len(png) > 2000
    violations = run_axe(browser, axe_source)
    if violations:
        problems.append(describe_violations(path, violations))
    assert not problems, "\n".join(problems)


def test_document_page_fits_a_320_px_phone(app_url, browser, axe_source, screenshots):
    set_viewport(browser, 320, 640, mobile=True)
    browser.get(f"{app_url}{PAGES['document']}")
    overflow = browser.execute_script(
        "const e = document.documentElement; return e.scrollWidth - e.clientWidth"
    )
    screenshot(browser, screenshots / "document-320.png")
    assert overflow <= 0, f"the document page scrolls sideways by {overflow} px at 320 px"
    violations = run_axe(browser, axe_source)
    assert not violations, describe_violations(f"{PAGES['document']} at 320 px", violations)
