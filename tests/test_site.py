"""The built site, read as files: pages, lists, open data, feed, sitemap, JSON-LD.

Real MkDocs builds (``seed_site``: content/ as committed; ``extra_site``: plus a
citing, a withdrawn and a hostile letter, two letters per list page), and the
plain functions of the site modules with input/expected tables.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import fields
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from conftest import REPO, SEEDS
from site_letters import CITING, CORRECTION, HOSTILE, WITHDRAWN, WITHDRAWN_REASON, page_path, records_by_file

from builder.letters.letter import FRONT_MATTER_KEYS, Letter
from builder.mkdocs_plugin import VanbanConfig
from builder.publish.feeds import feed_time, gzip_bytes
from builder.publish.open_data import COLUMNS, letters_csv
from builder.publish.safe_markdown import is_safe_url
from builder.publish.site_pages import script_safe_json
from builder.publish.wording import newest_first, number_text
from builder.settings import Settings
from builder.text.dates import date_short, date_words

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _letter(**overrides: object) -> Letter:
    values: dict[str, object] = {
        "id": "x",
        "tep_goc": "x.txt",
        "loai_van_ban": "Công văn",
        "so": None,
        "ky_hieu": "UBND-TH",
        "so_ky_hieu": None,
        "co_quan_chu_quan": None,
        "co_quan_ban_hanh": "Ủy ban nhân dân huyện Mường Tè",
        "dia_danh": "Mường Tè",
        "ngay_ban_hanh": "2021-09",
        "trich_yeu": "thử",
    }
    values.update(overrides)
    return Letter(**values)  # type: ignore[arg-type]


def _records(site: Path) -> list[dict]:
    return json.loads((site / "data" / "van-ban.json").read_text(encoding="utf-8"))


def _seed_records(site: Path) -> dict[str, dict]:
    records = {r["tep_goc"]: r for r in _records(site)}
    return {seed.name: records[seed.name] for seed in SEEDS}


# --- plain functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "words", "short"),
    [
        ("2021-08-26", "ngày 26 tháng 8 năm 2021", "26/08/2021"),
        ("2021-09-09", "ngày 09 tháng 9 năm 2021", "09/09/2021"),
        ("2022-02-03", "ngày 03 tháng 02 năm 2022", "03/02/2022"),
        ("2021-09", "ngày … tháng 9 năm 2021", "tháng 9 năm 2021 (chưa ghi ngày)"),
        ("2021", "ngày … tháng … năm 2021", "năm 2021 (chưa ghi ngày, tháng)"),
    ],
)
def test_dates_read_as_printed(iso: str, words: str, short: str) -> None:
    assert date_words(iso) == words
    assert date_short(iso) == short


@pytest.mark.parametrize(
    ("so", "so_ky_hieu", "shown"),
    [(2642, "2642/UBND-VX", "2642/UBND-VX"), (None, None, "…/UBND-TH (chưa ghi số)")],
)
def test_draft_numbers_shown_honestly(so: int | None, so_ky_hieu: str | None, shown: str) -> None:
    assert number_text(_letter(so=so, so_ky_hieu=so_ky_hieu)) == shown


def test_newest_first_is_stable() -> None:
    letters = [
        _letter(id="a", ngay_ban_hanh="2021-09"),
        _letter(id="b", ngay_ban_hanh="2021-09-09"),
        _letter(id="c", ngay_ban_hanh="2021-12"),
        _letter(id="d", ngay_ban_hanh="2021-09-09", so=5),
    ]
    assert [x.id for x in newest_first(letters)] == ["c", "d", "b", "a"]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/", True),
        ("../van-ban/", True),
        ("mailto:vp@example.org", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
    ],
)
def test_only_safe_link_schemes(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_json_ld_cannot_close_its_script() -> None:
    text = script_safe_json({"name": "</script><script>alert(1)</script> <!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> <!-- & -->"


def test_csv_cells_never_start_a_formula() -> None:
    data = letters_csv([_letter(trich_yeu='=HYPERLINK("http://x")', kinh_gui=["@a", "b"])]).decode(
        "utf-8-sig"
    )
    row = next(csv.DictReader(io.StringIO(data)))
    assert row["trich_yeu"] == '\'=HYPERLINK("http://x")'
    assert row["kinh_gui"] == "'@a; b"


def test_feed_time_and_gzip_are_build_independent() -> None:
    assert feed_time("2021-09") == "2021-09-01T00:00:00+07:00"
    assert gzip_bytes(b"abc") == gzip_bytes(b"abc")
    assert gzip.decompress(gzip_bytes(b"abc")) == b"abc"
    assert gzip_bytes(b"abc")[4:8] == b"\0\0\0\0"  # no timestamp in the header


def test_plugin_options_are_the_settings() -> None:
    """mkdocs.yml options map one to one onto Settings, with the same defaults."""
    options = dict(VanbanConfig()._schema)  # type: ignore[attr-defined]
    assert sorted(options) == sorted(f.name for f in fields(Settings))
    for f in fields(Settings):
        assert str(options[f.name].default) == str(f.default), f.name


# --- the seed site ------------------------------------------------------------------------------


def test_every_seed_has_a_page_and_its_original(seed_site: Path) -> None:
    for seed in SEEDS:
        record = _seed_records(seed_site)[seed.name]
        page = seed_site / page_path(record) / "index.html"
        assert page.exists(), seed.name
        original = page.parent / seed.name
        assert original.read_bytes() == seed.read_bytes(), f"{seed.name}: original not byte-identical"
        html = page.read_text(encoding="utf-8")
        assert f'href="{seed.name}"' in html and "download=" in html


def test_drafts_are_shown_honestly(seed_site: Path) -> None:
    record = _seed_records(seed_site)["000_7b39c955ad7f8a28.txt"]
    html = (seed_site / page_path(record) / "index.html").read_text(encoding="utf-8")
    assert "Số: …/UBND-TH (chưa ghi số)" in html
    assert "ngày … tháng 9 năm 2021" in html
    assert "tháng 9 năm 2021 (chưa ghi ngày)" in html


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.parametrize("list_page", ["van-ban/index.html", "van-ban/nam/2021/index.html", "index.html"])
def test_lists_show_all_five_newest_first(seed_site: Path, list_page: str) -> None:
    html = (seed_site / list_page).read_text(encoding="utf-8")
    records = sorted(_seed_records(seed_site).values(), key=lambda r: r["ngay_ban_hanh"], reverse=True)
    positions = [html.find(f'{r["id"]}/"') for r in records]
    assert all(p > 0 for p in positions), positions
    assert positions == sorted(positions), "newest first"


def test_lists_by_month_issuer_and_type(seed_site: Path) -> None:
    records = _seed_records(seed_site).values()
    for record in records:
        month = record["ngay_ban_hanh"][:7].replace("-", "/")
        html = (seed_site / "van-ban" / "nam" / month / "index.html").read_text(encoding="utf-8")
        assert f'{record["id"]}/"' in html
    registry = yaml.safe_load((REPO / "content" / "co-quan-ban-hanh.yml").read_text(encoding="utf-8"))
    slugs = {body["ten"]: body["slug"] for body in registry}
    for record in records:
        page = seed_site / "van-ban" / "co-quan" / slugs[record["co_quan_ban_hanh"]] / "index.html"
        assert f'{record["id"]}/"' in page.read_text(encoding="utf-8"), "issuer lists use the registry's slug"
    issuers = list((seed_site / "van-ban" / "co-quan").glob("*/index.html"))
    assert len(issuers) == len({r["co_quan_ban_hanh"] for r in records})
    found = "".join(p.read_text(encoding="utf-8") for p in issuers)
    assert all(f'{r["id"]}/"' in found for r in records)
    types = "".join(
        p.read_text(encoding="utf-8") for p in (seed_site / "van-ban" / "loai").glob("*/index.html")
    )
    assert all(f'{r["id"]}/"' in types for r in records)


def test_urgent_letters_are_marked_on_the_home_page(seed_site: Path) -> None:
    html = (seed_site / "index.html").read_text(encoding="utf-8")
    urgent = [r for r in _seed_records(seed_site).values() if r["do_khan"]]
    assert urgent, "seed 004 is KHẨN"
    for record in urgent:
        item = html[html.index(f'{record["id"]}/"') :]
        item = item[: item.index("</li>")]
        assert "vb-badge--urgent" in item and record["do_khan"] in item


def test_open_data_lists_all_five_with_every_key(seed_site: Path) -> None:
    records = _records(seed_site)
    assert len(records) == len(SEEDS)
    for record in records:
        assert list(record) == list(COLUMNS) == [*FRONT_MATTER_KEYS, "url", "ban_goc"]
        assert record["url"].endswith(f"van-ban/{record['id']}/")
        single = json.loads(
            (seed_site / "data" / "van-ban" / f"{record['id']}.json").read_text(encoding="utf-8")
        )
        assert single == record
    raw = (seed_site / "data" / "van-ban.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel reads Vietnamese"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(COLUMNS)
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in records)
    by_id = {r["id"]: r for r in rows}
    for record in records:
        assert by_id[record["id"]]["kinh_gui"] == "; ".join(record["kinh_gui"])
        assert by_id[record["id"]]["trich_yeu"] == record["trich_yeu"]


def test_feed_lists_all_five(seed_site: Path) -> None:
    root = ET.parse(seed_site / "feed.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    ids = {r["id"] for r in _records(seed_site)}
    assert {e.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[1] for e in entries} == ids
    newest = max(r["ngay_ban_hanh"] for r in _records(seed_site))
    assert root.find(f"{ATOM}updated").text == feed_time(newest), "updated comes from the newest letter"


def test_sitemap_lists_all_five_dated_by_the_letters(seed_site: Path) -> None:
    xml = (seed_site / "sitemap.xml").read_bytes()
    assert gzip.decompress((seed_site / "sitemap.xml.gz").read_bytes()) == xml
    urls = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in ET.fromstring(xml)}
    for record in _records(seed_site):
        assert record["url"] in urls
        assert urls[record["url"]].text == record["ngay_ban_hanh"]
    dates = {m.text for m in urls.values() if m is not None}
    letter_dates = {r["ngay_ban_hanh"] for r in _records(seed_site)}
    assert dates <= letter_dates, "no build-time dates"


def test_robots_and_404(seed_site: Path) -> None:
    robots = (seed_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: " in robots and robots.strip().endswith("sitemap.xml")
    html = (seed_site / "404.html").read_text(encoding="utf-8")
    assert "Không tìm thấy trang" in html and 'lang="vi"' in html


class _JsonLd(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def _json_ld(html: str) -> dict:
    parser = _JsonLd()
    parser.feed(html)
    assert len(parser.blocks) == 1
    return json.loads(parser.blocks[0])


def test_json_ld_describes_each_letter(seed_site: Path) -> None:
    for seed in SEEDS:
        record = _seed_records(seed_site)[seed.name]
        data = _json_ld((seed_site / page_path(record) / "index.html").read_text(encoding="utf-8"))
        assert data["@type"] == "Legislation" and data["inLanguage"] == "vi"
        assert data["legislationDate"] == record["ngay_ban_hanh"]
        assert data["legislationType"] == record["loai_van_ban"]
        assert data["legislationPassedBy"]["name"] == record["co_quan_ban_hanh"]
        assert data["name"] == record["trich_yeu"]
        assert data.get("legislationIdentifier") == record["so_ky_hieu"]
        assert data["legislationResponsible"]["name"] == record["nguoi_ky"]
        assert data["encoding"]["contentUrl"] == record["url"] + seed.name


def test_every_page_has_the_header_search_and_no_material_search(seed_site: Path) -> None:
    pages = sorted(seed_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'lang="vi"' in html
        form = re.search(r'<form class="vb-search" role="search" action="([^"]*)" method="get">', html)
        page_url = "/" + page.relative_to(seed_site).as_posix()
        assert form and urljoin(page_url, form.group(1)) == "/tim-kiem/", page
        assert 'name="q"' in html and "Tìm văn bản</label>" in html
        assert "fonts.googleapis.com" not in html, "no web fonts"
        assert 'class="vb-skip" href="#noi-dung"' in html and 'id="noi-dung"' in html
    assert not (seed_site / "search" / "search_index.json").exists(), "material's search is off"
    search = (seed_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in search


def test_letters_are_not_in_the_nav(seed_site: Path) -> None:
    html = (seed_site / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-tabs"') : html.index("</nav>", html.index('class="md-tabs"'))]
    assert "Văn bản" in nav and "Tìm kiếm" in nav and "Dữ liệu mở" in nav
    for record in _records(seed_site):
        assert record["id"] not in html, "a letter page linked from a non-list page means it is in the nav"


def test_open_data_page_explains_every_field(seed_site: Path) -> None:
    html = (seed_site / "du-lieu-mo" / "index.html").read_text(encoding="utf-8")
    for key in COLUMNS:
        assert f"<code>{key}</code>" in html, key


# --- the extra site: citations, corrections, withdrawal, pagination ---------------------------------


def test_cited_letter_links_both_ways(extra_site: Path) -> None:
    records = records_by_file(extra_site)
    citing, cited = records[CITING], records["002_1df910771a3bcb65.txt"]
    citing_html = (extra_site / page_path(citing) / "index.html").read_text(encoding="utf-8")
    cited_html = (extra_site / page_path(cited) / "index.html").read_text(encoding="utf-8")
    assert f'href="../{cited["id"]}/"' in citing_html, "the citing letter links to the cited one"
    back = cited_html[cited_html.index("Văn bản dẫn chiếu đến văn bản này") :]
    assert f'href="../{citing["id"]}/"' in back, "the cited letter lists who cites it"


def test_correction_is_listed_on_the_page(extra_site: Path) -> None:
    record = records_by_file(extra_site)[CITING]
    html = (extra_site / page_path(record) / "index.html").read_text(encoding="utf-8")
    assert "Đính chính" in html and CORRECTION in html and "30/08/2021" in html


def test_withdrawn_letter_keeps_its_page_but_leaves_every_list(extra_site: Path) -> None:
    record = records_by_file(extra_site)[WITHDRAWN]
    html = (extra_site / page_path(record) / "index.html").read_text(encoding="utf-8")
    assert "Văn bản đã bị thu hồi" in html and WITHDRAWN_REASON in html and "20/09/2021" in html
    assert '<meta name="robots" content="noindex">' in html
    letter_id = record["id"]
    lists = [extra_site / "index.html", extra_site / "van-ban" / "index.html"]
    for pattern in (
        "van-ban/trang-*/index.html",
        "van-ban/nam/**/index.html",
        "van-ban/co-quan/**/index.html",
    ):
        lists += extra_site.glob(pattern)
    lists += extra_site.glob("van-ban/loai/**/index.html")
    assert len(lists) > 10
    for path in lists:
        assert f"{letter_id}/" not in path.read_text(encoding="utf-8"), path
    for name in ("feed.xml", "sitemap.xml", "data/van-ban.json", "data/van-ban.csv"):
        assert letter_id not in (extra_site / name).read_text(encoding="utf-8-sig"), name


def test_lists_are_paginated(extra_site: Path) -> None:
    listed = len(_records(extra_site))
    pages = [extra_site / "van-ban" / "index.html", *sorted(extra_site.glob("van-ban/trang-*/index.html"))]
    assert len(pages) == max(1, listed // 2)  # numbered from the oldest; the first page holds 2 or 3
    found = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found += re.findall(r'class="vb-list__title"><a href="[^"]*?([^/"]+)/"', html)
        assert 'aria-label="Phân trang"' in html
    assert sorted(found) == sorted(r["id"] for r in _records(extra_site))
    assert 'rel="next"' in pages[0].read_text(encoding="utf-8")
    assert 'rel="prev"' in pages[-1].read_text(encoding="utf-8")


def test_hostile_text_is_escaped_in_every_file(extra_site: Path) -> None:
    record = records_by_file(extra_site)[HOSTILE]
    html = (extra_site / page_path(record) / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__xss" in html, "the payload is shown as text"
    for page in extra_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>window.__xss" not in text, page
        assert not re.search(r"<img[^>]*onerror", text), page
        assert not re.search(r'<a\s[^>]*href="\s*javascript:', text, re.I), page


def test_only_the_search_page_runs_a_script(seed_site: Path) -> None:
    """No page but /tim-kiem/ runs JavaScript (JSON-LD is data): material's bundle is not loaded, nor
    its content-tabs snippet, an inline script in every page's body that stopped the HTML parser
    until the stylesheets had arrived, for tabs the portal does not have."""
    running = re.compile(r"<script(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I)
    pages = list(seed_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        found = running.findall(page.read_text(encoding="utf-8"))
        if page.relative_to(seed_site).as_posix() == "tim-kiem/index.html":
            assert found == ['<script type="module" src="../assets/javascripts/search.js">'], found
        else:
            assert not found, (page, found)
