"""axe-core (WCAG 2.1 A/AA rules) in headless Chromium on every page kind of the real
portal: no serious or critical violation; and nothing overflows horizontally at 375 px."""

import glob
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from test_validity import PAGE_KINDS

AXE_CACHE = REPO / ".build" / "axe"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js (axe-core 4.x) from the axe-playwright-python wheel on PyPI."""
    script = AXE_CACHE / "axe.min.js"
    if not script.is_file():
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(AXE_CACHE),
             "axe-playwright-python==0.1.8"],
            check=True,
        )
        wheel = glob.glob(str(AXE_CACHE / "axe_playwright_python-*.whl"))[0]
        with zipfile.ZipFile(wheel) as archive:
            script.write_bytes(archive.read("axe_playwright_python/axe.min.js"))
    return script.read_text(encoding="utf-8")


def page_paths(site: Path) -> list:
    factor = next(p for p in sorted((site / "factors").iterdir()) if p.is_dir())
    return [p for p in PAGE_KINDS if p != "404.html"] + [f"factors/{factor.name}/"]


def url_for(server, page: str) -> str:
    return server.url + page.removesuffix("index.html")


def test_no_serious_accessibility_violations(portal, browser, axe_source):
    server, site, _ = portal
    failures = {}
    for page in page_paths(site):
        browser.get(url_for(server, page))
        browser.execute_script(axe_source)
        result = browser.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
              .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                  target: v.nodes[0] && v.nodes[0].target.join(" ")}))))
              .catch(e => done([{id: "axe-error", impact: "critical", target: String(e)}]));
            """
        )
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        if serious:
            failures[page] = serious
    assert failures == {}


def test_nothing_overflows_at_phone_width(portal, browser):
    server, site, _ = portal
    # Chromium's headless window has a minimum width: emulate a 375 px phone viewport instead.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        overflowing = {}
        for page in page_paths(site):
            browser.get(url_for(server, page))
            width = browser.execute_script("return document.documentElement.scrollWidth")
            viewport = browser.execute_script("return document.documentElement.clientWidth")
            if width > viewport:
                overflowing[page] = (width, viewport)
        assert overflowing == {}
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
