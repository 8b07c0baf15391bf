"""The Vietnamese analyzer: what a document indexes and what a query asks for."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.search.analysis import analyze_document, analyze_query
from builder.search.specials import date_terms
from builder.search.tokens import canonical_lower
from builder.text.vietnamese import canonical


def terms(text: str) -> set[str]:
    return set(analyze_document(text))


def required(query: str) -> list[list[str]]:
    return analyze_query(query).groups


@pytest.mark.parametrize(
    "written",
    ["2642/UBND-VX", "2642/ubnd-vx", "Số: 2642 / UBND – VX", "2642/UBND-VX."],
)
def test_document_numbers_are_one_term(written: str) -> None:
    assert "#2642/ubnd-vx" in terms(written)


@pytest.mark.parametrize(
    ("written", "term"),
    [
        ("325-CV/TU", "#325/cv-tu"),
        ("117/2020/NĐ-CP", "#117/2020/nd-cp"),
        ("117/2020/ND-CP", "#117/2020/nd-cp"),
        ("1102/CĐ-TTg", "#1102/cd-ttg"),
        ("1102/CD-TTg", "#1102/cd-ttg"),
        ("Thông báo số 451-TB/TU ngày 08/10/2021", "#451/tb-tu"),
    ],
)
def test_number_forms(written: str, term: str) -> None:
    assert term in terms(written)


def test_number_with_year_also_matches_without_year() -> None:
    assert "#117/nd-cp" in terms("117/2020/NĐ-CP")
    assert required("117/2020/ND-CP") == [["#117/2020/nd-cp", "#117/2020/nd-cp~"]]
    assert required("117/NĐ-CP") == [["#117/nd-cp", "#117/nd-cp~"]]


def test_the_beginning_of_a_number_is_a_partial_term() -> None:
    """``2642/UBND`` is typed for ``2642/UBND-VX``: the letter has the beginning marked partial,
    the query asks for the number itself or a longer one."""
    assert {"#2642/ubnd-vx", "#2642/ubnd~"} <= set(terms("Số: 2642/UBND-VX"))
    assert "#2642/ubnd" not in terms("Số: 2642/UBND-VX")
    assert {"#117/2020/nd~", "#117/nd~", "#117/nd-cp"} <= set(terms("117/2020/NĐ-CP"))
    assert required("2642/UBND") == [["#2642/ubnd", "#2642/ubnd~"]]


def test_a_kind_next_to_a_number_asks_for_that_kind() -> None:
    assert required("chỉ thị 16") == required("Chi thi so 16") == [["#chi thi 16"]]
    assert "#chi thi 16" in terms("Thực hiện Chỉ thị số 16/CT-TTg ngày 31/3/2020")
    assert "#chi thi 16" in terms("theo 16/CT-TTg")  # the symbol names the kind
    assert "#cong van 325" in terms("Số 325-CV/TU")
    assert not [t for t in terms("kế hoạch 5 năm") if t.startswith("#")]  # a quantity, not a number
    # A year after a kind ranks letters numbered so first, but restricts nothing.
    assert required("kế hoạch 2024") == [["ke"], ["hoach"], ["2024"]]
    assert "#ke hoach 2024" in analyze_query("kế hoạch 2024").weights


def test_a_draft_number_is_no_number() -> None:
    assert not [t for t in terms("Số: /UBND-TH") if t.startswith("#")]


@pytest.mark.parametrize(
    "written",
    [
        "24/9/2021",
        "24/09/2021",
        "24-9-2021",
        "24.9.2021",
        "ngày 24 tháng 9 năm 2021",
        "Ngay 24 thang 9 nam 2021",
        "ngày 24/9/2021",
        "ngay 24-09-2021",
        "24 tháng 9 năm 2021",
        "24 thang 9 2021",
        "ngay 24 thang 9 2021",
        "2021-09-24",
    ],
)
def test_dates_are_one_iso_term(written: str) -> None:
    assert "@2021-09-24" in terms(written)
    assert "@2021-09" in terms(written)
    assert required(written) == [["@2021-09-24"]]


def test_month_and_impossible_dates() -> None:
    assert required("tháng 9 năm 2021") == [["@2021-09"]]
    assert required("9/2021") == [["@2021-09"]]
    # The word before a month is part of it as typed without accents or without "năm".
    for written in ("tháng 9/2021", "thang 09/2021", "thang 9 2021", "tháng 9.2021", "thang 9-2021"):
        assert required(written) == [["@2021-09"]], written
    assert not [t for t in terms("32/13/2021 24/24") if t.startswith("@")]


def test_issue_date_terms() -> None:
    assert date_terms("2021-08-26") == ["2021", "@2021-08", "@2021-08-26"]
    assert date_terms("2021-09") == ["2021", "@2021-09"]


def test_exact_and_folded_syllables_and_bigrams() -> None:
    found = terms("Phòng, chống dịch. Quyết định")
    assert {"phòng", "phong", "chống", "chong", "dịch", "dich", "quyết", "quyet", "định", "dinh"} <= found
    assert {"phong chong", "chong dich", "quyet dinh"} <= found
    assert "dich quyet" not in found  # no bigram across a sentence end


def test_trigrams_keep_the_order_of_the_words() -> None:
    found = terms("Tăng cường kỷ cương, kỷ luật. Số 2642/UBND-VX của UBND huyện")
    assert {"tang cuong ky", "cuong ky cuong", "ky cuong ky", "cuong ky luat"} <= found
    assert "ky luat ky" not in found  # the other order
    assert "luat so 2642" not in found  # not across a sentence end
    # Not inside an abbreviation's long form: UBND is one word typed, not three in an order.
    assert {"uy ban nhan", "ban nhan dan"}.isdisjoint(found)
    assert {"nhan dan vx", "nhan dan huyen"} <= found  # but across its end
    query = analyze_query("tăng cường kỷ cương, UBND")
    assert {"tang cuong ky", "cuong ky cuong", "ky cuong uy"} <= set(query.weights)
    assert {"cuong uy ban", "uy ban nhan"}.isdisjoint(query.weights)
    assert not any(term.count(" ") == 2 for group in query.groups for term in group)  # never required


def test_no_stop_words_no_minimum_length() -> None:
    found = terms("Bộ Y tế, an toàn, ở nhà, không, số, tổ, ổn định")
    assert {"y", "an", "o", "ở", "khong", "so", "to", "on", "bo"} <= found


def test_old_and_new_tone_placement_are_one_term() -> None:
    assert terms("CỘNG HOÀ, Tỉnh uỷ, khoẻ") == terms("Cộng hòa, tỉnh ủy, khỏe")


def test_nfd_and_look_alikes() -> None:
    import unicodedata

    assert terms(unicodedata.normalize("NFD", "Quyết định")) == terms("Quyết định")
    assert terms("\u00d0ồng chí") == terms("Đồng chí")


def test_hyphenated_compounds_give_parts_and_joined_form() -> None:
    found = terms("Covid-19 SARS-CoV-2 F0 5K")
    assert {"covid", "19", "covid19", "sars", "cov", "2", "sarscov2", "f0", "5k"} <= found


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("UBND", "Ủy ban nhân dân"),
        ("HĐND", "Hội đồng nhân dân"),
        ("BCĐ", "Ban Chỉ đạo"),
        ("TTg", "Thủ tướng"),
        ("CP", "Chính phủ"),
        ("TTYT", "Trung tâm Y tế"),
        ("MTTQ", "Mặt trận Tổ quốc"),
        ("V/v", "về việc"),
        ("CV", "công văn"),
        ("vaccine", "vắc xin"),
        ("vắc-xin", "vắc xin"),
        ("virus", "vi rút"),
        ("qui", "quy"),
        ("lí", "lý"),
        ("kĩ", "kỹ"),
        ("Mĩ", "Mỹ"),
        ("TP", "Thành phố"),
        ("HCM", "Hồ Chí Minh"),
        ("TP.HCM", "Thành phố Hồ Chí Minh"),
        ("TPHCM", "thành phố Hồ Chí Minh"),
        ("TX", "thị xã"),
        ("HĐBT", "Hội đồng Bộ trưởng"),
        ("VPCP", "Văn phòng Chính phủ"),
        ("BNV", "Bộ Nội vụ"),
        ("UBTVQH", "Ủy ban Thường vụ Quốc hội"),
        ("TW", "Trung ương"),
        ("CBCC", "cán bộ công chức"),
        ("CBCCVC", "cán bộ, công chức, viên chức"),
        ("TTHC", "thủ tục hành chính"),
        ("VBQPPL", "văn bản quy phạm pháp luật"),
        ("NSNN", "ngân sách nhà nước"),
        ("QSDĐ", "quyền sử dụng đất"),
        ("CNTT", "công nghệ thông tin"),
        ("KHCN", "khoa học và công nghệ"),
        ("TNMT", "tài nguyên và môi trường"),
        ("LĐTBXH", "Lao động - Thương binh và Xã hội"),
        ("KTXH", "kinh tế - xã hội"),
        ("TDTT", "thể dục thể thao"),
        ("GDĐT", "Giáo dục và Đào tạo"),
        ("PGDĐT", "Phòng Giáo dục và Đào tạo"),
        ("SGDĐT", "Sở Giáo dục và Đào tạo"),
        ("PCT", "Phó Chủ tịch"),
        ("NNPTNT", "Nông nghiệp và Phát triển nông thôn"),
        ("VSATTP", "vệ sinh an toàn thực phẩm"),
        ("CTMTQG", "chương trình mục tiêu quốc gia"),
        ("BQLDA", "Ban Quản lý dự án"),
        ("CSGT", "cảnh sát giao thông"),
    ],
)
def test_abbreviations_and_spellings_both_ways(short: str, long: str) -> None:
    for query, document in ((short, long), (long, short)):
        found = terms(f"x {document} y")
        for group in required(query):
            assert set(group) & found, (query, document, group)


def test_query_exact_clause_only_for_accented_tokens() -> None:
    plain = analyze_query("phong chong")
    assert set(plain.weights) == {"phong", "chong", "phong chong"}
    accented = analyze_query("phòng chong")
    assert "phòng" in accented.weights and "chống" not in accented.weights
    assert accented.groups == [["phong"], ["chong"]]


def test_quoted_phrase_requires_adjacent_words() -> None:
    query = analyze_query('"chống dịch" covid')
    assert ["chong dich"] in query.groups
    assert ["chống"] in query.groups
    assert ["covid"] in query.groups
    assert "phong chong" not in query.weights


def test_query_compound_accepts_joined_or_adjacent_parts() -> None:
    assert ["covid 19", "covid19"] in required("covid-19")


def test_empty_query() -> None:
    assert analyze_query("  ,.; ").empty


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("aăâeêioôơuưyđAĐ \u0300\u0301\u0303\u0309\u0323\u0306ΣΑσ\u00a0\u00a8\u2003-İ\n")
        )
    )
)
def test_piecewise_canonical_is_canonical(text: str) -> None:
    """The cached per-piece path gives exactly ``canonical(text).lower()``."""
    assert canonical_lower(text) == canonical(text).lower()
