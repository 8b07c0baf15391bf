"""Past the sitemap protocol's 50,000 URLs a file, sitemap.xml becomes an index of numbered files."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from builder.publish.feeds import SITEMAP, sitemap_files

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://example.vn/"


def test_a_small_site_has_one_sitemap() -> None:
    files = dict(sitemap_files(["a/", "b/"], {"a/": "2021-08-26"}, SITE, per_file=2))
    assert list(files) == [SITEMAP]
    root = ET.fromstring(files[SITEMAP])
    assert root.tag == f"{NS}urlset"
    assert [loc.text for loc in root.iter(f"{NS}loc")] == [SITE + "a/", SITE + "b/"]


def test_past_the_limit_sitemap_xml_is_an_index_of_files_within_it() -> None:
    urls = [f"van-ban/{n:03d}/" for n in range(7)]
    lastmod = {url: f"2021-01-{n + 1:02d}" for n, url in enumerate(urls)}
    files = dict(sitemap_files([*urls, urls[0]], lastmod, SITE, per_file=3))
    assert list(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", SITEMAP]  # the index last
    index = ET.fromstring(files[SITEMAP])
    assert index.tag == f"{NS}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{NS}loc")]
    assert parts == [f"{SITE}sitemap-{n}.xml" for n in (1, 2, 3)]
    assert [m.text for m in index.iter(f"{NS}lastmod")] == ["2021-01-03", "2021-01-06", "2021-01-07"]
    listed = []
    for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
        part = ET.fromstring(files[name])
        locs = [loc.text for loc in part.iter(f"{NS}loc")]
        assert 1 <= len(locs) <= 3
        listed += locs
    assert listed == [SITE + url for url in urls]  # every page once, in order
