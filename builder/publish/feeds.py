"""Machine-readable entry points: the Atom feed, the sitemap, robots.txt.

Every date here comes from the letters, never from the clock, so two builds
of one commit are byte-identical (the sitemap's gzip copy included).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from builder.letters.letter import Letter
from builder.publish.wording import letter_heading, letter_url
from builder.text.dates import date_short

FEED = "feed.xml"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
FEED_STYLESHEET = "assets/nguon-tin.css"
"""Relative to feed.xml (the site's root): a CSS stylesheet through which a browser shows the feed
as a readable page (not XSLT, which browsers are removing: Chromium covers an XSLT page with an
English deprecation banner). The page for people, with links, is /nguon-tin/."""
FEED_NAMESPACE = "tag:vanban,2025:nguon-tin"
"""Atom extension element ``vb:ngay``: the date as pages print it ("… (chưa ghi ngày)" included),
which ``updated`` (a full time, by Atom's rules) cannot say."""
VIETNAM_OFFSET = "+07:00"
"""Letters carry dates, not times: an entry is dated at midnight in Vietnam."""


def feed_time(iso_date: str) -> str:
    """RFC 3339 time for a letter date; a blank day or month counts as the first."""
    parts = [*iso_date.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00{VIETNAM_OFFSET}"


def atom_feed(newest: list[Letter], site_url: str, title: str) -> str:
    """Atom 1.0 of the given letters (already newest first and cut to Settings.feed_size)."""
    updated = feed_time(newest[0].ngay_ban_hanh) if newest else feed_time("2000")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<?xml-stylesheet type="text/css" href="{FEED_STYLESHEET}"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:vb="{FEED_NAMESPACE}" xml:lang="vi">',
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape('Văn bản mới công khai')}</subtitle>",
        f"  <id>{escape(site_url)}</id>",
        f'  <link rel="self" href={quoteattr(site_url + FEED)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(site_url)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(title)}</name></author>",
    ]
    for letter in newest:
        url = site_url + letter_url(letter)
        lines += [
            "  <entry>",
            f"    <title>{escape(letter_heading(letter) + ': ' + letter.trich_yeu)}</title>",
            f"    <id>{escape(url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <updated>{feed_time(letter.ngay_ban_hanh)}</updated>",
            f"    <vb:ngay>{escape(date_short(letter.ngay_ban_hanh))}</vb:ngay>",
            f"    <author><name>{escape(letter.co_quan_ban_hanh)}</name></author>",
            f"    <category term={quoteattr(letter.loai_van_ban)}/>",
            f"    <summary>{escape(letter.trich_yeu)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    """Everything may be indexed; the sitemap says where the pages are."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}{SITEMAP}\n"


SITEMAP_MAX_URLS = 50_000
"""The sitemap protocol's limit per file; past it ``sitemap.xml`` is an index of numbered files."""


def sitemap_files(
    urls: list[str], lastmod: dict[str, str], site_url: str, per_file: int = SITEMAP_MAX_URLS
) -> Iterator[tuple[str, str]]:
    """``(site-relative file name, XML)``: ``sitemap.xml`` alone, or ``sitemap-N.xml`` files then
    their index ``sitemap.xml``; one at a time, so a caller can write each before the next is made.

    ``urls`` are site-relative page URLs; ``lastmod`` gives letter dates where there are any.
    """
    ordered = sorted(set(urls))
    if len(ordered) <= per_file:
        yield SITEMAP, sitemap_xml(ordered, lastmod, site_url)
        return
    index = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for number, start in enumerate(range(0, len(ordered), per_file), start=1):
        part = ordered[start : start + per_file]
        name = f"sitemap-{number}.xml"
        yield name, sitemap_xml(part, lastmod, site_url)
        index.append(f"  <sitemap><loc>{escape(site_url + name)}</loc>")
        newest = max((lastmod[url] for url in part if url in lastmod), default=None)
        if newest:
            index.append(f"    <lastmod>{escape(newest)}</lastmod>")
        index.append("  </sitemap>")
    index.append("</sitemapindex>")
    yield SITEMAP, "\n".join(index) + "\n"


def sitemap_xml(urls: list[str], lastmod: dict[str, str], site_url: str) -> str:
    """One ``urlset`` of ``urls`` (site-relative page URLs), dated by ``lastmod`` where it can."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in sorted(set(urls)):
        lines.append(f"  <url><loc>{escape(site_url + url)}</loc>")
        if url in lastmod:
            lines.append(f"    <lastmod>{escape(lastmod[url])}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with no timestamp and no file name in the header, so the bytes depend only on ``data``."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as stream:
        stream.write(data)
    return buffer.getvalue()
