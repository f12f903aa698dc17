"""The HTML pages and embeds, tested in headless Chromium with axe-core."""
