"""Text from data files made safe for Markdown/HTML: shown as text, links only if http(s)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

# CommonMark lets any ASCII punctuation be backslash-escaped to stand for itself; escaping
# all of it leaves no Markdown, no HTML tag and no entity for the renderer to interpret.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _folded(value: object) -> str:
    """``value`` as one line: every whitespace run one space, none at the ends."""
    return re.sub(r"\s+", " ", str(value)).strip()


def md_text(value: object) -> str:
    """``value`` as literal text inside Markdown: every ASCII punctuation mark escaped."""
    return _PUNCTUATION.sub(r"\\\1", _folded(value))


def safe_url(url: object) -> str | None:
    """The URL if it is http(s) with a host, else None (never ``javascript:`` etc.)."""
    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(text, safe=":/?#@!$&'*+,;=%~-._")


def html_text(value: object) -> str:
    """``value`` as literal text inside HTML (whitespace runs folded, like ``md_text``)."""
    return html.escape(_folded(value))


def html_link(label: object, url: object) -> str:
    """An HTML link opening in a new tab when ``url`` is http(s); else label and URL as text."""
    target = safe_url(url)
    if target is None:
        return f"{html_text(label)} ({html_text(url)})"
    return (f'<a href="{html.escape(target)}" target="_blank" rel="noopener noreferrer">'
            f"{html_text(label)}</a>")
