"""Every internal link of the real portal resolves, at / and under a sub-path (Hugo #8078)."""

import shutil

from conftest import REPO, build
from linkcheck import broken_links


def test_real_portal_links_resolve_at_the_root(portal):
    server, site, _ = portal
    assert broken_links(site, server.url) == []


def test_real_portal_links_resolve_under_a_sub_path(proximus, tmp_path):
    site = tmp_path / "site"
    result = build(proximus, REPO, site, "https://example.org/portail/")
    assert result.returncode == 0, result.stderr
    assert broken_links(site, "https://example.org/portail/") == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="/portail/cases/"' in home
    assert 'href="/cases/' not in home


def test_fixture_site_under_a_sub_path(proximus, tmp_path):
    site = tmp_path / "site"
    # A copy: a build writes its cache into the root's .proximus/, not into the repository.
    root = tmp_path / "root"
    shutil.copytree(REPO / "Tests" / "SiteTests" / "Fixtures" / "basic", root)
    result = build(proximus, root, site, "https://example.org/portail/")
    assert result.returncode == 0, result.stderr
    assert broken_links(site, "https://example.org/portail/") == []


def test_the_real_portal_builds_without_warnings(portal):
    _, _, result = portal
    assert result.stderr == ""
