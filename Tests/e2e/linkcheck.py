"""A link checker over a built site folder: every internal href/src must name a file of the
site, every #anchor an id on its page, and nothing may leave the base path."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in ("href", "src") or (tag == "use" and name == "href"):
                self.links.append(value)


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def broken_links(site: Path, base_url: str) -> list:
    base = urlsplit(base_url)
    pages = sorted(site.rglob("*.html"))
    parsed = {page: _parse(page) for page in pages}
    problems = []
    for page, collector in parsed.items():
        relative = page.relative_to(site).as_posix()
        page_url = urljoin(base_url, relative)
        for link in collector.links:
            target = urlsplit(urljoin(page_url, link))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            if not target.path.startswith(base.path):
                problems.append((relative, link, "outside the base path"))
                continue
            local = unquote(target.path[len(base.path):])
            file = site / local
            if local == "" or local.endswith("/"):
                file = site / local / "index.html"
            if not file.is_file():
                problems.append((relative, link, f"no file {file.relative_to(site)}"))
                continue
            if target.fragment and file.suffix == ".html":
                ids = parsed[file].ids if file in parsed else _parse(file).ids
                if unquote(target.fragment) not in ids:
                    problems.append((relative, link, f"no id {target.fragment}"))
    return problems
