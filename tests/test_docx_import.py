"""`vanban import`: Word letters (.docx) become committed text letters the reader reads like the seeds.

The Word files are built with python-docx from the seeds (tests/docx_from_text.py):
a two-column header table, a signature table, bold and italic runs, Word list
numbering and page breaks inside a sequence of paragraphs. The imported text is
then read by the real reader, and its Letter must equal the seed's.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_project, run_mkdocs
from docx import Document
from docx.enum.text import WD_BREAK
from docx_from_text import build_docx

from builder.cli import main
from builder.letters.letter import LetterError
from builder.staff.docx_import import import_docx
from builder.staff.docx_reader import legacy_encoding
from builder.text.legacy_tables import unicode_to_tcvn3, unicode_to_vni

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "content").glob("*.txt"))

LAYOUTS = {
    "one-row-header": {},
    "header-rows": {"header_rows": True},
    "tabbed-recipients": {"tabbed_recipients": True, "header_rows": True},
    "typed-numbers": {"word_numbering": False},
}


def _docx(paragraphs: list[tuple[str, dict]]) -> bytes:
    """A small .docx: (text, run properties) per paragraph."""
    document = Document()
    for text, props in paragraphs:
        run = document.add_paragraph().add_run(text)
        run.bold = props.get("bold")
        run.italic = props.get("italic")
        if "font" in props:
            run.font.name = props["font"]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _read_one(text: str, name: str, tmp_path: Path):
    """The Letter the real reader makes of ``text`` committed as ``content/<name>``."""
    from builder.archive.read import read_archive

    content = tmp_path / name.removesuffix(".txt") / "content"
    content.mkdir(parents=True)
    registry = REPO / "content" / "co-quan-ban-hanh.yml"
    if registry.exists():
        (content / registry.name).write_bytes(registry.read_bytes())
    (content / name).write_text(text, encoding="utf-8")
    archive = read_archive(content)
    assert not archive.errors, [str(d) for d in archive.errors]
    (letter,) = archive.letters
    return archive.store.with_body(letter), archive.diagnostics


def _fields(letter) -> dict[str, object]:
    values = dataclasses.asdict(letter)
    for key in ("id", "tep_goc", "source_lines"):
        values.pop(key, None)
    return values


@pytest.mark.parametrize("layout", LAYOUTS, ids=list(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_import_round_trip_gives_the_seed_letter(seed: Path, layout: str, tmp_path: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    data = build_docx(text, **LAYOUTS[layout])
    imported = import_docx(data, f"{seed.stem}.docx")
    expected, _ = _read_one(text, seed.name, tmp_path / "seed")
    got, diagnostics = _read_one(imported, seed.name, tmp_path / "import")
    assert _fields(got) == _fields(expected)
    errors = [d for d in diagnostics if d.severity.value == "lỗi"]
    assert not errors


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_header_and_signature_come_out_in_reading_order(seed: Path) -> None:
    imported = import_docx(build_docx(seed.read_text(encoding="utf-8"), header_rows=True), "x.docx")
    lines = [line for line in imported.split("\n") if line.strip()]
    position = {
        "issuer": next(i for i, line in enumerate(lines) if "BAN NHÂN DÂN" in line.upper()),
        "motto": next(i for i, line in enumerate(lines) if "XÃ HỘI CHỦ NGHĨA" in line),
        "number": next(i for i, line in enumerate(lines) if line.startswith("Số")),
        "date": next(i for i, line in enumerate(lines) if ", ngày " in line),
        "recipients": next(i for i, line in enumerate(lines) if "Kính gửi" in line),
        "distribution": next(i for i, line in enumerate(lines) if "Nơi nhận" in line),
        "signature": next(i for i, line in enumerate(lines) if "CHỦ TỊCH" in line and i > 10),
    }
    assert sorted(position, key=position.get) == list(position)
    assert lines[0].startswith("**") and lines[position["motto"]].startswith("**")


def test_word_numbering_becomes_typed_markers() -> None:
    seed = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
    imported = import_docx(build_docx(seed, word_numbering=True), "x.docx")
    blocks = imported.split("\n\n")
    numbered = [b.split(" ", 1)[0] for b in blocks if b[:1].isdigit() and ". " in b[:4]]
    assert numbered == [f"{n}." for n in range(1, 10)]
    assert any(b.startswith("- Chủ trì tham mưu Quyết định") for b in blocks)


def test_page_break_inside_a_sentence_is_joined() -> None:
    seed = (REPO / "content" / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8")
    assert "trang thiết bị,\n\nvật tư" in seed
    imported = import_docx(build_docx(seed), "x.docx")
    assert "trang thiết bị, vật tư và nhân lực" in imported
    assert "tạo sự thống nhất, đồng thuận trong xã hội" in imported
    # without the page break the two paragraphs stay apart: the join comes from the break
    apart = import_docx(build_docx(seed, page_breaks=False), "x.docx")
    assert "trang thiết bị,\n\nvật tư" in apart


def test_page_break_between_sentences_keeps_paragraphs() -> None:
    document = Document()
    first = document.add_paragraph("Câu thứ nhất kết thúc.")
    first.add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Đoạn mới trên trang sau.")
    middle = document.add_paragraph("Một đoạn bị ngắt")
    middle.add_run().add_break(WD_BREAK.PAGE)
    middle.add_run("giữa chừng vẫn là một đoạn.")
    out = io.BytesIO()
    document.save(out)
    text = import_docx(out.getvalue(), "x.docx")
    assert "Câu thứ nhất kết thúc.\n\nĐoạn mới trên trang sau." in text
    assert "Một đoạn bị ngắt giữa chừng vẫn là một đoạn." in text


def test_bold_and_italic_become_markdown() -> None:
    document = Document()
    paragraph = document.add_paragraph("Thực hiện phương châm ")
    paragraph.add_run("Chống dịch như chống giặc").italic = True
    paragraph.add_run("; hoàn thành ")
    paragraph.add_run("trước ngày 15/9/2021 ").bold = True
    paragraph.add_run("và dấu * in ra.")
    out = io.BytesIO()
    document.save(out)
    text = import_docx(out.getvalue(), "x.docx")
    assert text.strip() == (
        "Thực hiện phương châm *Chống dịch như chống giặc*; hoàn thành **trước ngày 15/9/2021** "
        "và dấu \\* in ra."
    )


def test_header_typed_with_tabs_is_read_as_two_columns() -> None:
    data = _docx(
        [
            ("ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True}),
            ("HUYỆN MAI SƠN\t\tĐộc lập - Tự do - Hạnh phúc", {"bold": True}),
            ("Số: 15/UBND-VP\t\tMai Sơn, ngày 09 tháng 9 năm 2021", {}),
            ("V/v tăng cường phòng, chống dịch", {}),
            ("Kính gửi: Ủy ban nhân dân các xã, thị trấn.", {}),
            ("Nội dung.", {}),
        ]
    )
    text = import_docx(data, "x.docx")
    assert text.startswith(
        "**ỦY BAN NHÂN DÂN\nHUYỆN MAI SƠN**\n\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc**\n\nSố: 15/UBND-VP\n\nMai Sơn, ngày 09 tháng 9 năm 2021\n\n"
        "V/v tăng cường phòng, chống dịch\n\nKính gửi: Ủy ban nhân dân các xã, thị trấn."
    )


# --- legacy fonts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("font", "encoding"),
    [
        (".VnTime", "TCVN3"),
        (".VnArialH", "TCVN3"),
        ("VNI-Times", "VNI"),
        ("VNI-Helve", "VNI"),
        ("Arial", None),
    ],
)
def test_legacy_font_names(font: str, encoding: str | None) -> None:
    assert legacy_encoding(font) == encoding


def test_legacy_font_letter_is_converted(tmp_path: Path) -> None:
    """A seed typed as ABC users did: .VnTime, and .VnTimeH for every capital with a tone mark."""
    seed = SEEDS[2].read_text(encoding="utf-8")
    document = Document(io.BytesIO(build_docx(seed)))
    for paragraph in _paragraphs(document):
        _retype_in_abc_fonts(paragraph)
    out = io.BytesIO()
    document.save(out)
    legacy = out.getvalue()
    assert "nh©n d©n".encode() in zipfile.ZipFile(io.BytesIO(legacy)).read("word/document.xml").lower()
    imported = import_docx(legacy, "legacy.docx")
    assert imported == import_docx(build_docx(seed), "unicode.docx")
    got, _ = _read_one(imported, SEEDS[2].name, tmp_path / "legacy")
    want, _ = _read_one(seed, SEEDS[2].name, tmp_path / "seed")
    assert _fields(got) == _fields(want)


def _retype_in_abc_fonts(paragraph) -> None:
    """Each run again in TCVN3: capitals ABC lacks go into a run in the capitals font."""
    runs = [(run.text, run.bold, run.italic) for run in paragraph.runs]
    breaks = [bool(run._r.xpath("./w:br")) for run in paragraph.runs]
    for run in paragraph.runs:
        run._r.getparent().remove(run._r)
    for (text, bold, italic), page_break in zip(runs, breaks, strict=True):
        for capitals, piece in _pieces(text):
            run = paragraph.add_run(unicode_to_tcvn3(piece.lower() if capitals else piece))
            run.bold, run.italic = bold, italic
            run.font.name = ".VnTimeH" if capitals else ".VnTime"
        if page_break:
            paragraph.add_run().add_break(WD_BREAK.PAGE)


def _pieces(text: str) -> list[tuple[bool, str]]:
    """Split text where ABC needs its capitals font (a capital with no TCVN3 code of its own)."""
    from builder.text.legacy_tables import tcvn3_to_unicode

    pieces: list[tuple[bool, str]] = []
    for ch in text:
        capitals = ch.isupper() and tcvn3_to_unicode(unicode_to_tcvn3(ch)) != ch
        if pieces and pieces[-1][0] == capitals:
            pieces[-1] = (capitals, pieces[-1][1] + ch)
        else:
            pieces.append((capitals, ch))
    return pieces


def test_vni_font_runs_are_converted() -> None:
    text = "Ủy ban nhân dân huyện yêu cầu các cơ quan, đơn vị thực hiện nghiêm túc."
    data = _docx([(unicode_to_vni(text), {"font": "VNI-Times"})])
    assert import_docx(data, "x.docx").strip() == text


def test_legacy_text_without_its_font_is_refused() -> None:
    data = _docx(
        [(unicode_to_tcvn3("Ủy ban nhân dân huyện yêu cầu các cơ quan thực hiện."), {"font": "Arial"})]
    )
    with pytest.raises(LetterError) as caught:
        import_docx(data, "cu.docx")
    (problem,) = caught.value.diagnostics
    assert problem.path == "cu.docx"
    assert "TCVN3" in problem.message and "Unicode" in problem.fix


def test_legacy_font_that_does_not_convert_exactly_is_refused() -> None:
    # "Â" typed in a VNI font is no VNI sequence the tables can prove; the text is not VNI at all
    data = _docx([("Kh«ng chuyÓn ®­îc v¨n b¶n nµy", {"font": "VNI-Times"})])
    with pytest.raises(LetterError) as caught:
        import_docx(data, "sai.docx")
    assert "bảng mã" in caught.value.diagnostics[0].message


# --- refusing what is not a .docx ------------------------------------------------------------------


def test_old_doc_is_refused_with_advice() -> None:
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "Word.Document.8".encode("utf-16-le")
    with pytest.raises(LetterError) as caught:
        import_docx(data, "cong-van.doc")
    (problem,) = caught.value.diagnostics
    assert problem.path == "cong-van.doc"
    assert ".doc" in problem.message and "Word 97" in problem.message
    assert ".docx" in problem.fix and "Lưu thành" in problem.fix


def test_password_protected_docx_is_refused() -> None:
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(LetterError) as caught:
        import_docx(data, "mat-khau.docx")
    assert "mật khẩu" in caught.value.diagnostics[0].message


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"{\\rtf1\\ansi Uy ban}", "RTF"),
        (b"%PDF-1.7\n", "PDF"),
        ("Ủy ban nhân dân".encode(), "không phải tệp Word"),
        (b"", "rỗng"),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            "OpenDocument",
        ),
        (_zip({"xl/workbook.xml": b"<x/>"}), "Excel"),
        (b"PK\x03\x04broken", "hỏng"),
    ],
    ids=["rtf", "pdf", "text", "empty", "odt", "xlsx", "broken-zip"],
)
def test_other_files_are_refused_clearly(data: bytes, said: str) -> None:
    with pytest.raises(LetterError) as caught:
        import_docx(data, "tep")
    (problem,) = caught.value.diagnostics
    assert said in problem.message
    assert problem.fix


# --- the command ----------------------------------------------------------------------------------


def test_import_command_writes_year_folder_and_never_overwrites(tmp_path: Path) -> None:
    source = tmp_path / "Cong van 2642 UBND-VX.docx"
    source.write_bytes(build_docx(SEEDS[2].read_text(encoding="utf-8")))
    old = tmp_path / "cu.doc"
    old.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600)
    out = tmp_path / "content"
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(source), str(old), "--out", str(out)])
    assert result.exit_code == 1  # the .doc was refused ...
    target = out / "2021" / "cong-van-2642-ubnd-vx.txt"
    assert target.exists()  # ... but the .docx was converted
    assert f"{source} → {target}" in result.output
    assert "cu.doc:1: lỗi: Đây là tệp Word cũ (.doc" in result.output
    before = target.read_bytes()
    again = runner.invoke(main, ["import", str(source), "--out", str(out)])
    assert again.exit_code == 1 and "không ghi đè" in again.output
    assert target.read_bytes() == before


def test_imported_files_pass_vanban_check_and_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seeds=False)
    sources = [_write(tmp_path / f"{s.stem}.docx", build_docx(s.read_text(encoding="utf-8"))) for s in SEEDS]
    imported = CliRunner().invoke(
        main, ["import", *map(str, sources), "--config", str(project / "mkdocs.yml")]
    )
    assert imported.exit_code == 0, imported.output
    assert "Văn bản chưa có số" in imported.output  # the check's warnings are shown at once
    targets = sorted((project / "content" / "2021").glob("*.txt"))
    assert len(targets) == len(SEEDS)
    check = subprocess.run(
        [sys.executable, "-m", "builder.cli", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stderr
    assert ": lỗi:" not in check.stderr and f"{len(SEEDS)} văn bản hợp lệ" in check.stderr
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (project / "site" / "van-ban" / "2021-002-1df910771a3bcb65" / "index.html").exists()


def test_import_reports_a_number_already_used(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")  # the seeds, 2642/UBND-VX among them
    source = _write(tmp_path / "lan-hai.docx", build_docx(SEEDS[2].read_text(encoding="utf-8")))
    result = CliRunner().invoke(main, ["import", str(source), "--config", str(project / "mkdocs.yml")])
    assert result.exit_code == 1
    assert "Số, ký hiệu '2642/UBND-VX'" in result.output and "đã dùng ở tệp" in result.output


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


# --- other layouts Word letters come in ------------------------------------------------------------


def _para(container, text: str = "", bold: bool = False, italic: bool = False):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
    return paragraph


def test_decision_with_spacer_column_merged_cells_and_recipients_table(tmp_path: Path) -> None:
    """A Quyết định: three-column header with a merged title row, type name in the body, no V/v."""
    document = Document()
    header = document.add_table(rows=3, cols=3)
    header.cell(0, 0).merge(header.cell(0, 1))  # issuer spans the left and spacer columns
    cell = header.cell(0, 0)
    cell.paragraphs[0].add_run("ỦY BAN NHÂN DÂN").bold = True
    _para(cell, "HUYỆN MAI SƠN", bold=True)
    motto = header.cell(0, 2)
    motto.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    _para(motto, "Độc lập - Tự do - Hạnh phúc", bold=True)
    _para(motto, "_______________")
    header.cell(1, 0).paragraphs[0].add_run("Số: 1520/QĐ-UBND")
    header.cell(1, 2).paragraphs[0].add_run("Mai Sơn, ngày 14 tháng 10 năm 2021").italic = True
    _para(document, "QUYẾT ĐỊNH", bold=True)
    _para(document, "Về việc thành lập Tổ công tác phòng, chống dịch Covid-19", bold=True)
    _para(document, "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN MAI SƠN", bold=True)
    _para(document, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", italic=True)
    _para(document, "Căn cứ Quyết định số 1367/QĐ-UBND ngày 06/9/2021 của UBND tỉnh Sơn La;", italic=True)
    _para(document, "QUYẾT ĐỊNH:", bold=True)
    _para(document, "Điều 1. Thành lập Tổ công tác phòng, chống dịch Covid-19 huyện Mai Sơn.")
    _para(document, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
    recipients = document.add_table(rows=1, cols=2)
    recipients.cell(0, 0).paragraphs[0].add_run("Kính gửi:")
    recipients.cell(0, 1).paragraphs[0].add_run("Các thành viên Tổ công tác.")
    signature = document.add_table(rows=1, cols=2)
    left, right = signature.cell(0, 0), signature.cell(0, 1)
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    _para(left, "- Như Điều 2;")
    _para(left, "- Lưu: VT.")
    right.paragraphs[0].add_run("CHỦ TỊCH").bold = True
    for _ in range(3):
        _para(right)
    _para(right, "Lại Như Long", bold=True)
    out = io.BytesIO()
    document.save(out)
    text = import_docx(out.getvalue(), "qd.docx")
    assert text.startswith("**ỦY BAN NHÂN DÂN\nHUYỆN MAI SƠN**\n\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n")
    assert "Kính gửi: Các thành viên Tổ công tác." in text
    assert text.index("Nơi nhận") < text.index("**CHỦ TỊCH**") < text.index("**Lại Như Long**")
    letter, diagnostics = _read_one(text, "qd-1520.txt", tmp_path)
    assert (letter.loai_van_ban, letter.so_ky_hieu, letter.ngay_ban_hanh) == (
        "Quyết định",
        "1520/QĐ-UBND",
        "2021-10-14",
    )
    assert letter.co_quan_ban_hanh == "Ủy ban nhân dân huyện Mai Sơn"
    assert "thành lập Tổ công tác phòng, chống dịch Covid-19" in letter.trich_yeu
    assert (letter.chuc_vu_nguoi_ky, letter.nguoi_ky) == ("Chủ tịch", "Lại Như Long")
    assert letter.noi_nhan == ["Như Điều 2", "Lưu: VT"]
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày ký." in letter.noi_dung
    assert [d for d in diagnostics if d.severity.value == "lỗi"] == []


def test_signature_laid_out_with_tabs(tmp_path: Path) -> None:
    """No signature table: "Nơi nhận:⇥⇥KT. CHỦ TỊCH" lines, the name indented below."""
    seed = SEEDS[4].read_text(encoding="utf-8")
    document = Document(io.BytesIO(build_docx(seed)))
    body = document.element.body
    body.remove(document.tables[-1]._tbl)  # drop the signature table, type it with tabs instead
    for left, right, bold in [
        ("Nơi nhận:", "KT. CHỦ TỊCH", True),
        ("- Như trên;", "PHÓ CHỦ TỊCH", True),
        ("- Lãnh đạo UBND huyện;", "", False),
        ("- Các phòng, ban, cơ quan, đơn vị liên quan;", "", False),
        ("- Chủ tịch UBND các xã, thị trấn;", "", False),
        ("- Lưu: VT, YT.", "", False),
        ("", "Lại Như Long", True),
    ]:
        paragraph = document.add_paragraph()
        paragraph.add_run(left)
        if right:
            paragraph.add_run("\t\t\t")
            paragraph.add_run(right).bold = bold
    out = io.BytesIO()
    document.save(out)
    text = import_docx(out.getvalue(), "tab.docx")
    assert text.rstrip().endswith(
        "Nơi nhận:\n\n- Như trên;\n- Lãnh đạo UBND huyện;\n- Các phòng, ban, cơ quan, đơn vị liên quan;\n"
        "- Chủ tịch UBND các xã, thị trấn;\n- Lưu: VT, YT.\n\n"
        "**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n\n**Lại Như Long**"
    )
    got, _ = _read_one(text, SEEDS[4].name, tmp_path / "tab")
    want, _ = _read_one(seed, SEEDS[4].name, tmp_path / "seed")
    assert _fields(got) == _fields(want)


def test_header_typed_as_centred_paragraphs(tmp_path: Path) -> None:
    """No table and no tabs: parent body, issuer, motto, number, subject, date one under another."""
    data = _docx(
        [
            ("UBND TỈNH LAI CHÂU", {}),
            ("SỞ Y TẾ", {"bold": True}),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True}),
            ("Độc lập - Tự do - Hạnh phúc", {"bold": True}),
            ("Số: 45/SYT-NVY", {}),
            ("V/v triển khai tiêm vắc xin", {}),
            ("phòng Covid-19 mũi 3", {}),
            ("Lai Châu, ngày 05 tháng 01 năm 2022", {"italic": True}),
            ("Kính gửi: Trung tâm Y tế các huyện, thành phố.", {}),
            ("Sở Y tế đề nghị các đơn vị triển khai thực hiện./.", {}),
            ("Nơi nhận:", {"bold": True, "italic": True}),
            ("- Như trên;", {}),
            ("- Lưu: VT, NVY.", {}),
            ("KT. GIÁM ĐỐC", {"bold": True}),
            ("PHÓ GIÁM ĐỐC", {"bold": True}),
            ("", {}),
            ("Nguyễn Văn Bình", {"bold": True}),
        ]
    )
    text = import_docx(data, "syt.docx")
    assert text.startswith("UBND TỈNH LAI CHÂU\n**SỞ Y TẾ**\n\n**CỘNG HÒA")
    assert "V/v triển khai tiêm vắc xin\nphòng Covid-19 mũi 3" in text
    assert "**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**\n\n**Nguyễn Văn Bình**" in text
    letter, _ = _read_one(text, "45-syt.txt", tmp_path)
    assert (letter.co_quan_chu_quan, letter.so_ky_hieu, letter.ngay_ban_hanh) == (
        "UBND TỈNH LAI CHÂU",
        "45/SYT-NVY",
        "2022-01-05",
    )
    assert letter.trich_yeu == "triển khai tiêm vắc xin phòng Covid-19 mũi 3"
    assert (letter.tham_quyen_ky, letter.chuc_vu_nguoi_ky, letter.nguoi_ky) == (
        ["KT. GIÁM ĐỐC"],
        "Phó Giám đốc",
        "Nguyễn Văn Bình",
    )


def test_tracked_changes_read_as_accepted() -> None:
    from docx.oxml import parse_xml

    document = Document()
    paragraph = document.add_paragraph("Giữ lại ")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(
        parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>chữ đã xóa </w:delText></w:r></w:del>')
    )
    paragraph._p.append(
        parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>chữ thêm vào.</w:t></w:r></w:ins>')
    )
    out = io.BytesIO()
    document.save(out)
    assert import_docx(out.getvalue(), "x.docx") == "Giữ lại chữ thêm vào.\n"


# --- classification marks outside the body -------------------------------------------------------

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def _vml_text_box(text: str) -> str:
    return (
        f'<w:r {_NS}><w:pict><v:shape style="position:absolute;width:90pt;height:30pt">'
        f'<v:textbox><w:txbxContent><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )


def _drawing_text_box(text: str) -> str:
    """A Word 2010 text box: DrawingML in mc:Choice, its VML twin in mc:Fallback."""
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return (
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1143000" cy="381000"/><wp:wrapNone/><wp:docPr id="7" name="Hộp"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent><w:p>{run}</w:p></w:txbxContent></wps:txbx><wps:bodyPr/>"
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p>{run}</w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _watermark(text: str) -> str:
    """Word's "Watermark" (Thiết kế › Hình mờ): WordArt in the header, its text in an attribute."""
    return (
        f'<w:r {_NS}><w:pict><v:shape style="position:absolute;width:400pt;height:100pt">'
        f'<v:textpath style="font-family:&quot;Times New Roman&quot;" string="{text}"/>'
        "</v:shape></w:pict></w:r>"
    )


def _notes_part(document, kind: str, text: str) -> None:
    """A footnotes or endnotes part with one note (python-docx writes none of its own)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    tag = kind.removesuffix("s")
    blob = (
        f'<w:{kind} xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:{tag} w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:{tag}>'
        f"</w:{kind}>"
    ).encode()
    content_type = CT.WML_FOOTNOTES if kind == "footnotes" else CT.WML_ENDNOTES
    relationship = RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, blob, document.part.package)
    document.part.relate_to(part, relationship)
    reference = "footnoteReference" if kind == "footnotes" else "endnoteReference"
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document.paragraphs[-1]._p.append(parse_xml(f'<w:r {w}><w:{reference} w:id="1"/></w:r>'))


def _seed_with(place: str, text: str, font: str | None = None) -> bytes:
    """The first seed as a Word letter, with ``text`` printed at ``place`` (nothing else changed)."""
    from docx.oxml import parse_xml

    document = Document(io.BytesIO(build_docx(SEEDS[0].read_text(encoding="utf-8"))))
    section = document.sections[0]
    if place in ("header", "footer", "first-page-header"):
        if place == "first-page-header":
            section.different_first_page_header_footer = True
            container = section.first_page_header
        else:
            container = section.header if place == "header" else section.footer
        run = container.paragraphs[0].add_run(text)
        if font:
            run.font.name = font
    elif place == "body-text-box":
        document.paragraphs[-1]._p.append(parse_xml(_vml_text_box(text)))
    elif place == "drawing-text-box":
        document.paragraphs[0]._p.append(parse_xml(_drawing_text_box(text)))
    elif place == "header-text-box":
        section.header.paragraphs[0]._p.append(parse_xml(_drawing_text_box(text)))
    elif place == "watermark":
        section.header.paragraphs[0]._p.append(parse_xml(_watermark(text)))
    elif place in ("footnotes", "endnotes"):
        _notes_part(document, place, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("place", "text", "mark", "where"),
    [
        ("header", "MẬT", "MẬT", "đầu trang"),
        ("first-page-header", "[TỐI MẬT]", "TỐI MẬT", "đầu trang"),
        ("footer", "*** T U Y Ệ T  M Ậ T ***", "TUYỆT MẬT", "chân trang"),
        ("footer", "Mật - Khẩn", "MẬT", "chân trang"),
        ("body-text-box", "(MẬT)", "MẬT", "hộp văn bản"),
        ("drawing-text-box", "M.Ậ.T", "MẬT", "hộp văn bản"),
        ("header-text-box", "TỐI MẬT", "TỐI MẬT", "đầu trang"),
        ("watermark", "TUYỆT MẬT", "TUYỆT MẬT", "đầu trang"),
        ("footnotes", "Mật", "MẬT", "chú thích cuối trang"),
        ("endnotes", "TỐI  MẬT", "TỐI MẬT", "chú thích cuối văn bản"),
    ],
)
def test_classification_mark_printed_outside_the_body_is_refused(
    place: str, text: str, mark: str, where: str
) -> None:
    with pytest.raises(LetterError) as caught:
        import_docx(_seed_with(place, text), "mat.docx")
    (problem,) = caught.value.diagnostics
    assert f"dấu độ mật '{mark}' ở {where}" in problem.message
    assert problem.fix


def test_classification_mark_in_a_legacy_font_header_is_refused() -> None:
    data = _seed_with("header", unicode_to_tcvn3("mật"), font=".VnTimeH")
    with pytest.raises(LetterError) as caught:
        import_docx(data, "mat.docx")
    assert "dấu độ mật 'MẬT' ở đầu trang" in caught.value.diagnostics[0].message


@pytest.mark.parametrize(
    ("place", "text"),
    [
        ("header", "Thân mật"),
        ("footer", "Giữ bí mật thông tin cá nhân"),
        ("footnotes", "Mật khẩu tra cứu gửi riêng"),
        ("body-text-box", "Mật ong bạc hà"),
        ("watermark", "BẢN SAO"),
    ],
)
def test_words_with_mat_outside_the_body_still_import(place: str, text: str) -> None:
    assert import_docx(_seed_with(place, text), "x.docx") == import_docx(_seed_with("none", ""), "x.docx")


def test_import_of_a_classified_word_file_writes_nothing(tmp_path: Path) -> None:
    source = _write(tmp_path / "mat.docx", _seed_with("header", "MẬT"))
    body = tmp_path / "than.docx"
    document = Document(io.BytesIO(build_docx(SEEDS[0].read_text(encoding="utf-8"))))
    document.add_paragraph("TỐI MẬT")
    document.save(body)
    out = tmp_path / "content"
    result = CliRunner().invoke(main, ["import", str(source), str(body), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{source}:1: lỗi: Tệp Word có dấu độ mật 'MẬT' ở đầu trang (header)" in result.output
    assert f"{body}:1: lỗi: Tệp Word có dấu độ mật 'TỐI MẬT' ở nội dung văn bản" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.rglob("*.txt"))
