"""Incremental builds on ../shared/bench/make-corpus.py --cases 1100 (two batches of case
pages; skipped when ../shared is absent): after each kind of edit, the output of a build into
the previous output is byte for byte the output of a build from scratch, and an edit in place
makes only the pages it reaches."""

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

GENERATOR = REPO.parent / "shared" / "bench" / "make-corpus.py"


def run_build(proximus: Path, root: Path, output: Path) -> str:
    result = subprocess.run(
        [str(proximus), "build", str(root), "--output", str(output), "--quiet"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr + result.stdout


def differences(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two trees (missing on one side, or other bytes)."""
    found = []
    comparison = filecmp.dircmp(left, right)
    pending = [(comparison, "")]
    while pending:
        node, prefix = pending.pop()
        found += [prefix + name for name in node.left_only + node.right_only + node.funny_files]
        for name in node.common_files:
            if not filecmp.cmp(left / prefix / name, right / prefix / name, shallow=False):
                found.append(prefix + name)
        pending += [(child, prefix + name + "/") for name, child in node.subdirs.items()]
    return found


@pytest.fixture(scope="module")
def corpus(proximus, tmp_path_factory):
    if not GENERATOR.is_file():
        pytest.skip("../shared/bench is absent")
    root = tmp_path_factory.mktemp("incremental") / "root"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(root), "--cases", "1100"], check=True, capture_output=True
    )
    return root


def edit(path: Path, pattern: str, replacement: str):
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text, f"{pattern} not in {path}"
    path.write_text(changed, encoding="utf-8")


def new_case(model: Path):
    copy = model.with_name("copie-" + model.name)
    shutil.copy(model, copy)
    edit(copy, r"^slug: (.*)$", r"slug: copie-\1")


def test_every_edit_gives_the_build_from_scratch(proximus, corpus, tmp_path):
    site = tmp_path / "site"
    run_build(proximus, corpus, site)
    cases = sorted((corpus / "content/cases").glob("*.md"))
    posts = sorted((corpus / "content/posts").glob("*.md"))
    with_description = [p for p in cases if re.search(r"^description: ", p.read_text(), re.M)]
    topics = re.findall(r"^- id: (\S+)", (corpus / "content/data/topics.yaml").read_text())
    # (name, edit, whether the build makes only the pages the edit reaches: None when it
    # depends on the corpus, as a new title may reorder a list).
    edits = [
        ("text", lambda: cases[0].write_text(cases[0].read_text() + "\nOne more sentence.\n"), True),
        ("description", lambda: edit(with_description[1], r"^description: .*$", 'description: "Autre."'), True),
        ("title", lambda: edit(cases[-1], r"^title: .*$", 'title: "Un titre, révisé"'), None),
        ("date", lambda: edit(cases[2], r"^date: .*$", "date: 2001-02-03"), False),
        ("topics", lambda: edit(cases[3], r"^topics: .*$", f"topics: [{topics[0]}]"), False),
        ("post text, touch", lambda: [posts[0].write_text(posts[0].read_text() + "\nAjout.\n"),
                                      os.utime(cases[4])], True),
        ("two texts", lambda: [p.write_text(p.read_text() + "\nEncore.\n") for p in cases[5:7]], True),
        ("new case", lambda: new_case(cases[8]), False),
    ]
    for name, make_edit, scoped in edits:
        make_edit()
        summary = run_build(proximus, corpus, site)
        if scoped is not None:
            assert ("the edits reach" in summary) == scoped, (name, summary)
        scratch = tmp_path / re.sub(r"\W+", "-", name)
        shutil.copytree(corpus, scratch / "root", ignore=shutil.ignore_patterns(".proximus"))
        run_build(proximus, scratch / "root", scratch / "site")
        assert differences(site, scratch / "site") == [], name
        shutil.rmtree(scratch)
