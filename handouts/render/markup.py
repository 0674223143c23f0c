"""Inline Markdown (bold, italic, links) to ReportLab paragraph markup.

Parsed by markdown-it-py with raw HTML switched off, so ``<b>`` in a text prints
as ``<b>``; every piece of text is XML-escaped before ReportLab sees it.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from handouts.render import fonts, paracache


@cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


_TAGS = {
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
    "softbreak": " ",
    "hardbreak": "<br/>",
}


SAFE_SCHEMES = ("https", "http", "mailto", "tel")
"""The only link targets a handout may carry: anything else (``pdf:``, ``smb:``,
``launch:``, a bare file name) could open a file or program on the reader's machine."""


def safe_link(href: str) -> bool:
    """True when ``href`` is a web, e-mail or telephone link."""
    scheme, colon, _ = href.strip().partition(":")
    return bool(colon) and scheme.lower() in SAFE_SCHEMES


def unsafe_links(text: str) -> list[str]:
    """The link targets in inline-Markdown ``text`` that are not ``safe_link``."""
    if "[" not in text and "<" not in text:
        return []
    found = []
    for token in _parser().parseInline(text)[0].children or ():
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not safe_link(href):
                found.append(href)
    return found


def to_paragraph(text: str, link_colour: str = "#1a4f8b") -> str:
    """ReportLab ``Paragraph`` markup for inline-Markdown ``text``.

    Every piece of text goes through the font stack (``fonts.markup``): escaped,
    in font runs, right-to-left words in visual order. While a handout is laid out,
    the markup is kept (``paracache``).
    """
    variant = (link_colour, fonts.current())  # the font runs depend on the font stack
    return paracache.markup(text, variant, lambda: _to_paragraph(text, link_colour))


def _to_paragraph(text: str, link_colour: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if not any(c in text for c in "*_[\\`<&!~"):
        return fonts.markup(text)
    out: list[str] = []
    href = ""
    for token in _parser().parseInline(text)[0].children or ():
        kind = token.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(fonts.markup(token.content))
        elif kind in _TAGS:
            out.append(_TAGS[kind])
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            if safe_link(href):  # any other target prints as plain words, never a link
                quoted = fonts.escape(href, {chr(34): "&quot;"})
                out.append(f'<a href="{quoted}" color="{link_colour}">')
        elif kind == "link_close" and safe_link(href):
            out.append("</a>")
            out.append(f" ({fonts.markup(href)})" if not href.startswith("mailto:") else "")
    return "".join(out)


def literal(text: str) -> str:
    """Paragraph markup that prints ``text`` exactly as written (names, notes, numbers)."""
    return fonts.markup(unicodedata.normalize("NFC", text))


def to_plain(text: str) -> str:
    """The words of inline-Markdown ``text`` without markup (for metadata and tests)."""
    if not any(c in text for c in "*_[\\`<&!~"):
        return text
    parts = []
    for token in _parser().parseInline(text)[0].children or ():
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
