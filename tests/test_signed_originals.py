"""Signed originals: a PDF or scan committed beside a letter is published byte for byte under a
readable name, linked from the letter's page as "Bản gốc có chữ ký" and listed in open data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_project, run_mkdocs
from test_checks import LETTER

from builder.archive.read import read_archive
from builder.publish.wording import signed_original_name

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(range(256)) * 40 + b"\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"
SECOND = LETTER.replace("Số: 12/UBND-VP", "Số: 13/UBND-VP")
WITHDRAWN = "---\nthu_hoi: {ngay: 2022-04-01, ly_do: Đăng nhầm.}\n---\n" + LETTER.replace(
    "12/UBND-VP", "14/UBND-VP"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {
        "2022/12-ubnd-vp.txt": LETTER,
        "2022/12-ubnd-vp.pdf": PDF,
        "2022/13-ubnd-vp.txt": SECOND,
        "2022/13-ubnd-vp.jpg": JPG,
        "2022/14-ubnd-vp.txt": WITHDRAWN,
        "2022/14-ubnd-vp.pdf": PDF,
    }
    project = make_project(tmp_path_factory.mktemp("signed") / "project", letters=files, seeds=True)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_readable_name_from_type_number_and_symbol(project: Path) -> None:
    letters = {x.id: x for x in read_archive(project / "content").letters}
    assert signed_original_name(letters["2022-12-ubnd-vp"], ".PDF") == "cong-van-12-ubnd-vp-2022-ban-goc.pdf"
    unnumbered = letters["000-7b39c955ad7f8a28"]
    assert signed_original_name(unnumbered, ".jpg") == "cong-van-chua-co-so-ubnd-th-2021-ban-goc.jpg"


def test_published_byte_for_byte_and_in_open_data(project: Path) -> None:
    site = project / "site"
    pdf = site / "van-ban" / "2022-12-ubnd-vp" / "cong-van-12-ubnd-vp-2022-ban-goc.pdf"
    jpg = site / "van-ban" / "2022-13-ubnd-vp" / "cong-van-13-ubnd-vp-2022-ban-goc.jpg"
    assert pdf.read_bytes() == PDF and jpg.read_bytes() == JPG
    assert not list((site / "van-ban" / "2022-14-ubnd-vp").glob("*.pdf"))  # withdrawn: not published
    records = {r["id"]: r for r in json.loads((site / "data" / "van-ban.json").read_text(encoding="utf-8"))}
    assert records["2022-12-ubnd-vp"]["ban_goc"].endswith(
        "/van-ban/2022-12-ubnd-vp/cong-van-12-ubnd-vp-2022-ban-goc.pdf"
    )
    assert records["002-1df910771a3bcb65"]["ban_goc"] is None
    one = json.loads((site / "data" / "van-ban" / "2022-13-ubnd-vp.json").read_text(encoding="utf-8"))
    assert one["ban_goc"].endswith("cong-van-13-ubnd-vp-2022-ban-goc.jpg")
    csv = (site / "data" / "van-ban.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].endswith(",url,ban_goc")
    page = (site / "van-ban" / "2022-12-ubnd-vp" / "index.html").read_text(encoding="utf-8")
    ld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    encodings = json.loads(ld)["encoding"]
    assert (
        encodings[0]["encodingFormat"] == "application/pdf" and encodings[1]["encodingFormat"] == "text/plain"
    )


@pytest.mark.browser
def test_letter_page_links_the_signed_original(page, project: Path, serve) -> None:
    base = serve(project / "site")
    page.goto(f"{base}/van-ban/2022-12-ubnd-vp/")
    link = page.get_by_role("link", name="Bản gốc có chữ ký (PDF, 10 KB)")
    assert link.is_visible()
    assert link.get_attribute("download") == "cong-van-12-ubnd-vp-2022-ban-goc.pdf"
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok and response.body() == PDF
    assert page.get_by_role("link", name="Tải tệp gốc dạng chữ (12-ubnd-vp.txt)").is_visible()
    page.goto(f"{base}/van-ban/2022-13-ubnd-vp/")
    assert page.get_by_role("link", name="Bản gốc có chữ ký (ảnh JPEG, 2 KB)").is_visible()
    page.goto(f"{base}/van-ban/002-1df910771a3bcb65/")
    assert page.get_by_role("link", name="Bản gốc có chữ ký").count() == 0
