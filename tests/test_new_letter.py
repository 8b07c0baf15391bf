"""`vanban new`: a letter from the standard template that passes `vanban check` and builds.

The written file is read by the real reader (``read_archive``), checked by the
real ``vanban check`` and built by a real MkDocs build; its metadata must be
what was entered.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, make_project, run_mkdocs

from builder.archive.read import read_archive
from builder.cli import main
from builder.letters.letter import LetterError
from builder.staff.new_letter import (
    BODY_PLACEHOLDER,
    NewLetter,
    create_letter,
    issuer_lines,
    parse_date,
    render,
)
from builder.text.dates import date_words

VARIANTS = {
    "draft-cong-van": NewLetter(
        co_quan_ban_hanh="Ủy ban nhân dân huyện Mường Tè",
        ky_hieu="UBND-VP",
        dia_danh="Mường Tè",
        ngay_ban_hanh="2025-09",
        trich_yeu="tăng cường phòng, chống thiên tai mùa mưa lũ năm 2025",
        kinh_gui=["Các cơ quan, ban, ngành, đoàn thể huyện", "Ủy ban nhân dân các xã, thị trấn"],
        tham_quyen_ky=["KT. CHỦ TỊCH"],
        chuc_vu_nguoi_ky="Phó Chủ tịch",
        nguoi_ky="Kiều Hải Nam",
    ),
    "signed-thong-bao": NewLetter(
        co_quan_ban_hanh="UBND tỉnh Lai Châu",
        co_quan_chu_quan=None,
        loai_van_ban="Thông báo",
        so=118,
        ky_hieu="TB-UBND",
        dia_danh="",  # from the registry
        ngay_ban_hanh="2025-01-05",
        trich_yeu="Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với huyện Mường Tè",
        kinh_gui=["Sở Y tế"],
        tham_quyen_ky=["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"],
        chuc_vu_nguoi_ky="Phó Chánh Văn phòng",
        nguoi_ky="Nguyễn Văn An",
        noi_nhan=["Như trên", "Chủ tịch, các PCT UBND tỉnh", "Lưu: VT, TH"],
        do_khan="Hỏa tốc",
    ),
    "unregistered-issuer-with-parent": NewLetter(
        co_quan_ban_hanh="Phòng Tài chính - Kế hoạch",
        co_quan_chu_quan="UBND huyện Mai Sơn",
        so=7,
        ky_hieu="TCKH",
        dia_danh="Mai Sơn",
        ngay_ban_hanh="2024-02-29",
        trich_yeu="hướng dẫn lập dự toán ngân sách năm 2025",
        kinh_gui=["Các cơ quan, đơn vị dự toán thuộc huyện", "UBND các xã, thị trấn"],
        chuc_vu_nguoi_ky="Trưởng phòng",
        nguoi_ky="Lò Thị Hoa",
        noi_dung="1. Căn cứ lập dự toán:\n\n- Nghị quyết số 68/NQ-CP ngày 01/7/2021 của Chính phủ.\n\n"
        "2. Thời hạn gửi dự toán: trước ngày 15/3/2024.",
    ),
}

ENTERED = ("loai_van_ban", "so", "ky_hieu", "trich_yeu", "do_khan", "kinh_gui", "noi_nhan", "tham_quyen_ky")


def _registry_names() -> dict[str, tuple[str, str]]:
    return {"UBND tỉnh Lai Châu": ("Ủy ban nhân dân tỉnh Lai Châu", "Lai Châu")}


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("26/8/2021", "2021-08-26"),
        ("09/09/2021", "2021-09-09"),
        ("9/2021", "2021-09"),
        ("2021", "2021"),
        ("2021-08-26", "2021-08-26"),
        ("2021-9", "2021-09"),
    ],
)
def test_dates_staff_type(typed: str, iso: str) -> None:
    assert parse_date(typed) == iso


@pytest.mark.parametrize("typed", ["31/2/2021", "26-8", "hôm nay", "2021-13"])
def test_impossible_dates_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="Ngày"):
        parse_date(typed)


@pytest.mark.parametrize(
    ("iso", "line"),
    [
        ("2021-09", "ngày tháng 9 năm 2021"),
        ("2021", "ngày tháng năm 2021"),
        ("2021-02-03", "ngày 03 tháng 02 năm 2021"),
        ("2021-11-30", "ngày 30 tháng 11 năm 2021"),
    ],
)
def test_date_line_as_letters_print_it(iso: str, line: str) -> None:
    """A new letter's date line leaves a blank day or month out with one space, as drafts print it."""
    assert date_words(iso, blank="") == line


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Ủy ban nhân dân huyện Mường Tè", ["ỦY BAN NHÂN DÂN", "HUYỆN MƯỜNG TÈ"]),
        ("Ủy ban nhân dân thành phố Lai Châu", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ LAI CHÂU"]),
        ("Văn phòng HĐND và UBND|huyện Mai Sơn", ["VĂN PHÒNG HĐND VÀ UBND", "HUYỆN MAI SƠN"]),
        ("Phòng Tài chính - Kế hoạch", ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"]),
    ],
)
def test_issuer_block_breaks_before_the_place(name: str, lines: list[str]) -> None:
    assert issuer_lines(name) == lines


def test_layout_is_the_seeds_layout() -> None:
    text = render(VARIANTS["draft-cong-van"])
    assert text == (
        "**ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG TÈ**\n\n"
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc**\n\n"
        "Số: /UBND-VP\n\n"
        "Mường Tè, ngày tháng 9 năm 2025\n\n"
        "V/v tăng cường phòng, chống thiên tai mùa mưa lũ năm 2025\n\n"
        "Kính gửi:\n\n- Các cơ quan, ban, ngành, đoàn thể huyện;\n- Ủy ban nhân dân các xã, thị trấn.\n\n"
        "(Nội dung văn bản: thay đoạn này bằng nội dung đã ký trước khi đưa lên cổng.)\n\n"
        "Nơi nhận:\n\n- Như trên;\n- Lưu: VT.\n\n"
        "**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n\n"
        "Kiều Hải Nam\n"
    )


def _real_body(body: str) -> str:
    """The placeholder is an error in `vanban check` (test_placeholder_is_refused): letters meant to
    pass are given a real body."""
    return (
        "Ủy ban nhân dân huyện đề nghị các cơ quan, đơn vị thực hiện." if body == BODY_PLACEHOLDER else body
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """A project with the seeds and one new letter per variant, written by ``create_letter``."""
    project = make_project(tmp_path_factory.mktemp("new") / "project")
    paths = {
        name: create_letter(
            project / "content",
            dataclasses.replace(letter, kinh_gui=list(letter.kinh_gui), noi_dung=_real_body(letter.noi_dung)),
        )
        for name, letter in VARIANTS.items()
    }
    return project, paths


@pytest.mark.parametrize("variant", VARIANTS)
def test_new_letter_reads_back_as_entered(written: tuple[Path, dict[str, Path]], variant: str) -> None:
    project, paths = written
    entered = VARIANTS[variant]
    archive = read_archive(project / "content")
    relative = paths[variant].relative_to(project / "content").as_posix()
    (letter,) = [x for x in archive.letters if x.tep_goc == relative]
    assert relative.startswith(f"{entered.ngay_ban_hanh[:4]}/")
    for key in ENTERED:
        assert getattr(letter, key) == getattr(entered, key), key
    assert letter.ngay_ban_hanh == entered.ngay_ban_hanh
    assert (letter.chuc_vu_nguoi_ky, letter.nguoi_ky) == (entered.chuc_vu_nguoi_ky, entered.nguoi_ky)
    registered = _registry_names().get(entered.co_quan_ban_hanh)
    if registered:
        assert (letter.co_quan_ban_hanh, letter.dia_danh) == registered
    else:
        assert letter.dia_danh == entered.dia_danh
    if entered.co_quan_chu_quan:
        assert letter.co_quan_chu_quan.lower() == entered.co_quan_chu_quan.lower()
    errors = [d for d in archive.diagnostics if d.path.endswith(relative) and d.severity.value == "lỗi"]
    assert errors == []


def _check(project: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder.cli", "check", *map(str, paths)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_new_letters_pass_vanban_check(written: tuple[Path, dict[str, Path]]) -> None:
    project, paths = written
    result = _check(project, *paths.values())
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": lỗi:" not in result.stderr
    # a signed letter from a registered issuer has nothing to warn about
    signed = paths["signed-thong-bao"].relative_to(project).as_posix()
    assert signed not in result.stderr + result.stdout


def test_new_letters_build(written: tuple[Path, dict[str, Path]]) -> None:
    project, paths = written
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr
    archive = read_archive(project / "content")
    listing = (project / "site" / "van-ban" / "index.html").read_text(encoding="utf-8")
    for variant, path in paths.items():
        relative = path.relative_to(project / "content").as_posix()
        (letter,) = [x for x in archive.letters if x.tep_goc == relative]
        page = project / "site" / "van-ban" / letter.id / "index.html"
        html = page.read_text(encoding="utf-8")
        assert VARIANTS[variant].nguoi_ky in html
        assert VARIANTS[variant].trich_yeu.split(",")[0] in html
        assert letter.id in listing
        assert (page.parent / path.name).read_bytes() == path.read_bytes()  # original file, byte for byte


def _body_file(tmp_path: Path) -> str:
    body = tmp_path / "noi-dung.txt"
    body.write_text("Ủy ban nhân dân huyện đề nghị các cơ quan, đơn vị thực hiện.\n", encoding="utf-8")
    return str(body)


def test_placeholder_is_refused(tmp_path: Path) -> None:
    """`vanban new` without a body writes a placeholder; `vanban check` and the build refuse it."""
    project = make_project(tmp_path / "project", seeds=False)
    path = create_letter(project / "content", dataclasses.replace(VARIANTS["draft-cong-van"]))
    assert BODY_PLACEHOLDER in path.read_text(encoding="utf-8")
    result = _check(project, path)
    assert result.returncode == 1
    assert ": lỗi: Văn bản còn đoạn giữ chỗ của mẫu 'vanban new'" in result.stderr
    assert read_archive(project / "content").letters == []
    built = run_mkdocs(project)
    assert built.returncode != 0 and "đoạn giữ chỗ" in built.stdout + built.stderr


def test_new_command_with_options_and_no_overwrite(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seeds=False)
    options = [
        "new",
        "--config",
        str(project / "mkdocs.yml"),
        "--noi-dung-tu",
        _body_file(tmp_path),
        "--co-quan",
        "UBND huyện Vĩnh Tường",
        "--ky-hieu",
        "UBND-VP",
        "--so",
        "215",
        "--ngay",
        "3/2/2022",
        "--trich-yeu",
        "tổ chức Tết Nguyên đán Nhâm Dần an toàn",
        "--kinh-gui",
        "Các phòng, ban, ngành huyện; UBND các xã, thị trấn",
        "--tham-quyen",
        "TM. ỦY BAN NHÂN DÂN",
        "--chuc-vu",
        "Chủ tịch",
        "--nguoi-ky",
        "Lê Chí Thái",
    ]
    runner = CliRunner()
    first = runner.invoke(main, options)
    assert first.exit_code == 0, first.output
    target = project / "content" / "2022" / "215-ubnd-vp.txt"
    text = target.read_text(encoding="utf-8")
    assert "Vĩnh Tường, ngày 03 tháng 02 năm 2022" in text  # place from the registry
    assert "**ỦY BAN NHÂN DÂN\nHUYỆN VĨNH TƯỜNG**" in text  # canonical name printed
    assert "- Các phòng, ban, ngành huyện;\n- UBND các xã, thị trấn." in text
    again = runner.invoke(main, options)  # the number is now in the archive: refused before writing
    assert again.exit_code == 2
    assert (
        "Số 215 của UBND huyện Vĩnh Tường năm 2022 đã dùng ở tệp content/2022/215-ubnd-vp.txt" in again.output
    )
    unnumbered = [o for o in options if o not in ("--so", "215")]
    third = runner.invoke(main, [*unnumbered, "--ten-tep", "215-ubnd-vp"])
    assert third.exit_code == 1 and "không ghi đè" in third.output
    assert target.read_text(encoding="utf-8") == text
    (letter,) = read_archive(project / "content").letters
    assert (letter.so_ky_hieu, letter.ngay_ban_hanh, letter.nguoi_ky) == (
        "215/UBND-VP",
        "2022-02-03",
        "Lê Chí Thái",
    )
    assert letter.tham_quyen_ky == ["TM. ỦY BAN NHÂN DÂN"] and letter.chuc_vu_nguoi_ky == "Chủ tịch"


def test_new_command_asks_for_what_is_missing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seeds=False)
    answers = [
        "Ủy ban nhân dân huyện Mai Sơn",  # cơ quan ban hành
        "",  # cơ quan chủ quản
        "Kế hoạch",  # loại
        "",  # số: not yet
        "KH-UBND",  # ký hiệu
        "",  # địa danh: registry's
        "10/2025",  # ngày: day not yet
        "tổ chức diễn tập phòng cháy, chữa cháy năm 2025",
        "",  # độ khẩn
        "Các cơ quan, đơn vị; UBND các xã, thị trấn",
        "KT. CHỦ TỊCH",
        "Phó Chủ tịch",
        "Lại Như Long",
        "",  # nơi nhận: default
    ]
    result = CliRunner().invoke(
        main,
        ["new", "--config", str(project / "mkdocs.yml"), "--noi-dung-tu", _body_file(tmp_path)],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    (written,) = (project / "content" / "2025").glob("*.txt")
    text = written.read_text(encoding="utf-8")
    assert "Mai Sơn, ngày tháng 10 năm 2025" in text
    assert "**KẾ HOẠCH**" in text and "Số: /KH-UBND" in text
    (letter,) = read_archive(project / "content").letters
    assert letter.loai_van_ban == "Kế hoạch" and letter.so is None and letter.ngay_ban_hanh == "2025-10"
    assert letter.noi_nhan == ["Như trên", "Lưu: VT"]
    assert letter.trich_yeu == "tổ chức diễn tập phòng cháy, chữa cháy năm 2025"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"ky_hieu": "12/UBND-VP"}, "ký hiệu"),
        ({"loai_van_ban": "Thư mời"}, "loại văn bản"),
        ({"kinh_gui": []}, "Kính gửi"),
        ({"nguoi_ky": " "}, "người ký"),
        ({"tham_quyen_ky": ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]}, "thẩm quyền ký"),
        ({"ngay_ban_hanh": "2021-02-30"}, "không có thật"),
    ],
)
def test_incomplete_letters_are_refused(tmp_path: Path, change: dict, said: str) -> None:
    letter = dataclasses.replace(VARIANTS["draft-cong-van"], **change)
    with pytest.raises(LetterError) as caught:
        create_letter(tmp_path, letter)
    assert any(said in d.message for d in caught.value.diagnostics)
    assert not any(tmp_path.rglob("*.txt"))


def test_guide_mentions_the_command() -> None:
    guide = (REPO / "content" / "HUONG-DAN.md").read_text(encoding="utf-8")
    assert "vanban new" in guide and "vanban import" in guide


def _session(tmp_path: Path, answers: list[str]) -> tuple[object, Path]:
    project = make_project(tmp_path / "project", seeds=False)
    result = CliRunner().invoke(
        main,
        ["new", "--config", str(project / "mkdocs.yml"), "--noi-dung-tu", _body_file(tmp_path)],
        input="\n".join(answers) + "\n",
    )
    return result, project


@pytest.mark.parametrize("typed", ["26 tháng 9 năm 2025", "ngày 26/9/2025", "26/09/25", "26/9/2025"])
def test_common_date_forms_are_accepted(typed: str) -> None:
    assert parse_date(typed) == "2025-09-26"


def test_new_asks_again_after_a_bad_answer_and_allows_no_recipients_for_a_notice(tmp_path: Path) -> None:
    answers = [
        "Ủy ban nhân dân huyện Mai Sơn",
        "",  # cơ quan chủ quản
        "Thong bao",  # no accents: asked again
        "Thông báo",
        "12",
        "TB/UBND",  # a slash: asked again
        "TB-UBND",
        "",  # place: registry's
        "31/2/2025",  # no such day: asked again, nothing lost
        "26 tháng 9 năm 2025",
        "lịch tiếp công dân tháng 10 năm 2025",
        "",  # độ khẩn
        "",  # Kính gửi: a Thông báo may have none
        "TL. CHỦ TỊCH",
        "Chánh Văn phòng",
        "Lò Văn Hùng",
        "",
    ]
    result, project = _session(tmp_path, answers)
    assert result.exit_code == 0, result.output
    assert "Ngày không có thật: '31/2/2025'. Nhập lại." in result.output
    assert "Loại văn bản không có: 'Thong bao'" in result.output and "Ký hiệu 'TB/UBND'" in result.output
    (letter,) = read_archive(project / "content").letters
    assert (letter.loai_van_ban, letter.so_ky_hieu, letter.ngay_ban_hanh) == (
        "Thông báo",
        "12/TB-UBND",
        "2025-09-26",
    )
    assert letter.kinh_gui == []


def test_new_checks_the_number_against_the_archive_at_once(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seeds=False)
    first = dataclasses.replace(VARIANTS["signed-thong-bao"], noi_dung="Nội dung.")
    create_letter(project / "content", first)
    used = f"{first.so}"
    answers = [first.co_quan_ban_hanh, "", first.loai_van_ban, used, "TB-UBND", "", first.ngay_ban_hanh, "7"]
    answers += ["một thông báo khác", "", "", "", "Chủ tịch", "Lò Văn Hùng", ""]
    result = CliRunner().invoke(
        main,
        ["new", "--config", str(project / "mkdocs.yml"), "--noi-dung-tu", _body_file(tmp_path)],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        f"Số {used} của {first.co_quan_ban_hanh} năm {first.ngay_ban_hanh[:4]} đã dùng ở tệp content/"
        in result.output
    )
    assert sorted(x.so for x in read_archive(project / "content").letters) == sorted([first.so, 7])


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["chek"], "Không có lệnh 'chek'. Có phải ý bạn là 'check'?"),
        (["--help"], "Cách dùng:"),
        (["check", "--help"], "Hiện hướng dẫn này rồi thoát."),
        (["check", "/khong/co.txt"], "Không tìm thấy '/khong/co.txt'"),
        (["search", "--nam", "abc", "x"], "'abc' không phải số hợp lệ"),
        (["new", "--bogus"], "Không có tùy chọn '--bogus'"),
    ],
)
def test_every_cli_message_is_vietnamese(args: list[str], said: str) -> None:
    result = CliRunner().invoke(main, args)
    assert said in result.output
    for english in ("Usage:", "Error:", "Show this message", "No such", "Options:", "does not exist"):
        assert english not in result.output


def test_click_adapter_is_pinned() -> None:
    from builder import cli_vi

    assert "click.core" in cli_vi.patched_modules() and "click.exceptions" in cli_vi.patched_modules()
    assert "click.types" in cli_vi.patched_modules() and "click.parser" in cli_vi.patched_modules()
