"""Nothing committed to content/ is silently ignored: every file is a letter, a registry, a signed
original beside a letter, or an error naming the file and what to do (``builder.archive.content_files``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_checks import LETTER, assert_told, check, only

from builder.archive.content_files import ORIGINAL_MAX_BYTES
from builder.cli import main
from builder.letters.letter import Severity
from tests.conftest import make_project

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\0" * 60


@pytest.mark.parametrize(
    ("name", "data", "words", "fix"),
    [
        ("2025/cong-van-215.docx", DOCX, "Đây là tệp Word", "vanban import cong-van-215.docx"),
        ("2025/cu.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 60, "tệp Word cũ (.doc)", "*.docx"),
        ("CV 233.TXT", LETTER.encode(), "có đuôi '.TXT' viết hoa", "Đổi tên thành 'CV 233.txt'"),
        ("2025/thu.md", LETTER.encode(), "Đây là tệp Markdown", "Đổi tên thành 'thu.txt'"),
        (
            "2025/bang.xlsx",
            b"PK\x03\x04",
            "không phải văn bản (.txt), sổ đăng ký hay bản gốc",
            "ra khỏi content/",
        ),
        ("2025/mo-coi.pdf", PDF, "không có văn bản cùng tên ('mo-coi.txt')", "cùng tên"),
        ("2025/a.pdf", b"<html>not a pdf</html>", "không phải PDF thật", "PDF"),
    ],
)
def test_stray_files_are_named_with_what_to_do(
    tmp_path: Path, name: str, data: bytes, words: str, fix: str
) -> None:
    diagnostics = check(tmp_path, {"2025/a.txt": LETTER, name: data})
    found = only(diagnostics, Severity.ERROR, words)
    assert_told(found, Path(name).name, 1)
    assert fix in found.fix


def test_registries_guide_hidden_files_and_originals_are_not_strays(tmp_path: Path) -> None:
    diagnostics = check(
        tmp_path, {"2025/a.txt": LETTER, "2025/a.pdf": PDF, ".gitkeep": "", "2025/.DS_Store": b"\0"}
    )
    assert [d for d in diagnostics if d.severity is Severity.ERROR] == []


def test_an_original_too_large_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", letters={"2025/a.txt": LETTER}, seeds=False)
    with (project / "content" / "2025" / "a.pdf").open("wb") as handle:
        handle.write(PDF)
        handle.truncate(ORIGINAL_MAX_BYTES + 1)  # sparse: no 20 MB written
    from builder.archive.read import read_archive

    archive = read_archive(project / "content")
    found = only(archive.diagnostics, Severity.ERROR, "Bản gốc quá lớn")
    assert "dpi" in found.fix and archive.originals == {}


def test_vanban_check_refuses_a_stray_docx(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", letters={"2025/thu.docx": DOCX}, seeds=True)
    config = str(project / "mkdocs.yml")
    result = CliRunner().invoke(main, ["check", "--config", config])
    assert result.exit_code == 1
    assert re.search(r"thu\.docx:1: lỗi: Đây là tệp Word.* — Dùng `vanban import thu\.docx`", result.output)
    given = CliRunner().invoke(
        main, ["check", "--config", config, str(project / "content" / "2025" / "thu.docx")]
    )
    assert given.exit_code == 1 and "thu.docx:1: lỗi:" in given.output
