"""The command line as contributors and publishers use it: exit statuses, error format,
`new` scaffolds that build, `check` reporting broken links and references with file and line."""

import shutil
import subprocess

from conftest import REPO

FIXTURE = REPO / "Tests" / "SiteTests" / "Fixtures" / "basic"


def run(proximus, *arguments, cwd=None):
    return subprocess.run([str(proximus), *map(str, arguments)], capture_output=True, text=True, cwd=cwd, timeout=120)


def fixture_copy(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    return root


def test_usage_errors_exit_2(proximus, tmp_path):
    assert run(proximus, "build", "--no-such-flag").returncode == 2
    assert run(proximus, "frobnicate").returncode == 2
    root = fixture_copy(tmp_path)
    refused = run(proximus, "build", root, "--output", root / "content")
    assert refused.returncode == 2
    assert "refusing to use" in refused.stderr and "inside content/" in refused.stderr


def test_content_errors_exit_1_with_file_line_column_and_caret(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    (root / "content/cases/bad.md").write_text("---\ntitle: Mauvais\noutcome: great\ntopics: [inconnu]\n---\n")
    result = run(proximus, "build", root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/cases/bad.md:3:10: error: 'outcome' must be one of success, mixed, failure, ongoing, not 'great'" in lines
    assert "content/cases/bad.md:4:10: error: unknown topic 'inconnu' (not in content/data/topics.yaml)" in lines
    assert "    topics: [inconnu]" in lines and "             ^" in lines
    assert lines[-1].startswith("error: build failed with 2 errors")
    assert not (root / "site").exists()


def test_new_case_writes_a_file_that_builds(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    result = run(proximus, "new", "case", "Jardin partagé à Cergy", "--root", root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/cases/jardin-partage-a-cergy.md"
    text = (root / result.stdout.strip()).read_text()
    assert "title: \"Jardin partagé à Cergy\"" in text and "# nom du projet" in text
    english = run(proximus, "new", "case", "Shared garden", "--root", root, "--lang", "en")
    assert english.stdout.strip() == "content/cases/shared-garden.en.md"
    assert "# name of the project" in (root / english.stdout.strip()).read_text()
    for kind, title in [("post", "Une nouvelle"), ("page", "Nous contacter")]:
        assert run(proximus, "new", kind, title, "--root", root).returncode == 0
    again = run(proximus, "new", "case", "Jardin partagé à Cergy", "--root", root)
    assert again.returncode == 1 and "already exists" in again.stderr
    built = run(proximus, "build", root, "--base-url", "https://example.org/")
    assert built.returncode == 0, built.stderr
    assert (root / "site/cases/jardin-partage-a-cergy/index.html").is_file()
    assert (root / "site/en/cases/shared-garden/index.html").is_file()


def test_check_reports_broken_links_and_anchors_and_writes_nothing(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    case = root / "content/cases/covoiturage.md"
    case.write_text(case.read_text() + "\nVoir [rien](/cases/nulle-part/) et [ancre](#absente).\n")
    result = run(proximus, "check", root)
    assert result.returncode == 1
    assert "content/cases/covoiturage.md:16:13: error: broken link '/portail/cases/nulle-part/'" in result.stderr
    assert "content/cases/covoiturage.md:16:44: error: broken link '#absente'" in result.stderr
    assert not (root / "site").exists()
    case.write_text(case.read_text().replace("/cases/nulle-part/", "/cases/jardins/").replace("#absente", "#fn-1"))
    (root / "content/cases/covoiturage.md").write_text(case.read_text())
    ok = run(proximus, "check", root)
    assert "broken link '/portail" not in ok.stderr


def test_the_real_portal_checks_clean(proximus):
    result = run(proximus, "check", REPO)
    assert result.returncode == 0, result.stderr
    assert "checked" in result.stdout


def test_timings_print_each_phase_with_time_processor_time_and_memory(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    result = run(proximus, "build", root, "--timings", "--quiet")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stderr.splitlines() if " s" in line}
    for phase in ["load", "markdown", "assemble", "render", "index", "export", "write"]:
        name, seconds, unit, cpu_label, cpu, cpu_unit, peak_label, peak, mib = rows[phase]
        assert (unit, cpu_label, cpu_unit, peak_label, mib) == ("s", "cpu", "s", "peak", "MiB")
        assert float(seconds) >= 0 and float(cpu) >= 0 and int(peak) > 0
    for background in ["(index)", "(export)"]:
        assert rows[background][2] == "s" and len(rows[background]) == 3
