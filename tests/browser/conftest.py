"""One gunicorn on a seeded database and one Chromium session, shared by the browser tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import (
    PROJECT_ROOT,
    BrowserUnavailable,
    chromium,
    ensure_axe,
    set_color_scheme,
    set_viewport,
)
from tests.browser.server import other_origin, served_app

# Kept after the run (build/ is ignored by git), to look at what the tests saw.
SCREENSHOTS = PROJECT_ROOT / "build" / "browser"


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    with served_app(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="session")
def axe_source() -> str:
    # A missing browser or axe-core fails the run: CI must not pass by testing nothing.
    try:
        return ensure_axe()
    except BrowserUnavailable as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def chromium_session():
    try:
        with chromium() as driver:
            yield driver
    except BrowserUnavailable as error:
        pytest.fail(str(error))


@pytest.fixture
def browser(chromium_session):
    """The shared session, reset to a 1280 px desktop, light scheme and an empty console."""
    chromium_session.switch_to.default_content()
    set_viewport(chromium_session, 1280, 900)
    set_color_scheme(chromium_session, "light")
    chromium_session.get_log("browser")
    return chromium_session


@pytest.fixture(scope="session")
def host_folder(tmp_path_factory) -> Path:
    """Pages for the other origin: tests write the host pages they need here."""
    return tmp_path_factory.mktemp("other-origin")


@pytest.fixture(scope="session")
def other_origin_url(host_folder) -> Iterator[str]:
    with other_origin(host_folder) as url:
        yield url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
