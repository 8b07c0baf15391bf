"""Real documents, in every form they arrive: read right, or refused clearly, never published wrong.

The documents in ``tests/fixtures/real-letters/`` were copied from public portals by
people outside the project (the answer key, ``cases.json``, and its conventions are
in the README beside them); ``tests/real_letters.py`` reads them as committed files.
The rules for each form have their own tests below, on text written here.
"""

from __future__ import annotations

import pytest

from builder.archive.letter_file import read_letter
from builder.letters.parsing import parse_letter
from builder.letters.registry import load_registry
from builder.letters.rules.number import number_line
from tests.real_letters import CONTENT, FAIRLY_REFUSED, MORE_REFUSED_ALLOWED, cases, judge

KEY = cases()
REGISTRY, _ = load_registry(CONTENT)


@pytest.mark.parametrize("name", sorted(KEY), ids=lambda name: name[:3])
def test_real_document_matches_its_key_or_is_refused_clearly(name):
    outcome = judge(name, KEY[name])
    assert outcome.status in ("right", "refused"), (outcome.status, outcome.wrong, outcome.missing)
    for error in outcome.errors:
        assert error.path == name and error.line >= 1 and error.fix.strip(), str(error)


def test_refusals_stay_within_the_bar():
    refused = [name[:3] for name in KEY if judge(name, KEY[name]).status == "refused"]
    beyond = [short for short in refused if short not in FAIRLY_REFUSED]
    assert len(beyond) <= MORE_REFUSED_ALLOWED, refused


# --- numbers as NĐ 30/2020 defines them ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "so", "ky_hieu", "so_ky_hieu"),
    [
        ("Số: 04/2013/QĐ-UBND", 4, "QĐ-UBND", "04/2013/QĐ-UBND"),
        ("Số: 01/KH-UBND", 1, "KH-UBND", "01/KH-UBND"),
        ("Số: 55-BT", 55, "BT", "55-BT"),
        ("Số: 64-HĐBT", 64, "HĐBT", "64-HĐBT"),
        ("Số 01-CV/BCĐ", 1, "CV/BCĐ", "01-CV/BCĐ"),
        ("Số: 44/2025/QĐ-CTUBND |", 44, "QĐ-CTUBND", "44/2025/QĐ-CTUBND"),
        ("Số: 24 / PGD&ĐT- GDMN", 24, "PGD&ĐT-GDMN", "24/PGD&ĐT-GDMN"),
        ("Số: 462/QĐ- UB", 462, "QĐ-UB", "462/QĐ-UB"),
        ("Số: 15/KH - UBND", 15, "KH-UBND", "15/KH-UBND"),
        ("Số: 12/GDĐT – VP", 12, "GDĐT-VP", "12/GDĐT-VP"),
        ("Số: 7/QĐUBND", 7, "QĐ-UBND", "7/QĐ-UBND"),
    ],
)
def test_number_forms(line, so, ky_hieu, so_ky_hieu):
    found = number_line(line)
    assert (found.so, found.ky_hieu, found.so_ky_hieu) == (so, ky_hieu, so_ky_hieu)


def test_a_number_glued_to_the_subject_or_the_date_is_cut_where_they_meet():
    glued = parse_letter(
        "BỘ Y TẾ\n\nSố: 2597/VPCP-NCV/v tổ chức họp mặt\n\nHà Nội, ngày 21 tháng 3 năm 2017\n"
    )
    assert (glued.so_ky_hieu, glued.trich_yeu) == ("2597/VPCP-NC", "tổ chức họp mặt")
    same_line = parse_letter(
        "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH\n\nSố: 476/UBND Châu Thành, ngày 14 tháng 6 năm 2017\n"
    )
    assert (same_line.so_ky_hieu, same_line.dia_danh, same_line.ngay_ban_hanh) == (
        "476/UBND",
        "Châu Thành",
        "2017-06-14",
    )


# --- layouts ----------------------------------------------------------------------------------

PIPES = """CHỦ TỊCH ỦY BAN
NHÂN DÂN |
CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM |
|
Số: 9/2025/QĐ-CTUBND |
Gia Lai, ngày 20 tháng 11 năm 2025 |
Căn cứ Luật Tổ chức chính quyền địa phương;
"""


def test_table_pipe_dump_cell_by_cell():
    letter = parse_letter(PIPES)
    assert letter.co_quan_ban_hanh == "CHỦ TỊCH ỦY BAN NHÂN DÂN"
    assert (letter.so_ky_hieu, letter.ky_hieu, letter.loai_van_ban) == (
        "9/2025/QĐ-CTUBND",
        "QĐ-CTUBND",
        "Quyết định",
    )
    assert (letter.dia_danh, letter.ngay_ban_hanh) == ("Gia Lai", "2025-11-20")


def test_header_columns_flattened_onto_shared_lines():
    letter = parse_letter(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ TÂN HÒA Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 12/UBND-VP\n\nTân Hòa, ngày 3 tháng 8 năm 2025\n\nV/v lịch tiếp công dân\n"
    )
    assert letter.co_quan_ban_hanh == "ỦY BAN NHÂN DÂN XÃ TÂN HÒA"
    assert letter.trich_yeu == "lịch tiếp công dân"


def test_a_row_of_pipes_on_one_line():
    letter = parse_letter(
        "HỘI ĐỒNG NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 26/2008/NQ-HĐND | Thái Nguyên, ngày 09 tháng 12 năm 2008 |\n"
        "VỀ KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2008\n"
        "HỘI ĐỒNG NHÂN DÂN TỈNH THÁI NGUYÊN\n"
        "Căn cứ Luật Tổ chức Hội đồng nhân dân;\n"
    )
    assert (letter.co_quan_ban_hanh, letter.so_ky_hieu) == ("HỘI ĐỒNG NHÂN DÂN", "26/2008/NQ-HĐND")
    assert (letter.loai_van_ban, letter.trich_yeu) == ("Nghị quyết", "VỀ KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2008")


@pytest.mark.parametrize(
    "lines",
    [
        ["Quảng Nam, ngày", "13 tháng 7 năm 2023"],
        ["Quảng Nam, ngày", "|", "13 tháng 7 năm 2023"],
        ["Quảng Nam, ngày 13 tháng7 năm2023"],
    ],
)
def test_a_date_line_split_by_a_wrap_or_a_cell_or_glued(lines):
    letter = parse_letter("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\n\nSố: 4544/KH-UBND\n" + "\n".join(lines) + "\n")
    assert (letter.dia_danh, letter.ngay_ban_hanh) == ("Quảng Nam", "2023-07-13")


def test_a_place_with_a_number():
    letter = parse_letter(
        "HỘI ĐỒNG NHÂN DÂN\nQUẬN 3\n\nSố: 12/2007/NQ-HĐND\n\nQuận 3, ngày 14 tháng 12 năm 2007\n"
    )
    assert (letter.dia_danh, letter.ngay_ban_hanh) == ("Quận 3", "2007-12-14")


# --- the subject under the type line ----------------------------------------------------------

HEADER = "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nSố: 155/QĐ-UBND\n\nBắc Ninh, ngày 26 tháng 5 năm 2017\n\n"


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        (
            "QUYẾT ĐỊNH\n\nTHỰC HIỆN ĐỀ ÁN TRỒNG CÂY XANH\n\nCăn cứ Luật Lâm nghiệp năm 2017;",
            "THỰC HIỆN ĐỀ ÁN TRỒNG CÂY XANH",
        ),
        (
            "QUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH QUY CHẾ HOẠT ĐỘNG CỦA BAN CHỈ ĐẠO DÂN SỐ - KẾ\n"
            "HOẠCH HÓA GIA ĐÌNH\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nCăn cứ Luật;",
            "BAN HÀNH QUY CHẾ HOẠT ĐỘNG CỦA BAN CHỈ ĐẠO DÂN SỐ - KẾ HOẠCH HÓA GIA ĐÌNH",
        ),
        (
            "QUYẾT ĐỊNH\n\nVề quy định tạm thời chuẩn phổ cập\n\ntrên địa bàn tỉnh giai đoạn 2011 - 2015\n\n"
            "---------\n\nỦY BAN NHÂN DÂN TỈNH BẮC NINH",
            "Về quy định tạm thời chuẩn phổ cập trên địa bàn tỉnh giai đoạn 2011 - 2015",
        ),
        (
            "QUYẾT ĐỊNH\n\nVỀVIỆC THÀNH LẬP PHÒNG THỦY LỢI\n\nỦY BAN NHÂN DÂN TỈNH BẮC NINH",
            "THÀNH LẬP PHÒNG THỦY LỢI",
        ),
        (
            "QUYẾT ĐỊNH\n\nCỦA ỦY BAN NHÂN DÂN TỈNH SỐ 155/QĐ-UBND NGÀY 26 THÁNG 5 NĂM 2017 "
            "VỀ VIỆC ĐỔI TÊN XÃ\n\n"
            "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
            "ĐỔI TÊN XÃ",
        ),
        (
            "QUYẾT ĐỊNH CỦA UBND TỈNH BẮC NINH\n\nBan hành quy định về chợ\n\nCăn cứ Luật;",
            "Ban hành quy định về chợ",
        ),
    ],
)
def test_subject_under_the_type_line(title, subject):
    letter = parse_letter(HEADER + title + "\n")
    assert (letter.loai_van_ban, letter.trich_yeu) == ("Quyết định", subject)


def test_a_document_without_header_takes_its_issuer_from_the_authority_line():
    letter = parse_letter(
        "NGHỊ ĐỊNH\n\ncủa Chính phủ số 159/2005/NĐ-CP ngày 27 tháng 12 năm 2005\n\n"
        "Về phân loại đơn vị hành chính xã, phường, thị trấn\n\nCHÍNH PHỦ\n\nCăn cứ Luật Tổ chức Chính phủ;\n"
    )
    assert (letter.co_quan_ban_hanh, letter.so_ky_hieu, letter.ngay_ban_hanh) == (
        "CHÍNH PHỦ",
        "159/2005/NĐ-CP",
        "2005-12-27",
    )
    assert letter.trich_yeu == "Về phân loại đơn vị hành chính xã, phường, thị trấn"


def test_old_motto_and_stars_glued_to_header_lines():
    letter = parse_letter(
        "UỶ BAN NHÂN DÂN TỈNH AN GIANG******\n\n"
        "VIỆT NAM DÂN CHỦ CỘNG HÒA\nĐộc lập - Tự do - Hạnh phúc********\n\n"
        "Số: 405-NV\n\nHà Nội, ngày 13 tháng 11 năm 1965\n"
    )
    assert (letter.co_quan_ban_hanh, letter.so_ky_hieu) == ("UỶ BAN NHÂN DÂN TỈNH AN GIANG", "405-NV")


def test_a_headerless_portal_post_is_refused_with_the_keys_to_add():
    letter, problems = read_letter(
        "Thông báo lịch nghỉ học do mưa lũ.\n\nCác trường cho học sinh nghỉ học.\n".encode(),
        "x.txt",
        "x.txt",
        REGISTRY,
    )
    assert letter is None
    text = " ".join(f"{p.message} {p.fix}" for p in problems)
    assert "co_quan_ban_hanh" in text and "ngay_ban_hanh" in text


# --- plausibility before publishing ------------------------------------------------------------


def _read(text: str):
    return read_letter(text.encode(), "x.txt", "x.txt", REGISTRY)


@pytest.mark.parametrize(
    "issuer",
    ["| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 05/2010/QĐ-UBND", "PHỤ LỤC 3", "KẾT QUẢ THI ĐUA NĂM 2021"],
)
def test_an_issuer_that_names_no_body_is_refused_naming_line_and_key(issuer):
    body = "\n\nSố: 12/UBND-VP\n\nHà Nội, ngày 3 tháng 8 năm 2021\n\nV/v lịch họp\n\nNội dung.\n"
    letter, problems = _read(issuer + body)
    assert letter is None
    refusal = next(p for p in problems if "cơ quan ban hành" in p.message)
    assert refusal.line == 1 and "co_quan_ban_hanh" in refusal.fix


def test_a_type_that_disagrees_with_the_symbol_is_a_warning_naming_both():
    letter, problems = _read(
        "ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG TÈ\n\nSố: 12/QĐ-UBND\n\nMường Tè, ngày 3 tháng 8 năm 2021\n\n"
        "KẾ HOẠCH\n\nTổ chức hội nghị\n\nNội dung.\n"
    )
    assert letter is not None and letter.loai_van_ban == "Kế hoạch"
    assert any("Kế hoạch" in p.message and "Quyết định" in p.message for p in problems)


def test_a_signer_glued_to_the_title_is_not_published_as_a_name():
    letter, _ = _read(
        "ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG TÈ\n\nSố: 12/UBND-VP\n\nMường Tè, ngày 3 tháng 8 năm 2021\n\n"
        "V/v lịch họp\n\nNội dung.\n\nTL. CHỦ TỊCH\n\nCHÁNH VĂN PHÒNGThái Hữu Phép\n"
    )
    assert (letter.chuc_vu_nguoi_ky, letter.nguoi_ky) == ("Chánh Văn phòng", "Thái Hữu Phép")
    letter, problems = _read(
        "ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG TÈ\n\nSố: 12/UBND-VP\n\nMường Tè, ngày 3 tháng 8 năm 2021\n\n"
        "V/v lịch họp\n\nNội dung.\n\nTL. CHỦ TỊCH\n\nCHÁNH VĂN PHÒNG\n\nÔng Chánh Văn Phòng\n"
    )
    assert letter.nguoi_ky is None and any("người ký" in p.message.lower() for p in problems)


def test_the_missing_date_message_proposes_this_files_own_date():
    letter, problems = _read(
        "ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG TÈ\n\nThông báo nghỉ học ngày 18/10/2020 do mưa lũ.\n"
    )
    assert letter is None
    message = next(p for p in problems if "ngày ban hành" in p.message)
    assert "ngay_ban_hanh: 2020-10-18" in message.fix and "2021-09" not in message.fix


def test_no_type_is_guessed_where_nothing_names_one():
    """Công văn only with a công văn's marks: a decision whose type line a page lost is not a công văn."""
    letter, problems = _read(
        "HỘI ĐỒNG BỘ TRƯỞNG\n\nSố: 64-HĐBT\n\nHà Nội, ngày 06 tháng 4 năm 1982\n\nĐổi tên huyện Mỹ Thanh.\n"
    )
    assert letter is None
    assert any("loai_van_ban" in p.fix for p in problems)


@pytest.mark.parametrize("width", [25, 40, 60, 80, 100])
def test_hard_wrapped_copies_of_the_real_documents_are_never_published_wrong(width):
    """PDF extracts wrap every line: each real document wrapped at ``width`` is read right or refused."""
    import textwrap

    from tests.real_letters import CORE_FIELDS, REAL, fold, published_value

    for name, key in KEY.items():
        text = (REAL / name).read_text(encoding="utf-8")
        wrapped = "\n".join(
            part for line in text.split("\n") for part in (textwrap.wrap(line, width) or [""])
        )
        letter, _ = read_letter(wrapped.encode(), name, name, REGISTRY)
        if letter is None:
            continue
        for field_name in CORE_FIELDS:
            got = published_value(letter, field_name)
            assert got is None or fold(got) == fold(key.get(field_name)), (name, field_name, got)


def test_the_real_documents_copied_onto_one_line_are_read_or_refused_never_wrong():
    """A page copied as one line: cut back into its parts (rules.layout.unflatten), messages on line 1."""
    from tests.real_letters import CORE_FIELDS, REAL, fold, published_value

    right = 0
    for name, key in KEY.items():
        flat = " ".join((REAL / name).read_text(encoding="utf-8").split()) + "\n"
        letter, problems = read_letter(flat.encode(), name, name, REGISTRY)
        assert all(p.line == 1 for p in problems), [str(p) for p in problems if p.line != 1]
        if letter is None:
            continue
        values = {f: published_value(letter, f) for f in CORE_FIELDS}
        assert all(v is None or fold(v) == fold(key.get(f)) for f, v in values.items()), (name, values)
        right += all(fold(v) == fold(key.get(f)) for f, v in values.items())
    assert right >= 2 * len(KEY) // 3


# --- party documents, old and new local government ---------------------------------------------


def test_a_party_document():
    letter = parse_letter(
        "ĐẢNG BỘ TỈNH LAI CHÂU\nHUYỆN ỦY MƯỜNG TÈ\n*\nSố 445-KL/TƯ\n\tĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Mường Tè, ngày 5 tháng 3 năm 2024\n\nKẾT LUẬN\ncủa Ban Thường vụ Huyện ủy về công tác cán bộ\n\n"
        "Nội dung.\n\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nNguyễn Văn An\n"
    )
    assert (letter.co_quan_chu_quan, letter.co_quan_ban_hanh) == (
        "ĐẢNG BỘ TỈNH LAI CHÂU",
        "HUYỆN ỦY MƯỜNG TÈ",
    )
    assert (letter.so, letter.ky_hieu, letter.so_ky_hieu) == (445, "KL/TƯ", "445-KL/TƯ")
    assert (letter.loai_van_ban, letter.trich_yeu) == ("Kết luận", "về công tác cán bộ")
    assert letter.nguoi_ky == "Nguyễn Văn An"


def test_a_ward_decision_exported_as_word_plain_text_with_tabs():
    letter = parse_letter(
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nPHƯỜNG BA ĐÌNH\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 15/QĐ-UBND\tBa Đình, ngày 12 tháng 8 năm 2025\n\nQUYẾT ĐỊNH\nVề việc thành lập tổ công tác\n\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH\n\nCăn cứ Luật;\n\nĐiều 1. Nội dung.\n\n"
        "Nơi nhận:\t\tTM. ỦY BAN NHÂN DÂN\n- Như Điều 3;\t\tCHỦ TỊCH\n- Lưu: VT.\n\t\tTrần Văn Bình\n"
    )
    assert letter.co_quan_ban_hanh == "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH"
    assert (letter.so_ky_hieu, letter.dia_danh, letter.ngay_ban_hanh) == (
        "15/QĐ-UBND",
        "Ba Đình",
        "2025-08-12",
    )
    assert (letter.trich_yeu, letter.nguoi_ky) == ("thành lập tổ công tác", "Trần Văn Bình")
    assert letter.noi_nhan == ["Như Điều 3", "Lưu: VT"]


def test_a_province_chairmans_decision_after_the_merger():
    letter = parse_letter(
        "CHỦ TỊCH\nỦY BAN NHÂN DÂN TỈNH GIA LAI\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 120/QĐ-CTUBND\n"
        "Gia Lai, ngày 20 tháng 11 năm 2025\n\n"
        "QUYẾT ĐỊNH\nVề việc phê duyệt dự án\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI\n\nCăn cứ Luật;\n"
    )
    assert letter.co_quan_ban_hanh == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI"
    assert (letter.ky_hieu, letter.loai_van_ban, letter.trich_yeu) == (
        "QĐ-CTUBND",
        "Quyết định",
        "phê duyệt dự án",
    )


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("theo Tờ trình số 5658/TTr – UBND ngày 5/6/2007", ["5658/TTr-UBND"]),
        ("Quyết định số 64B/HĐBT ngày 1/1/1984", ["64B/HĐBT"]),
        ("Quyết định số 214-CP ngày 21/11/1970 của Hội đồng Chính phủ", ["214-CP"]),
        ("Báo cáo thẩm tra số 346 /BC-PC ngày 02/12/2011", ["346/BC-PC"]),
        ("Tờ trình số 164/TTr-UBNDngày 10/01/2007", ["164/TTr-UBND"]),
        ("ban hành kèm theo Quyết định số 1114/2003/QĐ-UB ngày 16/6/2003", []),
        ("Chỉ thị số 19/CT-TTg và Covid-19, trang 3-4", ["19/CT-TTg"]),
    ],
)
def test_citation_forms(text, cited):
    from builder.letters.citations import find_citations

    assert [c.so_ky_hieu for c in find_citations([text], "1114/QĐ-UB", 2003)] == cited


def test_a_signature_block_in_sentence_case_with_the_seal_mark():
    letter = parse_letter(
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\n\nSố: 462/QĐ-UB\n\nLào Cai, ngày 26 tháng 12 năm 1994\n\n"
        "QUYẾT ĐỊNH\n\nBan hành quy định về chợ\n\nCăn cứ Luật;\n\nĐiều 1. Nội dung.\n\n"
        "Phó Chủ tịch\n\n(Đã ký)\n\nHoàng Ngọc Lâm\n"
    )
    assert (letter.chuc_vu_nguoi_ky, letter.nguoi_ky) == ("Phó Chủ tịch", "Hoàng Ngọc Lâm")
    assert "Hoàng Ngọc Lâm" not in letter.noi_dung


def _side_by_side(text: str) -> str | None:
    """A real document's header as Word's plain text gives a two-column table: a row's cells tab-joined."""
    lines = text.split("\n")
    kept = [i for i, line in enumerate(lines) if line.strip() and not set(line.strip()) <= set("-*_=| ")]
    motto = next((i for i in kept[:8] if "CỘNG H" in lines[i].upper()), None)
    if motto is None:
        return None
    issuer = [i for i in kept if i < motto]
    right = [i for i in kept if i >= motto][:2]
    after = [i for i in kept if i > right[-1]][:2] if right else []
    if not issuer or len(right) < 2 or len(after) < 2 or not lines[after[0]].startswith("Số"):
        return None
    rows = [
        (lines[issuer[k]] if k < len(issuer) else "") + "\t" + (lines[right[k]] if k < 2 else "")
        for k in range(max(len(issuer), 2))
    ]
    rows.append(f"{lines[after[0]]}\t{lines[after[1]]}")
    return "\n".join(rows + lines[after[1] + 1 :])


def test_the_real_documents_with_their_header_in_tabbed_columns_read_as_before():
    from tests.real_letters import CORE_FIELDS, REAL, fold, published_value

    tried = 0
    for name, key in KEY.items():
        text = _side_by_side((REAL / name).read_text(encoding="utf-8"))
        if text is None:
            continue
        tried += 1
        letter, _ = read_letter(text.encode(), name, name, REGISTRY)
        before, _ = read_letter((REAL / name).read_bytes(), name, name, REGISTRY)
        assert (letter is None) == (before is None), name
        if letter is not None:
            assert all(fold(published_value(letter, f)) == fold(key.get(f)) for f in CORE_FIELDS), name
    assert tried >= 20


@pytest.mark.parametrize(
    "text",
    [
        "Số: " + "a " * 4000,
        "QUYẾT ĐỊNH\nCỦA\n" + "CỦA\n" * 3000,
        "| a " * 30000,
        "ỦY BAN " * 20000,
        "Quảng Nam, ngày\n" * 5000,
    ],
    ids=["number-line-of-spaces", "endless-title-sentence", "pipes", "issuer-words", "open-dates"],
)
def test_the_layout_rules_cost_seconds_on_hostile_lines(text):
    """Each repair looks at the header only and at short lines only (these took 15 to 75 s)."""
    import time

    started = time.monotonic()
    parse_letter(text)
    assert time.monotonic() - started < 10
