"""Headless Chromium through Selenium: install when missing, start, run axe, take screenshots."""

import base64
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_HINT = "apt-get install -y chromium chromium-driver"
# Debian's packages: a browser downloaded by a test tool cannot be fetched on these machines.
PACKAGES = ("chromium", "chromium-driver")
# This machine's network is closed: without these, Chromium keeps trying to reach Google's
# hosts in the background (see the env notes on Chromium).
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--lang=en-US",
    "--window-size=1280,900",
)


class BrowserUnavailable(RuntimeError):
    """Chromium, its driver or axe-core is missing and could not be installed."""


def _programs() -> tuple[str | None, str | None]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    return browser, shutil.which("chromedriver")


def ensure_chromium() -> tuple[str, str]:
    """Paths of Chromium and ChromeDriver, installing Debian's packages (as root) when missing."""
    browser, driver = _programs()
    if browser and driver:
        return browser, driver
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise BrowserUnavailable(f"Chromium or ChromeDriver is missing; run: {INSTALL_HINT}")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES],
    ):
        result = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=900
        )
        if result.returncode != 0:
            raise BrowserUnavailable(
                f"`{' '.join(command)}` failed ({result.returncode}): {result.stderr[-2000:]}"
            )
    browser, driver = _programs()
    if not (browser and driver):
        raise BrowserUnavailable(f"Chromium is still missing after: {INSTALL_HINT}")
    return browser, driver


def _pinned_axe_version() -> str:
    manifest = json.loads((PROJECT_ROOT / "package.json").read_text())
    return manifest["devDependencies"]["axe-core"]


def ensure_axe() -> str:
    """axe-core's source, as pinned in package.json (installed with `npm ci` when missing)."""
    installed = AXE_PATH.parent / "package.json"
    wanted = _pinned_axe_version()
    if not installed.exists() or json.loads(installed.read_text())["version"] != wanted:
        if shutil.which("npm") is None:
            raise BrowserUnavailable("axe-core is not installed and npm is missing: run `npm ci`")
        result = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0 or not AXE_PATH.exists():
            raise BrowserUnavailable(f"`npm ci` failed: {result.stderr[-2000:]}")
    return AXE_PATH.read_text(encoding="utf-8")


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """One headless Chromium session, quit afterwards."""
    browser, driver_path = ensure_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    # The console is read to catch pages whose styles or scripts the CSP blocked.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path keeps Selenium Manager from trying to download one.
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def set_viewport(driver: webdriver.Chrome, width: int, height: int, mobile: bool = False) -> None:
    """The CSS viewport the next screenshots and layout checks see."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


def set_color_scheme(driver: webdriver.Chrome, scheme: str) -> None:
    """Emulate prefers-color-scheme (light or dark)."""
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )


def screenshot(driver: webdriver.Chrome, path: Path, max_height: int = 2400) -> bytes:
    """A PNG of the page from its top, as tall as its content up to `max_height` CSS pixels."""
    width, height = driver.execute_script(
        "return [window.innerWidth,"
        " Math.max(document.documentElement.scrollHeight, window.innerHeight)];"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, max_height), "scale": 1},
        },
    )
    data = base64.b64decode(shot["data"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


# Runs in the page: axe's violations, cut down to what a report needs.
_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {iframes: false, resultTypes: ["violations"]}).then(
  (results) => done(results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary,
                                html: n.html.slice(0, 200)})),
  }))),
  (error) => done({error: String(error)}),
);
"""


def run_axe(driver: webdriver.Chrome, axe_source: str) -> list[dict]:
    """axe-core's violations on the page now open (all rules but the experimental ones)."""
    driver.execute_script(axe_source)
    result = driver.execute_async_script(_RUN_AXE)
    if isinstance(result, dict):
        raise RuntimeError(f"axe-core failed: {result['error']}")
    return result


def describe_violations(page: str, violations: list[dict]) -> str:
    """A report a person can act on: rule, impact, help, then each element and why."""
    lines = [f"{page}: {len(violations)} axe-core violation(s)"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
            lines.append(f"      {node['html']}")
    return "\n".join(lines)


def console_errors(driver: webdriver.Chrome, ignore: tuple[str, ...] = ()) -> list[str]:
    """The console's errors since last asked, but for messages containing an `ignore` text."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not any(text in entry["message"] for text in ignore)
    ]
