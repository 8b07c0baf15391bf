"""WCAG 2.1 AA checked by axe-core in Chromium at phone and desktop width: no serious or
critical violation on the home page, a list, letters and the search page."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_letters import CITING, HOSTILE, WITHDRAWN, page_path, records_by_file

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "van-ban/",
        "van-ban/nam/2021/",
        "tim-kiem/",
        "tim-kiem/?q=phong+chong+dich",
        "gioi-thieu/",
        "du-lieu-mo/",
    ],
)
def test_pages_have_no_serious_violations(page, seed_url: str, path: str) -> None:
    page.goto(f"{seed_url}/{path}")
    page.wait_for_load_state("networkidle")
    assert _violations(page) == []


def test_every_seed_letter_has_no_serious_violations(page, seed_site: Path, seed_url: str) -> None:
    for record in records_by_file(seed_site).values():
        page.goto(f"{seed_url}/{page_path(record)}")
        assert _violations(page) == [], record["tep_goc"]


def test_special_letters_and_pagination_have_no_serious_violations(page, extra_site: Path, serve) -> None:
    """A withdrawn letter (notice), a corrected and citing one, the hostile one, a paginated list."""
    base = serve(extra_site)
    records = records_by_file(extra_site)
    for path in [*(page_path(records[name]) for name in (WITHDRAWN, CITING, HOSTILE)), "van-ban/trang-1/"]:
        page.goto(f"{base}/{path}")
        assert _violations(page) == [], path


def test_404_page_has_no_serious_violations(page, seed_url: str) -> None:
    page.goto(f"{seed_url}/404.html")
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    assert _violations(page) == []
