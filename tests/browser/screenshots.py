"""Write the README's screenshots (docs/screenshots/): `make screenshots`."""

# The seeds and the whole Federal Register corpus are served, as `make run` serves them, from a
# temporary SQLite database; each page type is shot at 1280 px, a document at 320 px, and the
# embed cards framed by a page of another origin.

import argparse
import json
import re
import tempfile
import time
from html import escape, unescape
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from tests.browser.chromium import PROJECT_ROOT, chromium, screenshot, set_viewport
from tests.browser.paths import PAGES, PROVISION
from tests.browser.server import CORPUS, SOME_ORDERS, fetch, other_origin, served_app

OUT = PROJECT_ROOT / "docs" / "screenshots"
# The README's pictures, by file name and path; no taller than MAX_HEIGHT CSS pixels.
DESKTOP = (
    ("home", PAGES["home"]),
    ("documents", PAGES["documents"]),
    ("document", PAGES["document"]),
    ("provision", PAGES["provision"]),
    ("actor", PAGES["actor"]),
    ("search", PAGES["search"]),
    ("timeline", PAGES["timeline"]),
    ("not-found", PAGES["not-found"]),
)
MOBILE = ("document-mobile", PAGES["document"])
MAX_HEIGHT = 1600


def with_theme(html: str, theme: str) -> str:
    """The oEmbed iframe, its card in `theme`."""

    def themed(match: re.Match) -> str:
        parts = urlsplit(unescape(match.group(1)))
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "theme"] + [("theme", theme)]
        return f'src="{escape(urlunsplit(parts._replace(query=urlencode(query))))}"'

    return re.sub(r'src="([^"]+)"', themed, html, count=1)


def embeds_page(app_url: str) -> str:
    """The other origin's page: a provision's oEmbed iframe, in the light and dark themes."""
    page = quote(f"{app_url}/provisions/{PROVISION}")
    status, _headers, body = fetch(f"{app_url}/oembed?url={page}&format=json")
    if status != 200:
        raise SystemExit(f"/oembed answered {status}: {body[:500]}")
    # Loaded eagerly, the frames hold up the page's load event, so the shot waits for them.
    html = json.loads(body)["html"].replace(' loading="lazy"', "")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embeds</title>'
        "<style>body{font-family:sans-serif;margin:24px;background:#eee}"
        "iframe{display:block;margin:0 0 24px}</style></head><body>"
        "<p>A page on another origin framing a provision's card, light then dark:</p>"
        + with_theme(html, "light")
        + with_theme(html, "dark")
        + "</body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNG files")
    parser.add_argument(
        "--quick", action="store_true", help="import one order, not the whole corpus"
    )
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        corpus = SOME_ORDERS if options.quick else (CORPUS,)
        with served_app(folder / "db", corpus, sqlite=True) as app_url, chromium() as driver:
            for name, path in DESKTOP:
                set_viewport(driver, 1280, 800)
                driver.get(app_url + path)
                screenshot(driver, options.out / f"{name}.png", MAX_HEIGHT)
            set_viewport(driver, 320, 640, mobile=True)
            driver.get(app_url + MOBILE[1])
            screenshot(driver, options.out / f"{MOBILE[0]}.png", MAX_HEIGHT)
            host = folder / "host"
            host.mkdir()
            (host / "embeds.html").write_text(embeds_page(app_url), encoding="utf-8")
            with other_origin(host) as host_url:
                set_viewport(driver, 1280, 800)
                driver.get(f"{host_url}/embeds.html")
                screenshot(driver, options.out / "embeds.png", MAX_HEIGHT)
    names = [name for name, _path in DESKTOP] + [MOBILE[0], "embeds"]
    print(f"Wrote {len(names)} screenshots to {options.out} in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
