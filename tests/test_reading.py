"""Reading on a phone and sharing: unissued letters labelled, left-aligned text at 360 px, folded
metadata lists, browse links before a list, the newest letters in the first screen, Open Graph
tags, the feed's page, print rules; in Chromium at 360 and 1280 px."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import SEED_IDS, make_project, run_mkdocs

from builder.publish.wording import unissued_note

pytestmark = pytest.mark.browser


def _records(site: Path) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads((site / "data" / "van-ban.json").read_text(encoding="utf-8"))}


def test_unissued_letters_are_labelled_with_a_one_line_explanation(
    page, seed_site: Path, seed_url: str
) -> None:
    unnumbered = SEED_IDS["004"]  # "Số: /UBND-VP", dated 09/9/2021
    page.goto(f"{seed_url}/van-ban/{unnumbered}/")
    note = page.locator(".vb-draft-note")
    assert note.is_visible() and note.inner_text().startswith("Bản chưa ghi số: ")
    page.goto(f"{seed_url}/van-ban/")
    item = page.locator(".vb-list__item", has=page.locator(f"a[href$='{unnumbered}/']"))
    assert item.locator(".vb-draft").inner_text() == "Bản chưa ghi số"
    assert item.locator(".vb-list__draft").is_visible()
    signed = page.locator(".vb-list__item", has=page.locator(f"a[href$='{SEED_IDS['002']}/']"))
    assert signed.locator(".vb-draft").count() == 0  # 2642/UBND-VX of 26/8/2021 is issued
    page.goto(f"{seed_url}/")
    assert page.locator(".vb-list__item .vb-draft").first.is_visible()


def test_unissued_letters_can_be_held_back(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("publish_unissued: true", "publish_unissued: false"), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "giữ lại 4 văn bản chưa ghi số hoặc ngày" in result.stdout + result.stderr
    site = project / "site"
    assert list(_records(site)) == [SEED_IDS["002"]]
    assert not (site / "van-ban" / SEED_IDS["004"]).exists()
    assert (site / "van-ban" / SEED_IDS["002"] / "index.html").exists()


def test_note_names_what_is_missing(seed_project: Path) -> None:
    from builder.archive.read import read_archive

    letters = {x.id: x for x in read_archive(seed_project / "content").letters}
    assert unissued_note(letters[SEED_IDS["002"]]) is None
    assert unissued_note(letters[SEED_IDS["000"]]).startswith("Bản chưa ghi số và ngày: ")


def test_body_is_left_aligned_on_phones_and_metadata_lists_are_folded(page, seed_url: str) -> None:
    page.goto(f"{seed_url}/van-ban/{SEED_IDS['002']}/")
    align = page.locator(".vb-letter__body").first.evaluate("e => getComputedStyle(e).textAlign")
    assert align == ("left" if page.viewport_size["width"] < 700 else "justify")
    folded = page.locator("table.vb-meta details")
    assert folded.count() >= 1  # the long Nơi nhận
    first = folded.first
    assert first.locator("summary").is_visible() and not first.locator("ul").is_visible()
    first.locator("summary").click()
    assert first.locator("ul").is_visible()


def test_browse_links_come_before_the_list_and_newest_letters_in_the_first_screen(
    page, seed_url: str
) -> None:
    page.goto(f"{seed_url}/van-ban/")
    order = page.evaluate(
        "() => { const f = document.querySelector('.vb-browse-fold');"
        " const l = document.querySelector('ol.vb-list');"
        " return !!(f.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING); }"
    )
    assert order
    page.locator(".vb-browse-fold > summary").click()
    assert page.get_by_role("link", name="Năm 2021").is_visible()
    page.goto(f"{seed_url}/")
    box = page.locator("ol.vb-list > li").first.bounding_box()
    assert box is not None and box["y"] + 40 < page.viewport_size["height"]


def test_letter_pages_have_their_own_description_and_open_graph_tags(
    page, seed_url: str, seed_site: Path
) -> None:
    record = _records(seed_site)[SEED_IDS["002"]]
    page.goto(f"{seed_url}/van-ban/{SEED_IDS['002']}/")
    meta = {
        key: page.locator(f"meta[{attr}='{key}']").get_attribute("content")
        for attr, key in [
            ("name", "description"),
            ("property", "og:title"),
            ("property", "og:description"),
            ("property", "og:type"),
            ("property", "og:site_name"),
            ("name", "twitter:card"),
        ]
    }
    assert meta["description"] == meta["og:description"]
    assert meta["description"].startswith("Công văn 2642/UBND-VX ngày 26/08/2021 của ")
    assert record["trich_yeu"][:40] in meta["description"]
    assert meta["og:title"].startswith("Công văn 2642/UBND-VX") and meta["og:type"] == "article"
    assert meta["og:site_name"] and meta["twitter:card"] == "summary"
    assert page.locator("meta[name='description']").count() == 1
    page.goto(f"{seed_url}/")
    assert page.locator("meta[property='og:type']").get_attribute("content") == "website"


def test_hostile_subject_stays_inside_the_description(page, extra_site: Path, serve) -> None:
    page.goto(f"{serve(extra_site)}/van-ban/2021-thu-xss/")
    content = page.locator("meta[name='description']").get_attribute("content")
    assert "<script>window.__xss=1</script>" in content  # as text, inside the attribute
    assert page.evaluate("() => window.__xss") is None


def test_the_feed_has_a_page_for_people(page, seed_url: str) -> None:
    page.goto(f"{seed_url}/")
    page.get_by_role("link", name="Nhận tin văn bản mới").first.click()
    page.wait_for_url("**/nguon-tin/")
    assert page.locator("#vb-feed-url").input_value().endswith("feed.xml")
    assert page.locator("ol.vb-list > li").count() == 5
    assert page.get_by_role("link", name="Mở nguồn tin (feed.xml)").get_attribute("href").endswith("feed.xml")


@pytest.mark.parametrize("seed", ["000", "002", "004"])
def test_print_keeps_the_signature_with_the_last_paragraph(page, seed_url: str, seed: str) -> None:
    """Chromium's own print to PDF, read back with pypdf: every page says "Trang i/n", and the
    signer's name is on the page that ends the last paragraph of the body (seed 002's signature
    used to stand alone on page 4)."""
    from pypdf import PdfReader

    page.goto(f"{seed_url}/van-ban/{SEED_IDS[seed]}/")
    last = _squash(page.locator(".vb-letter__body--last").inner_text())
    signer = _squash(page.locator(".vb-letter__signer").inner_text())
    page.emulate_media(media="print")
    assert not page.locator(".vb-meta").is_visible() and not page.locator(".vb-draft-note").is_visible()
    pages = [_squash(p.extract_text()) for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert f"Trang {number}/{len(pages)}" in text, (number, text[:80])
    with_signer = [i for i, text in enumerate(pages) if signer in text]
    assert with_signer, signer
    assert last[-40:] in pages[with_signer[0]] or last[:40] in pages[with_signer[0]], (last, with_signer)


def test_search_results_arriving_move_nothing_in_view(page, seed_url: str) -> None:
    """Lighthouse's CLS on the search page was 0.40: the footer, then the page's own line of text,
    moved down as results arrived."""
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__shift += e.value; })"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(f"{seed_url}/tim-kiem/?q=covid")
    page.wait_for_selector(".vb-hit")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__shift") <= 0.05


def _squash(text: str) -> str:
    return " ".join(text.split())
