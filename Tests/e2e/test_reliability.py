"""Hostile input and faults at the command line: never a crash, every problem with its file,
the previous site intact after a failed or killed build, no write outside the output."""

import filecmp
import os
import shutil
import signal
import subprocess
import time

from test_cli import fixture_copy, run


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_invalid_utf8_and_nul_bytes_name_the_file_and_offset(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    (root / "content/cases/latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    (root / "content/pages/nul.md").write_bytes(b"---\ntitle: A\n---\nx\x00y\n")
    result = run(proximus, "build", root)
    assert result.returncode == 1
    assert "content/cases/latin1.md:2:11: error: invalid UTF-8 at byte offset 14" in result.stderr
    assert "content/pages/nul.md:4:2: error: contains a NUL byte at byte offset 18" in result.stderr


def test_bom_and_crlf_files_build(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    (root / "content/pages/windows.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: Windows\r\nslug: windows\r\n---\r\nTexte\r\n")
    result = run(proximus, "build", root, "--base-url", "https://example.org/")
    assert result.returncode == 0, result.stderr
    assert "<h1>Windows</h1>" in (root / "site/windows/index.html").read_text()


def test_symlinks_outside_the_root_are_not_followed_and_loops_end(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "leak.md").write_text("---\ntitle: Leak\n---\nsecret\n")
    os.symlink(secret, root / "content/pages/outside")
    os.symlink(root / "content/pages", root / "content/pages/loop")
    result = run(proximus, "build", root, "--base-url", "https://example.org/")
    assert "content/pages/outside: warning: symbolic link leads outside the site root; not followed" in result.stderr
    assert "symbolic link loop" in result.stderr
    assert not (root / "site/leak").exists()


def test_pathological_markdown_is_refused_in_seconds(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    (root / "content/pages/bomb.md").write_text("---\ntitle: Bombe\n---\n" + "![[]()" * 40000 + "\n")
    start = time.monotonic()
    result = run(proximus, "build", root)
    assert time.monotonic() - start < 10
    assert result.returncode == 1
    assert "content/pages/bomb.md:4:" in result.stderr and "Markdown refused" in result.stderr


def test_a_failed_build_keeps_the_previous_site(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    assert run(proximus, "build", root, "--base-url", "https://example.org/").returncode == 0
    before = tree(root / "site")
    (root / "content/cases/bad.md").write_text("---\ntitle: [\n---\n")
    assert run(proximus, "build", root, "--base-url", "https://example.org/").returncode == 1
    assert tree(root / "site") == before
    assert not (root / "site.staging").exists()
    outside = sorted(p.name for p in root.iterdir())
    assert outside == sorted(["content", "themes", "proximus.yml", "site", ".proximus"])


def test_a_killed_build_keeps_the_previous_site_and_the_next_build_cleans_up(proximus, tmp_path):
    root = fixture_copy(tmp_path)
    # Enough pages that the build is still running when it is killed.
    for number in range(1500):
        (root / f"content/cases/extra-{number}.md").write_text(
            f"---\ntitle: Cas {number}\noutcome: success\nlocalities: [cergy]\n---\n" + "Un texte. " * 200
        )
    assert run(proximus, "build", root, "--base-url", "https://example.org/").returncode == 0
    before = tree(root / "site")
    (root / "content/cases/extra-0.md").write_text(
        "---\ntitle: Changé\noutcome: success\nlocalities: [cergy]\n---\nNouveau\n"
    )
    # Without .proximus/ every page is rendered again: the build is killed while it writes.
    shutil.rmtree(root / ".proximus")
    process = subprocess.Popen([str(proximus), "build", str(root), "--base-url", "https://example.org/", "--quiet"])
    deadline = time.monotonic() + 30
    while not (root / "site.staging").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree(root / "site") == before
    result = run(proximus, "build", root, "--base-url", "https://example.org/")
    assert result.returncode == 0, result.stderr
    assert not (root / "site.staging").exists()
    assert "Changé" in (root / "site/cases/extra-0/index.html").read_text()
