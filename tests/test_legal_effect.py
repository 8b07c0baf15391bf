"""Legal effect: effective and end dates and replace/amend/repeal relations, read from a decision's
articles or set in front matter, the status computed from them, shown both ways on letter pages;
fields (lĩnh vực) from content/linh-vuc.yml with their list pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_project, run_mkdocs
from test_checks import LETTER

from builder.archive.read import read_archive
from builder.letters.legal_effect import Relations, effect_view, read_effect
from builder.letters.letter import Severity

DECISION = (Path(__file__).parent / "fixtures" / "quyet-dinh-hieu-luc-tu-ngay-ky.txt").read_text(
    encoding="utf-8"
)
"""Quyết định 15/2019/QĐ-UBND of 12/3/2019: "Quyết định này có hiệu lực kể từ ngày ký"."""
REPLACING = "---\nlinh_vuc: [y te]\n---\n" + DECISION.replace("15/2019/QĐ-UBND", "7/2024/QĐ-UBND").replace(
    "ngày 12 tháng 3 năm 2019", "ngày 05 tháng 8 năm 2024"
).replace(
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Quyết định này có hiệu lực thi hành từ ngày 15 tháng 8 năm 2024 và thay thế Quyết định số"
    " 15/2019/QĐ-UBND ngày 12/3/2019 của Ủy ban nhân dân huyện; bãi bỏ Quyết định số 3/2017/QĐ-UBND.",
)


@pytest.mark.parametrize(
    ("sentence", "kind", "effective", "ends"),
    [
        ("Quyết định này có hiệu lực kể từ ngày ký.", "Quyết định", "2025-09-26", None),
        ("Nghị quyết này có hiệu lực từ ngày ký ban hành.", "Nghị quyết", "2025-09-26", None),
        (
            "Quyết định này có hiệu lực thi hành kể từ ngày 01 tháng 10 năm 2025.",
            "Quyết định",
            "2025-10-01",
            None,
        ),
        (
            "Quyết định này có hiệu lực từ ngày 01/10/2025 đến hết ngày 31/12/2025.",
            "Quyết định",
            "2025-10-01",
            "2026-01-01",
        ),
        ("Chỉ thị này có hiệu lực sau 10 ngày kể từ ngày ký.", "Chỉ thị", "2025-10-06", None),
        ("Quyết định này có hiệu lực kể từ ngày ký.", "Công văn", None, None),  # not a normative type
        ("Quyết định số 12/QĐ-UBND có hiệu lực từ ngày 01/01/2020.", "Quyết định", None, None),  # not itself
        ("Quyết định này có hiệu lực từ ngày 31/02/2025.", "Quyết định", None, None),  # no such day
    ],
)
def test_effect_read_from_the_articles(
    sentence: str, kind: str, effective: str | None, ends: str | None
) -> None:
    reading = read_effect(f"Điều 3. {sentence}", kind, "2025-09-26")
    assert (reading.ngay_hieu_luc, reading.het_hieu_luc) == (effective, ends)


def test_an_unreadable_effective_date_is_left_empty_with_a_warning() -> None:
    reading = read_effect(
        "\nĐiều 2. Quyết định này có hiệu lực từ ngày HĐND huyện thông qua.",
        "Quyết định",
        "2025-09-26",
        "a.txt",
    )
    assert reading.ngay_hieu_luc is None
    (warning,) = reading.diagnostics
    assert warning.severity is Severity.WARNING and warning.line == 2 and "ngay_hieu_luc" in warning.fix


def test_relations_read_from_the_text() -> None:
    reading = read_effect(REPLACING, "Quyết định", "2024-08-05")
    assert reading.thay_the == ["15/2019/QĐ-UBND"] and reading.bai_bo == ["3/2017/QĐ-UBND"]
    amend = read_effect(
        "Sửa đổi, bổ sung một số điều của Quyết định số 4/2021/QĐ-UBND ngày 2/3/2021.",
        "Quyết định",
        "2025-01-02",
    )
    assert amend.sua_doi == ["4/2021/QĐ-UBND"] and amend.thay_the == []


def test_a_decision_effective_from_signing_gets_its_date(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", letters={"2019/qd-15.txt": DECISION}, seeds=False)
    (letter,) = read_archive(project / "content").letters
    assert (
        letter.loai_van_ban == "Quyết định" and letter.ngay_hieu_luc == letter.ngay_ban_hanh == "2019-03-12"
    )


def test_front_matter_wins_and_fields_are_checked(tmp_path: Path) -> None:
    set_by_hand = "---\nngay_hieu_luc: 2019-04-01\nlinh_vuc: [Giáo dục, giao duc]\n---\n" + DECISION
    unknown = "---\nlinh_vuc: [Thể thao]\n---\n" + LETTER
    project = make_project(tmp_path / "p", letters={"a.txt": set_by_hand, "b.txt": unknown}, seeds=False)
    archive = read_archive(project / "content")
    (letter,) = archive.letters
    assert letter.ngay_hieu_luc == "2019-04-01" and letter.linh_vuc == ["Giáo dục"]
    (error,) = archive.errors
    assert (
        error.path.endswith("b.txt") and error.line == 2 and "Lĩnh vực 'Thể thao' không có" in error.message
    )


def test_status_from_dates_and_relations(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", letters={"a.txt": DECISION, "b.txt": REPLACING}, seeds=False)
    archive = read_archive(project / "content")
    old, new = sorted(archive.letters, key=lambda x: x.ngay_ban_hanh)
    relations = Relations(archive.letters)
    assert effect_view(old, relations, "2020-01-01").trang_thai == "Còn hiệu lực"
    assert (
        effect_view(old, relations, "2024-08-14").trang_thai == "Còn hiệu lực"
    )  # replacement not yet in force
    assert effect_view(old, relations, "2024-08-15").trang_thai == "Bị thay thế"
    assert effect_view(new, relations, "2024-08-10").trang_thai == "Chưa có hiệu lực"
    assert effect_view(new, relations, "2024-08-15").trang_thai == "Còn hiệu lực"
    assert [x.id for x in effect_view(old, relations, "2025-01-01").bi_thay_the_boi] == [new.id]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    letters = {"2019/qd-15.txt": DECISION, "2024/qd-7.txt": REPLACING}
    project = make_project(tmp_path_factory.mktemp("effect") / "p", letters=letters, seeds=True)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_open_data_has_the_effect_and_fields(built: Path) -> None:
    records = {r["id"]: r for r in json.loads((built / "data" / "van-ban.json").read_text(encoding="utf-8"))}
    new = records["2024-qd-7"]
    assert new["ngay_hieu_luc"] == "2024-08-15" and new["thay_the"] == ["15/2019/QĐ-UBND"]
    assert new["linh_vuc"] == ["Y tế"] and records["2019-qd-15"]["ngay_hieu_luc"] == "2019-03-12"


@pytest.mark.browser
def test_pages_show_effect_both_ways_and_field_lists(page, built: Path, serve) -> None:
    base = serve(built)
    page.goto(f"{base}/van-ban/2019-qd-15/")
    table = page.locator("table.vb-meta")
    assert "12/03/2019" in table.locator("tr", has_text="Ngày có hiệu lực").inner_text()
    assert table.locator(".vb-status").inner_text() == "Bị thay thế"
    effect = page.locator("section.vb-effect")
    assert effect.is_visible() and "Bị thay thế bởi" in effect.inner_text()
    effect.get_by_role("link", name="Quyết định 7/2024/QĐ-UBND").click()
    page.wait_for_url("**/van-ban/2024-qd-7/")
    effect = page.locator("section.vb-effect")
    assert "Văn bản này thay thế" in effect.inner_text() and "3/2017/QĐ-UBND" in effect.inner_text()
    assert effect.get_by_role("link", name="Quyết định 15/2019/QĐ-UBND").count() == 1
    assert page.locator("table.vb-meta .vb-status").inner_text() == "Còn hiệu lực"
    page.locator("table.vb-meta").get_by_role("link", name="Y tế").click()
    page.wait_for_url("**/van-ban/linh-vuc/y-te/")
    assert page.get_by_role("link", name="Quyết định 7/2024/QĐ-UBND").count() == 1
    assert page.locator("h1").inner_text() == "Văn bản lĩnh vực Y tế"
