"""Hostile text from data files is shown as text; only http(s) links become links."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser

import pytest

from dashboard.views.text import html_link, html_text, md_text, safe_url

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
    assert "<a" not in html_link("label", url)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_leaves_no_tag_and_loses_nothing(text):
    parsed = _Tags()
    parsed.feed(html_text(text))
    assert parsed.tags == []
    assert "".join(parsed.text) == " ".join(text.split())


def test_http_link_opens_in_a_new_tab_and_keeps_its_label_as_text():
    parsed = _Tags()
    parsed.feed(html_link("<b>BBC</b>", "https://en.wikipedia.org/wiki/Shusha_(town)?a=1&b=2"))
    assert parsed.tags == [("a", {"href": "https://en.wikipedia.org/wiki/Shusha_%28town%29?a=1&b=2",
                                   "target": "_blank", "rel": "noopener noreferrer"})]
    assert "".join(parsed.text) == "<b>BBC</b>"


def test_csv_export_defuses_spreadsheet_formulas():
    import csv
    import io

    from dashboard.export import events_csv
    record = {"id": "x", "date": "2020-01-01", "date_precision": "day", "end_date": None,
              "kind": "military", "title": "=HYPERLINK(\"http://evil\",\"x\")",
              "summary": "@SUM(1)", "places": ["-1+1"], "lat": 39.1, "lon": 46.2,
              "confidence": "high", "alternative_dates": [], "date_note": None,
              "sources": [{"title": "+cmd", "publisher": "p", "url": "https://x.org"}]}
    row = next(csv.DictReader(io.StringIO(events_csv([record]))))
    assert row["title"].startswith("'=") and row["summary"].startswith("'@")
    assert row["places"].startswith("'-") and row["source_titles"].startswith("'+")
    assert row["lat"] == "39.1"
