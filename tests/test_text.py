"""Hostile text from data files is shown as text; only http(s) links become links."""

from __future__ import annotations

import re
import string

import pytest

from dashboard.views.text import md_link, md_text, safe_url

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![pixel](https://evil.example/p.png)",
    "**bold** _it_ `code` $x$ ~~s~~",
    "<a href='javascript:alert(1)'>x</a>",
    "line\nbreak <b>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_leaves_no_markup(text):
    out = md_text(text)
    unescaped = re.sub(r"\\.", "", out)  # drop every backslash-escaped character
    assert not set(unescaped) & set(string.punctuation), out
    assert re.sub(r"\\(.)", r"\1", out) == " ".join(text.split())  # nothing lost


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x", "ftp://x/y",
                                 "//evil.example", "vbscript:x", " JAVASCRIPT:alert(1)"])
def test_only_http_links(url):
    assert safe_url(url) is None
    assert "](" not in md_link("label", url)


def test_http_link_is_kept_and_parentheses_encoded():
    link = md_link("BBC", "https://en.wikipedia.org/wiki/Shusha_(town)")
    assert link == "[BBC](https://en.wikipedia.org/wiki/Shusha_%28town%29)"
