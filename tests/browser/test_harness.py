"""The harness itself: axe-core finds a known fault, so an empty report means something."""

from tests.browser.chromium import describe_violations, run_axe


def test_axe_reports_a_known_violation(browser, axe_source):
    browser.get(
        "data:text/html,<!doctype html><html lang=en><title>t</title><main><h1>t</h1>"
        "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></main></html>"
    )
    violations = run_axe(browser, axe_source)
    report = describe_violations("data:", violations)
    assert [violation["id"] for violation in violations] == ["image-alt"], report
    assert "image-alt (critical)" in report and "img" in report, report
