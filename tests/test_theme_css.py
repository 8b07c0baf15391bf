"""The portal loads material's stylesheet cut to the rules its pages can use
(site_theme/assets/stylesheets/material.<hash>.css, made by builder/publish/theme_css.py): made from
the installed material, keeping every class the built sites and the theme use, named by its content
(cached for a year by deploy/nginx.conf), and the pages look exactly as they do with material's whole
stylesheet (Chromium, 360 and 1280 px)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, SEED_IDS

from builder.publish.theme_css import (
    HEADER,
    STYLESHEETS,
    class_names,
    committed,
    made,
    material_stylesheet,
    styled,
    subset,
    subset_name,
    swap,
)

FILE = committed(REPO / "site_theme")
SUBSET = f"{STYLESHEETS}/{FILE.name}"


def _header() -> tuple[str, set[str]]:
    match = HEADER.match(FILE.read_text(encoding="utf-8"))
    assert match, f"{SUBSET} has no header: make it again (python3 -m builder.publish.theme_css site)"
    return match[1], set(match[2].split())


def test_made_from_the_installed_material_and_nothing_else() -> None:
    source, classes = _header()
    assert source == material_stylesheet().name, (
        f"{SUBSET} was made from {source}, material now ships {material_stylesheet().name}: "
        "make it again (mkdocs build && python3 -m builder.publish.theme_css site) and rename it in "
        "site_theme/main.html"
    )
    assert FILE.read_text(encoding="utf-8") == made(material_stylesheet(), classes)
    assert FILE.name == subset_name(FILE.read_text(encoding="utf-8"))  # named by its content
    assert swap(source, FILE.name) in (REPO / "site_theme" / "main.html").read_text(encoding="utf-8")


def test_every_class_the_sites_and_theme_use_is_kept(seed_site: Path, extra_site: Path) -> None:
    _, kept = _header()
    needed = class_names([seed_site, extra_site]) & styled(material_stylesheet().read_text(encoding="utf-8"))
    assert needed - kept == set(), "make the file again: python3 -m builder.publish.theme_css site"


def test_pages_load_the_subset_not_materials_whole_stylesheet(seed_site: Path) -> None:
    whole = material_stylesheet().name
    pages = list(seed_site.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert whole not in text, page
        assert f'assets/stylesheets/{FILE.name}">' in text, page
    assert (seed_site / SUBSET).read_bytes() == FILE.read_bytes()
    assert len(FILE.read_bytes()) < 0.5 * material_stylesheet().stat().st_size


def test_the_cut_keeps_what_may_match() -> None:
    css = (
        '@charset "UTF-8";.a{x:1}.b .c{x:2}.a,.z{x:3}@media screen{.z{x:4}.a:not(.z){x:5}}'
        ":root{--v:1}.a :is(.z,p){x:6}.a :is(.z,.y){x:7}@keyframes k{0%{x:0}}"
        '.a:after{content:"}{"}'
    )
    assert subset(css, {"a"}) == (
        '@charset "UTF-8";.a{x:1}.a{x:3}@media screen{.a:not(.z){x:5}}'
        ':root{--v:1}.a :is(.z,p){x:6}@keyframes k{0%{x:0}}.a:after{content:"}{"}'
    )


PAGES = ["", f"van-ban/{SEED_IDS['002']}/", "van-ban/", "tim-kiem/?q=covid", "gioi-thieu/", "nguon-tin/"]


@pytest.mark.browser
def test_pages_look_as_with_materials_whole_stylesheet(page, seed_url: str) -> None:
    whole = material_stylesheet().read_bytes()

    def shots() -> list[bytes]:
        taken = []
        for path in PAGES:
            page.goto(f"{seed_url}/{path}")
            if path.startswith("tim-kiem/"):
                page.wait_for_selector("[data-vb-search][data-state=done]")
            page.evaluate("document.activeElement && document.activeElement.blur()")
            # The header's search box is masked: its text's last pixels vary from one load to the next.
            shot = {"animations": "disabled", "caret": "hide", "mask": [page.locator("header input")]}
            taken.append(page.screenshot(full_page=True, **shot))
            if page.viewport_size["width"] < 600:  # the drawer, opened (at once: no transition to catch)
                page.add_style_tag(content="*, ::before, ::after { transition: none !important; }")
                page.locator("label.md-header__button[for=__drawer]").first.click()
                page.wait_for_function("document.getElementById('__drawer').checked")
                page.evaluate(
                    "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
                )
                taken.append(page.screenshot(**shot))
        return taken

    cut = shots()
    page.route(
        re.compile(rf".*/assets/stylesheets/{re.escape(FILE.name)}$"),
        lambda route: route.fulfill(body=whole, content_type="text/css; charset=utf-8"),
    )
    full = shots()
    assert len(cut) == len(full)
    different = [i for i, (a, b) in enumerate(zip(cut, full, strict=True)) if a != b]
    assert not different, [PAGES[i] if len(cut) == len(PAGES) else i for i in different]
