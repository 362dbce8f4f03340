"""French pages carry no English UI words and English pages no French ones; every
translation links to the other both ways."""

import re

import yaml

from conftest import REPO


def ui_strings(language):
    def flatten(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from flatten(value)
        elif isinstance(node, str):
            yield node
    return set(flatten(yaml.safe_load((REPO / "themes/default/i18n" / f"{language}.yaml").read_text())))


def distinctive(language, other):
    """UI strings of `language` that the other language never uses, long enough to be sure."""
    own, theirs = ui_strings(language), ui_strings(other)
    return {
        s for s in own - theirs
        if len(s) >= 8 and "{" not in s and not s.startswith("/") and s not in ("Français", "English")
    }


def page_chrome(html):
    """The page without its content and cards: UI strings live in the rest."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    html = re.sub(r'<div class="prose">.*?</div>', "", html, flags=re.S)
    html = re.sub(r'<article class="card[^"]*" lang="(fr|en)">.*?</article>', "", html, flags=re.S)
    # Links to a translation carry its title, in its own language (marked with lang).
    return re.sub(r'<a [^>]*\blang="(fr|en)"[^>]*>.*?</a>', "", html, flags=re.S)


def test_no_ui_words_of_the_other_language(portal):
    _, site, _ = portal
    french_words, english_words = distinctive("fr", "en"), distinctive("en", "fr")
    problems = []
    for page in site.rglob("index.html"):
        relative = page.relative_to(site).as_posix()
        english = relative.startswith("en/")
        chrome = page_chrome(page.read_text(encoding="utf-8"))
        for word in french_words if english else english_words:
            escaped = word.replace("'", "&#39;")
            if word in chrome or escaped in chrome:
                problems.append((relative, word))
    assert problems == []


def test_translations_link_both_ways(portal):
    _, site, _ = portal
    pairs = [("cases/incroyables-comestibles/", "en/cases/incredible-edible/"), ("a-propos/", "en/about/")]
    for french, english in pairs:
        french_html = (site / french / "index.html").read_text(encoding="utf-8")
        english_html = (site / english / "index.html").read_text(encoding="utf-8")
        assert f'hreflang="en" href="http://127.0.0.1:' in french_html and f'/{english}"' in french_html
        assert f'/{french}"' in english_html and 'hreflang="fr"' in english_html
