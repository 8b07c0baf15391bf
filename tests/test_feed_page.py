"""feed.xml opened in a browser: the XSLT stylesheet it names makes it a readable Vietnamese page
(Chromium, served by deploy/nginx.conf, 360 and 1280 px); the feed stays valid Atom for readers,
and a letter's text stays text (the hostile letter of tests/site_letters.py)."""

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
    assert f'<?xml-stylesheet type="text/xsl" href="{FEED_STYLESHEET}"?>' in prolog
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
    stylesheet = ET.parse(extra_site / FEED_STYLESHEET).getroot()
    assert stylesheet.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_chromium_shows_the_feed_as_a_page(extra_site: Path, browser, tmp_path: Path, width: int) -> None:
    server = Nginx(tmp_path / "nginx", extra_site)
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{server.url}/feed.xml")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator("h1").inner_text().strip()
        assert "nguồn tin" in page.locator(".note").inner_text()
        entries = page.locator("main ol > li")
        count = len(ET.parse(extra_site / "feed.xml").getroot().findall(f"{ATOM}entry"))
        assert entries.count() == count
        text = page.inner_text("main")
        assert "Công văn 2642/UBND-VX" in text and "26/08/2021" in text and "(chưa ghi ngày)" in text
        assert "<script>window.__xss=1</script>" in text  # the hostile subject, as text
        assert page.evaluate("window.__xss") is None
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        href = entries.first.locator("a").get_attribute("href")
        assert "/van-ban/" in href
        assert page.get_by_role("link", name="Cách nhận tin").get_attribute("href") == "nguon-tin/"
    finally:
        context.close()
        server.stop()
