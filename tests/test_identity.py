"""Whose portal this is: the agency block of mkdocs.yml, in the header, footer and "Giới thiệu"."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_project, run_mkdocs

from builder.publish.identity import REQUIRED, Agency, agency_from_extra
from builder.settings import _LenientLoader


def _configured() -> dict:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LenientLoader)
    return config["extra"]["co_quan"]


def test_the_committed_configuration_names_one_body_with_placeholders_marked() -> None:
    agency = agency_from_extra({"co_quan": _configured()})
    assert isinstance(agency, Agency)
    assert agency.ten and agency.ten_ngan and len(agency.ten_ngan) < len(agency.ten)
    assert agency.gia_tri_mau is True  # the seeds' values are samples, and say so
    assert (REPO / "site_theme" / str(agency.bieu_tuong)).is_file()


@pytest.mark.parametrize("missing", REQUIRED)
def test_a_missing_value_is_named(missing: str) -> None:
    block = dict(_configured())
    block[missing] = "  "
    with pytest.raises(ValueError, match=missing):
        agency_from_extra({"co_quan": block})


def test_unknown_keys_and_wrong_types_are_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="khóa không có: dien_thaoi"):
        agency_from_extra({"co_quan": {**_configured(), "dien_thaoi": "1"}})
    with pytest.raises(ValueError, match="gia_tri_mau phải là true hoặc false"):
        agency_from_extra({"co_quan": {**_configured(), "gia_tri_mau": "có"}})
    assert agency_from_extra({}) is None


def test_a_bad_block_stops_the_build_with_its_message(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", seeds=False)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('    email: "vanphong@example.gov.vn"', '    email: ""'), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert "extra.co_quan: thiếu hoặc để trống: email" in result.stdout + result.stderr


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "van-ban/", "gioi-thieu/"])
def test_header_and_footer_say_whose_portal_it_is(page, seed_url: str, path: str) -> None:
    configured = _configured()
    page.goto(f"{seed_url}/{path}")
    emblem = page.locator("header .md-logo img")
    assert emblem.is_visible()
    box = emblem.bounding_box()
    assert box is not None and box["width"] >= 24
    short = page.locator("header .vb-short-name")
    assert short.is_visible() and short.inner_text().strip() == configured["ten_ngan"]
    # Not cut to "UB…": the whole short name fits its box.
    assert short.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")
    footer = page.locator("footer .vb-agency")
    footer.scroll_into_view_if_needed()
    text = footer.inner_text()
    for key in ("ten", "dia_chi", "dien_thoai", "email", "nguoi_chiu_trach_nhiem", "can_cu_phap_ly"):
        assert configured[key] in text, key
    assert "Thông tin mẫu" in text  # the placeholders are marked as such
    assert footer.locator(f"a[href='mailto:{configured['email']}']").count() == 1


@pytest.mark.browser
def test_about_page_has_the_whole_block(page, seed_url: str) -> None:
    configured = _configured()
    page.goto(f"{seed_url}/gioi-thieu/")
    block = page.locator("article .vb-agency")
    assert block.locator("h2").inner_text() == "Cơ quan chủ quản và liên hệ"
    for key in ("ten", "dia_chi", "dien_thoai", "email", "nguoi_chiu_trach_nhiem"):
        assert configured[key] in block.inner_text()
