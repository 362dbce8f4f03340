"""End-to-end fixtures: the real `proximus` binary, the real portal built into a temporary
folder, a static HTTP server on 127.0.0.1 and headless Chromium through selenium."""

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def proximus() -> Path:
    binary = os.environ.get("PROXIMUS_BIN")
    if binary:
        return Path(binary)
    subprocess.run(["swift", "build", "-c", "release", "--product", "proximus"], cwd=REPO, check=True)
    return REPO / ".build" / "release" / "proximus"


def build(proximus: Path, root: Path, output: Path, base_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(proximus), "build", str(root), "--output", str(output), "--base-url", base_url, "--force", "--quiet"],
        capture_output=True, text=True,
    )


class StaticServer:
    """Serves a folder on 127.0.0.1 as a static host would (index.html for folders)."""

    def __init__(self, folder: Path, prefix: str = "/"):
        self.folder = folder
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}{prefix}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def portal(proximus, tmp_path_factory):
    """The real portal, built for and served at http://127.0.0.1:PORT/."""
    out = tmp_path_factory.mktemp("portal") / "site"
    out.mkdir()
    # Start the server first: the base URL needs its port.
    server = StaticServer(out)
    shutil.rmtree(out)
    result = build(proximus, REPO, out, server.url)
    assert result.returncode == 0, result.stderr
    server.folder = out
    yield server, out, result
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
