"""What a reader sees, in headless Chromium at phone (360 px) and desktop (1280 px) width.

The ``page`` fixture fails any test whose page raised a JavaScript error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from conftest import SEEDS
from site_letters import HOSTILE, PAYLOAD_MARK, page_path, records_by_file

from builder.text.dates import date_short

pytestmark = pytest.mark.browser

PAGE_BREAK_JOINS = [
    ("002_1df910771a3bcb65.txt", ["trang thiết bị, vật tư và nhân lực y tế cho các cơ sở này"]),
    ("002_1df910771a3bcb65.txt", ["tạo sự thống nhất, đồng thuận trong xã hội"]),
    ("003_e735ed85d8d8326f.txt", ["kinh tế - xã hội của huyện năm 2022 theo phương châm"]),
    ("004_8b77143a53b7dc4f.txt", ["Kinh tế và Hạ tầng", "thực phẩm, các nhu yếu phẩm thiết yếu cho người"]),
    ("004_8b77143a53b7dc4f.txt", ["(qua Văn phòng HĐND-UBND huyện - Cơ quan thường trực"]),
]
"""Sentences the Word export split across a page break; each must read as one block."""


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _records(site: Path) -> dict[str, dict]:
    return records_by_file(site)


def _body_lines(seed: Path) -> list[str]:
    """Body lines of the committed file (after the recipients, before Nơi nhận), as plain text."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Kính gửi"))
    while not lines[start].startswith("- "):
        start += 1
    while lines[start].startswith("- ") or not lines[start].strip():
        start += 1
    end = next(i for i, line in enumerate(lines) if "Nơi nhận" in line)
    body = []
    for line in lines[start:end]:
        text = re.sub(r"^- ", "", line.replace("*", "").strip())  # section numbers stay, as printed
        if text:
            body.append(_squash(text))
    return body


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_letter_page_shows_metadata_and_faithful_text(
    page, seed_site: Path, seed_url: str, seed: Path
) -> None:
    record = _records(seed_site)[seed.name]
    page.goto(f"{seed_url}/{page_path(record)}")
    table = {
        _squash(row.locator("th").inner_text()): _squash(
            row.locator("td").text_content()
        )  # folded lists included
        for row in page.locator("table.vb-meta tr").all()
    }
    number = record["so_ky_hieu"] or f"…/{record['ky_hieu']} (chưa ghi số)"
    assert table["Số ký hiệu"] == number
    assert table["Loại văn bản"] == record["loai_van_ban"]
    assert record["co_quan_ban_hanh"] in table["Cơ quan ban hành"]
    assert table["Ngày ban hành"] == date_short(record["ngay_ban_hanh"])
    assert record["nguoi_ky"] in table["Người ký"]
    assert table["Trích yếu"] == record["trich_yeu"]
    assert all(item in table["Kính gửi"] for item in record["kinh_gui"])
    assert all(item in table["Nơi nhận"] for item in record["noi_nhan"])
    assert table["Độ khẩn"] == (record["do_khan"] or "Thường")
    letter = page.locator("section.vb-letter")
    assert letter.is_visible()
    text = _squash(letter.inner_text())
    assert f"Số: {number}" in text
    assert record["nguoi_ky"] in _squash(page.locator(".vb-letter__signature").inner_text())
    assert "Nơi nhận:" in _squash(page.locator(".vb-letter__distribution").inner_text())
    body = _squash(" ".join(page.locator(".vb-letter__body").all_inner_texts()))  # the last block apart
    missing = [line for line in _body_lines(seed) if line not in body]
    assert not missing, f"body lines not on the page: {missing[:3]}"


def test_drafts_say_so_in_the_letter_header(page, seed_site: Path, seed_url: str) -> None:
    record = _records(seed_site)["000_7b39c955ad7f8a28.txt"]
    page.goto(f"{seed_url}/{page_path(record)}")
    assert page.locator(".vb-letter__number").inner_text().strip() == "Số: …/UBND-TH (chưa ghi số)"
    assert "ngày … tháng 9 năm 2021" in page.locator(".vb-letter__date").inner_text()


@pytest.mark.parametrize(("seed_name", "phrases"), PAGE_BREAK_JOINS)
def test_page_break_splits_are_joined(
    page, seed_site: Path, seed_url: str, seed_name: str, phrases: list
) -> None:
    page.goto(f"{seed_url}/{page_path(_records(seed_site)[seed_name])}")
    blocks = [_squash(t) for t in page.locator(".vb-letter__body :is(p, li)").all_inner_texts()]
    assert any(all(p in block for p in phrases) for block in blocks), phrases


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_original_download_is_byte_identical(page, seed_site: Path, seed_url: str, seed: Path) -> None:
    page.goto(f"{seed_url}/{page_path(_records(seed_site)[seed.name])}")
    link = page.get_by_role("link", name=re.compile("Tải tệp gốc dạng chữ"))
    assert link.get_attribute("download") == seed.name
    url = urljoin(page.url, link.get_attribute("href"))
    assert unquote(url).endswith("/" + seed.name)
    response = page.request.get(url)
    assert response.ok and response.body() == seed.read_bytes()


JSON_LD = "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').text)"


def test_json_ld_parses_in_the_browser(page, seed_site: Path, seed_url: str) -> None:
    for seed in SEEDS:
        record = _records(seed_site)[seed.name]
        page.goto(f"{seed_url}/{page_path(record)}")
        data = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').text)"
        )
        assert data["@type"] == "Legislation"
        assert data["legislationDate"] == record["ngay_ban_hanh"]
        assert data["legislationPassedBy"]["name"] == record["co_quan_ban_hanh"]


def test_list_shows_all_five_and_opens_a_letter(page, seed_site: Path, seed_url: str) -> None:
    page.goto(f"{seed_url}/van-ban/")
    titles = page.locator(".vb-list__title a")
    assert titles.count() == len(SEEDS)
    for record in _records(seed_site).values():
        expected = (
            f"{record['loai_van_ban']} {record['so_ky_hieu'] or '…/' + record['ky_hieu'] + ' (chưa ghi số)'}"
        )
        assert page.get_by_role("link", name=expected).first.is_visible()
    titles.first.click()
    page.wait_for_load_state()
    assert "/van-ban/" in page.url and page.locator("table.vb-meta").is_visible()


def test_home_marks_urgent_letters(page, seed_url: str) -> None:
    page.goto(seed_url + "/")
    urgent = page.locator(".vb-list__item", has=page.locator(".vb-badge--urgent"))
    assert urgent.count() >= 1
    assert "KHẨN" in urgent.first.inner_text().upper()


def test_header_search_goes_to_the_search_page(page, seed_url: str) -> None:
    page.goto(seed_url + "/van-ban/")
    form = page.get_by_role("search").first
    box = form.get_by_role("searchbox", name="Tìm văn bản")
    box.fill("phòng chống dịch")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    assert unquote(page.url.split("q=", 1)[1]).replace("+", " ") == "phòng chống dịch"


def test_skip_link_is_first_and_moves_focus(page, seed_url: str) -> None:
    page.goto(seed_url + "/van-ban/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Chuyển đến nội dung chính"
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert json.loads(box)["top"] >= 0, "visible when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "visible focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"


def test_print_lays_out_the_paper_letter(page, seed_site: Path, seed_url: str) -> None:
    page.goto(f"{seed_url}/{page_path(_records(seed_site)['002_1df910771a3bcb65.txt'])}")
    page.emulate_media(media="print")
    assert not page.locator("header.md-header").is_visible()
    assert not page.locator("table.vb-meta").is_visible()
    assert not page.get_by_role("search").first.is_visible()
    assert page.locator("section.vb-letter").is_visible()
    font = page.evaluate("getComputedStyle(document.querySelector('.vb-letter')).fontFamily")
    assert "Times" in font
    issuer = page.locator(".vb-letter__issuer").bounding_box()
    nation = page.locator(".vb-letter__nation").bounding_box()
    assert issuer["x"] < nation["x"] and abs(issuer["y"] - nation["y"]) < 5, "issuer left, motto right"


RUNNABLE_PAYLOAD = (
    "[...document.scripts].filter(s => !s.type || /javascript|module/.test(s.type))"
    f".some(s => s.text.includes('{PAYLOAD_MARK}'))"
)
"""True if an executable <script> carries the payload (JSON-LD holds it as inert, escaped data)."""
JAVASCRIPT_LINKS = (
    "[...document.querySelectorAll('a[href]')]"
    ".filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length"
)


def test_hostile_letter_runs_nothing(page, extra_site: Path, serve) -> None:
    base = serve(extra_site)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    record = _records(extra_site)[HOSTILE]
    for path in (page_path(record), "", "van-ban/", "feed.xml", "data/van-ban.json"):
        page.goto(f"{base}/{path}")
        page.wait_for_load_state("load")
        assert page.evaluate(f"typeof window.{PAYLOAD_MARK}") == "undefined", path
        assert page.evaluate('document.querySelectorAll(\'img[src$="/x"], img[src="x"]\').length') == 0
        assert page.evaluate(RUNNABLE_PAYLOAD) is False, path
        assert page.evaluate("document.querySelectorAll('[onerror], [onclick*=__xss]').length") == 0, path
        assert page.evaluate(JAVASCRIPT_LINKS) == 0, path
    page.goto(f"{base}/{page_path(record)}")
    assert "<script>window.__xss=1</script>" in page.locator("table.vb-meta").inner_text(), "shown as text"
    for name in ("bấm", "liên kết"):
        for element in page.get_by_text(name, exact=True).all():
            element.click()
    assert page.evaluate(f"typeof window.{PAYLOAD_MARK}") == "undefined"
    assert dialogs == []
