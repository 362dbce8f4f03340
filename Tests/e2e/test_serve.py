"""`proximus serve`: the in-memory site over HTTP, its refusals (traversal, foreign Host and
Origin, symlinks out of the root, busy port) and live reload with the error overlay in Chromium."""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO

FIXTURE = REPO / "Tests" / "SiteTests" / "Fixtures" / "basic"
CASE_URL = "/cases/jardins/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`proximus serve` on a free port of 127.0.0.1, against a copy of the fixture site."""

    def __init__(self, proximus: Path, root: Path, port: int):
        self.port = port
        self.root = root
        self.process = subprocess.Popen(
            [str(proximus), "serve", str(root), "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.monotonic() + 10
        self.banner = ""
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.banner += line
            if line.startswith("Serving "):
                return
        self.stop()
        raise AssertionError(f"server did not start:\n{self.banner}")

    def request(self, path: str, headers: dict | None = None, method: str = "GET"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.putrequest(method, path, skip_host=bool(headers and "Host" in headers))
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = b"" if path.startswith("/__proximus/events") and response.status == 200 else response.read()
            return response.status, dict(response.getheaders()), body
        finally:
            connection.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def site_copy(tmp_path: Path) -> Path:
    root = tmp_path / "site-root"
    shutil.copytree(FIXTURE, root)
    # The fixture's own UI strings lag behind the default theme's; use the embedded ones.
    shutil.rmtree(root / "themes" / "default" / "i18n", ignore_errors=True)
    return root


@pytest.fixture
def served(proximus, tmp_path):
    root = site_copy(tmp_path)
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("TOP-SECRET-OUTSIDE\n")
    (root / "content" / "static" / "leak.txt").symlink_to(outside)
    server = Server(proximus, root, free_port())
    try:
        yield server
    finally:
        server.stop()


def test_pages_are_served_with_the_reload_script(served):
    status, headers, body = served.request("/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-cache"
    html = body.decode()
    assert '<script src="/__proximus/live-reload.js?v=' in html
    if "</body>" in html:  # the fixture's template leaves the optional end tag out
        assert html.index("/__proximus/live-reload.js") < html.rindex("</body>")
    status, _, body = served.request(CASE_URL)
    assert status == 200 and b"/__proximus/live-reload.js" in body
    status, headers, _ = served.request(CASE_URL.rstrip("/"))
    assert status == 301 and headers["Location"] == CASE_URL
    status, headers, body = served.request("/__proximus/live-reload.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert headers["Cache-Control"] == "max-age=31536000, immutable"  # its URL carries a hash
    assert b"proximus-error-overlay" in body
    status, headers, _ = served.request("/img/logo.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    status, headers, body = served.request("/no/such/page/")
    assert status == 404 and b"/__proximus/live-reload.js" in body
    # Nothing was written: the in-memory build has no output folder.
    assert not (served.root / "site").exists()


@pytest.mark.parametrize("path", [
    "/..%2f..%2fetc/passwd", "/%2e%2e/", "/%c0%ae%c0%ae/", "/a%00b", "/%252e%252e/",
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%5c..%5cetc%5cpasswd",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/img%2flogo.png", "/%252e%252e/%252e%252e/etc/passwd",
])
def test_traversal_attempts_get_404(served, path):
    status, _, body = served.request(path)
    assert status == 404
    assert b"root:" not in body


def test_foreign_host_gets_403(served):
    status, _, _ = served.request("/", {"Host": "evil.example"})
    assert status == 403
    status, _, _ = served.request("/", {"Host": f"127.0.0.1.evil.example:{served.port}"})
    assert status == 403
    status, _, _ = served.request("/", {"Host": f"localhost:{served.port}"})
    assert status == 200


def test_foreign_origin_on_events_gets_403(served):
    status, _, _ = served.request("/__proximus/events", {"Origin": "http://evil.example"})
    assert status == 403
    status, headers, _ = served.request(
        "/__proximus/events", {"Origin": f"http://127.0.0.1:{served.port}"})
    assert status == 200 and headers["Content-Type"].startswith("text/event-stream")


def test_symlink_out_of_the_root_is_not_served(served):
    status, _, body = served.request("/leak.txt")
    assert status == 404
    assert b"TOP-SECRET" not in body


def test_busy_port_exits_1_naming_the_port(proximus, tmp_path):
    root = site_copy(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(proximus), "serve", str(root), "--port", str(port)],
            capture_output=True, text=True, timeout=10,
        )
    assert result.returncode == 1
    assert str(port) in result.stderr
    assert "in use" in result.stderr


def test_ctrl_c_stops_cleanly_and_deletes_nothing(proximus, tmp_path):
    root = site_copy(tmp_path)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    server = Server(proximus, root, free_port())
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=5) == 0
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def wait_until(condition, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met within %.0f s" % timeout)


def test_live_reload_and_error_overlay(proximus, tmp_path, browser):
    from selenium.webdriver.common.by import By

    root = site_copy(tmp_path)
    page = root / "content" / "cases" / "jardins.md"
    original = page.read_text()
    server = Server(proximus, root, free_port())
    try:
        browser.get(f"http://127.0.0.1:{server.port}{CASE_URL}")
        browser.execute_script("window.__notReloaded = true;")
        # Let the event stream connect before the first change.
        time.sleep(0.5)

        marker = "Texte ajouté pendant le test de rechargement"
        start = time.monotonic()
        page.write_text(original + f"\n{marker}\n")
        wait_until(lambda: marker in browser.page_source)
        latency = time.monotonic() - start
        print(f"\nsave-to-browser latency: {latency * 1000:.0f} ms")
        # The page runs no script of its own: its body was swapped in, without a reload.
        assert browser.execute_script("return window.__notReloaded === true")

        # A stylesheet-only change swaps the stylesheet without reloading the page.
        browser.execute_script("window.__notReloaded = true;")
        style = root / "themes" / "default" / "assets" / "style.css"
        style.write_text(style.read_text() + "\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
        outline = "return getComputedStyle(document.body).outlineColor"
        wait_until(lambda: browser.execute_script(outline) == "rgb(1, 2, 3)")
        assert browser.execute_script("return window.__notReloaded === true")

        # Broken front matter: the overlay names the file and line, over the last good page.
        page.write_text(re.sub(r"^title: .*$", "title: [", original, count=1, flags=re.M))
        overlay = wait_until(lambda: browser.find_elements(By.ID, "proximus-error-overlay"))[0]
        assert overlay.get_attribute("role") == "alertdialog"
        text = overlay.text
        assert re.search(r"content/cases/jardins\.md:\d+(:\d+)?", text), text
        assert "YAML" in text or "yaml" in text

        # A page loaded while the build is broken shows the overlay at once.
        browser.get(f"http://127.0.0.1:{server.port}/")
        wait_until(lambda: browser.find_elements(By.ID, "proximus-error-overlay"))

        # Fixed (written through a rename, as many editors do): the overlay goes.
        temporary = page.with_name(".jardins.md.swp")
        temporary.write_text(original)
        os.replace(temporary, page)
        wait_until(lambda: not browser.find_elements(By.ID, "proximus-error-overlay"))
        assert "Jardins" in browser.page_source
    finally:
        server.stop()
