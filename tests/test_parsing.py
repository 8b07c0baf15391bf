"""Parsing letters: layouts of our own beside the seeds, each component's recogniser, and properties."""

from __future__ import annotations

import inspect
import unicodedata
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.archive.letter_file import read_letter
from builder.archive.read import read_archive
from builder.letters import footer, header, parsing
from builder.letters.citations import find_citations
from builder.letters.letter import LetterError
from builder.letters.lines import classification_of, position_title, urgency_of
from builder.letters.parsing import parse_letter
from builder.letters.registry import load_registry
from builder.letters.rules.number import canonical_symbol, number_line
from builder.text.dates import date_line

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
LETTERS = Path(__file__).parent / "fixtures" / "letters"
SEEDS = sorted(CONTENT.glob("*.txt"))
REGISTRY, _ = load_registry(CONTENT)


def read(data: bytes, name: str = "x.txt"):
    """A letter (or None) and its diagnostics, as the archive reads it."""
    return read_letter(data, name, name, REGISTRY)


def metadata(letter) -> dict:
    values = asdict(letter)
    for key in ("noi_dung", "source_lines"):
        values.pop(key)
    return values


# --- whole letters in other layouts ------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.stem)
def test_fixture_letter_gives_expected_fields(path):
    expected = yaml.safe_load(path.with_suffix(".yml").read_text(encoding="utf-8"))
    letter, diagnostics = read(path.read_bytes(), path.name)
    assert letter is not None, [str(d) for d in diagnostics]
    actual = asdict(letter)
    for key, value in expected.items():
        assert actual[key] == value, key


def test_decision_layout_type_subject_and_body():
    letter, _ = read((LETTERS / "quyet-dinh.txt").read_bytes())
    assert letter.loai_van_ban == "Quyết định"
    assert letter.trich_yeu.startswith("thành lập Tổ công tác")
    assert letter.noi_dung.startswith("**CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN PHONG THỔ**")
    assert "**Điều 1.** Thành lập" in letter.noi_dung
    assert "(Đã ký)" not in letter.noi_dung and "Hoàng Văn Sơn" not in letter.noi_dung


def test_party_letter_number_parent_and_authority():
    letter, _ = read((LETTERS / "cong-van-dang.txt").read_bytes())
    assert (letter.so, letter.ky_hieu, letter.so_ky_hieu) == (325, "CV/TU", "325-CV/TU")
    assert letter.co_quan_chu_quan == "ĐẢNG BỘ TỈNH LAI CHÂU"
    assert letter.tham_quyen_ky == ["T/M BAN THƯỜNG VỤ"]
    assert letter.kinh_gui == ["Ban cán sự đảng Ủy ban nhân dân tỉnh"]


def test_urgency_above_issuer_nfd_crlf_and_parent_body():
    data = (LETTERS / "so-y-te-hoa-toc.txt").read_bytes()
    assert b"\r\n" in data and unicodedata.normalize("NFC", data.decode()) != data.decode()
    letter, _ = read(data)
    assert letter.do_khan == "Hỏa tốc"
    assert (letter.co_quan_chu_quan, letter.co_quan_ban_hanh) == ("UBND TỈNH LAI CHÂU", "Sở Y tế")
    assert letter.nguoi_ky == "Nguyễn Thị Hoà"
    assert "hoàn thành trước ngày 15/12/2021." in letter.noi_dung


def test_front_matter_overrides_number_and_day():
    letter, diagnostics = read((LETTERS / "ke-hoach-front-matter.txt").read_bytes())
    assert (letter.so, letter.so_ky_hieu, letter.ngay_ban_hanh) == (214, "214/KH-UBND", "2022-04-20")
    assert not any("dự thảo" in d.message for d in diagnostics)
    assert letter.source_lines["so"] == 2


def test_one_line_recipient_and_no_recipient():
    letter, _ = read((LETTERS / "cong-van-dang.txt").read_bytes())
    assert len(letter.kinh_gui) == 1
    notice, _ = read((LETTERS / "thong-bao.txt").read_bytes())
    assert notice.kinh_gui == [] and notice.noi_dung.startswith("Ngày 12/02/2022")


def test_stamp_lines_are_set_aside_with_their_lines():
    parsed = parse_letter((CONTENT / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8"))
    assert [(line.lineno, line.text) for line in parsed.stray_lines] == [
        (17, "Chuyển TC-HC - Tỉnh ủy"),
        (18, "Đầu Kẹp Xếp P"),
    ]
    assert "Chuyển TC-HC" not in parsed.noi_dung and "Kẹp" not in (parsed.trich_yeu or "")


@pytest.mark.parametrize(
    ("seed", "fragment"),
    [
        ("002", "trang thiết bị, vật tư và nhân lực y tế"),
        ("002", "tạo sự thống nhất, đồng thuận trong xã hội"),
        ("003", "của huyện năm 2022 theo phương châm"),
        ("004", "thực phẩm,* các nhu yếu phẩm"),
        ("004", "(*qua Văn phòng* HĐND-UBND huyện"),
    ],
)
def test_page_break_splits_are_joined(seed, fragment):
    path = next(p for p in SEEDS if p.name.startswith(seed))
    parsed = parse_letter(path.read_text(encoding="utf-8"))
    assert fragment in parsed.noi_dung


def test_sections_that_end_without_punctuation_are_not_joined():
    parsed = parse_letter((CONTENT / "002_1df910771a3bcb65.txt").read_text(encoding="utf-8"))
    assert "5. Sở Thông tin và Truyền thông\n\nTăng cường công tác truyền thông" in parsed.noi_dung
    assert "4. Sở Y tế\n\n- Chủ trì" in parsed.noi_dung


def test_emphasis_is_kept_as_markdown():
    parsed = parse_letter((CONTENT / "004_8b77143a53b7dc4f.txt").read_text(encoding="utf-8"))
    assert "**trách nhiệm, là nghĩa vụ và quyền lợi của mỗi người dân**" in parsed.noi_dung
    assert '"*Chống dịch như chống giặc*"' in parsed.noi_dung


def test_windows_line_ends_give_the_same_letter():
    for path in [*SEEDS, *sorted(LETTERS.glob("*.txt"))]:
        data = path.read_bytes()
        unix, _ = read(data, path.name)
        windows, _ = read(data.replace(b"\n", b"\r\n"), path.name)
        assert metadata(windows) == metadata(unix)
        assert windows.noi_dung == unix.noi_dung


# --- recognisers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "so", "ky_hieu", "so_ky_hieu"),
    [
        ("Số: 2642/UBND-VX", 2642, "UBND-VX", "2642/UBND-VX"),
        ("Số: /UBND-TH", None, "UBND-TH", None),
        ("Số: /UBND – VP", None, "UBND-VP", None),
        ("Số 325-CV/TU", 325, "CV/TU", "325-CV/TU"),
        ("Số: 117/2020/NĐ-CP", 117, "NĐ-CP", "117/2020/NĐ-CP"),  # issue 16: year apart from the symbol
        ("Số: 1530 /SYT-NVY", 1530, "SYT-NVY", "1530/SYT-NVY"),
        ("Số:     /QĐ-UBND", None, "QĐ-UBND", None),
        ("Số: …/KH-UBND", None, "KH-UBND", None),
        ("SỐ: 05/QD-UBND", 5, "QĐ-UBND", "05/QĐ-UBND"),  # issue 16: leading zero kept as printed
        ("Số: 12/ubnd-vp", 12, "UBND-VP", "12/UBND-VP"),
    ],
)
def test_number_and_symbol(line, so, ky_hieu, so_ky_hieu):
    found = number_line(line)
    assert (found.so, found.ky_hieu, found.so_ky_hieu) == (so, ky_hieu, so_ky_hieu)


@pytest.mark.parametrize("line", ["Số lượng người tiêm: 120", "Số điện thoại: 0213 3888 999", "Sở Y tế"])
def test_lines_that_are_not_numbers(line):
    assert number_line(line) is None


@pytest.mark.parametrize(
    ("line", "place", "iso"),
    [
        ("Lai Châu, ngày 26 tháng 8 năm 2021", "Lai Châu", "2021-08-26"),
        ("Muờng Tè, ngày tháng 9 năm 2021", "Muờng Tè", "2021-09"),
        ("Mường Tè, ngày      tháng 12 năm 2021", "Mường Tè", "2021-12"),
        ("Mai Sơn, ngày 09 tháng 9 năm 2021", "Mai Sơn", "2021-09-09"),
        ("Vĩnh Tường, ngày ... tháng ... năm 2021", "Vĩnh Tường", "2021"),
        ("*Phong Thổ, ngày 05 tháng 3 năm 2022*", "Phong Thổ", "2022-03-05"),
        ("TP. Lai Châu, ngày 1 tháng 02 năm 2022", "TP. Lai Châu", "2022-02-01"),
    ],
)
def test_place_and_date(line, place, iso):
    found = date_line(line.strip("*"))
    assert (found.place, found.iso()) == (place, iso)


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("KHẨN", "Khẩn"),
        ("THƯỢNG KHẨN", "Thượng khẩn"),
        ("HỎA TỐC", "Hỏa tốc"),
        ("HOẢ TỐC", "Hỏa tốc"),
        ("Độ khẩn: Khẩn", "Khẩn"),
        ("Khẩn trương triển khai", None),
    ],
)
def test_urgency(line, level):
    assert urgency_of(line) == level


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        ("MẬT", "Mật"),
        ("TỐI MẬT", "Tối mật"),
        ("TUYỆT MẬT", "Tuyệt mật"),
        ("bí mật", None),
        ("Mật độ dân số", None),
    ],
)
def test_classification(line, mark):
    assert classification_of(line) == mark


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("1102/CD-TTg", "1102/CĐ-TTg"),
        ("UBND – VP", "UBND-VP"),
        ("117/2020/ND-CP", "117/2020/NĐ-CP"),
        ("45/HD-UBND", "45/HD-UBND"),
        ("3/BCD-UBND", "3/BCĐ-UBND"),
        ("12/qđ-ubnd", "12/QĐ-UBND"),
    ],
)
def test_canonical_symbol_letters(printed, canonical):
    assert canonical_symbol(printed) == canonical


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thực hiện Thông báo số 114/TB-UBND ngày 24 tháng 9 năm 2021 của UBND tỉnh Lai Châu về Kết luận",
            ("Thông báo", "114/TB-UBND", "2021-09-24", "UBND tỉnh Lai Châu"),
        ),
        ("theo chỉ thị 16/CT-TTg không được rời địa bàn", ("Chỉ thị", "16/CT-TTg", None, None)),
        (
            "Công điện số 1102/CD-TTg ngày 23/8/2021 của Thủ tướng Chính phủ;",
            ("Công điện", "1102/CĐ-TTg", "2021-08-23", "Thủ tướng Chính phủ"),
        ),
        (
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư",
            ("Nghị định", "30/2020/NĐ-CP", "2020-03-05", "Chính phủ"),
        ),
        ("Kết luận số 12-KL/TW ngày 24-9-2021", ("Kết luận", "12-KL/TW", "2021-09-24", None)),
        ("văn bản số 05/UBND-VP", (None, "5/UBND-VP", None, None)),
    ],
)
def test_citation(text, expected):
    (cited,) = find_citations([text], own=None)
    assert (cited.loai_van_ban, cited.so_ky_hieu, cited.ngay_ban_hanh, cited.co_quan_ban_hanh) == expected


@pytest.mark.parametrize(
    "text",
    ["trực 24/24 giờ", "ngày 24/9/2021", "báo cáo (b/c)", "Phòng Lao động - TB&XH", "SARS-CoV-2", "F0"],
)
def test_not_citations(text):
    assert find_citations([text], own=None) == []


def test_later_mention_completes_an_earlier_one():
    cited = find_citations(
        ["Nghị quyết số 68/NQ-CP của Chính phủ", "Nghị quyết 68/NQ-CP ngày 01/7/2021"], None
    )
    assert [(c.so_ky_hieu, c.ngay_ban_hanh, c.co_quan_ban_hanh) for c in cited] == [
        ("68/NQ-CP", "2021-07-01", "Chính phủ")
    ]


def test_own_number_is_not_cited():
    assert find_citations(["Công văn số 2642/UBND-VX này"], own="2642/UBND-VX") == []
    assert find_citations(["Quyết định 646/QĐ-UBND ngày 05/3/2022 này"], "646/QĐ-UBND", 2022) == []


def test_own_number_of_another_year_is_cited():
    """Registers restart each year: 646/QĐ-UBND of 2022 may replace 646/QĐ-UBND of 2021."""
    texts = ["Thay thế Quyết định số 646/QĐ-UBND ngày 12/3/2021 của UBND huyện. Quyết định 646/QĐ-UBND này"]
    cited = find_citations(texts, own="646/QĐ-UBND", own_year=2022)
    assert [(c.loai_van_ban, c.so_ky_hieu, c.ngay_ban_hanh) for c in cited] == [
        ("Quyết định", "646/QĐ-UBND", "2021-03-12")
    ]
    assert find_citations(["Quyết định 117/2021/QĐ-UBND"], "117/2021/QĐ-UBND", 2022)[0].ngay_ban_hanh is None


def test_a_letter_citing_its_own_number_of_last_year_links_to_it(tmp_path):
    """Read as a whole: the 2022 decision cites, and links to, the 2021 one with the same number."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "co-quan-ban-hanh.yml").write_bytes((CONTENT / "co-quan-ban-hanh.yml").read_bytes())
    decision = (
        "ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG TÈ\n\nSố: 646/QĐ-UBND\n\nMường Tè, ngày {day} năm {year}\n\n"
        "QUYẾT ĐỊNH\n\nVề việc {subject}\n\n{body}\n\nTM. ỦY BAN NHÂN DÂN\n\nCHỦ TỊCH\n\nNguyễn Văn An\n"
    )
    (content / "qd-2021.txt").write_text(
        decision.format(
            day="12 tháng 3", year=2021, subject="kiện toàn Tổ công tác", body="Quyết định thành lập."
        )
    )
    (content / "qd-2022.txt").write_text(
        decision.format(
            day="05 tháng 3",
            year=2022,
            subject="kiện toàn lại Tổ công tác",
            body="Quyết định này thay thế Quyết định số 646/QĐ-UBND ngày 12/3/2021 của UBND huyện.",
        )
    )
    archive = read_archive(content)
    assert not archive.errors, archive.errors
    new, old = archive.by_id["qd-2022"], archive.by_id["qd-2021"]
    assert [c.so_ky_hieu for c in new.van_ban_dan_chieu] == ["646/QĐ-UBND"]
    assert new.van_ban_dan_chieu[0].ngay_ban_hanh == "2021-03-12"
    assert archive.cites(new) == [old] and archive.cited_by(old) == [new]
    assert old.van_ban_dan_chieu == []


@pytest.mark.parametrize(
    ("printed", "title"),
    [
        ("PHÓ CHỦ TỊCH", "Phó Chủ tịch"),
        ("CHỦ TỊCH", "Chủ tịch"),
        ("CHÁNH VĂN PHÒNG", "Chánh Văn phòng"),
        ("PHÓ GIÁM ĐỐC", "Phó Giám đốc"),
        ("BÍ THƯ", "Bí thư"),
    ],
)
def test_position_title_case(printed, title):
    assert position_title(printed) == title


# --- how the parser is organised ----------------------------------------------------------------


def test_every_rule_has_a_one_line_docstring():
    steps = (*(rule.run for rule in header.HEADER_RULES), *footer.FOOTER_RULES, *parsing.PARSE_STEPS)
    for rule in steps:
        doc = inspect.getdoc(rule)
        assert doc and "\n" not in doc, rule.__name__


def test_the_lines_that_end_a_part_are_those_the_header_table_claims():
    """One table: a line a rule claims ends a multi-line part, and is named by that rule's part."""
    claimed = {
        "classification": "MẬT",
        "urgency": "HỎA TỐC",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "number": "Số: 2642/UBND-VX",
        "date": "Mường Tè, ngày 26 tháng 8 năm 2021",
        "subject": "V/v phòng, chống dịch",
        "type": "QUYẾT ĐỊNH",
        "recipients": "Kính gửi: Các xã",
    }
    parts = [rule.part for rule in header.HEADER_RULES if rule.claims is not None]
    assert parts == list(claimed)
    for part, line in claimed.items():
        assert header.component_of(line) == part
    assert header.component_of("Thực hiện Công văn của Ủy ban") is None


# --- properties ---------------------------------------------------------------------------------


def _new_tone_style(text: str) -> str:
    """Rewrite old-style oa/uy tone placement (hòa, ủy) in the new style (hoà, uỷ)."""
    for old, new in (
        ("hòa", "hoà"),
        ("HÒA", "HOÀ"),
        ("Ủy", "Uỷ"),
        ("ỦY", "UỶ"),
        ("ủy", "uỷ"),
        ("hóa", "hoá"),
    ):
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("path", [*SEEDS, *sorted(LETTERS.glob("*.txt"))], ids=lambda p: p.stem[:24])
def test_nfc_and_nfd_files_give_the_same_letter(path):
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    nfc, _ = read(unicodedata.normalize("NFC", text).encode(), path.name)
    nfd, _ = read(unicodedata.normalize("NFD", text).encode(), path.name)
    assert nfd == nfc and nfd.noi_dung == nfc.noi_dung


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_old_and_new_tone_style_give_the_same_canonical_metadata(path):
    text = path.read_text(encoding="utf-8")
    old, _ = read(text.encode(), path.name)
    new, _ = read(_new_tone_style(text).encode(), path.name)
    assert new.co_quan_ban_hanh == old.co_quan_ban_hanh
    for key in ("so", "ky_hieu", "so_ky_hieu", "ngay_ban_hanh", "dia_danh", "loai_van_ban", "do_khan"):
        assert getattr(new, key) == getattr(old, key), key
    assert [c.so_ky_hieu for c in new.van_ban_dan_chieu] == [c.so_ky_hieu for c in old.van_ban_dan_chieu]
    assert (len(new.kinh_gui), len(new.noi_nhan), new.nguoi_ky) == (
        len(old.kinh_gui),
        len(old.noi_nhan),
        old.nguoi_ky,
    )


_SEED_LINES = [line for path in SEEDS for line in path.read_text(encoding="utf-8").split("\n")]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.sampled_from(_SEED_LINES) | st.text(max_size=40), max_size=60).map(
            lambda lines: "\n".join(lines).encode("utf-8")
        ),
    )
)
def test_arbitrary_bytes_give_a_letter_or_a_clear_error(data):
    try:
        letter, diagnostics = read(data)
    except LetterError as refused:  # pragma: no cover - read_letter reports instead of raising
        diagnostics, letter = refused.diagnostics, None
    if letter is None:
        assert any(d.severity.value == "lỗi" for d in diagnostics)
    for diagnostic in diagnostics:
        assert str(diagnostic).startswith("x.txt:")


_KEYS = [
    "so",
    "ky_hieu",
    "so_ky_hieu",
    "ngay_ban_hanh",
    "thu_hoi",
    "dinh_chinh",
    "van_ban_dan_chieu",
    "do_khan",
    "x",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_KEYS),
            st.text(max_size=20) | st.sampled_from(["[1, 2]", "{ngay: 2021-02-30}", "null"]),
        ),
        max_size=5,
    )
)
def test_any_front_matter_gives_a_letter_or_a_clear_error(pairs):
    block = "\n".join(f"{key}: {value}" for key, value in pairs)
    letter, diagnostics = read(f"---\n{block}\n---\n".encode() + SEEDS[2].read_bytes())
    assert letter is not None or any(d.severity.value == "lỗi" for d in diagnostics)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_shuffled_seed_blocks_never_crash(data):
    path = data.draw(st.sampled_from(SEEDS))
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    order = data.draw(st.permutations(blocks))
    letter, diagnostics = read("\n\n".join(order).encode())
    assert letter is not None or diagnostics


@pytest.mark.parametrize(
    "opening", ["để bệnh Dịch tả lợn châu Phi lây", "thực hiện Kế hoạch phòng, chống dịch"]
)
def test_subject_wrapped_on_a_lowercase_body_word_then_date_line(opening):
    """A flattened two-column header: the "V/v" subject (wrapped, its next line starting with a
    word that opens bodies, in lower case) comes before the date line of the right column."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        f"Số: 26/UBND-HC\n\nV/v khẩn trương ngăn chặn, không\n{opening}\nlan\n\n"
        "Hà Giang, ngày 11 tháng 01 năm 2024\n\nKính gửi: UBND các huyện, thành phố.\n\n"
        "Nhằm thực hiện tốt công tác phòng, chống dịch, UBND tỉnh yêu cầu như sau.\n\n"
        "CHỦ TỊCH\n\nNguyễn Văn A\n"
    )
    parsed = parse_letter(text)
    assert parsed.ngay_ban_hanh == "2024-01-11"
    assert parsed.trich_yeu == f"khẩn trương ngăn chặn, không {opening} lan"
