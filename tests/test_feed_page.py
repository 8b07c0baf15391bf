"""feed.xml opened in a browser: the CSS stylesheet it names lays it out as a readable Vietnamese
page (Chromium, served by deploy/nginx.conf, 360 and 1280 px), with no XSLT (browsers are removing
it; Chromium 156 covers such a page with an English deprecation banner); the feed stays valid Atom
for readers, and a letter's text stays text (the hostile letter of tests/site_letters.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_nginx import Nginx

from builder.publish.feeds import FEED_NAMESPACE, FEED_STYLESHEET

ATOM = "{http://www.w3.org/2005/Atom}"
VB = "{" + FEED_NAMESPACE + "}"


def test_the_feed_names_its_stylesheet_and_stays_atom(extra_site: Path) -> None:
    data = (extra_site / "feed.xml").read_text(encoding="utf-8")
    prolog = data.split("<feed", 1)[0]
    assert f'<?xml-stylesheet type="text/css" href="{FEED_STYLESHEET}"?>' in prolog
    assert "xsl" not in prolog
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:  # Atom's own elements first in meaning; vb:ngay only an extension
        for name in ("title", "id", "updated", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{VB}ngay") is not None
    dates = [entry.find(f"{VB}ngay").text for entry in entries]
    assert "26/08/2021" in dates and any("(chưa ghi ngày)" in d for d in dates), dates
    stylesheet = (extra_site / FEED_STYLESHEET).read_text(encoding="utf-8")
    assert '@namespace url("http://www.w3.org/2005/Atom");' in stylesheet
    assert not list(extra_site.rglob("*.xsl"))


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_chromium_shows_the_feed_as_a_page(extra_site: Path, browser, tmp_path: Path, width: int) -> None:
    server = Nginx(tmp_path / "nginx", extra_site)
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(f"{server.url}/feed.xml")
        assert not [text for text in console if "XSLT" in text], console
        shown = page.evaluate(
            """() => {
              const root = document.documentElement;
              const atom = (parent, name) => [...parent.children].find((e) => e.localName === name);
              const visible = (e) =>
                e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0;
              const self = [...root.children]
                .find((e) => e.localName === "link" && e.getAttribute("rel") === "self");
              return {
                root: root.localName,
                lang: root.getAttribute("xml:lang"),
                title: visible(atom(root, "title")) ? atom(root, "title").textContent : null,
                idShown: visible(atom(root, "id")),
                note: getComputedStyle(self, "::before").content,
                address: getComputedStyle(self, "::after").content,
                entries: [...root.children].filter((e) => e.localName === "entry" && visible(e)).map((e) => ({
                  title: visible(atom(e, "title")) ? atom(e, "title").textContent : null,
                  date: visible(atom(e, "ngay")) ? atom(e, "ngay").textContent : null,
                  url: getComputedStyle(atom(e, "link"), "::after").content,
                  summaryShown: visible(atom(e, "summary")),
                })),
                scrollWidth: root.scrollWidth,
              };
            }"""
        )
        assert shown["root"] == "feed" and shown["lang"] == "vi"  # the document itself, not a transformation
        assert shown["title"].strip() and not shown["idShown"]
        assert "nguồn tin" in shown["note"] and "nguon-tin/" in shown["note"]
        assert shown["address"].strip('"').endswith("/feed.xml")
        count = len(ET.parse(extra_site / "feed.xml").getroot().findall(f"{ATOM}entry"))
        assert len(shown["entries"]) == count
        titles = [entry["title"] for entry in shown["entries"]]
        dates = [entry["date"] for entry in shown["entries"]]
        assert any(title.startswith("Công văn 2642/UBND-VX") for title in titles), titles
        assert "26/08/2021" in dates and any("(chưa ghi ngày)" in date for date in dates), dates
        assert all("/van-ban/" in entry["url"] and not entry["summaryShown"] for entry in shown["entries"])
        assert any(
            "<script>window.__xss=1</script>" in title for title in titles
        )  # the hostile subject, as text
        assert page.evaluate("window.__xss") is None
        assert shown["scrollWidth"] <= width
    finally:
        context.close()
        server.stop()
