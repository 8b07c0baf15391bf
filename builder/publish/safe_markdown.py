"""A Python-Markdown extension that makes letter text safe to publish.

Letters are text typed by staff (or pasted from anywhere), rendered by MkDocs'
Markdown. Python-Markdown passes raw HTML through and keeps any link scheme,
so a letter containing ``<script>``, ``<img onerror=…>`` or
``[x](javascript:…)`` would run in the reader's browser. This extension turns
raw HTML into visible text, keeps only web and mail links, and shows images as
their alternative text (letters have no images; remote ones would track readers).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
"""Link schemes a letter may use; anything else (javascript:, data:, vbscript:) loses its link."""

_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
"""Browsers drop tabs, newlines and controls inside URLs ("java\\tscript:"), so we do too before checking."""


def is_safe_url(url: str) -> bool:
    """True for relative, http(s) and mailto URLs."""
    cleaned = _IGNORED_IN_URLS.sub("", url).lower()
    try:
        return urlsplit(cleaned).scheme in SAFE_SCHEMES
    except ValueError:
        return False


class _SafeLinks(Treeprocessor):
    """Unsafe links become plain text (MkDocs needs every <a> to keep an href); images their alt text."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not is_safe_url(element.get("href", "")):
                element.attrib.clear()  # the link text stays, as plain text
                element.tag = "span"
            elif element.tag == "img":
                alt = element.get("alt", "")
                element.attrib.clear()
                element.tag = "span"
                element.text = alt


class SafeMarkdown(Extension):
    """Raw HTML shown as text; only safe links; no images."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "vanban_safe_links", 0)
