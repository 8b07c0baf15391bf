"""Every error and warning of `vanban check`, in Vietnamese, naming the file and the line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.archive.read import read_archive
from builder.cli import main
from builder.letters.letter import Diagnostic, Severity
from tests.conftest import make_project

LETTER = """\
**ỦY BAN NHÂN DÂN
HUYỆN MƯỜNG TÈ**

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc**

Số: 12/UBND-VP

Mường Tè, ngày 5 tháng 3 năm 2022

V/v kiểm tra công tác phòng cháy

Kính gửi: Ủy ban nhân dân các xã, thị trấn.

Đề nghị các xã thực hiện./.

Nơi nhận:
- Như trên;
- Lưu: VT.

**KT. CHỦ TỊCH
PHÓ CHỦ TỊCH**

Kiều Hải Nam
"""
FORMAT = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<kind>lỗi|cảnh báo): (?P<what>.+) — (?P<fix>.+)$")


def check(tmp_path: Path, files: dict[str, bytes | str]) -> list[Diagnostic]:
    """Diagnostics of an archive made of ``files`` (and the registry)."""
    project = make_project(tmp_path / "project", letters=files, seeds=False)
    return read_archive(project / "content").diagnostics


def only(diagnostics: list[Diagnostic], severity: Severity, words: str) -> Diagnostic:
    """The one diagnostic of ``severity`` whose message contains ``words``."""
    found = [d for d in diagnostics if d.severity is severity and words in d.message]
    assert len(found) == 1, [str(d) for d in diagnostics]
    return found[0]


def assert_told(diagnostic: Diagnostic, name: str, line: int) -> None:
    """Formatted as `path:line: lỗi|cảnh báo: what — how to fix`, naming the file and line."""
    match = FORMAT.match(str(diagnostic))
    assert match, str(diagnostic)
    assert match["path"].endswith(name)
    assert int(match["line"]) == line
    assert match["kind"] == diagnostic.severity.value
    assert len(match["fix"]) > 10


# --- errors --------------------------------------------------------------------------------------


def test_unreadable_encoding(tmp_path):
    data = LETTER.encode("utf-8").replace("Mường".encode(), b"M\xc6\xef\xeeng")
    diagnostic = only(check(tmp_path, {"a.txt": data}), Severity.ERROR, "UTF-8")
    assert_told(diagnostic, "a.txt", 9)


def test_empty_file(tmp_path):
    for name, data in {"rong.txt": b"", "trang.txt": "  \n\n \n"}.items():
        diagnostics = check(tmp_path / name, {name: data})
        diagnostic = only(diagnostics, Severity.ERROR, "")
        assert_told(diagnostic, name, 1)
        assert "rỗng" in diagnostic.message or "không có nội dung" in diagnostic.message


def test_binary_file(tmp_path):
    diagnostics = check(tmp_path, {"anh.txt": b"%PDF-1.4\n\x00\x01\x02binary"})
    (diagnostic,) = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert_told(diagnostic, "anh.txt", 1)


def test_no_issuer(tmp_path):
    text = LETTER.split("**CỘNG HÒA", 1)[1]
    text = "**CỘNG HÒA" + text
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.ERROR, "cơ quan ban hành")
    assert_told(diagnostic, "a.txt", 1)


def test_no_year(tmp_path):
    text = LETTER.replace("Mường Tè, ngày 5 tháng 3 năm 2022", "Mường Tè, ngày 5 tháng 3 năm")
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.ERROR, "năm ban hành")
    assert_told(diagnostic, "a.txt", 9)


def test_date_that_does_not_exist(tmp_path):
    text = LETTER.replace("ngày 5 tháng 3", "ngày 31 tháng 2")
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.ERROR, "không có thật")
    assert_told(diagnostic, "a.txt", 9)


@pytest.mark.parametrize("mark", ["MẬT", "TỐI MẬT", "TUYỆT MẬT"])
def test_classification_mark_is_never_published(tmp_path, mark):
    text = LETTER.replace("Số: 12/UBND-VP", f"Số: 12/UBND-VP\n\n**{mark}**")
    project = make_project(tmp_path / "p", letters={"mat.txt": text}, seeds=False)
    archive = read_archive(project / "content")
    diagnostic = only(archive.diagnostics, Severity.ERROR, "độ mật")
    assert_told(diagnostic, "mat.txt", 9)
    assert archive.letters == []


def test_same_number_twice_for_one_issuer_in_one_year_names_both_files(tmp_path):
    diagnostics = check(tmp_path, {"a.txt": LETTER, "2022/b.txt": LETTER.replace("ngày 5", "ngày 9")})
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 2
    for diagnostic, other in zip(sorted(errors, key=lambda d: d.path), ("a.txt", "2022/b.txt"), strict=True):
        assert_told(diagnostic, Path(diagnostic.path).name, 7)
        assert "12/UBND-VP" in diagnostic.message and other in diagnostic.message


def test_same_number_in_another_year_or_issuer_is_fine(tmp_path):
    other_year = LETTER.replace("năm 2022", "năm 2023")
    other_issuer = LETTER.replace("HUYỆN MƯỜNG TÈ", "HUYỆN MAI SƠN").replace("Mường Tè,", "Mai Sơn,")
    diagnostics = check(tmp_path, {"a.txt": LETTER, "b.txt": other_year, "c.txt": other_issuer})
    assert [d for d in diagnostics if d.severity is Severity.ERROR] == []


def test_two_letters_with_one_id(tmp_path):
    diagnostics = check(tmp_path, {"cong van 1.txt": LETTER, "cong-van-1.txt": LETTER.replace("12/", "13/")})
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 2
    for diagnostic in errors:
        assert "cong-van-1" in diagnostic.message
        assert "cong van 1.txt" in diagnostic.message and "cong-van-1.txt" in diagnostic.message
        assert_told(diagnostic, Path(diagnostic.path).name, 1)


@pytest.mark.parametrize(
    ("front", "words", "line"),
    [
        ("---\nso: 12\nngay_ban_hnah: 2022-03-05\n---\n", "ngay_ban_hnah", 3),
        ("---\nso: mười hai\n---\n", "'so'", 2),
        ("---\nso: '²'\n---\n", "'so'", 2),
        ("---\nngay_ban_hanh: 2022-02-30\n---\n", "'ngay_ban_hanh'", 2),
        ("---\ndo_khan: rất khẩn\n---\n", "'do_khan'", 2),
        ("---\nthu_hoi: {ngay: 2022-04-01}\n---\n", "'thu_hoi'", 2),
        ("---\nso: 12\ntrich_yeu: [a\n---\n", "cú pháp", 3),
        ("---\nso: 12\n", "'---'", 1),
        ("---\nid: khac\n---\n", "'id'", 2),
    ],
)
def test_bad_front_matter(tmp_path, front, words, line):
    diagnostic = only(check(tmp_path, {"a.txt": front + LETTER}), Severity.ERROR, words)
    assert_told(diagnostic, "a.txt", line)


def test_unknown_front_matter_key_suggests_the_closest(tmp_path):
    diagnostic = only(
        check(tmp_path, {"a.txt": "---\nngay_ban_hnah: 2022-03-05\n---\n" + LETTER}),
        Severity.ERROR,
        "không có",
    )
    assert "'ngay_ban_hanh'" in diagnostic.fix
    diagnostic = only(
        check(tmp_path / "2", {"a.txt": "---\nngày ban hành: 2022-03-05\n---\n" + LETTER}),
        Severity.ERROR,
        "không có",
    )
    assert "'ngay_ban_hanh'" in diagnostic.fix


def test_front_matter_sets_withdrawal_and_corrections(tmp_path):
    front = (
        "---\nthu_hoi: {ngay: 2022-04-01, ly_do: Đăng nhầm}\n"
        "dinh_chinh:\n  - {ngay: 2022-03-10, noi_dung: Sửa ngày}\n---\n"
    )
    project = make_project(tmp_path / "p", letters={"a.txt": front + LETTER}, seeds=False)
    (letter,) = read_archive(project / "content").letters
    assert (letter.thu_hoi.ngay, letter.thu_hoi.ly_do, letter.is_listed) == ("2022-04-01", "Đăng nhầm", False)
    assert [(c.ngay, c.noi_dung) for c in letter.dinh_chinh] == [("2022-03-10", "Sửa ngày")]


# --- warnings ------------------------------------------------------------------------------------


def test_blank_number_is_a_draft(tmp_path):
    text = LETTER.replace("Số: 12/UBND-VP", "Số: /UBND-VP")
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.WARNING, "chưa có số")
    assert_told(diagnostic, "a.txt", 7)


def test_blank_day_is_a_draft(tmp_path):
    text = LETTER.replace("ngày 5 tháng 3", "ngày     tháng 3")
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.WARNING, "để trống")
    assert_told(diagnostic, "a.txt", 9)


def test_issuer_spelled_unlike_the_registry_names_the_canonical_name(tmp_path):
    text = LETTER.replace("HUYỆN MƯỜNG TÈ", "HUYỆN MUỜNG TÈ")
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.WARNING, "viết khác sổ")
    assert_told(diagnostic, "a.txt", 1)
    assert "'Ủy ban nhân dân huyện Mường Tè'" in diagnostic.message


def test_issuer_not_in_registry_says_how_to_add_it(tmp_path):
    text = LETTER.replace("HUYỆN MƯỜNG TÈ", "HUYỆN SÌN HỒ").replace("Mường Tè,", "Sìn Hồ,")
    project = make_project(tmp_path / "p", letters={"a.txt": text}, seeds=False)
    archive = read_archive(project / "content")
    diagnostic = only(archive.diagnostics, Severity.WARNING, "chưa có trong sổ")
    assert_told(diagnostic, "a.txt", 1)
    assert "co-quan-ban-hanh.yml" in diagnostic.fix
    assert archive.letters[0].co_quan_ban_hanh == "Ủy ban nhân dân huyện Sìn Hồ"


def test_issuer_is_never_inferred_from_the_place(tmp_path):
    text = LETTER.replace("HUYỆN MƯỜNG TÈ", "HUYỆN SÌN HỒ")
    project = make_project(tmp_path / "p", letters={"a.txt": text}, seeds=False)
    assert read_archive(project / "content").letters[0].co_quan_ban_hanh == "Ủy ban nhân dân huyện Sìn Hồ"


def test_place_spelled_unlike_the_registry(tmp_path):
    text = LETTER.replace("Mường Tè, ngày", "Muờng Tè, ngày")
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.WARNING, "Địa danh")
    assert_told(diagnostic, "a.txt", 9)


def test_lines_that_fit_no_component(tmp_path):
    text = LETTER.replace("Kính gửi:", "Chuyển TC-HC - Tỉnh ủy\nĐầu Kẹp Xếp P\n\nKính gửi:")
    diagnostics = check(tmp_path, {"a.txt": text})
    assert_told(only(diagnostics, Severity.WARNING, "Chuyển TC-HC"), "a.txt", 13)
    assert_told(only(diagnostics, Severity.WARNING, "Đầu Kẹp"), "a.txt", 14)


def test_seed_002_stamp_warning_names_its_lines():
    archive = read_archive(Path(__file__).resolve().parent.parent / "content")
    stamp = [d for d in archive.warnings if "không thuộc thành phần nào" in d.message]
    assert [(Path(d.path).name[:3], d.line) for d in stamp] == [("002", 17), ("002", 18)]


def test_github_annotation_names_file_and_line(tmp_path):
    text = LETTER.replace("Số: 12/UBND-VP", "Số: /UBND-VP")
    diagnostic = only(check(tmp_path, {"a.txt": text}), Severity.WARNING, "chưa có số")
    assert re.match(r"^::warning file=[^,]*a\.txt,line=7::", diagnostic.github_annotation())


# --- the command -----------------------------------------------------------------------------------


def test_vanban_check_exit_codes_and_output(tmp_path):
    project = make_project(tmp_path / "p", letters={"dup.txt": LETTER, "dup2.txt": LETTER}, seeds=True)
    runner = CliRunner()
    config = str(project / "mkdocs.yml")
    result = runner.invoke(main, ["check", "--config", config])
    assert result.exit_code == 1
    assert re.search(r"dup\.txt:7: lỗi: Số, ký hiệu '12/UBND-VP'", result.output)
    result = runner.invoke(
        main, ["check", "--config", config, str(project / "content" / "000_7b39c955ad7f8a28.txt")]
    )
    assert result.exit_code == 0, result.output
    assert "cảnh báo" in result.output and "dup.txt" not in result.output


def test_vanban_check_given_path_still_sees_duplicates_in_the_archive(tmp_path):
    project = make_project(tmp_path / "p", letters={"a.txt": LETTER}, seeds=False)
    outside = tmp_path / "moi.txt"
    outside.write_text(LETTER, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(project / "mkdocs.yml"), str(outside)])
    assert result.exit_code == 1
    assert "moi.txt:7: lỗi:" in result.output and "a.txt" in result.output


def test_vanban_check_under_github_actions_prints_annotations(tmp_path):
    project = make_project(tmp_path / "p", seeds=True)
    result = CliRunner().invoke(
        main, ["check", "--config", str(project / "mkdocs.yml")], env={"GITHUB_ACTIONS": "true"}
    )
    assert result.exit_code == 0
    assert "::warning file=" in result.output and ",line=17::" in result.output


def test_vanban_normalize_writes_one_file_per_letter(tmp_path):
    project = make_project(tmp_path / "p", seeds=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["normalize", "--config", str(project / "mkdocs.yml"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.md")) == [
        "000-7b39c955ad7f8a28.md",
        "001-c4338ab285b75807.md",
        "002-1df910771a3bcb65.md",
        "003-e735ed85d8d8326f.md",
        "004-8b77143a53b7dc4f.md",
    ]


def test_a_rule_at_the_top_is_not_front_matter(tmp_path):
    text = "---\n" + LETTER.replace("HUYỆN MƯỜNG TÈ**", "HUYỆN MƯỜNG TÈ**\n---", 1)
    project = make_project(tmp_path / "p", letters={"a.txt": text}, seeds=False)
    archive = read_archive(project / "content")
    assert archive.errors == [] and archive.letters[0].co_quan_ban_hanh == "Ủy ban nhân dân huyện Mường Tè"
