"""The knowledge pages at scale, on ../shared/bench/make-corpus.py --cases 1000 (skipped when
../shared is absent): every case, locality, country, topic and factor page exists; the open
data agree with the content; the feed is Atom; the sitemap lists every page."""

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from conftest import REPO, build

GENERATOR = REPO.parent / "shared" / "bench" / "make-corpus.py"


@pytest.fixture(scope="module")
def corpus(proximus, tmp_path_factory):
    if not GENERATOR.is_file():
        pytest.skip("../shared/bench is absent")
    root = tmp_path_factory.mktemp("corpus") / "root"
    subprocess.run([sys.executable, str(GENERATOR), str(root), "--cases", "1000"], check=True, capture_output=True)
    site = root.parent / "site"
    result = build(proximus, root, site, "https://example.org/")
    assert result.returncode == 0, result.stderr
    return root, site


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_every_knowledge_page_exists(corpus):
    root, site = corpus
    cases = [front_matter(p) for p in sorted((root / "content/cases").glob("*.md"))]
    missing = []
    for case in cases:
        prefix = "" if case.get("lang", "fr") == "fr" else case["lang"] + "/"
        if not (site / prefix / "cases" / case["slug"] / "index.html").is_file():
            missing.append(case["slug"])
    with open(root / "content/data/localities.csv", encoding="utf-8") as handle:
        localities = list(csv.DictReader(handle))
    for locality in localities:
        for prefix in ("", "en/"):
            if not (site / prefix / "localities" / locality["id"] / "index.html").is_file():
                missing.append(prefix + locality["id"])
    countries = {locality["country"].lower() for locality in localities}
    missing += [c for c in countries if not (site / "countries" / c / "index.html").is_file()]
    topics = yaml.safe_load((root / "content/data/topics.yaml").read_text())
    missing += [t["id"] for t in topics if not (site / "topics" / t["id"] / "index.html").is_file()]
    factors = yaml.safe_load((root / "content/data/factors.yaml").read_text())
    for entry in factors["success"] + factors["failure"]:
        page = site / "factors" / entry["id"] / "index.html"
        if not page.is_file():
            missing.append(entry["id"])
        elif 'class="factor-chart"' not in page.read_text(encoding="utf-8"):
            missing.append(entry["id"] + " (chart)")
    assert missing == []


def test_open_data_agree_with_the_content(corpus):
    root, site = corpus
    slugs = sorted((front_matter(p)["slug"], front_matter(p).get("lang", "fr")) for p in (root / "content/cases").glob("*.md"))
    data = json.loads((site / "data/cases.json").read_text())
    assert data["count"] == len(slugs) == len(data["cases"])
    assert sorted((c["slug"], c["lang"]) for c in data["cases"]) == slugs
    with open(site / "data/cases.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if not row["slug"].startswith("#")]
    assert sorted((r["slug"], r["lang"]) for r in rows) == slugs
    geo = json.loads((site / "data/localities.geojson").read_text())
    with open(root / "content/data/localities.csv", encoding="utf-8") as handle:
        ids = sorted(row["id"] for row in csv.DictReader(handle))
    assert sorted(f["id"] for f in geo["features"]) == ids
    cited = sum(len(c["localities"]) for c in data["cases"])
    assert sum(f["properties"]["case_count"] for f in geo["features"]) <= cited


def test_feed_is_atom_and_sitemap_lists_every_page(corpus):
    _, site = corpus
    feed = ElementTree.parse(site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.tag == atom + "feed"
    for required in ("id", "title", "updated"):
        assert feed.find(atom + required) is not None
    entries = feed.findall(atom + "entry")
    assert entries and all(e.find(atom + "id") is not None and e.find(atom + "updated") is not None for e in entries)
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    listed = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {"https://example.org/" + p.relative_to(site).as_posix().removesuffix("index.html")
             for p in site.rglob("index.html")}
    assert listed == pages
